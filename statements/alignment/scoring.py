"""Scores of every left paragraph against every right one: TF-IDF cosines, names and
numbers across languages, and paragraph vectors when given."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from scipy import sparse

from statements.text import STOP_WORDS, fold

from .corpus import (
    GRAM_PREFIX,
    WORD,
    Background,
    Corpus,
    Features,
    char_ngrams,
    inverse_frequencies,
    tfidf,
    weighted,
)
from .sentences import Sentences

# Share of the score that comes from stems; the rest comes from character n-grams.
WORD_WEIGHT = 0.6
# Stems and character n-grams in more than these shares of all paragraphs (and in more than
# MIN_DF_CAP of them, so that small comparisons keep everything) are dropped, like
# sklearn's max_df: they carry little information and each costs O(n x m) in the product.
# N-grams are cut lower: a common suffix ("tion ") says nothing about the subject.
MAX_STEM_DF_SHARE = 0.5
MAX_GRAM_DF_SHARE = 0.05
MIN_DF_CAP = 50

# Across languages, the share of the lexical score that comes from names and numbers.
NAMES_WEIGHT = 0.5
# Machine similarity (cosine of paragraph vectors): at or below the floor a pair counts as
# unrelated. Tuned on the multilingual Universal Sentence Encoder v3 with the seed texts
# and tests/data/crosslang: across languages, paragraphs on the same subject that say
# different things score 0.2-0.55 and translations 0.7-0.9, but a short coverage paragraph
# that reframes one claim of a long one scores 0.35-0.5 and is still its best partner:
# the floor lets such pairs score (and be candidates), and the confidence model's ranking
# features (best of its row and column) tell them from mere neighbours; the score shown
# across languages is higher by as much. Within one language,
# paragraphs on the same subject reach 0.7, hence a higher floor there.
EMBEDDING_FLOOR = 0.3
SAME_LANGUAGE_EMBEDDING_FLOOR = 0.6
CROSS_LANGUAGE_EMBEDDING_WEIGHT = 0.8
# Within one language, vectors only lift a pair (by this share of what the machine
# similarity has over the word score): words stay the evidence there.
SAME_LANGUAGE_EMBEDDING_WEIGHT = 0.2


def lexical_scores(
    corpus: Corpus,
    n_left: int,
    background: Background | None,
    sentences: Sentences | None = None,
) -> tuple[np.ndarray, sparse.csr_matrix | None, np.ndarray]:
    """Dense n_left x n_right scores between the corpus' first n_left paragraphs and the
    rest; with `sentences`, also the TF-IDF vectors of every sentence (same features and
    IDF as the paragraphs: a stem frequent in the corpus weighs little in a sentence too)."""
    n_right = len(corpus.texts) - n_left
    if not n_left or not n_right:
        return np.zeros((n_left, n_right), dtype=np.float32), None, np.zeros(0)
    if sentences is None:
        features = Features.build(corpus)
        stem_counts, gram_counts = features.stem_counts, features.gram_counts
    else:
        features = Features.build(corpus, sentences.token_rows, sentences.count)
        to_paragraphs = sentences.paragraph_matrix()
        stem_counts = (to_paragraphs @ features.stem_counts).tocsr()
        gram_counts = (to_paragraphs @ features.gram_counts).tocsr()
    n_docs = len(corpus.texts)
    if background is not None:
        n_docs += background.n_docs
    stem_idf = inverse_frequencies(
        stem_counts,
        features.stem_names,
        "",
        n_docs,
        background,
        max(MAX_STEM_DF_SHARE * n_docs, MIN_DF_CAP),
    )
    gram_idf = inverse_frequencies(
        gram_counts,
        features.gram_names,
        GRAM_PREFIX,
        n_docs,
        background,
        max(MAX_GRAM_DF_SHARE * n_docs, MIN_DF_CAP),
    )

    def stacked(stems: sparse.csr_matrix, grams: sparse.csr_matrix) -> sparse.csr_matrix:
        # float32 halves the memory of the n x m product; scores are rounded to 4 decimals.
        return sparse.hstack(
            [
                np.sqrt(WORD_WEIGHT) * weighted(stems, stem_idf),
                np.sqrt(1.0 - WORD_WEIGHT) * weighted(grams, gram_idf),
            ],
            format="csr",
            dtype=np.float32,
        )

    vectors = stacked(stem_counts, gram_counts)
    scores = (vectors[:n_left] @ vectors[n_left:].T).toarray()
    sentence_vectors = None
    if sentences is not None:
        sentence_vectors = stacked(features.stem_counts, features.gram_counts)
    # How telling each word is (its stem's IDF over the most a stem can have; 0 for grammar
    # words and stems too common to count): a phrase made of common words is a formula.
    top = np.log(1.0 + n_docs) + 1.0
    word_weight = np.zeros(len(features.word_stem))
    content = features.word_stem >= 0
    word_weight[content] = stem_idf[features.word_stem[content]] / top
    # Rounding can push a self-match a hair above 1.
    return np.clip(scores, 0.0, 1.0, out=scores), sentence_vectors, word_weight


@dataclass
class Scores:
    """The engine's n_left x n_right scores, and for each pair what they rest on."""

    scores: np.ndarray  # in [0, 1]
    sentence_vectors: sparse.csr_matrix | None  # TF-IDF rows of every sentence, if asked
    cross: np.ndarray | None  # the two paragraphs' languages differ; None: same everywhere
    cosine: np.ndarray | None  # cosine of the paragraph vectors, NaN where one has none
    # per corpus word id: how telling it is, 0..1 (its stem's IDF share; 0 for grammar)
    word_weight: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def basis(self, i: int, j: int) -> str:
        if self.cross is None or not self.cross[i, j]:
            return "words"
        if self.cosine is None or np.isnan(self.cosine[i, j]):
            return "names"
        return "embedding"


def combined_scores(
    corpus: Corpus,
    n_left: int,
    background: Background | None,
    languages: Sequence[str],
    left_vectors: np.ndarray | None,
    right_vectors: np.ndarray | None,
    sentences: Sentences | None = None,
) -> Scores:
    """Lexical scores; across languages, mixed with names and numbers; then with the vectors'
    cosine where both paragraphs have one (see the module docstring for the weights).

    O(n x m) numpy work on top of `lexical_scores`, one more sparse product when languages
    differ, and an n x m x d product for d-dimensional vectors.
    """
    scores, sentence_vectors, word_weight = lexical_scores(corpus, n_left, background, sentences)
    codes = {language: code for code, language in enumerate(dict.fromkeys(languages))}
    language_codes = np.fromiter(map(codes.__getitem__, languages), np.int64, len(languages))
    cross: np.ndarray | None = None
    if len(codes) > 1:  # else no pair crosses languages: no n x m mask to build
        cross = language_codes[:n_left, None] != language_codes[None, n_left:]
    if cross is not None and cross.any():
        names = _names_similarity(corpus.texts, languages, n_left)
        scores = np.where(cross, NAMES_WEIGHT * names + (1.0 - NAMES_WEIGHT) * scores, scores)
    else:
        cross = None
    cosine = None
    if left_vectors is not None and right_vectors is not None and scores.size:
        cosine = _cosines(left_vectors, right_vectors)
        known = ~np.isnan(cosine)
        floor = np.full(scores.shape, SAME_LANGUAGE_EMBEDDING_FLOOR, dtype=np.float32)
        weight = np.full(scores.shape, SAME_LANGUAGE_EMBEDDING_WEIGHT, dtype=np.float32)
        if cross is not None:
            floor[cross] = EMBEDDING_FLOOR
            weight[cross] = CROSS_LANGUAGE_EMBEDDING_WEIGHT
        weight[~known] = 0.0
        machine = np.clip((np.nan_to_num(cosine) - floor) / (1.0 - floor), 0.0, 1.0)
        if cross is None:
            machine = np.maximum(machine, scores)
        else:
            machine = np.where(cross, machine, np.maximum(machine, scores))
        scores = (1.0 - weight) * scores + weight * machine
    if cross is not None or cosine is not None:  # else the lexical scores, in [0, 1] already
        scores = np.clip(scores, 0.0, 1.0).astype(np.float32, copy=False)
    return Scores(scores, sentence_vectors, cross, cosine, word_weight)


def _cosines(left_vectors: np.ndarray, right_vectors: np.ndarray) -> np.ndarray:
    """Cosines of every left row with every right row; NaN for a row of zeros or NaN."""
    units = []
    for vectors in (left_vectors, right_vectors):
        vectors = np.asarray(vectors, dtype=np.float32)
        vectors = vectors.reshape(len(vectors), -1)
        norms = np.linalg.norm(vectors, axis=1)
        present = np.isfinite(norms) & (norms > 0)
        unit = np.zeros_like(vectors)
        unit[present] = vectors[present] / norms[present, None]
        units.append((unit, present))
    (left_unit, left_present), (right_unit, right_present) = units
    cosine = np.clip(left_unit @ right_unit.T, -1.0, 1.0)
    cosine[~(left_present[:, None] & right_present[None, :])] = np.nan
    return cosine


def _names_and_numbers(text: str, language: str) -> list[str]:
    """What languages share in `text`: character n-grams of its capitalised words and
    acronyms (folded, stop words aside: "Les" at a sentence start is no name), and its
    numbers of 2+ characters as they stand ("=2022")."""
    stop_words = STOP_WORDS.get(language, STOP_WORDS["fr"])
    features: list[str] = []
    for word in WORD.findall(text):
        first = word[0]
        if first.isdigit():
            if len(word) >= 2:
                features.append("=" + word)
        elif first.isupper() and len(word) > 1:
            folded = fold(word)
            if folded not in stop_words:
                features.extend(char_ngrams(folded))
    return features


def _names_similarity(texts: Sequence[str], languages: Sequence[str], n_left: int) -> np.ndarray:
    """Cosine of TF-IDF vectors of names and numbers (IDF over the compared paragraphs)."""
    features = list(map(_names_and_numbers, texts, languages))
    index: dict[str, int] = {}
    columns = [index.setdefault(name, len(index)) for name in chain.from_iterable(features)]
    counts = sparse.csr_matrix(
        (
            np.ones(len(columns)),
            np.array(columns, dtype=np.int64),
            np.concatenate(([0], np.cumsum([len(names) for names in features]))),
        ),
        shape=(len(texts), len(index)),
    )
    counts.sum_duplicates()
    n_docs = len(texts)
    weights = tfidf(
        counts, list(index), "", n_docs, None, max(MAX_GRAM_DF_SHARE * n_docs, MIN_DF_CAP)
    )
    return (weights[:n_left] @ weights[n_left:].T).toarray().astype(np.float32)
