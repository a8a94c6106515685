"""Benchmark: the compare picker's search box over 10,000 statements.

Run from the repository root: `.venv/bin/python bench/picker.py` (a throwaway SQLite file)
or with DATABASE_URL=postgres://... (a throwaway test database on that server).

Prints the median time of one suggestion (`picking.matching_statements`, the index of
titles, sources and dates cached as between two keystrokes), the time to build that index
(after an import), and a baseline measured in the same run: the same words looked up with
`icontains` filters on the title and the source's name (no accents folded), its matches
fetched. Exits 1 when a suggestion's median misses the target: 50 ms.
"""

from __future__ import annotations

import datetime
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

from _django import setup

STATEMENTS = 10_000
RUNS = 9
TARGET_MS = 50.0
WORDS = ["référendums", "territoires", "Madrid", "sommet", "annexion", "Kherson", "OTAN"]
QUERIES = ["otan referendums", "sommet madrid 2022", "Kherson", "annexion septembre", "zzz"]


def populate() -> None:
    from statements.models import Source, Statement

    sources = [
        Source.objects.create(name=f"Source {i}", slug=f"source-{i}", kind="press")
        for i in range(20)
    ]
    day = datetime.date(2020, 1, 1)
    Statement.objects.bulk_create(
        Statement(
            source=sources[i % 20],
            title=f"{WORDS[i % 7]} : déclaration {i} sur les {WORDS[(i * 3) % 7]} de l'OTAN",
            slug=f"statement-{i}",
            published_on=day + datetime.timedelta(days=i % 1000),
            original_text="",
            content_hash=f"{i:064d}",
        )
        for i in range(STATEMENTS)
    )


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return (time.perf_counter() - start) * 1000


def baseline(words: str) -> None:
    from django.db.models import Q

    from statements.models import Statement

    found = Statement.objects.select_related("source")
    for word in words.split():
        found = found.filter(Q(title__icontains=word) | Q(source__name__icontains=word))
    list(found[:7])


def main() -> int:
    database = setup()
    from django.db import connection

    try:
        return run(database)
    finally:
        teardown(connection)


def run(database: str) -> int:
    from django.core.cache import cache

    from statements.services import picking

    populate()
    builds = []
    for _ in range(3):
        cache.clear()
        builds.append(timed(picking.matching_statements, "otan", 6))
    suggestions = [timed(picking.matching_statements, q, 6) for q in QUERIES for _ in range(RUNS)]
    baselines = [timed(baseline, q) for q in QUERIES for _ in range(RUNS)]
    suggestion, base = statistics.median(suggestions), statistics.median(baselines)
    print(f"picker over {STATEMENTS} statements ({database})")
    print(f"  index built in {statistics.median(builds):.1f} ms (once per import)")
    print(f"  one suggestion: median {suggestion:.2f} ms, target {TARGET_MS:.0f} ms")
    print(f"  baseline icontains lookup: median {base:.2f} ms (ratio {suggestion / base:.2f})")
    return 0 if suggestion <= TARGET_MS else 1


def teardown(connection) -> None:
    """Drop the throwaway database: PostgreSQL's test database, or the SQLite folder."""
    if connection.vendor == "postgresql":
        from urllib.parse import unquote, urlsplit

        original = unquote(urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/"))
        connection.creation.destroy_test_db(original, verbosity=0)
    else:
        connection.close()
        folder = Path(connection.settings_dict["NAME"]).parent
        if folder.name.startswith("parallax-bench-"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
