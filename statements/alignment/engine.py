"""`align` and `similarity_matrix`: the engine's entry points."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from statements.importing import BODY_KINDS
from statements.text import token_spans

from .corpus import Background, Corpus
from .model import DEFAULT_THRESHOLD, ENGINE_VERSION, Alignment, Link, ParagraphText, SharedQuote
from .quotes import (
    QUOTE_LINK_FLOOR,
    QUOTE_MIN_TOKENS,
    common_runs,
    holds_particular_passage,
    pairs_sharing_particular_passages,
    quote_between,
)
from .scoring import combined_scores
from .selection import select_pairs

# Paragraph kinds compared unless include_non_body is set (the importer's body kinds): the
# rest is titles, datelines, captions and site boilerplate, which repeat across texts
# without saying anything.
ALIGNED_KINDS = BODY_KINDS


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
    corpus = Corpus.build(
        [p.text for p in (*kept_left, *kept_right)],
        [p.language for p in (*kept_left, *kept_right)],
    )
    combined = combined_scores(
        corpus,
        n_left,
        background,
        [p.language for p in (*kept_left, *kept_right)],
        None if left_vectors is None else np.asarray(left_vectors)[left_kept],
        None if right_vectors is None else np.asarray(right_vectors)[right_kept],
    )
    scores = combined.scores
    by_score = set(select_pairs(scores, threshold=threshold, top_k=top_k))
    by_quote, particular = pairs_sharing_particular_passages(corpus, n_left)
    candidates = sorted(
        by_score.union((i, j) for i, j in by_quote if scores[i, j] >= QUOTE_LINK_FLOOR)
    )
    runs_of = common_runs(corpus, n_left, candidates, QUOTE_MIN_TOKENS)
    spans: dict[int, list[tuple[int, int]]] = {}

    def spans_of(index: int) -> list[tuple[int, int]]:
        if index not in spans:
            spans[index] = token_spans(corpus.texts[index])
        return spans[index]

    links = []
    for i, j in candidates:
        runs = runs_of[i, j]
        if (i, j) not in by_score and not any(
            holds_particular_passage(particular, corpus.bounds[i] + a, length)
            for a, _, length in runs
        ):
            continue
        quotes: tuple[SharedQuote, ...] = ()
        if runs:
            left_spans, right_spans = spans_of(i), spans_of(n_left + j)
            quotes = tuple(
                quote_between(corpus.texts[i], left_spans, right_spans, a, b, n) for a, b, n in runs
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
    corpus = Corpus.build([p.text for p in paragraphs], languages)
    return combined_scores(
        corpus, len(left), background, languages, left_vectors, right_vectors
    ).scores
