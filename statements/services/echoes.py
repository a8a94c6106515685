"""Where a sentence went: the echoes index (`EchoKey`) and what it finds.

A statement's body paragraphs are fingerprinted once (statements/echoes.py) by the
`index_echoes` task after an import or an edit; `manage.py index_echoes` backfills what is
not indexed. `find` looks one paragraph's fingerprints up in the index (two queries, never
a scan of the corpus), checks each candidate's wording against the source, and gives the
echoes in order of date.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count

from statements import echoes
from statements.models import EchoKey, Paragraph, Statement

# Candidates checked for one paragraph: the most fingerprints shared first. Bounds the
# work of a request, whatever the corpus holds.
CANDIDATES = 200
WRITE_BATCH = 2000


@dataclass(frozen=True)
class Echo:
    """A paragraph of another statement that takes over the source paragraph's words."""

    paragraph: Paragraph  # with its statement and source
    passage: echoes.Passage
    shared_keys: int

    @property
    def statement(self) -> Statement:
        return self.paragraph.statement


def keys_of(paragraphs: Iterable[Paragraph], language: str) -> list[EchoKey]:
    return [
        EchoKey(key=key, paragraph_id=p.pk, statement_id=p.statement_id)
        for p in paragraphs
        if p.is_body
        for key in echoes.fingerprints(p.text, p.language or language)
    ]


def index_statement(statement: Statement) -> int:
    """Fingerprint the statement's body paragraphs afresh (its old keys go); how many keys."""
    paragraphs = Paragraph.objects.filter(statement=statement).only(
        "pk", "statement_id", "text", "kind", "language"
    )
    rows = keys_of(paragraphs, statement.language)
    with transaction.atomic():
        EchoKey.objects.filter(statement=statement).delete()
        EchoKey.objects.bulk_create(rows, batch_size=WRITE_BATCH)
        Statement.objects.filter(pk=statement.pk).update(echoes_indexed=True)
    return len(rows)


def mark_stale(statements: Iterable[Statement]) -> None:
    """The statements' texts changed: index them again (on the worker)."""
    from statements import tasks

    ids = [s.pk for s in statements]
    Statement.objects.filter(pk__in=ids).update(echoes_indexed=False)
    for pk in ids:
        tasks.enqueue_on_commit(tasks.index_echoes, pk)


def find(source: Paragraph, language: str = "") -> list[Echo]:
    """Every paragraph of another statement that quotes or closely restates `source`,
    by date (then outlet and position), at most CANDIDATES checked. Two queries: the
    candidates (paragraphs sharing the most fingerprints, through the index), and those
    paragraphs with their statements and sources."""
    keys = echoes.fingerprints(source.text, source.language or language)
    if not keys:
        return []
    shared = (
        EchoKey.objects.filter(key__in=keys)
        .exclude(statement_id=source.statement_id)
        .values("paragraph_id")
        .annotate(shared=Count("key", distinct=True))
        .order_by("-shared", "paragraph_id")[:CANDIDATES]
    )
    by_paragraph = {row["paragraph_id"]: row["shared"] for row in shared}
    if not by_paragraph:
        return []
    candidates = (
        Paragraph.objects.filter(pk__in=list(by_paragraph))
        .select_related("statement__source")
        .defer("terms", "statement__original_text", "statement__import_warnings")
    )
    found = []
    for paragraph in candidates:
        passage = echoes.passage(source.text, paragraph.text)
        if passage is not None:
            found.append(Echo(paragraph, passage, by_paragraph[paragraph.pk]))
    found.sort(key=_chronological)
    return found


def _chronological(echo: Echo) -> tuple:
    statement = echo.statement
    undated = statement.published_on is None
    return (
        undated,
        statement.published_on,
        statement.source.name,
        statement.pk,
        echo.paragraph.position,
    )


def scan(source: Paragraph, language: str = "") -> list[Echo]:
    """The same echoes found by reading every other paragraph of the corpus: the baseline
    `bench/echoes.py` measures `find` against, and what tests check it by. Never on a
    request."""
    wanted = set(echoes.fingerprints(source.text, source.language or language))
    found = []
    paragraphs = (
        Paragraph.objects.exclude(statement_id=source.statement_id)
        .filter(kind__in=Paragraph.BODY_KINDS)
        .select_related("statement__source")
        .defer("terms", "statement__original_text", "statement__import_warnings")
    )
    for paragraph in paragraphs.iterator(chunk_size=5000):
        language_of = paragraph.language or paragraph.statement.language
        keys = wanted.intersection(echoes.fingerprints(paragraph.text, language_of))
        if keys:
            passage = echoes.passage(source.text, paragraph.text)
            if passage is not None:
                found.append(Echo(paragraph, passage, len(keys)))
    found.sort(key=_chronological)
    return found
