"""Where a sentence went, on a corpus of 10,000 statements and 200,000 paragraphs.

Target: `echoes.find` (and the page) at most 100 ms median of 3, through the index stored
at import. The baseline, measured in the same run, finds the same echoes by reading every
paragraph of the corpus (`echoes.scan`). Some paragraphs are quoted by a few dozen
statements (whole, trimmed, with a word changed); the rest is synthetic prose.

    python bench/echoes.py [--statements 10000] [--paragraphs 20]

Building the corpus takes a few minutes on SQLite at full size; a smaller one is a
figure for that size only.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import sys
import time

from _django import setup

RUNS = 3
TARGET_MS = 100
QUOTED = 5  # source paragraphs with echoes
ECHOES_EACH = 40


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--paragraphs", type=int, default=20, help="per statement")
    options = parser.parse_args()
    where = setup()
    from django.db import connection, transaction
    from django.test import Client

    from statements import echoes as fingerprinting
    from statements.models import EchoKey, Paragraph, Source, Statement
    from statements.services import echoes

    rng = random.Random(15)
    vocabulary = [
        "".join(rng.choice("bcdfglmnprstv") + rng.choice("aeiou") for _ in range(rng.randint(2, 4)))
        for _ in range(20_000)
    ]
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(vocabulary))]

    def prose() -> str:
        return " ".join(rng.choices(vocabulary, weights, k=rng.randint(25, 60))).capitalize() + "."

    sources = Source.objects.bulk_create(
        Source(name=f"Outlet {i}", slug=f"outlet-{i}") for i in range(50)
    )
    started = time.perf_counter()
    quoted = [prose() for _ in range(QUOTED)]
    first_day = datetime.date(2020, 1, 1)
    echo_slots = set(rng.sample(range(1, options.statements), QUOTED * ECHOES_EACH))
    keys = 0
    with transaction.atomic():
        for start in range(0, options.statements, 1000):
            batch = []
            for number in range(start, min(start + 1000, options.statements)):
                batch.append(
                    Statement(
                        source=sources[number % len(sources)],
                        title=f"Statement {number}",
                        slug=f"statement-{number}",
                        published_on=first_day + datetime.timedelta(days=number % 1500),
                        original_text="",
                        content_hash=f"bench-{number}",
                        echoes_indexed=True,
                    )
                )
            statements = Statement.objects.bulk_create(batch)
            paragraphs = []
            for statement in statements:
                number = int(statement.slug.rsplit("-", 1)[1])
                texts = [prose() for _ in range(options.paragraphs)]
                if number == 0:
                    texts[:QUOTED] = quoted
                elif number in echo_slots:
                    texts[rng.randrange(len(texts))] = echo_of(rng, rng.choice(quoted), vocabulary)
                paragraphs.extend(
                    Paragraph(statement=statement, position=i, text=text)
                    for i, text in enumerate(texts, start=1)
                )
            Paragraph.objects.bulk_create(paragraphs, batch_size=5000)
            rows = [
                (key, p.pk, p.statement_id)
                for p in paragraphs
                for key in fingerprinting.fingerprints(p.text, "fr")
            ]
            keys += len(rows)
            table = EchoKey._meta.db_table
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {table} (key, paragraph_id, statement_id) VALUES (%s, %s, %s)",
                    rows,
                )
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    built = time.perf_counter() - started
    total = Paragraph.objects.count()

    sources_quoted = list(
        Paragraph.objects.filter(statement__slug="statement-0", position__lte=QUOTED)
    )
    timings, page_timings, baseline_timings, found_counts = [], [], [], []
    client = Client()
    for source in sources_quoted[:RUNS]:
        start = time.perf_counter()
        found = echoes.find(source, "fr")
        timings.append(time.perf_counter() - start)
        found_counts.append(len(found))
        start = time.perf_counter()
        response = client.get(f"/statements/statement-0/p{source.position}/echoes/")
        page_timings.append(time.perf_counter() - start)
        assert response.status_code == 200
        start = time.perf_counter()
        scanned = echoes.scan(source, "fr")
        baseline_timings.append(time.perf_counter() - start)
        same = [e.paragraph.pk for e in scanned] == [e.paragraph.pk for e in found]
        assert same, "the index and the scan disagree"
    find_ms = statistics.median(timings) * 1000
    page_ms = statistics.median(page_timings) * 1000
    baseline_ms = statistics.median(baseline_timings) * 1000
    print(f"database: {where}")
    print(
        f"corpus: {options.statements:,} statements, {total:,} paragraphs, {keys:,} "
        f"fingerprints (built in {built:.0f} s)"
    )
    print(f"  echoes found per paragraph: {found_counts} (of {ECHOES_EACH} planted, on average)")
    print(f"  echoes.find median of {RUNS}: {find_ms:.1f} ms  (target <= {TARGET_MS} ms)")
    print(f"  the echoes page median of {RUNS}: {page_ms:.1f} ms")
    print(f"  baseline, every paragraph read (echoes.scan) median of {RUNS}: {baseline_ms:.0f} ms")
    print(f"  ratio baseline / find: {baseline_ms / find_ms:.0f}x")
    ok = find_ms <= TARGET_MS
    print("  target met" if ok else "  TARGET MISSED")
    return 0 if ok else 1


def echo_of(rng: random.Random, quoted: str, vocabulary: list[str]) -> str:
    """A paragraph that quotes `quoted` whole, trimmed, or with a word changed."""
    words = quoted.rstrip(".").split()
    how = rng.choice(["whole", "trimmed", "altered"])
    if how == "trimmed":
        cut = rng.randrange(len(words) // 3, len(words) // 2)
        words = words[:cut] + words[cut + 3 :]
    elif how == "altered":
        words[rng.randrange(len(words))] = rng.choice(vocabulary)
    before = " ".join(rng.choices(vocabulary, k=8)).capitalize()
    return f"{before} : « {' '.join(words)} »."


if __name__ == "__main__":
    sys.exit(main())
