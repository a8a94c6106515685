"""Paragraphs' multilingual vectors in the database: stored once per model, read for a pair.

Each paragraph's vector is stored once per model (`ParagraphVector`) as a float32 blob,
with a hash of the text it was computed from: a vector whose paragraph was edited since is
stale, never used, and recomputed by `manage.py embed_paragraphs`. The compare view reads
one row of counts per request (its cache key), and the vectors of both statements in one
query when it computes an alignment; it never embeds anything.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery

from statements.embeddings import (
    BATCH_SIZE,
    DIMENSIONS,
    MODEL_NAME,
    embed,
    from_blob,
    text_hash,
    to_blob,
    unavailable_reason,
)
from statements.models import Paragraph, ParagraphVector

# Rows per statement when vectors are stored: well under any database's variable limit.
STORE_BATCH = 500


def vectors_to_store(paragraphs: Iterable[Paragraph], vectors: np.ndarray) -> list[ParagraphVector]:
    return [
        ParagraphVector(
            paragraph=paragraph,
            model_name=MODEL_NAME,
            text_hash=text_hash(paragraph.text),
            vector=to_blob(vector),
        )
        for paragraph, vector in zip(paragraphs, vectors, strict=True)
    ]


def store(rows: list[ParagraphVector]) -> None:
    """Insert the vectors, replacing any stored for the same paragraph and model.

    Replaced rows are deleted and inserted anew rather than updated: the new primary keys
    are what tells the compare view's cache that vectors changed (`PairVectors.lookup`).
    """
    paragraph_ids = [row.paragraph_id for row in rows]
    with transaction.atomic():
        # In slices: SQLite refuses a statement of more variables than its limit (500,000
        # paragraphs at once did).
        for start in range(0, len(paragraph_ids), STORE_BATCH):
            ParagraphVector.objects.filter(
                model_name=MODEL_NAME, paragraph__in=paragraph_ids[start : start + STORE_BATCH]
            ).delete()
        ParagraphVector.objects.bulk_create(rows, batch_size=STORE_BATCH)


def embed_and_store(paragraphs: Sequence[Paragraph], *, batch_size: int = BATCH_SIZE) -> int:
    """Embed the paragraphs and store their vectors; returns how many. Unavailable without
    the extra."""
    if not paragraphs:
        return 0
    vectors = embed([p.text for p in paragraphs], batch_size=batch_size)
    store(vectors_to_store(paragraphs, vectors))
    return len(paragraphs)


def pending(statement) -> bool:
    """Whether the statement's body paragraphs still wait for their vectors (the worker
    computes them after an import), where this server can compute vectors at all. One
    query."""
    if unavailable_reason():
        return False
    found = Paragraph.objects.filter(statement=statement, kind__in=Paragraph.BODY_KINDS).aggregate(
        total=Count("pk"), embedded=Count("vectors", filter=Q(vectors__model_name=MODEL_NAME))
    )
    return found["embedded"] < found["total"]


def batches(paragraphs: Sequence[Paragraph], size: int = BATCH_SIZE) -> Iterable[list[Paragraph]]:
    """`paragraphs` a batch at a time: embedded and stored batch by batch, memory stays
    bounded whatever the statement's length."""
    for start in range(0, len(paragraphs), size):
        yield list(paragraphs[start : start + size])


def paragraphs_to_embed(paragraphs: QuerySet[Paragraph]) -> list[Paragraph]:
    """Those of `paragraphs` with no stored vector, or one computed from another text; two
    queries whatever their number."""
    stored = dict(
        ParagraphVector.objects.filter(
            model_name=MODEL_NAME, paragraph__in=paragraphs.values("pk")
        ).values_list("paragraph_id", "text_hash")
    )
    return [p for p in paragraphs if stored.get(p.pk) != text_hash(p.text)]


# --- Reading, for a comparison -------------------------------------------------------------


@dataclass(frozen=True)
class Multilingual:
    """What the compare view tells about machine similarity for one pair of statements."""

    available: bool  # the vectors took part in the scores
    cross_language: bool  # the two statements' languages differ
    model: str
    missing_left: tuple[int, ...] = ()  # compared paragraphs without a usable vector
    missing_right: tuple[int, ...] = ()
    # `unavailable_reason()` when the result is shown (not cached: installing the extra
    # changes it, not the vectors)
    extra_missing: str = ""

    @property
    def reason(self) -> str:
        """Why there is no machine similarity, or not for every paragraph; "" if there is."""
        if not self.available:
            return self.extra_missing or (
                "Cross-language vectors pending: these statements' paragraphs have no stored "
                "vectors yet (the worker computes them after an import; manage.py "
                "embed_paragraphs does it at once). Until then, cross-language links rest on "
                "shared names and numbers only."
            )
        count = len(self.missing_left) + len(self.missing_right)
        if not count:
            return ""
        have = "have" if count != 1 else "has"
        return (
            f"Cross-language vectors pending: {count} compared "
            f"paragraph{'s' if count != 1 else ''} {have} no stored vector yet (the worker "
            "computes them; manage.py embed_paragraphs does it at once): for them, "
            "cross-language links rest on shared names and numbers only."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "available": self.available,
            "cross_language": self.cross_language,
            "model": self.model,
            "reason": self.reason,
            "missing": {"left": list(self.missing_left), "right": list(self.missing_right)},
        }


def stamp_key(count: int, latest: int | None) -> str:
    """The key of the vectors stored for some statements: how many, and the latest row."""
    return f"{MODEL_NAME}:{count}:{latest}" if count else "novec"


def with_vector_ids(paragraphs: QuerySet) -> QuerySet:
    """`paragraphs`, each with `vector_id`: the row of its stored vector (MODEL_NAME), or
    None; what `statement_stamps` reads, in the query that loads the paragraphs."""
    vector = ParagraphVector.objects.filter(paragraph=OuterRef("pk"), model_name=MODEL_NAME)
    return paragraphs.annotate(vector_id=Subquery(vector.values("pk")[:1]))


def statement_stamps(paragraphs: Iterable[Paragraph]) -> dict[int, tuple[int, int]]:
    """Per statement, (how many vectors, latest vector row), from paragraphs loaded
    `with_vector_ids`; what `pair_stamp_key` makes the key of any pair of them from, as
    `PairVectors.lookup` would (one vector per paragraph and model)."""
    stamps: dict[int, tuple[int, int]] = {}
    for p in paragraphs:
        if p.vector_id is not None:
            count, latest = stamps.get(p.statement_id, (0, 0))
            stamps[p.statement_id] = (count + 1, max(latest, p.vector_id))
    return stamps


def pair_stamp_key(stamps: dict[int, tuple[int, int]], left_id: int, right_id: int) -> str:
    """The key `PairVectors.lookup` gives the pair, from `statement_stamps`."""
    found = [stamps[pk] for pk in {left_id, right_id} if pk in stamps]
    count = sum(c for c, _ in found)
    return stamp_key(count, max((latest for _, latest in found), default=None))


@dataclass
class PairVectors:
    """The stored vectors of two statements' paragraphs, read in two steps.

    `lookup` (one aggregate query, one row) gives a key for the compare view's cache: it
    changes whenever a vector is added, deleted or recomputed (recomputing replaces the
    row, see `store`). Only when the alignment has to be computed, `load` reads the vectors
    themselves with their text hashes (one query for both statements) and keeps those
    that match their paragraph's text.
    """

    left: list[Paragraph]
    right: list[Paragraph]
    compared: Callable[[Paragraph], bool]
    key: str
    stored: int
    fresh: set[int] = field(default_factory=set)  # pks whose vector matches their text
    _loaded: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    @classmethod
    def lookup(
        cls,
        left: list[Paragraph],
        right: list[Paragraph],
        compared: Callable[[Paragraph], bool],
    ) -> PairVectors:
        statements = {p.statement_id for p in (*left, *right)}
        stamp = ParagraphVector.objects.filter(
            model_name=MODEL_NAME, paragraph__statement__in=statements
        ).aggregate(count=Count("pk"), latest=Max("pk"))
        return cls(
            left, right, compared, stamp_key(stamp["count"], stamp["latest"]), stamp["count"]
        )

    def load(self) -> tuple[np.ndarray, np.ndarray] | None:
        """(left, right) arrays with one row per paragraph, zeros where there is no fresh
        vector; None when no compared paragraph on one side has one."""
        if self.stored and not self._loaded:
            statements = {p.statement_id for p in (*self.left, *self.right)}
            rows = ParagraphVector.objects.filter(
                model_name=MODEL_NAME, paragraph__statement__in=statements
            ).values_list("paragraph_id", "text_hash", "vector")
            hashes = {p.pk: text_hash(p.text) for p in (*self.left, *self.right)}
            for pk, stored_hash, blob in rows:
                vector = from_blob(blob)
                if hashes.get(pk) == stored_hash and len(vector) == DIMENSIONS:
                    self._loaded[pk] = vector
            self.fresh = set(self._loaded)
        if not self._usable():
            return None

        def matrix(paragraphs: list[Paragraph]) -> np.ndarray:
            result = np.zeros((len(paragraphs), DIMENSIONS), dtype=np.float32)
            for row, paragraph in enumerate(paragraphs):
                if paragraph.pk in self._loaded:
                    result[row] = self._loaded[paragraph.pk]
            return result

        return matrix(self.left), matrix(self.right)

    def _usable(self) -> bool:
        return any(p.pk in self.fresh for p in self.left if self.compared(p)) and any(
            p.pk in self.fresh for p in self.right if self.compared(p)
        )

    def status(self, cross_language: bool) -> Multilingual:
        """Whether vectors took part, and for which compared paragraphs not; after `load`."""
        return Multilingual(
            available=self._usable(),
            cross_language=cross_language,
            model=MODEL_NAME,
            missing_left=tuple(
                p.position for p in self.left if self.compared(p) and p.pk not in self.fresh
            ),
            missing_right=tuple(
                p.position for p in self.right if self.compared(p) and p.pk not in self.fresh
            ),
        )
