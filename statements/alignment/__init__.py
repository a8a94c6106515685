"""Which paragraph of one statement restates or quotes which paragraph of another.

Pure: paragraphs in, an `Alignment` out; no Django. Not an order-preserving aligner: the
texts compared here reorder, merge and drop content, so every left paragraph is scored
against every right paragraph and a many-to-many selection keeps the pairs that stand out.

Score: the cosine of TF-IDF vectors made of two blocks, each L2-normalised,

* stems of content words (``text.match_stem``: Snowball's, with a French verb's "nous"
  form joined to its other forms), which catch restatement;
* character 3-5-grams of accent-folded content words padded with spaces (sklearn's
  ``char_wb``), which catch transliterations: Louhansk / Lougansk, Zaporizhia / Zaporozhye.

The blocks are stacked with weights ``sqrt(WORD_WEIGHT)`` and ``sqrt(1 - WORD_WEIGHT)``, so
a score is ``WORD_WEIGHT * cos(stems) + (1 - WORD_WEIGHT) * cos(n-grams)`` and stays in
[0, 1]. All pairs come from one sparse matrix product.

Sentences are the unit of evidence. Paragraph scores only choose candidates (every pair
of a small comparison, else each paragraph's best few partners both ways, plus pairs that
share a verbatim passage particular to them or a traced quotation); each candidate is then
scored from its sentence pairs (the same TF-IDF features per sentence, with the paragraphs'
IDF over the compared paragraphs and the corpus statistics, so a stem or phrase common in
the corpus weighs little), and a long paragraph making five claims links to a short one
that repeats one of them. A calibrated logistic model (`candidates.WEIGHTS`, fitted once
on the whole development set) turns the paragraph score, the best and second sentence
pairs, the verbatim run, a traced quotation and how the pair stands in its row and column
into a confidence: the chance that a careful reader accepts the link. A link is kept when
its confidence reaches the threshold.

Each link then gets a relation and its reasons (`relations`: contradicts, reframes with
the framing lexicon, quotes, translates, restates, context), read on its evidence, and
every quotation of either text is traced to the other (`fidelity`: verbatim, trimmed,
altered with a word diff, not found).

Speed: words are counted once per distinct word, not per occurrence. Paragraphs become a
sparse paragraph x word matrix; small word x stem and word x n-gram matrices turn it into
stem and n-gram counts by sparse products. Stems and n-grams found in a large share of all
paragraphs (MAX_STEM_DF_SHARE, MAX_GRAM_DF_SHARE) are dropped: they tell paragraphs apart
poorly (low IDF), and each costs O(n x m) in the product.

Across languages (the two paragraphs' `language` differ), shared words say little: "OTAN"
is not "NATO". Two more signals then carry the score, in the same matrix and through the
same candidates and confidence:

* names and numbers: character n-grams of capitalised words and acronyms, and numbers as
  they stand ("Stoltenberg", "2022", "Zaporizhzhia" / "Zaporijjia"), which languages
  share; mixed half and half with the lexical score (NAMES_WEIGHT), whose n-grams also
  catch cognates ("nucléaire" / "nuclear");
* machine similarity, when the caller gives paragraph vectors (rows of `left_vectors`,
  `right_vectors`; multilingual sentence embeddings): their cosine, rescaled so that
  EMBEDDING_FLOOR (paragraphs barely on the same subject) maps to 0, takes
  CROSS_LANGUAGE_EMBEDDING_WEIGHT of the score across languages. Within one language it
  only lifts a pair, by SAME_LANGUAGE_EMBEDDING_WEIGHT of what it has over the word score
  (from a higher floor): a word score is never lowered. A cross-language pair whose
  cosine reaches relations.TRANSLATION_MIN_COSINE is a translation (relation "translates").

Each link says what it rests on (`basis`): "words", "names" (across languages, no vectors)
or "embedding" (across languages, from the vectors). The vectors are computed elsewhere;
this module stays numpy only.

The package, one module per step: `corpus` (word ids, stem and n-gram counts, TF-IDF,
corpus document frequencies), `sentences` (sentence rows and sentence-pair scores),
`scoring` (the n x m paragraph scores), `candidates` (candidate pairs, their features and
calibrated confidence), `quotes` (shared verbatim runs), `fidelity` (quotations traced),
`lexicon` (the framing lexicon as data), `relations`, `engine` (`align`,
`similarity_matrix`) and `evaluation` (the development set).
"""

from __future__ import annotations

from .corpus import Background, feature_keys
from .engine import ALIGNED_KINDS, align, similarity_matrix
from .fidelity import trace_quotations
from .lexicon import Lexicon, terms_of
from .model import (
    DEFAULT_THRESHOLD,
    ENGINE_VERSION,
    LOWEST_THRESHOLD,
    RELATIONS,
    Alignment,
    Link,
    ParagraphText,
    SharedQuote,
)
from .quotes import shared_quotes

__all__ = [
    "ALIGNED_KINDS",
    "DEFAULT_THRESHOLD",
    "ENGINE_VERSION",
    "LOWEST_THRESHOLD",
    "RELATIONS",
    "Alignment",
    "Background",
    "Lexicon",
    "Link",
    "ParagraphText",
    "SharedQuote",
    "align",
    "feature_keys",
    "shared_quotes",
    "similarity_matrix",
    "terms_of",
    "trace_quotations",
]
