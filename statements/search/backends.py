"""The two full-text backends: a PostgreSQL tsvector column, an SQLite FTS5 table."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection as default_connection
from django.db.models import Case, Q, Value, When
from django.db.models.expressions import RawSQL

from statements import text
from statements.models import Paragraph, Statement

from .query import (
    _START,
    _STOP,
    DEFAULT_LANGUAGE,
    Piece,
    Plan,
    headline_snippet,
    index_language,
    is_search_word,
    snippet,
)

CONFIGS = {"fr": "parallax_fr", "en": "parallax_en"}
PG_COLUMN = "search_document"
FTS_TABLE = "statements_paragraph_fts"
FTS_DELETE_TRIGGER = "statements_paragraph_fts_delete"


@dataclass
class Hit:
    paragraph: Paragraph
    snippet: list[Piece]
    rank: float

    @property
    def url(self) -> str:
        return self.paragraph.get_absolute_url()


def _effective_language_sql(paragraph: str, statement: str) -> str:
    """SQL for the language a paragraph is indexed in (its own, else its statement's)."""
    spoken = f"COALESCE(NULLIF({paragraph}.language, ''), {statement}.language)"
    cases = " ".join(f"WHEN '{code}' THEN '{code}'" for code in text.LANGUAGES)
    return f"CASE {spoken} {cases} ELSE '{DEFAULT_LANGUAGE}' END"


# A tsvector holds at most 1 MB: a paragraph's first 200,000 characters are what is searched
# (a 2 MB paragraph of distinct words made a 2.9 MB one, and its import failed).
PG_INDEXED_CHARS = 200_000


class PostgresBackend:
    """A tsvector column per paragraph: written with a new statement's paragraphs, and
    rebuilt with one UPDATE per statement."""

    def insert(
        self, connection, statement: Statement, rows: list[ParagraphRow], terms: list[bytes]
    ) -> list[int]:
        """Insert the paragraphs (with their counted `terms`) and their search documents in
        one query; their ids.

        Computing each document as its row is written saves writing every row twice (an
        INSERT, then `index`'s UPDATE), about a third of an import's time in the database.
        The rows come back in the order of the arrays, as Django's own bulk insert relies on.
        """
        sql = (
            "INSERT INTO statements_paragraph "
            f"(statement_id, position, text, kind, number, language, terms, {PG_COLUMN}) "
            "SELECT %s, p.position, p.text, p.kind, p.number, p.language, p.terms, "
            f"to_tsvector(p.config::regconfig, left(p.text, {PG_INDEXED_CHARS})) "
            "FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[], "
            "%s::bytea[], %s::text[]) AS p(position, text, kind, number, language, terms, config) "
            "RETURNING id"
        )
        columns = [
            list(range(1, len(rows) + 1)),
            [row.text for row in rows],
            [row.kind for row in rows],
            [row.number for row in rows],
            [row.language for row in rows],
            terms,
            [CONFIGS[index_language(row.language or statement.language)] for row in rows],
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, [statement.pk, *columns])
            return [pk for (pk,) in cursor.fetchall()]

    def index(self, connection, statement_ids: Iterable[int] | None = None) -> int:
        language = _effective_language_sql("p", "s")
        configs = " ".join(
            f"WHEN '{code}' THEN '{config}'::regconfig" for code, config in CONFIGS.items()
        )
        sql = (
            f"UPDATE statements_paragraph AS p SET {PG_COLUMN} = to_tsvector("
            f"CASE {language} {configs} END, left(p.text, {PG_INDEXED_CHARS})) "
            "FROM statements_statement AS s WHERE s.id = p.statement_id"
        )
        params: list[Any] = []
        if statement_ids is not None:
            sql += " AND p.statement_id = ANY(%s)"
            params.append(list(statement_ids))
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount

    def _queryset(self, plans: list[Plan], condition: Q):
        from django.contrib.postgres.search import SearchQuery, SearchVectorField

        document = RawSQL(
            f'"statements_paragraph"."{PG_COLUMN}"', (), output_field=SearchVectorField()
        )
        language = Case(
            *[When(language=code, then=Value(code)) for code in text.LANGUAGES],
            default=Case(
                *[When(statement__language=code, then=Value(code)) for code in text.LANGUAGES],
                default=Value(DEFAULT_LANGUAGE),
            ),
        )
        queries = {
            plan.language: SearchQuery(
                plan.websearch(), config=CONFIGS[plan.language], search_type="websearch"
            )
            for plan in plans
        }
        match = Q()
        for code, query in queries.items():
            match |= Q(index_language=code, document=query)
        queryset = (
            Paragraph.objects.filter(condition)
            .alias(document=document, index_language=language)
            .filter(match)
        )
        return queryset, document, queries

    def rank(self, plans: list[Plan], condition: Q, limit: int) -> list[tuple[int, float]]:
        from django.contrib.postgres.search import SearchRank

        queryset, document, queries = self._queryset(plans, condition)
        rank = Case(
            *[
                # Normalised by the log of the paragraph's length, as bm25 is by length.
                When(index_language=code, then=SearchRank(document, query, normalization=1))
                for code, query in queries.items()
            ]
        )
        return list(
            queryset.annotate(rank=rank).order_by("-rank", "pk").values_list("pk", "rank")[:limit]
        )

    def hits(self, plans: list[Plan], ranked: list[tuple[int, float]]) -> list[Hit]:
        from django.contrib.postgres.search import SearchHeadline

        if not ranked:
            return []
        queryset, _, queries = self._queryset(plans, Q(pk__in=[pk for pk, _ in ranked]))
        headline = Case(
            *[
                When(
                    index_language=code,
                    then=SearchHeadline(
                        "text",
                        query,
                        config=CONFIGS[code],
                        start_sel=_START,
                        stop_sel=_STOP,
                        max_words=35,
                        min_words=15,
                        max_fragments=2,
                        fragment_delimiter=" … ",
                    ),
                )
                for code, query in queries.items()
            ]
        )
        paragraphs = {
            p.pk: p
            for p in queryset.select_related("statement__source").annotate(headline=headline)
        }
        return [
            Hit(
                paragraphs[pk],
                headline_snippet(paragraphs[pk].headline or "", paragraphs[pk].text),
                rank,
            )
            for pk, rank in ranked
            if pk in paragraphs
        ]


class SqliteBackend:
    """An FTS5 table of stems; bm25 ranking; snippets made in Python."""

    BATCH = 2000

    def insert(
        self, connection, statement: Statement, rows: list[ParagraphRow], terms: list[bytes]
    ) -> list[int]:
        """Bulk-insert the paragraphs, then their index rows, made from them in memory."""
        paragraphs = Paragraph.objects.using(connection.alias).bulk_create(
            Paragraph(
                statement=statement,
                position=position,
                text=row.text,
                kind=row.kind,
                number=row.number,
                language=row.language,
                terms=paragraph_terms,
            )
            for position, (row, paragraph_terms) in enumerate(zip(rows, terms, strict=True), 1)
        )
        documents = [(p.pk, p.text, p.language or statement.language) for p in paragraphs]
        with connection.cursor() as writer:
            writer.execute(_SQLITE_TRIGGER)
            writer.executemany(self._insert_sql(), self._rows(documents))
        return [paragraph.pk for paragraph in paragraphs]

    @staticmethod
    def document(value: str, language: str) -> str:
        """What FTS5 indexes for a paragraph: the stems of its content words, in order."""
        return " ".join(
            text.stem(word, language) for word in text.words(value) if is_search_word(word)
        )

    def _rows(self, rows) -> list[tuple[Any, ...]]:
        """(rowid, fr, en, ...) rows for FTS5 from (id, text, language) rows."""
        documents = []
        for pk, value, language in rows:
            language = index_language(language)
            columns = [
                "" if code != language else self.document(value, code) for code in text.LANGUAGES
            ]
            documents.append((pk, *columns))
        return documents

    @staticmethod
    def _insert_sql() -> str:
        columns = ", ".join(text.LANGUAGES)
        placeholders = ", ".join(["%s"] * (len(text.LANGUAGES) + 1))
        return f"INSERT INTO {FTS_TABLE} (rowid, {columns}) VALUES ({placeholders})"

    def index(self, connection, statement_ids: Iterable[int] | None = None) -> int:
        insert = self._insert_sql()
        select = (
            f"SELECT p.id, p.text, {_effective_language_sql('p', 's')} FROM statements_paragraph p"
            " JOIN statements_statement s ON s.id = p.statement_id"
        )
        count = 0
        with connection.cursor() as reader, connection.cursor() as writer:
            writer.execute(_SQLITE_TRIGGER)
            if statement_ids is None:
                writer.execute(f"DELETE FROM {FTS_TABLE}")
                reader.execute(select + " ORDER BY p.id")
            else:
                ids = list(statement_ids)
                marks = ", ".join(["%s"] * len(ids))
                writer.execute(
                    f"DELETE FROM {FTS_TABLE} WHERE rowid IN "
                    f"(SELECT id FROM statements_paragraph WHERE statement_id IN ({marks}))",
                    ids,
                )
                reader.execute(select + f" WHERE p.statement_id IN ({marks})", ids)
            while rows := reader.fetchmany(self.BATCH):
                writer.executemany(insert, self._rows(rows))
                count += len(rows)
        return count

    def rank(self, plans: list[Plan], condition: Q, limit: int) -> list[tuple[int, float]]:
        expression = " OR ".join(f"({plan.fts5()})" for plan in plans)
        # The filters, as the ORM writes them, checked for each match of the index.
        allowed = (
            Paragraph.objects.filter(condition, pk=RawSQL(f"{FTS_TABLE}.rowid", ()))
            .order_by()
            .values("pk")
        )
        allowed_sql, allowed_params = allowed.query.sql_with_params()
        sql = (
            f"SELECT rowid, rank FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"AND EXISTS ({allowed_sql}) ORDER BY rank, rowid LIMIT %s"
        )
        with default_connection.cursor() as cursor:
            cursor.execute(sql, [expression, *allowed_params, limit])
            # bm25 is lower for better matches: negate it, so higher is better on both backends.
            return [(pk, -score) for pk, score in cursor.fetchall()]

    def hits(self, plans: list[Plan], ranked: list[tuple[int, float]]) -> list[Hit]:
        if not ranked:
            return []
        stems = {plan.language: plan.stems() for plan in plans}
        paragraphs = Paragraph.objects.select_related("statement__source").in_bulk(
            [pk for pk, _ in ranked]
        )
        hits = []
        for pk, rank in ranked:
            paragraph = paragraphs.get(pk)
            if paragraph is None:
                continue
            language = index_language(paragraph.language or paragraph.statement.language)
            found = stems.get(language, frozenset())
            hits.append(Hit(paragraph, snippet(paragraph.text, found, language), rank))
        return hits


_SQLITE_TRIGGER = (
    f"CREATE TRIGGER IF NOT EXISTS {FTS_DELETE_TRIGGER} AFTER DELETE ON statements_paragraph "
    f"BEGIN DELETE FROM {FTS_TABLE} WHERE rowid = old.id; END"
)

_BACKENDS = {"postgresql": PostgresBackend(), "sqlite": SqliteBackend()}


def backend_for(connection):
    try:
        return _BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"No full-text search for {connection.vendor}") from None


class ParagraphRow(Protocol):
    """A paragraph to write, as the importer gives it (`importing.ParsedParagraph`)."""

    text: str
    kind: str
    number: str
    language: str
