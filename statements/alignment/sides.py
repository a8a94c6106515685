"""A paragraph's sentences as the words a relation reads: folded, stems, what is negated
and what is quoted, and the keys that tell cheaply whether two sides may contradict.

A Side is built from a text (`Side.of`, tokenised here) or from words already found
(`Side.of_words`: the engine slices each paragraph's reading, kept by text).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import NamedTuple

from statements.text import is_content_word, match_stem, quotation_spans, stem, tokens

from .corpus import PARAGRAPH_CACHE

# Words that negate what follows them. French "ne"/"n'" comes with pas, jamais, plus,
# aucun(e), rien, nullement, guère; English not, no, never, n't ...
NEGATIONS = {
    "fr": frozenset(
        [
            "ne",
            "n",
            "pas",
            "jamais",
            "aucun",
            "aucune",
            "aucunement",
            "nullement",
            "rien",
            "guere",
            "non",
            "ni",
        ]
    ),
    "en": frozenset(
        [
            "not",
            "no",
            "never",
            "none",
            "nothing",
            "nobody",
            "nor",
            "neither",
            "without",
            "cannot",
            "t",
            "didn",
            "doesn",
            "don",
            "isn",
            "wasn",
            "aren",
            "weren",
            "won",
            "wouldn",
            "shouldn",
            "hasn",
            "haven",
            "hadn",
        ]
    ),
}
# English determiners that deny the verb before them too: "threatens no member", "poses no
# threat" (unlike "not": "calls on states not to support").
DENIED_BEFORE = frozenset(["no", "none", "nothing", "nobody"])
# Verbs of refusal negate too ("refusé de reconnaître", "s'abstenir de soutenir", "refrain from
# supporting"): stems.
REFUSALS = ("refus", "rejet", "reject", "deni", "deny", "nie", "absten", "abstain", "refrain")
# A negation covers the first content word within this many words after it, in its clause.
NEGATION_SCOPE = 2
# The marks `text.quotation_spans` pairs: a text without any has no quotation.
QUOTATION_MARKS = '\u00ab\u00bb\u2039\u203a\u201c\u201d\u201e"'
# Words that start another clause: a negation does not reach past them ("ne se déroule pas
# comme il l'avait prévu": "prévu" is not negated).
CLAUSE_WORDS = frozenset(
    ["comme", "que", "qu", "mais", "car", "si", "lorsque", "quand", "parce", "puisque"]
    + ["as", "than", "but", "because", "while", "when", "if", "that", "which", "who"]
)
# Punctuation that ends a negation's scope.
CLAUSE_BREAKS = frozenset('.,;:!?()[]\u00ab\u00bb"\u201c\u201d')
# Prefixes that turn a word into its opposite: illégitime, inacceptable, unprovoked.
NEGATIVE_PREFIXES = ("il", "in", "im", "ir", "un", "non", "de", "des", "dis")
PREFIXES_BY_LETTER = {
    letter: tuple(p for p in NEGATIVE_PREFIXES if p[0] == letter)
    for letter in {p[0] for p in NEGATIVE_PREFIXES}
}
MIN_STEM = 4
ROOT_LETTERS = 6


# A side's words by stem family and by bare word (positions), and the families negated.
Index = tuple[Mapping[str, Sequence[int]], Mapping[str, Sequence[int]], AbstractSet[str]]


@dataclass
class Side:
    """One side's evidence sentences as words: folded, stems, and what is negated."""

    text: str
    language: str
    spans: list[tuple[int, int]]  # evidence sentences, [start, end) in the paragraph
    # per word (lists, or tuples when kept for many sides)
    words: Sequence[str]
    originals: Sequence[str]
    stems: Sequence[str]
    content: Sequence[bool]
    negated: Sequence[bool]
    starts: Sequence[int]  # each word's [start, end) in the paragraph's text
    ends: Sequence[int]
    # What its words could contradict (`Keys`), when the caller knows it already.
    known_keys: Keys | None = field(default=None, repr=False, compare=False)
    # Its `index`, when the caller knows it already (read-only: tuples and a frozenset).
    known_index: Index | None = field(default=None, repr=False, compare=False)

    @cached_property
    def indexed(self) -> list[int]:
        """The positions of the words a contradiction is looked for on: lower-case content
        words with a stem of MIN_STEM letters or more."""
        words = zip(self.stems, self.content, self.originals, strict=True)
        return [
            k
            for k, (s, content, original) in enumerate(words)
            if content and len(s) >= MIN_STEM and original[:1].islower()
        ]

    @property
    def keys(self) -> Keys:
        if self.known_keys is None:
            self.known_keys = Keys.of(self)
        return self.known_keys

    @cached_property
    def index(self) -> Index:
        """Lower-case content words by stem family (`family`) and by bare word (less a
        plural or feminine ending), and the families negated somewhere."""
        if self.known_index is not None:
            return self.known_index
        by_root: dict[str, list[int]] = {}
        by_word: dict[str, list[int]] = {}
        negated: set[str] = set()
        stems, words, negations = self.stems, self.words, self.negated
        for k in self.indexed:
            root = stems[k][:ROOT_LETTERS]
            by_root.setdefault(root, []).append(k)
            by_word.setdefault(words[k].rstrip("sex"), []).append(k)
            if negations[k]:
                negated.add(root)
        return by_root, by_word, negated

    @cached_property
    def quoted(self) -> list[bool]:
        """Whether each word stands inside quotation marks: words reported, not asserted."""
        inside = [False] * len(self.words)
        if not has_quotation_marks(self.text):
            return inside
        for start, end in self.spans:
            for opening, closing in quotation_spans(self.text[start:end]):
                low = bisect_left(self.starts, start + opening)
                high = bisect_left(self.starts, start + closing)
                inside[low:high] = [True] * (high - low)
        return inside

    @cached_property
    def quotations(self) -> list[tuple[str, int, list[str]]]:
        """Quotations holding a content word in the side's sentences: (as written, number
        of words, folded content words)."""
        found = []
        if not has_quotation_marks(self.text):
            return found
        for start, end in self.spans:
            sentence = self.text[start:end]
            for opening, closing in quotation_spans(sentence):
                inner = tokens(sentence[opening + 1 : closing])
                content = [t.folded for t in inner if is_content_word(t.folded, self.language)]
                if content:
                    found.append((sentence[opening : closing + 1], len(inner), content))
        return found

    @cached_property
    def lexicon_stems(self) -> list[str]:
        """Per word, its Snowball stem, which the framing lexicon is matched on (see
        `lexicon`); `stems` are the engine's (`text.match_stem`)."""
        return [stem(word, self.language) for word in self.words]

    def words_between(self, first: int, stop: int) -> str:
        """Words first..stop-1 as the paragraph writes them ("guerre d'agression"). A
        quotation that opens among them and closes right after them, or opens right
        before them and closes among them, is taken whole (`text.quotation_spans`):
        "soi-disant « référendums »", never a mark without its pair."""
        start, end = self.starts[first], self.ends[stop - 1]
        if has_quotation_marks(self.text):
            for opening, closing in quotation_spans(self.text):
                if start <= opening < end < closing and not self.text[end:closing].strip():
                    end = closing + 1
                elif (
                    opening < start <= closing < end and not self.text[opening + 1 : start].strip()
                ):
                    start = opening
        return self.text[start:end]

    @classmethod
    def of(cls, text: str, language: str, spans: Sequence[tuple[int, int]]) -> Side:
        """The words of `text`'s sentences `spans`, tokenised here."""
        folded: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        opens: list[bool] = []
        for start, end in spans:
            for k, token in enumerate(tokens(text[start:end])):
                folded.append(token.folded)
                starts.append(start + token.start)
                ends.append(start + token.end)
                opens.append(k == 0)
        return cls.of_words(text, language, spans, folded, starts, ends, opens)

    @classmethod
    def of_words(
        cls,
        text: str,
        language: str,
        spans: Sequence[tuple[int, int]],
        folded: list[str],
        starts: list[int],
        ends: list[int],
        opens: list[bool],
        stems: list[str] | None = None,
        content: list[bool] | None = None,
    ) -> Side:
        """From words already found: folded, their offsets in `text`, whether each opens a
        sentence, and (if known) their stems and whether each is a content word. O(words)."""
        if stems is None:
            stems = [match_stem(word, language) for word in folded]
        if content is None:
            content = [is_content_word(word, language) for word in folded]
        negated = _negated(text, language, folded, starts, ends, opens, stems, content)
        return cls(
            text,
            language,
            list(spans),
            folded,
            [text[a:b] for a, b in zip(starts, ends, strict=True)],
            stems,
            content,
            negated,
            starts,
            ends,
        )

    def phrase(self, k: int) -> str:
        """Word k with the negation before it, as written ("ne reconnaîtront jamais")."""
        cues = NEGATIONS.get(self.language, NEGATIONS["fr"])
        start = k
        for back in range(k - 1, max(k - 4, -1), -1):
            if self.words[back] in cues:
                start = back
        end = k + 1
        while end < len(self.words) and self.words[end] in cues and end - k < 2:
            end += 1
        return self.words_between(start, end)


class Keys(NamedTuple):
    """Where a side's indexed words are, by sentence (a mask: bit s for sentence s), for
    telling cheaply whether two sides may contradict: the stem families said plainly (and
    outside quotation marks: asserted) and negated, the bare words, and the bare words less
    a negative prefix ("illegitime" -> "legitime"). `within`: the mask of the sentences the
    side reads (-1: all of them)."""

    plain: dict[str, int]
    asserted: dict[str, int]
    negated: tuple[tuple[str, int], ...]
    bare: dict[str, int]
    unprefixed: tuple[tuple[str, int], ...]
    within: int = -1

    @classmethod
    def of(cls, side: Side, sentence_of: Sequence[int] | None = None) -> Keys:
        """The keys of the side's indexed words, word k in sentence `sentence_of[k]` (all in
        one sentence if not given)."""
        plain: dict[str, int] = {}
        asserted: dict[str, int] = {}
        negated: dict[str, int] = {}
        bare: dict[str, int] = {}
        unprefixed: list[tuple[str, int]] = []
        stems, words, negations = side.stems, side.words, side.negated
        quoted = side.quoted if has_quotation_marks(side.text) else None
        for k in side.indexed:
            bit = 1 << sentence_of[k] if sentence_of else 1
            root = stems[k][:ROOT_LETTERS]  # `family` inlined: once per word of the corpus
            found = negated if negations[k] else plain
            found[root] = found.get(root, 0) | bit
            if quoted is not None and not negations[k] and not quoted[k]:
                asserted[root] = asserted.get(root, 0) | bit
            word = words[k].rstrip("sex")
            bare[word] = bare.get(word, 0) | bit
            if word[:1] in PREFIXES_BY_LETTER:
                unprefixed += [
                    (word[len(prefix) :], bit)
                    for prefix in PREFIXES_BY_LETTER[word[:1]]
                    if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM
                ]
        # Without quotation marks, every word said plainly is asserted.
        asserted = plain if quoted is None else asserted
        return cls(plain, asserted, tuple(negated.items()), bare, tuple(unprefixed))

    def may_contradict(self, other: Keys) -> bool:
        """Whether `contradictions` can find anything between the two: a family one side
        negates and asserts nowhere (`_denies`), said plainly on the other (`_asserts`), or
        a word and its prefixed opposite."""
        return (
            self._negated_only(other)
            or other._negated_only(self)
            or self._opposed_in(other)
            or other._opposed_in(self)
        )

    def _negated_only(self, other: Keys) -> bool:
        mine, theirs, asserted, plain = self.within, other.within, self.asserted, other.plain
        return any(
            mask & mine and not asserted.get(root, 0) & mine and plain.get(root, 0) & theirs
            for root, mask in self.negated
        )

    def _opposed_in(self, other: Keys) -> bool:
        mine, theirs, bare = self.within, other.within, other.bare
        return any(mask & mine and bare.get(word, 0) & theirs for word, mask in self.unprefixed)


def _negated(
    text: str,
    language: str,
    folded: Sequence[str],
    starts: Sequence[int],
    ends: Sequence[int],
    opens: Sequence[bool],
    stems: Sequence[str],
    content: Sequence[bool],
) -> list[bool]:
    """Per word, whether it is negated: the first content word within NEGATION_SCOPE words
    after a negation, in its clause (a clause break, a new sentence, a clause word or
    another negation ends the scope). O(words), and the gaps are read only after a
    negation."""
    cues = NEGATIONS.get(language, NEGATIONS["fr"])
    found = [k for k, word in enumerate(folded) if word in cues or stems[k].startswith(REFUSALS)]
    negated = [False] * len(folded)

    def breaks(k: int) -> bool:  # a clause break (punctuation, or a new sentence) before k
        return opens[k] or _breaks_clause(text[ends[k - 1] : starts[k]])

    cue_at = set(found)
    for cue in found:
        # "threatens no member": the verb before is denied.
        if folded[cue] in DENIED_BEFORE and cue and content[cue - 1] and not breaks(cue):
            negated[cue - 1] = True
        for k in range(cue + 1, min(cue + 1 + NEGATION_SCOPE, len(folded))):
            if k in cue_at or breaks(k) or folded[k] in CLAUSE_WORDS:
                break
            if content[k]:
                negated[k] = True
                break
    return negated


def _breaks_clause(gap: str) -> bool:
    return gap != " " and any(c in CLAUSE_BREAKS for c in gap)


def family(stem_: str) -> str:
    """Stems cut to ROOT_LETTERS letters: one family for the forms a stemmer leaves apart
    ("threat" / "threaten", "reconnaîtront" / "reconnaît")."""
    return stem_[:ROOT_LETTERS]


# Asked of a paragraph's text by every side read of it, several times per link: kept by
# text like the paragraph's words (`corpus.PARAGRAPH_CACHE`).
@lru_cache(maxsize=PARAGRAPH_CACHE)
def has_quotation_marks(text: str) -> bool:
    return any(mark in text for mark in QUOTATION_MARKS)
