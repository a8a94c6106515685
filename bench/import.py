"""Benchmark: import 1,000 generated statements of about 50 paragraphs each.

Run from the repository root: `.venv/bin/python bench/import.py` (a throwaway SQLite
database), or with `DATABASE_URL=postgres://...` (a test database next to the one named).
Every text goes through `services.imports.import_paths`, the path of `import_statements --jobs 2`
(and, file by file, of the admin's import page): decoding, parsing, kinds, then one
transaction per file with the paragraphs in one bulk insert (on PostgreSQL one INSERT
that also writes their search documents); on PostgreSQL two worker processes (SQLite has
one writer at a time). The same import in one process is printed too. The baseline,
measured in the same run on 50 other texts, goes through the same path in one process
with the paragraphs written one `INSERT` each (`save()`), then indexed.
Prints statements per second and the ratio to the baseline; on PostgreSQL, exits 1 when
the import is slower than 100 statements per second (the target is PostgreSQL's: SQLite,
one writer at a time and its search index stemmed in Python, gets its figure printed).

Paragraph embeddings (the optional `multilingual` extra, a neural encoder that takes far
longer than the import itself) are left out unless `--embeddings` is given: this measures
the importer and the database, `bench/embeddings.py` the encoder.
"""

from __future__ import annotations

import argparse
import contextlib
import random
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _corpus import ENDINGS, GRAMMAR, ONSETS, VOWELS
from _django import setup  # noqa: E402

TARGET_PER_SECOND = 100.0
SOURCES = ["NATO", "RT (attributed)", "Agence", "Le Blog", "Ministère"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.randint(1, 4)
        word = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
        words.add(word + rng.choice(ENDINGS))
    return sorted(words)


def sentence(vocab: list[str], rng: random.Random) -> str:
    words = [
        rng.choice(GRAMMAR) if rng.random() < 0.4 else rng.choice(vocab)
        for _ in range(rng.randint(8, 22))
    ]
    return " ".join(words).capitalize() + "."


def statement_text(number: int, vocab: list[str], rng: random.Random, paragraphs: int) -> bytes:
    """A statement file like the real ones: a header, a title, a dateline, numbered and
    plain paragraphs, a boilerplate line at the end."""
    day = 1 + number % 28
    lines = [
        f"source: {SOURCES[number % len(SOURCES)]}",
        "event: Benchmark",
        "language: fr",
        "---",
        f"Déclaration numéro {number} sur la {rng.choice(vocab)} et la {rng.choice(vocab)}",
        "",
        f"Publié le {day}.9.2022",
    ]
    for index in range(1, paragraphs - 2):
        number_mark = f"{index}. " if index % 3 == 0 else ""
        body = " ".join(sentence(vocab, rng) for _ in range(rng.randint(1, 4)))
        lines += ["", f"{number_mark}{body}"]
    lines += ["", "Partager sur Twitter"]
    return "\n".join(lines).encode("utf-8")


def generate(count: int, paragraphs: int, seed: int) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    vocab = vocabulary(3000, rng)
    return [
        (f"bench-{seed}-{n:05d}.txt", statement_text(n, vocab, rng, paragraphs))
        for n in range(count)
    ]


def import_all(files: list[tuple[str, bytes]], jobs: int = 1) -> float:
    """Import `files` as `import_statements --jobs N` does (written to a folder first)."""
    from statements.services import imports

    folder = Path(tempfile.mkdtemp(prefix="parallax-import-bench-"))
    paths = []
    for name, data in files:
        (folder / name).write_bytes(data)
        paths.append(folder / name)
    started = time.perf_counter()
    for outcome in imports.import_paths(paths, jobs=jobs):
        if outcome.status != "imported":
            raise SystemExit(f"{outcome.filename}: {outcome.status} {outcome.error}")
    return time.perf_counter() - started


def import_naively(files: list[tuple[str, bytes]]) -> float:
    """The same import, with the paragraphs written one INSERT each, then indexed."""
    from statements import search
    from statements.models import Paragraph

    def one_insert_per_paragraph(statement, rows, **kwargs):
        paragraphs = [
            Paragraph(statement=statement, position=position, text=row.text, kind=row.kind)
            for position, row in enumerate(rows, start=1)
        ]
        for paragraph in paragraphs:
            paragraph.save(force_insert=True)
        search.index_statement(statement)
        return [paragraph.pk for paragraph in paragraphs]

    with mock.patch.object(search, "insert_paragraphs", one_insert_per_paragraph):
        return import_all(files)


def without_embeddings() -> contextlib.AbstractContextManager:
    """Play a server without the multilingual extra (the hook its tests use)."""
    try:
        from statements import embeddings
    except ImportError:
        return contextlib.nullcontext()

    def unavailable():
        raise embeddings.Unavailable("left out of this benchmark")

    return mock.patch.object(embeddings, "load_backend", unavailable)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000)
    parser.add_argument("--paragraphs", type=int, default=50)
    parser.add_argument("--baseline", type=int, default=50)
    parser.add_argument(
        "--jobs", type=int, default=2, help="worker processes, as import_statements --jobs"
    )
    parser.add_argument("--sequential", type=int, default=200, help="statements imported by one")
    parser.add_argument(
        "--embeddings", action="store_true", help="embed paragraphs too, where the extra is"
    )
    options = parser.parse_args()

    database = setup()
    from statements.models import Paragraph, Statement

    files = generate(options.statements, options.paragraphs, seed=1)
    baseline_files = generate(options.baseline, options.paragraphs, seed=2)
    sequential_files = generate(options.sequential, options.paragraphs, seed=3)
    size = sum(len(data) for _, data in files) / len(files) / 1024

    with contextlib.nullcontext() if options.embeddings else without_embeddings():
        seconds = import_all(files, jobs=options.jobs)
        sequential_seconds = import_all(sequential_files)
        baseline_seconds = import_naively(baseline_files)
    imported = Statement.objects.count() - options.baseline - options.sequential
    paragraphs = Paragraph.objects.count()
    rate = options.statements / seconds
    sequential_rate = options.sequential / sequential_seconds
    baseline_rate = options.baseline / baseline_seconds
    jobs = options.jobs if database.startswith("postgresql") else 1

    print(f"database: {database}")
    print(f"paragraph embeddings: {'on' if options.embeddings else 'off (--embeddings)'}")
    print(
        f"imported {imported} statements ({paragraphs} paragraphs stored by the three runs, "
        f"{size:.1f} KB per file) in {seconds:.2f} s"
    )
    print(f"import (bulk insert), {jobs} job(s):  {rate:8.1f} statements/s")
    print(f"the same, one process:          {sequential_rate:8.1f} statements/s")
    print(f"baseline (one INSERT/paragraph): {baseline_rate:8.1f} statements/s")
    print(f"ratio: {rate / baseline_rate:.2f}x")
    if not database.startswith("postgresql"):
        print(f"no target on SQLite (the target, {TARGET_PER_SECOND:.0f}/s, is PostgreSQL's)")
        return 0
    if rate < TARGET_PER_SECOND:
        print(f"MISSED: target is {TARGET_PER_SECOND:.0f} statements/s", file=sys.stderr)
        return 1
    print(f"target met: at least {TARGET_PER_SECOND:.0f} statements/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
