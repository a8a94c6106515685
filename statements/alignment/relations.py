"""What a linked pair of paragraphs does with the shared claim, and why the engine says so.

Read on the link's evidence (its best sentence pairs), so that a paragraph's other claims
do not decide; across languages, where the evidence is matched on names and numbers, the
framing is read on both paragraphs in full. The first that applies wins (the development
set's priority rule):

* contradicts: a word one side asserts is negated on the other ("ne reconnaîtront jamais"
  / "reconnaît", "n'est pas partie" / "est partie"), or turned into its opposite by a
  negative prefix ("illégitime" / "légitime", "unprovoked" / "provoked"); a denial of the
  lexicon said on one side only ("conteste", "baseless"; a rebuttal marker, "en réalité",
  only where its paragraph reports the claim); a word the coverage quotes and then
  negates in its own voice (« menaces nucléaires » ... "n'a menacé personne");
* reframes by distancing ("soi-disant", "so-called") or a framing-lexicon term swapped for
  another side's term of the same concept ("annexion illégale" / "rattachement"), even
  around a quotation;
* quotes / translates: a verbatim run particular to the pair, a quotation traced from
  one paragraph to the other, a verbatim run inside quotation marks, or coverage whose
  evidence is a speaker quoted making the same claim; across languages, vectors close
  enough for a translation;
* reframes: a qualifier dropped or added with none of its kind on the other side ("faux
  référendums" / "référendums"; "faux" / "fictifs" is no change), or scare quotes around
  a word the other side uses plainly;
* translates: across languages, the coverage quotes the other side in its own language (a
  quotation of a few words);
* restates: the same claim in other words (the evidence sentences match);
* context: the paragraphs share a subject but no sentence says the same thing (no sentence
  pair matches, or the best shares only names, dates, numbers and connectives).

Besides the lexicon's terms, a reason names the words that differ within an otherwise
matching sentence pair ("swap" with `"found": "pair"`).
"""

from __future__ import annotations

from collections.abc import Callable
from difflib import SequenceMatcher
from typing import Any

from statements.terms import LEFT_OUT_WORDS
from statements.text import fold, match_stem, quotation_spans

from .lexicon import Found, Lexicon, Term
from .sides import (
    MIN_STEM,
    PREFIXES_BY_LETTER,
    Side,
    family,
    has_quotation_marks,
)

# Qualifier kinds that change the framing when dropped or added, and what each does to
# what it qualifies: doubt it or endorse it. An intensifier changes nothing.
STANCES = {"delegitimising": "doubt", "distancing": "doubt", "legitimising": "endorse"}
QUALIFIER_KINDS = frozenset({*STANCES, "intensifying"})
# The qualifier kind of a denial ("conteste", "staged"): said on one side only, it
# contradicts the shared claim.
DENYING = "denying"
# Rebuttal markers ("en réalité") deny only what their own paragraph reports.
DENIALS = frozenset({DENYING, "rebutting"})
DISTANCING = "distancing"
# A sentence pair matching this well is "otherwise the same": the words that differ in it
# are reported. Below CONTEXT_BELOW no sentence pair says the same thing.
MATCHING_SENTENCES = 0.35
CONTEXT_BELOW = 0.12
# A sentence pair sharing fewer lower-case content words than this says no claim in common.
CLAIM_WORDS = 2
# A verbatim run of this many words, particular to the pair, makes a quote.
QUOTE_RUN_WORDS = 8
TRANSLATION_MIN_COSINE = 0.7
# Across languages, a quotation of this many words is the other side's words translated.
TRANSLATED_QUOTATION_WORDS = 5
# A lexicon term whose content words are this much on the other side was not swapped.
SWAP_KEPT_SHARE = 0.5
# A quotation is the other side's words when this share of its content words is there.
QUOTED_WORDS_SHARE = 2 / 3
# Evidence whose words are this share inside quotation marks, and at least this many, is
# someone's speech quoted.
QUOTED_SPEECH_SHARE = 2 / 3
QUOTED_SPEECH_WORDS = 6
# Scare quotes hold one word (« vidé », « référendums »); a quoted phrase is a quotation.
SCARE_QUOTE_MAX_WORDS = 1


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
                root = family(left.stems[k])
                if root not in seen and left.negated[k] == right.negated[m]:
                    found("antonym", k, m, root)
    return reasons


def denials(left: Side, right: Side, lexicon: Lexicon | None) -> list[dict[str, Any]]:
    """A denial one paragraph makes and the other does not, in either language: the
    lexicon's denying terms ("Moscou conteste", "mise en scène", "baseless"), and its
    rebuttal markers ("en réalité", "in reality") where that paragraph reports the claim it
    rebuts (a quotation, or a distancing word: "paraît-il", "we are told")."""
    if lexicon is None or not lexicon.size:
        return []
    found = [
        lexicon.find(side.lexicon_stems, side.language, DENIALS, side.words)
        for side in (left, right)
    ]
    reasons = []
    for side, key, own, other in ((left, "left", *found), (right, "right", *found[::-1])):
        own = [f for f in own if f.term.kind == DENYING or _reports_a_claim(side, lexicon)]
        if own and not other:
            reasons.append({"kind": "denial", key: side.words_between(own[0].start, own[0].end)})
    return reasons


def _reports_a_claim(side: Side, lexicon: Lexicon) -> bool:
    return bool(side.quotations) or bool(
        lexicon.find(side.lexicon_stems, side.language, {DISTANCING}, side.words)
    )


def denied_quotations(coverage: Side, other: Side) -> list[dict[str, Any]]:
    """A word the coverage puts in quotation marks and then negates in its own voice, in a
    quotation that shares a word with the other side, which does not negate it: the
    coverage reports the other side's claim to deny it ("les prétendues « menaces
    nucléaires » ... n'a menacé personne")."""
    if not has_quotation_marks(coverage.text):
        return []
    roots, _, negated_roots = coverage.index
    quoted, negated = coverage.quoted, coverage.negated
    other_negated, other_stems = other.index[2], set(other.stems)
    for root in sorted(negated_roots - other_negated):
        positions = roots[root]
        reported = [k for k in positions if quoted[k] and not negated[k]]
        denied = [k for k in positions if negated[k] and not quoted[k]]
        if reported and denied and _quotation_shares(coverage, reported[0], other_stems):
            return [
                {
                    "kind": "denied_quote",
                    "right": coverage.phrase(denied[0]),
                    "quoted": coverage.words_between(reported[0], reported[0] + 1),
                }
            ]
    return []


def _quotation_shares(side: Side, k: int, stems: set[str]) -> bool:
    """Whether the quotation holding word k has a content word among `stems`."""
    first, stop = k, k + 1
    while first > 0 and side.quoted[first - 1]:
        first -= 1
    while stop < len(side.quoted) and side.quoted[stop]:
        stop += 1
    return any(side.content[m] and side.stems[m] in stems for m in range(first, stop))


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
        found_left = lexicon.find(left.lexicon_stems, left.language)
        found_right = lexicon.find(right.lexicon_stems, right.language)
        qualifiers_left = lexicon.find(
            left.lexicon_stems, left.language, QUALIFIER_KINDS, left.words
        )
        qualifiers_right = lexicon.find(
            right.lexicon_stems, right.language, QUALIFIER_KINDS, right.words
        )
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
                    | ({"distancing": True} if f.term.kind == DISTANCING else {})
                )
        for g in qualifiers_right:
            if _changes_framing(g, stances_left):
                reasons.append(
                    {"kind": "added", "right": right.words_between(g.start, g.end)}
                    | ({"distancing": True} if g.term.kind == DISTANCING else {})
                )
    # Scare quotes: a word in quotation marks that the left does not say (the right's
    # distancing: « vidé »); or that the left puts in quotation marks and the right says
    # plainly (the left's distancing, which the right drops: soi-disant « référendums »).
    # A word the left says, quoted on the right, is a quote ("ironclad").
    for quoted in _scare_quotes(right):
        stems = {match_stem(word, right.language) for word in quoted[1]}
        if not stems <= set(left.stems):
            reasons.append({"kind": "scare_quotes", "right": quoted[0]})
    for quoted in _scare_quotes(left):
        stems = {match_stem(word, left.language) for word in quoted[1]}
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
    said = set(side.lexicon_stems)
    kept = sum(s in said for s in term.content)
    return bool(term.content) and kept >= SWAP_KEPT_SHARE * len(term.content)


def _scare_quotes(side: Side, most: int = SCARE_QUOTE_MAX_WORDS) -> list[tuple[str, list[str]]]:
    """Quotations of at most `most` words in the side's evidence sentences: (as written,
    folded content words)."""
    return [(written, content) for written, size, content in side.quotations if size <= most]


def quoted_words(left: Side, right: Side) -> list[dict[str, Any]]:
    """A quotation on one side whose words the other side says (most of its content words,
    by stem): that side quotes the other, trimmed or in full ("ironclad", « conséquences
    graves »). At most one reason per side."""
    reasons = []
    for side, other, key in ((right, left, "right"), (left, right, "left")):
        if not side.quotations:  # most sides: no set to build
            continue
        said = set(other.stems)
        for written, _, content in side.quotations:
            found = sum(match_stem(word, side.language) in said for word in content)
            if found >= QUOTED_WORDS_SHARE * len(content):
                reasons.append({"kind": "attributed_quote", key: _inside(written)})
                break
    return reasons


def quoted_speech(left: Side, right: Side) -> list[dict[str, Any]]:
    """The right side (the coverage) quotes someone saying what the left says in its own
    voice: its evidence is mostly a quotation (« Les membres de l'Alliance ne reconnaîtront
    jamais … », a déclaré le secrétaire général), the left's is not. What the speaker
    leaves out is not the outlet's framing. Two quotations (two speakers saying the same)
    are a restatement."""
    if not _is_speech(right) or _is_speech(left):
        return []
    longest = max(right.quotations, key=lambda quotation: quotation[1], default=None)
    return [{"kind": "attributed_quote", "right": _inside(longest[0])}] if longest else []


def _is_speech(side: Side) -> bool:
    """QUOTED_SPEECH_SHARE of the side's words, and QUOTED_SPEECH_WORDS or more, are
    inside quotation marks."""
    if not side.quotations:
        return False
    inside = sum(side.quoted)
    return inside >= QUOTED_SPEECH_WORDS and inside >= QUOTED_SPEECH_SHARE * len(side.quoted)


def _scare_quoted_in(side: Side, stems: set[str]) -> bool:
    return any(
        {match_stem(word, side.language) for word in quoted[1]} & stems
        for quoted in _scare_quotes(side)
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
    quoted_run: dict[str, str] | None = None,
    whole: Callable[[], tuple[Side, Side]] | None = None,
    matching: Callable[[], tuple[Side, Side] | None] | None = None,
) -> tuple[str, list[dict[str, Any]]]:
    """(relation, reasons) of a linked pair; see the module docstring for the rules.

    `left` and `right` are the evidence sentences; `whole` gives both paragraphs in full: a
    denial often follows the sentence that repeats the claim ("... « visent à priver des
    millions d'Ukrainiens de services essentiels ». Aucune cible civile n'est visée."), so
    each side's evidence is also read against the other paragraph in full. `matching`
    gives the best sentence pair, whose differing words a restatement reports (words of
    two other sentences are no swap). `quoted_run`: the reason a verbatim run inside
    quotation marks makes (engine `_quoted_run`), if there is one.
    """
    reasons: list[dict[str, Any]] = []
    pair: tuple[Side, Side] | None = None
    read_whole: tuple[Side, Side] | None = None

    def best_pair() -> tuple[Side, Side]:
        nonlocal pair
        if pair is None:
            pair = (matching() if matching is not None else None) or (left, right)
        return pair

    def paragraphs() -> tuple[Side, Side]:
        nonlocal read_whole
        if read_whole is None:
            read_whole = (left, right) if whole is None else whole()
        return read_whole

    if cross or best >= CONTEXT_BELOW:
        found = [] if cross else contradictions(left, right)
        if not found:
            left_whole, right_whole = paragraphs()
            # A side whose evidence is the whole paragraph was read in full already.
            if not cross and right_whole is not right:
                found = contradictions(left, right_whole)
            if not cross and not found and left_whole is not left:
                found = contradictions(left_whole, right)
            if not found:
                found = denials(left_whole, right_whole, lexicon)
            if not found:
                found = denied_quotations(right_whole, left_whole)
        if found:
            return "contradicts", found
    quoting: list[dict[str, Any]] = []
    if run_words >= QUOTE_RUN_WORDS:
        quoting.append({"kind": "verbatim", "words": run_words})
    if quoted:
        quoting.append({"kind": "attributed_quote", "right": _first_quotation(right)})
    elif quoted_run:
        quoting.append(quoted_run)
    elif not cross:
        quoting += quoted_words(left, right)
        # Speech quotes only a claim the sides share (two words or more that are no name).
        speech = not quoting and best >= CONTEXT_BELOW and _is_speech(right)
        if speech and not _names_only(*best_pair()):
            quoting += quoted_speech(left, right)

    # Across languages the evidence sentences are matched on names and numbers only: the
    # framing is read on both paragraphs in full.
    found = framings(*(paragraphs() if cross else (left, right)), lexicon)
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
    quotation = _translated_quotation(right) if cross else None
    if quotation:
        return "translates", [{"kind": "translation", "quotation": quotation}]
    context = not cross and not run_words and (best < CONTEXT_BELOW or _names_only(*best_pair()))
    if not cross and not context and best >= MATCHING_SENTENCES:
        reasons.extend(differing_words(*best_pair()))
    words = shared_words(left, right)
    if words:
        reasons.append({"kind": "shared", "words": words})
    if run_words:
        reasons.insert(0, {"kind": "verbatim", "words": run_words})
    return ("context" if context else "restates"), reasons


def _names_only(left: Side, right: Side) -> bool:
    """The sentences share fewer than CLAIM_WORDS content words that are neither names (a
    name is capitalised wherever either side says it: "OTAN", "Lougansk", "Bruxelles") nor
    dates and discourse words (`terms.LEFT_OUT_WORDS`: "vendredi", "aujourd'hui",
    "également"): what they have in common is a subject, not a claim. Only the shared
    stems are looked at word by word."""
    common = set(left.stems).intersection(right.stems)
    if len(common) < CLAIM_WORDS:
        return True
    claim: set[str] = set()
    for side in (left, right):
        left_out = LEFT_OUT_WORDS.get(side.language, frozenset())
        words = zip(side.stems, side.content, side.originals, side.words, strict=True)
        for s, content, original, word in words:
            if content and s in common and original[:1].islower() and word not in left_out:
                claim.add(s)
                if len(claim) >= CLAIM_WORDS:
                    return False
    return True


def _translated_quotation(right: Side) -> str | None:
    """Across languages, a quotation of TRANSLATED_QUOTATION_WORDS words or more in the
    coverage's evidence: it quotes the other side in its own language (« la menace la plus
    importante et la plus directe pour la sécurité des Alliés »). A word or two in
    quotation marks is a term, not a translation."""
    for written, size, _ in right.quotations:
        if size >= TRANSLATED_QUOTATION_WORDS:
            return _inside(written)
    return None


def _inside(written: str) -> str:
    """A quotation as written, less its marks."""
    return written[1:-1].strip()


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
