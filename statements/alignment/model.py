"""What the engine takes and gives: paragraphs in, an Alignment of links out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# "+emb": scores also take paragraph vectors when given, and cross-language pairs are scored
# on names, numbers and vectors.
ENGINE_VERSION = "lex-2+emb"

# Below this cosine no restatement is suggested; tuned by reading every seed-pair link.
DEFAULT_THRESHOLD = 0.18
# The lowest threshold a reader can choose: stored alignments keep every link down to it,
# and a page at a higher threshold filters them (`Alignment.at`).
LOWEST_THRESHOLD = 0.1


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


@dataclass(frozen=True)
class Link:
    """A suggested pair of paragraphs, by position, with its score (0..1)."""

    left: int
    right: int
    score: float
    # "translates" for a cross-language near-translation, "quotes" when the pair shares a
    # quote, else "restates"
    relation: str
    quotes: tuple[SharedQuote, ...] = ()
    # What the score rests on: "words" (same language), "embedding" (across languages, machine
    # similarity of the paragraph vectors) or "names" (across languages, no vectors: names
    # and numbers)
    basis: str = "words"

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "right": self.right,
            "score": self.score,
            "relation": self.relation,
            "basis": self.basis,
            "quotes": [quote.to_dict() for quote in self.quotes],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Link:
        quotes = tuple(SharedQuote.from_dict(quote) for quote in data.get("quotes", ()))
        fields = {key: value for key, value in data.items() if key != "quotes"}
        return cls(**fields, quotes=quotes)

    def reaches(self, threshold: float) -> bool:
        """Whether the link is suggested at `threshold`: its score reaches it, or it rests on
        a passage the two paragraphs share (the quote path, whatever the score)."""
        return self.score >= threshold or self.relation == "quotes"


@dataclass(frozen=True)
class Alignment:
    """Suggested links between two statements, and the paragraphs left without partner."""

    engine: str
    links: tuple[Link, ...]  # sorted by (left, right)
    omissions: tuple[int, ...]  # compared left paragraphs with no link
    additions: tuple[int, ...]  # compared right paragraphs with no link
    threshold: float

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
        )
