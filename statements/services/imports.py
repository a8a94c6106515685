"""Importing statements: one parsed text stored with its paragraphs, atomically; files and
folders of them (`import_statements`); the admin's preview of a batch and its import.

The sources and events a text names are found by name or slug, or created. An import
stores the text, its paragraphs (with their words counted once) and their search index
rows, and returns: vectors, alignments and corpus statistics are the worker's
(statements/tasks.py), enqueued when the import commits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import functools
import multiprocessing
import sys
import threading
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, connection, connections, transaction
from django.utils.text import slugify

from statements import importing, search, tasks, terms
from statements.importing import ImportRefused
from statements.models import Event, Paragraph, Source, Statement, unique_slug

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
    base = slugify(name)[:190] or f"{model._meta.model_name}-{model.objects.count() + 1}"
    return model.objects.create(name=name, slug=unique_slug(model, base), **defaults)


def relax_commit_durability() -> None:
    """Let this transaction's commit return before PostgreSQL has flushed its log to disk.

    Safe for imports because they are idempotent: a server crash in the fraction of a second
    before the flush can lose the last statements imported (never corrupt anything), and
    importing the same files again restores them. Waiting for the flush at every file's
    commit is most of an import's time on PostgreSQL. Nothing to do on SQLite.
    """
    if connection.vendor == "postgresql" and not _whole_session_relaxed():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


# The database connection of an import worker process (`import_paths`), whose every commit
# is an import's: it relaxes its whole session once, where a SET LOCAL in each file's
# transaction cost one more round trip per file. None elsewhere.
_relaxed_session = None


def _whole_session_relaxed() -> bool:
    return connection.connection is not None and connection.connection is _relaxed_session


def start_import_worker() -> None:
    """In a process that does nothing but import (a worker of `import_paths`): every commit
    of its connection returns before the flush, as `relax_commit_durability` lets each
    import's commit do. Nothing to do on SQLite."""
    global _relaxed_session
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
        _relaxed_session = connection.connection


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
    unchanged. Raises ImportRefused when the statement has no source. A source given
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
        raise ImportRefused(
            f"{subject} names no source: add a 'source:' header line or choose a source"
        )
    names = [("source", source), *(("event", event) for event in events)]
    for what, name in names:
        if isinstance(name, str) and len(name.strip()) > NAME_MAX_CHARS:
            raise ImportRefused(
                f'{subject}: the {what} name "{name.strip()[:40]}…" is longer than '
                f"{NAME_MAX_CHARS} characters"
            )
    # Outside the transaction: each paragraph's words, counted once for good.
    paragraph_terms = [
        terms.paragraph_terms(paragraph.text, paragraph.language or parsed.language)
        for paragraph in parsed.paragraphs
    ]
    try:
        return _store_statement(
            parsed, source, events, imported_by, filename, source_kind, paragraph_terms
        )
    except IntegrityError:
        if _batch_names:
            _batch_names.clear()
        # Another import of the same text (a double click, two staff) won the race.
        existing = Statement.objects.filter(content_hash=parsed.content_hash).first()
        if existing:
            return existing, False
        # Or two texts wanted the same slug at once: the next try picks another.
        return _store_statement(
            parsed, source, events, imported_by, filename, source_kind, paragraph_terms
        )


def _store_statement(parsed, source, events, imported_by, filename, source_kind, paragraph_terms):
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
        search.insert_paragraphs(statement, parsed.paragraphs, terms=paragraph_terms)
        # add(), not set(): the statement is new, and no events then means no query.
        statement.events.add(
            *(event if isinstance(event, Event) else resolve_event(event) for event in events)
        )
        # Vectors, alignments and corpus statistics: the worker's, once this commits.
        tasks.after_import(statement, has_events=bool(events))
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
    or kind. Texts are never changed, so the content hash stays the same. A title or a date
    given takes away the warning that none was found."""
    paragraphs = [dataclasses.replace(paragraph) for paragraph in parsed.paragraphs]
    for position, kind in corrections.kinds.items():
        if not 1 <= position <= len(paragraphs) or kind not in importing.KINDS:
            raise ImportRefused(f"There is no paragraph {position} of kind {kind!r}")
        paragraphs[position - 1].kind = kind
    changes: dict = {"paragraphs": paragraphs}
    answered: set[str] = set()
    if corrections.title and corrections.title.strip():
        changes["title"] = corrections.title.strip()
        answered.add(importing.NO_TITLE_WARNING)
    if corrections.date_precision:
        if corrections.date_precision not in importing.PRECISIONS:
            raise ImportRefused(f"Unknown date precision {corrections.date_precision!r}")
        changes["published_on"] = corrections.published_on
        changes["date_precision"] = corrections.date_precision
        if corrections.published_on is not None:
            answered.add(importing.NO_DATE_WARNING)
    changes["warnings"] = [warning for warning in parsed.warnings if warning not in answered]
    return dataclasses.replace(parsed, **changes)


def parse_file(data: bytes | str, filename: str, *, language: str | None = None):
    """`importing.parse_statement` with this server's limits; ImportRefused for bad input."""
    return importing.parse_statement(
        data,
        filename,
        max_bytes=settings.PARALLAX_IMPORT_MAX_BYTES,
        max_paragraphs=settings.PARALLAX_MAX_PARAGRAPHS,
        language=language,
    )


def import_file(
    data: bytes | str,
    filename: str,
    *,
    language: str | None = None,
    **options,
) -> ImportOutcome:
    """Parse and import one file's content; never raises for bad input, reports it instead.

    The one path of `import_statements`; the options are `import_parsed`'s.
    """
    try:
        parsed = parse_file(data, filename, language=language)
    except ImportRefused as exc:
        return ImportOutcome(filename, "failed", error=str(exc))
    return import_parsed(parsed, filename, **options)


def import_parsed(
    parsed: importing.ParsedStatement,
    filename: str,
    *,
    source: Source | str | None = None,
    default_source: str = "",
    events: Iterable[Event | str] = (),
    imported_by=None,
    dry_run: bool = False,
    corrections: Corrections | None = None,
    source_kind: str = "",
) -> ImportOutcome:
    """Import one parsed text; never raises for bad input, reports it instead.

    `source` wins over the text's header (the admin's preview chose it); `default_source`
    is for a text whose header names none (`import_statements --source`).
    `corrections` (the admin's preview) are applied first; `source_kind` is the kind of a
    source named by `source` that does not exist yet. With dry_run, everything is done
    inside a transaction that is rolled back, so the outcome (and the statement it shows)
    is what a real import would give, and nothing is stored.
    """
    if not source and not parsed.metadata.get("source"):
        source = default_source or None
    try:
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
    except ImportRefused as exc:
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
        with ProcessPoolExecutor(
            max_workers=jobs, mp_context=context, initializer=start_import_worker
        ) as pool:
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
    """What importing one file of a batch would give, before anything is stored: the parsed
    statement (or the error that stops it), the stored statement with the same text, if
    any, and the index of an earlier file of the batch with the same text, if any."""

    filename: str
    parsed: importing.ParsedStatement | None = None
    duplicate: Statement | None = None
    error: str = ""
    same_as: int | None = None

    @property
    def importable(self) -> bool:
        """Parsed, and neither stored already nor earlier in the batch: it can be corrected."""
        return self.parsed is not None and self.duplicate is None and self.same_as is None


def preview_batch(
    files: list[tuple[str, bytes]], *, language: str | None = None
) -> list[ImportPreview]:
    """Each file parsed as its import will be, once; one query per file for a duplicate.

    A text given twice in a batch is imported once, as its first file.
    """
    previews: list[ImportPreview] = []
    first_with_hash: dict[str, int] = {}
    for index, (name, data) in enumerate(files):
        try:
            parsed = parse_file(data, name, language=language)
        except ImportRefused as exc:
            previews.append(ImportPreview(name, error=str(exc)))
            continue
        duplicate = Statement.objects.filter(content_hash=parsed.content_hash).first()
        preview = ImportPreview(name, parsed, duplicate)
        if duplicate is None:
            first = first_with_hash.setdefault(parsed.content_hash, index)
            preview.same_as = first if first != index else None
        previews.append(preview)
    return previews


@dataclass(frozen=True)
class BatchChoices:
    """What staff chose for a whole batch in the admin: events, and a source for texts that
    name none (`source_kind` when it is a new one)."""

    events: list[str] = field(default_factory=list)
    source_name: str = ""
    source_kind: str = ""


def import_batch(
    previews: list[ImportPreview],
    choices: BatchChoices,
    *,
    corrections: Mapping[int, tuple[str, Corrections]],
    imported_by,
) -> list[ImportOutcome]:
    """Import every file of a previewed batch, each in its own transaction, from the
    preview's parse (never parsed again). `corrections` maps a file's index to the source
    staff chose for it and their corrections. A source named like the batch's new source
    is created as its kind."""
    outcomes: list[ImportOutcome] = []
    for index, preview in enumerate(previews):
        if preview.parsed is None:
            outcomes.append(ImportOutcome(preview.filename, "failed", error=preview.error))
            continue
        if preview.same_as is not None:  # its text goes in once, as the first file's
            first = outcomes[preview.same_as]
            error = "" if first.statement else f"The same text as {first.filename}, which failed."
            status = "unchanged" if first.statement else "failed"
            outcomes.append(ImportOutcome(preview.filename, status, first.statement, error=error))
            continue
        source, file_corrections = corrections.get(index, (choices.source_name, None))
        is_new = bool(source) and source.casefold() == choices.source_name.casefold()
        outcomes.append(
            import_parsed(
                preview.parsed,
                preview.filename,
                source=source or None,
                source_kind=choices.source_kind if is_new else "",
                events=choices.events,
                imported_by=imported_by,
                corrections=file_corrections,
            )
        )
    return outcomes


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
            max_paragraphs=sys.maxsize,
            language=statement.language,
        )
    except ImportRefused:
        parsed = None
    if parsed and [(p.number, p.text) for p in parsed.paragraphs] == [
        (p.number, p.text) for p in stored
    ]:
        return parsed.paragraphs
    return [importing.ParsedParagraph(p.text, p.kind, p.number, p.language) for p in stored]
