"""The coverage matrix of a pivot of 50 paragraphs against 20 statements, from stored
alignments.

Target: at most 300 ms median of 3 renders of the page, in a number of queries that does
not grow with the columns. The baseline, measured in the same run, reads the same cells
the way the compare page reads one pair, a column at a time: its stored row, both
statements' paragraphs, the freshness check on its vectors, then the same cells (no page).

    python bench/coverage.py [--paragraphs 50] [--statements 20]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
import os
import random
import statistics
import sys
import time

from _django import setup

RUNS = 3
TARGET_MS = 300
RELATIONS = ["quotes", "restates", "reframes", "contradicts", "context"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=50)
    parser.add_argument("--statements", type=int, default=20)
    options = parser.parse_args()
    where = setup()
    from django.db import connection
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from statements.models import Event, Paragraph, Source, Statement, StoredAlignment
    from statements.services import comparing, coverage

    rng = random.Random(15)
    words = [f"mot{i}" for i in range(2000)]

    def paragraphs(count: int) -> list[str]:
        return [" ".join(rng.choices(words, k=rng.randint(30, 60))) + "." for _ in range(count)]

    event = Event.objects.create(name="Bench event", slug="bench-event")
    kinds = [kind for kind, _ in Source.Kind.choices]
    made = []
    for i in range(options.statements + 1):
        kind = Source.Kind.OFFICIAL if i == 0 else kinds[i % len(kinds)]
        source = Source.objects.create(name=f"Outlet {i}", slug=f"outlet-{i}", kind=kind)
        texts = paragraphs(options.paragraphs)
        statement = Statement.objects.create(
            source=source,
            title=f"Statement {i}",
            slug=f"statement-{i}",
            published_on=datetime.date(2022, 9, 1) + datetime.timedelta(days=i),
            original_text="\n\n".join(texts),
            content_hash=f"bench-{i}",
        )
        Paragraph.objects.bulk_create(
            Paragraph(statement=statement, position=n, text=text)
            for n, text in enumerate(texts, start=1)
        )
        statement.events.add(event)
        made.append(statement)
    pivot, others = made[0], made[1:]
    # Stored alignments made by hand, with the newer engine's fields, half of them stored
    # with the pivot on the right.
    for number, other in enumerate(others):
        left, right = (pivot, other) if number % 2 else (other, pivot)
        pair = comparing.load_pair(left.slug, right.slug)
        links = []
        for position in range(1, options.paragraphs + 1):
            if rng.random() < 0.3:
                continue  # omitted
            relation = rng.choice(RELATIONS)
            pivot_pos, other_pos = position, rng.randint(1, options.paragraphs)
            links.append(
                {
                    "left": pivot_pos if left == pivot else other_pos,
                    "right": other_pos if left == pivot else pivot_pos,
                    "score": round(rng.uniform(0.2, 0.9), 3),
                    "relation": relation,
                    "basis": "words",
                    "quotes": [],
                    "confidence": round(rng.uniform(0.3, 0.95), 3),
                    "reasons": [{"kind": "swap", "left": "annexion", "right": "rattachement"}]
                    if relation == "reframes"
                    else [],
                }
            )
        document = {
            "alignment": {
                "engine": "bench",
                "threshold": 0.1,
                "links": links,
                "omissions": [],
                "additions": [],
                "quotations": [],
            },
            "distinctive": {"left": [], "right": []},
            "multilingual": dataclasses.asdict(comparing._pair_vectors(pair).status(False)),
        }
        comparing.store(pair, comparing.pair_key(pair, comparing._pair_vectors(pair)), document)

    client = Client()
    url = f"/events/{event.slug}/coverage/"
    response = client.get(url)  # templates compiled, caches warm
    assert response.status_code == 200, response.status_code
    assert b"pending" not in response.content.split(b'id="legend-heading"')[0]
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
    page = statistics.median(timings)
    if os.environ.get("PROFILE"):
        import cProfile
        import pstats

        cProfile.runctx("client.get(url)", globals(), locals(), "/tmp/coverage.prof")
        pstats.Stats("/tmp/coverage.prof").sort_stats("cumulative").print_stats(25)
    service_timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        coverage.event_coverage(event.slug)
        service_timings.append(time.perf_counter() - start)
    service = statistics.median(service_timings)

    baseline_timings = []
    positions = [p.position for p in pivot.paragraphs.all() if p.is_body]
    for _ in range(RUNS):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as counted:
            for other in others:
                row = StoredAlignment.objects.filter(
                    Q(left=pivot, right=other) | Q(left=other, right=pivot)
                ).first()
                pair = comparing.load_pair(
                    *(
                        (pivot.slug, other.slug)
                        if row.left_id == pivot.pk
                        else (other.slug, pivot.slug)
                    )
                )
                assert comparing.is_fresh(row, pair)
                coverage.read_cells(row.document, positions, pivot_left=row.left_id == pivot.pk)
        baseline_timings.append(time.perf_counter() - start)
        baseline_queries = len(counted)
    baseline = statistics.median(baseline_timings)

    cells = response.content.count(b"data-relation=")
    print(f"database: {where}")
    print(
        f"coverage matrix, {options.paragraphs} paragraphs x {options.statements} statements: "
        f"{cells} cells, {len(response.content) // 1024} KiB"
    )
    print(f"  page median of {RUNS}: {page * 1000:.0f} ms  (target <= {TARGET_MS} ms)")
    print(f"  SQL queries per render: {len(queries)}")
    print(
        f"  baseline, the pairs read one by one as the compare page reads them (cells only, "
        f"no page), median of {RUNS}: {baseline * 1000:.0f} ms, {baseline_queries} queries"
    )
    print(f"  the cells alone (services.coverage), median of {RUNS}: {service * 1000:.0f} ms")
    print(f"  ratio baseline / cells alone: {baseline / service:.1f}x")
    ok = page * 1000 <= TARGET_MS
    print("  target met" if ok else "  TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
