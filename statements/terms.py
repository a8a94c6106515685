"""A paragraph's words counted once: stems of its content words and pairs of adjacent ones,
as (hash, count) arrays. Pure: no Django.

What framing weighs (which words each side prefers) and what the corpus statistics add up.
A term is a key: the stem of a content word ("referendum"), or two stems joined by a space
("territoir occup") when the two words follow each other with nothing but spaces, hyphens
or apostrophes between them ("territoires occupés", "euro-atlantique"; never across a
comma, a full stop or a stop word). Keys are stored as stable 64-bit hashes
(`term_hash`): the lowest bit tells a pair (1) from a single stem (0), so totals of each
kind come from the arrays alone.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from statements.text import fold, is_content_word, stem

# A stored paragraph's terms: one record per distinct term.
TERM_DTYPE = np.dtype([("hash", "<i8"), ("count", "<u4")])
# A word, and the run of joiners after it: when the next word starts right where that run
# ends, nothing else stands between the two words.
_WORD_AND_JOINERS = re.compile(r"([^\W_]+)([\s'\u2019\u02bc\-\u2010\u2011]*)")


@lru_cache(maxsize=262144)
def content_stem(word: str, language: str) -> str:
    """The stem of `word` when it is a content word of `language`, else ""."""
    folded = fold(word)
    return stem(folded, language) if is_content_word(folded, language) else ""


def count_terms(text: str, language: str) -> dict[str, int]:
    """How often each term occurs in `text`: stems, and pairs of adjacent stems. O(tokens)."""
    counts: dict[str, int] = {}
    previous = ""
    previous_end = -1
    for match in _WORD_AND_JOINERS.finditer(text):
        key = content_stem(match.group(1), language)
        if not key:
            previous = ""
            continue
        counts[key] = counts.get(key, 0) + 1
        if previous and match.start() == previous_end:
            pair = f"{previous} {key}"
            counts[pair] = counts.get(pair, 0) + 1
        previous, previous_end = key, match.end()
    return counts


@lru_cache(maxsize=524288)
def term_hash(language: str, key: str) -> int:
    """A stable signed 64-bit hash of a term of `language`; odd for a pair of stems."""
    digest = hashlib.blake2b(f"{language}\x1f{key}".encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "little", signed=True)
    return value | 1 if " " in key else value & ~1


def is_pair(hashes: np.ndarray) -> np.ndarray:
    """Which of these term hashes stand for pairs of stems."""
    return (hashes & 1).astype(bool)


def encode(counts: dict[str, int], language: str) -> bytes:
    """Term counts as the bytes a paragraph stores."""
    records = np.empty(len(counts), dtype=TERM_DTYPE)
    records["hash"] = [term_hash(language, key) for key in counts]
    records["count"] = list(counts.values())
    return records.tobytes()


def paragraph_terms(text: str, language: str) -> bytes:
    """`encode(count_terms(text))`: what a paragraph stores."""
    return encode(count_terms(text, language), language)


def decode(blob: bytes | memoryview | None) -> np.ndarray:
    """A stored paragraph's terms as records of TERM_DTYPE (none for an empty blob)."""
    return np.frombuffer(bytes(blob or b""), dtype=TERM_DTYPE)


def add_up(blobs: Iterable[bytes | memoryview | None]) -> tuple[np.ndarray, np.ndarray]:
    """The terms of many paragraphs added up: (hashes sorted ascending, their counts).
    O(n log n) in numpy for n records."""
    records = [decode(blob) for blob in blobs]
    every = np.concatenate(records) if records else np.empty(0, dtype=TERM_DTYPE)
    hashes, inverse = np.unique(every["hash"], return_inverse=True)
    counts = np.bincount(inverse, weights=every["count"], minlength=len(hashes))
    return hashes, counts.astype(np.int64)
