"""{{ hit.snippet|snippet_html }}: a search hit's snippet, matches marked, all else escaped."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from statements.search import Piece

register = template.Library()


@register.filter
def snippet_html(pieces: list[Piece]) -> SafeString:
    """The pieces as HTML: matches in <mark>, every piece of text escaped."""
    return mark_safe(  # noqa: S308 - every piece of text is escaped here
        "".join(
            f"<mark>{escape(piece.text)}</mark>" if piece.match else escape(piece.text)
            for piece in pieces
        )
    )
