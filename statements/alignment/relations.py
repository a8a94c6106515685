"""What a linked pair of paragraphs does with the shared claim, and why the engine says so.

Read on the link's evidence (its best sentence pairs), so that a paragraph's other claims
do not decide. The first that applies wins (the development set's priority rule):

* contradicts: a word one side asserts is negated on the other ("ne reconnaîtront jamais"
  / "reconnaît", "n'est pas partie" / "est partie"), or turned into its opposite by a
  negative prefix ("illégitime" / "légitime", "unprovoked" / "provoked");
* reframes: a framing-lexicon term swapped for another side's term of the same concept
  ("annexion illégale" / "rattachement"), a qualifier dropped or added with none of its
  kind on the other side ("faux référendums" / "référendums"; "faux" / "fictifs" is no
  change), or scare quotes around a word the other side uses plainly;
* quotes / translates: a verbatim run particular to the pair, or a quotation traced from
  one paragraph to the other; across languages, vectors close enough for a translation;
* restates: the same claim in other words (the evidence sentences match);
* context: the paragraphs share a subject but no sentence says the same thing.

Besides the lexicon's terms, a reason names the words that differ within an otherwise
matching sentence pair ("swap" with `"found": "pair"`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cached_property
from typing import Any, NamedTuple

from statements.text import fold, is_content_word, quotation_spans, stem, tokens
from statements.text import words as folded_words

from .lexicon import Found, Lexicon, Term

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
# Qualifier kinds that change the framing when dropped or added, and what each does to
# what it qualifies: doubt it or endorse it. An intensifier changes nothing.
STANCES = {"delegitimising": "doubt", "distancing": "doubt", "legitimising": "endorse"}
QUALIFIER_KINDS = frozenset({*STANCES, "intensifying"})
# The qualifier kind of a denial ("conteste", "staged"): said on one side only, it
# contradicts the shared claim.
DENYING = "denying"
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
# A sentence pair matching this well is "otherwise the same": the words that differ in it
# are reported. Below CONTEXT_BELOW no sentence pair says the same thing.
MATCHING_SENTENCES = 0.35
CONTEXT_BELOW = 0.12
# A verbatim run of this many words, particular to the pair, makes a quote.
QUOTE_RUN_WORDS = 8
TRANSLATION_MIN_COSINE = 0.7
# A lexicon term whose content words are this much on the other side was not swapped.
SWAP_KEPT_SHARE = 0.5
# A quotation is the other side's words when this share of its content words is there.
QUOTED_WORDS_SHARE = 2 / 3
# Scare quotes hold one word (« vidé », « référendums »); a quoted phrase is a quotation.
SCARE_QUOTE_MAX_WORDS = 1


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
    def index(self) -> tuple[dict[str, list[int]], dict[str, list[int]], set[str]]:
        """Lower-case content words by stem family (`_root`) and by bare word (`_bare`),
        and the families negated somewhere."""
        by_root: dict[str, list[int]] = {}
        by_word: dict[str, list[int]] = {}
        negated: set[str] = set()
        for k in self.indexed:
            root = self.stems[k][:ROOT_LETTERS]
            by_root.setdefault(root, []).append(k)
            by_word.setdefault(self.words[k].rstrip("sex"), []).append(k)
            if self.negated[k]:
                negated.add(root)
        return by_root, by_word, negated

    @cached_property
    def quoted(self) -> list[bool]:
        """Whether each word stands inside quotation marks: words reported, not asserted."""
        inside = [False] * len(self.words)
        if not _has_quotation_marks(self.text):
            return inside
        for start, end in self.spans:
            for opening, closing in quotation_spans(self.text[start:end]):
                low = bisect_left(self.starts, start + opening)
                high = bisect_left(self.starts, start + closing)
                inside[low:high] = [True] * (high - low)
        return inside

    def words_between(self, first: int, stop: int) -> str:
        """Words first..stop-1 as the paragraph writes them ("guerre d'agression")."""
        return self.text[self.starts[first] : self.ends[stop - 1]]

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
            stems = [stem(word, language) for word in folded]
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
        quoted = side.quoted if _has_quotation_marks(side.text) else None
        for k in side.indexed:
            bit = 1 << sentence_of[k] if sentence_of else 1
            root = stems[k][:ROOT_LETTERS]  # _root, _bare inlined: once per word of the corpus
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
        mine, theirs = self.within, other.within
        return any(
            mask & mine
            and not self.asserted.get(root, 0) & mine
            and other.plain.get(root, 0) & theirs
            for root, mask in self.negated
        )

    def _opposed_in(self, other: Keys) -> bool:
        return any(
            mask & self.within and other.bare.get(word, 0) & other.within
            for word, mask in self.unprefixed
        )


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


def _opposites(word: str) -> list[str]:
    """The stems that are `word`'s opposite by a negative prefix, either way
    ("illegitim" -> "legitim", "legitim" -> "illegitim", ...)."""
    found = [prefix + word for prefix in NEGATIVE_PREFIXES]
    found += [
        word[len(prefix) :]
        for prefix in NEGATIVE_PREFIXES
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM
    ]
    return found


def _root(stem_: str) -> str:
    """Stems cut to ROOT_LETTERS letters: one family for the forms a stemmer leaves apart
    ("threat" / "threaten", "reconnaîtront" / "reconnaît")."""
    return stem_[:ROOT_LETTERS]


def _bare(word: str) -> str:
    return word.rstrip("sex")


def contradictions(left: Side, right: Side) -> list[dict[str, Any]]:
    """A shared word negated on one side only, or turned into its opposite. Only negated
    words and words with a negative prefix are looked up: O(words)."""
    if not left.keys.may_contradict(right.keys):
        return []
    reasons: list[dict[str, Any]] = []
    seen: set[str] = set()
    (left_roots, left_words, left_negated), (right_roots, right_words, right_negated) = (
        left.index,
        right.index,
    )

    def found(kind: str, k: int, m: int, root: str) -> None:
        seen.add(root)
        reasons.append({"kind": kind, "left": left.phrase(k), "right": right.phrase(m)})

    # Negated on one side only: only families negated somewhere can be.
    for root in sorted(left_negated | right_negated):
        positions, others = left_roots.get(root), right_roots.get(root)
        if not positions or not others or root in seen:
            continue
        if _denies(left, positions) and _asserts(right, others):
            found("negation", next(k for k in positions if left.negated[k]), others[0], root)
        elif _denies(right, others) and _asserts(left, positions):
            found("negation", positions[0], next(m for m in others if right.negated[m]), root)
    # Opposites by a negative prefix, checked on the words themselves (a stemmer makes
    # "irresponsible" and "response" look related): either side may carry the prefix.
    for words, other_words, on_left in (
        (left_words, right_words, True),
        (right_words, left_words, False),
    ):
        for word, positions in words.items():
            for prefix in PREFIXES_BY_LETTER.get(word[:1], ()):
                if not word.startswith(prefix) or len(word) - len(prefix) < MIN_STEM:
                    continue
                others = other_words.get(word[len(prefix) :])
                if not others:
                    continue
                k, m = (positions[0], others[0]) if on_left else (others[0], positions[0])
                root = _root(left.stems[k])
                if root not in seen and left.negated[k] == right.negated[m]:
                    found("antonym", k, m, root)
    return reasons


def denials(left: Side, right: Side, lexicon: Lexicon | None) -> list[dict[str, Any]]:
    """A denial one paragraph makes and the other does not (the lexicon's denying terms:
    "Moscou conteste", "mise en scène", "baseless"), in either language."""
    if lexicon is None or not lexicon.size:
        return []
    reasons = []
    found = [lexicon.find(side.stems, side.language, {DENYING}) for side in (left, right)]
    for side, key, own, other in ((left, "left", *found), (right, "right", *found[::-1])):
        if own and not other:
            reasons.append({"kind": "denial", key: side.words_between(own[0].start, own[0].end)})
    return reasons


def _denies(side: Side, positions: list[int]) -> bool:
    """The side negates the word, and says it plainly only inside quotation marks (where
    it reports the claim it denies: "the most direct threat" ... "threatens no member")."""
    negated = side.negated
    return any(negated[k] for k in positions) and all(
        negated[k] or side.quoted[k] for k in positions
    )


def _asserts(side: Side, positions: list[int]) -> bool:
    return not all(side.negated[k] for k in positions)


def framings(left: Side, right: Side, lexicon: Lexicon | None) -> list[dict[str, Any]]:
    """Lexicon swaps, qualifiers dropped or added, scare quotes."""
    reasons: list[dict[str, Any]] = []
    if lexicon is not None and lexicon.size:
        # Qualifiers are looked for on their own: "libérés" frames "territoires libérés".
        found_left = lexicon.find(left.stems, left.language)
        found_right = lexicon.find(right.stems, right.language)
        qualifiers_left = lexicon.find(left.stems, left.language, QUALIFIER_KINDS)
        qualifiers_right = lexicon.find(right.stems, right.language, QUALIFIER_KINDS)
        left_texts = {fold(f.term.text) for f in found_left}
        right_texts = {fold(f.term.text) for f in found_right}
        # Swapped terms: one concept, each side's own term.
        for f in found_left:
            if not f.term.concept or f.term.side == "any":
                continue
            for g in found_right:
                if (
                    g.term.concept == f.term.concept
                    and g.term.side not in ("any", f.term.side)
                    and fold(g.term.text) not in left_texts
                    and fold(f.term.text) not in right_texts
                    and not _named_in(f.term, right)
                    and not _named_in(g.term, left)
                ):
                    reasons.append(
                        {
                            "kind": "swap",
                            "left": left.words_between(f.start, f.end),
                            "right": right.words_between(g.start, g.end),
                        }
                    )
                    break
        # Qualifiers: dropped or added, unless the other side casts the same doubt (or
        # endorsement).
        stances_left = {STANCES[f.term.kind] for f in qualifiers_left if f.term.kind in STANCES}
        stances_right = {STANCES[f.term.kind] for f in qualifiers_right if f.term.kind in STANCES}
        for f in qualifiers_left:
            if _changes_framing(f, stances_right):
                reasons.append(
                    {"kind": "dropped", "left": left.words_between(f.start, f.end)}
                    | ({"distancing": True} if f.term.kind == "distancing" else {})
                )
        for g in qualifiers_right:
            if _changes_framing(g, stances_left):
                reasons.append(
                    {"kind": "added", "right": right.words_between(g.start, g.end)}
                    | ({"distancing": True} if g.term.kind == "distancing" else {})
                )
    # Scare quotes: a word in quotation marks that the left does not say (the right's
    # distancing: « vidé »); or that the left puts in quotation marks and the right says
    # plainly (the left's distancing, which the right drops: soi-disant « référendums »).
    # A word the left says, quoted on the right, is a quote ("ironclad").
    left_stems = set(left.stems)
    for quoted in _scare_quotes(right):
        stems = {stem(word, right.language) for word in quoted[1]}
        if not stems <= left_stems:
            reasons.append({"kind": "scare_quotes", "right": quoted[0]})
    for quoted in _scare_quotes(left):
        stems = {stem(word, left.language) for word in quoted[1]}
        if stems & set(right.stems) and not _scare_quoted_in(right, stems):
            reasons.append({"kind": "dropped", "left": quoted[0]})
    return _unique(reasons)


def _changes_framing(found: Found, other_stances: set[str]) -> bool:
    """A qualifier of one side frames the claim when the other side takes no stance of its
    kind: "faux", "fictifs" and "soi-disant" all cast doubt, "libérés" endorses."""
    stance = STANCES.get(found.term.kind)
    return stance is not None and stance not in other_stances


def _named_in(term: Term, side: Side) -> bool:
    """Most of the term's content words are on the side: it keeps the term's own words
    ("nuclear rhetoric" for "irresponsible nuclear rhetoric"), so nothing was swapped."""
    content = [
        s
        for w, s in zip(folded_words(term.text), term.stems, strict=False)
        if is_content_word(w, term.language)
    ]
    said = set(side.stems)
    return bool(content) and sum(s in said for s in content) >= SWAP_KEPT_SHARE * len(content)


def _scare_quotes(side: Side, most: int = SCARE_QUOTE_MAX_WORDS) -> list[tuple[str, list[str]]]:
    """Quotations of at most `most` words in the side's evidence sentences: (as written,
    folded content words)."""
    return [(written, content) for written, size, content in _quotations(side) if size <= most]


def _quotations(side: Side) -> list[tuple[str, int, list[str]]]:
    """Quotations holding a content word in the side's evidence sentences: (as written,
    number of words, folded content words)."""
    found = []
    if not _has_quotation_marks(side.text):
        return found
    for start, end in side.spans:
        sentence = side.text[start:end]
        for opening, closing in quotation_spans(sentence):
            inner = tokens(sentence[opening + 1 : closing])
            content = [t.folded for t in inner if is_content_word(t.folded, side.language)]
            if content:
                found.append((sentence[opening : closing + 1], len(inner), content))
    return found


def quoted_words(left: Side, right: Side) -> list[dict[str, Any]]:
    """A quotation on one side whose words the other side says (most of its content words,
    by stem): that side quotes the other, trimmed or in full ("ironclad", « conséquences
    graves »). At most one reason per side."""
    reasons = []
    for side, other, key in ((right, left, "right"), (left, right, "left")):
        said = set(other.stems)
        for written, _, content in _quotations(side):
            found = sum(stem(word, side.language) in said for word in content)
            if found >= QUOTED_WORDS_SHARE * len(content):
                reasons.append({"kind": "attributed_quote", key: written[1:-1].strip()})
                break
    return reasons


def _has_quotation_marks(text: str) -> bool:
    return any(mark in text for mark in QUOTATION_MARKS)


def _scare_quoted_in(side: Side, stems: set[str]) -> bool:
    return any(
        {stem(word, side.language) for word in quoted[1]} & stems for quoted in _scare_quotes(side)
    )


def differing_words(left: Side, right: Side) -> list[dict[str, Any]]:
    """Content words replaced within matching sentences (beyond the lexicon)."""
    reasons = []
    matcher = SequenceMatcher(None, left.stems, right.stems, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag != "replace" or a1 - a0 > 3 or b1 - b0 > 3:
            continue
        if not any(left.content[a0:a1]) or not any(right.content[b0:b1]):
            continue
        if not all(left.originals[k][0].islower() for k in range(a0, a1) if left.content[k]):
            continue
        reasons.append(
            {
                "kind": "swap",
                "left": left.words_between(a0, a1),
                "right": right.words_between(b0, b1),
                "found": "pair",
            }
        )
    return reasons[:2]


def shared_words(left: Side, right: Side, limit: int = 4) -> list[str]:
    """The longest content words both sides' evidence has (by stem), as the left writes them."""
    right_stems = {s for s, c in zip(right.stems, right.content, strict=True) if c}
    shared: dict[str, str] = {}
    for k, s in enumerate(left.stems):
        if left.content[k] and s in right_stems and s not in shared:
            shared[s] = left.originals[k]
    return sorted(shared.values(), key=lambda word: (-len(word), word))[:limit]


def classify(
    left: Side,
    right: Side,
    *,
    lexicon: Lexicon | None,
    best: float,
    run_words: int,
    quoted: bool,
    cross: bool,
    cosine: float | None,
    whole: Callable[[], tuple[Side, Side]] | None = None,
    matching: Callable[[], tuple[Side, Side] | None] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """(relation, reasons) of a linked pair; see the module docstring for the rules.

    `left` and `right` are the evidence sentences; `whole` gives both paragraphs in full: a
    denial often follows the sentence that repeats the claim ("... « visent à priver des
    millions d'Ukrainiens de services essentiels ». Aucune cible civile n'est visée."), so
    each side's evidence is also read against the other paragraph in full. `matching`
    gives the best sentence pair, whose differing words a restatement reports (words of
    two other sentences are no swap).
    """
    reasons: list[dict[str, Any]] = []
    if cross or best >= CONTEXT_BELOW:
        found = [] if cross else contradictions(left, right)
        if not found:
            left_whole, right_whole = (left, right) if whole is None else whole()
            # A side whose evidence is the whole paragraph was read in full already.
            if not cross and right_whole is not right:
                found = contradictions(left, right_whole)
            if not cross and not found and left_whole is not left:
                found = contradictions(left_whole, right)
            if not found:
                found = denials(left_whole, right_whole, lexicon)
        if found:
            return "contradicts", found
    quoting: list[dict[str, Any]] = []
    if run_words >= QUOTE_RUN_WORDS:
        quoting.append({"kind": "verbatim", "words": run_words})
    if quoted:
        quoting.append({"kind": "attributed_quote", "right": _first_quotation(right)})
    elif not cross:
        quoting += quoted_words(left, right)

    found = framings(left, right, lexicon)
    # Distancing (so-called, soi-disant) and swapped terms reframe even a quotation; a
    # quotation the other side can find in full is a quote, whatever else is said around it.
    distancing = [r for r in found if r["kind"] == "swap" or r.get("distancing")]
    if distancing:
        return "reframes", [*found, *quoting]
    if quoting:
        return "quotes", quoting
    translation = cross and cosine is not None and cosine >= TRANSLATION_MIN_COSINE
    if translation:
        return "translates", [{"kind": "translation", "cosine": round(float(cosine), 2)}]
    if found:
        return "reframes", found
    if not cross and best >= MATCHING_SENTENCES:
        pair = matching() if matching is not None else None
        reasons.extend(differing_words(*(pair or (left, right))))
    words = shared_words(left, right)
    if words:
        reasons.append({"kind": "shared", "words": words})
    if run_words:
        reasons.insert(0, {"kind": "verbatim", "words": run_words})
    elif best < CONTEXT_BELOW and not cross:
        return "context", reasons
    return "restates", reasons


def _first_quotation(side: Side) -> str:
    for start, end in side.spans:
        sentence = side.text[start:end]
        for opening, closing in quotation_spans(sentence):
            return sentence[opening + 1 : closing].strip()
    return ""


def _unique(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen = set()
    kept = []
    for reason in reasons:
        key = tuple(sorted(reason.items()))
        if key not in seen:
            seen.add(key)
            kept.append(reason)
    return kept
