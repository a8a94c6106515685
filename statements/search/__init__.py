"""Full-text search over paragraphs: one interface, a PostgreSQL and a SQLite backend.

`search_paragraphs(query, filters=...)` parses web-search syntax (words, "quoted phrases",
-exclusions, OR) into a `Query`, runs it on the backend of the current database and returns
hits grouped by statement, each with a safe, highlighted snippet.

- PostgreSQL: a `search_document` tsvector column on statements_paragraph (raw SQL, outside
  Django's model state, with a GIN index), built with the `parallax_fr` / `parallax_en` text
  search configurations (the snowball stemmer after `unaccent`), queried with
  websearch_to_tsquery, ranked with ts_rank, snippets from ts_headline.
- SQLite: an FTS5 table `statements_paragraph_fts` (rowid = paragraph id) holding the
  Snowball stems of each paragraph's content words (`text.stem`) in the column of its
  language, ranked with bm25(); snippets are built here from the paragraph text.

The user's text never reaches MATCH or to_tsquery as typed: it is cut into folded words and
rebuilt, every term quoted. Both indexes are written with a new statement's paragraphs by
`insert_paragraphs` (called by `services.import_statement`; on PostgreSQL in the same
INSERT), refreshed by `index_statement` after an edit, and rebuilt by `reindex`
(`manage.py reindex_search`).
Only paragraphs are indexed: annotations, which may be private, never are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection as default_connection
from django.db.models import Q

from statements.models import Event, Paragraph, Source, Statement

from .backends import FTS_TABLE, PG_COLUMN, Hit, backend_for
from .index import index_statement, insert_paragraphs, reindex
from .query import (
    MAX_CLAUSES,
    MAX_QUERY_CHARS,
    Clause,
    Piece,
    Query,
    headline_pieces,
    parse_query,
)

__all__ = [
    "DEFAULT_LIMIT",
    "FTS_TABLE",
    "MAX_QUERY_CHARS",
    "PG_COLUMN",
    "TRUNCATED",
    "Clause",
    "Hit",
    "Piece",
    "Query",
    "SearchFilters",
    "SearchResults",
    "StatementHits",
    "headline_pieces",
    "index_statement",
    "insert_paragraphs",
    "parse_query",
    "reindex",
    "search_paragraphs",
]

DEFAULT_LIMIT = 50


@dataclass
class SearchFilters:
    """What narrows a search; every field optional."""

    source: Source | None = None
    source_kind: str = ""
    event: Event | None = None
    language: str = ""
    date_from: Any = None
    date_to: Any = None
    include_boilerplate: bool = False

    def q(self) -> Q:
        """The filters as a condition on Paragraph."""
        condition = Q()
        if not self.include_boilerplate:
            condition &= ~Q(kind=Paragraph.Kind.BOILERPLATE)
        if self.source:
            condition &= Q(statement__source=self.source)
        if self.source_kind:
            condition &= Q(statement__source__kind=self.source_kind)
        if self.event:
            condition &= Q(statement__events=self.event)
        if self.language:
            condition &= Q(statement__language=self.language)
        if self.date_from:
            condition &= Q(statement__published_on__gte=self.date_from)
        if self.date_to:
            condition &= Q(statement__published_on__lte=self.date_to)
        return condition


@dataclass
class StatementHits:
    statement: Statement
    hits: list[Hit] = field(default_factory=list)


@dataclass
class SearchResults:
    """Hits grouped by statement (best statement first, hits in reading order)."""

    query: str
    groups: list[StatementHits] = field(default_factory=list)
    hit_count: int = 0
    more: bool = False
    message: str = ""
    limit: int = DEFAULT_LIMIT

    @property
    def statement_count(self) -> int:
        return len(self.groups)


NOTHING_TO_SEARCH = 'Type a word or a "phrase" to search for.'
ONLY_COMMON_WORDS = (
    "Nothing to look for: very common words and exclusions alone find nothing. "
    "Add a more specific word."
)
TRUNCATED = f"Long query: only its first {MAX_CLAUSES} terms were used."


def search_paragraphs(
    query: str,
    *,
    filters: SearchFilters | None = None,
    user=None,
    limit: int = DEFAULT_LIMIT,
) -> SearchResults:
    """The `limit` paragraphs that best match `query`, grouped by statement. Two queries.

    Never raises for bad input: a query with nothing to look for comes back empty with a
    `message`. `user` is for content with visibility (annotations, should they ever be
    searched, must go through Annotation.objects.visible_to(user)); paragraphs are public.
    """
    parsed = parse_query(query)
    plans = parsed.plans()
    if not plans:
        return SearchResults(
            query, message=ONLY_COMMON_WORDS if parsed.groups else NOTHING_TO_SEARCH
        )
    backend = backend_for(default_connection)
    condition = (filters or SearchFilters()).q()
    ranked = backend.rank(plans, condition, limit + 1)
    results = SearchResults(
        query, more=len(ranked) > limit, limit=limit, message=TRUNCATED if parsed.truncated else ""
    )
    ranked = ranked[:limit]
    hits = backend.hits(plans, ranked)
    groups: dict[int, StatementHits] = {}
    for hit in hits:
        statement = hit.paragraph.statement
        groups.setdefault(statement.pk, StatementHits(statement)).hits.append(hit)
    for group in groups.values():
        group.hits.sort(key=lambda hit: hit.paragraph.position)
    results.groups = list(groups.values())
    results.hit_count = len(hits)
    return results
