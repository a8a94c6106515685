"""`parse_statement`: decode, read the header, split, classify, find title, date, language."""

from __future__ import annotations

import datetime
import re

from statements.text import detect_language

from .dates import find_date, leading_date, parse_date_value, strip_leading_date
from .decoding import decode_with_encoding, describe
from .documents import (
    MARKDOWN_MAX_MARKS,
    NestedTooDeeply,
    TooManyBlocks,
    TooMuchMarkup,
    document_format,
    html_paragraphs,
    markdown_paragraphs,
    text_paragraphs,
)
from .header import language_code, split_header
from .kinds import classify_paragraphs, is_boilerplate, is_caption, is_dateline, word_count
from .parsed import (
    BODY_KINDS,
    MAX_BYTES,
    MAX_PARAGRAPHS,
    MAX_TITLE_CHARS,
    ImportRefused,
    ParsedParagraph,
    ParsedStatement,
)

# How far down the text a dateline or a leading date still tells when it was published.
DATE_SEARCH_PARAGRAPHS = 8
PARAGRAPH_LANGUAGE_MIN_WORDS = 6


def _choose_title(texts: list[str], language: str) -> str:
    for text in texts:
        if not (is_boilerplate(text) or is_dateline(text) or is_caption(text, language=language)):
            return strip_leading_date(text)
    return ""


def _paragraph_language(text: str, statement_language: str) -> str:
    if word_count(text) < PARAGRAPH_LANGUAGE_MIN_WORDS:
        return ""
    language = detect_language(text, default="")
    return language if language and language != statement_language else ""


_TODAY = re.compile(r"^\W*(?:aujourd['’]hui|today)\b", re.IGNORECASE)


def publication_date(paragraphs: list[ParsedParagraph]) -> tuple[datetime.date, str] | None:
    """When the statement was published, from its first paragraphs (kinds already set).

    The first dateline near the top, else a date that opens a title or heading ("date
    2022-09 Le chef…") or a body paragraph that says it is today ("Aujourd'hui (28 février
    2022), …"). Other dates in the body tell when events happened, not this; None then.
    """
    top = paragraphs[:DATE_SEARCH_PARAGRAPHS]
    for paragraph in top:
        found = find_date(paragraph.text) if paragraph.kind == "dateline" else None
        if found:
            return found
    for paragraph in top:
        if paragraph.kind in ("title", "heading") or _TODAY.match(paragraph.text):
            found = leading_date(paragraph.text)
            if found:
                return found
    return None


def parse_statement(
    data: bytes | str,
    filename: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    max_paragraphs: int = MAX_PARAGRAPHS,
    language: str | None = None,
) -> ParsedStatement:
    """Read an uploaded statement: decode it, read its header block if any, split it into
    paragraphs with their kinds, and find its title, date and language.

    The file name's extension chooses the reader: `.html`/`.htm` (the page's main text,
    title and date from its metadata), `.md` (Markdown structure), anything else plain
    text. The header (`title`, `source`, `url`, `date`, `language`, `event` …) wins over
    what is detected in the text, and the `language` argument wins over both. Raises
    `ImportRefused` with a message for the person importing when the text cannot be read,
    or has more than `max_paragraphs` paragraphs (counted before any of them is classified).
    Every stage is linear in the length of the text.
    """
    subject = describe(filename)
    original_text, encoding = decode_with_encoding(data, max_bytes=max_bytes, filename=filename)
    warnings: list[str] = []
    if encoding == "cp1252":
        warnings.append(f"{subject} is not valid UTF-8; it was read as Windows-1252")

    document = document_format(filename)
    try:
        paragraphs, metadata = _document_paragraphs(original_text, document, max_paragraphs)
    except (RecursionError, NestedTooDeeply):  # lists in lists in lists… a thousand deep
        raise ImportRefused(f"{subject} is nested too deeply to be read") from None
    except TooMuchMarkup as markup:
        raise ImportRefused(
            f"{subject} has {markup.marks:,} Markdown marks ([ ] ! * _ ` < & \\): at most "
            f"{MARKDOWN_MAX_MARKS:,} can be read; import it as plain text (.txt) instead"
        ) from None
    except TooManyBlocks as blocks:
        raise ImportRefused(
            f"{subject} has {blocks}: at most {max_paragraphs:,} paragraphs can be imported as "
            "one statement (split it into several)"
        ) from None
    no_article = ImportRefused(f"{subject} has no article text that could be found")
    if not paragraphs:
        if document == "html":
            raise no_article
        raise ImportRefused(f"{subject} has {'a header but ' if metadata else ''}no text")
    if len(paragraphs) > max_paragraphs:
        raise ImportRefused(
            f"{subject} has {len(paragraphs):,} paragraphs: at most {max_paragraphs:,} can be "
            "imported as one statement (split it into several)"
        )

    statement_language = _statement_language(language, metadata, paragraphs, subject, warnings)
    title = metadata.get("title", "").strip() or _choose_title(
        [paragraph.text for paragraph in paragraphs], statement_language
    )
    if not title:
        warnings.append("No title found in the text or header")

    kinds = classify_paragraphs(paragraphs, title=title, language=statement_language)
    for paragraph, kind in zip(paragraphs, kinds, strict=True):
        paragraph.kind = kind
        paragraph.language = _paragraph_language(paragraph.text, statement_language)
    # A page whose extract is all headings, menus and cookie notices is not an article. A
    # paragraph taken for the title counts as text when the page's metadata named none.
    text_kinds = BODY_KINDS if metadata.get("title") else BODY_KINDS | {"title"}
    if document == "html" and not any(kind in text_kinds for kind in kinds):
        raise no_article

    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        warnings.append(f"The title was longer than {MAX_TITLE_CHARS} characters: it was cut")
    published_on, precision = _statement_date(metadata, paragraphs, subject, warnings)
    return ParsedStatement(
        title=title,
        published_on=published_on,
        date_precision=precision,
        language=statement_language,
        paragraphs=paragraphs,
        metadata=metadata,
        warnings=warnings,
        original_text=original_text,
        filename=filename,
    )


def _document_paragraphs(
    text: str, document: str, max_paragraphs: int
) -> tuple[list[ParsedParagraph], dict[str, str]]:
    if document == "html":
        return html_paragraphs(text)
    lines = text.splitlines()
    metadata, body_start = split_header(lines)
    if document == "markdown":
        return markdown_paragraphs("\n".join(lines[body_start:]), max_paragraphs), metadata
    return text_paragraphs(lines[body_start:]), metadata


def _statement_language(
    argument: str | None,
    metadata: dict[str, str],
    paragraphs: list[ParsedParagraph],
    subject: str,
    warnings: list[str],
) -> str:
    for value, origin in ((argument, "language"), (metadata.get("language"), "header language")):
        if value:
            code = language_code(value)
            if code is None:
                raise ImportRefused(
                    f"{subject}: the {origin} {value!r} is not supported (use fr or en)"
                )
            return code
    detected = detect_language(" ".join(f"{p.number} {p.text}" for p in paragraphs), default="")
    if not detected:
        warnings.append("Could not tell the language of the text; assumed French")
    return detected or "fr"


def _statement_date(
    metadata: dict[str, str],
    paragraphs: list[ParsedParagraph],
    subject: str,
    warnings: list[str],
) -> tuple[datetime.date | None, str]:
    if metadata.get("date"):
        found = parse_date_value(metadata["date"])
        if found is None:
            raise ImportRefused(
                f"{subject}: the header date {metadata['date']!r} is not a date "
                "(write 2022-09-30, 2022-09 or 2022)"
            )
        return found
    found = publication_date(paragraphs)
    if found is None:
        warnings.append("No date found in the text or header")
        return None, "day"
    return found
