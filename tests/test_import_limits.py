"""Every importer stage is linear in its input: the worst files the limits allow (2 MB each)
finish, and either import or are refused with a message. No time is asserted (the machine is
noisy; bench/import_limits.py prints the figures): a quadratic stage would not finish."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from statements import importing
from statements.importing import ImportRefused, parse_statement
from statements.models import Paragraph, Statement

pytestmark = pytest.mark.django_db

MB2 = 2 * 1024 * 1024 - 64  # a little under the 2 MB limit, header and title included


def fill(unit: str, size: int = MB2) -> str:
    return unit * (size // len(unit))


def import_file(tmp_path, name: str, text: str) -> tuple[str, bool]:
    """Run `import_statements` on one file; its output and whether it failed."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    try:
        call_command("import_statements", str(path), "--source", "Sans", stdout=out, stderr=out)
    except CommandError:
        return out.getvalue(), True
    return out.getvalue(), False


# --- The five kinds of the issue, through the command ----------------------------------------


def test_a_2_mb_line_of_dates_imports_as_one_paragraph(tmp_path):
    # 24 million overlap checks before: 176 KB took 46 s, 2 MB did not finish.
    line = fill("2022-01-01 ")
    output, failed = import_file(tmp_path, "dates.txt", "Titre\n\n" + line)
    assert not failed and "imported 1, unchanged 0, failed 0" in output
    statement = Statement.objects.get()
    assert statement.title == "Titre"
    [paragraph] = statement.paragraphs.filter(position=2)
    assert paragraph.text == line.strip()


def test_a_2_mb_line_of_words_imports_as_one_paragraph(tmp_path):
    line = " ".join(f"mot{n}" for n in range(300_000))[:MB2]
    output, failed = import_file(tmp_path, "words.txt", "Titre\n\n" + line)
    assert not failed and "imported 1" in output
    paragraph = Paragraph.objects.get(position=2)
    assert len(paragraph.text) == len(line.strip())


def test_200000_tiny_paragraphs_parse_and_are_refused_with_a_message(tmp_path):
    output, failed = import_file(tmp_path, "tiny.txt", "Titre\n\n" + "Mot.\n\n" * 200_000)
    assert failed
    assert "has 200,001 paragraphs: at most 5,000 can be imported as one statement" in output
    assert not Statement.objects.exists()


def test_2_mb_of_nested_html_finishes_and_keeps_the_whole_file(tmp_path):
    """The HTML parser reads 255 levels deep; the page is kept whole as the original text."""
    page = "<html><body>" + fill("<div>x", MB2 - 30) + "</body></html>"
    output, failed = import_file(tmp_path, "deep.html", page)
    assert not failed and "imported 1" in output
    statement = Statement.objects.get()
    assert statement.original_text == page
    assert statement.paragraphs.get().text.startswith("xxxxxxxx")
    empty = "<html><body>" + fill("<div>", MB2 - 30) + "</body></html>"
    output, failed = import_file(tmp_path, "empty.html", empty)
    assert failed and "no article text that could be found" in output


def test_a_2_mb_markdown_table_is_refused_for_its_rows(tmp_path):
    table = "# Résultats\n\n| Région | Oui |\n| --- | --- |\n" + fill("| Donetsk | 99 % |\n")
    output, failed = import_file(tmp_path, "table.md", table)
    assert failed
    assert "has a table of more than 5,000 rows: at most 5,000 paragraphs can be" in output
    assert not Statement.objects.exists()


def test_a_markdown_table_within_the_cap_imports_a_paragraph_per_row(tmp_path, settings):
    settings.PARALLAX_MAX_PARAGRAPHS = 300
    rows = "".join(f"| Région {n} | {n} % |\n" for n in range(298))
    table = "# Résultats\n\n| Région | Oui |\n| --- | --- |\n" + rows
    output, failed = import_file(tmp_path, "table.md", table)
    assert not failed and "imported 1" in output
    statement = Statement.objects.get()
    assert statement.paragraphs.count() == 300  # heading, header row, 298 rows
    assert statement.paragraphs.get(position=300).text == "Région 297 | 297 %"
    more = table + "".join(f"| Région {n} | 1 % |\n" for n in range(298, 301))
    output, failed = import_file(tmp_path, "more.md", more)
    assert failed and "has a table of more than 300 rows" in output


# --- Pathological Markdown and other worst cases, parsed --------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("brackets.md", "[" * MB2, "Markdown marks"),
        ("bangs.md", fill("!["), "Markdown marks"),
        ("emphasis.md", fill("*a"), "Markdown marks"),
        ("quotes.md", fill("> "), "nested too deeply"),
        ("lists.md", "".join("  " * depth + "- x\n" for depth in range(1400)), "nested too deeply"),
        ("list-markers.md", fill("- "), "has no text"),
        ("html-blocks.md", fill("<div>"), "Markdown marks"),
        ("tiny.md", fill("a\n\n"), "more than 20,100 Markdown blocks: at most 5,000 paragraphs"),
        ("headings.md", fill("# a\n"), "more than 20,100 Markdown blocks"),
        ("items.md", fill("- a\n"), "more than 20,100 Markdown blocks"),
        ("tiny.html", "<article>" + fill("<p>Mot.</p>", 500_000) + "</article>", "paragraphs"),
        ("header-date.txt", "date: 2022-09-22" + " " * (MB2 - 40) + "x\n---\nTexte.", "not a date"),
    ],
)
def test_the_worst_files_the_limits_allow_are_refused_with_a_message(name, text, message):
    with pytest.raises(ImportRefused, match=message):
        parse_statement(text.encode(), name)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("spaces.txt", "Titre\n\nUn." + " " * MB2 + "fin."),  # quadratic sentence check before
        ("one-word.txt", "a" * MB2),
        ("month-dates.txt", fill("24 mars 2022 ")),
        ("times.txt", fill("14:30 ")),
        ("labels.txt", fill("Published on ") + "2022-09-30"),
        ("chrome.txt", fill("Lire la suite ")),
        ("links.md", fill("[a](b) ", 690_000)),  # 197,000 marks: near the most a .md may have
        ("code.md", "```\n" + fill("x\n")),
        ("paragraph.html", "<html><body><p>" + fill("mot ", MB2 - 40) + "</p></body></html>"),
    ],
)
def test_the_worst_files_the_limits_allow_parse_into_their_paragraphs(name, text):
    statement = parse_statement(text.encode(), name)
    words = sum(len(paragraph.text.split()) for paragraph in statement.paragraphs)
    assert 1 <= len(statement.paragraphs) <= 3
    assert words >= len(text.split()) // 2 - 10  # the words are there (markup dropped)


def test_the_paragraph_cap_is_the_servers_setting(tmp_path, settings):
    settings.PARALLAX_MAX_PARAGRAPHS = 10
    output, failed = import_file(tmp_path, "eleven.txt", "Titre\n\n" + "Un mot.\n\n" * 10)
    assert failed and "has 11 paragraphs: at most 10 can be imported" in output
    settings.PARALLAX_MAX_PARAGRAPHS = 11
    output, failed = import_file(tmp_path, "eleven.txt", "Titre\n\n" + "Un mot.\n\n" * 10)
    assert not failed and Statement.objects.get().paragraphs.count() == 11


def test_the_find_dates_of_a_long_line_are_all_there_in_order():
    line = " ".join(["2022-01-01", "24 mars 2022", "30.9.2022", "mars 2022"] * 10_000)
    found = importing.dates.find_dates(line)
    assert len(found) == 40_000
    assert [d.precision for d in found[:4]] == ["day", "day", "day", "month"]
    assert all(a.end <= b.start for a, b in zip(found, found[1:], strict=False))
