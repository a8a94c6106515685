"""A paragraph's words counted once at import, and added up as arrays afterwards."""

from __future__ import annotations

import random
import re

import numpy as np

from statements import framing, terms


def test_terms_are_stems_and_pairs_of_adjacent_stems_with_their_spellings():
    found = terms.spelled_terms(
        "Les territoires occupés, l'annexion illégale et les Territoires occupés. "
        "La sécurité euro-atlantique.",
        "fr",
    )
    assert found["territoir"] == {"territoires": 1, "Territoires": 1}
    assert found["territoir occup"] == {"territoires occupés": 1, "Territoires occupés": 1}
    assert found["euro atlant"] == {"euro-atlantique": 1}  # the joiner kept in the spelling
    assert "occup annexion" not in found  # never across a comma
    assert "illegal securit" not in found  # never across a full stop


def test_left_out_words_are_no_terms_and_break_pairs():
    found = terms.count_terms("Ainsi, mardi soir, les Alliés continuent leur soutien.", "fr")
    assert "mard" not in found and "ainsi" not in found
    assert not any(key.startswith("mard ") or key.endswith(" soir") for key in found)
    assert found["alli"] == 1


def test_a_stored_paragraph_gives_back_its_terms_spellings_and_counts():
    blob = terms.paragraph_terms("Les Alliés, les alliés et les Alliés.", "fr")
    keys, spellings, counts = terms.decode(blob)
    assert keys == ["alli"] and spellings == ["Alliés"] and counts.tolist() == [3]
    for blob in (terms.paragraph_terms("Ainsi, mardi.", "fr"), b""):
        keys, spellings, counts = terms.decode(blob)
        assert keys == spellings == [] and len(counts) == 0


def test_adding_up_paragraphs_is_the_sum_of_their_counts():
    texts = ["La guerre agressive.", "La guerre, la guerre.", "Ainsi."]
    keys, counts = terms.add_up(terms.paragraph_terms(t, "fr") for t in texts)
    assert dict(zip(keys.tolist(), counts.tolist(), strict=True)) == {
        "agress": 1,
        "guerr": 3,
        "guerr agress": 1,
    }
    empty_keys, empty_counts = terms.add_up([])
    assert len(empty_keys) == len(empty_counts) == 0


def test_spellings_of_chosen_terms_are_read_from_the_texts():
    texts = ["Les Républiques populaires votent.", "les républiques populaires, et la Russie."]
    found = terms.spellings_in(texts, "fr", ["republ populair", "russ", "absent"])
    assert found["republ populair"] == {"Républiques populaires": 1, "républiques populaires": 1}
    assert found["russ"] == {"Russie": 1}
    assert "absent" not in found


def test_framing_from_stored_terms_equals_framing_from_the_texts():
    left = ["Les territoires occupés et l'annexion illégale."] * 4 + ["La sécurité des Alliés."]
    right = ["Les territoires libérés et le rattachement."] * 4 + ["La sécurité de la Russie."]
    background = framing.Counts.from_texts([*left, *right, "Un autre texte sur la sécurité."])
    from_texts = framing.distinctive_terms(left, right, background=background, min_z=0)

    def stored(texts):
        return framing.TermCounts(*terms.add_up(terms.paragraph_terms(t, "fr") for t in texts))

    left_counts, right_counts = stored(left), stored(right)
    from_arrays = framing.distinctive(
        left_counts,
        right_counts,
        spellings=lambda keys: terms.spellings_in([*left, *right], "fr", keys),
        prior=background.prior(np.union1d(left_counts.keys, right_counts.keys)),
        min_z=0,
    )
    assert from_arrays == from_texts
    assert from_texts.left and from_texts.right


def test_a_two_megabyte_line_is_counted_in_one_pass():
    line = "sécurité territoires occupés " * 70_000  # about 2 MB, one line
    keys, spellings, counts = terms.decode(terms.paragraph_terms(line, "fr"))
    found = dict(zip(keys, counts.tolist(), strict=True))
    assert found["securit"] == found["territoir occup"] == 70_000
    # Three stems, and the three pairs they make (the line wraps round).
    assert sorted(keys) == [
        "occup",
        "occup securit",
        "securit",
        "securit territoir",
        "territoir",
        "territoir occup",
    ]


def spelled_terms_as_before(text: str, language: str) -> dict[str, dict[str, int]]:
    """The per-token loop `terms.spelled_terms` replaced (one regular expression match and
    one stem lookup per word): the reference the faster one must equal, order included."""
    word_and_joiners = re.compile(rf"([^\W_]+)({terms.JOINERS})")
    found: dict[str, dict[str, int]] = {}
    previous = ""
    previous_start = previous_end = -1
    for match in word_and_joiners.finditer(text):
        word = match.group(1)
        key = terms.content_stem(word, language)
        if not key:
            previous = ""
            continue
        spellings = found.setdefault(key, {})
        spellings[word] = spellings.get(word, 0) + 1
        if previous and match.start() == previous_end:
            pair = f"{previous} {key}"
            spelled = text[previous_start : match.end(1)]
            spellings = found.setdefault(pair, {})
            spellings[spelled] = spellings.get(spelled, 0) + 1
        previous, previous_start, previous_end = key, match.start(), match.end()
    return found


def paragraph_terms_as_before(text: str, language: str) -> bytes:
    """The former encoding of a paragraph's terms, from the former counting."""
    found = spelled_terms_as_before(text, language)
    records = "\n".join(f"{key}\x1f{terms.usual_spelling(s)}" for key, s in found.items())
    counts = np.fromiter((sum(s.values()) for s in found.values()), "<u4", len(found))
    return records.encode("utf-8") + b"\x00" + counts.tobytes()


TRICKY_TEXTS = [
    ("", "fr"),
    ("… , ; !", "fr"),
    ("Paix", "fr"),
    # Hyphens of every kind, apostrophes of every kind, and what is not a joiner.
    "La sécurité euro-atlantique, l'OTAN‐Russie, l’Ukraine‑Russie et lʼannexion—illégale.",
    # Stop words and left-out words between two stems break the pair.
    "Les territoires de la Crimée occupés ; mardi Crimée occupée, ainsi Crimée annexée.",
    # Capitals: the same pair spelled three ways, a stem that is only a pair's first word.
    "Territoires Occupés, territoires occupés, TERRITOIRES OCCUPÉS et territoires.",
    # Digits: a lone digit is no term (and breaks pairs), years and article numbers are.
    "L'article 51 de la Charte, 3 résolutions en 2022 2023 et la résolution 2202.",
    # Underscores, non-breaking and thin spaces, several spaces, new lines, a tab.
    "snake_case mot_clé sécurité\u00a0collective  défense\u202fcommune\nforces\tarmées",
    # A pair repeated, overlapping chains, a word both alone and in pairs.
    "guerre agressive guerre agressive guerre, guerre. Guerre agressive guerre",
    ("The occupied territories' annexation, however illegal, is NATO's business.", "en"),
    ("Continued support: the Allies' well-known long-term security guarantees.", "en"),
]


def test_the_faster_counting_gives_the_former_terms_in_the_same_order():
    for case in TRICKY_TEXTS:
        text, language = case if isinstance(case, tuple) else (case, "fr")
        found = terms.spelled_terms(text, language)
        expected = spelled_terms_as_before(text, language)
        assert found == expected, text
        assert list(found) == list(expected), text  # the stored records' order
        assert terms.paragraph_terms(text, language) == paragraph_terms_as_before(text, language)
    chains = terms.spelled_terms("guerre agressive guerre agressive guerre, Guerre agressive", "fr")
    assert chains["guerr agress"] == {"guerre agressive": 2, "Guerre agressive": 1}
    assert chains["agress guerr"] == {"agressive guerre": 2}


def test_the_faster_counting_stores_the_same_bytes_on_generated_texts():
    pieces = [
        *("sécurité", "Sécurité", "territoires", "occupés", "euro", "atlantique", "Crimée"),
        *("de", "la", "les", "ainsi", "mardi", "3", "2022", "l", "d", "x", "Alliés", "alliés"),
    ]
    between = [" ", " ", " ", "-", "'", "\u2019", ", ", ". ", " - ", "_", "\u00a0", "\n", "—"]
    rng = random.Random(12)
    for _ in range(400):
        words = [rng.choice(pieces) for _ in range(rng.randint(0, 30))]
        text = "".join(word + rng.choice(between) for word in words)
        found = terms.spelled_terms(text, "fr")
        expected = spelled_terms_as_before(text, "fr")
        assert found == expected and list(found) == list(expected), text
        assert terms.paragraph_terms(text, "fr") == paragraph_terms_as_before(text, "fr"), text
