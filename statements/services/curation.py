"""Saved comparisons: saving the engine's suggestions as links, reading them back, and a
reader's own links and corrections."""

from __future__ import annotations

from django.db import transaction

from statements import alignment
from statements.models import Comparison, Link, Paragraph
from statements.reading import ShownLink

from .comparing import Pair, PairResult, engine_links


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
    comparison = Comparison(
        left=pair.left, right=pair.right, owner=owner, title=title, visibility=visibility
    )
    comparison.threshold = threshold
    comparison.set_note(note)
    with transaction.atomic():
        comparison.save()
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
    """A comparison's links, with the engine's quotes, confidence, reasons and evidence for
    the pairs it found (shared quotes are computed for a reader's own links)."""
    engine = {(ln.left, ln.right): ln for ln in engine_links(result.alignment)}
    texts = {
        "l": {p.pk: p for p in pair.left_paragraphs},
        "r": {p.pk: p for p in pair.right_paragraphs},
    }
    shown = []
    for link in comparison.links.all():
        left, right = texts["l"][link.left_id], texts["r"][link.right_id]
        found = engine.get((left.position, right.position))
        quotes = found.quotes if found else tuple(alignment.shared_quotes(left.text, right.text))
        shown.append(
            ShownLink(
                left.position,
                right.position,
                link.score,
                link.relation,
                quotes,
                link.state,
                link.pk,
                found.basis if found else "words",
                confidence=found.confidence if found else None,
                reasons=found.reasons if found else (),
                evidence=found.evidence if found else (),
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
    comparison.touch()
    return link


def update_link(link: Link, *, state: str = "", relation: str = "") -> Link:
    """A reader confirms, rejects or restores a link, or retypes it; "" keeps what it was."""
    link.state = state or link.state
    link.relation = relation or link.relation
    link.save(update_fields=["state", "relation", "updated_at"])
    link.comparison.touch()
    return link
