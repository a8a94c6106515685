"""Paragraphs of a document: plain text by blank lines, Markdown and HTML by structure."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .dates import parse_date_value
from .kinds import BULLET, LIST_NUMBER
from .parsed import HTML_SUFFIXES, MARKDOWN_SUFFIXES, MAX_NUMBER_CHARS, ParsedParagraph


@dataclass
class _Block:
    lines: list[str] = field(default_factory=list)
    blank_lines_before: int = 0

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines).strip()


def _blocks(lines: list[str]) -> list[_Block]:
    """Blank-line separated blocks; a bullet or numbered line starts a block of its own."""
    blocks: list[_Block] = []
    current = _Block()
    blank = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            blank += 1
            if current.lines:
                blocks.append(current)
                current = _Block()
            continue
        if current.lines and (BULLET.match(stripped) or LIST_NUMBER.match(stripped)):
            blocks.append(current)
            current = _Block()
        if not current.lines:
            current.blank_lines_before = blank
        current.lines.append(stripped)
        blank = 0
    if current.lines:
        blocks.append(current)
    return blocks


def split_number(text: str) -> tuple[str, str]:
    """("1.", "Nous condamnons…") from "1. Nous condamnons…"; ("", text) with no number."""
    match = LIST_NUMBER.match(text)
    if not match:
        return "", text
    return match.group(1), text[match.end() :].strip()


def text_paragraphs(lines: list[str]) -> list[ParsedParagraph]:
    """The paragraphs of a plain text (header removed), kinds not yet set."""
    paragraphs = []
    for block in _blocks(lines):
        number, text = split_number(block.text)
        paragraphs.append(
            ParsedParagraph(text, "", number, section_break=block.blank_lines_before >= 2)
        )
    return paragraphs


def document_format(filename: str | None) -> str:
    """ "html", "markdown" or "text", from the file name's extension (text when unknown)."""
    suffix = os.path.splitext(filename or "")[1].lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


# --------------------------------------------------------------------------------------
# Markdown and HTML: paragraphs from the document's structure

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "head"})
_LIST_TAGS = frozenset({"ul", "ol", "list"})
_ITEM_TAGS = frozenset({"li", "item"})
_QUOTE_TAGS = frozenset({"blockquote", "quote"})
_TABLE_TAGS = frozenset({"table"})
_ROW_TAGS = frozenset({"tr", "row"})
_CELL_TAGS = frozenset({"td", "th", "cell"})
_BREAK_TAGS = frozenset({"br", "lb"})
_SKIPPED_TAGS = frozenset({"hr", "img", "graphic", "script", "style", "template"})
_BLOCK_TAGS = (
    _HEADING_TAGS
    | _LIST_TAGS
    | _QUOTE_TAGS
    | _TABLE_TAGS
    | frozenset({"p", "div", "pre", "section", "article", "figure", "figcaption", "dl", "dd"})
)


def _tag(element) -> str:
    """The lower-case tag name; "" for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _inline_text(element, *, skip: frozenset[str] = _LIST_TAGS) -> str:
    """The element's text on one line, markup gone; nested lists (`skip`) left out."""
    parts = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag in _BREAK_TAGS:
            parts.append(" ")
        elif tag in _BLOCK_TAGS and tag not in skip:
            parts.append(f" {_inline_text(child, skip=skip)} ")
        elif tag and tag not in skip and tag not in _SKIPPED_TAGS:
            parts.append(_inline_text(child, skip=skip))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _add_paragraph(found: list[ParsedParagraph], text: str | None, markup: str, number=""):
    text = " ".join((text or "").split())
    if not text:
        return
    if not number:
        number, text = split_number(text)
    if len(number) > MAX_NUMBER_CHARS:  # <ol start="99999999999">: no number worth keeping
        number = ""
    found.append(ParsedParagraph(text, "", number, markup=markup))


def _structure_paragraphs(element, markup: str, found: list[ParsedParagraph]) -> None:
    """Paragraphs of a block element's content, in document order."""
    _add_paragraph(found, element.text, markup)
    for child in element:
        if _tag(child) and _tag(child) not in _SKIPPED_TAGS:
            _block_paragraphs(child, markup, found)
        _add_paragraph(found, child.tail, markup)


def _block_paragraphs(element, markup: str, found: list[ParsedParagraph]) -> None:
    tag = _tag(element)
    has_blocks = any(_tag(child) in _BLOCK_TAGS for child in element)
    if tag in _HEADING_TAGS:
        _add_paragraph(found, _inline_text(element, skip=frozenset()), "heading")
    elif tag in _QUOTE_TAGS:
        if has_blocks:
            _structure_paragraphs(element, "quote", found)
        else:
            _add_paragraph(found, _inline_text(element), "quote")
    elif tag in _LIST_TAGS:
        _list_paragraphs(element, markup, found)
    elif tag in _TABLE_TAGS:
        for row in element.iter():
            if _tag(row) in _ROW_TAGS:
                cells = [_inline_text(cell) for cell in row if _tag(cell) in _CELL_TAGS]
                _add_paragraph(found, " | ".join(cell for cell in cells if cell), markup)
    elif has_blocks:
        _structure_paragraphs(element, markup, found)
    else:
        _add_paragraph(found, _inline_text(element, skip=frozenset()), markup)


def _list_paragraphs(element, markup: str, found: list[ParsedParagraph]) -> None:
    """One paragraph per item ("3." for the third of an ordered list); nested lists follow
    their item."""
    ordered = _tag(element) == "ol" or element.get("rend") == "ol"
    try:
        start = int(element.get("start") or 1)
    except ValueError:
        start = 1
    items = [child for child in element if _tag(child) in _ITEM_TAGS]
    for index, item in enumerate(items):
        number = f"{start + index}." if ordered else ""
        _add_paragraph(found, _inline_text(item), markup or "item", number)
        for nested in _lists_within(item):
            _list_paragraphs(nested, markup, found)


def _lists_within(element):
    """The outermost lists inside `element` (their own nested lists are theirs to walk)."""
    for child in element:
        if _tag(child) in _LIST_TAGS:
            yield child
        elif _tag(child):
            yield from _lists_within(child)


# markdown-it stops reading blocks nested deeper than its `maxNesting` and drops the rest of
# the text without a word: it reads up to twice as deep as a text may go, and a text that
# goes deeper than MARKDOWN_MAX_DEPTH is refused (nothing is ever dropped).
MARKDOWN_MAX_DEPTH = 32


class NestedTooDeeply(ValueError):
    """The document nests blocks (lists, quotes, elements) deeper than can be read."""


def _markdown_to_html(text: str) -> str:
    """CommonMark with tables, raw HTML kept (its words are read like the rest). markdown-it-py
    is linear in its input; nesting is bounded (`NestedTooDeeply` past MARKDOWN_MAX_DEPTH)."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": 2 * MARKDOWN_MAX_DEPTH})
    parser.enable("table")
    env: dict = {}
    tokens = parser.parse(text, env)
    if any(token.level > MARKDOWN_MAX_DEPTH for token in tokens):
        raise NestedTooDeeply
    return parser.renderer.render(tokens, parser.options, env)


def markdown_paragraphs(text: str) -> list[ParsedParagraph]:
    """The paragraphs of a Markdown text (header removed), kinds not yet set.

    `#` headings are headings, `>` quotes are quotes, each list item is a paragraph (an
    ordered one keeps its number), tables give a paragraph per row; emphasis, links and
    other inline markup are dropped, their words kept. Linear in the length of `text`.
    """
    from lxml import html

    rendered = _markdown_to_html(text)
    if not rendered.strip():
        return []
    found: list[ParsedParagraph] = []
    _structure_paragraphs(html.fragment_fromstring(rendered, create_parent="div"), "", found)
    return found


def html_paragraphs(page: str) -> tuple[list[ParsedParagraph], dict[str, str]]:
    """The main text of a web page as paragraphs (kinds not yet set), and its metadata.

    trafilatura finds the article and leaves out the site's navigation, footers and
    sidebars; headings, lists and quotes come from its markup. The metadata holds what the
    page states about itself: `title`, `date` (only a date the page's markup gives, never a
    guess), `url` and `site_name`, each when present.
    """
    # Imported here: trafilatura takes a while to load and only HTML needs it.
    import trafilatura

    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or document.body is None:
        return [], {}
    found: list[ParsedParagraph] = []
    _structure_paragraphs(document.body, "", found)
    metadata = {}
    if document.title:
        metadata["title"] = " ".join(document.title.split())
    if document.date and parse_date_value(document.date):
        metadata["date"] = document.date
    if document.url and document.url.startswith(("http://", "https://")):
        metadata["url"] = document.url
    if document.sitename:
        metadata["site_name"] = " ".join(document.sitename.split())
    return found, metadata
