"""A statement at the paragraph cap (5,000) and a 2 MB original text: every page that shows
it stays bounded (finding 5 of issue 11). Before, 200,000 one-word paragraphs imported and
then the statement page, its admin delete and preview, and on SQLite the statement list, the
source page and the admin list (grouped by `original_text`) all took over 30 s."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements.models import Paragraph, Statement
from statements.paging import PARAGRAPHS_PER_PAGE

from .conftest import make_statement

pytestmark = pytest.mark.django_db

CAP = 5000


@pytest.fixture
def huge() -> Statement:
    statement = make_statement(
        title="Déclaration sans fin", paragraphs=[f"Mot{n}." for n in range(1, CAP + 1)]
    )
    # The original text as large as an import may be: lists must not load or group by it.
    Statement.objects.filter(pk=statement.pk).update(original_text="x" * (2 * 1024 * 1024))
    Paragraph.objects.filter(statement=statement, position__in=[7, 4321]).update(
        kind=Paragraph.Kind.BOILERPLATE
    )
    return statement


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password=None))
    return client


def test_a_statement_at_the_cap_is_shown_a_page_of_paragraphs_at_a_time(
    client, huge, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = client.get(huge.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="p1"' in page and f'id="p{PARAGRAPHS_PER_PAGE}"' in page
    assert f'id="p{PARAGRAPHS_PER_PAGE + 1}"' not in page
    assert "Paragraphs 1–500 (page 1 of 10)" in page
    assert 'rel="next" href="?page=2"' in page
    assert "2 paragraphs of site boilerplate;" in page  # the whole statement's, folded


def test_each_page_shows_its_paragraphs_and_bad_pages_fall_back(client, huge):
    third = client.get(f"{huge.get_absolute_url()}?page=3").content.decode()
    assert 'id="p1001"' in third and 'id="p1500"' in third and 'id="p1000"' not in third
    assert 'rel="prev" href="?page=2"' in third and '<span aria-current="page">3</span>' in third
    last = client.get(f"{huge.get_absolute_url()}?page=999").content.decode()
    assert 'id="p5000"' in last and "Paragraphs 4501–end (page 10 of 10)" in last
    for wanted in ("abc", "0", "-3", "9" * 5000):
        first = client.get(huge.get_absolute_url(), {"page": wanted})
        assert first.status_code == 200 and 'id="p1"' in first.content.decode()


def test_a_paragraphs_url_carries_its_page(client, huge):
    paragraph = huge.paragraphs.get(position=4321)
    url = paragraph.get_absolute_url()
    assert url == f"/statements/{huge.slug}/?page=9#p4321"
    assert 'id="p4321"' in client.get(url.split("#")[0]).content.decode()
    assert huge.paragraphs.get(position=12).get_absolute_url() == f"/statements/{huge.slug}/#p12"


def test_a_declaration_of_a_few_hundred_paragraphs_is_one_page(client):
    statement = make_statement(paragraphs=300)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert 'id="p300"' in page and "paragraph-pages" not in page


def grouped_by_outer_table(queries, table: str) -> list[str]:
    """Queries grouped by a column of `table` itself (a subquery's own GROUP BY is fine)."""
    return [q["sql"] for q in queries.captured_queries if f'GROUP BY "{table}".' in q["sql"]]


@pytest.mark.parametrize(
    "url", ["/statements/", "/sources/{source}/", "/admin/statements/statement/"]
)
def test_lists_count_paragraphs_without_grouping_by_the_texts(admin_client, huge, url):
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(url.format(source=huge.source.slug))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Déclaration sans fin" in page and "5000" in page
    assert grouped_by_outer_table(queries, "statements_statement") == []
    selected = " ".join(q["sql"].split(" FROM ")[0] for q in queries.captured_queries)
    assert '"statements_statement"."original_text"' not in selected  # 2 MB a row, unread


def test_the_admin_lists_of_sources_and_events_count_without_grouping(admin_client, huge):
    for url, table in (
        ("/admin/statements/source/", "statements_source"),
        ("/admin/statements/event/", "statements_event"),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        assert grouped_by_outer_table(queries, table) == []


def test_the_admin_confirms_deleting_a_statement_at_the_cap_by_counts(
    admin_client, huge, django_assert_max_num_queries
):
    url = f"/admin/statements/statement/{huge.pk}/delete/"
    with django_assert_max_num_queries(30):
        response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Paragraphs: 5,000" in page and "Statement: Déclaration sans fin" in page
    assert page.count("<li>") < 50  # not one item per paragraph
    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Statement.objects.filter(pk=huge.pk).exists()
    assert not Paragraph.objects.filter(statement_id=huge.pk).exists()


def test_the_admin_change_page_of_a_statement_at_the_cap_lists_no_paragraph_inline(
    admin_client, huge
):
    response = admin_client.get(f"/admin/statements/statement/{huge.pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Déclaration sans fin" in page and "paragraphs-0-text" not in page
    small = make_statement(paragraphs=3)
    page = admin_client.get(f"/admin/statements/statement/{small.pk}/change/").content.decode()
    assert "paragraphs-0-text" in page


def test_the_admin_previews_and_imports_a_text_at_the_cap(admin_client):
    text = "Titre du texte\n\n" + "".join(f"Paragraphe numéro {n}.\n\n" for n in range(CAP - 1))
    upload = SimpleUploadedFile("long.txt", text.encode(), content_type="text/plain")
    response = admin_client.post(
        "/admin/statements/statement/import/",
        {"files": [upload]},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Paragraphe numéro 4998." in page
    over = SimpleUploadedFile("over.txt", (text + "Un de trop.").encode())
    refused = admin_client.post("/admin/statements/statement/import/", {"files": [over]})
    assert refused.status_code in (200, 400)
    assert "has 5,001 paragraphs: at most 5,000 can be imported" in refused.content.decode()


def test_the_command_refuses_a_text_over_the_cap_and_imports_one_at_it(tmp_path):
    from django.core.management import CommandError, call_command

    text = "Titre\n\n" + "Mot.\n\n" * (CAP - 1)
    (tmp_path / "at.txt").write_text(text, encoding="utf-8")
    (tmp_path / "over.txt").write_text(text + "Encore.\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_statements", str(tmp_path), "--source", "S", stdout=out, stderr=out)
    assert "over.txt" in out.getvalue() and "has 5,001 paragraphs" in out.getvalue()
    assert Statement.objects.get().paragraphs.count() == CAP
