"""Pure importer: bytes or text -> ParsedStatement (metadata, paragraphs, kinds, warnings).

No Django here. The entry point is `parse_statement` (parser); `ImportRefused` carries a
message for the person importing. The stages, one module each:

- decoding: bytes to text (byte-order marks, UTF-8, Windows-1252), size and binary checks;
- header: the optional `key: value` block (or front matter) at the top;
- documents: paragraphs of plain text (blank lines), Markdown and HTML (their structure);
- kinds: body, title, heading, dateline, caption, boilerplate, in context;
- dates: dates written in the text, a date given on its own, datelines.

Plain text (`.txt`) is split on blank lines. Markdown (`.md`) and HTML (`.html`, `.htm`) are
read through their structure: headings, lists and quotes come from the markup, and the
paragraphs keep their text without it.

Nothing is ever dropped: every non-empty line of a plain text, header block aside, ends up
in some paragraph's text (or number). Site chrome is kept and marked `boilerplate`. For HTML
the extractor keeps the page's main text; `original_text` holds the whole page.
"""

from __future__ import annotations

from .dates import find_date, leading_date, parse_date_value, strip_leading_date
from .decoding import check_size, decode
from .documents import (
    document_format,
    html_paragraphs,
    markdown_paragraphs,
    split_number,
    text_paragraphs,
)
from .header import split_header
from .kinds import (
    classify,
    classify_paragraphs,
    is_boilerplate,
    is_caption,
    is_dateline,
    is_heading,
    is_section_title,
    is_title_repeat,
)
from .parsed import (
    BODY_KINDS,
    KINDS,
    MAX_BYTES,
    MAX_TITLE_CHARS,
    PRECISIONS,
    SUFFIXES,
    ImportRefused,
    ParsedParagraph,
    ParsedStatement,
)
from .parser import NO_DATE_WARNING, NO_TITLE_WARNING, parse_statement, publication_date

__all__ = [
    "BODY_KINDS",
    "KINDS",
    "MAX_BYTES",
    "MAX_TITLE_CHARS",
    "NO_DATE_WARNING",
    "NO_TITLE_WARNING",
    "PRECISIONS",
    "SUFFIXES",
    "ImportRefused",
    "ParsedParagraph",
    "ParsedStatement",
    "check_size",
    "classify",
    "classify_paragraphs",
    "decode",
    "document_format",
    "find_date",
    "html_paragraphs",
    "is_boilerplate",
    "is_caption",
    "is_dateline",
    "is_heading",
    "is_section_title",
    "is_title_repeat",
    "leading_date",
    "markdown_paragraphs",
    "parse_date_value",
    "parse_statement",
    "publication_date",
    "split_header",
    "split_number",
    "strip_leading_date",
    "text_paragraphs",
]
