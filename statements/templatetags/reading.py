"""How the compare page words and marks what the engine found: relations, states, reasons,
quote fidelity, marked passages. Every piece of text is escaped here."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from statements.reading import Piece

register = template.Library()

# A glyph per relation and state, always beside a word or explained by the legend: the
# page never tells them apart by colour alone.
RELATION_ICONS = {
    "quotes": "“”",
    "restates": "=",
    "reframes": "≈",
    "contradicts": "≠",
    "context": "§",
    "translates": "⇄",
}
RELATION_HINTS = {
    "quotes": "takes words over verbatim",
    "restates": "says the same thing in other words",
    "reframes": "tells the same facts with a different slant",
    "contradicts": "says the opposite",
    "context": "gives background to it",
    "translates": "is a translation of it",
}
STATE_ICONS = {"suggested": "○", "confirmed": "✓", "rejected": "✗"}
STATE_HINTS = {
    "suggested": "suggested by the engine, not checked by a reader",
    "confirmed": "confirmed by a reader",
    "rejected": "rejected by a reader: it links nothing",
}
FATE_LABELS = {
    "contradicted": ("≠", "contradicted"),
    "reframed": ("≈", "reframed"),
    "linked": ("↔", "linked"),
    "omitted": ("∅", "omission"),
    "added": ("+", "addition"),
    "context": ("", ""),
    "pending": ("…", "aligning"),
}
FIDELITY = {
    "verbatim": "quoted word for word",
    "trimmed": "quoted with words left out",
    "altered": "quoted with words changed",
    "not_found": "not found in the other text",
}


@register.filter
def relation_icon(relation: str) -> str:
    return RELATION_ICONS.get(relation, "↔")


@register.filter
def relation_hint(relation: str) -> str:
    return RELATION_HINTS.get(relation, "")


@register.filter
def state_icon(state: str) -> str:
    return STATE_ICONS.get(state, "")


@register.filter
def state_hint(state: str) -> str:
    return STATE_HINTS.get(state, "")


@register.filter
def fate_icon(fate: str) -> str:
    return FATE_LABELS.get(fate, ("", ""))[0]


@register.filter
def fate_label(fate: str) -> str:
    return FATE_LABELS.get(fate, ("", ""))[1]


@register.filter
def fidelity_label(fidelity: str) -> str:
    return FIDELITY.get(fidelity, fidelity.replace("_", " "))


@register.filter
def percent(value: float | None) -> str:
    """0.823 -> '82%'; None stays empty."""
    return "" if value is None else f"{round(value * 100)}%"


@register.filter
def strength(link) -> str:
    """How strong a link is, in words: the engine's confidence, else its raw similarity."""
    if link.confidence is not None:
        return f"confidence {percent(link.confidence)}"
    if link.score is not None:
        return f"similarity {link.score:.2f}"
    return "linked by a reader"


def _words(value: Any) -> SafeString:
    return format_html("‘{}’", value)


@register.filter
def reason(found: Mapping[str, Any]) -> SafeString:
    """One of the engine's reasons as a reader can check it, e.g. “swapped ‘annexion
    illégale’ for ‘rattachement’”. An unknown kind is said with its own fields."""
    kind = str(found.get("kind", ""))
    left, right = found.get("left"), found.get("right")
    if kind == "verbatim":
        words = found.get("words", 0)
        return format_html("shares {} word{} verbatim", words, "" if words == 1 else "s")
    if kind == "swap":
        return format_html("swapped {} for {}", _words(left), _words(right))
    if kind == "dropped":
        return format_html("dropped {}", _words(left))
    if kind == "added":
        return format_html("added {}", _words(right))
    if kind == "scare_quotes":
        return format_html("put {} in scare quotes", _words(right))
    if kind == "negation":
        return format_html("negated {} as {}", _words(left), _words(right))
    if kind == "antonym":
        return format_html("turned {} into its opposite, {}", _words(left), _words(right))
    if kind == "denial":
        return format_html("denies it: {}", _words(left or right))
    if kind == "denied_quote":
        return format_html(
            "quotes {} and denies it: {}", _words(found.get("quoted", "")), _words(left or right)
        )
    if kind == "shared":
        words = found.get("words") or []
        return format_html(
            "both name {}", format_html_join(", ", "‘{}’", ((word,) for word in words))
        )
    if kind == "attributed_quote":
        speaker = found.get("speaker")
        if speaker:
            return format_html("quotes {} as saying {}", speaker, right or "")
        return format_html("quotes {}", right or left or "")
    if kind == "translation":
        if found.get("quotation"):
            return format_html("quotes it in translation: {}", _words(found["quotation"]))
        cosine = found.get("cosine")
        if isinstance(cosine, int | float):
            return format_html("reads as a translation (machine similarity {})", f"{cosine:.2f}")
        return format_html("reads as a translation")
    details = format_html_join(
        ", ", "{}: {}", ((key, value) for key, value in found.items() if key != "kind")
    )
    return format_html("{} ({})", kind.replace("_", " "), details) if details else escape(kind)


@register.filter
def pieces(found: list[Piece]) -> SafeString:
    """A marked passage as HTML: evidence underlined, shared quotes and changed words marked."""
    parts = []
    for piece in found:
        html = escape(piece.text)
        if "changed" in piece.marks:
            html = f'<mark class="changed">{html}</mark>'
        if "quote" in piece.marks:
            html = f'<mark class="quote">{html}</mark>'
        if "evidence" in piece.marks:
            html = f'<span class="evidence">{html}</span>'
        parts.append(html)
    return mark_safe("".join(parts))


@register.filter
def diff(operations) -> SafeString:
    """A quotation's word diff against its source: kept, removed (del) and added (ins)."""
    parts = []
    for op, words in operations:
        if op == "-":
            parts.append(format_html('<del title="left out">{}</del>', words))
        elif op == "+":
            parts.append(format_html('<ins title="added">{}</ins>', words))
        else:
            parts.append(escape(words))
    return mark_safe(" ".join(parts))


@register.filter
def excerpt(value: str, limit: int = 240) -> str:
    """The first `limit` characters of a passage, cut at a word, with an ellipsis."""
    if len(value) <= limit:
        return value
    cut = value[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + " …"


@register.simple_tag
def relations() -> list[str]:
    """Every relation a link can have, in the legend's order."""
    return list(RELATION_ICONS)
