"""Distinctive vocabulary of each side: pure functions, no database."""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

from statements.framing import Counts, distinctive_terms

REGIONS = ["Donetsk", "Louhansk", "Kherson", "Zaporijia", "Crimée"] * 2
OFFICIAL = [
    f"Les territoires occupés de {region} restent ukrainiens. La Russie mène une guerre "
    "d'agression contre l'Ukraine, et l'annexion illégale ne sera jamais reconnue."
    for region in REGIONS
]
OFFICIAL[0] = OFFICIAL[0].replace("Les territoires", "Territoires")
STATE_MEDIA = [
    f"Les habitants de {region} ont voté pour rejoindre la Russie. L'opération militaire "
    "spéciale protège le Donbass, et la Russie garantit la sécurité des républiques populaires."
    for region in REGIONS
]


def terms(framing_side) -> list[str]:
    return [term.term for term in framing_side]


def test_over_represented_terms_are_listed_on_their_side():
    framing = distinctive_terms(OFFICIAL, STATE_MEDIA)
    assert {"guerre", "annexion illégale", "territoires occupés"} <= set(terms(framing.left))
    assert {"voté", "républiques populaires", "opération militaire"} <= set(terms(framing.right))
    assert not set(terms(framing.left)) & set(terms(framing.right))
    assert all(term.z >= 1.96 for term in (*framing.left, *framing.right))
    guerre = next(term for term in framing.left if term.key == "guerr")
    assert (guerre.left_count, guerre.right_count) == (10, 0)


def test_terms_both_sides_use_alike_are_not_distinctive():
    framing = distinctive_terms(OFFICIAL, STATE_MEDIA)
    listed = {term.key for term in (*framing.left, *framing.right)}
    assert not {"donetsk", "louhansk", "kherson"} & listed


def test_terms_read_in_their_most_frequent_spelling_and_list_every_spelling():
    framing = distinctive_terms(OFFICIAL, STATE_MEDIA)
    occupied = next(term for term in framing.left if term.key == "territoir occup")
    assert occupied.term == "territoires occupés"
    assert occupied.surfaces == ("territoires occupés", "Territoires occupés")


def test_on_a_tie_the_lower_case_spelling_is_shown():
    framing = distinctive_terms(
        ["Frappes massives sur Kiev.", "Puis des frappes sur Odessa."],
        ["Le vote a eu lieu dans le calme."],
        min_z=0,
    )
    strikes = next(term for term in framing.left if term.key == "frapp")
    assert strikes.term == "frappes" and strikes.surfaces == ("frappes", "Frappes")


def test_a_word_always_inside_a_listed_bigram_is_not_listed_again():
    framing = distinctive_terms(OFFICIAL, STATE_MEDIA)
    assert "occupés" not in terms(framing.left) and "territoires" not in terms(framing.left)
    assert "guerre" in terms(framing.left)  # not part of any bigram: "guerre d'agression"


def test_bigrams_join_adjacent_content_words_only():
    counts = Counts.from_texts(
        ["La guerre d'agression, la sécurité euro-atlantique. Kiev insiste : paix durable."]
    )
    assert set(counts.bigrams) == {"securit euro", "euro atlant", "kiev insist", "paix durabl"}
    assert counts.unigrams["guerr"] == 1 and counts.unigrams["agress"] == 1


def test_background_prior_tempers_terms_common_across_the_corpus():
    corpus = Counts.from_texts([*OFFICIAL, *STATE_MEDIA, *["La guerre continue."] * 200])

    def z_of(framing, key):
        return next(term.z for term in framing.left if term.key == key)

    alone = distinctive_terms(OFFICIAL, STATE_MEDIA, min_z=0)
    tempered = distinctive_terms(OFFICIAL, STATE_MEDIA, background=corpus, min_z=0)
    # Both occur 10 times on the left and never on the right.
    assert z_of(alone, "guerr") == z_of(alone, "ukrain")
    assert z_of(tempered, "guerr") < z_of(tempered, "ukrain")
    assert z_of(tempered, "guerr") < z_of(alone, "guerr")


def test_limit_and_min_z_bound_the_lists():
    assert len(distinctive_terms(OFFICIAL, STATE_MEDIA, limit=2).left) == 2
    strict = distinctive_terms(OFFICIAL, STATE_MEDIA, min_z=10)
    assert strict.left == () and strict.right == ()


def test_a_handful_of_occurrences_is_not_significant():
    framing = distinctive_terms(
        ["Les référendums sont illégaux.", "Les référendums sont illégaux."],
        ["Le vote a eu lieu dans le calme.", "Le vote a eu lieu dans le calme."],
    )
    assert framing.left == () and framing.right == ()


def test_framing_json_has_term_and_positive_z():
    document = json.loads(json.dumps(distinctive_terms(OFFICIAL, STATE_MEDIA).to_dict()))
    assert set(document) == {"left", "right"}
    for side in ("left", "right"):
        assert document[side]
        assert all(set(item) == {"term", "z"} and item["z"] > 0 for item in document[side])


def test_counts_are_picklable_and_empty_sides_give_no_terms():
    counts = Counts.from_texts(OFFICIAL)
    assert pickle.loads(pickle.dumps(counts)) == counts
    assert distinctive_terms([], STATE_MEDIA) == distinctive_terms(OFFICIAL, [])
    assert distinctive_terms([], STATE_MEDIA).left == ()


def test_seed_surfaces_appear_verbatim_in_the_texts():
    seeds = Path(__file__).resolve().parent / "data" / "engine"

    def paragraphs(number: str) -> list[str]:
        (path,) = seeds.glob(f"{number}_*.txt")
        return [b.strip() for b in re.split(r"\n\s*\n", path.read_text("utf-8")) if b.strip()]

    left, right = paragraphs("002"), paragraphs("004")
    framing = distinctive_terms(left, right, min_z=1.0)
    assert framing.left and framing.right
    for side, texts in ((framing.left, left), (framing.right, right)):
        for term in side:
            # Spellings come from both sides (a term is highlighted in both texts).
            assert all(any(s in text for text in left + right) for s in term.surfaces)
            assert any(s in text for text in texts for s in term.surfaces)
            assert term.term == term.surfaces[0]


def test_tiny_identical_statements_give_no_terms_and_no_error():
    found = distinctive_terms(["Ukraine"], ["Ukraine"], min_z=0.0)
    assert found.left == () and found.right == ()
    found = distinctive_terms(["Ukraine"], ["Russie"], min_z=0.0)
    assert found.to_dict() == {"left": [], "right": []}  # one word is no evidence
