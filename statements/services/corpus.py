"""Corpus statistics kept, not recomputed: per language, in how many body paragraphs each
term occurs (the engine's document frequencies) and how often (framing's prior).

A statement is counted in once (`count_pending`, run by a task after imports and edits),
counted out before it is deleted or edited (`uncount`), and the figures always equal a
count from scratch (`rebuild`, `manage.py rebuild_corpus_stats`). A compare reads only the
rows of the terms of its two statements (`background`, `framing_prior`): nothing on the
request path grows with the corpus.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import F

from statements import alignment, framing, terms
from statements.models import CorpusSize, Paragraph, Statement, TermStatistic

# Statements counted in per transaction by `count_pending`.
FOLD_BATCH = 200
# Values per statement for SQLite, under its limit on query variables.
SQLITE_CHUNK = 900


@dataclass
class Contribution:
    """What some statements of one language add to its statistics."""

    language: str
    paragraphs: int = 0
    # term hash -> (paragraphs it occurs in, occurrences)
    rows: dict[int, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    unigrams: int = 0
    bigrams: int = 0

    def add(self, texts: Sequence[str], blobs: Sequence[bytes]) -> None:
        """Count in body paragraphs: their texts (engine features) and stored terms."""
        self.paragraphs += len(texts)
        if not texts:
            return
        df = alignment.Background.from_texts(texts, self.language).df
        for key, frequency in df.items():
            self.rows[terms.term_hash(self.language, key)][0] += frequency
        hashes, counts = terms.add_up(blobs)
        pairs = terms.is_pair(hashes)
        self.bigrams += int(counts[pairs].sum())
        self.unigrams += int(counts[~pairs].sum())
        for key_hash, count in zip(hashes.tolist(), counts.tolist(), strict=True):
            self.rows[key_hash][1] += count


def contributions(statements: Iterable[Statement]) -> dict[str, Contribution]:
    """What `statements` add to the statistics of their languages, from their body
    paragraphs as stored now (paragraphs stored without their terms get them now). One
    query for the paragraphs."""
    by_id = {statement.pk: statement for statement in statements}
    found: dict[str, Contribution] = {}
    paragraphs = (
        Paragraph.objects.filter(statement__in=list(by_id), kind__in=Paragraph.BODY_KINDS)
        .order_by("statement_id", "position")
        .only("pk", "statement_id", "text", "language", "terms")
    )
    texts: dict[int, list[str]] = defaultdict(list)
    blobs: dict[int, list[bytes]] = defaultdict(list)
    missing = []
    for paragraph in paragraphs:
        statement = by_id[paragraph.statement_id]
        if not paragraph.terms and paragraph.text:
            language = paragraph.language or statement.language
            paragraph.terms = terms.paragraph_terms(paragraph.text, language)
            missing.append(paragraph)
        texts[statement.pk].append(paragraph.text)
        blobs[statement.pk].append(bytes(paragraph.terms))
    Paragraph.objects.bulk_update(missing, ["terms"], batch_size=500)
    for statement in by_id.values():
        language = statement.language
        found.setdefault(language, Contribution(language)).add(
            texts[statement.pk], blobs[statement.pk]
        )
    return found


def apply(found: dict[str, Contribution], sign: int) -> None:
    """Add (sign 1) or take away (sign -1) contributions; rows left at zero are removed.
    Rows are written in hash order, so concurrent writers never deadlock."""
    for language, contribution in found.items():
        rows = sorted(
            (key_hash, sign * counts[0], sign * counts[1])
            for key_hash, counts in contribution.rows.items()
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
                    language=language, key_hash__in=chunk, paragraphs__lte=0, occurrences__lte=0
                ).delete()


def _upsert(language: str, rows: list[tuple[int, int, int]]) -> None:
    table = TermStatistic._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if not rows:
                return
            hashes, paragraphs, occurrences = map(list, zip(*rows, strict=True))
            cursor.execute(
                f"INSERT INTO {table} (language, key_hash, paragraphs, occurrences) "
                "SELECT %s, t.h, t.p, t.o FROM unnest(%s::bigint[], %s::int[], %s::bigint[]) "
                "AS t(h, p, o) ON CONFLICT (language, key_hash) DO UPDATE SET "
                f"paragraphs = {table}.paragraphs + EXCLUDED.paragraphs, "
                f"occurrences = {table}.occurrences + EXCLUDED.occurrences",
                [language, hashes, paragraphs, occurrences],
            )
            return
        cursor.executemany(
            f"INSERT INTO {table} (language, key_hash, paragraphs, occurrences) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (language, key_hash) DO UPDATE SET "
            "paragraphs = paragraphs + excluded.paragraphs, "
            "occurrences = occurrences + excluded.occurrences",
            [(language, *row) for row in rows],
        )


def count_pending(*, limit: int | None = None) -> int:
    """Count in statements not counted yet, FOLD_BATCH per transaction; how many.

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
            batch = list(pending.only("pk", "language")[:size])
            if not batch:
                break
            apply(contributions(batch), 1)
            Statement.objects.filter(pk__in=[s.pk for s in batch]).update(stats_counted=True)
        done += len(batch)
    return done


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


def _chunks(values: list[int]) -> Iterable[list[int]]:
    """`values` in pieces SQLite takes as query parameters (all at once elsewhere)."""
    size = SQLITE_CHUNK if connection.vendor == "sqlite" else max(len(values), 1)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _rows(language: str, hashes: list[int]) -> dict[int, TermStatistic]:
    found: dict[int, TermStatistic] = {}
    for chunk in _chunks(hashes):
        rows = TermStatistic.objects.filter(language=language, key_hash__in=chunk).only(
            "key_hash", "paragraphs", "occurrences"
        )
        found.update((row.key_hash, row) for row in rows)
    return found


@dataclass
class Statistics:
    """The counted figures of some terms, read for one comparison: per language, term hash
    -> (paragraphs, occurrences), and each language's totals."""

    rows: dict[str, dict[int, TermStatistic]]
    sizes: dict[str, CorpusSize]

    def background(self, keys: Iterable[str]) -> alignment.Background:
        """The engine's document frequencies of `keys`, summed over the languages read (a
        cross-language comparison pools both)."""
        df: dict[str, int] = {}
        for language, rows in self.rows.items():
            for key in keys:
                row = rows.get(terms.term_hash(language, key))
                if row is not None and row.paragraphs > 0:
                    df[key] = df.get(key, 0) + row.paragraphs
        n_docs = sum(size.paragraphs for size in self.sizes.values())
        return alignment.Background(n_docs=n_docs, df=df)

    def prior(self, language: str, keys: Iterable[str]) -> framing.Counts:
        """Framing's prior: the corpus occurrences of `keys`, and the rest of the corpus'
        total under REST, a key no term has (the prior's denominator is the whole corpus)."""
        rows = self.rows.get(language, {})
        unigrams: dict[str, int] = {}
        bigrams: dict[str, int] = {}
        for key in keys:
            row = rows.get(terms.term_hash(language, key))
            if row is not None and row.occurrences > 0:
                (bigrams if " " in key else unigrams)[key] = row.occurrences
        size = self.sizes.get(language)
        unigrams[REST] = max((size.unigrams if size else 0) - sum(unigrams.values()), 0)
        bigrams[REST] = max((size.bigrams if size else 0) - sum(bigrams.values()), 0)
        return framing.Counts(unigrams=unigrams, bigrams=bigrams)


# A key no term has: what the rest of the corpus counts, in a prior read for a few terms.
REST = "\x00rest"


def statistics(keys_by_language: dict[str, Iterable[str]]) -> Statistics:
    """The counted figures of these terms: one query per language (chunked on SQLite), one
    for the totals."""
    rows = {
        language: _rows(language, sorted({terms.term_hash(language, key) for key in keys}))
        for language, keys in keys_by_language.items()
    }
    sizes = {size.language: size for size in CorpusSize.objects.filter(language__in=rows)}
    return Statistics(rows, sizes)
