"""A long statement's paragraphs, a page at a time. No Django.

Pages hold positions, not counts: page n shows the paragraphs at positions
((n-1)·PARAGRAPHS_PER_PAGE, n·PARAGRAPHS_PER_PAGE], so that a paragraph's page follows from
its position alone and its URL can carry it (`?page=3#p1234`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# A statement's page shows this many paragraphs at a time: a declaration (tens to a few
# hundred paragraphs) is one page; a statement at the paragraph cap is a few.
PARAGRAPHS_PER_PAGE = 500


def paragraph_page_of(position: int) -> int:
    """The page of a statement's paragraphs that shows the paragraph at `position`."""
    return max(1, (position - 1) // PARAGRAPHS_PER_PAGE + 1)


@dataclass(frozen=True)
class ParagraphPage:
    """One page of a statement's paragraphs: the positions ((number-1)·P, number·P], so that
    a paragraph's page follows from its position alone (its URL carries it)."""

    number: int
    count: int
    size: int = PARAGRAPHS_PER_PAGE

    @property
    def first(self) -> int:
        return (self.number - 1) * PARAGRAPHS_PER_PAGE + 1

    @property
    def last(self) -> int:
        return self.number * PARAGRAPHS_PER_PAGE

    @property
    def others(self) -> list[ParagraphPage]:
        """Every page, this one included, for the page links (a few at the cap)."""
        return [ParagraphPage(number, self.count) for number in range(1, self.count + 1)]

    @property
    def previous(self) -> ParagraphPage | None:
        return ParagraphPage(self.number - 1, self.count) if self.number > 1 else None

    @property
    def next(self) -> ParagraphPage | None:
        return ParagraphPage(self.number + 1, self.count) if self.number < self.count else None

    @classmethod
    def of(cls, wanted: str | None, last_position: int | None) -> ParagraphPage:
        """The page asked for (`?page=`), within the statement's pages: the first page for
        anything that is not a page number, the last for a number past it."""
        count = max(1, math.ceil((last_position or 0) / PARAGRAPHS_PER_PAGE))
        readable = wanted and wanted.isascii() and wanted.isdigit() and len(wanted) <= 9
        number = int(wanted) if readable else 1
        return cls(min(max(number, 1), count), count)
