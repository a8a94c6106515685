"""Reading a rendered compare page as a reader would: each column's paragraphs in order,
what each is marked with, the partners it lists, the pair cards and the summary line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass(frozen=True)
class Chip:
    """A partner listed under a paragraph: the pair, its relation and state, where it goes."""

    left: int
    right: int
    relation: str
    state: str
    href: str
    text: str


@dataclass
class ComparePage:
    columns: dict[str, list[int]] = field(default_factory=lambda: {"l": [], "r": []})
    fates: dict[str, str] = field(default_factory=dict)  # "l3" -> "omitted"
    chips: dict[str, list[Chip]] = field(default_factory=dict)  # "l3" -> chips
    cards: list[str] = field(default_factory=list)  # "pair-l3-r5", in page order
    card_links: dict[str, str] = field(default_factory=dict)  # "pair-l3-r5" -> its own page
    ids: set[str] = field(default_factory=set)
    summary: str = ""

    def count(self, word: str) -> int:
        """The number the summary gives before `word` ("omission", "addition", "link")."""
        found = re.search(rf"(\d+) {word}", self.summary)
        assert found, f"the summary says nothing about {word}s: {self.summary!r}"
        return int(found.group(1))

    def marked(self, fate: str) -> list[str]:
        return [anchor for anchor, found in self.fates.items() if found == fate]

    def pairs(self) -> set[tuple[int, int]]:
        return {(chip.left, chip.right) for chips in self.chips.values() for chip in chips}


class _Parser(HTMLParser):
    def __init__(self, page: ComparePage):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.cell = ""
        self.chip: dict | None = None
        self.in_summary = 0

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if found.get("id"):
            self.page.ids.add(found["id"])
        if tag == "div" and "cell" in classes and re.fullmatch(r"[lr]\d+", found.get("id", "")):
            self.cell = found["id"]
            self.page.columns[self.cell[0]].append(int(self.cell[1:]))
            self.page.chips.setdefault(self.cell, [])
        elif tag == "div" and "cell-meta" in classes:
            self.page.fates[self.cell] = found["data-fate"]
        elif tag == "a" and "partner" in classes:
            self.chip = {**found, "text": ""}
        elif tag == "li" and "pair-card" in classes:
            self.page.cards.append(found["id"])
        elif tag == "a" and "pair-open" in classes and self.page.cards:
            self.page.card_links.setdefault(self.page.cards[-1], found["href"])
        elif tag == "p" and found.get("id") == "summary":
            self.in_summary = 1
        elif self.in_summary:
            self.in_summary += 1

    def handle_endtag(self, tag):
        if tag == "a" and self.chip is not None:
            chip = self.chip
            self.page.chips[self.cell].append(
                Chip(
                    int(chip["data-l"]),
                    int(chip["data-r"]),
                    chip["data-rel"],
                    chip["data-state"],
                    chip["href"],
                    " ".join(chip["text"].split()),
                )
            )
            self.chip = None
        elif self.in_summary:
            self.in_summary -= 1

    def handle_data(self, data):
        if self.chip is not None:
            self.chip["text"] += data
        if self.in_summary:
            self.page.summary += data


def read_compare_page(html: str) -> ComparePage:
    page = ComparePage()
    _Parser(page).feed(html)
    page.summary = " ".join(page.summary.split())
    return page
