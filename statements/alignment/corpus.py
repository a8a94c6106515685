"""Paragraphs as word ids, their stem and character n-gram counts, TF-IDF, and corpus
document frequencies (Background)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, count, repeat

import numpy as np
from scipy import sparse

from statements.text import is_content_word, match_stem, token_spans, words

CHAR_NGRAM_SIZES = (3, 4, 5)

# Prefix of character n-gram keys in Background.df; stems never contain it.
GRAM_PREFIX = "#"
# A word as the tokeniser sees it (text.py), case kept: names are told by their capital.
WORD = re.compile(r"[^\W_]+")


@dataclass
class Background:
    """Document frequencies over a reference collection of paragraphs, for IDF.

    `df` maps a stem to the number of paragraphs containing it, and a character n-gram,
    prefixed with GRAM_PREFIX ("#lou"), to the number of paragraphs containing it. Plain
    dicts and ints: picklable, so callers can cache it.
    """

    n_docs: int = 0
    df: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str], language: str = "fr") -> Background:
        """Document frequencies of the paragraphs `texts`, all in `language`.

        O(tokens + vocabulary x n-grams per word).
        """
        texts = list(texts)
        corpus = Corpus.build(texts, [language] * len(texts))
        features = Features.build(corpus)
        df: dict[str, int] = {}
        for names, counts, prefix in (
            (features.stem_names, features.stem_counts, ""),
            (features.gram_names, features.gram_counts, GRAM_PREFIX),
        ):
            frequencies = np.bincount(counts.indices, minlength=len(names))
            for name, frequency in zip(names, frequencies.tolist(), strict=True):
                if frequency:
                    df[prefix + name] = frequency
        return cls(n_docs=len(corpus.texts), df=df)

    def merged(self, other: Background) -> Background:
        """Frequencies over both collections (say, the French and the English paragraphs)."""
        df = dict(self.df)
        for key, frequency in other.df.items():
            df[key] = df.get(key, 0) + frequency
        return Background(n_docs=self.n_docs + other.n_docs, df=df)


@dataclass
class Corpus:
    """Paragraphs as word ids: the common input of vectors, shingles and quotes.

    Paragraph k's words are `flat[bounds[k]:bounds[k + 1]]`. Word id w is the folded word
    `vocabulary[w]` in `languages[w]` (the same word in two languages gets two ids, as stop
    words and stems depend on the language).
    """

    texts: list[str]
    flat: np.ndarray
    bounds: np.ndarray
    vocabulary: list[str]
    languages: list[str]
    content: np.ndarray  # per word id: a content word
    significant: np.ndarray  # per word id: a content word, or 3+ letters
    _shingles: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = field(default_factory=dict)

    @classmethod
    def build(cls, texts: Sequence[str], languages: Sequence[str]) -> Corpus:
        """O(tokens): one dict lookup per token, one fold and stop-word test per word."""
        folded = [paragraph_words(text) for text in texts]
        lengths = np.fromiter(map(len, folded), dtype=np.int64, count=len(folded))
        bounds = np.concatenate(([0], np.cumsum(lengths)))
        flat = np.zeros(int(bounds[-1]), dtype=np.int64)
        vocabulary: list[str] = []
        vocabulary_languages: list[str] = []
        for language in dict.fromkeys(languages):
            members = [k for k, lang in enumerate(languages) if lang == language]
            distinct = dict.fromkeys(chain.from_iterable(folded[k] for k in members))
            index = {word: len(vocabulary) + n for n, word in enumerate(distinct)}
            vocabulary.extend(distinct)
            vocabulary_languages.extend(repeat(language, len(distinct)))
            ids = np.fromiter(
                map(index.__getitem__, chain.from_iterable(folded[k] for k in members)),
                dtype=np.int64,
                count=int(lengths[members].sum()),
            )
            if len(members) == len(texts):
                flat = ids
            else:
                flat[np.concatenate([np.arange(bounds[k], bounds[k + 1]) for k in members])] = ids
        content = np.fromiter(
            map(is_content_word, vocabulary, vocabulary_languages),
            dtype=bool,
            count=len(vocabulary),
        )
        long_words = np.fromiter(map(len, vocabulary), dtype=np.int64, count=len(vocabulary)) >= 3
        return cls(
            texts=list(texts),
            flat=flat,
            bounds=bounds,
            vocabulary=vocabulary,
            languages=vocabulary_languages,
            content=content,
            significant=content | long_words,
        )

    def shingles(self, size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(start position, key, paragraph) of every `size`-word window inside a paragraph.

        The key is a polynomial hash of the word ids, wrapping in 64 bits; callers compare
        the words themselves before trusting a match. O(tokens), cached per size.
        """
        if size not in self._shingles:
            doc = np.repeat(np.arange(len(self.bounds) - 1), np.diff(self.bounds))
            starts = np.flatnonzero(doc[: max(len(doc) - size + 1, 0)] == doc[size - 1 :])
            keys = np.zeros(len(starts), dtype=np.uint64)
            with np.errstate(over="ignore"):
                for offset in range(size):
                    keys = keys * np.uint64(1_000_003) + self.flat[starts + offset].astype(
                        np.uint64
                    )
            self._shingles[size] = (starts, keys, doc[starts])
        return self._shingles[size]


@dataclass
class Features:
    """Stem and character n-gram counts of a corpus, as sparse paragraph x feature rows."""

    stem_names: list[str]
    stem_counts: sparse.csr_matrix
    gram_names: list[str]
    gram_counts: sparse.csr_matrix
    # Per word id of the corpus: its stem's column, -1 for a word that is not content.
    word_stem: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @classmethod
    def build(
        cls, corpus: Corpus, rows: np.ndarray | None = None, n_rows: int | None = None
    ) -> Features:
        """One row per paragraph, or per `rows` (the row of each corpus token: say, its
        sentence) when given. O(content tokens + content words x n-grams per word), mostly
        in numpy."""
        n_docs = len(corpus.texts) if n_rows is None else n_rows
        content_ids = np.flatnonzero(corpus.content)
        column_of = np.full(len(corpus.vocabulary), -1, dtype=np.int64)
        column_of[content_ids] = np.arange(len(content_ids))
        columns = column_of[corpus.flat]
        if rows is None:
            rows = np.repeat(np.arange(n_docs), np.diff(corpus.bounds))
        kept = columns >= 0
        word_counts = sparse.csr_matrix(
            (np.ones(int(kept.sum())), (rows[kept], columns[kept])),
            shape=(n_docs, len(content_ids)),
        )

        content_words = [corpus.vocabulary[w] for w in content_ids.tolist()]
        content_languages = [corpus.languages[w] for w in content_ids.tolist()]
        stems = list(map(match_stem, content_words, content_languages))
        stem_names, stem_columns = first_seen(stems)
        word_to_stem = sparse.csr_matrix(
            (np.ones(len(stems)), (np.arange(len(stems)), stem_columns)),
            shape=(len(stems), len(stem_names)),
        )

        grams_per_word = list(map(char_ngrams, content_words))
        all_grams = list(chain.from_iterable(grams_per_word))
        gram_names, gram_columns = first_seen(all_grams)
        word_to_gram = sparse.csr_matrix(
            (
                np.ones(len(all_grams)),
                gram_columns,
                np.concatenate(([0], np.cumsum([len(grams) for grams in grams_per_word]))),
            ),
            shape=(len(content_words), len(gram_names)),
        )
        word_to_gram.sum_duplicates()  # "anan" holds "an" twice
        word_stem = np.full(len(corpus.vocabulary), -1, dtype=np.int64)
        word_stem[content_ids] = stem_columns
        return cls(
            stem_names=stem_names,
            stem_counts=(word_counts @ word_to_stem).tocsr(),
            gram_names=gram_names,
            gram_counts=(word_counts @ word_to_gram).tocsr(),
            word_stem=word_stem,
        )


def first_seen(values: list[str]) -> tuple[list[str], np.ndarray]:
    """The distinct `values` in the order first seen (`dict.fromkeys`), and the number of
    each value in that order. One dict operation per value, where a dict of the distinct
    values and a lookup in it take three: each value gets the position where it was first
    seen, which numpy turns into ranks. O(values)."""
    first = np.fromiter(map({}.setdefault, values, count()), np.int64, len(values))
    is_first = first == np.arange(len(values))
    ranks = np.cumsum(is_first) - 1
    return [values[k] for k in np.flatnonzero(is_first).tolist()], ranks[first]


# Paragraphs analysed are kept by text, as words are (fold, stem, n-grams): the worker aligns
# a statement against every other of its events, and pages compare one statement with many,
# so the same paragraphs come back. Bounded: PARAGRAPH_CACHE paragraphs.
PARAGRAPH_CACHE = 16384


@lru_cache(maxsize=PARAGRAPH_CACHE)
def paragraph_words(text: str) -> tuple[str, ...]:
    """The folded words of a paragraph (`text.words`), kept for the next comparison."""
    return tuple(words(text))


@lru_cache(maxsize=PARAGRAPH_CACHE)
def paragraph_token_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) of a paragraph's words (`text.token_spans`), kept for the next one.
    Callers do not change the list."""
    return token_spans(text)


@lru_cache(maxsize=131072)
def char_ngrams(word: str) -> tuple[str, ...]:
    """char_wb n-grams of a folded word padded with one space each side."""
    padded = f" {word} "
    grams: list[str] = []
    for size in CHAR_NGRAM_SIZES:
        grams += [padded[start : start + size] for start in range(len(padded) - size + 1)]
    return tuple(grams)


def inverse_frequencies(
    counts: sparse.csr_matrix,
    names: list[str],
    prefix: str,
    n_docs: int,
    background: Background | None,
    max_df: float = float("inf"),
) -> np.ndarray:
    """Smooth IDF per feature from the paragraphs `counts` and the `background`; 0 for a
    feature with a document frequency above `max_df`."""
    df = np.bincount(counts.indices, minlength=len(names)).astype(np.float64)
    if background is not None and background.df:
        df += np.fromiter(
            (background.df.get(prefix + name, 0) for name in names), np.float64, len(names)
        )
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    idf[df > max_df] = 0.0
    return idf


def tfidf(
    counts: sparse.csr_matrix,
    names: list[str],
    prefix: str,
    n_docs: int,
    background: Background | None,
    max_df: float = float("inf"),
) -> sparse.csr_matrix:
    """Sublinear TF x smooth IDF, rows L2-normalised (empty rows stay zero).

    Features with a document frequency above `max_df` get weight 0 and are removed.
    """
    return weighted(counts, inverse_frequencies(counts, names, prefix, n_docs, background, max_df))


def weighted(counts: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear TF x `idf`, rows L2-normalised (empty rows stay zero)."""
    weights = counts.copy()
    weights.data = 1.0 + np.log(weights.data)
    weights.data *= idf[weights.indices]
    weights.eliminate_zeros()
    row_of_entry = np.repeat(np.arange(weights.shape[0]), np.diff(weights.indptr))
    norms = np.sqrt(np.bincount(row_of_entry, weights.data**2, minlength=weights.shape[0]))
    weights.data /= norms[row_of_entry]
    return weights


def feature_keys(texts: Sequence[str], languages: Sequence[str]) -> set[str]:
    """The `Background.df` keys the engine looks up when it compares these paragraphs: the
    stems of their content words and their character n-grams (GRAM_PREFIX + n-gram). A
    caller holding corpus statistics fetches just these. O(tokens + vocabulary)."""
    corpus = Corpus.build(texts, languages)
    keys: set[str] = set()
    for word_id in np.flatnonzero(corpus.content).tolist():
        word = corpus.vocabulary[word_id]
        keys.add(match_stem(word, corpus.languages[word_id]))
        keys.update(GRAM_PREFIX + gram for gram in char_ngrams(word))
    return keys
