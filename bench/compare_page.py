"""The compare page for two stored statements of 1,000 paragraphs each.

Targets: at most 15 SQL queries, and at most 300 ms median with a warm cache. The baseline,
measured in the same run, is the first (cold-cache) render, which runs the whole engine.
"""

from __future__ import annotations

import random
import statistics
import sys
import time

from _django import setup

PARAGRAPHS = 1000
WARM_RUNS = 15
TARGET_MS = 300
TARGET_QUERIES = 15


def synthetic_paragraphs(rng: random.Random, count: int) -> list[str]:
    vocabulary = [
        "".join(
            rng.choice("bcdfglmnprstv") + rng.choice("aeiouéè") for _ in range(rng.randint(2, 4))
        )
        for _ in range(3000)
    ]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    return [
        " ".join(rng.choices(vocabulary, weights, k=rng.randint(40, 80))).capitalize() + "."
        for _ in range(count)
    ]


def main() -> int:
    where = setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from statements.models import Paragraph, Source, Statement
    from statements.services import comparing

    rng = random.Random(7)
    left_texts = synthetic_paragraphs(rng, PARAGRAPHS)
    right_texts = [
        text if i % 2 else " ".join(reversed(text.split()))
        for i, text in enumerate(rng.sample(left_texts, len(left_texts)))
    ]
    source = Source.objects.create(name="Bench source", slug="bench-source")
    statements = []
    for side, texts in (("left", left_texts), ("right", right_texts)):
        statement = Statement.objects.create(
            source=source,
            title=f"Bench {side}",
            slug=f"bench-{side}",
            original_text="\n\n".join(texts),
            content_hash=f"bench-{side}",
        )
        Paragraph.objects.bulk_create(
            Paragraph(statement=statement, position=i, text=text)
            for i, text in enumerate(texts, start=1)
        )
        statements.append(statement)

    client = Client()
    url = f"/compare/{statements[0].slug}/{statements[1].slug}/"
    # A pair this large is aligned by the worker (its page says "aligning…" until then):
    # the cold baseline is the worker's alignment plus the first render of its result.
    start = time.perf_counter()
    comparing.align_and_store(comparing.load_pair(*(s.slug for s in statements)))
    response = client.get(url)
    cold = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    assert b'id="aligning"' not in response.content

    timings = []
    for _ in range(WARM_RUNS):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
    warm = statistics.median(timings)
    cells = response.content.count(b'class="cell cell-')
    cards = response.content.count(b'class="pair-card ')
    print(f"database: {where}")
    print(
        f"compare page, {PARAGRAPHS} x {PARAGRAPHS} paragraphs: {cells} paragraphs shown, "
        f"{cards} links, {len(response.content) // 1024} KiB"
    )
    print(f"  cold cache (baseline, engine included): {cold * 1000:.0f} ms")
    print(f"  warm cache median of {WARM_RUNS}: {warm * 1000:.0f} ms  (target <= {TARGET_MS} ms)")
    print(f"  ratio cold / warm: {cold / warm:.1f}x")
    print(f"  SQL queries per warm render: {len(queries)}  (target <= {TARGET_QUERIES})")
    ok = warm * 1000 <= TARGET_MS and len(queries) <= TARGET_QUERIES
    print("  targets met" if ok else "  TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
