"""Verbatim runs of words shared by two paragraphs (quotes), found by shingle hashing."""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence

import numpy as np

from statements.text import token_spans

from .corpus import Corpus
from .model import SharedQuote

# Shared quotes: runs of at least QUOTE_MIN_TOKENS words. A pair sharing a passage of
# QUOTE_LINK_MIN_TOKENS words found once in each statement is a candidate whatever its
# score (its confidence then weighs the run).
QUOTE_MIN_TOKENS = 4
QUOTE_LINK_MIN_TOKENS = 5
# Shingle matches expanded at once when looking for quotes (bounds memory, not results).
MATCH_BATCH = 1 << 20


def shared_quotes(
    left_text: str,
    right_text: str,
    *,
    min_tokens: int = QUOTE_MIN_TOKENS,
    language: str = "fr",
) -> list[SharedQuote]:
    """Verbatim runs of words common to two texts, longest first.

    Words are compared folded (case, accents), so punctuation, quote styles and spacing do
    not break a run. A run needs `min_tokens` words, among them a content word and a
    second word that is more than a particle (a content word, or 3+ letters): "de
    l'Ukraine à l'" is not a quote, "n'ont aucune légitimité et" is. Runs are maximal and
    do not overlap on either side; a run crossing a longer one is trimmed to its free
    part. Offsets point into the original texts, start of first word to end of last.

    Cost: O((L + R) log(L + R)) to hash and match the `min_tokens`-word shingles, plus the
    number of matching shingle pairs (a phrase repeated a times left, b times right: a*b).
    """
    corpus = Corpus.build([left_text, right_text], [language, language])
    runs = common_runs(corpus, 1, [(0, 0)], min_tokens)[0, 0]
    left_spans, right_spans = token_spans(left_text), token_spans(right_text)
    return [quote_between(left_text, left_spans, right_spans, a, b, n) for a, b, n in runs]


def pairs_sharing_particular_passages(
    corpus: Corpus, n_left: int
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Pairs sharing QUOTE_LINK_MIN_TOKENS-word passages that are particular to them.

    A shingle (QUOTE_MIN_TOKENS consecutive words) is particular when it occurs once in
    each statement: a formula a statement repeats ("l'invasion de l'Ukraine par la
    Russie") ties nothing together. Returns the (left, right) pairs, sorted, with enough
    particular shingles to hold such a passage, and a flag per corpus token position: a
    particular shingle starts there. O(tokens log tokens), in numpy.
    """
    size = QUOTE_MIN_TOKENS
    starts, keys, docs = corpus.shingles(size)
    particular = np.zeros(len(corpus.flat), dtype=bool)
    if not len(starts):
        return [], particular
    # Sort shingles by key, and within a key by paragraph: left occurrences come first.
    order = np.lexsort((docs, keys))
    keys, docs, starts = keys[order], docs[order], starts[order]
    group_starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    group_sizes = np.diff(np.append(group_starts, len(keys)))
    left_in_group = np.add.reduceat((docs < n_left).astype(np.int64), group_starts)
    # Particular: two occurrences, one per side; the left one is first in its group.
    first = group_starts[(group_sizes == 2) & (left_in_group == 1)]
    first = first[_same_words(corpus, starts[first], starts[first + 1], size)]
    particular[starts[first]] = True
    n_right = len(corpus.texts) - n_left
    codes, counts = np.unique(docs[first] * n_right + docs[first + 1] - n_left, return_counts=True)
    codes = codes[counts >= QUOTE_LINK_MIN_TOKENS - size + 1]
    pairs = zip((codes // n_right).tolist(), (codes % n_right).tolist(), strict=True)
    return list(pairs), particular


def holds_particular_passage(particular: np.ndarray, start: int, length: int) -> bool:
    """Whether the run of `length` words at corpus position `start` holds a passage of
    QUOTE_LINK_MIN_TOKENS words whose every shingle is particular (once per statement)."""
    needed = QUOTE_LINK_MIN_TOKENS - QUOTE_MIN_TOKENS + 1
    streak = 0
    for flag in particular[start : start + length - QUOTE_MIN_TOKENS + 1].tolist():
        streak = streak + 1 if flag else 0
        if streak >= needed:
            return True
    return False


def _same_words(corpus: Corpus, left: np.ndarray, right: np.ndarray, size: int) -> np.ndarray:
    """Whether the `size` words from each left position equal those from the right one."""
    same = np.ones(len(left), dtype=bool)
    for offset in range(size):
        same &= corpus.flat[left + offset] == corpus.flat[right + offset]
    return same


def common_runs(
    corpus: Corpus, n_left: int, pairs: Sequence[tuple[int, int]], size: int
) -> dict[tuple[int, int], tuple[tuple[int, int, int], ...]]:
    """Quotes of each (left, right) paragraph pair: (left word, right word, length) runs.

    Every `size`-word shingle of a left paragraph is matched against the right paragraphs'
    shingles by key (one sort), matches outside `pairs` are dropped, and consecutive
    matches on one diagonal (same offset between the two sides) make a maximal common run.
    Then `_choose_runs` picks, per pair, the non-overlapping quotable ones. Word indices are
    relative to each paragraph. Cost: O(S log S) for S shingles, plus the matches.
    """
    # Tuples: one per candidate pair, and the garbage collector stops tracking tuples.
    runs_of: dict[tuple[int, int], tuple[tuple[int, int, int], ...]] = dict.fromkeys(pairs, ())
    starts, keys, docs = corpus.shingles(size)
    if not pairs or not len(starts):
        return runs_of
    n_right = len(corpus.texts) - n_left
    wanted = np.unique(np.array([i * n_right + j for i, j in pairs], dtype=np.int64))
    # Only shingles of paragraphs that take part in a wanted pair.
    on_left = (docs < n_left) & np.isin(docs, wanted // n_right)
    on_right = (docs >= n_left) & np.isin(docs - n_left, wanted % n_right)
    left_starts, left_keys, left_docs = starts[on_left], keys[on_left], docs[on_left]
    order = np.argsort(keys[on_right], kind="stable")
    right_starts, right_keys = starts[on_right][order], keys[on_right][order]
    right_docs = docs[on_right][order] - n_left
    low = np.searchsorted(right_keys, left_keys, side="left")
    counts = np.searchsorted(right_keys, left_keys, side="right") - low
    # Expand the matches in slices of left shingles, so that a phrase repeated in many
    # paragraphs of both statements costs time, not memory.
    found_left, found_right, found_codes = [], [], []
    ends = np.cumsum(counts)
    begin = 0
    while begin < len(left_keys):
        done = ends[begin - 1] if begin else 0
        end = max(int(np.searchsorted(ends, done + MATCH_BATCH, side="right")), begin + 1)
        piece = counts[begin:end]
        owner = begin + np.repeat(np.arange(len(piece)), piece)
        offset = np.arange(len(owner)) - np.repeat(np.cumsum(piece) - piece, piece)
        partner = low[owner] + offset
        codes = left_docs[owner] * n_right + right_docs[partner]
        keep = np.isin(codes, wanted)
        left_at, right_at = left_starts[owner[keep]], right_starts[partner[keep]]
        exact = _same_words(corpus, left_at, right_at, size)
        found_left.append(left_at[exact])
        found_right.append(right_at[exact])
        found_codes.append(codes[keep][exact])
        begin = end
    left_at = np.concatenate(found_left)
    right_at = np.concatenate(found_right)
    codes = np.concatenate(found_codes)

    diagonal = right_at - left_at
    order = np.lexsort((left_at, diagonal, codes))
    left_at, diagonal, codes = left_at[order], diagonal[order], codes[order]
    breaks = np.ones(len(left_at), dtype=bool)
    breaks[1:] = (
        (codes[1:] != codes[:-1])
        | (diagonal[1:] != diagonal[:-1])
        | (left_at[1:] != left_at[:-1] + 1)
    )
    first = np.flatnonzero(breaks)
    lengths = np.diff(np.append(first, len(left_at))) + size - 1
    found: dict[int, list[tuple[int, int, int]]] = {}
    for code, start, shift, length in zip(
        codes[first].tolist(),
        left_at[first].tolist(),
        diagonal[first].tolist(),
        lengths.tolist(),
        strict=True,
    ):
        found.setdefault(code, []).append((start, start + shift, length))

    content = np.concatenate(([0], np.cumsum(corpus.content[corpus.flat])))
    significant = np.concatenate(([0], np.cumsum(corpus.significant[corpus.flat])))

    def quotable(start: int, length: int) -> bool:
        """A content word, and another word that is a content word or has 3+ letters."""
        end = start + length
        return content[end] > content[start] and significant[end] - significant[start] >= 2

    bounds = corpus.bounds.tolist()
    for code, runs in found.items():
        i, j = divmod(code, n_right)
        left_start, right_start = bounds[i], bounds[n_left + j]
        chosen = _choose_runs(runs, size, quotable)
        runs_of[i, j] = tuple((a - left_start, b - right_start, n) for a, b, n in chosen)
    return runs_of


def _choose_runs(
    runs: list[tuple[int, int, int]], size: int, quotable: Callable[[int, int], bool]
) -> list[tuple[int, int, int]]:
    """Non-overlapping runs, longest first (ties: leftmost), among maximal common runs.

    A run crossing a taken one (on either side) is trimmed to its longest free part and
    queued again if still `size` words long; `quotable(start, length)` vetoes a run.
    """
    if len(runs) == 1:
        return runs if quotable(runs[0][0], runs[0][2]) else []
    queue = [(-length, a, b) for a, b, length in runs]
    heapq.heapify(queue)
    left_taken: set[int] = set()
    right_taken: set[int] = set()
    chosen = []
    while queue:
        negative_length, a, b = heapq.heappop(queue)
        length = -negative_length
        free = [a + k not in left_taken and b + k not in right_taken for k in range(length)]
        if not all(free):
            start, size_free = _longest_true_run(free)
            if size_free >= size:
                heapq.heappush(queue, (-size_free, a + start, b + start))
            continue
        if not quotable(a, length):
            continue
        left_taken.update(range(a, a + length))
        right_taken.update(range(b, b + length))
        chosen.append((a, b, length))
    return chosen


def _longest_true_run(flags: list[bool]) -> tuple[int, int]:
    """(start, length) of the first longest run of True in `flags`."""
    best_start = best_size = start = 0
    for index, flag in enumerate([*flags, False]):
        if not flag:
            if index - start > best_size:
                best_start, best_size = start, index - start
            start = index + 1
    return best_start, best_size


def quote_between(
    left_text: str,
    left_spans: list[tuple[int, int]],
    right_spans: list[tuple[int, int]],
    left_index: int,
    right_index: int,
    length: int,
) -> SharedQuote:
    left_start, left_end = left_spans[left_index][0], left_spans[left_index + length - 1][1]
    return SharedQuote(
        text=left_text[left_start:left_end],
        left_start=left_start,
        left_end=left_end,
        right_start=right_spans[right_index][0],
        right_end=right_spans[right_index + length - 1][1],
    )
