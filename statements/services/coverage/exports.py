"""The coverage matrix as records: what its CSV, its JSON and `manage.py coverage` give."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .matrix import Column, Coverage

FIELDS = (
    "event",
    "pivot",
    "paragraph",
    "statement",
    "source",
    "source_kind",
    "published_on",
    "relation",
    "fidelity",
    "partners",
    "confidence",
    "score",
    "reasons",
    "url",
)


def records(coverage: Coverage) -> list[dict[str, Any]]:
    """One record per pivot paragraph × other statement, paragraph by paragraph and in the
    page's column order: what the CSV, the JSON and the command give."""
    found = []
    for row in coverage.rows:
        for column, cell in zip(coverage.columns, row.cells, strict=True):
            statement = column.statement
            found.append(
                {
                    "event": coverage.event.slug,
                    "pivot": coverage.pivot.slug,
                    "paragraph": cell.position,
                    "statement": statement.slug,
                    "source": statement.source.name,
                    "source_kind": statement.source.kind,
                    "published_on": statement.published_on and statement.published_on.isoformat(),
                    "relation": cell.kind,
                    "fidelity": cell.fidelity,
                    "partners": list(cell.partners),
                    "confidence": cell.confidence,
                    "score": cell.score,
                    "reasons": [dict(reason) for reason in cell.reasons],
                    "url": cell.url,
                }
            )
    return found


def as_json(coverage: Coverage) -> dict[str, Any]:
    return {
        "event": coverage.event.slug,
        "pivot": coverage.pivot.slug,
        "pending": coverage.pending,
        "statements": [column_summary(column) for column in coverage.columns],
        "rows": records(coverage),
    }


def column_summary(column: Column) -> dict[str, Any]:
    """A column's summary as the page gives it: what it covers, omits, reframes (with the
    swapped words) and contradicts; only `pending` for a column still being aligned."""
    statement = column.statement
    summary: dict[str, Any] = {
        "statement": statement.slug,
        "source": statement.source.name,
        "source_kind": statement.source.kind,
        "published_on": statement.published_on and statement.published_on.isoformat(),
        "pending": column.pending,
        "compare_url": column.compare_url,
    }
    if not column.pending:
        summary |= {
            "covers": len(column.covered),
            "omits": column.omitted,
            "reframes": [
                {"paragraph": cell.position, "swaps": [list(pair) for pair in words]}
                for cell, words in column.reframings
            ],
            "contradicts": [cell.position for cell in column.contradictions],
        }
    return summary


def as_csv(coverage: Coverage) -> str:
    """The records as CSV: partners space-separated, reasons as a JSON list."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for record in records(coverage):
        writer.writerow(
            {
                **record,
                "published_on": record["published_on"] or "",
                "partners": " ".join(map(str, record["partners"])),
                "confidence": "" if record["confidence"] is None else record["confidence"],
                "score": "" if record["score"] is None else record["score"],
                "reasons": json.dumps(record["reasons"], ensure_ascii=False),
            }
        )
    return out.getvalue()
