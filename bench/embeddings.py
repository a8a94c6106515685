"""Cross-language alignment: embedding speed, and the compare page with stored vectors.

1. Paragraphs per second for the multilingual encoder (the `multilingual` extra) on
   paragraphs of real statement prose, median of EMBED_RUNS runs.
2. The compare page for two 1,000-paragraph statements in different languages (English
   left, French right) whose vectors are stored, as imports store them: target at most
   300 ms median with a warm cache, the same target as the same-language page, which is
   measured in the same run for reference. The baseline is what the request would cost if
   it embedded the paragraphs itself (the page cold, plus embedding 2,000 paragraphs at
   the measured speed).

The machine may be shared, so every figure is a median. Exits non-zero when the
cross-language page misses its target.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import time

from _django import ROOT, setup

PARAGRAPHS = 1000
EMBED_PARAGRAPHS = 200
EMBED_RUNS = 3
WARM_RUNS = 15
TARGET_MS = 300
TARGET_QUERIES = 15


def prose_sentences() -> list[str]:
    """Sentences of the seed statements and the test pair: real prose to embed."""
    texts = [*(ROOT / "fixtures" / "statements").glob("*.txt")]
    texts += [*(ROOT / "tests" / "data" / "crosslang").glob("*.txt")]
    sentences = []
    for path in texts:
        body = path.read_text("utf-8").split("\n---\n", 1)[-1]
        sentences += [s.strip() for s in re.split(r"(?<=[.!?])\s+", body) if len(s.split()) > 5]
    return sentences


def prose_paragraphs(rng: random.Random, sentences: list[str], count: int) -> list[str]:
    """`count` distinct paragraphs of 2-4 real sentences each (distinct: none is memoised)."""
    return [f"{' '.join(rng.sample(sentences, rng.randint(2, 4)))} ({n})" for n in range(count)]


def synthetic_paragraphs(rng: random.Random, count: int, letters: str) -> list[str]:
    """Paragraphs of a made-up language, with names and numbers as real texts have them."""
    vocabulary = [
        "".join(rng.choice("bcdfglmnprstv") + rng.choice(letters) for _ in range(rng.randint(2, 4)))
        for _ in range(3000)
    ]
    names = ["Stoltenberg", "Zaporizhzhia", "Kherson", "Donetsk", "Bucha", "Kyiv", "Minsk"]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    paragraphs = []
    for _ in range(count):
        words = rng.choices(vocabulary, weights, k=rng.randint(40, 80))
        words[rng.randrange(len(words))] = rng.choice(names)
        words[rng.randrange(len(words))] = str(rng.randint(1990, 2024))
        paragraphs.append(" ".join(words).capitalize() + ".")
    return paragraphs


def median_ms(client, url: str, runs: int) -> tuple[float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings) * 1000, len(queries)


def main() -> int:
    where = setup()
    import numpy as np
    from django.core.cache import cache
    from django.test import Client

    from statements import embeddings
    from statements.models import Paragraph, Source, Statement
    from statements.services import vectors as stored_vectors

    reason = embeddings.unavailable_reason()
    if reason:
        print(reason)
        return 1
    rng = random.Random(7)

    # 1. Embedding speed.
    embeddings.embed(["warm up: the model loads once"])
    sentences = prose_sentences()
    speeds = []
    for _ in range(EMBED_RUNS):
        texts = prose_paragraphs(rng, sentences, EMBED_PARAGRAPHS)
        start = time.perf_counter()
        embeddings.embed(texts)
        speeds.append(len(texts) / (time.perf_counter() - start))
    words = statistics.mean(len(t.split()) for t in texts)
    per_second = statistics.median(speeds)

    # 2. Two 1,000-paragraph statements, English and French, with stored vectors: each right
    # paragraph's vector is a noisy copy of a left one's, as a translation's would be.
    left_texts = synthetic_paragraphs(rng, PARAGRAPHS, "aeiouy")
    right_texts = synthetic_paragraphs(rng, PARAGRAPHS, "aeiouéè")
    left_vectors = np.random.default_rng(7).standard_normal((PARAGRAPHS, embeddings.DIMENSIONS))
    order = rng.sample(range(PARAGRAPHS), PARAGRAPHS)
    noise = np.random.default_rng(8).standard_normal(left_vectors.shape) * 0.6
    right_vectors = left_vectors[order] + noise
    source = Source.objects.create(name="Bench source", slug="bench-source")
    stored = {}
    for side, language, texts, vectors in (
        ("en", "en", left_texts, left_vectors),
        ("fr", "fr", right_texts, right_vectors),
        ("fr-same", "fr", left_texts, left_vectors),
    ):
        statement = Statement.objects.create(
            source=source,
            title=f"Bench {side}",
            slug=f"bench-{side}",
            language=language,
            original_text="\n\n".join(texts),
            content_hash=f"bench-{side}",
        )
        paragraphs = Paragraph.objects.bulk_create(
            Paragraph(statement=statement, position=i, text=text)
            for i, text in enumerate(texts, start=1)
        )
        unit = vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
        stored_vectors.store(stored_vectors.vectors_to_store(paragraphs, unit.astype(np.float32)))
        stored[side] = statement

    client = Client()
    cross_url = f"/compare/{stored['en'].slug}/{stored['fr'].slug}/"
    same_url = f"/compare/{stored['fr-same'].slug}/{stored['fr'].slug}/"
    cache.clear()
    start = time.perf_counter()
    response = client.get(cross_url)
    cold = (time.perf_counter() - start) * 1000
    page = response.content.decode()
    rows = page.count('class="row ')
    machine_links = page.count("machine similarity (cross-language)")
    cross_warm, cross_queries = median_ms(client, cross_url, WARM_RUNS)
    client.get(same_url)
    same_warm, _ = median_ms(client, same_url, WARM_RUNS)
    baseline = cold + 2 * PARAGRAPHS / per_second * 1000

    print(f"database: {where}")
    print(f"embedding ({embeddings.MODEL_NAME}, {embeddings.ENCODER_THREADS} threads):")
    print(
        f"  {per_second:.0f} paragraphs/s, median of {EMBED_RUNS} runs of {EMBED_PARAGRAPHS} "
        f"paragraphs of {words:.0f} words (runs: {', '.join(f'{s:.0f}' for s in speeds)})"
    )
    print(f"compare page, {PARAGRAPHS} en x {PARAGRAPHS} fr paragraphs, vectors stored:")
    print(f"  {rows} rows, {machine_links} links on machine similarity")
    print(f"  cold cache (engine and vectors included): {cold:.0f} ms")
    print(
        f"  warm cache median of {WARM_RUNS}: {cross_warm:.0f} ms  (target <= {TARGET_MS} ms); "
        f"same-language page in this run: {same_warm:.0f} ms "
        f"(ratio {cross_warm / same_warm:.2f})"
    )
    print(
        f"  baseline, embedding on the request path: {baseline:.0f} ms "
        f"(cold page + {2 * PARAGRAPHS} paragraphs at {per_second:.0f}/s); "
        f"ratio baseline / warm: {baseline / cross_warm:.0f}x, "
        f"baseline / cold: {baseline / cold:.1f}x"
    )
    print(f"  SQL queries per warm render: {cross_queries}  (target <= {TARGET_QUERIES})")
    ok = cross_warm <= TARGET_MS and cross_queries <= TARGET_QUERIES
    print("  targets met" if ok else "  TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
