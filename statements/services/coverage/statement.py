"""The statement page's coverage box: what the statements of its events did with each of
its paragraphs, read as the matrix reads them."""

from __future__ import annotations

from dataclasses import dataclass

from statements.alignment import DEFAULT_THRESHOLD
from statements.models import Event, Paragraph, Statement
from statements.services import vectors

from .matrix import COUNTED, Cell, read_columns


@dataclass
class ParagraphCoverage:
    """What the statements of a statement's events did with one of its paragraphs."""

    paragraph: Paragraph
    kinds: list[tuple[str, list[tuple[Statement, Cell]]]]  # in COUNTED order, non-empty
    pending: int


@dataclass
class StatementCoverage:
    events: list[Event]
    paragraphs: list[ParagraphCoverage]
    others: int  # statements read against it

    @property
    def pending(self) -> bool:
        return any(item.pending for item in self.paragraphs)


def statement_coverage(
    statement: Statement, shown: list[Paragraph], *, threshold: float = DEFAULT_THRESHOLD
) -> StatementCoverage | None:
    """The statement page's box: for each of the `shown` paragraphs (a page of them), which
    statements of its events quote, restate, reframe, contradict or omit it. None when the
    statement shares no event with another. Three queries (the other statements, all
    paragraphs with their vectors' ids, stored alignments); queues nothing (the import
    did)."""
    events = list(statement.events.all())
    if not events:
        return None
    others = list(
        Statement.objects.filter(events__in=events)
        .exclude(pk=statement.pk)
        .distinct()
        .select_related("source")
        .defer("original_text")
        .chronological()
    )
    if not others:
        return None
    paragraphs: dict[int, list[Paragraph]] = {statement.pk: [], **{s.pk: [] for s in others}}
    found = Paragraph.objects.filter(statement__in=list(paragraphs)).defer("terms")
    for p in vectors.with_vector_ids(found).order_by("position"):
        paragraphs[p.statement_id].append(p)
    body = [p for p in shown if p.is_body]
    columns = read_columns(
        statement, others, body, paragraphs, queue_missing=False, threshold=threshold
    )
    items = []
    for i, paragraph in enumerate(body):
        by_kind: dict[str, list[tuple[Statement, Cell]]] = {}
        for column in columns:
            cell = column.cells[i]
            kind = "restated" if cell.kind == "translated" else cell.kind
            by_kind.setdefault(kind, []).append((column.statement, cell))
        kinds = [(kind, by_kind[kind]) for kind in COUNTED if kind in by_kind and kind != "pending"]
        items.append(ParagraphCoverage(paragraph, kinds, len(by_kind.get("pending", ()))))
    return StatementCoverage(events, items, len(others))
