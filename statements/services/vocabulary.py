"""A source's distinctive vocabulary against every other source."""

from __future__ import annotations

from itertools import groupby

from django.core.cache import cache
from django.db.models import Count, Max

from statements import alignment, framing
from statements.models import Paragraph, Source, Statement

from .comparing import COMPARE_CACHE_SECONDS


def source_framing(source: Source, *, use_cache: bool = True) -> framing.Framing:
    """The terms `source` uses significantly more than all other sources (left), and the
    reverse (right), over the paragraphs in the source's main language whose words count
    (`framing.counted_texts`: body, quotes, titles and headings, a repeated title once).

    Cached until a statement is imported or deleted (the key holds the corpus' size and
    latest import): two small queries when cached, one more to count terms when not.
    """
    language = (
        source.statements.values_list("language", flat=True)
        .annotate(count=Count("pk"))
        .order_by("-count", "language")
        .first()
    )
    if language is None:
        return framing.Framing(left=(), right=())
    stamp = Statement.objects.aggregate(count=Count("pk"), latest=Max("imported_at"))
    latest = stamp["latest"].timestamp() if stamp["latest"] else 0
    key = ":".join(
        [
            "source-framing",
            alignment.ENGINE_VERSION,
            framing.VERSION,
            str(source.pk),
            language,
            f"{stamp['count']}:{latest:.6f}",
        ]
    )
    found = cache.get(key) if use_cache else None
    if found is None:
        own: list[str] = []
        others: list[str] = []
        rows = (
            Paragraph.objects.filter(statement__language=language, kind__in=framing.COUNTED_KINDS)
            .order_by("statement_id", "position")
            .values_list("statement_id", "statement__source_id", "kind", "text")
        )
        # One statement's paragraphs at a time: a repeated title counts once in each.
        for (_, source_id), group in groupby(
            rows.iterator(chunk_size=5000), key=lambda row: (row[0], row[1])
        ):
            texts = framing.counted_texts((kind, text) for _, _, kind, text in group)
            (own if source_id == source.pk else others).extend(texts)
        found = framing.distinctive_terms(own, others, language=language)
        if use_cache:
            cache.set(key, found, COMPARE_CACHE_SECONDS)
    return found
