"""What the importer gives: parsed statements and paragraphs, their kinds, and the
refusal that carries a message for the person importing."""

from __future__ import annotations

import datetime
import functools
import hashlib
from dataclasses import dataclass

from statements.text import normalise

from .header import split_events

MAX_BYTES = 2 * 1024 * 1024
# A declaration has tens to a few hundred paragraphs; pages, alignment and the admin are
# built for a few thousand. The server's own cap is PARALLAX_MAX_PARAGRAPHS.
MAX_PARAGRAPHS = 5000

KINDS = ("body", "title", "heading", "dateline", "caption", "boilerplate", "quote")
# What a statement says, as opposed to its title, datelines, captions and site chrome: what
# is aligned, counted and searched by default.
BODY_KINDS = frozenset({"body", "quote"})
HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES
PRECISIONS = ("day", "month", "year")
MAX_TITLE_CHARS = 500  # Statement.title
MAX_NUMBER_CHARS = 10  # Paragraph.number


class ImportRefused(ValueError):
    """A text that cannot be imported; `str(exc)` is a message for the person importing it."""


@dataclass
class ParsedParagraph:
    text: str
    kind: str
    number: str = ""
    language: str = ""
    # What the document's markup says the paragraph is ("heading", "quote", "item"); "" in a
    # plain text. The kind heuristics defer to it.
    markup: str = ""
    # In a plain text, the paragraph follows a section break (two blank lines).
    section_break: bool = False


@dataclass
class ParsedStatement:
    title: str
    published_on: datetime.date | None
    date_precision: str
    language: str
    paragraphs: list[ParsedParagraph]
    metadata: dict[str, str]
    warnings: list[str]
    original_text: str
    filename: str | None = None

    @functools.cached_property
    def content_hash(self) -> str:
        """sha256 of the normalised paragraph texts: the header does not change it.

        Computed once (texts are not changed after parsing; corrections change kinds).
        """
        joined = "\n".join(normalise(paragraph.text) for paragraph in self.paragraphs)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()

    @property
    def events(self) -> list[str]:
        """Event names from the header's `event:` lines, in order."""
        return split_events(self.metadata.get("event", ""))
