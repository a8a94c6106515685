"""The framing lexicon (fixtures/framing_lexicon.json): its shape, read as plain JSON."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from statements.text import LANGUAGES, fold, normalise

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def lexicon() -> dict:
    return json.loads((FIXTURES / "framing_lexicon.json").read_text(encoding="utf-8"))


def sides_allowed(lexicon: dict) -> set[str]:
    return {*lexicon["sides"], "any"}


def concept_of(lexicon: dict, language: str, text: str) -> dict:
    (concept,) = [
        concept
        for concept in lexicon["concepts"]
        if any((t["language"], t["text"]) == (language, text) for t in concept["terms"])
    ]
    return concept


def side_of(concept: dict, language: str, text: str) -> str:
    (side,) = [
        t["side"] for t in concept["terms"] if (t["language"], t["text"]) == (language, text)
    ]
    return side


def test_the_lexicon_says_what_it_is_and_declares_two_sides(lexicon):
    assert len(lexicon["about"]) > 200
    assert "admin" in lexicon["about"]
    assert set(lexicon["sides"]) == {"western", "russian"}
    assert all(description.strip() for description in lexicon["sides"].values())


def test_every_term_has_a_language_a_text_and_a_declared_side(lexicon):
    for concept in lexicon["concepts"]:
        assert concept["concept"].strip()
        assert concept["terms"], concept["concept"]
        for term in concept["terms"]:
            assert set(term) == {"language", "text", "side"}, term
            assert term["language"] in LANGUAGES, term
            assert term["text"].strip() == term["text"] != "", term
            assert term["side"] in sides_allowed(lexicon), term


def test_every_concept_sets_terms_of_two_sides_against_each_other(lexicon):
    for concept in lexicon["concepts"]:
        sides = {term["side"] for term in concept["terms"]} - {"any"}
        assert len(sides) >= 2, concept["concept"]


def test_every_concept_has_terms_in_french_and_in_english(lexicon):
    for concept in lexicon["concepts"]:
        assert {term["language"] for term in concept["terms"]} == set(LANGUAGES), concept["concept"]


def test_no_concept_lists_a_term_twice_in_one_language(lexicon):
    for concept in lexicon["concepts"]:
        # Compared as the engine reads text: straight quotes, spacing and case aside.
        keys = Counter(
            (term["language"], fold(normalise(term["text"]))) for term in concept["terms"]
        )
        assert [key for key, count in keys.items() if count > 1] == [], concept["concept"]


def test_every_qualifier_has_a_language_a_side_and_a_declared_kind(lexicon):
    assert set(lexicon["kinds"]) >= {"delegitimising", "distancing"}
    for qualifier in lexicon["qualifiers"]:
        assert set(qualifier) == {"language", "text", "side", "kind"}, qualifier
        assert qualifier["language"] in LANGUAGES, qualifier
        assert qualifier["text"].strip() == qualifier["text"] != "", qualifier
        assert qualifier["side"] in sides_allowed(lexicon), qualifier
        assert qualifier["kind"] in lexicon["kinds"], qualifier
    keys = Counter((q["language"], fold(q["text"])) for q in lexicon["qualifiers"])
    assert [key for key, count in keys.items() if count > 1] == []


def test_the_lexicon_covers_the_conflict_in_both_languages(lexicon):
    assert len(lexicon["concepts"]) >= 40
    assert len(lexicon["qualifiers"]) >= 40
    by_language = Counter(q["language"] for q in lexicon["qualifiers"])
    assert by_language["fr"] >= 20 and by_language["en"] >= 20


def test_swapped_terms_of_one_claim_fall_under_one_concept_on_opposite_sides(lexicon):
    for language, western, russian in [
        ("fr", "annexion illégale", "rattachement"),
        ("fr", "faux référendums", "référendums"),
        ("fr", "territoires occupés", "territoires libérés"),
        ("fr", "guerre d'agression", "opération militaire spéciale"),
        ("fr", "révolution de la Dignité", "coup d'État"),
        ("fr", "Louhansk", "Lougansk"),
        ("en", "Kyiv", "Kiev"),
        ("en", "Ukrainian government", "Kiev regime"),
    ]:
        concept = concept_of(lexicon, language, western)
        assert concept is concept_of(lexicon, language, russian)
        assert side_of(concept, language, western) == "western"
        assert side_of(concept, language, russian) == "russian"


def test_dropped_qualifiers_are_listed_in_each_of_their_forms(lexicon):
    listed = {(q["language"], q["text"]): q for q in lexicon["qualifiers"]}
    for form in ("illégal", "illégale", "illégaux", "illégales", "faux", "fausse", "fictifs"):
        assert listed["fr", form]["kind"] == "delegitimising"
    for language, form in [("fr", "soi-disant"), ("fr", "prétendus"), ("en", "so-called")]:
        assert listed[language, form]["kind"] == "distancing"
        assert listed[language, form]["side"] == "any"
