"""`align` and `similarity_matrix`: the engine's entry points."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache, partial
from typing import Any

import numpy as np

from statements.importing import BODY_KINDS
from statements.text import is_content_word, match_stem

from .candidates import CANDIDATES_PER_PARAGRAPH, EVIDENCE_PAIRS, EVIDENCE_SHARE, candidates
from .corpus import Background, Corpus, paragraph_token_spans, paragraph_words
from .fidelity import quoted_passages, trace_quotations
from .lexicon import compiled
from .model import DEFAULT_THRESHOLD, ENGINE_VERSION, Alignment, Link, ParagraphText, SharedQuote
from .quotes import quote_between
from .relations import classify
from .scoring import Scores, combined_scores
from .sentences import paragraph_sentences
from .sides import Index, Keys, Side

# Paragraph kinds compared unless include_non_body is set (the importer's body kinds): the
# rest is titles, datelines, captions and site boilerplate, which repeat across texts
# without saying anything.
ALIGNED_KINDS = BODY_KINDS
# Sentence pairs the relations read: up to RELATION_PAIRS, scoring RELATION_SHARE of the best.
RELATION_PAIRS = 6
RELATION_SHARE = 0.3


def align(
    left: Sequence[ParagraphText],
    right: Sequence[ParagraphText],
    *,
    background: Background | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    include_non_body: bool = False,
    top_k: int = CANDIDATES_PER_PARAGRAPH,
    left_vectors: np.ndarray | None = None,
    right_vectors: np.ndarray | None = None,
    lexicon: Sequence[Mapping[str, Any]] = (),
    weights: np.ndarray | None = None,
) -> Alignment:
    """Suggest links between the paragraphs of two statements.

    Inputs: both statements' paragraphs, optional corpus document frequencies (IDF is fit
    on the compared paragraphs plus `background`), the minimum confidence, whether to
    compare titles, captions and boilerplate too, and how many candidate partners each
    paragraph gets from the paragraph scores (`top_k`). Optionally, one vector per
    paragraph on each side (arrays whose rows follow `left` and `right`; a row of zeros or
    NaN is a paragraph without vector), and the framing lexicon as plain terms
    (`lexicon.terms_of`). `weights`: the confidence model's, `candidates.WEIGHTS` unless
    given (cross-validation fits its own, `evaluation.cross_validate`).

    Output: an `Alignment` with links sorted by (left, right), each with its calibrated
    confidence, relation, reasons, evidence (best sentence pairs) and shared quotes, the
    compared paragraphs left without partner, and every quotation traced. Deterministic.

    Cost: O(tokens + vocabulary) for the features, one sparse product for the paragraph
    scores, O(n x m) numpy for the candidates, row-wise sparse products for the sentence
    pairs of the candidates only (k per paragraph), and the relations of the links kept.
    """
    left_kept = [k for k, p in enumerate(left) if include_non_body or p.kind in ALIGNED_KINDS]
    right_kept = [k for k, p in enumerate(right) if include_non_body or p.kind in ALIGNED_KINDS]
    kept_left = [left[k] for k in left_kept]
    kept_right = [right[k] for k in right_kept]
    quotations = trace_quotations(kept_left, kept_right)
    compiled_lexicon = compiled(lexicon) if lexicon else None
    found = candidates(
        kept_left,
        kept_right,
        background=background,
        top_k=top_k,
        left_vectors=None if left_vectors is None else np.asarray(left_vectors)[left_kept],
        right_vectors=None if right_vectors is None else np.asarray(right_vectors)[right_kept],
        quoted_pairs=_quoted_pairs(quotations, kept_left, kept_right),
        lexicon=compiled_lexicon,
    )
    confidence = found.confidence(weights)
    keep = np.flatnonzero(confidence >= threshold)
    corpus, n_left = found.corpus, len(kept_left)

    def spans_of(index: int) -> list[tuple[int, int]]:
        return paragraph_token_spans(corpus.texts[index])

    sides = _Sides(found.sentence_spans)
    links = []
    # Per link, plain Python values read from the arrays once for all links kept.
    rows, columns = found.left[keep], found.right[keep]
    scores, cross, cosines = _pair_values(found.scores, rows, columns)
    per_link = zip(
        rows.tolist(),
        columns.tolist(),
        # Relations read a little more than the evidence shown: a denial often sits in the
        # sentence after the one that shares the most words.
        found.evidence(keep, RELATION_PAIRS, RELATION_SHARE),
        scores,
        cross,
        cosines,
        confidence[keep].tolist(),
        found.best[keep].tolist(),
        found.run_words[keep].tolist(),
        found.quoted[keep].tolist(),
        strict=True,
    )
    for i, j, read, score, crossing, cosine, sure, best, run_words, quoted in per_link:
        paragraph_left, paragraph_right = kept_left[i], kept_right[j]
        evidence = [
            e for e in read[:EVIDENCE_PAIRS] if read and e[2] >= EVIDENCE_SHARE * read[0][2]
        ]
        runs = found.runs.get((i, j), ())
        quotes = tuple(
            quote_between(corpus.texts[i], spans_of(i), spans_of(n_left + j), a, b, n)
            for a, b, n in runs
        )
        quoted_run = _quoted_run(quotes, paragraph_left.text, paragraph_right.text)
        read_left, read_right = _distinct([e[0] for e in read]), _distinct([e[1] for e in read])
        side_left = sides.side(i, paragraph_left, read_left)
        side_right = sides.side(n_left + j, paragraph_right, read_right)
        relation, reasons = classify(
            side_left,
            side_right,
            lexicon=compiled_lexicon,
            best=best,
            run_words=run_words,
            quoted=quoted,
            quoted_run=quoted_run,
            cross=crossing,
            cosine=cosine,
            whole=lambda i=i, j=j, read=(side_left, side_right): (
                sides.whole(i, kept_left[i], read[0]),
                sides.whole(n_left + j, kept_right[j], read[1]),
            ),
            matching=partial(
                sides.pair,
                (i, paragraph_left, side_left),
                (n_left + j, paragraph_right, side_right),
                read[0] if read else None,
            ),
        )
        links.append(
            Link(
                left=paragraph_left.position,
                right=paragraph_right.position,
                score=round(score, 4),
                relation=relation,
                quotes=quotes,
                basis=found.scores.basis(i, j),
                confidence=round(sure, 4),
                reasons=tuple(reasons),
                evidence=tuple(
                    {"left": list(a), "right": list(b), "score": round(pair_score, 4)}
                    for a, b, pair_score in evidence
                ),
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
        quotations=tuple(quotations),
    )


class _Sides:
    """Sentences of the compared paragraphs as `sides.Side`s. Each paragraph is read
    once, in full (`_reading`: every sentence, and the keys of each); a side of some of its
    sentences is slices of that."""

    def __init__(self, sentence_spans: Callable[[int], list[tuple[int, int]]]):
        self.sentence_spans = sentence_spans

    def side(
        self,
        index: int,
        paragraph: ParagraphText,
        spans: list[tuple[int, int]],
        known: Side | None = None,
    ) -> Side:
        """The sentences `spans` of corpus paragraph `index` (`known` if it reads them)."""
        if known is not None and known.spans == spans:
            return known
        text, language = paragraph.text, paragraph.language
        reading = _reading(text, language)
        sentences = None if reading is None else list(map(reading[2].get, spans))
        if sentences is None or None in sentences:
            return Side.of(text, language, spans)
        words, sentence_spans, _, word_ranges, keys, index = reading
        if tuple(spans) == sentence_spans:
            return Side(text, language, list(spans), *words, Keys(*keys), index)
        ranges = _joined([word_ranges[sentence] for sentence in sentences])
        within = sum(1 << sentence for sentence in set(sentences))
        if len(ranges) == 1:  # the most common: one slice of each
            first, stop = ranges[0]
            kept = [values[first:stop] for values in words]
        else:
            kept = [_kept(values, ranges) for values in words]
        return Side(text, language, list(spans), *kept, Keys(*keys, within))

    def pair(
        self,
        left: tuple[int, ParagraphText, Side],
        right: tuple[int, ParagraphText, Side],
        best: tuple[tuple[int, int], tuple[int, int], float] | None,
    ) -> tuple[Side, Side] | None:
        """The best sentence pair `best` (left span, right span, score) of two paragraphs,
        each given as (corpus index, paragraph, the side read of it)."""
        if best is None:
            return None
        (i, paragraph_left, read_left), (j, paragraph_right, read_right) = left, right
        return (
            self.side(i, paragraph_left, [best[0]], read_left),
            self.side(j, paragraph_right, [best[1]], read_right),
        )

    def whole(self, index: int, paragraph: ParagraphText, read: Side) -> Side:
        """Every sentence of corpus paragraph `index`: `read` when it reads them all."""
        spans = self.sentence_spans(index)
        return read if spans == read.spans else self.side(index, paragraph, spans)


# A paragraph's reading weighs about 8 KB: the last READING_CACHE paragraphs read are kept
# (about 32 MB), an event's statements many times over.
READING_CACHE = 4096


@lru_cache(maxsize=READING_CACHE)
def _reading(text: str, language: str) -> tuple | None:
    """A paragraph read for the relations, kept by text like its words and sentences (the
    worker aligns a statement with every other of its event): (a Side's words, originals,
    stems, content, negated, starts and ends; its sentences, and the number of each; each
    sentence's words [first, stop); its Keys but `within`; the `Side.index` of all its
    sentences). Plain tuples, frozensets and dicts of strings and numbers, which the garbage
    collector does not track. None when the words and their offsets disagree (never
    expected: the caller tokenises again)."""
    words = paragraph_words(text)
    offsets = paragraph_token_spans(text)
    if len(offsets) != len(words):
        return None
    starts, ends = zip(*offsets, strict=True) if offsets else ((), ())
    spans = paragraph_sentences(text, language)[0]
    chosen, opens, sentence_of, ranges = _sentence_words(starts, spans)
    stems = [match_stem(word, language) for word in words]
    content = [is_content_word(word, language) for word in words]
    if len(chosen) != len(words):  # words outside every sentence
        words, stems, content, starts, ends = (
            [values[k] for k in chosen] for values in (words, stems, content, starts, ends)
        )
    side = Side.of_words(text, language, spans, words, starts, ends, opens, stems, content)
    keys = Keys.of(side, sentence_of)
    values = (words, side.originals, stems, content, side.negated, starts, ends)
    return (
        tuple(map(tuple, values)),
        spans,
        {span: sentence for sentence, span in enumerate(spans)},
        ranges,
        (keys.plain, keys.asserted, keys.negated, keys.bare, keys.unprefixed),
        _frozen(side.index),
    )


def _frozen(index: Index) -> Index:
    """A `Side.index` that sides of many links can share: tuples and a frozenset."""
    by_root, by_word, negated = index
    return (
        {root: tuple(positions) for root, positions in by_root.items()},
        {word: tuple(positions) for word, positions in by_word.items()},
        frozenset(negated),
    )


def _sentence_words(
    starts: Sequence[int], spans: Sequence[tuple[int, int]]
) -> tuple[list[int], list[bool], list[int], tuple[tuple[int, int], ...]]:
    """The words (by their `starts`) inside the sentences `spans`: their positions, whether
    each opens its sentence, the sentence of each, and each sentence's [first, stop) in the
    positions."""
    chosen: list[int] = []
    opens: list[bool] = []
    sentence_of: list[int] = []
    ranges: list[tuple[int, int]] = []
    for sentence, (start, end) in enumerate(spans):
        low, high = bisect_left(starts, start), bisect_left(starts, end)
        ranges.append((len(chosen), len(chosen) + high - low))
        chosen += range(low, high)
        sentence_of += [sentence] * (high - low)
        opens += [True] + [False] * (high - low - 1) if high > low else []
    return chosen, opens, sentence_of, tuple(ranges)


def _joined(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The ranges [first, stop), one range where one ends where the next starts (the words
    of consecutive sentences): one slice each."""
    joined = ranges[:1]
    for first, stop in ranges[1:]:
        if joined[-1][1] == first:
            joined[-1] = (joined[-1][0], stop)
        else:
            joined.append((first, stop))
    return joined


def _kept(values: tuple, ranges: list[tuple[int, int]]) -> Sequence:
    """The values of words [first, stop) of each range, in order."""
    return [value for first, stop in ranges for value in values[first:stop]]


def _quoted_run(quotes: Sequence[SharedQuote], left: str, right: str) -> dict[str, str] | None:
    """A verbatim run that stands inside a quotation on one side (that side quotes the
    other's words: “une nouvelle escalade de la guerre”), as an `attributed_quote` reason
    naming that side: the first such run, the right side's first."""
    for quote in quotes:
        for key, text, start, end in (
            ("right", right, quote.right_start, quote.right_end),
            ("left", left, quote.left_start, quote.left_end),
        ):
            if any(first <= start and end <= stop for first, stop in quoted_passages(text)):
                return {"kind": "attributed_quote", key: quote.text}
    return None


def _pair_values(
    scores: Scores, rows: np.ndarray, columns: np.ndarray
) -> tuple[list[float], list[bool], list[float | None]]:
    """Per pair (rows[n], columns[n]): its paragraph score, whether its languages differ,
    and the cosine of its paragraph vectors (None without both)."""
    values = scores.scores[rows, columns].tolist()
    cross = [False] * len(values)
    if scores.cross is not None:
        cross = scores.cross[rows, columns].tolist()
    cosines: list[float | None] = [None] * len(values)
    if scores.cosine is not None:
        cosines = [None if math.isnan(x) else x for x in scores.cosine[rows, columns].tolist()]
    return values, cross, cosines


def _distinct(spans) -> list[tuple[int, int]]:
    return sorted(set(spans))


def _quoted_pairs(
    quotations: list[dict[str, Any]],
    left: Sequence[ParagraphText],
    right: Sequence[ParagraphText],
) -> set[tuple[int, int]]:
    """(left, right) kept indices of the paragraph pairs a quotation was traced between."""
    left_index = {p.position: k for k, p in enumerate(left)}
    right_index = {p.position: k for k, p in enumerate(right)}
    pairs = set()
    for quotation in quotations:
        if quotation["source"] is None:
            continue
        here, there = quotation["paragraph"], quotation["source"]["paragraph"]
        if quotation["side"] == "right":
            here, there = there, here
        pairs.add((left_index[here], right_index[there]))
    return pairs


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
    corpus = Corpus.build([p.text for p in paragraphs], languages)
    return combined_scores(
        corpus, len(left), background, languages, left_vectors, right_vectors
    ).scores
