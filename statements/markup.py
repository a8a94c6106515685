"""Readers' Markdown to HTML that is safe to show other readers.

Two locks, so that either alone keeps a page safe: Markdown is run with its raw-HTML
handling removed (a `<script>` a reader types is shown as text, not passed through), and
its output then goes through nh3's allowlist (tags, `href` only, http/https/mailto only,
every link `rel="nofollow noopener noreferrer"`).
"""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {"p", "br", "em", "strong", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
)
# "*": nothing, or nh3 keeps its default generic attributes (title, lang) on every tag.
ALLOWED_ATTRIBUTES = {"a": {"href"}, "*": set()}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener noreferrer"


def _markdown() -> markdown.Markdown:
    converter = markdown.Markdown(extensions=["fenced_code", "sane_lists"], output_format="html")
    # Without these, Markdown copies raw HTML blocks and inline tags into its output.
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return converter


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


def render_markdown(source: str) -> SafeString:
    """A note's Markdown `source` as sanitised HTML, safe to put in a page as is."""
    html = _markdown().convert(source)
    return mark_safe(sanitise(html))  # sanitised just above
