"""The compare page's model: two columns, each in its own reading order, and one list of
links. Everything a reader sees about the links (the partners listed under a paragraph, the
omission and addition marks, the overview strips, the connectors, the summary's counts) is
computed from that one list, so the summary and the marks agree by construction.

Pure: it reads paragraphs (anything with `position`, `text`, `kind`, `number`, `language`,
`pk`) and links, and builds no HTML and makes no query.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Protocol

from . import framing, text
from .alignment import SharedQuote
from .importing import BODY_KINDS

# What a paragraph's links say happened to it, strongest first: a paragraph contradicted
# by one partner and restated by another is shown as contradicted.
FATE_OF_RELATION = {"contradicts": "contradicted", "reframes": "reframed"}
FATES = ("contradicted", "reframed", "linked", "omitted", "added", "context", "pending")


class Paragraph(Protocol):
    """A stored paragraph as this module reads it (models.Paragraph is one)."""

    pk: int | None
    position: int
    text: str
    kind: str
    number: str
    language: str


def pair_anchor(left: int, right: int) -> str:
    """The anchor of the pair of left paragraph `left` and right paragraph `right`:
    `pair-l3-r5`, in every page and link that points at a pair."""
    return f"pair-l{left}-r{right}"


@dataclass(frozen=True)
class Evidence:
    """A sentence pair the engine linked two paragraphs by: [start, end) in each paragraph."""

    left: tuple[int, int]
    right: tuple[int, int]
    score: float | None = None


@dataclass(frozen=True, eq=False)
class ShownLink:
    """A link as the compare view shows it: from the engine, or saved in a comparison.

    `confidence`, `reasons` and `evidence` come from the engine when it gives them; a link
    without them shows its score and shared quotes only. `reasons` are the engine's plain
    mappings (`{"kind": "swap", "left": ..., "right": ...}`), worded for readers by the
    `reading` template tags.
    """

    left: int
    right: int
    score: float | None
    relation: str
    quotes: tuple[SharedQuote, ...] = ()
    state: str = "suggested"
    pk: int | None = None
    basis: str = "words"  # what the engine's score rests on: words, names or embedding
    confidence: float | None = None
    reasons: tuple[Mapping[str, Any], ...] = ()
    evidence: tuple[Evidence, ...] = ()

    @property
    def anchor(self) -> str:
        return pair_anchor(self.left, self.right)

    @property
    def is_shown(self) -> bool:
        """A rejected link stays on the page (struck through), but links nothing."""
        return self.state != "rejected"


@dataclass(frozen=True)
class Quotation:
    """A quotation in one text traced to the other (the engine's quote fidelity)."""

    side: str  # "left" or "right": where the quotation stands
    paragraph: int
    start: int
    end: int
    text: str
    fidelity: str  # verbatim | trimmed | altered | not_found
    source: tuple[int, int, int] | None = None  # (paragraph, start, end) on the other side
    diff: tuple[tuple[str, str], ...] = ()  # ("=" | "-" | "+", words)

    @classmethod
    def from_mapping(cls, found: Mapping[str, Any]) -> Quotation:
        source = found.get("source")
        return cls(
            side=found["side"],
            paragraph=int(found["paragraph"]),
            start=int(found.get("start", 0)),
            end=int(found.get("end", 0)),
            text=str(found.get("text", "")),
            fidelity=str(found.get("fidelity", "")),
            source=(
                (int(source["paragraph"]), int(source.get("start", 0)), int(source.get("end", 0)))
                if source
                else None
            ),
            diff=tuple((str(op), str(words)) for op, words in found.get("diff") or ()),
        )


@dataclass
class Cell:
    """One paragraph in its column, with every link it takes part in (rejected ones too)."""

    paragraph: Paragraph
    side: str  # "l" or "r"
    links: list[ShownLink]  # by the other side's position
    statement_language: str = ""
    quote_spans: list[tuple[int, int]] = field(default_factory=list)
    find_terms: Callable[[str], list[tuple[int, int, str]]] | None = None

    @property
    def is_body(self) -> bool:
        return self.paragraph.kind in BODY_KINDS

    @property
    def position(self) -> int:
        return self.paragraph.position

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

    @property
    def partners(self) -> list[tuple[int, ShownLink]]:
        """(the other paragraph's position, the link) for each link, rejected ones too."""
        return [(link.right if self.side == "l" else link.left, link) for link in self.links]

    @property
    def fate(self) -> str:
        """What the links say happened to this paragraph: contradicted, reframed, linked;
        else omitted (left) or added (right) for a body paragraph, context for the rest."""
        shown = [link for link in self.links if link.is_shown]
        for relation, fate in FATE_OF_RELATION.items():
            if any(link.relation == relation for link in shown):
                return fate
        if shown:
            return "linked"
        if not self.is_body:
            return "context"
        return "omitted" if self.side == "l" else "added"

    @cached_property
    def segments(self) -> list[text.Segment]:
        """The text cut at shared quotes and distinctive terms (computed when first shown)."""
        terms = self.find_terms(self.paragraph.text) if self.find_terms else []
        return text.highlight(self.paragraph.text, self.quote_spans, terms)


@dataclass
class PendingCell(Cell):
    """A paragraph of a pair whose links are still being computed: no marks yet."""

    @property
    def fate(self) -> str:
        return "pending"


@dataclass(frozen=True)
class Card:
    """A link as a card of the links list: both paragraphs, the passages it rests on."""

    link: ShownLink
    left: Cell
    right: Cell

    @property
    def left_excerpt(self) -> str:
        """The left sentence of the engine's first evidence, else the whole paragraph."""
        return self._excerpt(self.left, 0)

    @property
    def right_excerpt(self) -> str:
        return self._excerpt(self.right, 1)

    def _excerpt(self, cell: Cell, side: int) -> str:
        value = cell.paragraph.text
        if self.link.evidence:
            start, end = (self.link.evidence[0].left, self.link.evidence[0].right)[side]
            return value[start:end].strip() or value
        return value


@dataclass
class Reading:
    """Both columns in their own order, and the one list of links their marks come from."""

    left: list[Cell]
    right: list[Cell]
    links: list[ShownLink]  # every link, rejected ones too, by (left, right)
    aligning: bool = False  # the links are not computed yet: the columns show without them

    @property
    def shown_links(self) -> list[ShownLink]:
        return [link for link in self.links if link.is_shown]

    @property
    def confirmed_count(self) -> int:
        return sum(link.state == "confirmed" for link in self.links)

    @property
    def rejected_count(self) -> int:
        return sum(link.state == "rejected" for link in self.links)

    @property
    def omissions(self) -> list[int]:
        """Left body paragraphs no shown link reaches: exactly the cells marked omitted."""
        return [cell.position for cell in self.left if cell.fate == "omitted"]

    @property
    def additions(self) -> list[int]:
        return [cell.position for cell in self.right if cell.fate == "added"]

    @property
    def fates(self) -> dict[str, int]:
        """How many paragraphs (both sides) each fate has: the legend's and strips' counts."""
        counts = dict.fromkeys(FATES, 0)
        for cell in (*self.left, *self.right):
            counts[cell.fate] += 1
        return counts

    @cached_property
    def cards(self) -> list[Card]:
        """Every link (rejected ones too) with its two paragraphs, by (left, right)."""
        left = {cell.position: cell for cell in self.left}
        right = {cell.position: cell for cell in self.right}
        return [Card(link, left[link.left], right[link.right]) for link in self.links]

    def cell(self, side: str, position: int) -> Cell | None:
        cells = self.left if side == "l" else self.right
        return next((cell for cell in cells if cell.position == position), None)

    def link(self, left: int, right: int) -> ShownLink | None:
        return next((ln for ln in self.links if (ln.left, ln.right) == (left, right)), None)


def build_reading(
    pair,
    links: list[ShownLink] | None,
    found_framing: framing.Framing,
    *,
    show_all: bool = False,
) -> Reading:
    """The two columns of `pair` and their links; `links=None` while they are computed.

    Each column keeps its statement's order. A paragraph shows when it is body text, when
    `show_all` asks for titles, captions and boilerplate too, or when a link reaches it (a
    connector never points at nothing). Linear in paragraphs + links; the highlighted
    segments of a paragraph are computed only when it is rendered.
    """
    aligning = links is None
    every = sorted(links or (), key=lambda link: (link.left, link.right))
    by_left: dict[int, list[ShownLink]] = {}
    by_right: dict[int, list[ShownLink]] = {}
    for link in every:
        by_left.setdefault(link.left, []).append(link)
        by_right.setdefault(link.right, []).append(link)
    for partners in by_right.values():
        partners.sort(key=lambda link: link.left)
    quotes = _quote_spans(every)
    find_terms = _term_finder(found_framing)
    kind = PendingCell if aligning else Cell

    def column(paragraphs: Iterable[Paragraph], side: str, language: str) -> list[Cell]:
        linked = by_left if side == "l" else by_right
        return [
            kind(
                paragraph,
                side,
                linked.get(paragraph.position, []),
                language,
                quotes[side].get(paragraph.position, []),
                find_terms,
            )
            for paragraph in paragraphs
            if show_all or paragraph.kind in BODY_KINDS or paragraph.position in linked
        ]

    return Reading(
        column(pair.left_paragraphs, "l", pair.left.language),
        column(pair.right_paragraphs, "r", pair.right.language),
        every,
        aligning,
    )


def _quote_spans(links: list[ShownLink]) -> dict[str, dict[int, list[tuple[int, int]]]]:
    """Shared quotes of every link (a rejected link's quote is still shared wording)."""
    spans: dict[str, dict[int, list[tuple[int, int]]]] = {"l": {}, "r": {}}
    for link in links:
        for quote in link.quotes:
            spans["l"].setdefault(link.left, []).append((quote.left_start, quote.left_end))
            spans["r"].setdefault(link.right, []).append((quote.right_start, quote.right_end))
    return spans


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


# --- One pair, as the link panel shows it --------------------------------------------------

# Reason kinds whose words are marked in the passages, and on which side.
_CHANGED_WORDS = {
    "swap": ("left", "right"),
    "dropped": ("left",),
    "added": ("right",),
    "scare_quotes": ("right",),
    "negation": ("left", "right"),
    "antonym": ("left", "right"),
    "denial": ("left", "right"),
    "denied_quote": ("left", "right"),
}


@dataclass(frozen=True)
class Piece:
    """A run of a passage and the marks covering all of it (evidence, quote, changed)."""

    text: str
    marks: tuple[str, ...] = ()


@dataclass
class PairView:
    """One link as its panel shows it: both passages marked with what the engine used."""

    link: ShownLink
    left: Paragraph
    right: Paragraph
    left_passage: list[Piece]
    right_passage: list[Piece]
    quotations: list[Quotation]

    @property
    def evidence_count(self) -> int:
        return len(self.link.evidence)


def pair_view(
    link: ShownLink,
    left: Paragraph,
    right: Paragraph,
    quotations: Sequence[Quotation] = (),
) -> PairView:
    """Both passages of `link` cut into pieces marked `evidence` (the sentence pairs),
    `quote` (shared verbatim runs) and `changed` (words the reasons name: swapped, dropped,
    added, negated), and the quotations traced between the two paragraphs."""
    spans: dict[str, list[tuple[int, int, str]]] = {"left": [], "right": []}
    for found in link.evidence:
        spans["left"].append((*found.left, "evidence"))
        spans["right"].append((*found.right, "evidence"))
    for quote in link.quotes:
        spans["left"].append((quote.left_start, quote.left_end, "quote"))
        spans["right"].append((quote.right_start, quote.right_end, "quote"))
    texts = {"left": left.text, "right": right.text}
    for reason in link.reasons:
        for side in _CHANGED_WORDS.get(str(reason.get("kind", "")), ()):
            words = reason.get(side)
            if isinstance(words, str) and words.strip():
                spans[side] += [(a, b, "changed") for a, b in _occurrences(texts[side], words)]
    here = {"left": left.position, "right": right.position}
    there = {"left": right.position, "right": left.position}
    between = [
        quotation
        for quotation in quotations
        if here.get(quotation.side) == quotation.paragraph
        and (quotation.source is None or quotation.source[0] == there[quotation.side])
    ]
    return PairView(
        link,
        left,
        right,
        marked_pieces(left.text, spans["left"]),
        marked_pieces(right.text, spans["right"]),
        between,
    )


def _occurrences(value: str, words: str) -> list[tuple[int, int]]:
    """[start, end) of each whole-word, case-blind occurrence of `words` in `value`."""
    pattern = r"\s+".join(re.escape(word) for word in words.split())
    found = re.finditer(rf"(?<!\w){pattern}(?!\w)", value, re.IGNORECASE)
    return [(m.start(), m.end()) for m in found]


def marked_pieces(value: str, spans: Iterable[tuple[int, int, str]]) -> list[Piece]:
    """`value` cut at every span boundary, each piece with the marks of the spans covering
    it (out-of-range spans are clipped, empty ones ignored). O((n + s) log s) for s spans."""
    length = len(value)
    clipped = [
        (max(0, start), min(length, end), mark)
        for start, end, mark in spans
        if min(length, end) > max(0, start)
    ]
    if not clipped:
        return [Piece(value)] if value else []
    events: dict[int, list[tuple[int, str]]] = {}
    for start, end, mark in clipped:
        events.setdefault(start, []).append((1, mark))
        events.setdefault(end, []).append((-1, mark))
    cuts = sorted({0, length, *events})
    open_marks: dict[str, int] = {}
    pieces = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        for step, mark in events.get(start, ()):
            open_marks[mark] = open_marks.get(mark, 0) + step
        marks = tuple(sorted(mark for mark, count in open_marks.items() if count > 0))
        pieces.append(Piece(value[start:end], marks))
    return pieces
