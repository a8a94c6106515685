"""Event coverage: one statement against every other statement of its event, read from the
engine's stored alignments (never from readers' saved comparisons)."""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import json
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.urls import reverse

from statements import framing
from statements.models import Comparison, Event, Link, Source, StoredAlignment, Visibility
from statements.services import comparing, coverage

from .conftest import make_source, make_statement, run_queued

pytestmark = pytest.mark.django_db

PIVOT_TEXTS = [
    "Les Alliés condamnent l'annexion illégale des régions de Donetsk et de Louhansk.",
    "Ces référendums simulés n'ont aucune légitimité et violent le droit international.",
    "Nous renforcerons encore notre soutien à l'Ukraine face à cette guerre d'agression.",
    "La Russie porte l'entière responsabilité de cette escalade dangereuse.",
]


def store_alignment(left, right, links, quotations=None) -> StoredAlignment:
    """A stored engine alignment made by hand, fresh for what both statements hold now:
    each cell kind is pinned whatever the engine would find."""
    pair = comparing.load_pair(left.slug, right.slug)
    found = {"engine": "test", "threshold": 0.1, "links": links, "omissions": [], "additions": []}
    if quotations is not None:
        found["quotations"] = quotations
    multilingual = comparing._pair_vectors(pair).status(left.language != right.language)
    document = {
        "alignment": found,
        "distinctive": framing.Framing((), ()).to_document(),
        "multilingual": dataclasses.asdict(multilingual),
    }
    return comparing.store(pair, comparing.pair_key(pair, comparing._pair_vectors(pair)), document)


def link(left, right, relation, score=0.6, **fields) -> dict:
    return {"left": left, "right": right, "score": score, "relation": relation, **fields}


@pytest.fixture
def event(db):
    return make_event()


def make_event() -> dict:
    """NATO's statement (the pivot), RT's (reframes, contradicts, quotes with a trimmed
    quotation, omits ¶3: stored with the pivot on the left) and an agency's dated earlier
    (restates ¶1, quotes ¶2 verbatim with only a shared quote to show for it, omits ¶3
    and ¶4: stored with the pivot on the right)."""
    event = Event.objects.create(name="Référendums de septembre", slug="referendums")
    nato = make_statement(
        source=make_source("OTAN", Source.Kind.OFFICIAL),
        title="Déclaration de l'OTAN",
        paragraphs=PIVOT_TEXTS,
        published_on=datetime.date(2022, 9, 30),
        events=(event,),
    )
    rt = make_statement(
        source=make_source("RT", Source.Kind.STATE_MEDIA),
        title="Le rattachement des régions",
        paragraphs=[
            "« Les Alliés condamnent l'annexion des régions », dit l'OTAN.",
            "Le rattachement des régions de Donetsk et de Louhansk a été approuvé.",
            "La Russie ne porte aucune responsabilité dans cette escalade.",
            "Les habitants ont voté librement.",
        ],
        published_on=datetime.date(2022, 10, 1),
        events=(event,),
    )
    agency = make_statement(
        source=make_source("Agence", Source.Kind.NEWS_AGENCY),
        title="Dépêche",
        paragraphs=[
            "L'OTAN dénonce l'annexion de quatre régions ukrainiennes.",
            "Selon l'Alliance, « ces référendums simulés n'ont aucune légitimité ».",
        ],
        published_on=datetime.date(2022, 9, 29),
        events=(event,),
    )
    store_alignment(
        nato,
        rt,
        [
            link(1, 1, "quotes", quotes=[]),
            link(
                2,
                2,
                "reframes",
                confidence=0.8,
                reasons=[{"kind": "swap", "left": "annexion illégale", "right": "rattachement"}],
            ),
            link(
                4,
                3,
                "contradicts",
                confidence=0.7,
                reasons=[{"kind": "negation", "left": "porte", "right": "ne porte aucune"}],
            ),
            link(3, 4, "restates", score=0.12),  # below the default threshold: omitted
        ],
        quotations=[
            {
                "side": "right",
                "paragraph": 1,
                "start": 2,
                "end": 50,
                "text": "Les Alliés condamnent l'annexion des régions",
                "fidelity": "trimmed",
                "source": {"paragraph": 1, "start": 0, "end": 70},
                "diff": [],
            }
        ],
    )
    quote = {
        "text": "ces référendums simulés n'ont aucune légitimité",
        "left_start": 22,
        "left_end": 70,
        "right_start": 0,
        "right_end": 48,
    }
    store_alignment(
        agency,
        nato,
        [
            link(1, 1, "restates"),
            # a low similarity of the paragraphs as wholes, the shared quote's high confidence
            link(2, 2, "quotes", score=0.3, confidence=0.9, quotes=[quote]),
        ],
    )
    return {"event": event, "nato": nato, "rt": rt, "agency": agency}


def cells_of(found: coverage.Coverage) -> dict[tuple[int, str], coverage.Cell]:
    return {
        (cell.position, column.statement.slug): cell
        for column in found.columns
        for cell in column.cells
    }


def test_each_cell_says_what_the_statement_did_with_the_paragraph(event):
    found = coverage.event_coverage("referendums")
    rt, agency = event["rt"].slug, event["agency"].slug
    cells = cells_of(found)
    assert found.pivot == event["nato"]  # the earliest official statement
    assert (cells[1, rt].kind, cells[1, rt].fidelity) == ("quoted", "trimmed")
    assert cells[2, rt].kind == "reframed"
    assert cells[3, rt].kind == "omitted"
    assert cells[4, rt].kind == "contradicted"
    assert cells[1, agency].kind == "restated"
    assert (cells[2, agency].kind, cells[2, agency].fidelity) == ("quoted", "verbatim")
    assert [cells[p, agency].kind for p in (3, 4)] == ["omitted", "omitted"]
    # Columns by source kind: the news agency before state media.
    assert [c.statement.slug for c in found.columns] == [agency, rt]


def test_a_cell_links_to_the_compare_view_at_its_pair_either_way_round(event):
    cells = cells_of(coverage.event_coverage("referendums"))
    nato, rt, agency = event["nato"].slug, event["rt"].slug, event["agency"].slug
    assert cells[4, rt].url == reverse("compare", args=[nato, rt]) + "#pair-l4-r3"
    # The agency's pair is stored with the pivot on the right.
    assert cells[2, agency].url == reverse("compare", args=[agency, nato]) + "#pair-l2-r2"
    # An omitted paragraph opens the compare view at the pivot's paragraph.
    assert cells[3, rt].url == reverse("compare", args=[nato, rt]) + "#l3"


def test_summaries_count_each_row_and_each_column_with_the_swapped_words(event, client):
    found = coverage.event_coverage("referendums")
    rt_column = next(c for c in found.columns if c.statement == event["rt"])
    assert len(rt_column.covered) == 3
    assert rt_column.omitted == [3]
    assert [words for _, words in rt_column.reframings] == [[("annexion illégale", "rattachement")]]
    assert [cell.position for cell in rt_column.contradictions] == [4]
    row3 = found.rows[2]
    assert row3.counts["omitted"] == 2
    assert [row.paragraph.position for row in found.most_omitted] == [3, 4]
    assert [row.paragraph.position for row in found.most_reframed] == [2]

    page = client.get(reverse("event_coverage", args=["referendums"])).content.decode()
    assert "Covers <strong>3 of 4</strong>" in page
    assert '<q lang="fr">annexion illégale</q> → <q lang="fr">rattachement</q>' in page
    assert "Most omitted" in page and "Most reframed" in page
    assert '#pair-l4-r3">¶4</a> (negated ‘porte’ as ‘ne porte aucune’)' in page
    assert "0 quote · 0 restate · 0 reframe · 0 contradict · 2 omit" in page  # ¶3's row


def test_reasons_are_read_from_the_pivots_side_when_it_is_stored_on_the_right(event):
    store_alignment(
        event["agency"],
        event["nato"],
        [link(1, 2, "reframes", reasons=[{"kind": "swap", "left": "simulés", "right": "tenus"}])],
    )
    found = coverage.event_coverage("referendums")
    agency = next(c for c in found.columns if c.statement == event["agency"])
    assert [words for _, words in agency.reframings] == [[("tenus", "simulés")]]


def page_cells(html: str) -> dict[tuple[int, str], str]:
    found = re.findall(
        r'data-paragraph="(\d+)" data-statement="([\w-]+)" data-relation="(\w+)"', html
    )
    return {(int(p), s): relation for p, s, relation in found}


def test_csv_and_json_carry_what_the_page_shows(event, client):
    page = page_cells(client.get(reverse("event_coverage", args=["referendums"])).content.decode())
    response = client.get(reverse("event_coverage_csv", args=["referendums"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    as_csv = {(int(r["paragraph"]), r["statement"]): r["relation"] for r in rows}
    document = client.get(reverse("event_coverage_json", args=["referendums"])).json()
    as_json = {(r["paragraph"], r["statement"]): r["relation"] for r in document["rows"]}
    assert len(page) == 8
    assert page == as_csv == as_json
    reframed = next(r for r in document["rows"] if r["relation"] == "reframed")
    assert reframed["confidence"] == 0.8
    assert reframed["reasons"] == [
        {"kind": "swap", "left": "annexion illégale", "right": "rattachement"}
    ]
    rt = next(c for c in document["statements"] if c["statement"] == event["rt"].slug)
    assert (rt["covers"], rt["omits"], rt["contradicts"]) == (3, [3], [4])
    assert rt["reframes"] == [{"paragraph": 2, "swaps": [["annexion illégale", "rattachement"]]}]
    by_key = {(int(r["paragraph"]), r["statement"]): r for r in rows}
    assert json.loads(by_key[2, event["rt"].slug]["reasons"]) == reframed["reasons"]
    assert by_key[1, event["rt"].slug]["fidelity"] == "trimmed"


def test_a_private_or_hidden_comparison_never_leaks_into_the_matrix(event, client):
    owner = User.objects.create_user("reader", password="x")
    nato, rt = event["nato"], event["rt"]
    for visibility, hidden in ((Visibility.PRIVATE, False), (Visibility.PUBLIC, True)):
        comparison = Comparison.objects.create(
            left=nato, right=rt, title="Mine", owner=owner, visibility=visibility, hidden=hidden
        )
        Link.objects.create(
            comparison=comparison,
            left=nato.paragraphs.get(position=3),
            right=rt.paragraphs.get(position=4),
            relation=Link.Relation.CONTRADICTS,
            state=Link.State.CONFIRMED,
            origin="reader",
        )
    client.force_login(owner)
    response = client.get(reverse("event_coverage", args=["referendums"]))
    assert page_cells(response.content.decode())[3, rt.slug] == "omitted"
    document = client.get(reverse("event_coverage_json", args=["referendums"])).json()
    assert {r["relation"] for r in document["rows"] if r["paragraph"] == 3} == {"omitted"}


def test_the_matrix_partial_comes_back_alone_to_htmx(event, client):
    url = reverse("event_coverage", args=["referendums"])
    full = client.get(url).content.decode()
    assert "<html" in full and 'id="matrix"' in full and "coverage-pivot" in full
    partial = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partial and "coverage-pivot" not in partial
    assert partial.lstrip().startswith('<div id="matrix"')
    assert page_cells(partial) == page_cells(full)


def test_pending_pairs_are_queued_then_fill_in(
    event, client, queued_tasks, django_capture_on_commit_callbacks
):
    blog = make_statement(
        source=make_source("Blog", Source.Kind.BLOG),
        paragraphs=[PIVOT_TEXTS[2], "Un tout autre sujet, sans rapport aucun."],
        published_on=datetime.date(2022, 10, 3),
        events=(event["event"],),
    )
    url = reverse("event_coverage", args=["referendums"])
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in first and "Aligning" in first
    assert {r for (_, s), r in page_cells(first).items() if s == blog.slug} == {"pending"}
    assert [r.task.name for r in queued_tasks.results] == ["align_pair"]
    with django_capture_on_commit_callbacks(execute=True):
        again = client.get(url, headers={"HX-Request": "true"})  # asked once, not again
    assert len(queued_tasks.results) == 1 and again.status_code == 200

    run_queued(queued_tasks)
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done
    blog_cells = {p: r for (p, s), r in page_cells(done).items() if s == blog.slug}
    assert blog_cells[3] in {"quoted", "restated"} and blog_cells[1] == "omitted"


def test_an_edited_statement_makes_its_pairs_pending_again(
    event, queued_tasks, django_capture_on_commit_callbacks
):
    paragraph = event["rt"].paragraphs.get(position=2)
    paragraph.text += " Modifié."
    paragraph.save()
    with django_capture_on_commit_callbacks(execute=True):
        found = coverage.event_coverage("referendums")
    rt = next(c for c in found.columns if c.statement == event["rt"])
    assert rt.pending and {cell.kind for cell in rt.cells} == {"pending"}
    assert len(queued_tasks.results) == 1


def test_the_matrix_takes_the_same_queries_whatever_its_columns(
    event, client, django_assert_max_num_queries
):
    url = reverse("event_coverage", args=["referendums"])
    with django_assert_max_num_queries(4) as few:  # event, statements, paragraphs, alignments
        client.get(url)
    for _ in range(6):
        extra = make_statement(
            source=make_source(kind=Source.Kind.PRESS), paragraphs=2, events=(event["event"],)
        )
        store_alignment(event["nato"], extra, [link(1, 1, "restates")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(page_cells(response.content.decode())) == 4 * 8


def test_unknown_event_or_pivot_is_a_404_and_an_empty_event_says_so(event, client):
    assert client.get(reverse("event_coverage", args=["nope"])).status_code == 404
    url = reverse("event_coverage", args=["referendums"])
    assert client.get(url, {"pivot": "nope"}).status_code == 404
    outsider = make_statement(paragraphs=2)
    assert client.get(url, {"pivot": outsider.slug}).status_code == 404
    assert client.get(reverse("event_coverage_csv", args=["nope"])).status_code == 404
    Event.objects.create(name="Rien encore", slug="empty")
    response = client.get(reverse("event_coverage", args=["empty"]))
    assert response.status_code == 200
    assert "has no statements yet" in response.content.decode()


def test_another_pivot_reads_the_same_pairs_from_its_side(event, client):
    response = client.get(
        reverse("event_coverage", args=["referendums"]), {"pivot": event["rt"].slug}
    )
    cells = page_cells(response.content.decode())
    assert cells[3, event["nato"].slug] == "contradicted"  # RT's ¶3 against NATO's ¶4
    assert cells[2, event["nato"].slug] == "reframed"


def test_the_command_writes_csv_or_json(event):
    out = io.StringIO()
    call_command("coverage", "referendums", "--format", "json", stdout=out)
    document = json.loads(out.getvalue())
    assert document["pivot"] == event["nato"].slug and len(document["rows"]) == 8
    out = io.StringIO()
    call_command("coverage", "referendums", "--pivot", event["rt"].slug, stdout=out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert {r["pivot"] for r in rows} == {event["rt"].slug}
    with pytest.raises(CommandError, match="No event"):
        call_command("coverage", "nope", stdout=io.StringIO())


def test_the_event_page_links_to_its_coverage(event, client):
    page = client.get(event["event"].get_absolute_url()).content.decode()
    assert reverse("event_coverage", args=["referendums"]) in page


def test_the_statement_page_says_who_covered_each_paragraph(event, client):
    url = event["nato"].get_absolute_url()
    page = client.get(url).content.decode()
    box = page[page.index('id="coverage-heading"') : page.index('id="compare-with"')]
    matrix = reverse("event_coverage", args=["referendums"]) + f"?pivot={event['nato'].slug}"
    assert matrix in box
    line = re.search(r'<li id="coverage-p2">(.*?)</li>', box, re.S).group(1)
    assert "quoted by" in line and "Agence</a> (verbatim)" in line
    assert "reframed by" in line and "RT</a>" in line
    line = re.search(r'<li id="coverage-p3">(.*?)</li>', box, re.S).group(1)
    assert "omitted by" in line and "Agence" in line and "RT" in line
    line = re.search(r'<li id="coverage-p4">(.*?)</li>', box, re.S).group(1)
    assert "contradicted by" in line
    assert reverse("compare", args=[event["nato"].slug, event["rt"].slug]) + "#pair-l4-r3" in line


def test_the_statement_page_box_takes_the_same_queries_whatever_the_event_holds(
    event, client, django_assert_max_num_queries
):
    url = event["nato"].get_absolute_url()
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(5):
        extra = make_statement(paragraphs=2, events=(event["event"],))
        store_alignment(event["nato"], extra, [link(1, 1, "restates")])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("restated by") >= 1


def test_a_statement_without_an_event_has_no_coverage_box(client):
    alone = make_statement(paragraphs=2)
    assert 'id="coverage-heading"' not in client.get(alone.get_absolute_url()).content.decode()


def test_an_event_with_one_statement_says_there_is_nothing_to_read_it_against(client):
    event = Event.objects.create(name="Seul", slug="alone")
    make_statement(paragraphs=2, events=(event,))
    page = client.get(reverse("event_coverage", args=["alone"])).content.decode()
    assert "the event's only statement" in page
    assert "Coverage:" not in client.get(event.get_absolute_url()).content.decode()
