"""Comparing two statements: load the pair, read its stored alignment (computing a small
pair on the request, queueing a large one for the worker), and what the compare page's
cache is keyed by."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.conf import settings
from django.core.exceptions import BadRequest
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from statements import alignment, embeddings, framing, terms
from statements.models import Paragraph, Statement, StoredAlignment
from statements.reading import Evidence, Quotation, ShownLink

from . import corpus, lexicon, vectors

COMPARE_CACHE_SECONDS = 24 * 60 * 60
# A pair queued for the worker longer than this is queued again (its worker may have died).
QUEUE_TIMEOUT = datetime.timedelta(minutes=10)
# Terms listed per side. Only significant ones are (framing.DEFAULT_MIN_Z): two statements
# of a few hundred words often have none, and the page says so rather than list weak ones.
FRAMING_TERMS = 12


@dataclass
class Pair:
    """Two statements with their paragraphs in order, as the compare view reads them."""

    left: Statement
    right: Statement
    left_paragraphs: list[Paragraph]
    right_paragraphs: list[Paragraph]


class SameStatement(BadRequest):
    """A statement compared with itself: there is nothing to show."""


def load_pair(left_slug: str, right_slug: str) -> Pair:
    """Both statements (404 for an unknown slug) and their paragraphs, in two queries.

    SameStatement (a 400) when both slugs name one statement.
    """
    statements = {
        s.slug: s
        for s in Statement.objects.select_related("source").filter(slug__in=[left_slug, right_slug])
    }
    if left_slug not in statements or right_slug not in statements:
        raise Http404("No statement with that name")
    if left_slug == right_slug:
        raise SameStatement(
            "Pick two different statements: a statement compared with itself shows nothing."
        )
    left, right = statements[left_slug], statements[right_slug]
    by_statement: dict[int, list[Paragraph]] = {left.pk: [], right.pk: []}
    paragraphs = Paragraph.objects.filter(statement__in=[left, right]).defer("terms")
    for paragraph in paragraphs.order_by("position"):
        by_statement[paragraph.statement_id].append(paragraph)
    return Pair(left, right, by_statement[left.pk], by_statement[right.pk])


def _as_texts(paragraphs: list[Paragraph], language: str) -> list[alignment.ParagraphText]:
    return [
        alignment.ParagraphText(p.position, p.text, p.kind, p.language or language)
        for p in paragraphs
    ]


def paragraphs_key(paragraphs: list[Paragraph]) -> str:
    # Texts, kinds and languages can be corrected in the admin without changing the
    # statement's content hash, and they decide what is aligned and shown: hash them all.
    digest = hashlib.sha1()
    for p in paragraphs:
        digest.update(f"{p.position}\x1f{p.kind}\x1f{p.language}\x1f{p.text}\x1e".encode())
    return digest.hexdigest()[:16]


@dataclass
class PairResult:
    """What the compare page, its JSON and saved comparisons show of the engine's work.

    `pending`: the pair is being aligned in the background; no links yet.
    """

    alignment: alignment.Alignment
    framing: framing.Framing
    multilingual: vectors.Multilingual | None = None
    key: str = ""  # what it was computed from: what its pages can be cached by
    pending: bool = False


def pair_key(pair: Pair, stored_vectors: vectors.PairVectors) -> str:
    """What an alignment of `pair` is computed from: engine version, both sides'
    paragraphs (texts, kinds and languages can be corrected in the admin without changing
    a statement's content hash), their stored vectors and the framing lexicon (staff edit
    it in the admin)."""
    return content_key(
        paragraphs_key(pair.left_paragraphs),
        paragraphs_key(pair.right_paragraphs),
        stored_vectors.key,
    )


def content_key(left_key: str, right_key: str, vectors_key: str) -> str:
    """The pair key from each side's `paragraphs_key`, the vectors' key and the framing
    lexicon's: what coverage checks many stored pairs against without loading each pair."""
    parts = [
        alignment.ENGINE_VERSION,
        framing.VERSION,
        lexicon.current()[0],
        left_key,
        right_key,
        vectors_key,
    ]
    return hashlib.sha1(":".join(parts).encode()).hexdigest()


def compare_pair(pair: Pair, *, threshold: float = alignment.DEFAULT_THRESHOLD) -> PairResult:
    """The engine's alignment and framing of a pair, read from its stored row (two small
    queries: the row, and the count of the pair's stored vectors).

    A missing or stale row is computed here and stored when the pair is small enough for a
    request (ALIGN_ON_REQUEST_CELLS compared paragraph pairs); a larger pair is queued for
    the worker and comes back `pending`. Never an embedding, never a corpus-wide read.
    """
    stored_vectors = _pair_vectors(pair)
    key = pair_key(pair, stored_vectors)
    row = StoredAlignment.objects.filter(left=pair.left, right=pair.right).first()
    if row is not None and row.document and row.content_key == key:
        return _result(row.document, threshold, key)
    if _cells(pair) <= settings.PARALLAX_ALIGN_ON_REQUEST_CELLS:
        document = compute_document(pair, stored_vectors)
        store(pair, key, document)
        return _result(document, threshold, key)
    if queue(pair, row):  # a worker in this very process may have done it already
        row = StoredAlignment.objects.filter(left=pair.left, right=pair.right).first()
        if row is not None and row.document and row.content_key == key:
            return _result(row.document, threshold, key)
    cross_language = pair.left.language != pair.right.language
    return PairResult(
        alignment.Alignment(alignment.ENGINE_VERSION, (), (), (), threshold),
        framing.Framing((), ()),
        _with_extra(stored_vectors.status(cross_language)),
        key,
        pending=True,
    )


def compute_pair(pair: Pair, *, threshold: float = alignment.DEFAULT_THRESHOLD) -> PairResult:
    """The pair's alignment computed afresh and not stored (`manage.py align`): at
    `threshold` itself, since nothing keeps the links below it (the engine reads the
    relations of fewer links; `Alignment.at` gives the same links from a stored row)."""
    stored_vectors = _pair_vectors(pair)
    document = compute_document(pair, stored_vectors, threshold=threshold)
    return _result(document, threshold, pair_key(pair, stored_vectors))


def align_and_store(pair: Pair) -> StoredAlignment:
    """Compute the pair's alignment and store it (the worker's side of `compare_pair`)."""
    stored_vectors = _pair_vectors(pair)
    return store(pair, pair_key(pair, stored_vectors), compute_document(pair, stored_vectors))


def is_fresh(row: StoredAlignment, pair: Pair) -> bool:
    """Whether the stored alignment was computed from what the pair holds now."""
    return bool(row.document) and row.content_key == pair_key(pair, _pair_vectors(pair))


def compute_document(
    pair: Pair,
    stored_vectors: vectors.PairVectors | None = None,
    *,
    threshold: float = alignment.LOWEST_THRESHOLD,
) -> dict:
    """The engine's alignment of `pair` down to `threshold` (by default the lowest, which a
    StoredAlignment keeps), each side's words and what vectors added, as the JSON a
    StoredAlignment keeps. Reads the corpus statistics of just the two statements' terms
    (one query per language), and their vectors."""
    stored_vectors = stored_vectors or _pair_vectors(pair)
    cross_language = pair.left.language != pair.right.language
    compared = [
        (p.text, p.language or statement.language)
        for statement, paragraphs in (
            (pair.left, pair.left_paragraphs),
            (pair.right, pair.right_paragraphs),
        )
        for p in paragraphs
        if p.is_body
    ]
    feature_keys = alignment.feature_keys([t for t, _ in compared], [lang for _, lang in compared])
    language = pair.left.language
    # Each side's words, added up from what its paragraphs stored when they were imported.
    worded = {"left": framing.counted(pair.left_paragraphs)}
    worded["right"] = framing.counted(pair.right_paragraphs)
    stored_terms = dict(
        Paragraph.objects.filter(
            pk__in=[p.pk for side in worded.values() for p in side]
        ).values_list("pk", "terms")
    )
    counts = {
        side: _term_counts(paragraphs, stored_terms, language)
        for side, paragraphs in worded.items()
    }
    term_keys = np.union1d(counts["left"].keys, counts["right"].keys)
    keys_by_language = {lang: set(feature_keys) for lang in {lang for _, lang in compared}}
    if not cross_language:
        keys_by_language.setdefault(language, set()).update(term_keys.tolist())
    statistics = corpus.statistics(keys_by_language)
    left_vectors, right_vectors = stored_vectors.load() or (None, None)
    found = alignment.align(
        _as_texts(pair.left_paragraphs, pair.left.language),
        _as_texts(pair.right_paragraphs, pair.right.language),
        background=statistics.background(feature_keys),
        threshold=threshold,
        left_vectors=left_vectors,
        right_vectors=right_vectors,
        lexicon=lexicon.current()[1],
    )
    # Word preferences across two languages would list each language's words.
    words = framing.Framing((), ())
    if not cross_language:
        texts = [p.text for paragraphs in worded.values() for p in paragraphs]
        words = framing.distinctive(
            counts["left"],
            counts["right"],
            spellings=lambda keys: terms.spellings_in(texts, language, keys),
            prior=statistics.prior(language, term_keys),
            limit=FRAMING_TERMS,
        )
    return {
        "alignment": found.to_dict(),
        "distinctive": words.to_document(),
        "multilingual": dataclasses.asdict(stored_vectors.status(cross_language)),
    }


def _term_counts(paragraphs: list[Paragraph], stored: dict, language: str) -> framing.TermCounts:
    """The paragraphs' stored terms added up (counted now for one stored without them)."""
    blobs = [
        stored.get(p.pk) or terms.paragraph_terms(p.text, p.language or language)
        for p in paragraphs
    ]
    return framing.TermCounts(*terms.add_up(blobs))


def store(pair: Pair, key: str, document: dict) -> StoredAlignment:
    """Keep `document` as the pair's alignment; one row per pair, whoever writes it."""
    row = StoredAlignment(
        left=pair.left,
        right=pair.right,
        engine=alignment.ENGINE_VERSION,
        content_key=key,
        document=document,
        computed_at=timezone.now(),
        queued_at=None,
    )
    # One INSERT … ON CONFLICT: two writers of the same pair leave one row, the last one's.
    StoredAlignment.objects.bulk_create(
        [row],
        update_conflicts=True,
        unique_fields=["left", "right"],
        update_fields=["engine", "content_key", "document", "computed_at", "queued_at"],
    )
    return row


def queue(pair: Pair, row: StoredAlignment | None = None) -> bool:
    """Ask the worker to align the pair, unless it was asked recently (a worker that died
    with it in hand is asked again after QUEUE_TIMEOUT); whether a task was queued."""
    from statements import tasks

    now = timezone.now()
    if row is None:
        try:
            with transaction.atomic():
                StoredAlignment.objects.create(
                    left=pair.left, right=pair.right, engine="", queued_at=now
                )
        except IntegrityError:
            return False
    else:
        fresh = Q(queued_at__gte=now - QUEUE_TIMEOUT)
        claimed = StoredAlignment.objects.filter(pk=row.pk).exclude(fresh).update(queued_at=now)
        if not claimed:
            return False
    tasks.enqueue_on_commit(tasks.align_pair, pair.left.pk, pair.right.pk)
    return True


def _cells(pair: Pair) -> int:
    left = sum(p.is_body for p in pair.left_paragraphs)
    right = sum(p.is_body for p in pair.right_paragraphs)
    return left * right


def _pair_vectors(pair: Pair) -> vectors.PairVectors:
    return vectors.PairVectors.lookup(
        pair.left_paragraphs, pair.right_paragraphs, lambda p: p.is_body
    )


def _with_extra(multilingual: vectors.Multilingual) -> vectors.Multilingual:
    # Not stored: installing the extra changes what the reader is told, not the vectors.
    return dataclasses.replace(multilingual, extra_missing=embeddings.unavailable_reason())


def _result(document: dict, threshold: float, key: str) -> PairResult:
    multilingual = vectors.Multilingual(
        **{
            name: tuple(value) if isinstance(value, list) else value
            for name, value in document["multilingual"].items()
        }
    )
    return PairResult(
        alignment.Alignment.from_dict(document["alignment"]).at(threshold),
        framing.Framing.from_document(document["distinctive"]),
        _with_extra(multilingual),
        key,
    )


def engine_links(found: alignment.Alignment) -> list[ShownLink]:
    """The engine's links as the compare view shows them, with the confidence, reasons and
    evidence of an engine that gives them (an older one gives score and quotes only)."""
    return [
        ShownLink(
            ln.left,
            ln.right,
            ln.score,
            ln.relation,
            ln.quotes,
            basis=ln.basis,
            confidence=getattr(ln, "confidence", None),
            reasons=tuple(_plain(reason) for reason in getattr(ln, "reasons", ()) or ()),
            evidence=tuple(_evidence(item) for item in getattr(ln, "evidence", ()) or ()),
        )
        for ln in found.links
    ]


def quotations(found: alignment.Alignment) -> list[Quotation]:
    """Every quotation the engine traced from one text to the other; [] from an engine that
    does not trace them."""
    return [Quotation.from_mapping(_plain(item)) for item in getattr(found, "quotations", ()) or ()]


def _plain(value: Any) -> Mapping[str, Any]:
    """The engine's record (a mapping, a dataclass or anything with to_dict) as a mapping."""
    if isinstance(value, Mapping):
        return value
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return {"kind": str(value)}


def _evidence(value: Any) -> Evidence:
    found = _plain(value)
    (left_start, left_end), (right_start, right_end) = found["left"], found["right"]
    return Evidence(
        (int(left_start), int(left_end)), (int(right_start), int(right_end)), found.get("score")
    )


def columns_cache_key(
    result: PairResult,
    *,
    show_all: bool,
    user,
    notes,
    updated=None,
    page: str = "",
    aligning: bool = False,
) -> str:
    """Key for the rendered columns of a compare page.

    They depend on the engine's result (and whether its links are there yet), the options,
    what the reader may see (their notes, signed in or not), the page they belong to
    (`page`: the engine's view or a saved comparison, whose links point at its own URLs)
    and, for a saved comparison, when its links last changed.
    """
    stamp = sorted((n.pk, n.updated_at.timestamp()) for group in notes.values() for n in group)
    when = updated and updated.timestamp()
    parts = repr(
        [
            result.key,
            result.pending,
            result.alignment.threshold,
            show_all,
            user.pk or 0,
            stamp,
            when,
            page,
            aligning,
        ]
    )
    return hashlib.sha1(parts.encode()).hexdigest()


def default_title(pair: Pair) -> str:
    """'NATO vs RT (attributed): <left title>', cut to fit the field."""
    title = f"{pair.left.source.name} vs {pair.right.source.name}: {pair.left.title}"
    return title if len(title) <= 200 else title[:199].rstrip() + "…"
