"""The few workflows that touch several models: importing a statement, loading a pair."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import multiprocessing
import re
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, connections, transaction
from django.db.models import Count, Max
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from . import alignment, embeddings, framing, importing, search, text
from .models import Annotation, Comparison, Event, Link, Paragraph, Source, Statement

ImportStatus = Literal["imported", "unchanged", "failed"]
NAME_MAX_CHARS = Source._meta.get_field("name").max_length  # and Event's


@dataclass
class ImportOutcome:
    """What happened to one file: imported, unchanged (same text already stored) or failed."""

    filename: str
    status: ImportStatus
    statement: Statement | None = None
    parsed: importing.ParsedStatement | None = None
    error: str = ""
    warnings: list[str] = field(default_factory=list)


def resolve_source(name: str, kind: str = "") -> Source:
    """The source called `name` (by name or slug), created as `kind` (default 'other') when
    unknown; an existing source keeps its kind."""
    return _resolve(Source, name, kind=kind or Source.Kind.OTHER)


def resolve_event(name: str) -> Event:
    return _resolve(Event, name)


def find_source(name: str) -> Source | None:
    """The source `resolve_source` would take for `name`, or None when it would create one."""
    return _find(Source, name)


def find_event(name: str) -> Event | None:
    return _find(Event, name)


def _find(model, name: str):
    """A source or event by name, else by the slug of its name.

    A name with no Latin letters (Россия сегодня, 新华社) has no ASCII slug: it is only
    matched by name.
    """
    name = name.strip()
    found = model.objects.filter(name__iexact=name).first()
    slug = slugify(name)[:190]
    if not found and slug:
        found = model.objects.filter(slug=slug).first()
    return found


# While `import_paths` imports a batch, the sources and events it has found or made, by
# name: a batch names the same few again and again. One is remembered once its file has
# committed (a rolled-back file's new source is gone). One deleted meanwhile by someone
# else fails the next file's commit with an IntegrityError, and `import_statement` forgets
# them all before it tries again. None outside a batch.
_batch_names: dict[tuple[str, str], Source | Event] | None = None


@contextlib.contextmanager
def _remembering_names() -> Iterator[None]:
    global _batch_names
    outer, _batch_names = _batch_names, {}
    try:
        yield
    finally:
        _batch_names = outer


def _resolve(model, name: str, **defaults):
    """Find a source or event (`_find`), else create it. A name with no ASCII slug gets a
    numbered one, so two such names never merge."""
    name = name.strip()
    key = (model._meta.model_name, name.casefold())
    if _batch_names is not None and key in _batch_names:
        return _batch_names[key]
    found = _find(model, name) or _create(model, name, **defaults)
    if _batch_names is not None:
        remembered = _batch_names
        transaction.on_commit(lambda: remembered.__setitem__(key, found))
    return found


def _create(model, name: str, **defaults):
    slug = slugify(name)[:190]
    prefix = model._meta.model_name
    if not slug:
        slug = f"{prefix}-{model.objects.count() + 1}"
    base, counter = slug, 2
    while model.objects.filter(slug=slug).exists():
        slug, counter = f"{base}-{counter}", counter + 1
    return model.objects.create(name=name, slug=slug, **defaults)


def relax_commit_durability() -> None:
    """Let this transaction's commit return before PostgreSQL has flushed its log to disk.

    Safe for imports because they are idempotent: a server crash in the fraction of a second
    before the flush can lose the last statements imported (never corrupt anything), and
    importing the same files again restores them. Waiting for the flush at every file's
    commit is most of an import's time on PostgreSQL. Nothing to do on SQLite.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


_validate_url = URLValidator(schemes=["http", "https"])


def web_address(value: str) -> str:
    """The header's URL if it is an http(s) address, else "" (never a javascript: link)."""
    value = value.strip()[:1000]
    try:
        _validate_url(value)
    except ValidationError:
        return ""
    return value


def import_statement(
    parsed: importing.ParsedStatement,
    *,
    source: Source | str | None = None,
    events: Iterable[Event | str] = (),
    imported_by=None,
    filename: str = "",
    source_kind: str = "",
) -> tuple[Statement, bool]:
    """Save one parsed statement with its paragraphs, atomically.

    Returns (statement, created). The same normalised text again returns the stored statement,
    unchanged. Raises importing.ImportError when the statement has no source. A source given
    by name is looked up, or created as `source_kind`. The same few queries whatever the
    number of paragraphs: they go in one bulk insert.
    """
    existing = Statement.objects.filter(content_hash=parsed.content_hash).first()
    if existing:
        return existing, False
    events = [*parsed.events, *events]  # the header's, then those chosen
    source = source or parsed.metadata.get("source", "")
    subject = filename or "The text"
    if not source:
        raise importing.ImportError(
            f"{subject} names no source: add a 'source:' header line or choose a source"
        )
    names = [("source", source), *(("event", event) for event in events)]
    for what, name in names:
        if isinstance(name, str) and len(name.strip()) > NAME_MAX_CHARS:
            raise importing.ImportError(
                f'{subject}: the {what} name "{name.strip()[:40]}…" is longer than '
                f"{NAME_MAX_CHARS} characters"
            )
    # Outside the transaction: embedding takes seconds for a long text (None: no extra).
    vectors = embeddings.embed_or_none([paragraph.text for paragraph in parsed.paragraphs])
    try:
        return _store_statement(parsed, source, events, imported_by, filename, source_kind, vectors)
    except IntegrityError:
        if _batch_names:
            _batch_names.clear()
        # Another import of the same text (a double click, two staff) won the race.
        existing = Statement.objects.filter(content_hash=parsed.content_hash).first()
        if existing:
            return existing, False
        # Or two texts wanted the same slug at once: the next try picks another.
        return _store_statement(parsed, source, events, imported_by, filename, source_kind, vectors)


def _store_statement(parsed, source, events, imported_by, filename, source_kind, vectors):
    raw_url = parsed.metadata.get("url", "")
    url = web_address(raw_url)
    warnings = list(parsed.warnings)
    if raw_url and not url:
        warnings.append(f"The url {raw_url[:80]!r} is not a web address: it was left out")
    with transaction.atomic():
        relax_commit_durability()
        if isinstance(source, str):
            source = resolve_source(source, source_kind)
        statement = Statement.objects.create(
            source=source,
            title=parsed.title[:500],
            slug=Statement.unique_slug(parsed.title, parsed.published_on, parsed.date_precision),
            published_on=parsed.published_on,
            date_precision=parsed.date_precision,
            language=parsed.language,
            url=url,
            original_text=parsed.original_text,
            content_hash=parsed.content_hash,
            source_filename=(filename or parsed.filename or "")[:255],
            import_warnings=warnings,
            imported_by=imported_by,
        )
        ids = search.insert_paragraphs(statement, parsed.paragraphs)
        if vectors is not None:
            pairs = zip(ids, parsed.paragraphs, strict=True)
            stored = [
                Paragraph(pk=pk, statement=statement, position=position, text=paragraph.text)
                for position, (pk, paragraph) in enumerate(pairs, start=1)
            ]
            embeddings.store(embeddings.vectors_to_store(stored, vectors))
        # add(), not set(): the statement is new, and no events then means no query.
        statement.events.add(
            *(event if isinstance(event, Event) else resolve_event(event) for event in events)
        )
    return statement, True


@dataclass(frozen=True)
class Corrections:
    """What staff corrected in the admin's preview, applied to the text parsed again.

    None keeps what the importer found. The date is corrected when `date_precision` is
    given: with `published_on` None the statement becomes undated. `kinds` maps paragraph
    positions (1-based, as stored) to kinds.
    """

    title: str | None = None
    published_on: datetime.date | None = None
    date_precision: str | None = None
    kinds: Mapping[int, str] = field(default_factory=dict)


def apply_corrections(
    parsed: importing.ParsedStatement, corrections: Corrections
) -> importing.ParsedStatement:
    """A copy of `parsed` with the corrections made; ImportError for an unknown paragraph
    or kind. Texts are never changed, so the content hash stays the same."""
    paragraphs = [dataclasses.replace(paragraph) for paragraph in parsed.paragraphs]
    for position, kind in corrections.kinds.items():
        if not 1 <= position <= len(paragraphs) or kind not in importing.KINDS:
            raise importing.ImportError(f"There is no paragraph {position} of kind {kind!r}")
        paragraphs[position - 1].kind = kind
    changes: dict = {"paragraphs": paragraphs}
    if corrections.title and corrections.title.strip():
        changes["title"] = corrections.title.strip()
    if corrections.date_precision:
        if corrections.date_precision not in importing.PRECISIONS:
            raise importing.ImportError(f"Unknown date precision {corrections.date_precision!r}")
        changes["published_on"] = corrections.published_on
        changes["date_precision"] = corrections.date_precision
    return dataclasses.replace(parsed, **changes)


def import_file(
    data: bytes | str,
    filename: str,
    *,
    source: Source | str | None = None,
    events: Iterable[Event | str] = (),
    language: str | None = None,
    imported_by=None,
    dry_run: bool = False,
    corrections: Corrections | None = None,
    source_kind: str = "",
) -> ImportOutcome:
    """Parse and import one file's content; never raises for bad input, reports it instead.

    The one path of both `import_statements` and the admin's import page. `corrections`
    (the admin's preview) are applied to what is parsed; `source_kind` is the kind of a
    source named by `source` that does not exist yet. With dry_run, everything is done
    inside a transaction that is rolled back, so the outcome (and the statement it shows)
    is what a real import would give, and nothing is stored.
    """
    try:
        parsed = importing.parse_statement(
            data,
            filename,
            max_bytes=settings.PARALLAX_IMPORT_MAX_BYTES,
            language=language,
        )
        if corrections is not None:
            parsed = apply_corrections(parsed, corrections)
        # import_statement is atomic itself; the outer block is only there to roll back.
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            statement, created = import_statement(
                parsed,
                source=source,
                events=events,
                imported_by=imported_by,
                filename=filename,
                source_kind=source_kind,
            )
            if dry_run:
                transaction.set_rollback(True)
    except importing.ImportError as exc:
        return ImportOutcome(filename, "failed", error=str(exc))
    return ImportOutcome(
        filename,
        "imported" if created else "unchanged",
        statement=statement,
        parsed=parsed,
        warnings=list(parsed.warnings),
    )


def import_path(path: Path, **options) -> ImportOutcome:
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImportOutcome(str(path), "failed", error=f"{path}: cannot be read ({exc.strerror})")
    return import_file(data, str(path), **options)


def import_paths(paths: list[Path], *, jobs: int = 1, **options) -> Iterator[ImportOutcome]:
    """`import_path` over many files, outcomes in the files' order.

    With jobs > 1 on PostgreSQL the files are imported by that many worker processes (each
    file still its own transaction; races on a new source, event or slug are retried by
    `import_statement`). SQLite has one writer at a time, and a dry run is cheap: both stay
    in this process.
    """
    # Workers are forked, and forking is only safe from a single-threaded process (a test
    # run with a live server, say, is not one): otherwise the files go one by one here.
    parallel = jobs > 1 and connection.vendor == "postgresql" and not options.get("dry_run")
    # A dry run rolls back every source it makes: nothing there is worth remembering.
    with contextlib.nullcontext() if options.get("dry_run") else _remembering_names():
        if not parallel or threading.active_count() > 1:
            for path in paths:
                yield import_path(path, **options)
            return
        connections.close_all()  # each worker opens its own connection
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            yield from pool.map(functools.partial(import_path, **options), paths, chunksize=4)


IMPORTABLE_SUFFIXES = importing.SUFFIXES


def files_to_import(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the importable files inside named folders, sorted."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file() and p.suffix.lower() in IMPORTABLE_SUFFIXES
                )
            )
        else:
            found.append(path)
    return found


@dataclass
class ImportPreview:
    """What importing one file would give, before anything is stored: the parsed statement
    (or the error that stops it), and the stored statement with the same text, if any."""

    filename: str
    parsed: importing.ParsedStatement | None = None
    duplicate: Statement | None = None
    error: str = ""


def preview_file(data: bytes | str, filename: str, *, language: str | None = None) -> ImportPreview:
    """Parse one file as `import_file` would and look for a stored duplicate; one query."""
    try:
        parsed = importing.parse_statement(
            data, filename, max_bytes=settings.PARALLAX_IMPORT_MAX_BYTES, language=language
        )
    except importing.ImportError as exc:
        return ImportPreview(filename, error=str(exc))
    duplicate = Statement.objects.filter(content_hash=parsed.content_hash).first()
    return ImportPreview(filename, parsed, duplicate)


def redetect_kinds(statements: Iterable[Statement]) -> int:
    """Run the kind heuristics again on stored paragraphs; returns how many changed kind.

    Only `kind` is written (one bulk update): texts, numbers and ids stay. While a
    statement's paragraphs are still those of its original text, the text's structure
    (Markdown or HTML markup, section breaks) counts as it did on import; paragraphs edited
    since are classified from their own texts. Prefetch `paragraphs` for one query.
    """
    changed: list[Paragraph] = []
    for statement in statements:
        stored = sorted(statement.paragraphs.all(), key=lambda paragraph: paragraph.position)
        kinds = importing.classify_paragraphs(
            _in_context(statement, stored), title=statement.title, language=statement.language
        )
        for paragraph, kind in zip(stored, kinds, strict=True):
            if paragraph.kind != kind:
                paragraph.kind = kind
                changed.append(paragraph)
    Paragraph.objects.bulk_update(changed, ["kind"], batch_size=500)
    return len(changed)


def _in_context(statement: Statement, stored: list[Paragraph]) -> list[importing.ParsedParagraph]:
    try:
        parsed = importing.parse_statement(
            statement.original_text,
            statement.source_filename or None,
            max_bytes=sys.maxsize,
            language=statement.language,
        )
    except importing.ImportError:
        parsed = None
    if parsed and [(p.number, p.text) for p in parsed.paragraphs] == [
        (p.number, p.text) for p in stored
    ]:
        return parsed.paragraphs
    return [importing.ParsedParagraph(p.text, p.kind, p.number, p.language) for p in stored]


# --- Reading two statements side by side -------------------------------------------------

COMPARE_CACHE_SECONDS = 24 * 60 * 60
# Two statements are a few hundred words a side: z = 1 already marks a clear preference,
# and 1.96 would leave most pairs of seed texts with no terms at all.
FRAMING_TERMS = 12
FRAMING_MIN_Z = 1.0


@dataclass
class Pair:
    """Two statements with their paragraphs in order, as the compare view reads them."""

    left: Statement
    right: Statement
    left_paragraphs: list[Paragraph]
    right_paragraphs: list[Paragraph]


def load_pair(left_slug: str, right_slug: str) -> Pair:
    """Both statements (404 for an unknown slug) and their paragraphs, in two queries."""
    statements = {
        s.slug: s
        for s in Statement.objects.select_related("source").filter(slug__in=[left_slug, right_slug])
    }
    if left_slug not in statements or right_slug not in statements:
        raise Http404("No statement with that name")
    left, right = statements[left_slug], statements[right_slug]
    by_statement: dict[int, list[Paragraph]] = {left.pk: [], right.pk: []}
    for paragraph in Paragraph.objects.filter(statement__in=[left, right]).order_by("position"):
        by_statement[paragraph.statement_id].append(paragraph)
    return Pair(left, right, by_statement[left.pk], by_statement[right.pk])


def _as_texts(paragraphs: list[Paragraph], language: str) -> list[alignment.ParagraphText]:
    return [
        alignment.ParagraphText(p.position, p.text, p.kind, p.language or language)
        for p in paragraphs
    ]


def _paragraphs_key(paragraphs: list[Paragraph]) -> str:
    # Texts, kinds and languages can be corrected in the admin without changing the
    # statement's content hash, and they decide what is aligned and shown: hash them all.
    digest = hashlib.sha1()
    for p in paragraphs:
        digest.update(f"{p.position}\x1f{p.kind}\x1f{p.language}\x1f{p.text}\x1e".encode())
    return digest.hexdigest()[:16]


def corpus_background(
    language: str, *, use_cache: bool = True
) -> tuple[alignment.Background, framing.Counts]:
    """Document frequencies and term counts of every stored statement in `language`.

    Cached until a statement is imported or deleted (the key holds the corpus' size and
    latest import), so the compare view rarely pays for it.
    """
    stamp = Statement.objects.filter(language=language).aggregate(
        count=Count("pk"), latest=Max("imported_at")
    )
    latest = stamp["latest"].timestamp() if stamp["latest"] else 0
    key = f"background:{language}:{stamp['count']}:{latest:.6f}"
    cached = cache.get(key) if use_cache else None
    if cached is None:
        texts = list(
            Paragraph.objects.filter(
                statement__language=language, kind__in=[Paragraph.Kind.BODY, Paragraph.Kind.QUOTE]
            ).values_list("text", flat=True)
        )
        cached = (
            alignment.Background.from_texts(texts, language),
            framing.Counts.from_texts(texts, language),
        )
        cache.set(key, cached, COMPARE_CACHE_SECONDS)
    return cached


@dataclass
class PairResult:
    alignment: alignment.Alignment
    framing: framing.Framing
    multilingual: embeddings.Multilingual | None = None
    key: str = ""  # the cache key it is stored under: what its pages can be cached by


def compare_pair(
    pair: Pair, *, threshold: float = alignment.DEFAULT_THRESHOLD, use_cache: bool = True
) -> PairResult:
    """The engine's alignment and framing for a pair, cached per content hashes, version and
    the paragraphs' stored vectors (a one-row query for them on every call, and one for the
    vectors when the alignment is computed: never an embedding on the request path)."""
    vectors = embeddings.PairVectors.lookup(
        pair.left_paragraphs, pair.right_paragraphs, lambda p: p.kind in BODY_KINDS
    )
    key = ":".join(
        [
            "compare",
            alignment.ENGINE_VERSION,
            pair.left.content_hash,
            pair.right.content_hash,
            _paragraphs_key(pair.left_paragraphs),
            _paragraphs_key(pair.right_paragraphs),
            f"{threshold:.3f}",
            vectors.key,
        ]
    )
    cross_language = pair.left.language != pair.right.language
    result = cache.get(key) if use_cache else None
    if result is None:
        language = pair.left.language
        background, counts = corpus_background(language, use_cache=use_cache)
        if cross_language:
            background = background.merged(
                corpus_background(pair.right.language, use_cache=use_cache)[0]
            )
        left_vectors, right_vectors = vectors.load() or (None, None)
        # Titles and headings carry much of a text's framing ("territoires occupés").
        worded = (*BODY_KINDS, Paragraph.Kind.TITLE, Paragraph.Kind.HEADING)
        result = PairResult(
            alignment.align(
                _as_texts(pair.left_paragraphs, pair.left.language),
                _as_texts(pair.right_paragraphs, pair.right.language),
                background=background,
                threshold=threshold,
                left_vectors=left_vectors,
                right_vectors=right_vectors,
            ),
            # Word preferences across two languages would list each language's words.
            framing.Framing((), ())
            if cross_language
            else framing.distinctive_terms(
                [p.text for p in pair.left_paragraphs if p.kind in worded],
                [p.text for p in pair.right_paragraphs if p.kind in worded],
                language=language,
                background=counts,
                limit=FRAMING_TERMS,
                min_z=FRAMING_MIN_Z,
            ),
            vectors.status(cross_language),
        )
        if use_cache:
            cache.set(key, result, COMPARE_CACHE_SECONDS)
    # Not cached: installing the extra changes what the reader is told, not the vectors.
    multilingual = dataclasses.replace(
        result.multilingual, extra_missing=embeddings.unavailable_reason()
    )
    return dataclasses.replace(result, multilingual=multilingual, key=key)


@dataclass(frozen=True)
class ShownLink:
    """A link as the compare view shows it: from the engine, or saved in a comparison."""

    left: int
    right: int
    score: float | None
    relation: str
    quotes: tuple[alignment.SharedQuote, ...] = ()
    state: str = "suggested"
    pk: int | None = None
    basis: str = "words"  # what the engine's score rests on: words, names or embedding

    @property
    def anchor(self) -> str:
        return f"pair-l{self.left}-r{self.right}"


def engine_links(found: alignment.Alignment) -> list[ShownLink]:
    return [
        ShownLink(ln.left, ln.right, ln.score, ln.relation, ln.quotes, basis=ln.basis)
        for ln in found.links
    ]


@dataclass
class Cell:
    """One paragraph in a column of the compare view, with its partners and highlights."""

    paragraph: Paragraph
    side: str  # "l" or "r"
    partners: list[int]
    segments: list[text.Segment]
    is_body: bool
    statement_language: str = ""

    @property
    def anchor(self) -> str:
        return f"{self.side}{self.paragraph.position}"

    @property
    def language(self) -> str:
        """The paragraph's language (its own, else its statement's), for the lang attribute."""
        return self.paragraph.language or self.statement_language

    @property
    def other_side(self) -> str:
        return "r" if self.side == "l" else "l"


def text_with_marks(segments: list[text.Segment]) -> str:
    """Segments as HTML: notes, quotes and terms marked, every piece of text escaped.

    Built in Python because a template loop over every segment of a thousand paragraphs
    was most of the compare page's time.
    """
    parts = []
    for segment in segments:
        piece = escape(segment.text)
        if segment.term:
            piece = f'<span class="term" data-term="{escape(segment.term)}">{piece}</span>'
        if segment.quote:
            piece = f'<mark class="quote">{piece}</mark>'
        if segment.note:
            piece = f'<mark class="note">{piece}</mark>'
        parts.append(piece)
    return mark_safe("".join(parts))


@dataclass
class Row:
    left: Cell | None = None
    right: Cell | None = None
    link: ShownLink | None = None

    @property
    def anchor(self) -> str:
        if self.link:
            return self.link.anchor
        cell = self.left or self.right
        return f"row-{cell.anchor}"

    @property
    def status(self) -> str:
        if self.link:
            return "pair"
        cell = self.left or self.right
        if not cell.is_body:
            return "context"
        return "omission" if self.left else "addition"


@dataclass
class Reading:
    """Everything the two columns show: rows, and the counts of the summary line."""

    rows: list[Row]
    links: list[ShownLink]  # shown as pairs: suggested and confirmed
    rejected: list[ShownLink]
    omissions: list[int]
    additions: list[int]

    @property
    def confirmed_count(self) -> int:
        return sum(link.state == "confirmed" for link in self.links)

    @property
    def unplaced(self) -> list[ShownLink]:
        """Links whose two paragraphs do not share a row (the many in many-to-many)."""
        placed = {row.link for row in self.rows if row.link}
        return [link for link in self.links if link not in placed]


BODY_KINDS = frozenset({Paragraph.Kind.BODY, Paragraph.Kind.QUOTE})


def build_reading(
    pair: Pair,
    links: list[ShownLink],
    found_framing: framing.Framing,
    *,
    show_all: bool = False,
) -> Reading:
    """Rows for the two columns: each left paragraph beside its strongest unplaced partner.

    Left paragraphs keep their order. Every right paragraph appears once: beside a left
    partner, or (unpaired, an addition) right after the row of the right paragraph that
    precedes it. A paragraph lists all its partners, so many-to-many links stay visible.
    Rejected links are not shown as pairs.
    """
    shown = [link for link in links if link.state != "rejected"]
    left_partners: dict[int, list[ShownLink]] = {}
    right_partners: dict[int, list[int]] = {}
    for link in sorted(shown, key=lambda link: -(link.score or 1.0)):
        left_partners.setdefault(link.left, []).append(link)
        right_partners.setdefault(link.right, []).append(link.left)
    left_quotes, right_quotes = _quote_spans(shown)
    term_finder = _term_finder(found_framing)

    def cell(paragraph: Paragraph, side: str, partners: list[int], quotes) -> Cell:
        spans = quotes.get(paragraph.position, [])
        terms = term_finder(paragraph.text) if term_finder else []
        return Cell(
            paragraph,
            side,
            sorted(partners),
            text.highlight(paragraph.text, spans, terms),
            paragraph.kind in BODY_KINDS,
            (pair.left if side == "l" else pair.right).language,
        )

    def visible(paragraph: Paragraph) -> bool:
        return show_all or paragraph.kind in BODY_KINDS

    right_by_position = {p.position: p for p in pair.right_paragraphs}
    rows: list[Row] = []
    row_of_right: dict[int, int] = {}
    for paragraph in filter(visible, pair.left_paragraphs):
        partners = left_partners.get(paragraph.position, [])
        row = Row(left=cell(paragraph, "l", [link.right for link in partners], left_quotes))
        partner = next((link for link in partners if link.right not in row_of_right), None)
        if partner:
            right = right_by_position[partner.right]
            row.right = cell(right, "r", right_partners[right.position], right_quotes)
            row.link = partner
            row_of_right[right.position] = len(rows)
        rows.append(row)

    # Unplaced right paragraphs follow the row of their predecessor on the right.
    after: dict[int, list[Row]] = {}
    anchor_row = -1
    for paragraph in filter(visible, pair.right_paragraphs):
        if paragraph.position in row_of_right:
            anchor_row = row_of_right[paragraph.position]
            continue
        partners = right_partners.get(paragraph.position, [])
        after.setdefault(anchor_row, []).append(
            Row(right=cell(paragraph, "r", partners, right_quotes))
        )
    ordered = list(after.get(-1, []))
    for index, row in enumerate(rows):
        ordered.append(row)
        ordered.extend(after.get(index, []))

    linked_left = {link.left for link in shown}
    linked_right = {link.right for link in shown}
    in_order = sorted(links, key=lambda link: (link.left, link.right))
    return Reading(
        ordered,
        [link for link in in_order if link.state != "rejected"],
        [link for link in in_order if link.state == "rejected"],
        [
            p.position
            for p in pair.left_paragraphs
            if p.kind in BODY_KINDS and p.position not in linked_left
        ],
        [
            p.position
            for p in pair.right_paragraphs
            if p.kind in BODY_KINDS and p.position not in linked_right
        ],
    )


def _quote_spans(links: list[ShownLink]) -> tuple[dict[int, list], dict[int, list]]:
    left: dict[int, list[tuple[int, int]]] = {}
    right: dict[int, list[tuple[int, int]]] = {}
    for link in links:
        for quote in link.quotes:
            left.setdefault(link.left, []).append((quote.left_start, quote.left_end))
            right.setdefault(link.right, []).append((quote.right_start, quote.right_end))
    return left, right


def _term_finder(found: framing.Framing):
    """A function giving the [start, end, key) spans of distinctive terms in a text."""
    surfaces = {
        surface.casefold(): term.key
        for term in (*found.left, *found.right)
        for surface in term.surfaces
    }
    if not surfaces:
        return None
    alternatives = "|".join(re.escape(s) for s in sorted(surfaces, key=len, reverse=True))
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    return lambda value: [
        (m.start(), m.end(), surfaces.get(m.group().casefold(), ""))
        for m in pattern.finditer(value)
    ]


def statement_document(statement: Statement, paragraphs: list[Paragraph]) -> dict:
    return {
        "slug": statement.slug,
        "title": statement.title,
        "source": statement.source.name,
        "source_kind": statement.source.kind,
        "published_on": statement.published_on.isoformat() if statement.published_on else None,
        "date_precision": statement.date_precision,
        "language": statement.language,
        "paragraphs": [
            {"position": p.position, "kind": p.kind, "number": p.number, "text": p.text}
            for p in paragraphs
        ],
    }


def comparison_document(pair: Pair, result: PairResult) -> dict:
    """The JSON shape shared by /compare/<l>/<r>.json and `manage.py align --format json`."""
    found = result.alignment.to_dict()
    return {
        "engine": found["engine"],
        "threshold": found["threshold"],
        "left": statement_document(pair.left, pair.left_paragraphs),
        "right": statement_document(pair.right, pair.right_paragraphs),
        "links": found["links"],
        "omissions": found["omissions"],
        "additions": found["additions"],
        "distinctive": result.framing.to_dict(),
        "multilingual": result.multilingual.to_dict() if result.multilingual else None,
    }


# --- Saved comparisons ---------------------------------------------------------------------


def save_comparison(
    pair: Pair,
    result: PairResult,
    *,
    owner,
    title: str,
    note: str = "",
    visibility: str = "unlisted",
    threshold: float = alignment.DEFAULT_THRESHOLD,
) -> Comparison:
    """Store a comparison owned by `owner`, with the engine's suggestions as its links."""
    by_position = {
        "l": {p.position: p for p in pair.left_paragraphs},
        "r": {p.position: p for p in pair.right_paragraphs},
    }
    with transaction.atomic():
        comparison = Comparison.objects.create(
            left=pair.left,
            right=pair.right,
            owner=owner,
            title=title,
            note=note,
            visibility=visibility,
            threshold=threshold,
        )
        Link.objects.bulk_create(
            Link(
                comparison=comparison,
                left=by_position["l"][found.left],
                right=by_position["r"][found.right],
                relation=found.relation,
                score=found.score,
                origin=result.alignment.engine,
                state=Link.State.SUGGESTED,
            )
            for found in result.alignment.links
        )
    return comparison


def saved_links(comparison: Comparison, pair: Pair, result: PairResult) -> list[ShownLink]:
    """A comparison's links, with shared quotes from the engine or computed for manual ones."""
    engine_quotes = {(ln.left, ln.right): ln.quotes for ln in result.alignment.links}
    engine_basis = {(ln.left, ln.right): ln.basis for ln in result.alignment.links}
    texts = {
        "l": {p.pk: p for p in pair.left_paragraphs},
        "r": {p.pk: p for p in pair.right_paragraphs},
    }
    shown = []
    for link in comparison.links.all():
        left, right = texts["l"][link.left_id], texts["r"][link.right_id]
        quotes = engine_quotes.get((left.position, right.position))
        if quotes is None:
            quotes = tuple(alignment.shared_quotes(left.text, right.text))
        shown.append(
            ShownLink(
                left.position,
                right.position,
                link.score,
                link.relation,
                quotes,
                link.state,
                link.pk,
                engine_basis.get((left.position, right.position), "words"),
            )
        )
    return shown


def add_manual_link(
    comparison: Comparison, left: Paragraph, right: Paragraph, relation: str, user
) -> Link:
    """A reader's own link: confirmed at once; an existing one for the pair is updated."""
    link, _ = Link.objects.update_or_create(
        comparison=comparison,
        left=left,
        right=right,
        defaults={"relation": relation, "state": Link.State.CONFIRMED},
        create_defaults={
            "relation": relation,
            "state": Link.State.CONFIRMED,
            "origin": "reader",
            "created_by": user,
        },
    )
    Comparison.objects.filter(pk=comparison.pk).update(updated_at=link.updated_at)
    return link


def annotation_summary(note: Annotation, side_of: dict[int, str]) -> dict:
    """A public note in a comparison's JSON: its target by side and position, and its body."""
    if note.link_id:
        target = {"link": {"left": note.link.left.position, "right": note.link.right.position}}
    else:
        side = side_of[note.paragraph.statement_id]
        target = {"paragraph": {"side": side, "position": note.paragraph.position}}
    return {
        "id": note.pk,
        "target": target,
        "exact": note.exact,
        "start": note.start,
        "end": note.end,
        "body": note.body,
        "tags": note.tags,
        "author": note.author.get_username(),
        "created": note.created_at.isoformat(),
    }


def saved_comparison_document(
    comparison: Comparison, pair: Pair, result: PairResult, links: list[ShownLink], notes
) -> dict:
    """The compare JSON of a saved comparison: its curated links, states and public notes."""
    document = comparison_document(pair, result)
    reading = build_reading(pair, links, result.framing)
    document["comparison"] = {
        "key": comparison.key,
        "title": comparison.title,
        "note": comparison.note,
        "owner": comparison.owner.get_username(),
        "visibility": comparison.visibility,
        "created": comparison.created_at.isoformat(),
        "updated": comparison.updated_at.isoformat(),
    }
    document["threshold"] = comparison.threshold
    document["links"] = [
        {
            "left": link.left,
            "right": link.right,
            "score": link.score,
            "relation": link.relation,
            "basis": link.basis,
            "state": link.state,
            "quotes": [quote.to_dict() for quote in link.quotes],
        }
        for link in sorted(links, key=lambda link: (link.left, link.right))
    ]
    document["omissions"] = reading.omissions
    document["additions"] = reading.additions
    side_of = {pair.left.pk: "left", pair.right.pk: "right"}
    document["annotations"] = [annotation_summary(note, side_of) for note in notes]
    return document


def columns_cache_key(result: PairResult, *, show_all: bool, user, notes, updated=None) -> str:
    """Key for the rendered columns of a compare page.

    They depend on the engine's result, the options, what the reader may see (their notes,
    signed in or not) and, for a saved comparison, when its links last changed.
    """
    stamp = sorted((n.pk, n.updated_at.timestamp()) for group in notes.values() for n in group)
    parts = repr([result.key, show_all, user.pk or 0, stamp, updated and updated.timestamp()])
    return hashlib.sha1(parts.encode()).hexdigest()


def default_title(pair: Pair) -> str:
    """'NATO vs RT (attributed): <left title>', cut to fit the field."""
    title = f"{pair.left.source.name} vs {pair.right.source.name}: {pair.left.title}"
    return title if len(title) <= 200 else title[:199].rstrip() + "…"


# --- A source's vocabulary against every other source ------------------------------------


def source_framing(source: Source, *, use_cache: bool = True) -> framing.Framing:
    """The terms `source` uses markedly more than all other sources (left), and the reverse
    (right), over body paragraphs in the source's main language.

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
            str(source.pk),
            language,
            f"{stamp['count']}:{latest:.6f}",
        ]
    )
    found = cache.get(key) if use_cache else None
    if found is None:
        own: list[str] = []
        others: list[str] = []
        rows = Paragraph.objects.filter(
            statement__language=language, kind__in=BODY_KINDS
        ).values_list("statement__source_id", "text")
        for source_id, value in rows.iterator(chunk_size=5000):
            (own if source_id == source.pk else others).append(value)
        found = framing.distinctive_terms(own, others, language=language)
        if use_cache:
            cache.set(key, found, COMPARE_CACHE_SECONDS)
    return found
