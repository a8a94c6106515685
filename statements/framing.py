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

Terms are stems of content words (`text.is_content_word`, less `terms.LEFT_OUT_WORDS`: discourse
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

import dataclasses
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from statements import terms
from statements.text import fold

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
            side: [{"term": term.term, "z": round(term.z, 2)} for term in listed]
            for side, listed in (("left", self.left), ("right", self.right))
        }

    def to_document(self) -> dict[str, Any]:
        """Everything, as JSON to store: `Framing.from_document` gives it back."""
        return {
            "left": [dataclasses.asdict(term) for term in self.left],
            "right": [dataclasses.asdict(term) for term in self.right],
            "min_z": self.min_z,
        }

    @classmethod
    def from_document(cls, document: dict[str, Any]) -> Framing:
        def side(name: str) -> tuple[Term, ...]:
            return tuple(
                Term(**{**term, "surfaces": tuple(term["surfaces"])})
                for term in document.get(name, ())
            )

        return cls(side("left"), side("right"), document.get("min_z", DEFAULT_MIN_Z))


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
            for key, count in terms.count_terms(text, language).items():
                (bigrams if " " in key else unigrams)[key] += count
        return cls(unigrams=dict(unigrams), bigrams=dict(bigrams))

    def prior(self, keys: np.ndarray) -> Prior:
        """These counts as the prior of `keys`."""
        counts = {**self.unigrams, **self.bigrams}
        return Prior(
            np.fromiter((counts.get(key, 0) for key in keys.tolist()), np.float64, len(keys)),
            sum(self.unigrams.values()),
            sum(self.bigrams.values()),
        )


@dataclass(frozen=True)
class Prior:
    """The prior of some keys: their corpus counts (aligned with the keys), and the
    corpus totals of single stems and of pairs (what the counts are shares of)."""

    counts: np.ndarray
    unigrams: int
    bigrams: int


@dataclass(frozen=True)
class TermCounts:
    """One side's terms added up: keys (sorted), their counts, and how they are spelled
    (key -> spelling -> count; only needed for the terms that end up listed)."""

    keys: np.ndarray
    counts: np.ndarray

    @classmethod
    def of_texts(cls, texts: Iterable[str], language: str) -> TermCounts:
        total: Counter[str] = Counter()
        for text in texts:
            total.update(terms.count_terms(text, language))
        keys = np.array(sorted(total), dtype=str)
        return cls(keys, np.fromiter((total[k] for k in keys.tolist()), np.int64, len(keys)))


def distinctive_terms(
    left_texts: list[str],
    right_texts: list[str],
    *,
    language: str = "fr",
    background: Counts | None = None,
    limit: int = 15,
    min_z: float = DEFAULT_MIN_Z,
) -> Framing:
    """The terms each side uses significantly more than the other, from their texts (see
    `distinctive` for the rule; this counts the texts' words first, O(tokens))."""
    left = TermCounts.of_texts(left_texts, language)
    right = TermCounts.of_texts(right_texts, language)
    return distinctive(
        left,
        right,
        spellings=lambda keys: terms.spellings_in([*left_texts, *right_texts], language, keys),
        prior=background.prior(np.union1d(left.keys, right.keys)) if background else None,
        limit=limit,
        min_z=min_z,
    )


def distinctive(
    left: TermCounts,
    right: TermCounts,
    *,
    spellings: Callable[[list[str]], dict[str, dict[str, int]]],
    prior: Prior | None = None,
    limit: int = 15,
    min_z: float = DEFAULT_MIN_Z,
) -> Framing:
    """The terms each side uses significantly more than the other.

    Inputs: each side's terms added up (stored paragraphs give them without reading the
    texts again), how the listed terms are spelled (asked for those alone), the prior
    (the corpus counts of the keys of both sides, sorted as `np.union1d` sorts them; else
    the two sides pooled), how many terms per side, and the z-score a term must reach
    (1.96: two-sided 5%). Output: up to `limit` terms per side by decreasing z, none when
    nothing is significant. A listed bigram and its own words are one entry, the bigram,
    with the bigram's z and counts: a unigram is left out when a listed bigram of the same
    side holds at least `MERGE_SHARE` of its occurrences there ("Républiques populaires"
    stands for "Républiques"). Deterministic: ties go to the alphabetically first key. A
    term must occur at least twice on its side. Array work: O(keys log keys).
    """
    keys = np.union1d(left.keys, right.keys)
    y_left = _aligned(keys, left)
    y_right = _aligned(keys, right)
    z = np.full(len(keys), np.nan)
    pairs = terms.is_pair(keys)
    prior_counts = prior.counts if prior is not None else np.zeros(len(keys))
    for chosen, prior_total in (
        (~pairs, prior.unigrams if prior is not None else 0),
        (pairs, prior.bigrams if prior is not None else 0),
    ):
        z[chosen] = _log_odds(y_left[chosen], y_right[chosen], prior_counts[chosen], prior_total)
    by_key = {
        "left": dict(zip(keys.tolist(), y_left.tolist(), strict=True)),
        "right": dict(zip(keys.tolist(), y_right.tolist(), strict=True)),
    }

    def chosen(sign: int, own: np.ndarray) -> list[tuple[float, str]]:
        keep = np.flatnonzero(~np.isnan(z) & (sign * z >= min_z) & (own > 1))
        order = np.lexsort((keys[keep], -sign * z[keep]))
        return [(float(sign * z[i]), str(keys[i])) for i in keep[order]]

    sides = {"left": chosen(1, y_left), "right": chosen(-1, y_right)}
    listed = {name: _merged(entries, by_key[name], limit) for name, entries in sides.items()}
    spelled = spellings(sorted({key for entries in listed.values() for _, key in entries}))

    def side(name: str) -> tuple[Term, ...]:
        found = []
        for z_value, key in listed[name]:
            forms = spelled.get(key) or {key: 1}
            ordered = tuple(sorted(forms, key=lambda s: (-forms[s], s != s.lower(), s)))
            found.append(
                Term(
                    term=ordered[0],
                    key=key,
                    z=z_value,
                    left_count=int(by_key["left"][key]),
                    right_count=int(by_key["right"][key]),
                    surfaces=ordered,
                )
            )
        return tuple(found)

    return Framing(left=side("left"), right=side("right"), min_z=min_z)


def _aligned(keys: np.ndarray, side: TermCounts) -> np.ndarray:
    """`side`'s counts at `keys` (a sorted superset of its keys), 0 where it has none."""
    found = np.zeros(len(keys), dtype=np.float64)
    if len(side.keys):
        found[np.searchsorted(keys, side.keys)] = side.counts
    return found


def _merged(entries: list[tuple[float, str]], counts: dict[str, float], limit: int):
    """The listed entries of one side, a unigram left out when the listed bigrams of this
    side hold at least MERGE_SHARE of its occurrences; at most `limit`."""
    in_bigrams: Counter[str] = Counter()
    for _, key in entries:
        if " " in key:
            for part in set(key.split(" ")):
                in_bigrams[part] += counts[key]
    kept = [
        (z, key) for z, key in entries if " " in key or in_bigrams[key] < MERGE_SHARE * counts[key]
    ]
    return kept[:limit]


def counted(paragraphs: Iterable) -> list:
    """The paragraphs whose words count, from one statement's paragraphs in order (each
    with `kind` and `text`): its body and quotes, and its titles and headings, each title
    or heading text once (a text that repeats its title under it counts the title's words
    once). O(paragraphs)."""
    seen: set[str] = set()
    kept = []
    for paragraph in paragraphs:
        if paragraph.kind not in COUNTED_KINDS:
            continue
        if paragraph.kind in ("title", "heading"):
            folded = " ".join(fold(paragraph.text).split())
            if folded in seen:
                continue
            seen.add(folded)
        kept.append(paragraph)
    return kept


def counted_texts(paragraphs: Iterable[tuple[str, str]]) -> list[str]:
    """`counted` for (kind, text) pairs: the texts whose words count."""
    return [item.text for item in counted(_KindText(kind, text) for kind, text in paragraphs)]


@dataclass(frozen=True)
class _KindText:
    kind: str
    text: str


def _log_odds(
    y_left: np.ndarray, y_right: np.ndarray, prior: np.ndarray, prior_corpus: int
) -> np.ndarray:
    """z of each key (positive favours the left side); NaN when a side is empty."""
    n_left, n_right = y_left.sum(), y_right.sum()
    if not n_left or not n_right:
        return np.full(len(y_left), np.nan)
    # The prior's shares: the corpus and both sides together, so no seen term gets zero.
    prior_total = prior_corpus + n_left + n_right
    a_0 = PRIOR_STRENGTH * (n_left + n_right)
    a_w = a_0 * (prior + y_left + y_right) / prior_total
    # The rest of each side; a term that is a side's whole text would leave nothing, so
    # the rest never drops below half a word (no log of zero on tiny statements).
    left_rest = np.maximum(n_left + a_0 - y_left - a_w, 0.5)
    right_rest = np.maximum(n_right + a_0 - y_right - a_w, 0.5)
    delta = np.log((y_left + a_w) / left_rest) - np.log((y_right + a_w) / right_rest)
    variance = 1.0 / (y_left + a_w) + 1.0 / (y_right + a_w)
    return delta / np.sqrt(variance)
