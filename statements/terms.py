"""A paragraph's words counted once: the stems of its content words and the pairs of
adjacent ones, with how each is spelled. Pure: no Django.

What framing weighs (which words each side prefers) and what the corpus statistics add up.
A term is a key: the stem of a content word ("referendum"), or two stems joined by a space
("territoir occup") when the two words follow each other with nothing but spaces, hyphens
or apostrophes between them ("territoires occupés", "euro-atlantique"; never across a
comma, a full stop or a stop word). Words that are never a side's vocabulary
(`LEFT_OUT_WORDS`) are no term and break pairs.

A paragraph stores its terms (`paragraph_terms`): each key, its most frequent spelling in
the paragraph, and its count. Adding up many paragraphs (`add_up`) is array work in numpy:
a comparison never walks the words of its texts again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from statements.text import fold, is_content_word, stem


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
# What may separate the two words of a pair: spaces, hyphens, apostrophes.
JOINERS = r"[\s'\u2019\u02bc\-\u2010\u2011]*"
_WORD = re.compile(r"[^\W_]+")
# Words, captured, with what lies between them: `split` gives gap, word, gap, ..., gap.
_WORD_SPLIT = re.compile(r"([^\W_]+)")
_JOINERS_ONLY = re.compile(JOINERS)
# Per language, word -> its term ("" for none), as `content_stem` gives it; and gap ->
# whether it only joins. Plain dicts: an import looks up every word of every paragraph, and
# a dict lookup is a fraction of a call through lru_cache. Emptied past STEMS_KEPT entries.
_STEMS: dict[str, dict[str, str]] = {}
_GAPS: dict[str, bool] = {}
STEMS_KEPT = 262144
# Between the records of a stored paragraph's terms, between a key and its spelling, and
# between the records and their counts.
_RECORD, _FIELD, _COUNTS = "\n", "\x1f", b"\x00"


@lru_cache(maxsize=STEMS_KEPT)
def content_stem(word: str, language: str) -> str:
    """The stem of `word` when it is a term of `language` (a content word that is not
    left out), else ""."""
    folded = fold(word)
    if folded in LEFT_OUT_WORDS.get(language, LEFT_OUT_WORDS["fr"]):
        return ""
    return stem(folded, language) if is_content_word(folded, language) else ""


def spelled_terms(text: str, language: str) -> dict[str, dict[str, int]]:
    """Each term of `text` with the count of each of its spellings (a pair's spelling keeps
    what joins its words: "euro-atlantique"), in the order the terms first occur (a pair
    right after its second word's stem). O(tokens): what an import runs for every paragraph.

    The text is split once into words and what lies between them (one C call, no match
    object per word); a word's term and whether a gap only joins are looked up in plain
    dicts, each distinct word stemmed once per process."""
    stems = _STEMS.setdefault(language, {})
    if len(stems) > STEMS_KEPT:  # a long-running worker sees ever new words
        stems.clear()
    found: dict[str, dict[str, int]] = {}
    pieces = _WORD_SPLIT.split(text)  # gap, word, gap, word, ..., gap
    previous = previous_word = previous_gap = ""
    for word, gap in zip(pieces[1::2], pieces[2::2], strict=True):
        key = stems.get(word)
        if key is None:
            key = stems[word] = content_stem(word, language)
        if key:
            spellings = found.setdefault(key, {})
            spellings[word] = spellings.get(word, 0) + 1
            if previous and (previous_gap == " " or _only_joiners(previous_gap)):
                spelled = f"{previous_word}{previous_gap}{word}"
                spellings = found.setdefault(f"{previous} {key}", {})
                spellings[spelled] = spellings.get(spelled, 0) + 1
        previous, previous_word, previous_gap = key, word, gap
    return found


def _only_joiners(gap: str) -> bool:
    joins = _GAPS.get(gap)
    if joins is None:
        if len(_GAPS) > STEMS_KEPT:
            _GAPS.clear()
        joins = _GAPS[gap] = _JOINERS_ONLY.fullmatch(gap) is not None
    return joins


def count_terms(text: str, language: str) -> dict[str, int]:
    """How often each term occurs in `text`."""
    return {
        key: sum(spellings.values()) for key, spellings in spelled_terms(text, language).items()
    }


def usual_spelling(spellings: dict[str, int]) -> str:
    """The most frequent spelling; on a tie, lower case ("frappes" over a sentence's
    "Frappes"), then the first in alphabetical order."""
    if len(spellings) == 1:  # most terms of a paragraph: no choice to make
        return next(iter(spellings))
    return min(spellings, key=lambda s: (-spellings[s], s != s.lower(), s))


def paragraph_terms(text: str, language: str) -> bytes:
    """What a paragraph stores of its words: each term, its usual spelling there, its count."""
    records = []
    counts = []
    for key, spellings in spelled_terms(text, language).items():
        if len(spellings) == 1:  # most terms of a paragraph: no choice to make, no sum
            ((spelling, count),) = spellings.items()
        else:
            spelling, count = usual_spelling(spellings), sum(spellings.values())
        records.append(f"{key}{_FIELD}{spelling}")
        counts.append(count)
    encoded = _RECORD.join(records).encode("utf-8")
    return encoded + _COUNTS + np.array(counts, dtype="<u4").tobytes()


def decode(blob: bytes | memoryview | None) -> tuple[list[str], list[str], np.ndarray]:
    """A stored paragraph's terms: (keys, usual spellings, counts)."""
    data = bytes(blob or b"")
    if not data:
        return [], [], np.empty(0, dtype="<u4")
    records, _, counts = data.partition(_COUNTS)
    if not records:  # a paragraph of no term ("Ainsi, mardi, ils continuent.")
        return [], [], np.empty(0, dtype="<u4")
    fields = records.decode("utf-8").split(_RECORD)
    keys, spellings = zip(*(record.split(_FIELD) for record in fields), strict=True)
    return list(keys), list(spellings), np.frombuffer(counts, dtype="<u4")


def is_pair(keys: np.ndarray) -> np.ndarray:
    """Which of these keys are pairs of stems."""
    return np.char.find(keys.astype(str), " ") >= 0 if len(keys) else np.zeros(0, dtype=bool)


def add_up(blobs: Iterable[bytes | memoryview | None]) -> tuple[np.ndarray, np.ndarray]:
    """The terms of many stored paragraphs added up: (keys sorted, their counts), as numpy
    arrays. Per paragraph one split of its bytes; the rest is array work."""
    keys: list[str] = []
    counts: list[np.ndarray] = []
    for blob in blobs:
        paragraph_keys, _, paragraph_counts = decode(blob)
        keys.extend(paragraph_keys)
        counts.append(paragraph_counts)
    if not keys:
        return np.empty(0, dtype=str), np.empty(0, dtype=np.int64)
    unique, inverse = np.unique(np.array(keys), return_inverse=True)
    totals = np.bincount(inverse, weights=np.concatenate(counts), minlength=len(unique))
    return unique, totals.astype(np.int64)


def spellings_in(texts: Iterable[str], language: str, keys: Iterable[str]) -> dict[str, dict]:
    """How `keys` are spelled in `texts`, with counts: single stems from the texts'
    distinct words, pairs by one regular expression over the texts. Linear in the texts,
    with no work per word occurrence beyond the regular expressions' own (C) loops."""
    texts = list(texts)
    wanted = set(keys)
    words: dict[str, int] = {}
    for text in texts:
        for word in _WORD.findall(text):
            words[word] = words.get(word, 0) + 1
    of_stem: dict[str, dict[str, int]] = {}
    for word, count in words.items():
        key = content_stem(word, language)
        if key:
            of_stem.setdefault(key, {})[word] = count
    found = {key: of_stem[key] for key in wanted if " " not in key and key in of_stem}
    for key in wanted:
        if " " not in key:
            continue
        first, second = key.split(" ", 1)
        if first not in of_stem or second not in of_stem:
            continue
        pattern = re.compile(
            rf"(?<![^\W_])(?:{'|'.join(map(re.escape, of_stem[first]))}){JOINERS}"
            rf"(?:{'|'.join(map(re.escape, of_stem[second]))})(?![^\W_])"
        )
        spellings: dict[str, int] = {}
        for text in texts:
            for spelled in pattern.findall(text):
                spellings[spelled] = spellings.get(spelled, 0) + 1
        if spellings:
            found[key] = spellings
    return found
