"""Which paragraph of one statement restates or quotes which paragraph of another.

Pure: paragraphs in, an `Alignment` out; no Django. Not an order-preserving aligner: the
texts compared here reorder, merge and drop content, so every left paragraph is scored
against every right paragraph and a many-to-many selection keeps the pairs that stand out.

Score: the cosine of TF-IDF vectors made of two blocks, each L2-normalised,

* stems of content words (what ``text.content_terms`` gives), which catch restatement;
* character 3-5-grams of accent-folded content words padded with spaces (sklearn's
  ``char_wb``), which catch transliterations: Louhansk / Lougansk, Zaporizhia / Zaporozhye.

The blocks are stacked with weights ``sqrt(WORD_WEIGHT)`` and ``sqrt(1 - WORD_WEIGHT)``, so
a score is ``WORD_WEIGHT * cos(stems) + (1 - WORD_WEIGHT) * cos(n-grams)`` and stays in
[0, 1]. All pairs come from one sparse matrix product.

Selection, per pair of paragraphs (i, j):

* score >= threshold, and either i and j are each other's best partner, or j is in i's
  top k, i in j's top k, and the score stands out in both the row and the column;
* or score >= QUOTE_LINK_FLOOR and the two paragraphs share a quote holding a passage of
  QUOTE_LINK_MIN_TOKENS words that occurs once in each statement (a formula a statement
  repeats, "l'invasion de l'Ukraine par la Russie", ties nothing together). A long
  paragraph making five claims has a low cosine with a short one that repeats one of them
  word for word ("les référendums ... n'ont aucune légitimité"); the shared wording is the
  evidence a reader goes by. Such pairs are found by hashing every 4-word shingle of both
  statements at once and sorting the hashes: O(S log S) for S shingles.

Speed: words are counted once per distinct word, not per occurrence. Paragraphs become a
sparse paragraph x word matrix; small word x stem and word x n-gram matrices turn it into
stem and n-gram counts by sparse products. Stems and n-grams found in a large share of all
paragraphs (MAX_STEM_DF_SHARE, MAX_GRAM_DF_SHARE) are dropped: they tell paragraphs apart
poorly (low IDF), and each costs O(n x m) in the product.

Across languages (the two paragraphs' `language` differ), shared words say little: "OTAN"
is not "NATO". Two more signals then carry the score, in the same matrix and through the
same selection:

* names and numbers: character n-grams of capitalised words and acronyms, and numbers as
  they stand ("Stoltenberg", "2022", "Zaporizhzhia" / "Zaporijjia"), which languages
  share; mixed half and half with the lexical score (NAMES_WEIGHT), whose n-grams also
  catch cognates ("nucléaire" / "nuclear");
* machine similarity, when the caller gives paragraph vectors (rows of `left_vectors`,
  `right_vectors`; multilingual sentence embeddings): their cosine, rescaled so that
  EMBEDDING_FLOOR (unrelated paragraphs on the same subject) maps to 0, takes
  CROSS_LANGUAGE_EMBEDDING_WEIGHT of the score across languages. Within one language it
  only lifts a pair, by SAME_LANGUAGE_EMBEDDING_WEIGHT of what it has over the word score
  (from a higher floor): a word score is never lowered. A cross-language pair whose
  cosine reaches TRANSLATION_MIN_COSINE is a translation (relation "translates").

Each link says what it rests on (`basis`): "words", "names" (across languages, no vectors)
or "embedding" (across languages, from the vectors). The vectors are computed elsewhere;
this module stays numpy only.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain, repeat
from typing import Any

import numpy as np
from scipy import sparse

from statements.text import STOP_WORDS, fold, is_content_word, stem, token_spans, words

# "+emb": scores also take paragraph vectors when given, and cross-language pairs are scored
# on names, numbers and vectors.
ENGINE_VERSION = "lex-2+emb"

# Below this cosine no restatement is suggested; tuned by reading every seed-pair link.
DEFAULT_THRESHOLD = 0.18
# Paragraph kinds compared unless include_non_body is set: the rest is titles, datelines,
# captions and site boilerplate, which repeat across texts without saying anything.
ALIGNED_KINDS = frozenset({"body", "quote"})
# Share of the score that comes from stems; the rest comes from character n-grams.
WORD_WEIGHT = 0.6
CHAR_NGRAM_SIZES = (3, 4, 5)
# Stems and character n-grams in more than these shares of all paragraphs (and in more than
# MIN_DF_CAP of them, so that small comparisons keep everything) are dropped, like
# sklearn's max_df: they carry little information and each costs O(n x m) in the product.
# N-grams are cut lower: a common suffix ("tion ") says nothing about the subject.
MAX_STEM_DF_SHARE = 0.5
MAX_GRAM_DF_SHARE = 0.05
MIN_DF_CAP = 50
# A pair that is not mutual-best must stand out in its row and in its column: at least
# MARGIN_STD standard deviations above the mean score, and at least MARGIN_RATIO of the best.
MARGIN_STD = 1.0
MARGIN_RATIO = 0.6
# Shared quotes: runs of at least QUOTE_MIN_TOKENS words. A pair below the threshold is
# still linked when its score reaches QUOTE_LINK_FLOOR and a quote holds a passage of
# QUOTE_LINK_MIN_TOKENS words found once in each statement.
QUOTE_MIN_TOKENS = 4
QUOTE_LINK_MIN_TOKENS = 5
QUOTE_LINK_FLOOR = 0.05
# Shingle matches expanded at once when looking for quotes (bounds memory, not results).
MATCH_BATCH = 1 << 20
# Prefix of character n-gram keys in Background.df; stems never contain it.
GRAM_PREFIX = "#"
# A word as the tokeniser sees it (text.py), case kept: names are told by their capital.
_WORD = re.compile(r"[^\W_]+")
# Across languages, the share of the lexical score that comes from names and numbers.
NAMES_WEIGHT = 0.5
# Machine similarity (cosine of paragraph vectors): at or below the floor a pair counts as
# unrelated. Tuned on the multilingual Universal Sentence Encoder v3 with the seed texts
# and tests/data/crosslang: across languages, paragraphs on the same subject that say
# different things score 0.2-0.55 and translations 0.7-0.9; within one language, paragraphs
# on the same subject reach 0.7, hence a higher floor there.
EMBEDDING_FLOOR = 0.4
SAME_LANGUAGE_EMBEDDING_FLOOR = 0.6
CROSS_LANGUAGE_EMBEDDING_WEIGHT = 0.8
# Within one language, vectors only lift a pair (by this share of what the machine
# similarity has over the word score): words stay the evidence there.
SAME_LANGUAGE_EMBEDDING_WEIGHT = 0.2
TRANSLATION_MIN_COSINE = 0.7


@dataclass(frozen=True)
class ParagraphText:
    """One paragraph as the engine sees it: its position in the statement, text, kind."""

    position: int
    text: str
    kind: str = "body"  # body, title, heading, dateline, caption, boilerplate, quote
    language: str = "fr"


@dataclass(frozen=True)
class SharedQuote:
    """A verbatim run of words found in both paragraphs, with offsets into both originals."""

    text: str  # as it stands in the left paragraph, original characters
    left_start: int
    left_end: int
    right_start: int
    right_end: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "left_start": self.left_start,
            "left_end": self.left_end,
            "right_start": self.right_start,
            "right_end": self.right_end,
        }


@dataclass(frozen=True)
class Link:
    """A suggested pair of paragraphs, by position, with its score (0..1)."""

    left: int
    right: int
    score: float
    # "translates" for a cross-language near-translation, "quotes" when the pair shares a
    # quote, else "restates"
    relation: str
    quotes: tuple[SharedQuote, ...] = ()
    # What the score rests on: "words" (same language), "embedding" (across languages, machine
    # similarity of the paragraph vectors) or "names" (across languages, no vectors: names
    # and numbers)
    basis: str = "words"

    def to_dict(self) -> dict[str, Any]:
        return {
            "left": self.left,
            "right": self.right,
            "score": self.score,
            "relation": self.relation,
            "basis": self.basis,
            "quotes": [quote.to_dict() for quote in self.quotes],
        }


@dataclass(frozen=True)
class Alignment:
    """Suggested links between two statements, and the paragraphs left without partner."""

    engine: str
    links: tuple[Link, ...]  # sorted by (left, right)
    omissions: tuple[int, ...]  # compared left paragraphs with no link
    additions: tuple[int, ...]  # compared right paragraphs with no link
    threshold: float

    def partners_of_left(self, position: int) -> list[int]:
        """Right positions linked to the left paragraph at `position`, ascending."""
        return [link.right for link in self.links if link.left == position]

    def partners_of_right(self, position: int) -> list[int]:
        """Left positions linked to the right paragraph at `position`, ascending."""
        return [link.left for link in self.links if link.right == position]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: plain dicts, lists, strings and numbers."""
        return {
            "engine": self.engine,
            "threshold": self.threshold,
            "links": [link.to_dict() for link in self.links],
            "omissions": list(self.omissions),
            "additions": list(self.additions),
        }


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
        corpus = _Corpus.build(texts, [language] * len(texts))
        features = _Features.build(corpus)
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


def align(
    left: Sequence[ParagraphText],
    right: Sequence[ParagraphText],
    *,
    background: Background | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    include_non_body: bool = False,
    top_k: int = 3,
    left_vectors: np.ndarray | None = None,
    right_vectors: np.ndarray | None = None,
) -> Alignment:
    """Suggest links between the paragraphs of two statements.

    Inputs: both statements' paragraphs, optional corpus document frequencies (IDF is fit
    on the compared paragraphs plus `background`), the minimum score, whether to compare
    titles, captions and boilerplate too, and how many partners a paragraph may keep on
    the score path (see the module docstring for the selection rules). Optionally, one
    vector per paragraph on each side (arrays whose rows follow `left` and `right`; a row
    of zeros or NaN is a paragraph without vector): their cosine joins the score, mostly
    across languages.

    Output: an `Alignment` with links sorted by (left, right), each with its shared quotes
    (relation "quotes" when there is one), and the compared paragraphs left without
    partner. Deterministic: same input, same output.

    Cost: O(tokens + vocabulary) for vectors and shingles, one sparse product (at worst
    O(n x m x shared features)), O(n x m) numpy work for the selection, and quotes for the
    candidate pairs, O(shingles log shingles) in numpy.
    """
    left_kept = [k for k, p in enumerate(left) if include_non_body or p.kind in ALIGNED_KINDS]
    right_kept = [k for k, p in enumerate(right) if include_non_body or p.kind in ALIGNED_KINDS]
    kept_left = [left[k] for k in left_kept]
    kept_right = [right[k] for k in right_kept]
    n_left = len(kept_left)
    corpus = _Corpus.build(
        [p.text for p in (*kept_left, *kept_right)],
        [p.language for p in (*kept_left, *kept_right)],
    )
    combined = _combined_scores(
        corpus,
        n_left,
        background,
        [p.language for p in (*kept_left, *kept_right)],
        None if left_vectors is None else np.asarray(left_vectors)[left_kept],
        None if right_vectors is None else np.asarray(right_vectors)[right_kept],
    )
    scores = combined.scores
    by_score = set(_select_pairs(scores, threshold=threshold, top_k=top_k))
    by_quote, particular = _pairs_sharing_particular_passages(corpus, n_left)
    candidates = sorted(
        by_score.union((i, j) for i, j in by_quote if scores[i, j] >= QUOTE_LINK_FLOOR)
    )
    runs_of = _common_runs(corpus, n_left, candidates, QUOTE_MIN_TOKENS)
    spans: dict[int, list[tuple[int, int]]] = {}

    def spans_of(index: int) -> list[tuple[int, int]]:
        if index not in spans:
            spans[index] = token_spans(corpus.texts[index])
        return spans[index]

    links = []
    for i, j in candidates:
        runs = runs_of[i, j]
        if (i, j) not in by_score and not any(
            _holds_particular_passage(particular, corpus.bounds[i] + a, length)
            for a, _, length in runs
        ):
            continue
        quotes: tuple[SharedQuote, ...] = ()
        if runs:
            left_spans, right_spans = spans_of(i), spans_of(n_left + j)
            quotes = tuple(
                _quote(corpus.texts[i], left_spans, right_spans, a, b, n) for a, b, n in runs
            )
        links.append(
            Link(
                left=kept_left[i].position,
                right=kept_right[j].position,
                score=round(float(scores[i, j]), 4),
                relation=combined.relation(i, j, bool(quotes)),
                quotes=quotes,
                basis=combined.basis(i, j),
            )
        )
    links.sort(key=lambda link: (link.left, link.right))
    linked_left = {link.left for link in links}
    linked_right = {link.right for link in links}
    return Alignment(
        engine=ENGINE_VERSION,
        links=tuple(links),
        omissions=tuple(sorted(p.position for p in kept_left if p.position not in linked_left)),
        additions=tuple(sorted(p.position for p in kept_right if p.position not in linked_right)),
        threshold=threshold,
    )


def similarity_matrix(
    left: Sequence[ParagraphText],
    right: Sequence[ParagraphText],
    *,
    background: Background | None = None,
    left_vectors: np.ndarray | None = None,
    right_vectors: np.ndarray | None = None,
) -> np.ndarray:
    """Dense len(left) x len(right) array of the engine's scores in [0, 1], input order.

    Every paragraph given is compared (no filtering by kind). One sparse product, plus one
    for names and numbers when languages differ, plus a dense one for the vectors if given.
    """
    paragraphs = (*left, *right)
    languages = [p.language for p in paragraphs]
    corpus = _Corpus.build([p.text for p in paragraphs], languages)
    return _combined_scores(
        corpus, len(left), background, languages, left_vectors, right_vectors
    ).scores


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
    corpus = _Corpus.build([left_text, right_text], [language, language])
    runs = _common_runs(corpus, 1, [(0, 0)], min_tokens)[0, 0]
    left_spans, right_spans = token_spans(left_text), token_spans(right_text)
    return [_quote(left_text, left_spans, right_spans, a, b, n) for a, b, n in runs]


@dataclass
class _Corpus:
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
    def build(cls, texts: Sequence[str], languages: Sequence[str]) -> _Corpus:
        """O(tokens): one dict lookup per token, one fold and stop-word test per word."""
        folded = [words(text) for text in texts]
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
class _Features:
    """Stem and character n-gram counts of a corpus, as sparse paragraph x feature rows."""

    stem_names: list[str]
    stem_counts: sparse.csr_matrix
    gram_names: list[str]
    gram_counts: sparse.csr_matrix

    @classmethod
    def build(cls, corpus: _Corpus) -> _Features:
        """O(content tokens + content words x n-grams per word), mostly in numpy."""
        n_docs = len(corpus.texts)
        content_ids = np.flatnonzero(corpus.content)
        column_of = np.full(len(corpus.vocabulary), -1, dtype=np.int64)
        column_of[content_ids] = np.arange(len(content_ids))
        columns = column_of[corpus.flat]
        rows = np.repeat(np.arange(n_docs), np.diff(corpus.bounds))
        kept = columns >= 0
        word_counts = sparse.csr_matrix(
            (np.ones(int(kept.sum())), (rows[kept], columns[kept])),
            shape=(n_docs, len(content_ids)),
        )

        content_words = [corpus.vocabulary[w] for w in content_ids.tolist()]
        content_languages = [corpus.languages[w] for w in content_ids.tolist()]
        stems = list(map(stem, content_words, content_languages))
        stem_names = list(dict.fromkeys(stems))
        stem_index = {name: n for n, name in enumerate(stem_names)}
        word_to_stem = sparse.csr_matrix(
            (
                np.ones(len(stems)),
                (np.arange(len(stems)), np.fromiter(map(stem_index.__getitem__, stems), int)),
            ),
            shape=(len(stems), len(stem_names)),
        )

        grams_per_word = list(map(_char_ngrams, content_words))
        all_grams = list(chain.from_iterable(grams_per_word))
        gram_names = list(dict.fromkeys(all_grams))
        gram_index = {name: n for n, name in enumerate(gram_names)}
        word_to_gram = sparse.csr_matrix(
            (
                np.ones(len(all_grams)),
                np.fromiter(map(gram_index.__getitem__, all_grams), np.int64, len(all_grams)),
                np.concatenate(([0], np.cumsum([len(grams) for grams in grams_per_word]))),
            ),
            shape=(len(content_words), len(gram_names)),
        )
        word_to_gram.sum_duplicates()  # "anan" holds "an" twice
        return cls(
            stem_names=stem_names,
            stem_counts=(word_counts @ word_to_stem).tocsr(),
            gram_names=gram_names,
            gram_counts=(word_counts @ word_to_gram).tocsr(),
        )


@lru_cache(maxsize=131072)
def _char_ngrams(word: str) -> tuple[str, ...]:
    """char_wb n-grams of a folded word padded with one space each side."""
    padded = f" {word} "
    grams: list[str] = []
    for size in CHAR_NGRAM_SIZES:
        grams += [padded[start : start + size] for start in range(len(padded) - size + 1)]
    return tuple(grams)


def _similarity(corpus: _Corpus, n_left: int, background: Background | None) -> np.ndarray:
    """Dense n_left x n_right scores between the corpus' first n_left paragraphs and the rest."""
    n_right = len(corpus.texts) - n_left
    if not n_left or not n_right:
        return np.zeros((n_left, n_right), dtype=np.float32)
    features = _Features.build(corpus)
    n_docs = len(corpus.texts)
    if background is not None:
        n_docs += background.n_docs
    stems = _tfidf(
        features.stem_counts,
        features.stem_names,
        "",
        n_docs,
        background,
        max(MAX_STEM_DF_SHARE * n_docs, MIN_DF_CAP),
    )
    grams = _tfidf(
        features.gram_counts,
        features.gram_names,
        GRAM_PREFIX,
        n_docs,
        background,
        max(MAX_GRAM_DF_SHARE * n_docs, MIN_DF_CAP),
    )
    # float32 halves the memory of the n x m product; scores are rounded to 4 decimals.
    vectors = sparse.hstack(
        [np.sqrt(WORD_WEIGHT) * stems, np.sqrt(1.0 - WORD_WEIGHT) * grams],
        format="csr",
        dtype=np.float32,
    )
    scores = (vectors[:n_left] @ vectors[n_left:].T).toarray()
    # Rounding can push a self-match a hair above 1.
    return np.clip(scores, 0.0, 1.0, out=scores)


@dataclass
class _Scores:
    """The engine's n_left x n_right scores, and for each pair what they rest on."""

    scores: np.ndarray  # in [0, 1]
    cross: np.ndarray | None  # the two paragraphs' languages differ; None: same everywhere
    cosine: np.ndarray | None  # cosine of the paragraph vectors, NaN where one has none

    def basis(self, i: int, j: int) -> str:
        if self.cross is None or not self.cross[i, j]:
            return "words"
        if self.cosine is None or np.isnan(self.cosine[i, j]):
            return "names"
        return "embedding"

    def relation(self, i: int, j: int, quoted: bool) -> str:
        if self.basis(i, j) == "embedding" and self.cosine[i, j] >= TRANSLATION_MIN_COSINE:
            return "translates"
        return "quotes" if quoted else "restates"


def _combined_scores(
    corpus: _Corpus,
    n_left: int,
    background: Background | None,
    languages: Sequence[str],
    left_vectors: np.ndarray | None,
    right_vectors: np.ndarray | None,
) -> _Scores:
    """Lexical scores; across languages, mixed with names and numbers; then with the vectors'
    cosine where both paragraphs have one (see the module docstring for the weights).

    O(n x m) numpy work on top of `_similarity`, one more sparse product when languages
    differ, and an n x m x d product for d-dimensional vectors.
    """
    scores = _similarity(corpus, n_left, background)
    codes = {language: code for code, language in enumerate(dict.fromkeys(languages))}
    language_codes = np.fromiter(map(codes.__getitem__, languages), np.int64, len(languages))
    cross: np.ndarray | None = language_codes[:n_left, None] != language_codes[None, n_left:]
    if cross.any():
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
    scores = np.clip(scores, 0.0, 1.0).astype(np.float32, copy=False)
    return _Scores(scores, cross, cosine)


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
    for word in _WORD.findall(text):
        first = word[0]
        if first.isdigit():
            if len(word) >= 2:
                features.append("=" + word)
        elif first.isupper() and len(word) > 1:
            folded = fold(word)
            if folded not in stop_words:
                features.extend(_char_ngrams(folded))
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
    weights = _tfidf(
        counts, list(index), "", n_docs, None, max(MAX_GRAM_DF_SHARE * n_docs, MIN_DF_CAP)
    )
    return (weights[:n_left] @ weights[n_left:].T).toarray().astype(np.float32)


def _tfidf(
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
    weights = counts.copy()
    weights.data = 1.0 + np.log(weights.data)
    df = np.bincount(weights.indices, minlength=len(names)).astype(np.float64)
    if background is not None and background.df:
        df += np.fromiter(
            (background.df.get(prefix + name, 0) for name in names), np.float64, len(names)
        )
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    idf[df > max_df] = 0.0
    weights.data *= idf[weights.indices]
    weights.eliminate_zeros()
    row_of_entry = np.repeat(np.arange(weights.shape[0]), np.diff(weights.indptr))
    norms = np.sqrt(np.bincount(row_of_entry, weights.data**2, minlength=weights.shape[0]))
    weights.data /= norms[row_of_entry]
    return weights


def _select_pairs(scores: np.ndarray, *, threshold: float, top_k: int) -> list[tuple[int, int]]:
    """Row/column index pairs kept on the score path, in row-major order. O(n x m)."""
    rows, columns = np.nonzero(scores >= threshold)
    if not len(rows):
        return []
    values = scores[rows, columns]
    keep = (scores.argmax(axis=1)[rows] == columns) & (scores.argmax(axis=0)[columns] == rows)
    others = np.flatnonzero(~keep)
    if len(others):
        passes = np.ones(len(others), dtype=bool)
        for lines, index in ((scores, rows[others]), (scores.T, columns[others])):
            # Only the rows (columns) that hold a candidate: at most one copy of the matrix.
            involved, where = np.unique(index, return_inverse=True)
            block = lines[involved]
            k = min(top_k, block.shape[1])
            # In the top k: no more than k - 1 partners score strictly higher.
            kth_best = -np.partition(-block, k - 1, axis=1)[:, k - 1]
            floor = np.maximum(
                block.mean(axis=1) + MARGIN_STD * block.std(axis=1),
                MARGIN_RATIO * block.max(axis=1),
            )
            passes &= (values[others] >= kth_best[where]) & (values[others] >= floor[where])
        # Ties could let a row keep more than k partners: keep its k best, lowest index first.
        passing = others[passes]
        for line_index, other_index in ((rows, columns), (columns, rows)):
            order = np.lexsort((other_index[passing], -values[passing], line_index[passing]))
            grouped = line_index[passing][order]
            first = np.searchsorted(grouped, grouped, side="left")
            passing = np.sort(passing[order][np.arange(len(order)) - first < top_k])
        keep[passing] = True
    return list(zip(rows[keep].tolist(), columns[keep].tolist(), strict=True))


def _pairs_sharing_particular_passages(
    corpus: _Corpus, n_left: int
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


def _holds_particular_passage(particular: np.ndarray, start: int, length: int) -> bool:
    """Whether the run of `length` words at corpus position `start` holds a passage of
    QUOTE_LINK_MIN_TOKENS words whose every shingle is particular (once per statement)."""
    needed = QUOTE_LINK_MIN_TOKENS - QUOTE_MIN_TOKENS + 1
    streak = 0
    for flag in particular[start : start + length - QUOTE_MIN_TOKENS + 1].tolist():
        streak = streak + 1 if flag else 0
        if streak >= needed:
            return True
    return False


def _same_words(corpus: _Corpus, left: np.ndarray, right: np.ndarray, size: int) -> np.ndarray:
    """Whether the `size` words from each left position equal those from the right one."""
    same = np.ones(len(left), dtype=bool)
    for offset in range(size):
        same &= corpus.flat[left + offset] == corpus.flat[right + offset]
    return same


def _common_runs(
    corpus: _Corpus, n_left: int, pairs: Sequence[tuple[int, int]], size: int
) -> dict[tuple[int, int], list[tuple[int, int, int]]]:
    """Quotes of each (left, right) paragraph pair: (left word, right word, length) runs.

    Every `size`-word shingle of a left paragraph is matched against the right paragraphs'
    shingles by key (one sort), matches outside `pairs` are dropped, and consecutive
    matches on one diagonal (same offset between the two sides) make a maximal common run.
    Then `_choose_runs` picks, per pair, the non-overlapping quotable ones. Word indices are
    relative to each paragraph. Cost: O(S log S) for S shingles, plus the matches.
    """
    runs_of: dict[tuple[int, int], list[tuple[int, int, int]]] = {pair: [] for pair in pairs}
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
        runs_of[i, j] = [(a - left_start, b - right_start, n) for a, b, n in chosen]
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


def _quote(
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
