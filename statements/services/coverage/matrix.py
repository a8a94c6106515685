"""The coverage matrix: cells read from stored alignments, columns, rows, summaries."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.urls import reverse

from statements.alignment import DEFAULT_THRESHOLD, Link
from statements.models import Event, Paragraph, Source, Statement, StoredAlignment
from statements.reading import pair_anchor
from statements.services import comparing, vectors

# The engine's relation of a link, as a cell says what the other statement did.
CELL_KINDS = {
    "quotes": "quoted",
    "restates": "restated",
    "reframes": "reframed",
    "contradicts": "contradicted",
    "translates": "translated",
    "context": "context",
}
# When a paragraph is linked to several of the other statement's, the cell shows the most
# telling link: a contradiction or a reframing matters more than a restatement.
PRIORITY = ("contradicts", "reframes", "quotes", "restates", "translates", "context")
# What counts as covering a paragraph (context only touches on it).
COVERING = frozenset({"quoted", "restated", "reframed", "contradicted", "translated"})
# The row summary's counts, in the order a reader asks them.
COUNTED = ("quoted", "restated", "reframed", "contradicted", "omitted", "pending")
# Columns grouped by source kind, in this order.
KIND_ORDER = (
    Source.Kind.OFFICIAL,
    Source.Kind.NEWS_AGENCY,
    Source.Kind.PRESS,
    Source.Kind.STATE_MEDIA,
    Source.Kind.BLOG,
    Source.Kind.OTHER,
)
RANKED = 5  # paragraphs listed as the most omitted and the most reframed


class NoStatements(Exception):
    """The event has no statement: there is nothing to put side by side."""

    def __init__(self, event: Event):
        self.event = event
        super().__init__(f"“{event.name}” has no statements yet: there is nothing to compare.")


@dataclass
class Cell:
    """What one statement did with one of the pivot's paragraphs."""

    position: int  # the pivot paragraph's
    kind: str  # quoted, restated, reframed, contradicted, translated, context, omitted, pending
    partners: tuple[int, ...] = ()  # the other statement's paragraphs, the shown one first
    fidelity: str = ""  # of a quotation: verbatim, trimmed, altered
    confidence: float | None = None
    score: float | None = None
    reasons: tuple[Mapping[str, Any], ...] = ()  # "left": the pivot's words
    url: str = ""  # the compare view at the pair's anchor
    statement: str = ""  # the other statement's slug

    @property
    def covers(self) -> bool:
        return self.kind in COVERING


@dataclass
class Column:
    """One of the other statements, with its cells (one per pivot paragraph, in order)."""

    statement: Statement
    compare_url: str
    pending: bool
    cells: list[Cell] = field(default_factory=list)

    @property
    def covered(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.covers]

    @property
    def omitted(self) -> list[int]:
        return [cell.position for cell in self.cells if cell.kind == "omitted"]

    @property
    def contradictions(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.kind == "contradicted"]

    @property
    def reframings(self) -> list[tuple[Cell, list[tuple[str, str]]]]:
        """Each reframed paragraph with the words the other statement swapped for the
        pivot's ("annexion illégale" → "rattachement"), as the engine gave them."""
        return [
            (cell, swapped_words(cell.reasons)) for cell in self.cells if cell.kind == "reframed"
        ]


@dataclass
class Row:
    """One pivot paragraph, with its cells (one per column) and their counts."""

    paragraph: Paragraph
    cells: list[Cell]
    counts: dict[str, int]

    @property
    def anchor(self) -> str:
        return f"row-p{self.paragraph.position}"


@dataclass
class Group:
    kind: str
    label: str
    columns: list[Column]


@dataclass
class Coverage:
    event: Event
    pivot: Statement
    statements: list[Statement]  # every statement of the event: the pivot choices
    columns: list[Column]
    rows: list[Row]

    @property
    def groups(self) -> list[Group]:
        by_kind: dict[str, list[Column]] = {}
        for column in self.columns:
            by_kind.setdefault(column.statement.source.kind, []).append(column)
        labels = dict(Source.Kind.choices)
        return [Group(kind, labels[kind], by_kind[kind]) for kind in KIND_ORDER if kind in by_kind]

    @property
    def pending(self) -> bool:
        return any(column.pending for column in self.columns)

    @property
    def most_omitted(self) -> list[Row]:
        return _ranked(self.rows, "omitted")

    @property
    def most_reframed(self) -> list[Row]:
        return _ranked(self.rows, "reframed")


def _ranked(rows: list[Row], kind: str) -> list[Row]:
    found = [row for row in rows if row.counts[kind]]
    found.sort(key=lambda row: (-row.counts[kind], row.paragraph.position))
    return found[:RANKED]


def swapped_words(reasons: Iterable[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [
        (str(reason.get("left") or ""), str(reason.get("right") or ""))
        for reason in reasons
        if reason.get("kind") == "swap"
    ]


def default_pivot(statements: list[Statement]) -> Statement:
    """The earliest official statement, else the earliest one (`statements` by date)."""
    official = (s for s in statements if s.source.kind == Source.Kind.OFFICIAL)
    return next(official, statements[0])


def event_coverage(
    event_slug: str,
    pivot_slug: str | None = None,
    *,
    queue_missing: bool = True,
    threshold: float = DEFAULT_THRESHOLD,
) -> Coverage:
    """The coverage matrix of the event around `pivot_slug` (default: `default_pivot`).

    Http404 for an unknown event, or a pivot that is not one of its statements;
    NoStatements for an event without any. Four queries however many rows and columns
    (event, statements, paragraphs with their vectors' ids, stored alignments), plus the
    rows again and what queueing costs when pairs were queued.
    """
    event = Event.objects.filter(slug=event_slug).first()
    if event is None:
        raise Http404("No event with that name")
    statements = list(
        event.statements.select_related("source").defer("original_text").chronological()
    )
    if not statements:
        raise NoStatements(event)
    if pivot_slug:
        pivot = next((s for s in statements if s.slug == pivot_slug), None)
        if pivot is None:
            raise Http404("That statement is not one of this event's")
    else:
        pivot = default_pivot(statements)
    others = [s for s in statements if s.pk != pivot.pk]
    paragraphs: dict[int, list[Paragraph]] = {s.pk: [] for s in statements}
    found = Paragraph.objects.filter(statement__in=list(paragraphs)).defer("terms")
    for p in vectors.with_vector_ids(found).order_by("position"):
        paragraphs[p.statement_id].append(p)
    for p in paragraphs[pivot.pk]:
        p.statement = pivot  # its URL names its statement: no query per row
    body = [p for p in paragraphs[pivot.pk] if p.is_body]
    columns = read_columns(
        pivot, others, body, paragraphs, queue_missing=queue_missing, threshold=threshold
    )
    columns.sort(key=lambda c: KIND_ORDER.index(c.statement.source.kind))  # stable: by date
    rows = []
    for i, p in enumerate(body):
        cells = [column.cells[i] for column in columns]
        rows.append(Row(p, cells, _counts(cells)))
    return Coverage(event, pivot, statements, columns, rows)


def _counts(cells: Iterable[Cell]) -> dict[str, int]:
    counted = Counter("restated" if cell.kind == "translated" else cell.kind for cell in cells)
    return {kind: counted.get(kind, 0) for kind in COUNTED}


def read_columns(
    pivot: Statement,
    others: list[Statement],
    body: list[Paragraph],
    paragraphs: dict[int, list[Paragraph]],
    *,
    queue_missing: bool,
    threshold: float,
) -> list[Column]:
    """One column per other statement, in `others`' order (by date)."""
    if not others:
        return []
    keys = {pk: comparing.paragraphs_key(found) for pk, found in paragraphs.items()}
    stamps = vectors.statement_stamps(p for found in paragraphs.values() for p in found)

    def fresh_key(row_left: int, row_right: int) -> str:
        vectors_key = vectors.pair_stamp_key(stamps, row_left, row_right)
        return comparing.content_key(keys[row_left], keys[row_right], vectors_key)

    stored = _stored(pivot, others)
    chosen: dict[int, StoredAlignment | None] = {}
    stale: list[Statement] = []
    for other in others:
        row = _fresh_row(stored, pivot, other, fresh_key)
        chosen[other.pk] = row
        if row is None:
            stale.append(other)
    if stale and queue_missing:
        for other in stale:
            left, right = _earlier_first(pivot, other)
            comparing.queue(comparing.Pair(left, right, [], []), stored.get((left.pk, right.pk)))
        # A worker in this very process (the immediate backend) may have aligned them.
        again = _stored(pivot, stale)
        for other in stale:
            chosen[other.pk] = _fresh_row(again, pivot, other, fresh_key)
    positions = [p.position for p in body]
    return [_column(pivot, other, chosen[other.pk], positions, threshold) for other in others]


def _stored(pivot: Statement, others: list[Statement]) -> dict[tuple[int, int], StoredAlignment]:
    ids = [s.pk for s in others]
    rows = StoredAlignment.objects.filter(
        Q(left=pivot, right__in=ids) | Q(right=pivot, left__in=ids)
    )
    return {(row.left_id, row.right_id): row for row in rows}


def _earlier_first(a: Statement, b: Statement) -> tuple[Statement, Statement]:
    """The orientation `tasks.align_statement` stores a pair in: the earlier one left."""

    def when(s: Statement) -> tuple[datetime.date, int]:
        return (s.published_on or datetime.date.max, s.pk)

    return (a, b) if when(a) <= when(b) else (b, a)


def _fresh_row(stored, pivot, other, fresh_key) -> StoredAlignment | None:
    """The pair's stored alignment computed from what both statements hold now: the
    orientation the worker stores first, else the other one; None when neither is."""
    left, right = _earlier_first(pivot, other)
    for ids in ((left.pk, right.pk), (right.pk, left.pk)):
        row = stored.get(ids)
        if row is not None and row.document and row.content_key == fresh_key(*ids):
            return row
    return None


def _column(
    pivot: Statement,
    other: Statement,
    row: StoredAlignment | None,
    positions: list[int],
    threshold: float,
) -> Column:
    if row is None:
        left, right = _earlier_first(pivot, other)
        url = reverse("compare", args=[left.slug, right.slug])
        cells = [Cell(position, "pending", url=url, statement=other.slug) for position in positions]
        return Column(other, url, True, cells)
    pivot_left = row.left_id == pivot.pk
    left, right = (pivot, other) if pivot_left else (other, pivot)
    url = reverse("compare", args=[left.slug, right.slug])
    cells = read_cells(row.document, positions, pivot_left=pivot_left, threshold=threshold)
    for cell in cells:
        cell.url = url + "#" + _anchor(cell, pivot_left)
        cell.statement = other.slug
    return Column(other, url, False, cells)


def _anchor(cell: Cell, pivot_left: bool) -> str:
    if cell.partners and cell.kind != "omitted":
        other = cell.partners[0]
        return (
            pair_anchor(cell.position, other) if pivot_left else pair_anchor(other, cell.position)
        )
    return f"{'l' if pivot_left else 'r'}{cell.position}"  # the compare view's paragraph


def read_cells(
    document: Mapping[str, Any],
    positions: list[int],
    *,
    pivot_left: bool,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Cell]:
    """The cells of one column from a stored alignment `document` (as
    `comparing.compute_document` gives it), for the pivot paragraphs at `positions`.

    Links below `threshold` are left out, as the compare view leaves them out
    (`Link.reaches`). A paragraph the other statement
    quotes (one of the engine's traced quotations, where it gives them) is "quoted" with
    the quotation's fidelity, unless a link says more (contradicts, reframes).
    """
    found = document.get("alignment") or {}
    mine, theirs = ("left", "right") if pivot_left else ("right", "left")
    linked: dict[int, list[Mapping[str, Any]]] = {}
    for link in found.get("links") or ():
        if _reaches(link, threshold):
            linked.setdefault(int(link[mine]), []).append(link)
    quoted: dict[int, list[Mapping[str, Any]]] = {}
    for quotation in found.get("quotations") or ():
        source = quotation.get("source") or {}
        if (
            quotation.get("side") == theirs
            and source.get("paragraph") is not None
            and quotation.get("fidelity") not in (None, "", "not_found")
        ):
            quoted.setdefault(int(source["paragraph"]), []).append(quotation)
    cells = []
    for position in positions:
        links = sorted(linked.get(position, ()), key=_telling)
        quotations = quoted.get(position, [])
        if not links and not quotations:
            cells.append(Cell(position, "omitted"))
            continue
        if links:
            best = links[0]
            kind = CELL_KINDS.get(str(best.get("relation")), "restated")
            partners = tuple(dict.fromkeys(int(link[theirs]) for link in links))
        else:
            best, kind = {}, "quoted"
            partners = tuple(dict.fromkeys(int(q["paragraph"]) for q in quotations))
        fidelity = ""
        if quotations and kind in ("quoted", "restated", "translated", "context"):
            ordered = sorted(quotations, key=lambda q: int(q["paragraph"]) not in partners[:1])
            kind, fidelity = "quoted", str(ordered[0]["fidelity"])
            if not links:
                partners = tuple(dict.fromkeys(int(q["paragraph"]) for q in ordered))
        elif kind == "quoted" and best.get("quotes"):
            fidelity = "verbatim"  # an engine that traces no quotations: shared verbatim runs
        cells.append(
            Cell(
                position,
                kind,
                partners,
                fidelity,
                _number(best.get("confidence")),
                _number(best.get("score")),
                tuple(_turned(reason, pivot_left) for reason in best.get("reasons") or ()),
            )
        )
    return cells


def _reaches(link: Mapping[str, Any], threshold: float) -> bool:
    """The engine's rule (`Link.reaches`), on a stored link."""
    return Link.from_dict(dict(link)).reaches(threshold)


def _telling(link: Mapping[str, Any]) -> tuple[int, float]:
    relation = str(link.get("relation"))
    rank = PRIORITY.index(relation) if relation in PRIORITY else len(PRIORITY)
    strength = _number(link.get("confidence"))
    if strength is None:
        strength = _number(link.get("score")) or 0.0
    return rank, -strength


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def _turned(reason: Any, pivot_left: bool) -> Mapping[str, Any]:
    """A reason as the pivot sees it: "left" holds the pivot's words."""
    reason = dict(comparing._plain(reason))
    if not pivot_left and ("left" in reason or "right" in reason):
        reason["left"], reason["right"] = reason.get("right"), reason.get("left")
    return reason
