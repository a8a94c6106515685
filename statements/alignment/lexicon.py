"""The framing lexicon as the engine reads it: plain terms in, a matcher on stems out.

A term is a plain mapping `{"language": "fr", "text": "annexion illégale", "side":
"western", "concept": "the annexations", "kind": ""}`: a concept term when `concept` is
set (terms of one concept name the same thing, each side its own way), a qualifier when
`kind` is set (delegitimising, legitimising, distancing, intensifying). `terms_of` turns
the shipped JSON (fixtures/framing_lexicon.json) into such terms; the service layer reads
them from the database (FramingTerm), where staff edit them.

Terms are matched on Snowball stems (`text.stem`, a side's `lexicon_stems`), not on the
engine's `text.match_stem`: they are noun phrases, whose plural in -ons keeps its
singular there ("livraisons d'armes" / "la livraison d'armes"). A one-word qualifier is
matched on its own form when the words are given (`Lexicon.find`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from statements.text import is_content_word, stem, words

# The kind of a set phrase: words that hold a qualifier's word without qualifying anything
# ("légitime défense", self-defence; "claimed the lives of"; "supposed to").
SET_PHRASE = "set_phrase"


@dataclass(frozen=True)
class Term:
    language: str
    text: str
    side: str
    concept: str
    kind: str
    stems: tuple[str, ...]
    content: tuple[str, ...]  # the stems of its content words ("annexion illégale": both)
    # A one-word qualifier, folded: matched on the word itself, not its stem (see `find`).
    word: str | None = None


@dataclass(frozen=True)
class Found:
    term: Term
    start: int  # word index in the searched list
    end: int


class Lexicon:
    """Terms indexed by their first stem, per language: finding them in a list of n words
    costs O(n x terms sharing a first stem)."""

    def __init__(self, terms: Iterable[Mapping[str, Any]]) -> None:
        self.by_first: dict[tuple[str, str], list[Term]] = {}
        self.size = 0
        for raw in terms:
            language = str(raw.get("language", "fr"))
            text = str(raw.get("text", "")).strip()
            folded = words(text)
            stems = tuple(stem(word, language) for word in folded)
            if not stems:
                continue
            term = Term(
                language,
                text,
                str(raw.get("side", "any")),
                str(raw.get("concept", "") or ""),
                str(raw.get("kind", "") or ""),
                stems,
                tuple(
                    s for w, s in zip(folded, stems, strict=True) if is_content_word(w, language)
                ),
                folded[0] if len(folded) == 1 and raw.get("kind") else None,
            )
            self.by_first.setdefault((language, stems[0]), []).append(term)
            self.size += 1
        for found in self.by_first.values():
            found.sort(key=lambda term: -len(term.stems))  # longest first

    def find(
        self,
        stems: Sequence[str],
        language: str,
        kinds: Collection[str] | None = None,
        words: Sequence[str] | None = None,
    ) -> list[Found]:
        """Terms of `language` (and of `kinds`, if given) in `stems` (a sentence's stems, in
        order), longest match at each position, not overlapping. With the folded `words`
        of those stems, a one-word qualifier matches only its own form: the lexicon lists
        each form it means ("denied", "denies"; "illégal", "illégale"), and a stem would
        take "staged" (faked) for "staging" drills or "at this stage". A search for some
        `kinds` skips the words of a set phrase ("légitime défense", "claimed the lives"):
        a qualifier's word inside one qualifies nothing."""
        found: list[Found] = []
        position = 0
        while position < len(stems):
            match = None
            for term in self.by_first.get((language, stems[position]), ()):
                if not _tried(term, kinds):
                    continue
                if term.word is not None and words is not None and words[position] != term.word:
                    continue
                end = position + len(term.stems)
                if tuple(stems[position:end]) == term.stems:
                    match = Found(term, position, end)
                    break
            if match is None:
                position += 1
            else:
                if match.term.kind != SET_PHRASE:
                    found.append(match)
                position = match.end
        return found


def _tried(term: Term, kinds: Collection[str] | None) -> bool:
    """Whether a search for `kinds` tries `term`: a set phrase only in a search for some
    kinds (its match hides the words it holds), and none in a search for every term."""
    if kinds is None:
        return term.kind != SET_PHRASE
    return term.kind in kinds or term.kind == SET_PHRASE


@lru_cache(maxsize=8)
def _compiled(key: tuple[tuple[tuple[str, Any], ...], ...]) -> Lexicon:
    return Lexicon(dict(items) for items in key)


def compiled(terms: Sequence[Mapping[str, Any]]) -> Lexicon:
    """The Lexicon of `terms`, built once per distinct content."""
    return _compiled(tuple(tuple(sorted(term.items())) for term in terms))


def terms_of(document: Mapping[str, Any]) -> list[dict[str, str]]:
    """The shipped lexicon JSON as plain terms: every concept's terms, then the qualifiers."""
    terms = [
        {
            "language": term["language"],
            "text": term["text"],
            "side": term["side"],
            "concept": concept["concept"],
            "kind": "",
        }
        for concept in document.get("concepts", ())
        for term in concept["terms"]
    ]
    terms += [
        {
            "language": q["language"],
            "text": q["text"],
            "side": q["side"],
            "concept": "",
            "kind": q["kind"],
        }
        for q in document.get("qualifiers", ())
    ]
    return terms
