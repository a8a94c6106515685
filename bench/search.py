"""Benchmark: full-text search over 10,000 statements / 200,000 paragraphs.

Run from the repository root: `.venv/bin/python bench/search.py` (a throwaway SQLite file)
or with DATABASE_URL=postgres://... (a throwaway test database on that server). The texts
are French-like: Zipf-distributed words, the most frequent ones taken from the seed texts,
and one paragraph in ten carries a run of words copied from a seed, so phrases occur.

Prints, for a set of realistic queries (words, phrases, exclusions, OR, filters), the median
time of `search.search_paragraphs` (both SQL queries and the snippets) and of a naive
baseline measured in the same run: `Paragraph.objects.filter(text__icontains=word)` for each
word looked for, every match fetched. Exits 1 when the median misses the target: 50 ms on
PostgreSQL, 100 ms on SQLite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from _django import ROOT, setup

STATEMENTS = 10_000
PARAGRAPHS = 200_000
RUNS = 7
BASELINE_RUNS = 3
TARGETS_MS = {"postgresql": 50.0, "sqlite": 100.0}

QUERIES = [
    ("référendum", {}),
    ("Ukraine", {}),
    ('"soutien indéfectible"', {}),
    ('"territoires occupés"', {}),
    ("annexion illégale", {}),
    ("alliés -Russie", {}),
    ("Crimée OR Zaporijia", {}),
    ('"opération militaire spéciale"', {}),
    ("souveraineté intégrité territoriale", {}),
    ('"guerre d\'agression" Russie', {}),
    ("Stoltenberg sanctions", {}),
    ("référendums", {"source": 0}),
    ("Ukraine", {"date_from": datetime.date(2022, 9, 1), "date_to": datetime.date(2022, 9, 30)}),
    ("Kherson", {"source_kind": "state_media"}),
]


def seed_words() -> tuple[list[str], list[list[str]]]:
    """Words of the seed texts, most frequent first, and the texts as word lists."""
    from collections import Counter

    from statements import text

    texts = []
    for path in sorted((ROOT / "fixtures" / "statements").glob("*.txt")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        texts.append([token.text for token in text.tokens(text.normalise(body))])
    counts = Counter(word for words in texts for word in words)
    return [word for word, _ in counts.most_common()], texts


def vocabulary(rng: np.random.Generator, head: list[str], size: int) -> list[str]:
    """The seed words, then made-up French-looking words, to `size` types in all."""
    onsets = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pr"]
    vowels = ["a", "e", "i", "o", "u", "é", "è", "ou", "ai", "an", "on", "en"]
    endings = ["", "s", "tion", "ment", "ité", "eur", "ée", "es", "ent", "ais", "ique"]
    words = list(head)
    seen = set(words)
    while len(words) < size:
        syllables = rng.integers(2, 4, endpoint=True)
        word = "".join(rng.choice(onsets) + rng.choice(vowels) for _ in range(syllables))
        word += rng.choice(endings)
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


def generate(rng: np.random.Generator) -> None:
    from statements.models import Event, Paragraph, Source, Statement

    head, seed_texts = seed_words()
    words = np.array(vocabulary(rng, head, 40_000), dtype=object)
    weights = 1.0 / np.arange(1, len(words) + 1) ** 1.07
    weights /= weights.sum()
    kinds = [Source.Kind.OFFICIAL, Source.Kind.STATE_MEDIA, Source.Kind.PRESS, Source.Kind.BLOG]
    sources = Source.objects.bulk_create(
        Source(name=f"Source {i}", slug=f"source-{i}", kind=kinds[i % len(kinds)])
        for i in range(40)
    )
    events = Event.objects.bulk_create(
        Event(name=f"Event {i}", slug=f"event-{i}") for i in range(20)
    )
    start = datetime.date(2014, 1, 1)
    statements = Statement.objects.bulk_create(
        (
            Statement(
                source=sources[i % len(sources)],
                title=f"Déclaration {i}",
                slug=f"declaration-{i}",
                published_on=start + datetime.timedelta(days=int(rng.integers(0, 3650))),
                language="fr",
                original_text=f"Déclaration {i}",
                content_hash=f"{i:064d}",
            )
            for i in range(STATEMENTS)
        ),
        batch_size=2000,
    )
    through = Statement.events.through
    through.objects.bulk_create(
        (
            through(statement_id=s.pk, event_id=events[i % len(events)].pk)
            for i, s in enumerate(statements)
            if i % 3 == 0
        ),
        batch_size=5000,
    )
    per_statement = PARAGRAPHS // STATEMENTS
    lengths = rng.integers(25, 90, size=PARAGRAPHS, endpoint=True)
    drawn = words[rng.choice(len(words), size=int(lengths.sum()), p=weights)]
    offsets = np.concatenate(([0], np.cumsum(lengths)))
    batch = []
    for n in range(PARAGRAPHS):
        paragraph = list(drawn[offsets[n] : offsets[n + 1]])
        if n % 10 == 0:  # a run of a seed text, so that phrases and names occur
            seed = seed_texts[int(rng.integers(0, len(seed_texts)))]
            at = int(rng.integers(0, len(seed) - 12))
            paragraph[5:5] = seed[at : at + int(rng.integers(4, 12))]
        text = " ".join(paragraph)
        batch.append(
            Paragraph(
                statement=statements[n // per_statement],
                position=n % per_statement + 1,
                text=text[0].upper() + text[1:] + ".",
            )
        )
        if len(batch) == 10_000:
            Paragraph.objects.bulk_create(batch, batch_size=5000)
            batch = []
    Paragraph.objects.bulk_create(batch, batch_size=5000)


def timed(function, runs: int) -> tuple[float, object]:
    timings = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database")
    options = parser.parse_args()
    own_sqlite = not os.environ.get("DATABASE_URL")
    where = setup()
    from django.db import connection

    from statements import search
    from statements.models import Paragraph, Source

    vendor = connection.vendor
    target = TARGETS_MS.get(vendor, 50.0)
    rng = np.random.default_rng(6)
    try:
        start = time.perf_counter()
        generate(rng)
        generated = time.perf_counter() - start
        start = time.perf_counter()
        indexed = search.reindex()
        indexing = time.perf_counter() - start
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        source = Source.objects.order_by("pk").first()

        print(f"database: {where}")
        print(
            f"{STATEMENTS:,} statements, {Paragraph.objects.count():,} paragraphs generated in "
            f"{generated:.0f} s; {indexed:,} indexed in {indexing:.0f} s"
        )
        print(f"{'query':<48} {'hits':>5} {'search':>9} {'baseline':>10}")
        medians, baselines = [], []
        for query, raw_filters in QUERIES:
            filters = dict(raw_filters)
            if "source" in filters:
                filters["source"] = source
            arguments = search.SearchFilters(**filters)
            search.search_paragraphs(query, filters=arguments)  # warm caches
            elapsed, results = timed(
                lambda q=query, f=arguments: search.search_paragraphs(q, filters=f), RUNS
            )
            baseline, _ = timed(lambda q=query, f=arguments: naive(q, f), BASELINE_RUNS)
            medians.append(elapsed)
            baselines.append(baseline)
            label = query + (f"  [{', '.join(raw_filters)}]" if raw_filters else "")
            print(f"{label:<48} {results.hit_count:>5} {elapsed:>7.1f}ms {baseline:>8.1f}ms")
        median, baseline = statistics.median(medians), statistics.median(baselines)
        print(f"median search: {median:.1f} ms  (target < {target:.0f} ms on {vendor})")
        print(f"median naive icontains scan (baseline): {baseline:.1f} ms")
        print(f"ratio baseline / search: {baseline / median:.1f}x")
        ok = median < target
        print("target met" if ok else "TARGET MISSED")
        return 0 if ok else 1
    finally:
        teardown(connection, own_sqlite, options.keep)


def naive(query: str, filters) -> list[int]:
    """What a search without an index does: a case-insensitive scan per word looked for."""
    from statements import search
    from statements.models import Paragraph

    parsed = search.parse_query(query)
    matches = Paragraph.objects.filter(filters.q())
    for clause in parsed.groups[0]:
        words = " ".join(clause.words)
        if clause.negated:
            matches = matches.exclude(text__icontains=words)
        else:
            matches = matches.filter(text__icontains=words)
    return list(matches.values_list("pk", flat=True))


def teardown(connection, own_sqlite: bool, keep: bool) -> None:
    if keep:
        return
    if connection.vendor == "postgresql":
        from urllib.parse import unquote, urlsplit

        original = unquote(urlsplit(os.environ["DATABASE_URL"]).path.lstrip("/"))
        connection.creation.destroy_test_db(original, verbosity=0)
    elif own_sqlite:
        connection.close()
        folder = Path(connection.settings_dict["NAME"]).parent
        if folder.name.startswith("parallax-bench-"):
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
