"""Where a sentence went: fingerprints of a paragraph's wording, and the passage of another
paragraph that takes it over. Pure: texts in, numbers and dataclasses out; no Django.

Fingerprints: the stems of the content words (stop words out, accents folded), cut into
overlapping runs of SHINGLE stems, each hashed to a 63-bit integer; of every WINDOW
consecutive hashes the smallest is kept (winnowing, Schleimer, Wilkerson and Aiken 2003).
Two texts that share a run of SHINGLE + WINDOW - 1 content stems share at least one kept
fingerprint (five stems here), whatever surrounds the run; a paragraph keeps about
2 / (WINDOW + 1) of its shingles. On stems, a quotation with a word inflected otherwise, an
article dropped or a stop word changed still matches: quotes and close restatements, not
paraphrase.

`passage` then says how a found paragraph takes over the source's words: the span that
holds them, and its fidelity (verbatim, trimmed: words left out, altered: words changed),
from a word-level diff; O(n x m) in the two paragraphs' words, which are short.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass

from . import text

SHINGLE = 3
WINDOW = 3
# The fewest words a passage must share with the source to be an echo, and the length of
# one verbatim run from which it is called a quotation rather than a close restatement.
MIN_SHARED_WORDS = 4
QUOTE_RUN_WORDS = 5


def _hash(stems: tuple[str, ...]) -> int:
    digest = hashlib.blake2b("\x1f".join(stems).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1  # fits a signed 64-bit column


def fingerprints(paragraph: str, language: str = "fr") -> list[int]:
    """The paragraph's kept fingerprints, distinct, in order of first occurrence. A
    paragraph with fewer content stems than SHINGLE has none (nothing to trace)."""
    stems = text.content_terms(paragraph, language)
    if len(stems) < SHINGLE:
        return []
    hashes = [_hash(tuple(stems[i : i + SHINGLE])) for i in range(len(stems) - SHINGLE + 1)]
    if len(hashes) <= WINDOW:
        return [min(hashes)]
    kept: dict[int, None] = {}
    for start in range(len(hashes) - WINDOW + 1):
        kept[min(hashes[start : start + WINDOW])] = None
    return list(kept)


@dataclass(frozen=True)
class Passage:
    """Where a paragraph takes over the source's words: [start, end) in its text."""

    start: int
    end: int
    text: str
    fidelity: str  # verbatim | trimmed | altered
    relation: str  # quotes | restates
    shared_words: int  # words of the source found in order in the passage
    share: float  # of the source's words


def passage(source: str, found: str) -> Passage | None:
    """The passage of `found` that takes over words of `source`, or None when they share
    fewer than MIN_SHARED_WORDS words in order.

    verbatim: one unbroken run of the source's words; trimmed: runs of the source's
    words in order with some left out between them, nothing added; altered: words added or
    changed between the runs. A passage with a run of QUOTE_RUN_WORDS words quotes, else it
    closely restates.
    """
    source_words = text.words(source)
    tokens = text.tokens(found)
    found_words = [token.folded for token in tokens]
    matcher = difflib.SequenceMatcher(None, source_words, found_words, autojunk=False)
    blocks = [b for b in matcher.get_matching_blocks() if b.size >= 2]
    if not blocks:
        return None
    # The densest stretch: blocks kept while the gap between them stays short.
    best: list = []
    current: list = []
    for block in blocks:
        if current and block.b - (current[-1].b + current[-1].size) > 6:
            if sum(b.size for b in current) > sum(b.size for b in best):
                best = current
            current = []
        current.append(block)
    if sum(b.size for b in current) > sum(b.size for b in best):
        best = current
    shared = sum(b.size for b in best)
    if shared < MIN_SHARED_WORDS:
        return None
    first, last = best[0], best[-1]
    start = tokens[first.b].start
    end = tokens[last.b + last.size - 1].end
    added = (last.b + last.size - first.b) - shared
    left_out = (last.a + last.size - first.a) - shared
    if len(best) == 1:
        fidelity = "verbatim"
    elif added == 0 and left_out > 0:
        fidelity = "trimmed"
    else:
        fidelity = "altered"
    relation = "quotes" if max(b.size for b in best) >= QUOTE_RUN_WORDS else "restates"
    return Passage(
        start,
        end,
        found[start:end],
        fidelity,
        relation,
        shared,
        shared / max(len(source_words), 1),
    )
