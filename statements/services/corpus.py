"""Corpus statistics kept, not recomputed: per language, in how many body paragraphs each
term occurs (the engine's document frequencies) and how often (framing's prior).

A statement is counted in once (`count_pending`, run by a task after imports and edits),
counted out before it is deleted or edited (`uncount`), and the figures always equal a
count from scratch (`rebuild`, `manage.py rebuild_corpus_stats`). A compare reads only the
rows of the terms of its two statements (`statistics`): nothing on the request path grows
with the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from django.db import connection, transaction
from django.db.models import F

from statements import alignment, framing, terms
from statements.models import CorpusSize, Paragraph, Statement, TermStatistic

# Statements counted in per transaction by `count_pending`.
FOLD_BATCH = 200
# Statements counted at once after which PostgreSQL's planner statistics are refreshed.
ANALYZE_AFTER = 500
# Values per statement for SQLite, under its limit on query variables.
SQLITE_CHUNK = 900


@dataclass
class Contribution:
    """What some statements of one language add to its statistics."""

    language: str
    paragraphs: int = 0
    # term -> (paragraphs it occurs in, occurrences)
    rows: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    # term -> a spelling seen (stems and pairs only)
    spellings: dict[str, str] = field(default_factory=dict)
    unigrams: int = 0
    bigrams: int = 0

    def add(self, texts: Sequence[str], blobs: Sequence[bytes]) -> None:
        """Count in a statement: its body paragraphs' texts (the engine's features) and the
        stored terms of the paragraphs framing counts."""
        self.paragraphs += len(texts)
        if texts:
            background = alignment.Background.from_texts(texts, self.language)
            for key, frequency in background.df.items():
                self.rows[key][0] += frequency
        for blob in blobs:
            keys, spellings, counts = terms.decode(blob)
            for key, spelling, count in zip(keys, spellings, counts.tolist(), strict=True):
                self.rows[key][1] += count
                self.spellings.setdefault(key, spelling)
                if " " in key:
                    self.bigrams += count
                else:
                    self.unigrams += count


def contributions(statements: Iterable[Statement]) -> dict[str, Contribution]:
    """What `statements` add to the statistics of their languages, from their paragraphs as
    stored now: body paragraphs for the engine's document frequencies, the paragraphs whose
    words framing counts (`framing.counted`: body, titles and headings) for occurrences.
    Paragraphs stored without their terms get them now. One query for the paragraphs."""
    by_id = {statement.pk: statement for statement in statements}
    found: dict[str, Contribution] = {}
    paragraphs = (
        Paragraph.objects.filter(statement__in=list(by_id), kind__in=framing.COUNTED_KINDS)
        .order_by("statement_id", "position")
        .only("pk", "statement_id", "kind", "text", "language", "terms")
    )
    of_statement: dict[int, list[Paragraph]] = defaultdict(list)
    missing = []
    for paragraph in paragraphs:
        statement = by_id[paragraph.statement_id]
        if not paragraph.terms and paragraph.text:
            language = paragraph.language or statement.language
            paragraph.terms = terms.paragraph_terms(paragraph.text, language)
            missing.append(paragraph)
        of_statement[statement.pk].append(paragraph)
    Paragraph.objects.bulk_update(missing, ["terms"], batch_size=500)
    for statement in by_id.values():
        language = statement.language
        stored = of_statement[statement.pk]
        found.setdefault(language, Contribution(language)).add(
            [p.text for p in stored if p.kind in Paragraph.BODY_KINDS],
            [bytes(p.terms) for p in framing.counted(stored)],
        )
    return found


def apply(found: dict[str, Contribution], sign: int) -> None:
    """Add (sign 1) or take away (sign -1) contributions; rows left at zero are removed.
    Rows are written in key order, languages in order too, so concurrent writers never
    deadlock."""
    for language, contribution in sorted(found.items()):
        rows = sorted(
            (key, contribution.spellings.get(key, ""), sign * counts[0], sign * counts[1])
            for key, counts in contribution.rows.items()
        )
        _upsert(language, rows)
        CorpusSize.objects.get_or_create(language=language)
        CorpusSize.objects.filter(language=language).update(
            paragraphs=F("paragraphs") + sign * contribution.paragraphs,
            unigrams=F("unigrams") + sign * contribution.unigrams,
            bigrams=F("bigrams") + sign * contribution.bigrams,
        )
        if sign < 0:
            CorpusSize.objects.filter(language=language, paragraphs__lte=0).delete()
            touched = [row[0] for row in rows]
            for chunk in _chunks(touched):
                TermStatistic.objects.filter(
                    language=language, key__in=chunk, paragraphs__lte=0, occurrences__lte=0
                ).delete()


def _upsert(language: str, rows: list[tuple[str, str, int, int]]) -> None:
    """Add the (key, spelling, paragraphs, occurrences) rows to the language's figures; a
    new key keeps the spelling it came with."""
    if not rows:
        return
    table = TermStatistic._meta.db_table
    update = (
        f"ON CONFLICT (language, key) DO UPDATE SET "
        f"paragraphs = {table}.paragraphs + EXCLUDED.paragraphs, "
        f"occurrences = {table}.occurrences + EXCLUDED.occurrences"
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            keys, spellings, paragraphs, occurrences = map(list, zip(*rows, strict=True))
            cursor.execute(
                f"INSERT INTO {table} (language, key, spelling, paragraphs, occurrences) "
                "SELECT %s, t.k, t.s, t.p, t.o "
                "FROM unnest(%s::text[], %s::text[], %s::int[], %s::bigint[]) AS t(k, s, p, o) "
                + update,
                [language, keys, spellings, paragraphs, occurrences],
            )
            return
        cursor.executemany(
            f"INSERT INTO {table} (language, key, spelling, paragraphs, occurrences) "
            "VALUES (%s, %s, %s, %s, %s) " + update,
            [(language, *row) for row in rows],
        )


def count_pending(*, limit: int | None = None, sources: set[int] | None = None) -> int:
    """Count in statements not counted yet, FOLD_BATCH per transaction; how many. The
    sources of the statements counted are added to `sources` when it is given.

    Each batch is locked while it is counted (other workers skip it on PostgreSQL), so two
    workers never count a statement twice.
    """
    done = 0
    while limit is None or done < limit:
        size = FOLD_BATCH if limit is None else min(FOLD_BATCH, limit - done)
        with transaction.atomic():
            pending = Statement.objects.filter(stats_counted=False).order_by("pk")
            if connection.features.has_select_for_update_skip_locked:
                pending = pending.select_for_update(skip_locked=True)
            batch = list(pending.only("pk", "language", "source_id")[:size])
            if not batch:
                break
            if sources is not None:
                sources.update(statement.source_id for statement in batch)
            apply(contributions(batch), 1)
            Statement.objects.filter(pk__in=[s.pk for s in batch]).update(stats_counted=True)
        done += len(batch)
    if done >= ANALYZE_AFTER:
        refresh_planner_statistics()
    return done


def refresh_planner_statistics() -> None:
    """After a large count, have PostgreSQL re-read the statistics table's contents.

    Until autovacuum gets to it, the planner still sees the table as it was (small, or
    empty after a rebuild) and reads a comparison's terms by scanning every row of the
    language (0.45 s on 1.8 M rows instead of 20 ms by the index).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {TermStatistic._meta.db_table}")


def uncount(statements: Iterable[Statement]) -> None:
    """Take counted statements out of the statistics, as they are stored now: call it in
    the transaction that deletes or edits them, before the change. They are left to be
    counted in again."""
    counted = list(
        Statement.objects.select_for_update()
        .filter(pk__in=[s.pk for s in statements], stats_counted=True)
        .only("pk", "language")
    )
    if counted:
        apply(contributions(counted), -1)
        Statement.objects.filter(pk__in=[s.pk for s in counted]).update(stats_counted=False)


def recount(statement: Statement) -> None:
    """After an edit of a statement's paragraphs, kinds or language (counted out before it
    with `uncount`): its paragraphs' words counted again, and the worker asked to count it
    in and to compute the vectors of changed texts."""
    from statements import tasks

    paragraphs = list(statement.paragraphs.only("pk", "text", "language"))
    for paragraph in paragraphs:
        paragraph.terms = terms.paragraph_terms(
            paragraph.text, paragraph.language or statement.language
        )
    Paragraph.objects.bulk_update(paragraphs, ["terms"], batch_size=500)
    tasks.schedule_count()
    tasks.enqueue_on_commit(tasks.embed_statement, statement.pk)


def delete(statements: Iterable[Statement]) -> None:
    """Delete statements, counting them out of the statistics in the same transaction."""
    statements = list(statements)
    with transaction.atomic():
        uncount(statements)
        Statement.objects.filter(pk__in=[s.pk for s in statements]).delete()


def rebuild() -> int:
    """Recompute every figure from the stored paragraphs; how many statements."""
    with transaction.atomic():
        TermStatistic.objects.all().delete()
        CorpusSize.objects.all().delete()
        Statement.objects.update(stats_counted=False)
    return count_pending()


def _chunks(values: list) -> Iterable[list]:
    """`values` in pieces SQLite takes as query parameters (all at once elsewhere)."""
    size = SQLITE_CHUNK if connection.vendor == "sqlite" else max(len(values), 1)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _rows(language: str, keys: list[str]) -> dict[str, tuple[int, int]]:
    """Term -> (paragraphs, occurrences) for those of `keys` counted in `language`.

    On PostgreSQL the keys go as one array parameter (`key = ANY(%s)`): a comparison looks
    up tens of thousands of terms, and as many `IN (%s, ...)` parameters took twice as long
    to send and plan. On SQLite, in chunks under its limit on query variables.
    """
    if connection.vendor == "postgresql":
        table = TermStatistic._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT key, paragraphs, occurrences FROM {table} "
                "WHERE language = %s AND key = ANY(%s)",
                [language, keys],
            )
            rows = cursor.fetchall()
    else:
        rows = [
            row
            for chunk in _chunks(keys)
            for row in TermStatistic.objects.filter(language=language, key__in=chunk).values_list(
                "key", "paragraphs", "occurrences"
            )
        ]
    return {key: (paragraphs, occurrences) for key, paragraphs, occurrences in rows}


@dataclass
class Statistics:
    """The counted figures of some terms, read for one comparison: per language, term ->
    (paragraphs, occurrences), and each language's totals."""

    rows: dict[str, dict[str, tuple[int, int]]]
    sizes: dict[str, CorpusSize]

    def background(self, keys: Iterable[str]) -> alignment.Background:
        """The engine's document frequencies of `keys`, summed over the languages read (a
        cross-language comparison pools both)."""
        df: dict[str, int] = {}
        for rows in self.rows.values():
            for key in keys:
                paragraphs = rows.get(key, (0, 0))[0]
                if paragraphs > 0:
                    df[key] = df.get(key, 0) + paragraphs
        n_docs = sum(size.paragraphs for size in self.sizes.values())
        return alignment.Background(n_docs=n_docs, df=df)

    def prior(self, language: str, keys: np.ndarray) -> framing.Prior:
        """Framing's prior for `keys`: their corpus occurrences, and the corpus' totals."""
        rows = self.rows.get(language, {})
        size = self.sizes.get(language)
        counts = np.fromiter(
            (rows.get(key, (0, 0))[1] for key in keys.tolist()),
            np.float64,
            len(keys),
        )
        return framing.Prior(counts, size.unigrams if size else 0, size.bigrams if size else 0)


def statistics(keys_by_language: dict[str, Iterable[str]]) -> Statistics:
    """The counted figures of these terms: one query per language (chunked on SQLite), one
    for the totals."""
    rows = {
        language: _rows(language, sorted(set(keys))) for language, keys in keys_by_language.items()
    }
    sizes = {size.language: size for size in CorpusSize.objects.filter(language__in=rows)}
    return Statistics(rows, sizes)
