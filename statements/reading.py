"""The compare page's model of its two columns: which paragraph sits beside which, what is
marked in each, and the summary's counts. Pure: it reads paragraphs (anything with
`position`, `text`, `kind`, `language`, `pk`) and links, and builds no HTML and no query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from . import framing, text
from .alignment import SharedQuote
from .importing import BODY_KINDS


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
class ShownLink:
    """A link as the compare view shows it: from the engine, or saved in a comparison."""

    left: int
    right: int
    score: float | None
    relation: str
    quotes: tuple[SharedQuote, ...] = ()
    state: str = "suggested"
    pk: int | None = None
    basis: str = "words"  # what the engine's score rests on: words, names or embedding

    @property
    def anchor(self) -> str:
        return pair_anchor(self.left, self.right)


@dataclass
class Cell:
    """One paragraph in a column of the compare view, with its partners and highlights."""

    paragraph: Paragraph
    side: str  # "l" or "r"
    partners: list[int]
    segments: list[text.Segment]
    statement_language: str = ""

    @property
    def is_body(self) -> bool:
        return self.paragraph.kind in BODY_KINDS

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


def build_reading(
    pair,
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
