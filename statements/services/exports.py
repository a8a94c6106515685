"""The JSON documents Parallax gives out: a comparison (engine's or saved), and readers'
notes as W3C Web Annotations."""

from __future__ import annotations

from django.urls import reverse

from statements.models import Annotation, Comparison, Paragraph, Statement
from statements.reading import ShownLink, build_reading

from .comparing import Pair, PairResult


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
        "quotations": found.get("quotations", []),
        "distinctive": result.framing.to_dict(),
        "multilingual": result.multilingual.to_dict() if result.multilingual else None,
    }


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


# --- W3C Web Annotations -----------------------------------------------------------------

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
JSONLD_CONTENT_TYPE = f'application/ld+json; profile="{ANNO_CONTEXT}"'


def web_annotation(note: Annotation, absolute) -> dict:
    """One note as a W3C Web Annotation; `absolute` turns a path into an absolute URL."""
    bodies = [
        {
            "type": "TextualBody",
            "value": note.body,
            "format": "text/markdown",
            "purpose": "commenting",
        }
    ]
    bodies += [{"type": "TextualBody", "value": tag, "purpose": "tagging"} for tag in note.tags]
    if note.link_id:
        target = [
            {"source": absolute(note.link.left.get_absolute_url())},
            {"source": absolute(note.link.right.get_absolute_url())},
        ]
    else:
        target = {"source": absolute(note.paragraph.get_absolute_url())}
        if note.start is not None:
            target["selector"] = [
                {
                    "type": "TextQuoteSelector",
                    "exact": note.exact,
                    "prefix": note.prefix,
                    "suffix": note.suffix,
                },
                {"type": "TextPositionSelector", "start": note.start, "end": note.end},
            ]
    note_id = reverse("annotation_detail", args=[note.pk])
    if note.link_id:  # note ids are sequential: a note on a link opens with its key only
        note_id += f"?comparison={note.link.comparison.key}"
    return {
        "id": absolute(note_id),
        "type": "Annotation",
        "motivation": "linking" if note.link_id else "commenting",
        "created": note.created_at.isoformat(),
        "modified": note.updated_at.isoformat(),
        "creator": {"type": "Person", "nickname": note.author.get_username()},
        "body": bodies,
        "target": target,
    }


def annotation_collection(notes, *, label: str, collection_id: str, absolute) -> dict:
    """Notes as a W3C AnnotationCollection of one page (`absolute` makes URLs absolute)."""
    items = [web_annotation(note, absolute) for note in notes]
    return {
        "@context": ANNO_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(items),
        "first": {
            "id": f"{collection_id}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": items,
        },
    }
