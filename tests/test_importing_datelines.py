"""A dateline written right under (or above) the title, on the next line or after a blank
line: a paragraph of its own that gives the date, never the end of the title."""

from __future__ import annotations

import datetime

import pytest

from statements.importing import (
    NO_DATE_WARNING,
    NO_TITLE_WARNING,
    ParsedStatement,
    parse_statement,
)
from statements.services.imports import Corrections, apply_corrections

TITLE_FR = "L'OTAN réagit aux référendums organisés aujourd'hui dans les territoires occupés"
BODY_FR = (
    "Les Alliés ne reconnaîtront jamais ces prétendus référendums organisés par la Russie "
    "dans les régions occupées de l'Ukraine."
)
TITLE_EN = "NATO responds to the sham referendums held today in the occupied territories"
BODY_EN = (
    "Allies will never recognise these so-called referendums held by Russia in the occupied "
    "regions of Ukraine."
)

# Every format the README's import section lists, and the seeds' other datelines.
DATELINES = [
    ("2022-09-30", datetime.date(2022, 9, 30), "day"),
    ("date 2022-09", datetime.date(2022, 9, 1), "month"),
    ("Publié le 30.9.2022", datetime.date(2022, 9, 30), "day"),
    ("24 mars 2022", datetime.date(2022, 3, 24), "day"),
    ("March 24, 2022", datetime.date(2022, 3, 24), "day"),
    ("• 28 Feb. 2022 -", datetime.date(2022, 2, 28), "day"),
    ("Mis à jour le: 28 Feb. 2022 21:24", datetime.date(2022, 2, 28), "day"),
]


def kinds_and_texts(statement: ParsedStatement) -> list[tuple[str, str]]:
    return [(paragraph.kind, paragraph.text) for paragraph in statement.paragraphs]


@pytest.mark.parametrize("filename", ["pasted.txt", "pasted.md"])
@pytest.mark.parametrize("between", ["\n", "\n\n"], ids=["next-line", "blank-line"])
@pytest.mark.parametrize(("dateline", "date", "precision"), DATELINES)
def test_a_dateline_under_the_title_is_its_own_paragraph_and_gives_the_date(
    dateline, date, precision, between, filename
):
    statement = parse_statement(f"{TITLE_FR}{between}{dateline}\n\n{BODY_FR}\n", filename)
    assert statement.title == TITLE_FR
    assert (statement.published_on, statement.date_precision) == (date, precision)
    assert NO_DATE_WARNING not in statement.warnings
    assert kinds_and_texts(statement) == [
        ("title", TITLE_FR),
        ("dateline", dateline),
        ("body", BODY_FR),
    ]


def test_an_english_title_with_its_date_on_the_next_line():
    statement = parse_statement(f"{TITLE_EN}\nMarch 24, 2022\n\n{BODY_EN}\n", "pasted.txt")
    assert statement.title == TITLE_EN
    assert statement.published_on == datetime.date(2022, 3, 24)
    assert statement.language == "en"
    assert [kind for kind, _ in kinds_and_texts(statement)] == ["title", "dateline", "body"]


def test_a_short_title_with_its_date_on_the_next_line_is_not_taken_for_a_dateline():
    # Joined, "L'OTAN condamne les référendums Publié le 30.9.2022" reads as a dateline
    # (a few words, then a date): the body's first sentence became the title.
    statement = parse_statement(
        f"L'OTAN condamne les référendums\nPublié le 30.9.2022\n\n{BODY_FR}", "pasted.txt"
    )
    assert statement.title == "L'OTAN condamne les référendums"
    assert kinds_and_texts(statement) == [
        ("title", "L'OTAN condamne les référendums"),
        ("dateline", "Publié le 30.9.2022"),
        ("body", BODY_FR),
    ]


def test_a_title_wrapped_over_two_lines_keeps_both_and_loses_its_dateline():
    text = f"L'OTAN réagit aux référendums\norganisés aujourd'hui\nPublié le 30.9.2022\n{BODY_FR}"
    statement = parse_statement(text, "pasted.txt")
    assert statement.title == "L'OTAN réagit aux référendums organisés aujourd'hui"
    assert statement.published_on == datetime.date(2022, 9, 30)
    # The body written on the line after the dateline is its own paragraph too.
    assert kinds_and_texts(statement) == [
        ("title", "L'OTAN réagit aux référendums organisés aujourd'hui"),
        ("dateline", "Publié le 30.9.2022"),
        ("body", BODY_FR),
    ]


def test_a_dateline_above_the_title_in_the_same_block_is_set_apart_too():
    statement = parse_statement(f"Publié le 30.9.2022\n{TITLE_FR}\n\n{BODY_FR}", "pasted.txt")
    assert statement.title == TITLE_FR
    assert statement.published_on == datetime.date(2022, 9, 30)
    assert kinds_and_texts(statement)[:2] == [
        ("dateline", "Publié le 30.9.2022"),
        ("title", TITLE_FR),
    ]


def test_site_chrome_above_the_title_does_not_hide_the_dateline_under_it():
    text = f"Oui Partenaires médias\n\n{TITLE_FR}\nPublié le 30.9.2022\n\n{BODY_FR}"
    statement = parse_statement(text, "pasted.txt")
    assert statement.title == TITLE_FR
    assert statement.published_on == datetime.date(2022, 9, 30)
    assert [kind for kind, _ in kinds_and_texts(statement)] == [
        "boilerplate",
        "title",
        "dateline",
        "body",
    ]


def test_a_dateline_wrapped_over_two_lines_stays_one_paragraph():
    statement = parse_statement(f"Publié le\n30.9.2022\n\n{TITLE_FR}\n\n{BODY_FR}", "pasted.txt")
    assert kinds_and_texts(statement)[0] == ("dateline", "Publié le 30.9.2022")
    assert statement.title == TITLE_FR
    assert statement.published_on == datetime.date(2022, 9, 30)


def test_a_sentence_wrapped_through_a_date_is_not_cut():
    # No title line: a sentence runs on through "à Bruxelles le 24 mars 2022,".
    text = (
        "Les chefs d'État et de gouvernement réunis\nà Bruxelles le 24 mars 2022,\n"
        "ont décidé de renforcer la défense de l'Alliance."
    )
    statement = parse_statement(text, "pasted.txt")
    assert [paragraph.text for paragraph in statement.paragraphs] == [
        "Les chefs d'État et de gouvernement réunis à Bruxelles le 24 mars 2022, "
        "ont décidé de renforcer la défense de l'Alliance."
    ]


def test_a_dateline_in_the_body_further_down_is_left_where_it_is():
    text = f"{TITLE_FR}\n\n{BODY_FR}\nPublié le 30.9.2022\n"
    statement = parse_statement(text, "pasted.txt")
    assert [paragraph.text for paragraph in statement.paragraphs] == [
        TITLE_FR,
        f"{BODY_FR} Publié le 30.9.2022",
    ]


def test_the_header_title_does_not_stop_the_dateline_from_being_found():
    text = (
        f"source: NATO\ntitle: Réaction aux référendums\n---\n{TITLE_FR}\n24 mars 2022\n{BODY_FR}"
    )
    statement = parse_statement(text, "pasted.txt")
    assert statement.title == "Réaction aux référendums"
    assert statement.published_on == datetime.date(2022, 3, 24)
    assert [kind for kind, _ in kinds_and_texts(statement)][1] == "dateline"


def test_a_block_of_200000_lines_under_a_title_and_dateline_is_read_whole():
    lines = [TITLE_FR, "Publié le 30.9.2022", *(f"Ligne {i} du texte." for i in range(200_000))]
    statement = parse_statement("\n".join(lines), "long.txt", max_bytes=10 * 1024 * 1024)
    assert statement.published_on == datetime.date(2022, 9, 30)
    assert len(statement.paragraphs) == 3
    assert statement.paragraphs[2].text.endswith("Ligne 199999 du texte.")


def test_one_huge_line_under_the_title_is_read_whole():
    huge = "mot " * 400_000
    statement = parse_statement(f"{TITLE_FR}\n{huge}\n", "long.txt", max_bytes=4 * 1024 * 1024)
    assert statement.published_on is None
    assert NO_DATE_WARNING in statement.warnings
    assert [paragraph.text for paragraph in statement.paragraphs] == [f"{TITLE_FR} {huge.strip()}"]


# --------------------------------------------------------------------------------------
# The admin's corrections answer the warnings


def test_a_corrected_date_takes_the_no_date_warning_away():
    parsed = parse_statement(f"{TITLE_FR}\n\n{BODY_FR}", "pasted.txt")
    assert parsed.warnings == [NO_DATE_WARNING]
    corrected = apply_corrections(
        parsed, Corrections(published_on=datetime.date(2022, 9, 30), date_precision="day")
    )
    assert corrected.published_on == datetime.date(2022, 9, 30)
    assert corrected.warnings == []
    assert parsed.warnings == [NO_DATE_WARNING]  # the parse itself is left as it was


def test_a_date_left_blank_keeps_the_no_date_warning():
    parsed = parse_statement(f"{TITLE_FR}\n\n{BODY_FR}", "pasted.txt")
    corrected = apply_corrections(parsed, Corrections(published_on=None, date_precision="day"))
    assert corrected.warnings == [NO_DATE_WARNING]


def test_a_corrected_title_takes_the_no_title_warning_away_and_keeps_the_others():
    parsed = parse_statement("Partager\n\n• |\n", "chrome.txt")
    assert NO_TITLE_WARNING in parsed.warnings and NO_DATE_WARNING in parsed.warnings
    corrected = apply_corrections(parsed, Corrections(title="Page vide"))
    assert corrected.title == "Page vide"
    assert corrected.warnings == [w for w in parsed.warnings if w != NO_TITLE_WARNING]
