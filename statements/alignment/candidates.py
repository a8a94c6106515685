"""Candidate paragraph pairs, their sentence-level evidence and calibrated confidence.

Candidates: every pair scoring CANDIDATE_FLOOR or more when the comparison is small
(ALL_PAIRS_CELLS), else each paragraph's `top_k` best partners by paragraph score, in
both directions; plus the pairs that share a verbatim passage particular to them or a
traced quotation. Only candidates get sentence-level scores, so the cost stays linear in
the paragraphs.

Confidence: a logistic model of what a careful reader accepts, over features any pair
has (paragraph score, best and second-best sentence pair, verbatim run, quotation, how the
pair stands against the other candidates of its row and column, across languages or
not). Its weights (WEIGHTS) are fitted on the whole development set at once
(`evaluation.calibrate`, `manage.py evaluate_alignment --calibrate`), never per text; a
link's confidence is then the estimated chance that it is right.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from statements.text import stem

from .corpus import Background, Corpus
from .lexicon import Lexicon
from .model import ParagraphText
from .quotes import (
    QUOTE_MIN_TOKENS,
    common_runs,
    holds_particular_passage,
    pairs_sharing_particular_passages,
)
from .scoring import Scores, combined_scores
from .sentences import Sentences, row_dots, sentence_pairs

CANDIDATES_PER_PARAGRAPH = 4
CANDIDATE_FLOOR = 0.03
ALL_PAIRS_CELLS = 10_000
RANK_PEERS = 3
SHORT_SENTENCE = 4
# A verbatim run counts up to this many words.
RUN_CAP = 12
# Evidence: the best sentence pairs, at most EVIDENCE_PAIRS, scoring at least EVIDENCE_SHARE
# of the best one.
EVIDENCE_PAIRS = 3
EVIDENCE_SHARE = 0.6

FEATURES = (
    "paragraph",
    "best_sentence",
    "second_sentence",
    "verbatim_run",  # its length (up to RUN_CAP) times how telling its words are
    "quotation",
    "lower_share_of_best",  # of the shares of its row's and its column's best: symmetric,
    "higher_share_of_best",  # so that swapping the sides mirrors the links
    "mutual_best",
    "cross_language",
    "cross_language_paragraph",
    "shared_concept",
    "names_only",  # across languages without paragraph vectors: names and numbers only
)
# Fitted by `evaluation.calibrate` on tests/data/alignment (all pairs at once, L2 penalty
# `evaluation.PENALTY`; cross-language pairs with and without paragraph vectors); the last
# weight is the intercept, lowered by CAUTION after the fit so that links at confidence >=
# 0.5 are right at least 90% of the time on the set (the fit alone gave 89.5%, with CAUTION
# 91.2%): one number for every pair, never one per text. The paragraph score's weight comes
# out below zero: beside the best sentence pair, which carries what it says, it adds
# nothing (across languages its own feature, cross_language_paragraph, counts).
CAUTION = 0.3
WEIGHTS = np.array(
    [-1.070, 12.497, 3.527, 4.742, 1.447, 1.115, 1.736, 1.459, 0.239, 4.560, 0.530, -0.069]
    + [-4.875 - CAUTION],
)


@dataclass
class Candidates:
    corpus: Corpus
    scores: Scores
    sentences: Sentences
    left: np.ndarray  # kept left index per candidate
    right: np.ndarray
    features: np.ndarray  # candidates x FEATURES
    best: np.ndarray
    run_words: np.ndarray
    quoted: np.ndarray
    runs: dict[tuple[int, int], tuple[tuple[int, int, int], ...]]
    # sentence pairs per candidate, grouped: candidate c's are [group[c], group[c + 1])
    group: np.ndarray = field(default_factory=lambda: np.zeros(1, dtype=np.int64))
    pair_left: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pair_right: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    pair_scores: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))
    # the sentence pairs ranked: by candidate, then best first (ties in pair order)
    pair_order: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def confidence(self, weights: np.ndarray | None = None) -> np.ndarray:
        """The calibrated chance that each candidate is right (WEIGHTS unless given)."""
        weights = WEIGHTS if weights is None else weights
        if not len(self.features):
            return np.zeros(0)
        z = self.features @ weights[:-1] + weights[-1]
        return 1.0 / (1.0 + np.exp(-z))

    def sentence_spans(self, paragraph: int) -> list[tuple[int, int]]:
        """Every sentence of corpus paragraph `paragraph`, [start, end) in its text."""
        first, stop = self.sentences.first[paragraph : paragraph + 2].tolist()
        return list(map(tuple, self.sentences.spans[first:stop].tolist()))

    def evidence(
        self, chosen: Sequence[int], most: int = EVIDENCE_PAIRS, share: float = EVIDENCE_SHARE
    ) -> list[list[tuple[tuple[int, int], tuple[int, int], float]]]:
        """Each candidate `chosen`'s best sentence pairs: (left span, right span, score),
        best first: at most `most`, each scoring at least `share` of the best. The arrays
        are read once for all of them (a link's evidence is a few sentence pairs: per link,
        numpy would cost more than the work)."""
        chosen = np.asarray(chosen, dtype=np.int64)
        starts, stops = self.group[chosen], self.group[chosen + 1]
        sizes = np.minimum(stops - starts, most)
        # The first `sizes[n]` ranked pairs of each chosen candidate, one after the other.
        within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        ranked = self.pair_order[np.repeat(starts, sizes) + within]
        scores = self.pair_scores[ranked].tolist()
        left_spans = list(map(tuple, self.sentences.spans[self.pair_left[ranked]].tolist()))
        right_spans = list(map(tuple, self.sentences.spans[self.pair_right[ranked]].tolist()))
        found = []
        first = 0
        for size in sizes.tolist():
            pairs: list[tuple[tuple[int, int], tuple[int, int], float]] = []
            for k in range(first, first + size):
                if pairs and scores[k] < share * scores[first]:
                    break
                pairs.append((left_spans[k], right_spans[k], scores[k]))
            found.append(pairs)
            first += size
        return found


def content_tokens(corpus: Corpus) -> np.ndarray:
    """1.0 for each corpus token that is a content word, else 0.0."""
    return corpus.content[corpus.flat].astype(np.float64)


def _shared_concepts(
    corpus: Corpus,
    n_left: int,
    pairs: list[tuple[int, int]],
    lexicon: Lexicon | None,
) -> np.ndarray:
    """Per pair, whether both paragraphs name one concept of the framing lexicon (each in
    its own terms, or the same): the same subject, said in loaded words."""
    shared = np.zeros(len(pairs))
    if lexicon is None or not lexicon.size:
        return shared
    concepts: dict[int, set[str]] = {}

    def concepts_of(index: int) -> set[str]:
        if index not in concepts:
            ids = corpus.flat[corpus.bounds[index] : corpus.bounds[index + 1]].tolist()
            stems = [stem(corpus.vocabulary[w], corpus.languages[w]) for w in ids]
            language = corpus.languages[ids[0]] if ids else "fr"
            concepts[index] = {
                found.term.concept for found in lexicon.find(stems, language) if found.term.concept
            }
        return concepts[index]

    for c, (i, j) in enumerate(pairs):
        shared[c] = bool(concepts_of(i) & concepts_of(n_left + j))
    return shared


def _pairs(scores: np.ndarray, top_k: int) -> tuple[np.ndarray, np.ndarray]:
    n, m = scores.shape
    if n * m <= ALL_PAIRS_CELLS:
        return np.nonzero(scores >= CANDIDATE_FLOOR)
    codes = np.unique(
        np.concatenate(
            [
                np.arange(n) * m + _best_columns(scores, top_k),
                _best_columns(scores.T, top_k) * m + np.arange(m),
            ],
            axis=None,
        )
    )
    i, j = codes // m, codes % m
    kept = scores[i, j] >= CANDIDATE_FLOOR
    return i[kept], j[kept]


def _best_columns(scores: np.ndarray, top_k: int) -> np.ndarray:
    """Each row's `top_k` best columns (ties to the first), as a k x rows array: the best
    of each row, taken out, k times. k passes of argmax over a copy cost a few
    milliseconds where a partition of every row cost tens."""
    work = np.array(scores, order="C")  # a copy, rows contiguous (also for a transpose)
    rows = np.arange(len(work))
    best = np.empty((min(top_k, work.shape[1]), len(work)), dtype=np.int64)
    for rank in range(len(best)):
        best[rank] = work.argmax(axis=1)
        work[rows, best[rank]] = -np.inf
    return best


def candidates(
    left: Sequence[ParagraphText],
    right: Sequence[ParagraphText],
    *,
    background: Background | None,
    top_k: int = CANDIDATES_PER_PARAGRAPH,
    left_vectors: np.ndarray | None = None,
    right_vectors: np.ndarray | None = None,
    quoted_pairs: Iterable[tuple[int, int]] = (),
    lexicon: Lexicon | None = None,
) -> Candidates:
    """Candidates of two kept paragraph lists (indices into them), with their features."""
    n_left = len(left)
    paragraphs = (*left, *right)
    languages = [p.language for p in paragraphs]
    corpus = Corpus.build([p.text for p in paragraphs], languages)
    sentences = Sentences.build(corpus, languages)
    scores = combined_scores(
        corpus, n_left, background, languages, left_vectors, right_vectors, sentences
    )
    matrix = scores.scores
    i, j = _pairs(matrix, top_k)
    codes = set((i * max(matrix.shape[1], 1) + j).tolist())
    by_quote, particular = pairs_sharing_particular_passages(corpus, n_left)
    quoted_pairs = set(quoted_pairs)
    extra = [(a, b) for a, b in (*by_quote, *quoted_pairs) if a * matrix.shape[1] + b not in codes]
    if extra:
        i = np.concatenate([i, np.array([a for a, _ in extra], dtype=np.int64)])
        j = np.concatenate([j, np.array([b for _, b in extra], dtype=np.int64)])
        order = np.lexsort((j, i))
        i, j = i[order], j[order]
    i, j = i.astype(np.int64), j.astype(np.int64)
    n = len(i)
    empty = Candidates(
        corpus,
        scores,
        sentences,
        i,
        j,
        np.zeros((0, len(FEATURES))),
        np.zeros(0),
        np.zeros(0, dtype=np.int64),
        np.zeros(0, dtype=bool),
        {},
    )
    if not n or scores.sentence_vectors is None:
        return empty

    pair, a, b = sentence_pairs(sentences, i, n_left + j)
    dots = np.clip(row_dots(scores.sentence_vectors, a, b), 0.0, 1.0)
    # A sentence of a word or two matches anything that shares them: a sentence pair counts
    # in full from SHORT_SENTENCE content words in its shorter sentence.
    words = np.bincount(
        sentences.token_rows, weights=content_tokens(corpus), minlength=sentences.count
    )
    dots *= np.minimum(np.minimum(words[a], words[b]) / SHORT_SENTENCE, 1.0).astype(np.float32)
    sizes = np.bincount(pair, minlength=n)
    group = np.concatenate(([0], np.cumsum(sizes)))
    best = np.maximum.reduceat(dots, group[:-1]) if len(dots) else np.zeros(n)
    # Second best: the best once the best is taken out of each group. The ranking (stable:
    # ties keep their order) also gives each candidate's evidence.
    order = np.lexsort((-dots, pair))
    ranked = dots[order]
    second = np.zeros(n, dtype=np.float32)
    has_two = sizes >= 2
    second[has_two] = ranked[group[:-1][has_two] + 1]

    pairs = list(zip(i.tolist(), j.tolist(), strict=True))
    runs = common_runs(corpus, n_left, pairs, QUOTE_MIN_TOKENS)
    run_words = np.zeros(n, dtype=np.int64)
    # A run weighs by how telling its words are: "le secrétaire général de l'OTAN" is a
    # formula of the corpus, "n'ont aucune légitimité" is not.
    run_weight = np.zeros(n)
    weights = scores.word_weight
    for c, (x, y) in enumerate(pairs):
        for start, _, length in runs[x, y]:
            at = corpus.bounds[x] + start
            if length <= run_words[c] or not holds_particular_passage(particular, at, length):
                continue
            run_words[c] = length
            telling = weights[corpus.flat[at : at + length]] if len(weights) else np.zeros(0)
            telling = telling[telling > 0]
            run_weight[c] = float(telling.mean()) if len(telling) else 0.0
    quoted = np.fromiter(
        ((x, y) in quoted_pairs for x, y in zip(i.tolist(), j.tolist(), strict=True)), bool, n
    )

    paragraph = matrix[i, j].astype(np.float64)
    strength = np.maximum(paragraph, best)
    row_best = np.zeros(matrix.shape[0])
    np.maximum.at(row_best, i, strength)
    column_best = np.zeros(matrix.shape[1])
    np.maximum.at(column_best, j, strength)
    # Standing out means little among one or two candidates (a tiny comparison): the
    # shares count in full from RANK_PEERS candidates in the row (column) on.
    row_count = np.bincount(i, minlength=matrix.shape[0])[i]
    column_count = np.bincount(j, minlength=matrix.shape[1])[j]
    share_row = strength / np.maximum(row_best[i], 1e-9) * np.minimum(row_count / RANK_PEERS, 1)
    share_column = (
        strength / np.maximum(column_best[j], 1e-9) * np.minimum(column_count / RANK_PEERS, 1)
    )
    cross = scores.cross[i, j].astype(np.float64) if scores.cross is not None else np.zeros(n)
    features = np.column_stack(
        [
            paragraph,
            best,
            second,
            np.minimum(run_words, RUN_CAP) / RUN_CAP * run_weight,
            quoted.astype(np.float64),
            np.minimum(share_row, share_column),
            np.maximum(share_row, share_column),
            ((strength >= row_best[i]) & (strength >= column_best[j])).astype(np.float64)
            * np.minimum(np.minimum(row_count, column_count) / RANK_PEERS, 1),
            cross,
            cross * paragraph,
            _shared_concepts(corpus, n_left, pairs, lexicon),
            cross * (scores.cosine is None or np.isnan(scores.cosine[i, j])),
        ]
    )
    return Candidates(
        corpus,
        scores,
        sentences,
        i,
        j,
        features,
        best,
        run_words,
        quoted,
        runs,
        group,
        a,
        b,
        dots,
        order,
    )
