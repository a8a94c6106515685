"""Where a sentence went: every statement that quotes or closely restates a paragraph,
found through the fingerprints stored at import, never by reading the corpus."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from statements import echoes as fingerprinting
from statements.admin import ParagraphAdmin
from statements.models import EchoKey, Paragraph, Statement
from statements.services import corpus, echoes, imports
from statements.views import echoes as echoes_view

from .conftest import make_statement

SENTENCE = (
    "Les prétendus référendums organisés dans les territoires occupés n'ont aucune "
    "légitimité et constituent une violation flagrante du droit international."
)


def text_file(source: str, date: str, *paragraphs: str) -> str:
    header = f"source: {source}\ndate: {date}\ntitle: {source} le {date}\n---\n"
    return header + "\n\n".join(paragraphs) + "\n"


@pytest.fixture
def imported(db):
    """NATO's paragraph, then three outlets: one quotes it word for word, one leaves words
    out, one changes a word; a fourth says something else."""
    found = {}
    for name, date, paragraphs in [
        ("OTAN", "2022-09-30", [SENTENCE, "Nous soutenons l'Ukraine."]),
        (
            "Agence",
            "2022-10-02",
            [f"Selon l'Alliance, « {SENTENCE} »", "D'autres nouvelles du jour suivent ici."],
        ),
        (
            "Journal",
            "2022-10-01",
            [
                "L'OTAN affirme que les prétendus référendums organisés dans les territoires "
                "occupés constituent une violation flagrante du droit international."
            ],
        ),
        (
            "Blog",
            "2022-10-05",
            [
                "Pour eux les prétendus référendums organisés dans les territoires libérés "
                "n'ont aucune légitimité et constituent une violation du droit international."
            ],
        ),
        ("Autre", "2022-10-03", ["La météo de la semaine sera pluvieuse sur tout le pays."]),
    ]:
        outcome = imports.import_file(text_file(name, date, *paragraphs), f"{name}.txt")
        assert outcome.status == "imported", outcome.error
        found[name] = outcome.statement
    return found


def test_a_quotation_inside_a_longer_paragraph_shares_a_fingerprint():
    quoted = (
        f"Hier, à Bruxelles, le secrétaire général a déclaré : « {SENTENCE} » Puis il est parti."
    )
    assert set(fingerprinting.fingerprints(SENTENCE)) & set(fingerprinting.fingerprints(quoted))
    other = "La météo de la semaine sera pluvieuse sur tout le pays, avec du vent."
    assert not set(fingerprinting.fingerprints(SENTENCE)) & set(fingerprinting.fingerprints(other))


def test_a_passage_says_how_faithfully_it_takes_the_words_over():
    verbatim = fingerprinting.passage(SENTENCE, f"Il a dit : « {SENTENCE} »")
    assert (verbatim.fidelity, verbatim.relation) == ("verbatim", "quotes")
    assert verbatim.text.startswith("Les prétendus") and verbatim.text.endswith("international")
    trimmed = fingerprinting.passage(
        SENTENCE,
        "Les prétendus référendums organisés dans les territoires occupés "
        "constituent une violation flagrante du droit international.",
    )
    assert trimmed.fidelity == "trimmed"
    altered = fingerprinting.passage(
        SENTENCE,
        "Les prétendus référendums organisés dans les territoires libérés n'ont aucune "
        "légitimité et constituent une violation flagrante du droit international.",
    )
    assert altered.fidelity == "altered"
    assert fingerprinting.passage(SENTENCE, "Rien à voir avec la question du jour.") is None


def test_echoes_are_found_after_import_in_order_of_date(imported):
    source = imported["OTAN"].paragraphs.get(position=1)
    assert all(s.echoes_indexed for s in Statement.objects.all())
    found = echoes.find(source, "fr")
    assert [e.statement.source.name for e in found] == ["Journal", "Agence", "Blog"]
    by_outlet = {e.statement.source.name: e.passage for e in found}
    assert by_outlet["Agence"].fidelity == "verbatim"
    assert by_outlet["Journal"].fidelity == "trimmed"
    assert by_outlet["Blog"].fidelity == "altered"
    # The index finds what reading the whole corpus finds.
    assert [(e.paragraph.pk, e.passage) for e in found] == [
        (e.paragraph.pk, e.passage) for e in echoes.scan(source, "fr")
    ]


def test_the_echoes_page_is_a_timeline_with_passages_outlets_and_dates(
    imported, client, django_assert_max_num_queries
):
    url = reverse("paragraph_echoes", args=[imported["OTAN"].slug, 1])
    with django_assert_max_num_queries(3):
        response = client.get(url)
    page = response.content.decode()
    assert "3 statement passages" in page
    outlets = re.findall(r'<span class="meta"><a href="/sources/[\w-]+/">(\w+)</a>', page)
    assert outlets == ["Journal", "Agence", "Blog"]
    assert '<time class="timeline-date" datetime="2022-10-01">' in page
    assert "<mark>Les prétendus référendums" in page
    assert ">verbatim<" in page and ">trimmed<" in page and ">altered<" in page
    assert "Autre" not in page


def test_the_statement_page_has_a_where_it_went_link_on_each_body_paragraph(imported, client):
    page = client.get(imported["OTAN"].get_absolute_url()).content.decode()
    assert reverse("paragraph_echoes", args=[imported["OTAN"].slug, 1]) in page
    assert "Where it went" in page


def test_unknown_paragraph_is_a_404(imported, client):
    assert client.get(reverse("paragraph_echoes", args=["nope", 1])).status_code == 404
    url = reverse("paragraph_echoes", args=[imported["OTAN"].slug, 99])
    assert client.get(url).status_code == 404


def test_a_deleted_statement_leaves_no_echo(imported, client):
    agency = imported["Agence"]
    corpus.delete([agency])
    assert not EchoKey.objects.filter(statement_id=agency.pk).exists()
    source = imported["OTAN"].paragraphs.get(position=1)
    assert "Agence" not in [e.statement.source.name for e in echoes.find(source, "fr")]


def test_an_edited_paragraph_is_indexed_again(imported, admin_client):
    journal = imported["Journal"].paragraphs.get(position=1)
    response = admin_client.post(
        reverse("admin:statements_paragraph_change", args=[journal.pk]),
        {"text": "Tout autre chose, désormais sans rapport.", "kind": "body", "number": ""},
    )
    assert response.status_code == 302
    source = imported["OTAN"].paragraphs.get(position=1)
    assert "Journal" not in [e.statement.source.name for e in echoes.find(source, "fr")]
    assert Statement.objects.get(pk=imported["Journal"].pk).echoes_indexed
    assert ParagraphAdmin  # the admin's save hook is what indexed it again


def test_echoes_are_paginated(db, client, monkeypatch):
    monkeypatch.setattr(echoes_view, "ECHOES_PER_PAGE", 2)
    source = make_statement(paragraphs=[SENTENCE], published_on=datetime.date(2022, 9, 30))
    for day in range(1, 6):
        make_statement(
            paragraphs=[f"Le {day}, on lisait : « {SENTENCE} »"],
            published_on=datetime.date(2022, 10, day),
        )
    call_command("index_echoes", stdout=io.StringIO())
    url = reverse("paragraph_echoes", args=[source.slug, 1])
    first = client.get(url).content.decode()
    assert "5 statement passages" in first and "Page 1 of 3" in first
    assert first.count('class="timeline-item echo') == 2
    last = client.get(url, {"page": 3}).content.decode()
    assert last.count('class="timeline-item echo') == 1 and "2022-10-05" in last


def test_the_backfill_command_indexes_what_is_not_indexed(db):
    make_statement(paragraphs=[SENTENCE])
    assert not EchoKey.objects.exists()
    out = io.StringIO()
    call_command("index_echoes", stdout=out)
    assert "Indexed 1 statement(s)" in out.getvalue()
    assert EchoKey.objects.count() == len(fingerprinting.fingerprints(SENTENCE))
    out = io.StringIO()
    call_command("index_echoes", stdout=out)
    assert "Indexed 0 statement(s)" in out.getvalue()
    assert Paragraph.objects.count() == 1
