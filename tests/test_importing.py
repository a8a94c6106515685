"""The pure importer: decoding, header block, paragraphs, kinds, dates and languages."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from statements.importing import (
    MAX_BYTES,
    MAX_TITLE_CHARS,
    ImportRefused,
    ParsedParagraph,
    ParsedStatement,
    classify,
    decode,
    find_date,
    is_boilerplate,
    is_caption,
    is_dateline,
    is_heading,
    is_section_title,
    is_title_repeat,
    leading_date,
    parse_date_value,
    parse_statement,
    split_header,
    split_number,
    strip_leading_date,
)
from statements.text import normalise

SEEDS = Path(__file__).parent / "data" / "seeds"


def seed(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def parse_seed(prefix: str) -> ParsedStatement:
    path = seed(prefix)
    return parse_statement(path.read_bytes(), path.name)


def full_text(paragraph: ParsedParagraph) -> str:
    """The paragraph as it was written: its own number, then its text."""
    return normalise(f"{paragraph.number} {paragraph.text}")


def kinds(statement: ParsedStatement) -> list[str]:
    return [paragraph.kind for paragraph in statement.paragraphs]


# --------------------------------------------------------------------------------------
# Decoding

FRENCH = "Le député a déclaré que l’OTAN « réagit »."


def test_utf8_is_decoded():
    assert decode(FRENCH.encode("utf-8")) == FRENCH


def test_utf8_bom_is_removed():
    assert decode(b"\xef\xbb\xbf" + FRENCH.encode("utf-8")) == FRENCH


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_utf16_and_utf32_with_bom_are_decoded(encoding):
    bom = "\ufeff".encode(encoding)
    assert decode(bom + FRENCH.encode(encoding)) == FRENCH


def test_windows_1252_is_the_fallback_when_utf8_fails():
    assert decode(b"Le d\xe9put\xe9 a dit \x93non\x94") == "Le député a dit “non”"


def test_windows_1252_text_gets_a_warning():
    statement = parse_statement(b"Le d\xe9put\xe9 parle.", "vieux.txt")
    assert statement.paragraphs[0].text == "Le député parle."
    assert any("Windows-1252" in warning for warning in statement.warnings)


def test_a_str_is_taken_as_it_is():
    assert decode(FRENCH) == FRENCH


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", "", "\n\n", b"\xef\xbb\xbf  \n"])
def test_empty_or_blank_text_is_refused(data):
    with pytest.raises(ImportRefused, match="is empty"):
        decode(data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"Le texte\x00 avec un NUL",
        b"%PDF-1.4\n\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f\x10\x11 stream",
    ],
)
def test_binary_file_is_refused(data):
    with pytest.raises(ImportRefused, match="looks like a binary file, not text"):
        decode(data)


def test_bytes_neither_utf8_nor_windows_1252_are_refused_with_the_encodings_read():
    latin1 = "Le député a dit «non» à la fin".encode("latin-1") + b"\x81"  # 0x81: no cp1252
    with pytest.raises(ImportRefused, match=r"not text in an encoding Parallax reads \(UTF-8"):
        decode(latin1)


def test_utf8_with_a_broken_byte_is_refused_not_read_as_windows_1252():
    """Read as Windows-1252 it would be stored as "DÃ©claration"; it is refused instead,
    with where the damage starts."""
    data = "Déclaration de l'OTAN\n\nNous condamnons l'annexion illégale.\n".encode() + b"\xff\n"
    with pytest.raises(ImportRefused, match="encoding is broken") as caught:
        parse_statement(data, "abime.txt")
    assert '"abime.txt" is UTF-8 text with bytes that are not UTF-8 (the first on line 4)' in (
        str(caught.value)
    )


def test_utf16_without_a_bom_counts_as_binary():
    with pytest.raises(ImportRefused, match="binary"):
        decode(FRENCH.encode("utf-16-le"))


def test_file_over_the_size_cap_is_refused():
    data = b"a" * (MAX_BYTES + 1)
    with pytest.raises(ImportRefused, match="is larger than the 2 MB limit"):
        decode(data)


def test_file_at_the_size_cap_is_accepted():
    assert len(decode(b"a" * MAX_BYTES)) == MAX_BYTES


def test_size_cap_can_be_lowered():
    with pytest.raises(ImportRefused, match="larger than the 10 bytes limit"):
        parse_statement("Un texte un peu long.", max_bytes=10)


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"", "is empty"), (b"\x00\x01", "binary"), (b"x" * 20, "larger than")],
)
def test_messages_name_the_file(data, message):
    with pytest.raises(ImportRefused, match=message) as caught:
        parse_statement(data, "photo.jpg", max_bytes=10)
    assert "photo.jpg" in str(caught.value)


def test_import_error_is_a_value_error():
    assert issubclass(ImportRefused, ValueError)


@pytest.mark.parametrize("line_end", ["\r\n", "\r", "\n"])
def test_every_line_end_splits_paragraphs(line_end):
    text = line_end.join(["Titre", "", "Premier paragraphe", "qui continue.", "", "Second."])
    statement = parse_statement(text.encode("utf-8"))
    assert [p.text for p in statement.paragraphs] == [
        "Titre",
        "Premier paragraphe qui continue.",
        "Second.",
    ]


def test_original_text_is_kept_exactly_with_its_line_ends_and_header():
    text = "title: Titre\r\n---\r\nLigne un\r\n\r\nLigne deux\r\n"
    assert parse_statement(text.encode("utf-8")).original_text == text


# --------------------------------------------------------------------------------------
# Header block

HEADER = """\
title: L'OTAN réagit
source: OTAN
url: https://www.nato.int/cps/fr/natohq/official_texts_207788.htm
date: 2022-09-22
language: fr
event: Référendums de 2022
event: Mobilisation partielle
translator: DeepL
---
"""


def test_header_block_sets_metadata_and_is_not_a_paragraph():
    statement = parse_statement(HEADER + "Premier paragraphe.\n\nSecond paragraphe.\n")
    assert statement.metadata["source"] == "OTAN"
    assert statement.metadata["url"].startswith("https://www.nato.int/")
    assert statement.title == "L'OTAN réagit"
    assert [p.text for p in statement.paragraphs] == ["Premier paragraphe.", "Second paragraphe."]


def test_unknown_header_keys_are_kept():
    statement = parse_statement(HEADER + "Texte.\n")
    assert statement.metadata["translator"] == "DeepL"


def test_header_keys_are_lower_cased():
    statement = parse_statement("Title: Titre\nSOURCE: OTAN\n---\nTexte.\n")
    assert statement.metadata == {"title": "Titre", "source": "OTAN"}


def test_repeated_event_lines_are_all_kept_in_order():
    statement = parse_statement(HEADER + "Texte.\n")
    assert statement.events == ["Référendums de 2022", "Mobilisation partielle"]
    assert statement.metadata["event"] == "Référendums de 2022; Mobilisation partielle"


def test_front_matter_between_dashes_is_read():
    text = '---\ntitle: "Sommet"\ndate: 2022-03-24\nevents:\n  - Sommet\n  - Invasion\n---\nTexte.'
    statement = parse_statement(text)
    assert statement.title == "Sommet"
    assert statement.published_on == datetime.date(2022, 3, 24)
    assert statement.events == ["Sommet", "Invasion"]
    assert [p.text for p in statement.paragraphs] == ["Texte."]


def test_front_matter_inline_event_list_is_read():
    statement = parse_statement("---\nevent: [Sommet, Invasion]\n---\nTexte.")
    assert statement.events == ["Sommet", "Invasion"]


def test_first_line_with_a_colon_is_not_a_header():
    statement = parse_seed("003")
    assert statement.metadata == {}
    assert statement.paragraphs[0].text.startswith("Otan : Stoltenberg déclare")


def test_key_value_lines_not_ended_by_dashes_are_text():
    statement = parse_statement("Note: le texte commence ici.\n\nSuite du texte.")
    assert statement.metadata == {}
    assert statement.paragraphs[0].text == "Note: le texte commence ici."


def test_block_with_a_prose_line_is_not_a_header():
    text = "title: Titre\nCeci est une phrase, pas une clé.\n---\nTexte."
    statement = parse_statement(text)
    assert statement.metadata == {}
    assert statement.paragraphs[0].text.startswith("title: Titre")


def test_a_long_phrase_before_a_colon_is_not_a_key():
    metadata, start = split_header(["Le porte-parole a dit: non", "---", "Texte"])
    assert (metadata, start) == ({}, 0)


def test_unclosed_front_matter_is_kept_as_text():
    statement = parse_statement("---\ntitle: Titre\n\nTexte.")
    assert statement.metadata == {}
    assert [p.text for p in statement.paragraphs] == ["--- title: Titre", "Texte."]


def test_header_without_text_is_refused():
    with pytest.raises(ImportRefused, match="no text"):
        parse_statement("title: Titre\n---\n\n", "vide.txt")


def test_a_markdown_file_with_nothing_to_read_says_so_without_mentioning_a_header():
    with pytest.raises(ImportRefused, match='^"rule.md" has no text$'):
        parse_statement("***\n", "rule.md")
    with pytest.raises(ImportRefused, match='^"vide.md" has a header but no text$'):
        parse_statement("title: Titre\n---\n***\n", "vide.md")


def test_a_very_long_first_paragraph_gives_a_title_cut_at_the_limit():
    first = "Un très long premier paragraphe sans titre " * 40
    statement = parse_statement(f"{first}\n\nSuite du texte.", "long.txt")
    title = statement.title
    assert len(title) <= MAX_TITLE_CHARS and title.endswith("…")
    text = statement.paragraphs[0].text
    assert text == first.strip()  # the text itself is whole
    assert text.startswith(title[:-1]) and text[len(title) - 1] == " "  # cut between words
    assert "The title was longer than 500 characters: it was cut" in statement.warnings


def test_lists_nested_a_thousand_deep_are_refused_with_a_message():
    nested = "Titre\n\n" + "".join("    " * depth + f"- item {depth}\n" for depth in range(250))
    with pytest.raises(ImportRefused, match='"liste.md" is nested too deeply to be read'):
        parse_statement(nested, "liste.md")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-09-22", (datetime.date(2022, 9, 22), "day")),
        ("2022-09", (datetime.date(2022, 9, 1), "month")),
        ("2022", (datetime.date(2022, 1, 1), "year")),
        ("24 mars 2022", (datetime.date(2022, 3, 24), "day")),
    ],
)
def test_header_date_sets_the_precision(value, expected):
    statement = parse_statement(f"date: {value}\n---\nTexte.")
    assert (statement.published_on, statement.date_precision) == expected
    assert "No date found in the text or header" not in statement.warnings


def test_header_date_overrides_the_date_in_the_text():
    statement = parse_statement(f"date: 2022-10-01\n---\n{seed('003').read_text()}")
    assert statement.published_on == datetime.date(2022, 10, 1)


def test_bad_header_date_is_refused():
    with pytest.raises(ImportRefused, match="'hier' is not a date"):
        parse_statement("date: hier\n---\nTexte.", "a.txt")


def test_header_language_overrides_detection():
    statement = parse_statement("language: English\n---\n" + seed("000").read_text())
    assert statement.language == "en"


def test_language_argument_overrides_the_header():
    statement = parse_statement("language: en\n---\nThe text is in English.", language="fr")
    assert statement.language == "fr"


@pytest.mark.parametrize("value", ["fr", "FR", "fr-FR", "French", "français"])
def test_language_names_are_understood(value):
    assert parse_statement(f"language: {value}\n---\nText.").language == "fr"


def test_unsupported_language_is_refused():
    with pytest.raises(ImportRefused, match="'de' is not supported"):
        parse_statement("language: de\n---\nDer Text.")


def test_header_title_overrides_the_first_line():
    statement = parse_statement("title: Le vrai titre\n---\nUn surtitre\n\nLe vrai titre\n\nTexte.")
    assert statement.title == "Le vrai titre"
    assert kinds(statement)[1] == "title"


def test_content_hash_ignores_the_header():
    text = seed("000").read_text()
    plain = parse_statement(text)
    with_header = parse_statement(HEADER + text)
    assert plain.content_hash == with_header.content_hash
    assert len(plain.content_hash) == 64


def test_content_hash_ignores_line_ends_and_spacing():
    text = seed("002").read_text()
    assert (
        parse_statement(text).content_hash
        == parse_statement(text.replace("\n", "\r\n").replace(" ", "  ")).content_hash
    )


def test_content_hash_changes_with_the_text():
    text = seed("000").read_text()
    assert parse_statement(text).content_hash != parse_statement(text + " Ajout.").content_hash


# --------------------------------------------------------------------------------------
# Paragraphs


def test_wrapped_lines_are_joined_with_a_single_space():
    statement = parse_statement("Titre\n\nUne phrase   \n  coupée en\ndeux lignes.\n")
    assert statement.paragraphs[1].text == "Une phrase coupée en deux lignes."


def test_several_blank_lines_separate_like_one():
    statement = parse_statement("Titre\n\n\n\nTexte.\n \t\nFin.")
    assert [p.text for p in statement.paragraphs] == ["Titre", "Texte.", "Fin."]


@pytest.mark.parametrize(
    ("line", "number", "text"),
    [
        ("1. Nous condamnons.", "1.", "Nous condamnons."),
        ("2) Nous rejetons.", "2)", "Nous rejetons."),
        ("(3) Nous soutenons.", "(3)", "Nous soutenons."),
        ("30.9.2022 est une date.", "", "30.9.2022 est une date."),
        ("2022. Une année.", "", "2022. Une année."),
    ],
)
def test_leading_number_is_stored_apart_from_the_text(line, number, text):
    assert split_number(line) == (number, text)


def test_seed_numbers_are_stored_in_number():
    statement = parse_seed("000")
    assert [p.number for p in statement.paragraphs] == ["", "", "", "1.", "", "2.", "3.", "4."]
    assert statement.paragraphs[3].text.startswith("Nous condamnons")


def test_bullet_lines_keep_their_bullet_and_each_is_a_paragraph():
    statement = parse_statement("Titre\n\nNous décidons :\n• de renforcer ;\n- de soutenir.\n")
    assert [p.text for p in statement.paragraphs] == [
        "Titre",
        "Nous décidons :",
        "• de renforcer ;",
        "- de soutenir.",
    ]
    assert kinds(statement)[2:] == ["body", "body"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_no_line_of_a_seed_is_lost(prefix):
    statement = parse_seed(prefix)
    paragraphs = [full_text(paragraph) for paragraph in statement.paragraphs]
    for line in seed(prefix).read_text(encoding="utf-8").splitlines():
        if line.strip():
            assert any(normalise(line) in paragraph for paragraph in paragraphs), line


def test_no_line_is_lost_behind_a_header():
    text = HEADER + seed("004").read_text()
    statement = parse_statement(text)
    paragraphs = [full_text(paragraph) for paragraph in statement.paragraphs]
    for line in seed("004").read_text().splitlines():
        if line.strip():
            assert any(normalise(line) in paragraph for paragraph in paragraphs), line
    assert not any("translator" in paragraph for paragraph in paragraphs)


# --------------------------------------------------------------------------------------
# Titles


def test_title_is_the_first_line():
    assert parse_seed("000").title == (
        "L'OTAN réagit aux référendums organisés aujourd'hui dans les territoires occupés d'Ukraine"
    )


def test_title_drops_a_leading_dateline_fragment_but_the_paragraph_keeps_it():
    statement = parse_seed("001")
    assert statement.title.startswith("Le chef du bloc, Jens Stoltenberg, affirme")
    assert statement.paragraphs[0].text.startswith("date 2022-09 Le chef du bloc")
    assert statement.paragraphs[0].kind == "title"


def test_title_skips_site_chrome_and_datelines():
    assert parse_seed("002").title == "Déclaration des dirigeants de l'OTAN"


def test_repeated_title_line_is_a_title_paragraph():
    assert kinds(parse_seed("000"))[:3] == ["title", "title", "body"]


@pytest.mark.parametrize(
    ("text", "title", "expected"),
    [
        (
            "Stoltenberg déclare que l’OTAN ne reconnaît pas",
            "Otan : Stoltenberg déclare que l'OTAN ne reconnaît pas",
            True,
        ),
        ("L'OTAN réagit", "L’OTAN  réagit", True),
        ("Ukraine", "L'OTAN réagit aux référendums organisés en Ukraine", False),
    ],
)
def test_title_repeat_allows_a_prefix_but_not_a_mere_mention(text, title, expected):
    assert is_title_repeat(text, title) is expected


def test_strip_leading_date_removes_a_dateline_prefix():
    assert strip_leading_date(" date 2022-09 Le chef du bloc") == "Le chef du bloc"
    assert strip_leading_date("Publié le 30.9.2022 - Titre") == "Titre"
    undated_start = "Le chef du bloc, le 2 mars 2022"
    assert strip_leading_date(undated_start) == undated_start


# --------------------------------------------------------------------------------------
# Dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2022-09-30", (2022, 9, 30, "day")),
        ("date 2022-09 Le chef", (2022, 9, 1, "month")),
        ("Publié le 30.9.2022", (2022, 9, 30, "day")),
        ("le 30/09/2022", (2022, 9, 30, "day")),
        ("  • 28 Feb. 2022 -", (2022, 2, 28, "day")),
        ("Mis à jour le: 28 Feb. 2022 21:24", (2022, 2, 28, "day")),
        ("Bruxelles, Belgique 24 mars 2022", (2022, 3, 24, "day")),
        ("28 février 2022", (2022, 2, 28, "day")),
        ("28 fevrier 2022", (2022, 2, 28, "day")),
        ("3 févr. 2022", (2022, 2, 3, "day")),
        ("15 aout 2022", (2022, 8, 15, "day")),
        ("15 août 2022", (2022, 8, 15, "day")),
        ("1er déc. 2021", (2021, 12, 1, "day")),
        ("March 24, 2022", (2022, 3, 24, "day")),
        ("24 March 2022", (2022, 3, 24, "day")),
        ("Sept. 5th, 2022", (2022, 9, 5, "day")),
        ("En février 2022, le Kremlin", (2022, 2, 1, "month")),
    ],
)
def test_find_date_reads_french_english_and_numeric_dates(text, expected):
    year, month, day, precision = expected
    assert find_date(text) == (datetime.date(year, month, day), precision)


@pytest.mark.parametrize(
    "text", ["Pas de date ici.", "31.2.2022", "2022-13", "le 24 février", "40 000 soldats"]
)
def test_find_date_finds_nothing_without_a_real_date(text):
    assert find_date(text) is None


def test_find_date_returns_the_first_date():
    assert find_date("Du 23 septembre 2022 au 27 septembre 2022") == (
        datetime.date(2022, 9, 23),
        "day",
    )


def test_parse_date_value_reads_a_bare_year():
    assert parse_date_value("2022") == (datetime.date(2022, 1, 1), "year")
    assert parse_date_value("demain") is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Thursday, 22 September 2022", (datetime.date(2022, 9, 22), "day")),
        ("jeudi 22 septembre 2022 à 10h30", (datetime.date(2022, 9, 22), "day")),
        ("28 Feb. 2022 21:24", (datetime.date(2022, 2, 28), "day")),
        ("March 24, 2022", (datetime.date(2022, 3, 24), "day")),
        ("février 2022", (datetime.date(2022, 2, 1), "month")),
        ("September 30, 2022, 2:30 PM", (datetime.date(2022, 9, 30), "day")),
        ("Sep 30, 2022 10:00 AM EDT", (datetime.date(2022, 9, 30), "day")),
        ("30 septembre 2022 à 14 h 30", (datetime.date(2022, 9, 30), "day")),
        ("2022-09-30 14:30:00.000000", (datetime.date(2022, 9, 30), "day")),
        ("30/09/2022 - 14:30", (datetime.date(2022, 9, 30), "day")),
        ("Le 30 septembre 2022", (datetime.date(2022, 9, 30), "day")),
        ("Mis à jour le: 28 Feb. 2022 21:24", (datetime.date(2022, 2, 28), "day")),
        ("2022-09-22T10:00:00Z", (datetime.date(2022, 9, 22), "day")),
        ("2022-09-22T10:00:00.123+02:00", (datetime.date(2022, 9, 22), "day")),
    ],
)
def test_parse_date_value_takes_labels_or_a_weekday_before_and_a_time_after(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "31 février 2022",
        "32 septembre 2022",
        "2022-02-30",
        "x 2022-09-30 y",
        "vers le 2022-09-30",
        "Du 23 septembre 2022 au 27 septembre 2022",
    ],
)
def test_a_date_given_on_its_own_must_be_all_date_and_a_real_one(value):
    """Never a month made of what is left of a bad day ("février 2022" of "31 février")."""
    assert parse_date_value(value) is None
    with pytest.raises(ImportRefused, match="is not a date"):
        parse_statement(f"date: {value}\n---\nTexte.", "a.txt")


def test_leading_date_needs_only_labels_before_the_date():
    assert leading_date("Publié le 30.9.2022") == (datetime.date(2022, 9, 30), "day")
    assert leading_date("adoptée le 2 mars 2022, la résolution") is None


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("001", (datetime.date(2022, 9, 1), "month")),
        ("002", (datetime.date(2022, 3, 24), "day")),
        ("003", (datetime.date(2022, 9, 30), "day")),
        ("004", (datetime.date(2022, 2, 28), "day")),
    ],
)
def test_seed_publication_dates(prefix, expected):
    statement = parse_seed(prefix)
    assert (statement.published_on, statement.date_precision) == expected
    assert statement.warnings == []


def test_no_date_gives_none_and_a_warning():
    # Seed 000 mentions "adoptée le 2 mars 2022" inside a sentence: an event, not its date.
    statement = parse_seed("000")
    assert statement.published_on is None
    assert statement.date_precision == "day"
    assert statement.warnings == ["No date found in the text or header"]


def test_a_body_paragraph_saying_today_gives_the_date():
    statement = parse_statement("Titre\n\nAujourd’hui (3 mars 2022), l’OTAN a dit non.")
    assert statement.published_on == datetime.date(2022, 3, 3)


# --------------------------------------------------------------------------------------
# Kind heuristics, one by one


@pytest.mark.parametrize(
    "text",
    [
        "Oui Partenaires médias",
        "Pensez à une mission sociale",
        "PROGRAMME.",
        "Lire la suite Une solution pacifique à la crise ukrainienne n’est pas possible – Russie",
        "Lire aussi : Le sommet de Madrid",
        "Read more",
        "Share",
        "Partager",
        "Abonnez-vous à notre newsletter",
        "Nous utilisons des cookies pour améliorer votre expérience. Tout accepter",
        "© 2022 Le Monde. Tous droits réservés.",
        "• |",
        "---",
    ],
)
def test_site_chrome_is_boilerplate(text):
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Panique à l’OTAN",
        "Oui, c’est exact, dans toute guerre, il y a des lâches qui s’enfuient.",
        "Pensez à ce que cela signifie pour les Ukrainiens qui vivent sous les bombes.",
        "Le programme du sommet a été adopté par les Alliés.",
        "Nous partageons les préoccupations de nos partenaires.",
    ],
)
def test_statement_text_is_not_boilerplate(text):
    assert not is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    [
        "Publié le 30.9.2022",
        "• 28 Feb. 2022 -",
        "• Mis à jour le: 28 Feb. 2022 21:24",
        "Bruxelles, Belgique 24 mars 2022",
        "Sommet de l'OTAN Bruxelles, Belgique 24 mars 2022",
        "Published on March 24, 2022",
        "date 2022-09",
        "Publié le 30.9.2022 – Mis à jour le 1.10.2022 à 10h30",
    ],
)
def test_date_lines_are_datelines(text):
    assert is_dateline(text)


@pytest.mark.parametrize(
    "text",
    [
        "Le 24 mars 2022, un sommet extraordinaire de l'OTAN s'est tenu à Bruxelles.",
        " date 2022-09 Le chef du bloc, Jens Stoltenberg, affirme que le vote n’a aucune valeur",
        "Aujourd’hui (28 février 2022), le secrétaire général a pris part à une conférence.",
        "Panique à l’OTAN",
    ],
)
def test_sentences_with_dates_are_not_datelines(text):
    assert not is_dateline(text)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("REUTERS/Yves Herman", "fr"),
        ("AFP / Sergei Supinsky", "fr"),
        ("Photo: AFP", "fr"),
        ("Crédit photo : OTAN", "fr"),
        ("© NATO", "fr"),
        (
            "Jens Stoltenberg, Secretary General of NATO, in a telephone call with US President "
            "Joe Biden, during the Ukraine crisis.",
            "fr",
        ),
        (
            "Jens Stoltenberg, secrétaire général de l’OTAN, pendant son entretien téléphonique "
            "avec le président américain, Joe Biden, en pleine crise russe.",
            "fr",
        ),
        ("Emmanuel Macron, président de la République, lors du sommet de Madrid.", "fr"),
        ("Joe Biden, President of the United States, at the White House.", "en"),
    ],
)
def test_photo_captions_and_credits_are_captions(text, language):
    assert is_caption(text, language=language)


@pytest.mark.parametrize(
    "text",
    [
        "Jens Stoltenberg, secrétaire général de l’OTAN, a déclaré que l’Alliance ne reconnaîtra "
        "pas ces territoires.",
        "Cui Hongjian, directeur d’un département à l’Institut chinois des études internationales,"
        " ne croit pas à une confrontation directe entre la Russie et l’OTAN.",
        "Le conseiller américain à la sécurité nationale, Jake Sullivan, a fait écho à la "
        "condamnation de Stoltenberg lors du point de presse de la Maison Blanche mardi.",
        "Panique à l’OTAN",
    ],
)
def test_sentences_about_people_are_not_captions(text):
    assert not is_caption(text, language="fr")


@pytest.mark.parametrize(
    "text",
    [
        "Panique à l’OTAN",
        "Déclaration des dirigeants de l'OTAN",
        "Nous ne pouvons pas accepter l’Ukraine dans l’OTAN maintenant – Stoltenberg",
        "L’OTAN condamne l’appropriation par la Russie du territoire ukrainien, mais l’alliance "
        "n’est pas partie au conflit – Secrétaire général de l’OTAN Stoltenberg",
        "La décision sur l’adhésion de l’Ukraine à l’OTAN nécessite un « consensus » des alliés :"
        " Stoltenberg",
    ],
)
def test_headlines_are_headings(text):
    assert is_heading(text)


@pytest.mark.parametrize(
    "text",
    [
        "Il a également fait remarquer que l’OTAN n’est pas partie au conflit.",
        "Nous décidons :",
        "• Renforcer la dissuasion",
        "Bruxelles, Belgique 24 mars 2022",
        "et se retirer de l’Ukraine",
        "Les Républiques populaires de Lougansk et de Donetsk organiseront un vote pour "
        "l’unification avec la Russie du 23 au 27 septembre et les territoires voisins aussi",
    ],
)
def test_sentences_lists_and_datelines_are_not_headings(text):
    assert not is_heading(text)


def test_short_sentence_is_a_heading_only_where_a_section_opens():
    text = "Pour un média chinois, l’Occident n’aidera pas l’Ukraine."
    assert is_section_title(text)
    assert classify(text, position=5, title="Titre", opens_section=True) == "heading"
    assert classify(text, position=5, title="Titre", opens_section=False) == "body"


def test_a_short_text_of_short_sentences_is_body_not_headings():
    statement = parse_statement("source: NATO\n---\nTitre\n\nPremière phrase.\n\nSeconde.")
    assert [p.kind for p in statement.paragraphs] == ["title", "body", "body"]
    text = "Pour un média chinois, l’Occident n’aidera pas l’Ukraine."
    assert classify(text, title="Titre", opens_section=True, text_follows=False) == "body"


LONG = (
    "Les Alliés condamnent l'annexion illégale de quatre régions de l'Ukraine par la Russie, " * 2
)


@pytest.mark.parametrize(
    ("lines", "kinds"),
    [
        # A dateline, or a short sentence, between a heading and the text it stands above.
        (
            ["La réponse des Alliés.", "Bruxelles, le 30 septembre 2022.", LONG],
            ["heading", "dateline", "body"],
        ),
        (
            ["La réponse des Alliés.", "Nous condamnons l'annexion.", LONG],
            ["heading", "heading", "body"],
        ),
        # Nothing but short sentences: no heading at all.
        (
            ["La réponse des Alliés.", "Nous condamnons l'annexion.", "Merci."],
            ["body", "body", "body"],
        ),
    ],
)
def test_a_heading_needs_text_somewhere_after_it(lines, kinds):
    statement = parse_statement("source: X\n---\nTitre du texte\n\n" + "\n\n".join(lines))
    assert [p.kind for p in statement.paragraphs] == ["title", *kinds]


def test_a_section_heading_after_a_break_stands_above_the_text_that_follows():
    text = f"source: X\n---\nTitre du texte\n\n{LONG}\n\n\nLa réponse de l'OTAN.\n\n{LONG}"
    assert [p.kind for p in parse_statement(text).paragraphs] == [
        "title",
        "body",
        "heading",
        "body",
    ]


def test_quoted_or_long_sentences_are_not_section_titles():
    assert not is_section_title("« Nous ne reconnaîtrons jamais ce territoire », a dit Sullivan.")
    assert not is_section_title("Il a dit non. Puis il est parti.")
    assert not is_section_title(
        "En même temps, un message nous rapporte qu’à partir du 30 septembre, ultimatum à "
        "l’Ukraine : Évacuez les territoires russes."
    )


def test_list_after_a_link_label_is_boilerplate():
    links = "Sommet de l'OTAN - Bruxelles Information pour les médias"
    assert classify(links, position=9, title="Titre", previous="PROGRAMME.") == "boilerplate"
    assert classify(links, position=9, title="Titre", previous="Texte.") == "heading"


def test_first_paragraph_is_the_title_when_no_title_is_known():
    assert classify("Un titre quelconque", position=0, title="") == "title"
    assert classify("Un titre quelconque", position=1, title="") == "heading"


def test_classify_falls_back_to_body():
    text = "Nous condamnons l'invasion de l'Ukraine par la Russie dans les termes les plus forts."
    assert classify(text, position=4, title="Déclaration", language="fr") == "body"


# --------------------------------------------------------------------------------------
# Every paragraph of every seed

SEED_KINDS = {
    "000": [
        ("L'OTAN réagit aux référendums organisés", "title"),
        ("L'OTAN réagit aux référendums organisés", "title"),
        ("L'OTAN réagit aux référendums actuellement", "body"),
        ("Nous condamnons dans les termes", "body"),
        ("Les Alliés ne reconnaissent pas", "body"),
        ("Ces décisions russes", "body"),
        ("Nous réaffirmons notre soutien", "body"),
        ("L'OTAN est une alliance défensive", "body"),
    ],
    "001": [
        ("date 2022-09 Le chef du bloc", "title"),
        ("Réagissant à l’annonce", "body"),
        ("“Les référendums fictifs", "body"),
        ("« La communauté internationale", "body"),
        ("Les Républiques populaires", "body"),
        ("Lire la suite Une solution pacifique", "boilerplate"),
        ("Le conseiller américain", "body"),
        ("“Nous ne reconnaîtrons jamais", "body"),
        ("Plusieurs régions d’Ukraine", "body"),
        ("La Russie a envoyé des troupes", "body"),
        ("En février 2022, le Kremlin", "body"),
    ],
    "002": [
        ("Oui Partenaires médias", "boilerplate"),
        ("Pensez à une mission sociale", "boilerplate"),
        ("Sommet de l'OTAN Bruxelles, Belgique 24 mars 2022", "dateline"),
        ("Déclaration des dirigeants de l'OTAN", "title"),
        ("La réponse de l'OTAN à l'invasion", "heading"),
        ("Bruxelles, Belgique 24 mars 2022", "dateline"),
        ("Le 24 mars 2022, un sommet extraordinaire", "body"),
        ("Nous, chefs d'État", "body"),
        ("Nous condamnons l'invasion", "body"),
        ("Les Ukrainiens ont inspiré", "body"),
        ("La Russie doit montrer", "body"),
        ("Nous sommes pleinement solidaires", "body"),
        ("L'Ukraine dispose d'un droit", "body"),
        ("Nous sommes unis dans notre détermination", "body"),
        ("Nous demandons à tous les États", "body"),
        ("Nous restons attachés", "body"),
        ("Nous apportons un soutien adapté", "body"),
        ("Nous continuerons à prendre", "body"),
        ("En réponse aux actions de la Russie", "body"),
        ("Nous renforçons la résilience", "body"),
        ("Les mesures que nous prenons", "body"),
        ("La guerre non provoquée", "body"),
        ("PROGRAMME.", "boilerplate"),
        ("Sommet extraordinaire de l'OTAN - Bruxelles", "boilerplate"),
    ],
    "003": [
        ("Otan : Stoltenberg déclare", "title"),
        ("Stoltenberg déclare que", "title"),
        ("La décision sur l’adhésion", "heading"),
        ("Publié le 30.9.2022", "dateline"),
        ("Le secrétaire général de l’OTAN, Jens Stoltenberg", "body"),
        ("REUTERS/Yves Herman", "caption"),
        ("Il a également fait remarquer", "body"),
        ("Panique à l’OTAN", "heading"),
        ("«\xa0Les membres de l’Alliance", "body"),
        ("L’OTAN condamne l’appropriation", "heading"),
        ("Nous ne pouvons pas accepter", "heading"),
        ("Le même jour, l’OSCE", "body"),
        ("Plus tôt vendredi", "body"),
        ("Du 23 au 27 septembre", "body"),
        ("Certains pays occidentaux", "body"),
        ("Par exemple, suite à", "body"),
        ("L’opération militaire spéciale", "body"),
        ("En même temps, un message", "body"),
        ("L’OTAN justement continue", "body"),
        ("Dans un premier temps", "body"),
        ("Si ceci se réalise", "body"),
        ("Armes à neutrons", "body"),
        ("Je sais qu’en Europe", "body"),
        ("Reste à savoir", "body"),
        ("Pour un média chinois", "heading"),
        ("Les référendums de rattachement", "body"),
        ("Toutefois, des analystes", "body"),
        ("Cui Hongjian, directeur", "body"),
    ],
    "004": [
        ("Le secrétaire général de l’OTAN participe", "title"),
        ("• 28 Feb. 2022 -", "dateline"),
        ("• |", "boilerplate"),
        ("• Mis à jour le: 28 Feb. 2022 21:24", "dateline"),
        ("Aujourd’hui (28 février 2022)", "body"),
        ("Jens Stoltenberg, Secretary General of NATO", "caption"),
        ("Jens Stoltenberg, secrétaire général de l’OTAN, pendant", "caption"),
        ("Ont également participé", "body"),
        ("Le secrétaire général de l’OTAN a souligné", "body"),
        ("Les dirigeants ont réaffirmé", "body"),
    ],
}


@pytest.mark.parametrize("prefix", sorted(SEED_KINDS))
def test_seed_has_the_expected_paragraphs(prefix):
    statement = parse_seed(prefix)
    assert len(statement.paragraphs) == len(SEED_KINDS[prefix])


@pytest.mark.parametrize(
    ("prefix", "position", "start", "kind"),
    [
        (prefix, position, start, kind)
        for prefix, table in SEED_KINDS.items()
        for position, (start, kind) in enumerate(table)
    ],
)
def test_seed_paragraph_kind(prefix, position, start, kind):
    paragraph = parse_seed(prefix).paragraphs[position]
    assert paragraph.text.startswith(start)
    assert paragraph.kind == kind


# --------------------------------------------------------------------------------------
# Languages


def test_seeds_are_french():
    assert {parse_seed(prefix).language for prefix in SEED_KINDS} == {"fr"}


def test_english_caption_in_a_french_statement_has_its_own_language():
    statement = parse_seed("004")
    languages = {p.text[:40]: p.language for p in statement.paragraphs if p.language}
    assert languages == {"Jens Stoltenberg, Secretary General of N": "en"}


def test_english_statement_is_detected():
    statement = parse_statement(
        "NATO responds\n\nThe Allies will never recognise the illegal annexation of the "
        "territories of Ukraine, which is a violation of the Charter of the United Nations."
    )
    assert statement.language == "en"
    assert all(paragraph.language == "" for paragraph in statement.paragraphs)


def test_undetectable_language_defaults_to_french_with_a_warning():
    statement = parse_statement("Zaporizhia\n\nKherson, Donetsk, Louhansk.")
    assert statement.language == "fr"
    assert any("language" in warning for warning in statement.warnings)
