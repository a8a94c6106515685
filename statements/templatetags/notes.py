"""Template helpers for readers' notes: their Markdown, their passages, their area."""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from statements import text
from statements.notes import Region

register = template.Library()


@register.filter
def notes_for(notes_by_target: dict | None, target) -> list:
    """The notes of a paragraph (or link) from a view's `notes_by_paragraph` dict; [] if none."""
    if not notes_by_target:
        return []
    return notes_by_target.get(getattr(target, "pk", target), [])


@register.filter
def with_notes(value, notes) -> list[text.Segment]:
    """A paragraph's text (or its highlighted segments) cut again at the notes' passages."""
    segments = [text.Segment(value)] if isinstance(value, str) else list(value)
    spans = [(n.start, n.end) for n in notes or () if n.start is not None and n.end]
    return text.mark_notes(segments, spans)


@register.filter
def marked(segments: list[text.Segment]) -> SafeString:
    """Segments as HTML: notes, quotes and terms marked, every piece of text escaped.

    Built in Python because a template loop over every segment of a thousand paragraphs
    was most of the compare page's time.
    """
    parts = []
    for segment in segments:
        piece = escape(segment.text)
        if segment.term:
            piece = f'<span class="term" data-term="{escape(segment.term)}">{piece}</span>'
        if segment.quote:
            piece = f'<mark class="quote">{piece}</mark>'
        if segment.note:
            piece = f'<mark class="note">{piece}</mark>'
        parts.append(piece)
    return mark_safe("".join(parts))


@register.inclusion_tag("statements/annotations/_notes.html", takes_context=True)
def notes_region(context, target, notes, kind: str = "paragraph", key: str = "") -> dict:
    """The closed notes area under a paragraph (or, with kind="link", a saved link, or a
    link's id with `key`, its comparison's key: it goes in the area's URLs)."""
    if kind == "link" and not key:
        key = target.comparison.key
    return {
        "region": Region(kind, getattr(target, "pk", target), list(notes or ()), key=key),
        "user": context.get("user"),
    }
