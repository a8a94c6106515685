"""Search over paragraphs. The same tests run on SQLite (FTS5) and on PostgreSQL (tsvector)
when DATABASE_URL points at one: what a reader finds must not depend on the database."""

from __future__ import annotations

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection

from statements import search
from statements.importing import ParsedParagraph
from statements.models import Annotation, Event, Paragraph, Source, Statement
from statements.services import imports
from statements.templatetags.search import snippet_html

from .conftest import make_source, make_statement

pytestmark = pytest.mark.django_db


def indexed(**fields) -> Statement:
    """A statement stored directly (as make_statement does), then indexed as imports are."""
    statement = make_statement(**fields)
    search.index_statement(statement)
    return statement


def found(query: str, **filters) -> dict[str, list[int]]:
    """{statement slug: [positions of the paragraphs found]} for `query`."""
    results = search.search_paragraphs(query, filters=search.SearchFilters(**filters))
    return {
        group.statement.slug: [hit.paragraph.position for hit in group.hits]
        for group in results.groups
    }


@pytest.fixture
def corpus(db):
    nato = make_source("NATO", kind=Source.Kind.OFFICIAL)
    rt = make_source("RT", kind=Source.Kind.STATE_MEDIA)
    event = Event.objects.create(name="Référendums", slug="referendums")
    return {
        "nato": indexed(
            source=nato,
            published_on=datetime.date(2022, 9, 22),
            events=(event,),
            paragraphs=[
                "Les Alliés condamnent les faux référendums tenus dans les territoires occupés.",
                "Nous réaffirmons notre soutien indéfectible à l'Ukraine face à la Russie.",
                "L'OTAN ne reconnaîtra jamais l'annexion illégale.",
            ],
        ),
        "rt": indexed(
            source=rt,
            published_on=datetime.date(2022, 9, 30),
            events=(event,),
            paragraphs=[
                "Le référendum dans les territoires libérés s'est tenu sans incident.",
                "Un soutien indéfectible à Kiev, affirment les allies occidentaux.",
                "L'opération militaire spéciale se poursuit, selon Moscou.",
            ],
        ),
        "old": indexed(
            source=nato,
            published_on=datetime.date(2014, 3, 18),
            paragraphs=["Les Alliés condamnent le référendum illégal en Crimée."],
        ),
        "english": indexed(
            source=nato,
            language="en",
            published_on=datetime.date(2022, 9, 23),
            paragraphs=["Allies will never recognise these sham referendums."],
        ),
    }


def test_a_word_finds_its_other_forms(corpus):
    results = found("référendum")
    assert results[corpus["nato"].slug] == [1]
    assert results[corpus["rt"].slug] == [1]
    assert results[corpus["old"].slug] == [1]
    assert found("référendums").keys() >= {corpus["nato"].slug, corpus["rt"].slug}


def test_accents_are_optional_both_ways(corpus):
    with_accents = found("alliés")
    without = found("allies")
    assert with_accents == without
    assert with_accents[corpus["rt"].slug] == [2]  # "allies", written without accent
    assert with_accents[corpus["nato"].slug] == [1]
    assert found("REFERENDUMS") == found("référendums")


def test_english_statements_are_stemmed_as_english(corpus):
    assert found("referendum")[corpus["english"].slug] == [1]
    assert found("recognised")[corpus["english"].slug] == [1]
    assert corpus["english"].slug in found("recognising")


def test_a_phrase_needs_its_words_together_and_in_order(corpus):
    assert found('"territoires occupés"') == {corpus["nato"].slug: [1]}
    assert found('"territoires libérés"') == {corpus["rt"].slug: [1]}
    assert found('"occupés territoires"') == {}
    # Stop words inside a phrase are fine: "opération militaire spéciale" as typed.
    assert found('"l\'opération militaire spéciale"') == {corpus["rt"].slug: [3]}


def test_an_excluded_word_removes_the_paragraphs_that_have_it(corpus):
    assert found('"soutien indéfectible"') == {corpus["nato"].slug: [2], corpus["rt"].slug: [2]}
    assert found('"soutien indéfectible" -Russie') == {corpus["rt"].slug: [2]}
    assert found('"soutien indéfectible" Ukraine -Russie') == {}
    assert found('soutien -"soutien indéfectible"') == {}


def test_or_finds_either_word(corpus):
    assert found("Crimée OR Moscou") == {corpus["old"].slug: [1], corpus["rt"].slug: [3]}


def test_filters_narrow_by_source_kind_event_language_and_dates(corpus):
    nato = corpus["nato"].source
    # "referendums" in the English statement is stemmed to the same word: it is found too.
    assert set(found("référendum", source=nato)) == {
        corpus["nato"].slug,
        corpus["old"].slug,
        corpus["english"].slug,
    }
    assert set(found("référendum", source_kind="state_media")) == {corpus["rt"].slug}
    event = Event.objects.get(slug="referendums")
    assert set(found("référendum", event=event)) == {corpus["nato"].slug, corpus["rt"].slug}
    assert set(found("referendum", language="en")) == {corpus["english"].slug}
    assert set(found("référendum", date_from=datetime.date(2022, 1, 1))) == {
        corpus["nato"].slug,
        corpus["rt"].slug,
        corpus["english"].slug,
    }
    assert set(found("référendum", date_to=datetime.date(2015, 1, 1))) == {corpus["old"].slug}


def test_boilerplate_is_left_out_unless_asked_for(db):
    statement = indexed(paragraphs=["Déclaration sur la sécurité.", "Lire la suite sur Zvezda."])
    Paragraph.objects.filter(statement=statement, position=2).update(kind="boilerplate")
    assert found("Zvezda") == {}
    assert found("Zvezda", include_boilerplate=True) == {statement.slug: [2]}


def test_results_are_grouped_by_statement_best_first_hits_in_reading_order(db):
    strong = indexed(
        paragraphs=[
            "Annexion, annexion et encore annexion.",
            "Rien à voir.",
            "Une annexion de plus.",
        ]
    )
    weak = indexed(
        paragraphs=["Un long paragraphe où l'annexion ne vient qu'une fois, " + "puis rien. " * 20]
    )
    results = search.search_paragraphs("annexion")
    assert [group.statement for group in results.groups] == [strong, weak]
    assert [hit.paragraph.position for hit in results.groups[0].hits] == [1, 3]
    assert results.hit_count == 3 and results.statement_count == 2
    assert results.groups[0].hits[0].url == f"/statements/{strong.slug}/#p1"


def test_the_limit_keeps_the_best_and_says_there_are_more(db):
    for _ in range(3):
        indexed(paragraphs=["Sanctions économiques contre Moscou."] * 4)
    results = search.search_paragraphs("sanctions", limit=5)
    assert results.hit_count == 5
    assert results.more


def test_snippets_mark_the_matches_and_escape_everything_else(db):
    indexed(
        paragraphs=['<script>alert("x")</script> Les référendums & "annexions" <b>illégaux</b>']
    )
    hit = search.search_paragraphs("référendum").groups[0].hits[0]
    html = str(snippet_html(hit.snippet))
    assert "<mark>référendums</mark>" in html
    assert "<script>" not in html and "<b>" not in html
    assert "&amp;" in html


def test_a_long_paragraph_gets_a_window_around_the_match(db):
    words = " ".join(f"mot{i}" for i in range(200))
    indexed(paragraphs=[f"{words} Zaporijia {words}"])
    html = str(snippet_html(search.search_paragraphs("Zaporijia").groups[0].hits[0].snippet))
    assert "<mark>Zaporijia</mark>" in html
    assert len(html) < 800
    assert html.startswith("… ") and html.endswith(" …")


def test_snippet_markers_in_the_text_never_make_markup():
    assert str(snippet_html(search.headline_pieces("a \x02b\x03 \x02c <i> \x03\x03d"))) == (
        "a <mark>b</mark> <mark>c &lt;i&gt; </mark>d"
    )
    assert str(snippet_html(search.headline_pieces("\x03x\x02"))) == "x"


@pytest.mark.parametrize(
    "query",
    [
        '"soutien indéfectible',  # unbalanced quote
        '"',
        "le la les de",  # only stop words
        "-Russie",  # only an exclusion
        "NEAR(Russie, 3)",
        "*",
        "Russ*",
        "AND OR NOT",
        "OR",
        ") ( ] [ { } : ^ ~",
        "'; DROP TABLE statements_paragraph; --",
        "référendum\x00",
        "💥 " * 50,
        "x" * 2000,
        "".join(chr(33 + (i * 7919) % 5000) for i in range(2000)),  # 2,000 chars of junk
        " ".join(f"mot{i}" for i in range(500)),
    ],
)
def test_bad_queries_give_an_empty_result_or_a_message_never_an_error(client, corpus, query):
    results = search.search_paragraphs(query)
    assert results.groups == [] or results.hit_count > 0
    response = client.get("/search/", {"q": query})
    if "\x00" in query:  # refused before any view (statements/middleware.RefuseNulBytes)
        assert response.status_code == 400
        assert "holds a NUL character" in response.content.decode()
    else:
        assert response.status_code == 200


def test_a_query_of_only_common_words_says_so(client, corpus):
    results = search.search_paragraphs("le la les de")
    assert results.groups == [] and "very common words" in results.message
    page = client.get("/search/", {"q": "-Russie"}).content.decode()
    assert "very common words and exclusions alone find nothing" in page


def test_a_very_long_query_uses_its_first_terms_and_says_so(corpus):
    results = search.search_paragraphs("référendum " + " ".join(f"m{i}" for i in range(40)))
    assert results.message == search.TRUNCATED


def test_user_input_never_reaches_the_index_unquoted():
    parsed = search.parse_query('"soutien indéfectible" Ukraine -Russie NEAR( a* OR "Crimée')
    plan = parsed.plan("fr")
    assert plan.fts5() == (
        '{fr} : ((("soutien indefectibl" AND "ukrain" AND "near") NOT "russ") OR (("crime")))'
    )
    assert plan.websearch() == '"soutien indefectible" "ukraine" -"russie" "near" or "crimee"'
    assert plan.stems() == {"soutien", "indefectibl", "ukrain", "near", "crime"}


def test_parse_query_reads_phrases_exclusions_and_alternatives():
    parsed = search.parse_query("« guerre d'agression » -OTAN l'annexion OR Crimée")
    assert parsed.groups == (
        (
            search.Clause(("guerre", "d", "agression")),
            search.Clause(("otan",), negated=True),
            search.Clause(("l", "annexion")),
        ),
        (search.Clause(("crimee",)),),
    )
    assert not parsed.truncated
    assert search.parse_query("").plans() == []
    assert search.parse_query("le la").plans() == []


def test_search_page_without_javascript_and_its_htmx_partial(client, corpus):
    full = client.get("/search/", {"q": "référendum", "kind": "official"})
    page = full.content.decode()
    assert full.status_code == 200
    assert "<html" in page and 'action="/search/"' in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'hx-push-url="true"' in page
    assert 'value="référendum"' in page
    assert f'href="/statements/{corpus["nato"].slug}/#p1"' in page
    assert corpus["rt"].slug not in page  # not official
    assert "<mark>référendums</mark>" in page

    partial = client.get(
        "/search/", {"q": "référendum", "kind": "official"}, headers={"HX-Request": "true"}
    )
    body = partial.content.decode()
    assert "<html" not in body and "<form" not in body
    assert body.strip().startswith('<section id="results"')
    assert f'href="/statements/{corpus["nato"].slug}/#p1"' in body
    assert "3 paragraphs in 3 statements" in body


def test_htmx_restoring_a_page_from_history_gets_the_whole_page(client, corpus):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client.get("/search/", {"q": "référendum"}, headers=headers)
    assert "<html" in response.content.decode()
    # Browsers must not serve the partial from their cache for the page's own URL.
    assert "HX-Request" in response["Vary"]


def test_search_page_with_nothing_typed_offers_examples(client, db):
    page = client.get("/search/").content.decode()
    assert "Search every paragraph" in page
    assert "/search/?q=" in page


def test_search_page_rejects_unknown_filters_with_a_message(client, corpus):
    for params in (
        {"q": "référendum", "source": "nobody"},
        {"q": "référendum", "date_from": "banana"},
        {"q": "référendum", "kind": "tabloid"},
        {"q": "référendum", "date_from": "2023-01-01", "date_to": "2022-01-01"},
    ):
        response = client.get("/search/", params)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Those filters are not valid" in page
        assert "<mark>" not in page


def test_the_nav_links_to_search(client, db):
    assert 'href="/search/">Search</a>' in client.get("/").content.decode()


def test_search_page_queries_are_bounded(client, corpus, django_assert_max_num_queries):
    event = Event.objects.get(slug="referendums")
    params = {
        "q": '"soutien indéfectible" OR référendum -Crimée',
        "source": corpus["nato"].source.slug,
        "kind": "official",
        "event": event.slug,
        "language": "fr",
        "date_from": "2022-01-01",
        "date_to": "2022-12-31",
    }
    with django_assert_max_num_queries(10):
        response = client.get("/search/", params)
    assert response.status_code == 200
    assert f'href="/statements/{corpus["nato"].slug}/#p1"' in response.content.decode()


def test_private_annotations_are_never_searched(client, corpus):
    author = get_user_model().objects.create_user("reader", password="x" * 12)
    paragraph = corpus["nato"].paragraphs.get(position=1)
    Annotation.objects.create(
        author=author, paragraph=paragraph, body="Note privée: zygomorphe", visibility="private"
    )
    Annotation.objects.create(
        author=author, paragraph=paragraph, body="Note publique: xylophage", visibility="public"
    )
    search.reindex()
    client.force_login(author)
    for word in ("zygomorphe", "xylophage"):
        assert found(word) == {}
        page = client.get("/search/", {"q": word}, headers={"HX-Request": "true"}).content.decode()
        assert "No paragraph matches" in page and "<mark>" not in page
        assert "Note p" not in page


def test_importing_a_statement_indexes_it_and_deleting_it_unindexes_it(seeded):
    assert found('"territoires occupés"') == {seeded["000"].slug: [1, 2]}
    assert seeded["003"].slug in found('"territoires libérés"')
    seeded["000"].delete()
    assert found('"territoires occupés"') == {}
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")
            assert cursor.fetchone()[0] == Paragraph.objects.count()


def stored_index() -> list[tuple]:
    """Every paragraph's index entry as the database holds it, by paragraph id."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT id, {search.PG_COLUMN}::text FROM statements_paragraph ORDER BY id"
            )
        else:
            cursor.execute(f"SELECT rowid, * FROM {search.FTS_TABLE} ORDER BY rowid")
        return cursor.fetchall()


MIXED = """source: NATO
language: fr
---
Déclaration des Alliés sur les référendums

Les Alliés condamnent fermement les faux référendums tenus dans les territoires occupés.

The Allies will never recognise these sham referendums held in the occupied territories.
"""


def test_the_index_written_at_import_is_the_one_reindex_builds(db):
    """Importing writes each paragraph's search entry with the paragraph (in its own
    language, else its statement's); rebuilding the index changes nothing."""
    french = imports.import_file(MIXED, "mixed.txt").statement
    english = imports.import_file(
        "source: NATO\nlanguage: en\n---\nStatement on the referendums\n\n"
        "The Allies condemn the referendums held by Russia in the occupied territories.",
        "en.txt",
    ).statement
    assert list(french.paragraphs.values_list("language", flat=True)) == ["", "", "en"]
    written = stored_index()
    assert len(written) == Paragraph.objects.count() == 5
    search.reindex()
    assert stored_index() == written
    # English stems for the English paragraph of a French statement: recognise(d).
    assert found("recognised") == {french.slug: [3]}
    assert found("territoire") == {french.slug: [2]}  # French stems: territoir(es)
    assert found("condemned") == {english.slug: [2]}


def test_inserted_paragraphs_come_back_as_the_ids_of_their_rows_in_order(db):
    statement = make_statement(paragraphs=[])
    rows = [ParsedParagraph(f"Texte numéro {n}.", "body", f"{n}.") for n in range(1, 121)]
    ids = search.insert_paragraphs(statement, rows)
    stored = {p.pk: (p.position, p.text, p.number) for p in statement.paragraphs.all()}
    assert [stored[pk] for pk in ids] == [(n, f"Texte numéro {n}.", f"{n}.") for n in range(1, 121)]
    assert found("numéro")[statement.slug][:3] == [1, 2, 3]


def test_reindex_command_rebuilds_the_index_of_existing_statements(db):
    statement = make_statement(paragraphs=["Un texte sur Marioupol."])  # stored, not indexed
    assert found("Marioupol") == {}
    out = io.StringIO()
    call_command("reindex_search", stdout=out)
    assert found("Marioupol") == {statement.slug: [1]}
    assert "Indexed 1 paragraph" in out.getvalue()


def test_indexing_a_statement_is_a_fixed_number_of_queries(db, django_assert_max_num_queries):
    statement = make_statement(paragraphs=200)
    with django_assert_max_num_queries(4):
        assert search.index_statement(statement) == 200
    assert len(found("euro-atlantique")[statement.slug]) == search.DEFAULT_LIMIT


@pytest.mark.django_db
def test_a_paragraph_edited_in_the_admin_is_found_by_its_new_words(client, seeded):
    admin = get_user_model().objects.create_superuser("root", password="pass-phrase-root-1")
    client.force_login(admin)
    paragraph = seeded["001"].paragraphs.filter(kind="body").first()
    response = client.post(
        f"/admin/statements/paragraph/{paragraph.pk}/change/",
        {
            "statement": paragraph.statement_id,
            "position": paragraph.position,
            "text": "Un mot introuvable: zanzibarique.",
            "kind": "body",
            "number": "",
            "language": "",
        },
    )
    assert response.status_code == 302
    hits = search.search_paragraphs("zanzibarique")
    assert [hit.paragraph.pk for group in hits.groups for hit in group.hits] == [paragraph.pk]


@pytest.mark.django_db
def test_no_match_without_filters_does_not_mention_filters(client, seeded):
    page = client.get("/search/", {"q": "zzzyxwv"}).content.decode()
    assert "No paragraph matches" in page
    assert "with these filters" not in page
