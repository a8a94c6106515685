"""How the coverage matrix words its cells: a glyph and a word for each, never colour alone."""

from __future__ import annotations

from django import template

register = template.Library()

CELLS = {
    "quoted": ("“”", "quoted", "takes the paragraph's words over"),
    "restated": ("=", "restated", "says the same thing in other words"),
    "translated": ("⇄", "translated", "gives it in another language"),
    "reframed": ("≈", "reframed", "tells the same facts with a different slant"),
    "contradicted": ("≠", "contradicted", "says the opposite"),
    "context": ("§", "context", "only gives background to it"),
    "omitted": ("∅", "omitted", "leaves it out"),
    "pending": ("…", "pending", "still being aligned by the worker"),
}
FIDELITY = {"verbatim": "verbatim", "trimmed": "trimmed", "altered": "altered"}


@register.filter
def cell_icon(kind: str) -> str:
    return CELLS.get(kind, ("?", kind, ""))[0]


@register.filter
def cell_label(kind: str) -> str:
    return CELLS.get(kind, ("?", kind, ""))[1]


@register.filter
def cell_hint(kind: str) -> str:
    return CELLS.get(kind, ("?", kind, ""))[2]


@register.simple_tag
def cell_kinds() -> list[tuple[str, str, str, str]]:
    """The legend: every kind a cell can be, with its glyph, word and meaning."""
    return [(kind, *labels) for kind, labels in CELLS.items()]
