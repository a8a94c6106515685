"""A source's distinctive vocabulary against every other source, computed by the worker
from the corpus statistics and stored (`SourceVocabulary`); its page reads one row."""

from __future__ import annotations

import datetime
from itertools import groupby

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from statements import framing, terms
from statements.models import CorpusSize, Paragraph, Source, SourceVocabulary, TermStatistic

from . import corpus

# A vocabulary is computed again when the corpus of its language has grown by this share
# since (the other sources' words are most of what it weighs), or its source's statements
# changed.
CORPUS_GROWTH = 0.1
# A refresh queued longer than this is queued again (its worker may have died).
QUEUE_TIMEOUT = datetime.timedelta(minutes=10)


def source_framing(source: Source) -> framing.Framing | None:
    """The terms `source` uses significantly more than all other sources (left), and the
    reverse (right), as last computed; None while it is first computed. Reading it is one
    query (two with the corpus size it was computed at); a stale one is shown while the
    worker computes it again."""
    row = SourceVocabulary.objects.filter(source=source).first()
    if row is None or row.stale or _corpus_grew(row):
        queue(source, row)
        row = SourceVocabulary.objects.filter(source=source).first()
    if row is None or row.document is None:
        return None
    return framing.Framing.from_document(row.document)


def _corpus_grew(row: SourceVocabulary) -> bool:
    if not row.document:
        return False
    size = CorpusSize.objects.filter(language=row.language).values_list("paragraphs", flat=True)
    now = size.first() or 0
    then = row.document.get("corpus_paragraphs", 0)
    return now > then * (1 + CORPUS_GROWTH) + 1


def queue(source: Source, row: SourceVocabulary | None = None) -> bool:
    """Ask the worker to compute the source's vocabulary, unless it was asked recently."""
    from statements import tasks

    now = timezone.now()
    if row is None:
        try:
            with transaction.atomic():
                SourceVocabulary.objects.create(source=source, queued_at=now)
        except IntegrityError:
            return False
    else:
        fresh = Q(queued_at__gte=now - QUEUE_TIMEOUT)
        if not SourceVocabulary.objects.filter(pk=row.pk).exclude(fresh).update(queued_at=now):
            return False
    tasks.enqueue_on_commit(tasks.refresh_vocabulary, source.pk)
    return True


def mark_stale(source_ids: set[int]) -> list[int]:
    """Sources whose statements changed: their vocabularies are stale; the ones that were
    not stale already (their refresh is to be queued)."""
    rows = SourceVocabulary.objects.filter(source__in=source_ids, stale=False)
    changed = list(rows.values_list("source_id", flat=True))
    rows.update(stale=True)
    return changed


def compute(source: Source) -> SourceVocabulary:
    """Compute and store the source's vocabulary: its counted paragraphs (their stored
    terms, one statement at a time so that a repeated title counts once) against the
    corpus statistics of its main language, less its own words. Reads every counted term
    of the language: the worker's work, never a request's."""
    corpus.count_pending()  # the figures must include every stored statement
    language = (
        source.statements.values_list("language", flat=True)
        .annotate(count=Count("pk"))
        .order_by("-count", "language")
        .first()
    )
    found = framing.Framing((), ())
    size = CorpusSize.objects.filter(language=language or "").first()
    if language is not None:
        own = _own_terms(source, language)
        rows = TermStatistic.objects.filter(language=language, occurrences__gt=0).order_by("key")
        keys, occurrences, spellings = _columns(rows.values_list("key", "occurrences", "spelling"))
        spelled = dict(zip(keys.tolist(), spellings, strict=True))
        others = np.maximum(occurrences - _at(keys, own), 0)
        found = framing.distinctive(
            own,
            framing.TermCounts(keys[others > 0], others[others > 0]),
            spellings=lambda wanted: {k: {spelled.get(k) or k: 1} for k in wanted},
        )
    document = {
        **found.to_document(),
        "corpus_paragraphs": size.paragraphs if size else 0,
    }
    row, _ = SourceVocabulary.objects.update_or_create(
        source=source,
        defaults={
            "language": language or "",
            "document": document,
            "computed_at": timezone.now(),
            "stale": False,
            "queued_at": None,
        },
    )
    return row


def _own_terms(source: Source, language: str) -> framing.TermCounts:
    paragraphs = (
        Paragraph.objects.filter(
            statement__source=source,
            statement__language=language,
            kind__in=framing.COUNTED_KINDS,
        )
        .order_by("statement_id", "position")
        .only("statement_id", "kind", "text", "language", "terms")
    )
    blobs = []
    for _, group in groupby(paragraphs.iterator(chunk_size=2000), key=lambda p: p.statement_id):
        for paragraph in framing.counted(group):
            blobs.append(
                paragraph.terms
                or terms.paragraph_terms(paragraph.text, paragraph.language or language)
            )
    return framing.TermCounts(*terms.add_up(blobs))


def _columns(rows) -> tuple[np.ndarray, np.ndarray, list[str]]:
    keys, occurrences, spellings = [], [], []
    for key, count, spelling in rows.iterator(chunk_size=20000):
        keys.append(key)
        occurrences.append(count)
        spellings.append(spelling)
    return np.array(keys, dtype=str), np.array(occurrences, dtype=np.int64), spellings


def _at(keys: np.ndarray, side: framing.TermCounts) -> np.ndarray:
    """`side`'s counts at the sorted `keys`, 0 where it has none (its keys not among them
    are left out: counted words the corpus figures have not caught up with)."""
    found = np.zeros(len(keys), dtype=np.int64)
    if len(keys) and len(side.keys):
        places = np.searchsorted(keys, side.keys)
        inside = places < len(keys)
        matched = inside.copy()
        matched[inside] = keys[places[inside]] == side.keys[inside]
        found[places[matched]] = side.counts[matched]
    return found
