"""{% timeline_chart %} and {% terms_chart %}: server-drawn SVG charts (statements.charts)."""

from __future__ import annotations

from django import template

from statements import charts
from statements.text import shorten

register = template.Library()


@register.inclusion_tag("statements/_timeline.svg")
def timeline_chart(statements, event=None) -> dict:
    """An event's statements (with their sources) on a timeline, one lane per source."""
    items = []
    undated = 0
    for statement in statements:
        span = statement.date_range
        if span is None:
            undated += 1
            continue
        items.append(
            charts.TimelineItem(
                lane=statement.source.name,
                lane_href=statement.source.get_absolute_url(),
                title=statement.title,
                href=statement.get_absolute_url(),
                date_label=statement.date_display,
                start=span[0],
                end=span[1],
            )
        )
    between = (event.starts_on, event.ends_on) if event else (None, None)
    return {"chart": charts.timeline(items, between=between), "undated": undated}


@register.filter
def shortened(value: str, limit: int) -> str:
    """`value` cut at a word boundary to at most `limit` characters (`text.shorten`)."""
    return shorten(str(value), int(limit))


@register.inclusion_tag("statements/_terms_chart.svg")
def terms_chart(framing, left_label: str, right_label: str, search_source: str = "") -> dict:
    """A diverging bar chart of `framing`'s terms. The bars toggle the terms' highlighting
    in the texts; with `search_source` (a source slug) they link to a search instead."""
    return {
        "chart": charts.diverging_bars(framing.left, framing.right),
        "left_label": left_label,
        "right_label": right_label,
        "search_source": search_source,
    }
