"""The importer reads HTML pages and Markdown texts through their structure."""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from statements.importing import (
    ImportRefused,
    ParsedStatement,
    classify_paragraphs,
    document_format,
    html_paragraphs,
    markdown_paragraphs,
    parse_statement,
)
from statements.text import words

SAMPLES = Path(__file__).parent / "data" / "import_samples"
SEEDS = Path(__file__).parent / "data" / "seeds"


def parse_sample(name: str) -> ParsedStatement:
    path = SAMPLES / name
    return parse_statement(path.read_bytes(), path.name)


def rows(statement: ParsedStatement) -> list[tuple[str, str, str]]:
    """(kind, number, first words) of each paragraph."""
    return [(p.kind, p.number, " ".join(p.text.split()[:4])) for p in statement.paragraphs]


# --------------------------------------------------------------------------------------
# HTML


def test_an_html_page_gives_its_article_without_the_site_around_it():
    statement = parse_sample("nato-news-ukraine.html")
    assert rows(statement) == [
        ("title", "", "L'OTAN condamne les «"),
        ("dateline", "", "30 sept. 2022 -"),
        ("body", "", "Nous, membres du Conseil"),
        ("body", "", "Les prétendus « référendums"),
        ("heading", "", "Un soutien indéfectible à"),
        ("body", "", "Nous réaffirmons notre soutien"),
        ("quote", "", "« Ces territoires sont"),
        ("body", "", "Les Alliés continueront d'apporter"),
    ]
    text = " ".join(p.text for p in statement.paragraphs)
    for chrome in ("Multimédia", "cookies", "Sur le même sujet", "Suivez-nous", "Tous droits"):
        assert chrome not in text


def test_an_html_page_gives_its_title_date_and_address_from_its_metadata():
    statement = parse_sample("nato-news-ukraine.html")
    assert statement.title == "L'OTAN condamne les « référendums » illégaux en Ukraine"
    assert (statement.published_on, statement.date_precision) == (datetime.date(2022, 9, 30), "day")
    assert statement.metadata["url"] == "https://www.nato.int/cps/fr/natohq/news_207788.htm"
    assert statement.metadata["site_name"] == "OTAN"
    assert statement.language == "fr" and statement.warnings == []


def test_an_html_page_is_kept_whole_as_the_original_text():
    path = SAMPLES / "nato-news-ukraine.html"
    statement = parse_statement(path.read_bytes(), path.name)
    assert statement.original_text == path.read_text(encoding="utf-8")


def test_an_html_page_without_metadata_takes_its_title_from_the_page_and_marks_its_chrome():
    statement = parse_sample("rt-referendums.html")
    assert statement.title == "Référendums : les habitants du Donbass ont fait leur choix"
    assert statement.published_on == datetime.date(2022, 9, 30)
    assert rows(statement)[:2] == [
        ("title", "", "Référendums : les habitants"),
        ("dateline", "", "Publié le 30.9.2022"),
    ]
    kinds = {p.text: p.kind for p in statement.paragraphs}
    assert kinds["Lire aussi : Moscou dénonce l'hypocrisie occidentale"] == "boilerplate"
    # List items are paragraphs of the body, never headings, however short.
    assert kinds["République populaire de Donetsk"] == "body"


def test_html_line_breaks_and_inline_markup_keep_the_words_apart():
    page = (
        "<html><head><title>Communiqué</title></head><body><article>"
        "<p>Première ligne<br>deuxième ligne, avec un <b>mot</b> en gras et un "
        "<a href='/x'>lien</a> vers un autre texte de la même page, assez long.</p>"
        "<p>Un second paragraphe de la déclaration, lui aussi assez long pour compter.</p>"
        "</article></body></html>"
    )
    paragraphs, metadata = html_paragraphs(page)
    assert paragraphs[0].text.startswith("Première ligne deuxième ligne, avec un mot en gras")
    assert metadata == {"title": "Communiqué"}


def test_an_html_page_with_no_text_is_refused_with_a_message():
    with pytest.raises(ImportRefused, match='"empty.html" has no article text'):
        parse_statement("<html><head><title>Vide</title></head><body></body></html>", "empty.html")


def test_a_page_of_one_paragraph_without_a_title_is_imported_as_it_is():
    sentence = "Les Alliés condamnent l'annexion illégale de quatre régions de l'Ukraine. " * 3
    page = f"<html><body><article><p>{sentence}</p></article></body></html>"
    statement = parse_statement(page, "un.html")
    assert [p.text for p in statement.paragraphs] == [sentence.strip()]


@pytest.mark.parametrize(
    "body",
    [
        "<noscript>You need to enable JavaScript to run this app.</noscript><div id='root'></div>",
        "<div class='cookies'><p>Tout accepter</p><p>Refuser</p></div>",
        "<nav><ul><li><a href='/'>Accueil</a></li><li><a href='/c'>Contact</a></li></ul></nav>",
    ],
)
def test_an_html_page_of_only_site_chrome_is_not_an_article(body):
    """An application shell, a cookie wall or a menu: refused, never stored as a statement."""
    page = f"<html><head><title>NATO - Homepage</title></head><body>{body}</body></html>"
    with pytest.raises(ImportRefused, match='"shell.html" has no article text'):
        parse_statement(page, "shell.html")


# --------------------------------------------------------------------------------------
# Markdown


def test_markdown_headings_quotes_and_lists_give_the_kinds():
    statement = parse_sample("blog-new-territories.md")
    assert rows(statement) == [
        ("title", "", "Les nouveaux territoires et"),
        ("dateline", "", "Publié le 30 septembre"),
        ("body", "", "Quatre régions ont choisi"),
        ("heading", "", "Ce que disent les"),
        ("body", "", "Les résultats publiés par"),
        ("body", "1.", "Donetsk : 99,23 %"),
        ("body", "2.", "Lougansk : 98,42 %"),
        ("body", "3.", "Zaporojié : 93,11 %"),
        ("quote", "", "« Ces gens ont"),
        ("heading", "", "Et maintenant ?"),
        ("body", "", "L'Occident refuse de reconnaître"),
        ("boilerplate", "", "Lire la suite :"),
    ]


def test_markdown_paragraphs_keep_their_words_without_the_markup():
    statement = parse_sample("blog-new-territories.md")
    text = " ".join(p.text for p in statement.paragraphs)
    assert not re.search(r"[*#>\[\]]|\]\(|https?://", text)
    assert "Quatre régions ont choisi de rejoindre la Fédération de Russie." in text
    assert "huit années d'attente et de bombardements quotidiens." in text
    # Every word of the text, front matter and link targets aside, is in some paragraph.
    body = (SAMPLES / "blog-new-territories.md").read_text().split("---", 2)[2]
    body = re.sub(r"\]\([^)]*\)", "]", body)
    stored = words(" ".join(f"{p.number} {p.text}" for p in statement.paragraphs))
    assert set(words(body)) <= set(stored)


def test_markdown_front_matter_gives_the_metadata():
    statement = parse_sample("blog-new-territories.md")
    assert statement.title == "Les nouveaux territoires et l'avenir de la Russie"
    assert statement.metadata["source"] == "Blog des nouveaux territoires"
    assert statement.events == ["September 2022 referendums and annexation"]
    assert (statement.published_on, statement.date_precision) == (datetime.date(2022, 9, 30), "day")
    assert statement.original_text == (SAMPLES / "blog-new-territories.md").read_text()


def test_a_numbered_markdown_declaration_keeps_its_numbers_and_its_chrome():
    statement = parse_sample("nato-communique.md")
    assert rows(statement) == [
        ("title", "", "Déclaration du Conseil de"),
        ("dateline", "", "Publié le 30.9.2022"),
        ("body", "1.", "Nous condamnons dans les"),
        ("body", "2.", "Ces territoires sont l'Ukraine."),
        ("body", "3.", "Nous réaffirmons notre soutien"),
        ("caption", "", "Photo : OTAN"),
        ("boilerplate", "", "Partager"),
    ]
    assert statement.published_on == datetime.date(2022, 9, 30)


def test_an_ordered_list_that_starts_further_on_keeps_its_numbers():
    paragraphs = markdown_paragraphs("4. Quatrième point.\n5. Cinquième point.\n")
    assert [(p.number, p.text, p.markup) for p in paragraphs] == [
        ("4.", "Quatrième point.", "item"),
        ("5.", "Cinquième point.", "item"),
    ]


def test_a_list_numbered_past_ten_characters_keeps_its_items_without_those_numbers():
    # CommonMark lists count up to nine digits: the second item would be "1000000000."
    text = "# Titre\n\n999999999. Un point de la déclaration.\n999999999. Un second point.\n"
    statement = parse_statement(text, "liste.md")
    assert [(p.number, p.text) for p in statement.paragraphs[1:]] == [
        ("999999999.", "Un point de la déclaration."),
        ("", "Un second point."),
    ]


def test_markdown_tables_give_a_paragraph_per_row():
    paragraphs = markdown_paragraphs("| Région | Oui |\n| --- | --- |\n| Donetsk | 99 % |\n")
    assert [p.text for p in paragraphs] == ["Région | Oui", "Donetsk | 99 %"]


# --------------------------------------------------------------------------------------
# Choosing the reader


@pytest.mark.parametrize(
    ("filename", "expected"),
    [
        ("page.html", "html"),
        ("PAGE.HTM", "html"),
        ("notes.md", "markdown"),
        ("a.txt", "text"),
        ("sans-extension", "text"),
        (None, "text"),
    ],
)
def test_the_file_extension_chooses_the_reader(filename, expected):
    assert document_format(filename) == expected


def test_the_same_markdown_read_as_plain_text_keeps_its_marks():
    text = "# Un titre de déclaration\n\nUn paragraphe avec un mot **important** dedans."
    as_markdown = parse_statement(text, "note.md")
    as_text = parse_statement(text, "note.txt")
    assert as_markdown.paragraphs[1].text == "Un paragraphe avec un mot important dedans."
    assert as_text.paragraphs[1].text == "Un paragraphe avec un mot **important** dedans."


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*.txt")), ids=lambda path: path.name[:3])
def test_classifying_stored_paragraphs_again_gives_the_kinds_of_the_import(seed):
    statement = parse_statement(seed.read_bytes(), seed.name)
    kinds = classify_paragraphs(
        statement.paragraphs, title=statement.title, language=statement.language
    )
    assert kinds == [p.kind for p in statement.paragraphs]
