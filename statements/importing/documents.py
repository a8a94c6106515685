"""Paragraphs of a document: plain text by blank lines, Markdown and HTML by structure."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from .dates import parse_date_value
from .kinds import BULLET, LIST_NUMBER
from .parsed import (
    HTML_SUFFIXES,
    MARKDOWN_SUFFIXES,
    MAX_NUMBER_CHARS,
    MAX_PARAGRAPHS,
    ParsedParagraph,
)


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
# Each inline mark costs markdown-it some microseconds (2 MB of "*a" took over 15 s): a text
# with more is refused before any parsing, and may be imported as plain text instead. Real
# Markdown has a few marks per hundred characters.
MARKDOWN_MAX_MARKS = 200_000
MARKDOWN_MARKS = "[]!*_`<&\\"
# Inline markup (links in emphasis in links…) nested deeper is read as text, never dropped;
# each `[` costs work in proportion to this, so it is kept low: the importer keeps only the
# words of inline markup anyway.
MARKDOWN_INLINE_NESTING = 4


class NestedTooDeeply(ValueError):
    """The document nests blocks (lists, quotes, elements) deeper than can be read."""


class TooManyBlocks(ValueError):
    """The Markdown text has more blocks than a statement may have paragraphs; `str(exc)`
    says what was counted ("more than 20,000 blocks", "a table of more than 5,000 rows")."""


class TooMuchMarkup(ValueError):
    """The Markdown text has more marks than can be read in bounded time; `marks` says how
    many."""

    def __init__(self, marks: int):
        super().__init__(marks)
        self.marks = marks


def _shallow_inline(state) -> None:
    """A core rule between the block and inline phases: nest inline markup shallowly (the
    parser is made for one text, so changing its options here touches no other)."""
    state.md.options["maxNesting"] = MARKDOWN_INLINE_NESTING


# A paragraph of the statement is at most this many Markdown blocks (a paragraph in a list
# item in a list in a quote); a text of more blocks than that per paragraph allowed is
# refused as soon as they are counted, before markdown-it reads the rest (some 30 µs each).
MARKDOWN_BLOCKS_PER_PARAGRAPH = 4


def _block_counter(max_blocks: int):
    """A block rule, first in line: counts the blocks markdown-it starts (it is called once
    for each), and stops the parse past `max_blocks`."""

    def count_blocks(state, start_line: int, end_line: int, silent: bool) -> bool:
        if not silent:
            state.env["blocks"] = state.env.get("blocks", 0) + 1
            if state.env["blocks"] > max_blocks:
                raise TooManyBlocks(f"more than {max_blocks:,} Markdown blocks")
        return False

    return count_blocks


def _bounded_table(table, max_rows: int):
    """markdown-it's table rule reading at most `max_rows` rows: a longer table is refused
    (each row is a paragraph) instead of read whole, row by row, first."""

    def bounded_table(state, start_line: int, end_line: int, silent: bool) -> bool:
        limit = min(end_line, start_line + max_rows + 2)  # header and delimiter rows
        found = table(state, start_line, limit, silent)
        if found and not silent and state.line >= limit < end_line:
            line = state.src[state.bMarks[limit] + state.tShift[limit] : state.eMarks[limit]]
            if line.strip():
                raise TooManyBlocks(f"a table of more than {max_rows:,} rows")
        return found

    return bounded_table


def _markdown_to_html(text: str, max_paragraphs: int = MAX_PARAGRAPHS) -> str:
    """CommonMark with tables, raw HTML kept (its words are read like the rest). markdown-it-py
    is linear in its input; nesting is bounded (`NestedTooDeeply` past MARKDOWN_MAX_DEPTH),
    and so are the inline work (`TooMuchMarkup` past MARKDOWN_MAX_MARKS) and the number of
    blocks (`TooManyBlocks`, for more than `max_paragraphs` could hold)."""
    from markdown_it import MarkdownIt
    from markdown_it.rules_block.table import table

    marks = sum(text.count(mark) for mark in MARKDOWN_MARKS)
    if marks > MARKDOWN_MAX_MARKS:
        raise TooMuchMarkup(marks)

    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": 2 * MARKDOWN_MAX_DEPTH})
    parser.enable("table")
    rules = parser.block.ruler
    table_alt = {"alt": ["paragraph", "reference"]}  # a table may end a paragraph
    rules.at("table", _bounded_table(table, max_paragraphs), table_alt)
    max_blocks = MARKDOWN_BLOCKS_PER_PARAGRAPH * max_paragraphs + 100
    rules.before("table", "count_blocks", _block_counter(max_blocks))
    parser.core.ruler.before("inline", "shallow_inline", _shallow_inline)
    env: dict = {}
    tokens = parser.parse(text, env)
    if any(token.level > MARKDOWN_MAX_DEPTH for token in tokens):
        raise NestedTooDeeply
    return parser.renderer.render(tokens, parser.options, env)


def markdown_paragraphs(text: str, max_paragraphs: int = MAX_PARAGRAPHS) -> list[ParsedParagraph]:
    """The paragraphs of a Markdown text (header removed), kinds not yet set.

    `#` headings are headings, `>` quotes are quotes, each list item is a paragraph (an
    ordered one keeps its number), tables give a paragraph per row; emphasis, links and
    other inline markup are dropped, their words kept. Linear in the length of `text`;
    refuses (`TooManyBlocks`) early a text of far more blocks than `max_paragraphs`.
    """
    from lxml import html

    rendered = _markdown_to_html(text, max_paragraphs)
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
