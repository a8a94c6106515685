"""A paragraph's words counted once at import, and added up as arrays afterwards."""

from __future__ import annotations

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
