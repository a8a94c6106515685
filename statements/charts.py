"""Geometry for the server-drawn SVG charts: an event's timeline, a diverging bar chart of
distinctive terms. Pure: plain values in, dataclasses of coordinates out; templates
(statements/_timeline.svg, statements/_terms_chart.svg) draw them. No Django models here.

Coordinates are in SVG user units of a viewBox `width` wide; the page scales the SVG.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from statements.framing import Term
from statements.text import shorten

# --- Timeline ---------------------------------------------------------------------------

TIMELINE_WIDTH = 800
LANE_LABEL_WIDTH = 170
MARK_HEIGHT = 16
ROW_GAP = 4
LANE_PADDING = 8
MIN_MARK_WIDTH = 8
AXIS_HEIGHT = 28
TOP = 6


@dataclass(frozen=True)
class TimelineItem:
    """One statement to draw: its lane (source), link, title and date span (inclusive)."""

    lane: str
    lane_href: str
    title: str
    href: str
    date_label: str
    start: datetime.date
    end: datetime.date


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    width: float
    height: float
    href: str
    title: str
    date_label: str
    is_span: bool  # a month or a year: a band over the days it may stand for


@dataclass(frozen=True)
class Lane:
    label: str
    href: str
    y: float
    height: float
    label_y: float
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: float
    height: float
    plot_left: float
    plot_right: float
    axis_y: float
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    span: Mark | None  # the event's own dates, drawn behind the lanes

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 18

    @property
    def label(self) -> str:
        marks = sum(len(lane.marks) for lane in self.lanes)
        lanes = len(self.lanes)
        return (
            f"Timeline of {marks} statement{'s' if marks != 1 else ''}"
            f" from {lanes} source{'s' if lanes != 1 else ''}"
        )


def timeline(
    items: Sequence[TimelineItem],
    *,
    between: tuple[datetime.date | None, datetime.date | None] = (None, None),
    width: float = TIMELINE_WIDTH,
) -> Timeline | None:
    """One lane per source (alphabetical), each statement a mark over its days.

    `between` (the event's dates, either may be None) widens the time axis and is drawn
    as a band. Marks of one lane that would overlap go on separate rows. None when there
    is nothing dated to draw. O(items log items).
    """
    if not items:
        return None
    first = min(item.start for item in items)
    last = max(item.end for item in items)
    starts, ends = between
    if starts:
        first = min(first, starts)
    if ends:
        last = max(last, ends)
    # A day of margin on each side, so a mark on the first or last day is not cut.
    first -= datetime.timedelta(days=1)
    last += datetime.timedelta(days=1)
    days = (last - first).days + 1
    plot_left, plot_right = LANE_LABEL_WIDTH, width - 10
    day_width = (plot_right - plot_left) / days

    def x_of(day: datetime.date) -> float:
        return plot_left + (day - first).days * day_width

    def mark_box(start: datetime.date, end: datetime.date) -> tuple[float, float]:
        x0, x1 = x_of(start), x_of(end) + day_width
        if x1 - x0 < MIN_MARK_WIDTH:
            middle = (x0 + x1) / 2
            x0, x1 = middle - MIN_MARK_WIDTH / 2, middle + MIN_MARK_WIDTH / 2
        return x0, x1 - x0

    lanes: list[Lane] = []
    y = TOP
    by_lane: dict[tuple[str, str], list[TimelineItem]] = {}
    for item in items:
        by_lane.setdefault((item.lane, item.lane_href), []).append(item)
    for (label, href), lane_items in sorted(
        by_lane.items(), key=lambda entry: entry[0][0].casefold()
    ):
        row_ends: list[float] = []
        placed: list[tuple[TimelineItem, float, float, int]] = []
        for item in sorted(lane_items, key=lambda item: (item.start, item.end, item.title)):
            x, mark_width = mark_box(item.start, item.end)
            row = next((i for i, end in enumerate(row_ends) if end + 2 <= x), len(row_ends))
            if row == len(row_ends):
                row_ends.append(x + mark_width)
            else:
                row_ends[row] = x + mark_width
            placed.append((item, x, mark_width, row))
        height = LANE_PADDING * 2 + len(row_ends) * (MARK_HEIGHT + ROW_GAP) - ROW_GAP
        marks = tuple(
            Mark(
                x=round(x, 1),
                y=round(y + LANE_PADDING + row * (MARK_HEIGHT + ROW_GAP), 1),
                width=round(mark_width, 1),
                height=MARK_HEIGHT,
                href=item.href,
                title=item.title,
                date_label=item.date_label,
                is_span=item.end > item.start,
            )
            for item, x, mark_width, row in placed
        )
        lanes.append(Lane(label, href, y, height, round(y + height / 2, 1), marks))
        y += height
    axis_y = y + 4
    span = None
    if starts or ends:
        x0, band = mark_box(starts or first, ends or last)
        span = Mark(round(x0, 1), TOP, round(band, 1), axis_y - TOP, "", "", "", True)
    return Timeline(
        width=width,
        height=axis_y + AXIS_HEIGHT,
        plot_left=plot_left,
        plot_right=plot_right,
        axis_y=axis_y,
        lanes=tuple(lanes),
        ticks=tuple(Tick(round(x_of(day), 1), label) for day, label in _ticks(first, last)),
        span=span,
    )


def _ticks(first: datetime.date, last: datetime.date) -> list[tuple[datetime.date, str]]:
    """Axis ticks: weekly over a couple of months, monthly over a few years, else yearly."""
    days = (last - first).days
    if days <= 70:
        step = 7 if days > 14 else 1 if days <= 7 else 2
        ticks = []
        day = first + datetime.timedelta(days=1)
        while day < last:
            ticks.append((day, f"{day.day} {calendar.month_abbr[day.month]}"))
            day += datetime.timedelta(days=step)
        return ticks
    if days <= 3 * 366:
        months = []
        year, month = first.year, first.month
        while True:
            month += 1
            if month == 13:
                year, month = year + 1, 1
            day = datetime.date(year, month, 1)
            if day >= last:
                break
            months.append(day)
        every = max(1, -(-len(months) // 12))
        return [
            (day, f"{calendar.month_abbr[day.month]} {day.year}")
            for i, day in enumerate(months)
            if i % every == 0
        ]
    years = [datetime.date(year, 1, 1) for year in range(first.year + 1, last.year + 1)]
    every = max(1, -(-len(years) // 10))
    return [(day, str(day.year)) for i, day in enumerate(years) if i % every == 0]


# --- Diverging bars of distinctive terms ------------------------------------------------

CHART_WIDTH = 760
BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_ROOM = 200
HEADER_HEIGHT = 26
MAX_LABEL_CHARS = 30


@dataclass(frozen=True)
class Bar:
    side: str  # "l": drawn leftwards from the centre; "r": rightwards
    term: str
    key: str
    z: float
    left_count: int
    right_count: int
    x: float
    y: float
    width: float
    height: float
    label: str  # the term, shortened to fit
    label_x: float
    text_y: float
    anchor: str  # text-anchor of the label: "end" on the left, "start" on the right


@dataclass(frozen=True)
class DivergingChart:
    width: float
    height: float
    center: float
    header_y: float
    bars: tuple[Bar, ...]

    @property
    def left_header_x(self) -> float:
        return self.center - 8

    @property
    def right_header_x(self) -> float:
        return self.center + 8

    @property
    def left(self) -> tuple[Bar, ...]:
        return tuple(bar for bar in self.bars if bar.side == "l")

    @property
    def right(self) -> tuple[Bar, ...]:
        return tuple(bar for bar in self.bars if bar.side == "r")


def diverging_bars(
    left: Sequence[Term], right: Sequence[Term], *, limit: int = 12, width: float = CHART_WIDTH
) -> DivergingChart | None:
    """Each side's `limit` strongest terms as bars from a shared centre, length by z-score.

    Rows pair the i-th term of each side (both sorted by decreasing z); the scale is the
    same on both sides. None when neither side has a term.
    """
    left, right = list(left[:limit]), list(right[:limit])
    if not left and not right:
        return None
    center = width / 2
    room = center - LABEL_ROOM
    top = max((term.z for term in (*left, *right)), default=1.0) or 1.0
    bars = []
    for side, terms in (("l", left), ("r", right)):
        for row, term in enumerate(terms):
            length = max(2.0, room * term.z / top)
            y = HEADER_HEIGHT + row * (BAR_HEIGHT + BAR_GAP)
            label = shorten(term.term, MAX_LABEL_CHARS)
            bars.append(
                Bar(
                    side=side,
                    term=term.term,
                    key=term.key,
                    z=round(term.z, 1),
                    left_count=term.left_count,
                    right_count=term.right_count,
                    x=round(center - length if side == "l" else center, 1),
                    y=y,
                    width=round(length, 1),
                    height=BAR_HEIGHT,
                    label=label,
                    label_x=round(center - length - 6 if side == "l" else center + length + 6, 1),
                    text_y=y + BAR_HEIGHT * 0.72,
                    anchor="end" if side == "l" else "start",
                )
            )
    rows = max(len(left), len(right))
    return DivergingChart(
        width=width,
        height=HEADER_HEIGHT + rows * (BAR_HEIGHT + BAR_GAP) + 4,
        center=center,
        header_y=HEADER_HEIGHT - 10,
        bars=tuple(bars),
    )
