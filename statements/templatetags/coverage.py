"""How the coverage matrix words its cells: a glyph and a word for each, never colour alone."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

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


@register.filter
def cell_link(cell) -> SafeString:
    """A cell as a link to the compare view at its pair: glyph, word, fidelity. Built here
    rather than in the template: a matrix holds a thousand of them, twice."""
    icon, label, hint = CELLS.get(cell.kind, ("?", cell.kind, ""))
    fidelity = (
        format_html(' <span class="fidelity">({})</span>', cell.fidelity) if cell.fidelity else ""
    )
    return format_html(
        '<a class="cell-link" href="{}" title="{}"><span class="cell-icon" aria-hidden="true">'
        "{}</span> {}{}</a>",
        cell.url,
        hint,
        icon,
        label,
        fidelity,
    )


@register.filter
def cell_td(cell) -> SafeString:
    """A matrix cell: its link in a <td> that names its paragraph, statement and relation."""
    return format_html(
        '<td class="cell cell-{}" data-paragraph="{}" data-statement="{}" data-relation="{}">'
        "{}</td>",
        cell.kind,
        cell.position,
        cell.statement,
        cell.kind,
        cell_link(cell),
    )
