"""Paragraphs cut into sentences: which sentence each corpus token belongs to, and the
scores of the sentence pairs of candidate paragraph pairs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import sparse

from statements.text import WORD_PATTERN, sentence_spans, token_spans

from .corpus import PARAGRAPH_CACHE, Corpus

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
        """O(characters): the splitter once per paragraph, and the tokeniser once more per
        sentence (sentences hold every word of their paragraph once, and a cut never falls
        inside a word, so counting each sentence's words places every corpus token)."""
        all_spans: list[tuple[int, int]] = []
        counts = []
        words_per_sentence = []
        for text, language in zip(corpus.texts, languages, strict=True):
            spans, counted = paragraph_sentences(text, language)
            counts.append(len(spans))
            all_spans.extend(spans)
            words_per_sentence.extend(counted)
        first = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        spans_array = np.array(all_spans, dtype=np.int64).reshape(-1, 2)
        rows = np.repeat(np.arange(len(all_spans)), words_per_sentence)
        if len(rows) != len(corpus.flat):  # a splitter that dropped words: place by offsets
            return cls._by_offsets(corpus, first, spans_array)
        return cls(first=first, spans=spans_array, token_rows=rows)

    @classmethod
    def _by_offsets(cls, corpus: Corpus, first: np.ndarray, spans: np.ndarray) -> Sentences:
        rows = []
        for k, text in enumerate(corpus.texts):
            starts = np.array([start for start, _ in token_spans(text)], dtype=np.int64)
            own = spans[first[k] : first[k + 1], 0]
            found = np.searchsorted(own, starts, side="right") - 1
            rows.append(first[k] + np.clip(found, 0, len(own) - 1))
        token_rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
        return cls(first=first, spans=spans, token_rows=token_rows)

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


@lru_cache(maxsize=PARAGRAPH_CACHE)
def paragraph_sentences(
    text: str, language: str
) -> tuple[tuple[tuple[int, int], ...], tuple[int, ...]]:
    """A paragraph's sentence spans and the number of words in each, kept by text (see
    corpus.PARAGRAPH_CACHE)."""
    spans = tuple(sentence_spans(text, language)) or ((0, len(text)),)
    return spans, tuple(len(WORD_PATTERN.findall(text, start, end)) for start, end in spans)


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
