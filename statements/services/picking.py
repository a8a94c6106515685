"""Finding statements by a few words: what the compare picker's search box suggests."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, F, Max

from statements.models import Statement, format_date
from statements.text import fold

# The index is rebuilt when a statement is imported or deleted, and at least this often
# (a title corrected in the admin changes neither the count nor the latest import).
INDEX_SECONDS = 10 * 60
MAX_WORDS = 8


def _index() -> list[tuple[int, str]]:
    """(pk, folded title, source, date and slug) of every statement, newest first; cached.

    One query for the corpus' stamp, one more to build it when the cache has none."""
    stamp = Statement.objects.aggregate(count=Count("pk"), latest=Max("imported_at"))
    latest = stamp["latest"].timestamp() if stamp["latest"] else 0
    key = f"picker-index:{stamp['count']}:{latest:.6f}"
    index = cache.get(key)
    if index is None:
        rows = Statement.objects.order_by(
            F("published_on").desc(nulls_last=True), "title", "pk"
        ).values_list("pk", "title", "source__name", "published_on", "date_precision", "slug")
        index = [
            (pk, fold(" ".join((title, source, format_date(day, precision), slug))))
            for pk, title, source, day, precision, slug in rows.iterator(chunk_size=2000)
        ]
        cache.set(key, index, INDEX_SECONDS)
    return index


def matching_statements(words: str, limit: int) -> tuple[list[Statement], bool]:
    """The statements whose title, source's name or date ("22 September 2022") hold each
    of `words` (case and accents aside; the first `MAX_WORDS`), newest first: at most
    `limit` of them with their sources, and whether more match. Three queries at most;
    O(statements) to read the cached index."""
    wanted = fold(words).split()[:MAX_WORDS]
    if not wanted:
        return [], False
    found: list[int] = []
    for pk, haystack in _index():
        if all(word in haystack for word in wanted):
            found.append(pk)
            if len(found) > limit:
                break
    by_pk = Statement.objects.select_related("source").in_bulk(found[:limit])
    return [by_pk[pk] for pk in found[:limit] if pk in by_pk], len(found) > limit
