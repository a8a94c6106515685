"""`parse_statement`: decode, read the header, split, classify, find title, date, language."""

from __future__ import annotations

import datetime
import re

from statements.text import detect_language, words

from .dates import DATE_LABELS, find_date, leading_date, parse_date_value, strip_leading_date
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
# How many lines of the title's block may come before a dateline under it (a title wrapped
# over a few lines): further down, a line that reads like a dateline is part of a sentence.
TITLE_MAX_LINES = 4

# The warnings a correction in the admin's preview answers (`services.imports`).
NO_TITLE_WARNING = "No title found in the text or header"
NO_DATE_WARNING = "No date found in the text or header"


def _is_title_candidate(text: str, language: str = "") -> bool:
    return not (is_boilerplate(text) or is_dateline(text) or is_caption(text, language=language))


def _choose_title(texts: list[str], language: str) -> str:
    for text in texts:
        if _is_title_candidate(text, language):
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
        warnings.append(NO_TITLE_WARNING)

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
    lines = dateline_apart(lines[body_start:])
    if document == "markdown":
        return markdown_paragraphs("\n".join(lines), max_paragraphs), metadata
    return text_paragraphs(lines), metadata


def dateline_apart(lines: list[str]) -> list[str]:
    """`lines` with a blank line either side of a dateline written in the title's block.

    "Title\nPublié le 30.9.2022" is two paragraphs, a title and a dateline, as it is with a
    blank line between: joined, the dateline would end the title and give no date. The
    title's block is the first run of non-blank lines, among the first few, that is not
    site chrome, a caption or a dateline alone; its first line within `TITLE_MAX_LINES`
    that is a dateline (under the title, or above it) is set apart, unless the block's
    other lines say no more than a date's labels or a sentence runs on through it. Lines
    are never changed or dropped, only blank lines added. O(n) in the number of lines.
    """
    start = 0
    for _ in range(DATE_SEARCH_PARAGRAPHS):
        while start < len(lines) and not lines[start].strip():
            start += 1
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        if start == end:
            break
        block = [line.strip() for line in lines[start:end]]
        joined = " ".join(block)
        if is_boilerplate(joined) or is_caption(joined):
            start = end
            continue
        for offset, line in enumerate(block[:TITLE_MAX_LINES] if len(block) > 1 else ()):
            following = block[offset + 1] if offset + 1 < len(block) else ""
            if not (is_dateline(line) and _ends_a_line(line, following)):
                continue
            if _says_more_than_a_date(" ".join(block[:offset] + block[offset + 1 :])):
                at = start + offset
                before = [""] if offset else []
                after = [""] if at + 1 < end else []
                return [*lines[:at], *before, lines[at], *after, *lines[at + 1 :]]
        if not is_dateline(joined):
            break  # the title's block, with no dateline in it
        start = end
    return lines


def _ends_a_line(line: str, following: str) -> bool:
    """`line` is not the middle of a sentence wrapped over lines ("réunis / à Bruxelles le 24
    mars 2022, / ont décidé")."""
    return not line.rstrip().endswith((",", ";")) and not following[:1].islower()


def _says_more_than_a_date(text: str) -> bool:
    return _is_title_candidate(text) and any(word not in DATE_LABELS for word in words(text))


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
        warnings.append(NO_DATE_WARNING)
        return None, "day"
    return found
