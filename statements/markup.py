"""Readers' Markdown to HTML that is safe to show other readers, rendered once when saved.

Two locks, so that either alone keeps a page safe: Markdown is run with its raw-HTML
handling removed (a `<script>` a reader types is shown as text, not passed through), and
its output then goes through nh3's allowlist (tags, `href` only, http/https/mailto only,
every link `rel="nofollow noopener noreferrer"`).

The work is bounded whatever a reader types: markdown-it-py (CommonMark) is linear in its
input and stops nesting at 20 levels, a note is at most `MAX_CHARS` long, and a text with
more than `MAX_MARKS` Markdown marks is refused before any rendering (what such a text
would cost is what an attacker writes, not what a reader does). Pages show the HTML stored
when the note was saved: nothing is rendered on a read.
"""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
)
# "*": nothing, or nh3 keeps its default generic attributes (title, lang) on every tag.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"

# A note's longest text (Annotation.body's max_length); a comparison's note is shorter.
MAX_CHARS = 10_000
# The characters that open inline constructs (links, emphasis, code, autolinks, entities,
# escapes). A long note of prose with links and emphasis has a few hundred.
MARKS = "[]!*_`<&\\"
MAX_MARKS = 2_000
# Quotes in lists in quotes, in markdown-it's levels (a list item is two: list and item).
# markdown-it reads twice as deep and would drop, without a word, what lies deeper still; a
# note nested deeper than this is refused instead.
MAX_DEPTH = 20


class MarkupRefused(ValueError):
    """A text too long or too heavy with markup to render; `str(exc)` tells the writer why."""


def _parser() -> MarkdownIt:
    # No raw HTML (the first lock), no images (nh3 would drop them and their alt text).
    options = {"html": False, "maxNesting": 2 * MAX_DEPTH}
    return MarkdownIt("commonmark", options).disable(["html_block", "html_inline", "image"])


_MARKDOWN = _parser()


def check(source: str, *, max_chars: int = MAX_CHARS) -> None:
    """Raise `MarkupRefused` when `source` is longer than `max_chars` or has more than
    `MAX_MARKS` Markdown marks. Linear in the length of `source`."""
    if len(source) > max_chars:
        raise MarkupRefused(
            f"A note can be at most {max_chars:,} characters long (this one has {len(source):,})."
        )
    marks = sum(source.count(mark) for mark in MARKS)
    if marks > MAX_MARKS:
        raise MarkupRefused(
            f"This note has {marks:,} Markdown marks (brackets, asterisks, underscores, "
            "backticks, angle brackets, ampersands, backslashes, exclamation marks): at most "
            f"{MAX_MARKS:,} can be shown. Write it with fewer."
        )


def sanitise(html: str) -> str:
    """`html` reduced to the allowlist; anything else is dropped (script and style content too)."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel=LINK_REL,
        strip_comments=True,
    )


def render_markdown(source: str, *, max_chars: int = MAX_CHARS) -> str:
    """A note's Markdown `source` as sanitised HTML, to store beside the source.

    Raises `MarkupRefused` (see `check`) before any work when the text is out of bounds,
    and when its blocks nest deeper than `MAX_DEPTH`.
    """
    check(source, max_chars=max_chars)
    env: dict = {}
    tokens = _MARKDOWN.parse(source, env)
    if any(token.level > MAX_DEPTH for token in tokens):
        raise MarkupRefused(
            "This note puts quotes and lists inside one another too deeply to be shown."
        )
    return sanitise(_MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env))
