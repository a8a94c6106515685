"""What the engine takes and gives: paragraphs in, an Alignment of links out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# "sent-1": pairs scored from their best sentence pairs, a calibrated confidence, relations
# with reasons, quotations traced (the framing lexicon's content is in the content key too).
# "sent-2": denials, quoted-then-denied claims, short quotations and refusals read.
# "sent-3": a lower floor for paragraph vectors across languages, the confidence refitted;
# quoted-then-denied words, verbatim runs inside quotation marks, quoted speech, quotations
# translated across languages, rebuttal markers, names-only context.
# "sent-4": French "nous" verb forms stemmed with the verb's others (`text.match_stem`;
# the lexicon stays on Snowball's stems), the confidence refitted.
# "sent-5": the confidence refitted with two more cross-language coverage pairs in the set;
# across languages the framing is read on both paragraphs in full.
# "sent-6": a one-word qualifier of the lexicon matches its own form, not its stem.
ENGINE_VERSION = "sent-6+emb"

# Thresholds are on the calibrated confidence (`Link.confidence`): the estimated chance
# that a careful reader would accept the link. On the development set
# (tests/data/alignment/, `manage.py evaluate_alignment`), links at confidence >= 0.5 are
# right 90% of the time or more; the default is that point, where the engine finds the most
# links while keeping the promise (see README, "The alignment engine").
DEFAULT_THRESHOLD = 0.5
# The lowest threshold a reader can choose: stored alignments keep every link down to it,
# and a page at a higher threshold filters them (`Alignment.at`).
LOWEST_THRESHOLD = 0.2


@dataclass(frozen=True)
class ParagraphText:
    """One paragraph as the engine sees it: its position in the statement, text, kind."""

    position: int
    text: str
    kind: str = "body"  # body, title, heading, dateline, caption, boilerplate, quote
    language: str = "fr"


@dataclass(frozen=True)
class SharedQuote:
    """A verbatim run of words found in both paragraphs, with offsets into both originals."""

    text: str  # as it stands in the left paragraph, original characters
    left_start: int
    left_end: int
    right_start: int
    right_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "left_start": self.left_start,
            "left_end": self.left_end,
            "right_start": self.right_start,
            "right_end": self.right_end,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SharedQuote:
        return cls(**data)


RELATIONS = ("quotes", "restates", "reframes", "contradicts", "context", "translates")


@dataclass(frozen=True)
class Link:
    """A suggested pair of paragraphs, by position.

    `score`: the similarity of the two paragraphs as a whole (0..1, the TF-IDF cosine, or
    its cross-language mix); `confidence`: the calibrated chance (0..1) that the link is
    right, from the paragraph score, the best sentence pairs and the verbatim runs; the
    threshold applies to it. `relation` is one of RELATIONS; `reasons` are plain mappings a
    reader can check (`{"kind": "swap", "left": "annexion illégale", "right":
    "rattachement"}`, `{"kind": "verbatim", "words": 9}` ...); `evidence` the sentence pairs
    the link rests on, best first: `{"left": [start, end], "right": [start, end], "score":
    s}`, character offsets into each paragraph's text.
    """

    left: int
    right: int
    score: float
    relation: str
    quotes: tuple[SharedQuote, ...] = ()
    # What the score rests on: "words" (same language), "embedding" (across languages, machine
    # similarity of the paragraph vectors) or "names" (across languages, no vectors: names
    # and numbers)
    basis: str = "words"
    confidence: float = 0.0
    reasons: tuple[dict[str, Any], ...] = ()
    evidence: tuple[dict[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "right": self.right,
            "score": self.score,
            "confidence": self.confidence,
            "relation": self.relation,
            "basis": self.basis,
            "reasons": [dict(reason) for reason in self.reasons],
            "evidence": [
                {"left": list(e["left"]), "right": list(e["right"]), "score": e["score"]}
                for e in self.evidence
            ],
            "quotes": [quote.to_dict() for quote in self.quotes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        quotes = tuple(SharedQuote.from_dict(quote) for quote in data.get("quotes", ()))
        fields = {
            key: value
            for key, value in data.items()
            if key not in ("quotes", "reasons", "evidence")
        }
        # An alignment stored by an engine without confidence: its score stands in.
        fields.setdefault("confidence", data.get("score", 0.0))
        return cls(
            **fields,
            quotes=quotes,
            reasons=tuple(dict(reason) for reason in data.get("reasons", ())),
            evidence=tuple(
                {"left": list(e["left"]), "right": list(e["right"]), "score": e["score"]}
                for e in data.get("evidence", ())
            ),
        )

    def reaches(self, threshold: float) -> bool:
        """Whether the link is suggested at `threshold`: its calibrated confidence reaches it."""
        return self.confidence >= threshold


@dataclass(frozen=True)
class Alignment:
    """Suggested links between two statements, and the paragraphs left without partner."""

    engine: str
    links: tuple[Link, ...]  # sorted by (left, right)
    omissions: tuple[int, ...]  # compared left paragraphs with no link
    additions: tuple[int, ...]  # compared right paragraphs with no link
    threshold: float
    # Quotations in either text traced to the other: {"side", "paragraph", "start", "end",
    # "text", "fidelity" (verbatim | trimmed | altered | not_found), "source" ({"paragraph",
    # "start", "end"} or None), "diff" ([["=" | "-" | "+", words], ...])}
    quotations: tuple[dict[str, Any], ...] = ()

    def partners_of_left(self, position: int) -> list[int]:
        """Right positions linked to the left paragraph at `position`, ascending."""
        return [link.right for link in self.links if link.left == position]

    def partners_of_right(self, position: int) -> list[int]:
        """Left positions linked to the right paragraph at `position`, ascending."""
        return [link.left for link in self.links if link.right == position]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain dicts, lists, strings and numbers."""
        return {
            "engine": self.engine,
            "threshold": self.threshold,
            "links": [link.to_dict() for link in self.links],
            "omissions": list(self.omissions),
            "additions": list(self.additions),
            "quotations": [dict(quotation) for quotation in self.quotations],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Alignment:
        """The alignment `to_dict` gave: `Alignment.from_dict(a.to_dict()) == a`."""
        return cls(
            engine=data["engine"],
            links=tuple(Link.from_dict(link) for link in data["links"]),
            omissions=tuple(data["omissions"]),
            additions=tuple(data["additions"]),
            threshold=data["threshold"],
            quotations=tuple(_quotation(q) for q in data.get("quotations", ())),
        )

    def at(self, threshold: float) -> Alignment:
        """The links suggested at a higher `threshold`, and the paragraphs they leave
        without partner (among those that had one or were compared)."""
        if threshold <= self.threshold:
            return self
        links = tuple(link for link in self.links if link.reaches(threshold))
        left = {link.left for link in links}
        right = {link.right for link in links}
        compared_left = set(self.omissions) | {link.left for link in self.links}
        compared_right = set(self.additions) | {link.right for link in self.links}
        return Alignment(
            engine=self.engine,
            links=links,
            omissions=tuple(sorted(compared_left - left)),
            additions=tuple(sorted(compared_right - right)),
            threshold=threshold,
            quotations=self.quotations,
        )


def _quotation(data: dict[str, Any]) -> dict[str, Any]:
    """A stored quotation as `align` makes it (JSON turns its tuples into lists)."""
    return {
        **data,
        "source": dict(data["source"]) if data.get("source") else None,
        "diff": [[op, words] for op, words in data.get("diff", ())],
    }
