"""Paragraphs cut into sentences: which sentence each corpus token belongs to, and the
scores of the sentence pairs of candidate paragraph pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from statements.text import sentence_spans, token_spans

from .corpus import Corpus

# Sentence pairs scored at once (bounds the memory of the row-wise products).
PAIR_BATCH = 1 << 16


@dataclass
class Sentences:
    """The sentences of a corpus' paragraphs.

    Paragraph k's sentences are rows `first[k]:first[k + 1]`; `spans[s]` is sentence s's
    [start, end) in its paragraph's text; `token_rows[t]` the sentence of corpus token t.
    """

    first: np.ndarray
    spans: np.ndarray  # n_sentences x 2
    token_rows: np.ndarray

    @property
    def count(self) -> int:
        return len(self.spans)

    @classmethod
    def build(cls, corpus: Corpus, languages: Sequence[str]) -> Sentences:
        """O(characters): the splitter and the tokeniser once per paragraph, one sort."""
        all_spans: list[tuple[int, int]] = []
        counts = []
        token_starts = []
        offsets = []
        at = 0
        for text, language in zip(corpus.texts, languages, strict=True):
            spans = sentence_spans(text, language) or [(0, len(text))]
            counts.append(len(spans))
            all_spans.extend(spans)
            token_starts.append([start for start, _ in token_spans(text)])
            offsets.append(at)
            at += len(text) + 1
        first = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        spans_array = np.array(all_spans, dtype=np.int64).reshape(-1, 2)
        paragraph_of_sentence = np.repeat(np.arange(len(counts)), counts)
        global_starts = (
            spans_array[:, 0] + np.asarray(offsets, dtype=np.int64)[paragraph_of_sentence]
        )
        lengths = [len(starts) for starts in token_starts]
        tokens = np.fromiter(
            (s for starts in token_starts for s in starts), np.int64, sum(lengths)
        ) + np.repeat(np.asarray(offsets, dtype=np.int64), lengths)
        rows = np.searchsorted(global_starts, tokens, side="right") - 1
        # A token before the first sentence's start (leading punctuation) joins it.
        paragraph_of_token = np.repeat(np.arange(len(counts)), lengths)
        rows = np.clip(rows, first[paragraph_of_token], first[paragraph_of_token + 1] - 1)
        return cls(first=first, spans=spans_array, token_rows=rows)

    def paragraph_matrix(self) -> sparse.csr_matrix:
        """Paragraphs x sentences, 1 where the sentence is in the paragraph."""
        n_paragraphs = len(self.first) - 1
        counts = np.diff(self.first)
        return (
            sparse.csr_matrix(
                (np.ones(self.count), np.arange(self.count), self.first),
                shape=(n_paragraphs, self.count),
            )
            if len(counts)
            else sparse.csr_matrix((0, self.count))
        )


def sentence_pairs(
    sentences: Sentences, left: np.ndarray, right: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every (left sentence, right sentence) of the paragraph pairs (left[c], right[c]) of
    corpus indices: (pair c, left sentence, right sentence) arrays, grouped by c."""
    left_count = np.diff(sentences.first)[left]
    right_count = np.diff(sentences.first)[right]
    sizes = left_count * right_count
    pair = np.repeat(np.arange(len(left)), sizes)
    within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    a = sentences.first[left][pair] + within // right_count[pair]
    b = sentences.first[right][pair] + within % right_count[pair]
    return pair, a, b


def row_dots(vectors: sparse.csr_matrix, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The dot products of rows a[k] and b[k] of `vectors`, in batches."""
    out = np.zeros(len(a), dtype=np.float32)
    for start in range(0, len(a), PAIR_BATCH):
        stop = start + PAIR_BATCH
        product = vectors[a[start:stop]].multiply(vectors[b[start:stop]])
        out[start:stop] = np.asarray(product.sum(axis=1)).ravel()
    return out
