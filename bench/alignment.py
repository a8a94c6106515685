"""Benchmark: align two synthetic 2,000-paragraph statements.

Run from the repository root: `.venv/bin/python bench/alignment.py`. Prints the time of
`statements.alignment.align` (median of the runs after the first; the first is shown too),
the time of a naive pure-Python all-pairs TF-IDF cosine on the same paragraphs and
features (dict vectors, a double loop; timed on a sample of rows and extrapolated
linearly, the full loop takes minutes), their ratio, the peak memory of align, and the
number of links. Exits 1 when a target is missed: align <= 1.0 s, >= 20x faster than the
baseline, peak memory < 500 MB.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _corpus import ENDINGS, GRAMMAR, ONSETS, VOWELS

from statements.alignment import ParagraphText, align  # noqa: E402
from statements.alignment.corpus import CHAR_NGRAM_SIZES  # noqa: E402
from statements.alignment.scoring import WORD_WEIGHT  # noqa: E402
from statements.text import STOP_WORDS, is_content_word, match_stem, words  # noqa: E402

TARGET_SECONDS = 1.0
TARGET_RATIO = 20.0
TARGET_MEGABYTES = 500.0


def vocabulary(size: int, rng: random.Random) -> list[str]:
    """`size` distinct French-looking words; the first ones are the short, frequent ones."""
    seen: set[str] = set()
    result: list[str] = []
    while len(result) < size:
        syllables = 1 + min(3, int(rng.expovariate(1.0) + len(result) / (size / 2)))
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
        word += rng.choice(ENDINGS)
        if word not in seen and word not in STOP_WORDS["fr"]:
            seen.add(word)
            result.append(word)
    return result


class ZipfSampler:
    """Draws ranks 0..n-1 with probability proportional to 1 / (rank + 1) ** exponent."""

    def __init__(self, n: int, exponent: float, rng: random.Random) -> None:
        weights = [1.0 / (rank + 1) ** exponent for rank in range(n)]
        total = sum(weights)
        running = 0.0
        self.cumulative = []
        for weight in weights:
            running += weight / total
            self.cumulative.append(running)
        self.rng = rng

    def draws(self, k: int) -> list[int]:
        return self.rng.choices(range(len(self.cumulative)), cum_weights=self.cumulative, k=k)


def paragraph(vocab: list[str], zipf: ZipfSampler, rng: random.Random, length: int) -> str:
    """About `length` words: grammar words between Zipf-drawn content words, in sentences."""
    content = iter(zipf.draws(length))
    sentences, sentence = [], []
    for _ in range(length):
        sentence.append(rng.choice(GRAMMAR) if rng.random() < 0.4 else vocab[next(content)])
        if len(sentence) >= 12 and rng.random() < 0.15:
            sentences.append(sentence)
            sentence = []
    if sentence:
        sentences.append(sentence)
    return " ".join(" ".join(s).capitalize() + "." for s in sentences)


def rewrite(text: str, vocab: list[str], zipf: ZipfSampler, rng: random.Random) -> str:
    """Replace about half of the words by fresh draws: a loose restatement."""
    out = []
    for word in text.split():
        if rng.random() < 0.5:
            out.append(vocab[zipf.draws(1)[0]] if rng.random() < 0.6 else rng.choice(GRAMMAR))
        else:
            out.append(word)
    return " ".join(out)


def synthetic_pair(
    n_paragraphs: int, words_per_paragraph: int, seed: int
) -> tuple[list[ParagraphText], list[ParagraphText], set[tuple[int, int]]]:
    """Left: `n_paragraphs` paragraphs. Right: the same, shuffled, half of them rewritten.

    Also returns the true (left, right) pairs.
    """
    rng = random.Random(seed)
    vocab = vocabulary(30_000, rng)
    zipf = ZipfSampler(len(vocab), 1.05, rng)
    left_texts = [
        paragraph(vocab, zipf, rng, max(20, int(rng.gauss(words_per_paragraph, 12))))
        for _ in range(n_paragraphs)
    ]
    order = list(range(n_paragraphs))
    rng.shuffle(order)
    right_texts = [
        rewrite(left_texts[i], vocab, zipf, rng) if rng.random() < 0.5 else left_texts[i]
        for i in order
    ]
    left = [ParagraphText(position, text) for position, text in enumerate(left_texts)]
    right = [ParagraphText(position, text) for position, text in enumerate(right_texts)]
    return left, right, {(i, position) for position, i in enumerate(order)}


def naive_vectors(texts: list[str]) -> list[dict[str, float]]:
    """The same features as the engine (stems, char n-grams), as dicts, L2-normalised."""
    counted = []
    for text in texts:
        stems: Counter[str] = Counter()
        grams: Counter[str] = Counter()
        for word in words(text):
            if not is_content_word(word):
                continue
            stems[match_stem(word)] += 1
            padded = f" {word} "
            for size in CHAR_NGRAM_SIZES:
                for start in range(len(padded) - size + 1):
                    grams["#" + padded[start : start + size]] += 1
        counted.append((stems, grams))
    df: Counter[str] = Counter()
    for stems, grams in counted:
        df.update(stems.keys())
        df.update(grams.keys())
    n = len(texts)
    vectors = []
    for stems, grams in counted:
        vector = {}
        for block, weight in ((stems, WORD_WEIGHT), (grams, 1.0 - WORD_WEIGHT)):
            block_vector = {
                term: (1.0 + math.log(count)) * (math.log((1 + n) / (1 + df[term])) + 1.0)
                for term, count in block.items()
            }
            norm = math.sqrt(sum(v * v for v in block_vector.values())) or 1.0
            scale = math.sqrt(weight) / norm
            vector.update({term: v * scale for term, v in block_vector.items()})
        vectors.append(vector)
    return vectors


def naive_cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(value * b.get(term, 0.0) for term, value in a.items())


def time_baseline(
    left: list[ParagraphText], right: list[ParagraphText], sample_rows: int
) -> tuple[float, str]:
    """Seconds for naive TF-IDF + all-pairs cosine, the pair loop extrapolated from a sample."""
    start = time.perf_counter()
    vectors = naive_vectors([p.text for p in (*left, *right)])
    left_vectors, right_vectors = vectors[: len(left)], vectors[len(left) :]
    build = time.perf_counter() - start
    rows = left_vectors[:sample_rows]
    start = time.perf_counter()
    for a in rows:
        for b in right_vectors:
            naive_cosine(a, b)
    loop = time.perf_counter() - start
    total = build + loop * len(left_vectors) / len(rows)
    how = (
        f"vectors {build:.2f} s measured, pair loop {loop:.2f} s on {len(rows)} of "
        f"{len(left_vectors)} rows, extrapolated linearly"
    )
    return total, how


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=2000)
    parser.add_argument("--words", type=int, default=60)
    parser.add_argument("--sample-rows", type=int, default=40)
    parser.add_argument("--seed", type=int, default=20220930)
    parser.add_argument("--repeat", type=int, default=5, help="timed runs after the first")
    args = parser.parse_args()

    left, right, truth = synthetic_pair(args.paragraphs, args.words, args.seed)
    n_words = sum(len(p.text.split()) for p in (*left, *right)) / (len(left) + len(right))
    print(f"synthetic pair: {len(left)} x {len(right)} paragraphs, {n_words:.1f} words each")

    gc.collect()
    start = time.perf_counter()
    result = align(left, right)
    cold_seconds = time.perf_counter() - start
    warm = []
    for _ in range(args.repeat):
        gc.collect()
        start = time.perf_counter()
        align(left, right)
        warm.append(time.perf_counter() - start)
    align_seconds = statistics.median(warm)

    gc.collect()
    tracemalloc.start()
    align(left, right)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    traced_mb = traced_peak / 2**20
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB

    baseline_seconds, how = time_baseline(left, right, args.sample_rows)
    ratio = baseline_seconds / align_seconds

    print(
        f"align:    {align_seconds:.3f} s (median of {args.repeat} runs; best {min(warm):.3f} s; "
        f"first call {cold_seconds:.3f} s, which also fills the per-word stem, fold and "
        "n-gram caches a long-running server keeps)"
    )
    print(f"baseline: {baseline_seconds:.1f} s ({how})")
    print(f"ratio:    {ratio:.0f}x")
    print(f"memory:   {traced_mb:.0f} MB peak allocated in align (tracemalloc),")
    print(f"          {rss_mb:.0f} MB peak RSS of the whole process")
    found = {(link.left, link.right) for link in result.links}
    print(
        f"links:    {len(result.links)} ({sum(bool(x.quotes) for x in result.links)} with quotes); "
        f"{len(found & truth)} of the {len(truth)} true pairs, {len(found - truth)} others"
    )

    checks = {
        f"align <= {TARGET_SECONDS} s": align_seconds <= TARGET_SECONDS,
        f"ratio >= {TARGET_RATIO:.0f}x": ratio >= TARGET_RATIO,
        f"peak memory < {TARGET_MEGABYTES:.0f} MB": max(traced_mb, rss_mb) < TARGET_MEGABYTES,
    }
    for name, ok in checks.items():
        print(f"{'met' if ok else 'MISSED'}: {name}")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
