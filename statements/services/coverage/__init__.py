"""Event coverage: one statement (the pivot) against every other statement of its event.

Rows are the pivot's body paragraphs, columns the event's other statements (by source
kind, then date); each cell says what that statement did with that paragraph: quoted it
(with the quotation's fidelity), restated, reframed, contradicted it, or left it out.

Read from the engine's stored alignments only (public data: never a reader's saved
comparison), in a fixed number of queries whatever the number of columns. A pair not
aligned yet, or aligned from texts that changed since, is queued for the worker and its
cells are "pending". The page, its CSV and JSON and `manage.py coverage` all come from
`event_coverage` and `records`.

The engine's documents are read as plain dicts, field by field with defaults, so that an
engine giving `confidence`, `reasons` and `quotations` and one giving score and quotes only
are read alike. A pair may be stored either way round; the pivot's side is read as it is
stored and every reason is turned to the pivot's point of view ("left" is the pivot's
words, "right" the other statement's).
"""

from __future__ import annotations

from .exports import FIELDS, as_csv, as_json, column_summary, records
from .matrix import (
    CELL_KINDS,
    COUNTED,
    COVERING,
    KIND_ORDER,
    Cell,
    Column,
    Coverage,
    Group,
    NoStatements,
    Row,
    default_pivot,
    event_coverage,
    read_cells,
    swapped_words,
)
from .statement import ParagraphCoverage, StatementCoverage, statement_coverage

__all__ = [
    "CELL_KINDS",
    "COUNTED",
    "COVERING",
    "FIELDS",
    "KIND_ORDER",
    "Cell",
    "Column",
    "Coverage",
    "Group",
    "NoStatements",
    "ParagraphCoverage",
    "Row",
    "StatementCoverage",
    "as_csv",
    "as_json",
    "column_summary",
    "default_pivot",
    "event_coverage",
    "read_cells",
    "records",
    "statement_coverage",
    "swapped_words",
]
