"""Comparing two statements: load the pair, run the engine and framing on it (cached per
content), and what the compare page's cache is keyed by."""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Count, Max
from django.http import Http404

from statements import alignment, embeddings, framing
from statements.models import Paragraph, Statement
from statements.reading import Evidence, Quotation, ShownLink

from . import vectors

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
                statement__language=language, kind__in=Paragraph.BODY_KINDS
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
    multilingual: vectors.Multilingual | None = None
    key: str = ""  # the cache key it is stored under: what its pages can be cached by


def compare_pair(
    pair: Pair, *, threshold: float = alignment.DEFAULT_THRESHOLD, use_cache: bool = True
) -> PairResult:
    """The engine's alignment and framing for a pair, cached per content hashes, version and
    the paragraphs' stored vectors (a one-row query for them on every call, and one for the
    vectors when the alignment is computed: never an embedding on the request path)."""
    stored = vectors.PairVectors.lookup(
        pair.left_paragraphs, pair.right_paragraphs, lambda p: p.kind in Paragraph.BODY_KINDS
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
            stored.key,
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
        left_vectors, right_vectors = stored.load() or (None, None)
        # Titles and headings carry much of a text's framing ("territoires occupés").
        worded = (*Paragraph.BODY_KINDS, Paragraph.Kind.TITLE, Paragraph.Kind.HEADING)
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
            stored.status(cross_language),
        )
        if use_cache:
            cache.set(key, result, COMPARE_CACHE_SECONDS)
    # Not cached: installing the extra changes what the reader is told, not the vectors.
    multilingual = dataclasses.replace(
        result.multilingual, extra_missing=embeddings.unavailable_reason()
    )
    return dataclasses.replace(result, multilingual=multilingual, key=key)


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
    parts = repr([result.key, show_all, user.pk or 0, stamp, when, page, aligning])
    return hashlib.sha1(parts.encode()).hexdigest()


def default_title(pair: Pair) -> str:
    """'NATO vs RT (attributed): <left title>', cut to fit the field."""
    title = f"{pair.left.source.name} vs {pair.right.source.name}: {pair.left.title}"
    return title if len(title) <= 200 else title[:199].rstrip() + "…"
