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

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Protocol

from django import forms
from django.db import connection as default_connection
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from . import text
from .models import Event, Paragraph, Source, Statement

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 10
DEFAULT_LIMIT = 50
SNIPPET_WORDS = 40

DEFAULT_LANGUAGE = "fr"
# PostgreSQL text search configurations, made by migration 0003_search.
CONFIGS = {"fr": "parallax_fr", "en": "parallax_en"}
PG_COLUMN = "search_document"
FTS_TABLE = "statements_paragraph_fts"
FTS_DELETE_TRIGGER = "statements_paragraph_fts_delete"

# ts_headline marks matches with these; they are turned into <mark> after escaping the rest.
_START, _STOP = "\x02", "\x03"


def index_language(language: str) -> str:
    """The language a paragraph is indexed and queried in: one we stem, else the default."""
    return language if language in text.LANGUAGES else DEFAULT_LANGUAGE


# --- Queries ----------------------------------------------------------------------------

# A quoted phrase (the closing quote optional: an unbalanced quote runs to the end), or a
# run of anything else up to a space or a quote.
_PART = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+)')


@lru_cache(maxsize=65536)
def is_search_word(folded: str) -> bool:
    """Whether a word is indexed and looked for: a content word in every language we stem.

    One rule for all languages, so that a query means the same whatever the statement's
    language ("le la" and "the of" alike find nothing), and the index and the queries
    drop the same words (phrases stay phrases).
    """
    return all(text.is_content_word(folded, language) for language in text.LANGUAGES)


@dataclass(frozen=True)
class Clause:
    """A word or a phrase (folded words, in order), possibly excluded (`-word`)."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def content_words(self) -> list[str]:
        return [word for word in self.words if is_search_word(word)]


@dataclass(frozen=True)
class Plan:
    """A query for one language: stop words gone, each group with a clause to look for.

    `groups` are alternatives (OR); all clauses of a group must hold (AND, NOT).
    """

    language: str
    groups: tuple[tuple[Clause, ...], ...]

    def websearch(self) -> str:
        """For websearch_to_tsquery: every clause quoted, phrases keep their stop words
        (PostgreSQL counts them in phrase distances), OR between groups."""
        return " or ".join(
            " ".join(f'{"-" if c.negated else ""}"{" ".join(c.words)}"' for c in group)
            for group in self.groups
        )

    def fts5(self) -> str:
        """An FTS5 expression on this language's column: quoted stems, phrases as phrases."""

        def phrase(clause: Clause) -> str:
            stems = [text.stem(word, self.language) for word in clause.content_words]
            return f'"{" ".join(stems)}"'

        alternatives = []
        for group in self.groups:
            wanted = " AND ".join(phrase(c) for c in group if not c.negated)
            unwanted = "".join(f" NOT {phrase(c)}" for c in group if c.negated)
            alternatives.append(f"(({wanted}){unwanted})")
        return f"{{{self.language}}} : ({' OR '.join(alternatives)})"

    def stems(self) -> frozenset[str]:
        """Stems of the words looked for (not the excluded ones), to highlight them."""
        return frozenset(
            text.stem(word, self.language)
            for group in self.groups
            for clause in group
            if not clause.negated
            for word in clause.content_words
        )


@dataclass(frozen=True)
class Query:
    """A parsed search: alternatives (OR) of clauses that must all hold."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    truncated: bool = False

    def plan(self, language: str) -> Plan | None:
        """This query in `language`, or None when it looks for nothing there."""
        groups = []
        for group in self.groups:
            kept = tuple(clause for clause in group if clause.content_words)
            if any(not clause.negated for clause in kept):
                groups.append(kept)
        return Plan(language, tuple(groups)) if groups else None

    def plans(self) -> list[Plan]:
        return [plan for language in text.LANGUAGES if (plan := self.plan(language))]


def parse_query(raw: str) -> Query:
    """Web-search syntax to a `Query`: words, "phrases", -exclusions, OR between groups.

    Never fails: unbalanced quotes close at the end, operators and punctuation of other
    syntaxes (NEAR(, *, AND) are only text, the input is cut at MAX_QUERY_CHARS and the
    clauses at MAX_CLAUSES. Words are folded (lower case, no accents).
    """
    source = text.normalise(raw[: MAX_QUERY_CHARS * 2])
    truncated = len(source) > MAX_QUERY_CHARS
    source = source[:MAX_QUERY_CHARS]
    groups: list[tuple[Clause, ...]] = []
    current: list[Clause] = []
    count = 0
    for match in _PART.finditer(source):
        bare = match["bare"]
        if bare == "OR":
            if current:
                groups.append(tuple(current))
            current = []
            continue
        negated = bool(match["neg"]) if bare is None else bare.startswith("-")
        words = text.words(match["phrase"] if bare is None else bare)
        if not words:
            continue
        if count == MAX_CLAUSES:
            truncated = True
            break
        current.append(Clause(tuple(words[:MAX_PHRASE_WORDS]), negated))
        count += 1
    if current:
        groups.append(tuple(current))
    return Query(tuple(groups), truncated)


# --- Filters and results ---------------------------------------------------------------


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
class Hit:
    paragraph: Paragraph
    snippet: SafeString
    rank: float

    @property
    def url(self) -> str:
        return self.paragraph.get_absolute_url()


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


# --- Snippets ---------------------------------------------------------------------------


def snippet(value: str, stems: frozenset[str], language: str, words: int = SNIPPET_WORDS):
    """Up to `words` words of `value` around its first match, matches in <mark>, the rest
    escaped. A match is a content word whose stem is in `stems`. Safe HTML."""
    tokens = text.tokens(value)
    marked = [
        i
        for i, token in enumerate(tokens)
        if is_search_word(token.folded) and text.stem(token.folded, language) in stems
    ]
    first = max(0, (marked[0] if marked else 0) - words // 4)
    last = min(len(tokens), first + words)
    first = max(0, min(first, last - words))
    start = tokens[first].start if first > 0 else 0
    end = tokens[last - 1].end if last < len(tokens) else len(value)
    parts = ["… " if start > 0 else ""]
    cursor = start
    for i in marked:
        token = tokens[i]
        if token.start < start or token.end > end:
            continue
        parts.append(escape(value[cursor : token.start]))
        parts.append(f"<mark>{escape(token.text)}</mark>")
        cursor = token.end
    parts.append(escape(value[cursor:end]))
    parts.append(" …" if end < len(value) else "")
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


def marked_html(headline: str) -> SafeString:
    """ts_headline output (matches between _START and _STOP) as escaped HTML with <mark>.

    Stray or unbalanced markers (a paragraph could contain them) are dropped, never emitted.
    """
    parts = []
    for piece in re.split(f"({_START}[^{_START}{_STOP}]*{_STOP})", headline):
        if piece.startswith(_START) and piece.endswith(_STOP) and len(piece) >= 2:
            parts.append(f"<mark>{escape(piece[1:-1])}</mark>")
        else:
            parts.append(escape(piece.replace(_START, "").replace(_STOP, "")))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above


# --- Backends ---------------------------------------------------------------------------


def _effective_language_sql(paragraph: str, statement: str) -> str:
    """SQL for the language a paragraph is indexed in (its own, else its statement's)."""
    spoken = f"COALESCE(NULLIF({paragraph}.language, ''), {statement}.language)"
    cases = " ".join(f"WHEN '{code}' THEN '{code}'" for code in text.LANGUAGES)
    return f"CASE {spoken} {cases} ELSE '{DEFAULT_LANGUAGE}' END"


class PostgresBackend:
    """A tsvector column per paragraph: written with a new statement's paragraphs, and
    rebuilt with one UPDATE per statement."""

    def insert(self, connection, statement: Statement, rows: list[ParagraphRow]) -> list[int]:
        """Insert the paragraphs with their search documents in one query; their ids.

        Computing each document as its row is written saves writing every row twice (an
        INSERT, then `index`'s UPDATE), about a third of an import's time in the database.
        The rows come back in the order of the arrays, as Django's own bulk insert relies on.
        """
        sql = (
            "INSERT INTO statements_paragraph "
            f"(statement_id, position, text, kind, number, language, {PG_COLUMN}) "
            "SELECT %s, p.position, p.text, p.kind, p.number, p.language, "
            "to_tsvector(p.config::regconfig, p.text) "
            "FROM unnest(%s::integer[], %s::text[], %s::text[], %s::text[], %s::text[], "
            "%s::text[]) AS p(position, text, kind, number, language, config) RETURNING id"
        )
        columns = [
            list(range(1, len(rows) + 1)),
            [row.text for row in rows],
            [row.kind for row in rows],
            [row.number for row in rows],
            [row.language for row in rows],
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
            f"CASE {language} {configs} END, p.text) "
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
            Hit(paragraphs[pk], _with_ellipses(paragraphs[pk]), rank)
            for pk, rank in ranked
            if pk in paragraphs
        ]


def _with_ellipses(paragraph: Paragraph) -> SafeString:
    """The paragraph's ts_headline as HTML, with "…" where it cuts the text short."""
    headline = paragraph.headline or ""
    plain = headline.replace(_START, "").replace(_STOP, "").strip()
    value = paragraph.text.strip()
    before = "" if value.startswith(plain[:30]) else "… "
    after = "" if value.endswith(plain[-30:]) else " …"
    return mark_safe(f"{before}{marked_html(headline)}{after}")  # noqa: S308 - escaped


class SqliteBackend:
    """An FTS5 table of stems; bm25 ranking; snippets made in Python."""

    BATCH = 2000

    def insert(self, connection, statement: Statement, rows: list[ParagraphRow]) -> list[int]:
        """Bulk-insert the paragraphs, then their index rows, made from them in memory."""
        paragraphs = Paragraph.objects.using(connection.alias).bulk_create(
            Paragraph(
                statement=statement,
                position=position,
                text=row.text,
                kind=row.kind,
                number=row.number,
                language=row.language,
            )
            for position, row in enumerate(rows, start=1)
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


def insert_paragraphs(
    statement: Statement, rows: Sequence[ParagraphRow], *, connection=None
) -> list[int]:
    """Write a new statement's paragraphs, numbered from 1 in the order given, and index
    them; returns their ids in that order. One query on PostgreSQL; a bulk insert and the
    index rows on SQLite. No model instance is made where none is needed: an import writes
    thousands of paragraphs a second."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias, savepoint=False):
        return backend_for(connection).insert(connection, statement, list(rows))


def index_statement(statement: Statement, *, connection=None) -> int:
    """(Re)index the paragraphs of one statement; call it after writing them. One or two
    statements on PostgreSQL (an UPDATE), four on SQLite. Returns the paragraphs indexed."""
    connection = connection or default_connection
    with transaction.atomic(using=connection.alias, savepoint=False):
        return backend_for(connection).index(connection, [statement.pk])


def reindex(connection=None) -> int:
    """Rebuild the index of every paragraph; returns how many were indexed."""
    connection = connection or default_connection
    # One transaction: SQLite would otherwise commit (and sync) every row.
    with transaction.atomic(using=connection.alias, savepoint=False):
        return backend_for(connection).index(connection)


# --- The search form --------------------------------------------------------------------


class SearchForm(forms.Form):
    """The search page's query and filters, all optional; unknown values rejected."""

    q = forms.CharField(
        label="Search",
        required=False,
        strip=True,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": '"soutien indéfectible" Ukraine -Russie',
                "autocomplete": "off",
                "spellcheck": "false",
            }
        ),
    )
    source = forms.ModelChoiceField(
        Source.objects.all(), to_field_name="slug", required=False, empty_label="All sources"
    )
    kind = forms.ChoiceField(
        label="Source kind", choices=[("", "All kinds"), *Source.Kind.choices], required=False
    )
    event = forms.ModelChoiceField(
        Event.objects.all(), to_field_name="slug", required=False, empty_label="All events"
    )
    language = forms.ChoiceField(required=False)
    date_from = forms.DateField(
        label="From",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    boilerplate = forms.BooleanField(label="Include site boilerplate", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from .forms import LANGUAGE_NAMES

        languages = Statement.objects.order_by("language").values_list("language", flat=True)
        self.fields["language"].choices = [("", "All languages")] + [
            (code, LANGUAGE_NAMES.get(code, code)) for code in languages.distinct()
        ]

    def clean_q(self) -> str:
        return self.cleaned_data["q"][: MAX_QUERY_CHARS * 2]

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The start date comes after the end date.")
        return data

    @property
    def has_filters(self) -> bool:
        """Whether the reader narrowed the search (the boilerplate box widens it)."""
        data = getattr(self, "cleaned_data", {})
        names = ("source", "kind", "event", "language", "date_from", "date_to")
        return any(data.get(name) for name in names)

    def filters(self) -> SearchFilters:
        data = self.cleaned_data
        return SearchFilters(
            source=data["source"],
            source_kind=data["kind"],
            event=data["event"],
            language=data["language"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            include_boilerplate=data["boilerplate"],
        )

    def results(self, *, user=None) -> SearchResults | None:
        """The search this form asks for; None when nothing was asked yet."""
        if not self.is_bound or not self.data.get("q", "").strip():
            return None
        if not self.is_valid():
            return SearchResults(self.data.get("q", ""), message="Those filters are not valid.")
        return search_paragraphs(self.cleaned_data["q"], filters=self.filters(), user=user)
