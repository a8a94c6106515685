"""Which words each side prefers: distinctive vocabulary by weighted log-odds.

Pure: texts in, a `Framing` out; no Django. The statistic is the log-odds ratio with an
informative Dirichlet prior of Monroe, Colaresi & Quinn (2008, "Fightin' Words"), eq. 22:

    delta_w = log((y_wL + a_w) / (n_L + a_0 - y_wL - a_w))
            - log((y_wR + a_w) / (n_R + a_0 - y_wR - a_w))
    z_w = delta_w / sqrt(1 / (y_wL + a_w) + 1 / (y_wR + a_w))

where y are counts, n totals, and a_w = a_0 * pi_w the prior: pi_w is the term's share of
the background corpus (all stored statements) when one is given, else of the two sides
pooled. The prior is scaled to a_0 = PRIOR_STRENGTH * (n_L + n_R), so that z-scores do not
shrink as the stored corpus grows. A term frequent everywhere needs a large difference to
stand out; a rare one stands out sooner, but one or two occurrences never do.

Terms are stems of content words (`text.is_content_word`, less `LEFT_OUT_WORDS`: discourse
words, weekdays and months, which say nothing about framing) and bigrams of two content
words that follow each other with nothing but spaces, hyphens or apostrophes between them
("territoires occupés", "euro-atlantique"; never across a comma, a full stop or a stop
word). Unigrams and bigrams are scored against their own totals. A term is listed only
when its difference is significant (z >= `DEFAULT_MIN_Z`, two-sided 5%), and a listed
bigram stands for its own words ("Républiques populaires" for "Républiques"). A term is
shown in its most frequent original spelling, and lists every spelling seen, for
highlighting. Titles and headings are counted with the body (`counted_texts`): much of a
text's framing is in them.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from statements.text import fold, is_content_word, stem, tokens

# Changes whenever the same texts may give other terms: part of the cache keys of results.
VERSION = "2"
# Weight of the prior, as a multiple of the compared texts' size.
PRIOR_STRENGTH = 0.1
# The z-score a term must reach to be listed: a two-sided 5% test against the prior.
DEFAULT_MIN_Z = 1.96
# A unigram is merged into a listed bigram of its side ("Républiques" into "Républiques
# populaires") when at least this share of its occurrences there are inside that bigram.
MERGE_SHARE = 0.5
# What paragraphs are counted: the body, and titles and headings, which carry much of a
# text's framing ("territoires occupés"); not datelines, captions or site chrome.
COUNTED_KINDS = frozenset({"body", "quote", "title", "heading"})


def _folded_words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are never a side's vocabulary, however often one side writes them: discourse
# words and connectives ("ainsi", "d'autre part", "however"), verbs of going on ("continue"),
# forms of auxiliaries the stop words leave out ("nous sommes"), weekdays and months (a
# report's "mardi" is when it was written, not how it frames the events). Folded, as tokens
# are; they also break bigrams ("mardi soir" is not one).
LEFT_OUT_WORDS: dict[str, frozenset[str]] = {
    "fr": _folded_words(
        """
        ainsi part egalement notamment toutefois neanmoins pourtant donc deja enfin ailleurs
        outre afin desormais actuellement aujourd hui hier demain recemment particulier
        particulierement surtout certes effet seulement simplement vraiment bien beaucoup
        tant toujours souvent parfois quant vis egard travers sein cours suite tard tot
        continue continuer continuent continuons continuera continuerons continueront
        continuait continuaient continuant
        sommes etes suis soit soient sera serai serait serions seraient serons serez fut furent
        aurons aurez aurions doit doivent devra devront pourra pourront pourrait pourraient faut
        lundi mardi mercredi jeudi vendredi samedi dimanche
        janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
        """
    ),
    "en": _folded_words(
        """
        however moreover furthermore therefore thus hence meanwhile nevertheless nonetheless
        indeed notably particularly especially already still yet even well instead rather
        otherwise accordingly likewise today yesterday tomorrow recently currently
        continue continues continued continuing must shall might cannot
        monday tuesday wednesday thursday friday saturday sunday
        january february march april may june july august september october november december
        """
    ),
}
# What may separate the two words of a bigram: spaces, hyphens, apostrophes.
_BIGRAM_JOINER = re.compile(r"[\s'\u2019\u02bc\-\u2010\u2011]*")


@dataclass(frozen=True)
class Term:
    """A distinctive term: its usual spelling, stem key, strength and where it occurs.

    `z` is the magnitude of the z-score in favour of the side the term is listed under
    (always positive); `surfaces` are all original spellings seen, most frequent first.
    """

    term: str
    key: str
    z: float
    left_count: int
    right_count: int
    surfaces: tuple[str, ...]


@dataclass(frozen=True)
class Framing:
    """The terms over-represented on each side, strongest first."""

    left: tuple[Term, ...]
    right: tuple[Term, ...]
    min_z: float = DEFAULT_MIN_Z  # what a term had to reach to be listed

    @property
    def stands_out(self) -> bool:
        """Whether any term stands out on either side."""
        return bool(self.left or self.right)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: {"left": [{"term", "z"}], "right": [...]}, z positive, 2 decimals."""
        return {
            side: [{"term": term.term, "z": round(term.z, 2)} for term in terms]
            for side, terms in (("left", self.left), ("right", self.right))
        }


@dataclass
class Counts:
    """Term counts of a collection of texts: the prior for `distinctive_terms`.

    `unigrams` maps a stem ("referendum") and `bigrams` a pair of stems joined by a space
    ("territoir occup") to how often they occur. Plain dicts: picklable, cacheable.
    """

    unigrams: dict[str, int] = field(default_factory=dict)
    bigrams: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_texts(cls, texts: Iterable[str], language: str = "fr") -> Counts:
        """Count the terms of `texts`. O(tokens)."""
        unigrams: Counter[str] = Counter()
        bigrams: Counter[str] = Counter()
        for text in texts:
            for key, _ in _terms(text, language):
                (bigrams if " " in key else unigrams)[key] += 1
        return cls(unigrams=dict(unigrams), bigrams=dict(bigrams))


def distinctive_terms(
    left_texts: list[str],
    right_texts: list[str],
    *,
    language: str = "fr",
    background: Counts | None = None,
    limit: int = 15,
    min_z: float = DEFAULT_MIN_Z,
) -> Framing:
    """The terms each side uses significantly more than the other.

    Inputs: the paragraphs of each side, their language, optional background counts (the
    prior; else the two sides pooled), how many terms per side, and the z-score a term
    must reach (1.96: two-sided 5%). Output: up to `limit` terms per side by decreasing
    z, none when nothing is significant. A listed bigram and its own words are one entry,
    the bigram, with the bigram's z and counts: a unigram is left out when a listed bigram
    of the same side holds at least `MERGE_SHARE` of its occurrences there ("Républiques
    populaires" stands for "Républiques"). Deterministic: ties go to the alphabetically
    first key. A term must occur at least twice on its side.
    O(tokens + vocabulary log vocabulary).
    """
    left_keys, left_surfaces = _count(left_texts, language)
    right_keys, right_surfaces = _count(right_texts, language)
    scored: list[tuple[float, str]] = []
    for is_bigram in (False, True):
        left = {k: n for k, n in left_keys.items() if (" " in k) == is_bigram}
        right = {k: n for k, n in right_keys.items() if (" " in k) == is_bigram}
        prior_counts = None
        if background is not None:
            prior_counts = background.bigrams if is_bigram else background.unigrams
        scored.extend(_log_odds(left, right, prior_counts))

    def side(sign: int, counts: Counter[str]) -> tuple[Term, ...]:
        chosen = sorted(
            ((sign * z, key) for z, key in scored if sign * z >= min_z and counts[key] > 1),
            key=lambda item: (-item[0], item[1]),
        )
        # How often each word occurs inside the listed bigrams of this side.
        in_bigrams: Counter[str] = Counter()
        for _, key in chosen:
            if " " in key:
                for part in set(key.split(" ")):
                    in_bigrams[part] += counts[key]
        terms = []
        for z, key in chosen:
            if " " not in key and in_bigrams[key] >= MERGE_SHARE * counts[key]:
                continue
            surfaces = left_surfaces.get(key, Counter()) + right_surfaces.get(key, Counter())
            # Most frequent first; on a tie, lower case ("frappes" over sentence-initial "Frappes").
            spellings = tuple(sorted(surfaces, key=lambda s: (-surfaces[s], s != s.lower(), s)))
            terms.append(
                Term(
                    term=spellings[0],
                    key=key,
                    z=z,
                    left_count=left_keys[key],
                    right_count=right_keys[key],
                    surfaces=spellings,
                )
            )
            if len(terms) == limit:
                break
        return tuple(terms)

    return Framing(left=side(1, left_keys), right=side(-1, right_keys), min_z=min_z)


def counted_texts(paragraphs: Iterable[tuple[str, str]]) -> list[str]:
    """The texts whose words count, from one statement's (kind, text) pairs in order: its
    body and quotes, and its titles and headings, each title or heading text once (a text
    that repeats its title under it counts the title's words once). O(paragraphs)."""
    seen: set[str] = set()
    texts: list[str] = []
    for kind, text in paragraphs:
        if kind not in COUNTED_KINDS:
            continue
        if kind in ("title", "heading"):
            folded = " ".join(fold(text).split())
            if folded in seen:
                continue
            seen.add(folded)
        texts.append(text)
    return texts


def _log_odds(
    left: dict[str, int], right: dict[str, int], prior_counts: dict[str, int] | None
) -> Iterator[tuple[float, str]]:
    """(z, key) for every key seen on either side; positive z favours the left side."""
    n_left, n_right = sum(left.values()), sum(right.values())
    if not n_left or not n_right:
        return
    pooled = Counter(left) + Counter(right)
    prior_counts = prior_counts or {}
    # The prior's shares: background and both sides together, so no seen term gets zero.
    prior_total = sum(prior_counts.values()) + n_left + n_right
    a_0 = PRIOR_STRENGTH * (n_left + n_right)
    for key in sorted(pooled):
        a_w = a_0 * (prior_counts.get(key, 0) + pooled[key]) / prior_total
        y_left, y_right = left.get(key, 0), right.get(key, 0)
        # The rest of each side; a term that is a side's whole text would leave nothing,
        # so the rest never drops below half a word (no log of zero on tiny statements).
        left_rest = max(n_left + a_0 - y_left - a_w, 0.5)
        right_rest = max(n_right + a_0 - y_right - a_w, 0.5)
        delta = math.log((y_left + a_w) / left_rest) - math.log((y_right + a_w) / right_rest)
        variance = 1.0 / (y_left + a_w) + 1.0 / (y_right + a_w)
        yield delta / math.sqrt(variance), key


def _count(texts: Iterable[str], language: str) -> tuple[Counter[str], dict[str, Counter[str]]]:
    """Term counts of `texts` and, per term, the count of each original spelling."""
    counts: Counter[str] = Counter()
    surfaces: dict[str, Counter[str]] = {}
    for text in texts:
        for key, surface in _terms(text, language):
            counts[key] += 1
            surfaces.setdefault(key, Counter())[surface] += 1
    return counts, surfaces


def _terms(text: str, language: str) -> Iterator[tuple[str, str]]:
    """(key, surface) of each content word of `text` and each bigram of adjacent ones."""
    previous = None
    previous_key = ""
    left_out = LEFT_OUT_WORDS.get(language, LEFT_OUT_WORDS["fr"])
    for token in tokens(text):
        if token.folded in left_out or not is_content_word(token.folded, language):
            previous = None
            continue
        key = stem(token.folded, language)
        yield key, token.text
        if previous is not None and _BIGRAM_JOINER.fullmatch(text, previous.end, token.start):
            yield f"{previous_key} {key}", text[previous.start : token.end]
        previous, previous_key = token, key
