"""Web-search syntax to a query plan, and snippets of matching text. Pure: no Django."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from statements import text

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 12
MAX_PHRASE_WORDS = 10
SNIPPET_WORDS = 40

DEFAULT_LANGUAGE = "fr"

# ts_headline marks matches with these; they are turned into marked pieces after.
_START, _STOP = "\x02", "\x03"


def index_language(language: str) -> str:
    """The language a paragraph is indexed and queried in: one we stem, else the default."""
    return language if language in text.LANGUAGES else DEFAULT_LANGUAGE


# A quoted phrase (the closing quote optional: an unbalanced quote runs to the end), or a
# run of anything else up to a space or a quote.
_PART = re.compile(r'(?P<neg>-?)"(?P<phrase>[^"]*)"?|(?P<bare>[^\s"]+)')


@lru_cache(maxsize=65536)
def is_search_word(folded: str) -> bool:
    """Whether a word is indexed and looked for: a content word in every language we stem.

    One rule for all languages, so that a query means the same whatever the statement's
    language ("le la" and "the of" alike find nothing), and the index and the queries
    drop the same words (phrases stay phrases).
    """
    return all(text.is_content_word(folded, language) for language in text.LANGUAGES)


@dataclass(frozen=True)
class Clause:
    """A word or a phrase (folded words, in order), possibly excluded (`-word`)."""

    words: tuple[str, ...]
    negated: bool = False

    @property
    def content_words(self) -> list[str]:
        return [word for word in self.words if is_search_word(word)]


@dataclass(frozen=True)
class Plan:
    """A query for one language: stop words gone, each group with a clause to look for.

    `groups` are alternatives (OR); all clauses of a group must hold (AND, NOT).
    """

    language: str
    groups: tuple[tuple[Clause, ...], ...]

    def websearch(self) -> str:
        """For websearch_to_tsquery: every clause quoted, phrases keep their stop words
        (PostgreSQL counts them in phrase distances), OR between groups."""
        return " or ".join(
            " ".join(f'{"-" if c.negated else ""}"{" ".join(c.words)}"' for c in group)
            for group in self.groups
        )

    def fts5(self) -> str:
        """An FTS5 expression on this language's column: quoted stems, phrases as phrases."""

        def phrase(clause: Clause) -> str:
            stems = [text.stem(word, self.language) for word in clause.content_words]
            return f'"{" ".join(stems)}"'

        alternatives = []
        for group in self.groups:
            wanted = " AND ".join(phrase(c) for c in group if not c.negated)
            unwanted = "".join(f" NOT {phrase(c)}" for c in group if c.negated)
            alternatives.append(f"(({wanted}){unwanted})")
        return f"{{{self.language}}} : ({' OR '.join(alternatives)})"

    def stems(self) -> frozenset[str]:
        """Stems of the words looked for (not the excluded ones), to highlight them."""
        return frozenset(
            text.stem(word, self.language)
            for group in self.groups
            for clause in group
            if not clause.negated
            for word in clause.content_words
        )


@dataclass(frozen=True)
class Query:
    """A parsed search: alternatives (OR) of clauses that must all hold."""

    groups: tuple[tuple[Clause, ...], ...] = ()
    truncated: bool = False

    def plan(self, language: str) -> Plan | None:
        """This query in `language`, or None when it looks for nothing there."""
        groups = []
        for group in self.groups:
            kept = tuple(clause for clause in group if clause.content_words)
            if any(not clause.negated for clause in kept):
                groups.append(kept)
        return Plan(language, tuple(groups)) if groups else None

    def plans(self) -> list[Plan]:
        return [plan for language in text.LANGUAGES if (plan := self.plan(language))]


def parse_query(raw: str) -> Query:
    """Web-search syntax to a `Query`: words, "phrases", -exclusions, OR between groups.

    Never fails: unbalanced quotes close at the end, operators and punctuation of other
    syntaxes (NEAR(, *, AND) are only text, the input is cut at MAX_QUERY_CHARS and the
    clauses at MAX_CLAUSES. Words are folded (lower case, no accents).
    """
    source = text.normalise(raw[: MAX_QUERY_CHARS * 2])
    truncated = len(source) > MAX_QUERY_CHARS
    source = source[:MAX_QUERY_CHARS]
    groups: list[tuple[Clause, ...]] = []
    current: list[Clause] = []
    count = 0
    for match in _PART.finditer(source):
        bare = match["bare"]
        if bare == "OR":
            if current:
                groups.append(tuple(current))
            current = []
            continue
        negated = bool(match["neg"]) if bare is None else bare.startswith("-")
        words = text.words(match["phrase"] if bare is None else bare)
        if not words:
            continue
        if count == MAX_CLAUSES:
            truncated = True
            break
        current.append(Clause(tuple(words[:MAX_PHRASE_WORDS]), negated))
        count += 1
    if current:
        groups.append(tuple(current))
    return Query(tuple(groups), truncated)


@dataclass(frozen=True)
class Piece:
    """A run of a snippet's text; `match` when it is a word the search looked for."""

    text: str
    match: bool = False


def snippet(
    value: str, stems: frozenset[str], language: str, words: int = SNIPPET_WORDS
) -> list[Piece]:
    """Up to `words` words of `value` around its first match, with "…" where it is cut. A
    match is a content word whose stem is in `stems`. Plain text pieces: the page escapes
    them and marks the matches (templatetags/search.py)."""
    tokens = text.tokens(value)
    marked = [
        i
        for i, token in enumerate(tokens)
        if is_search_word(token.folded) and text.stem(token.folded, language) in stems
    ]
    first = max(0, (marked[0] if marked else 0) - words // 4)
    last = min(len(tokens), first + words)
    first = max(0, min(first, last - words))
    start = tokens[first].start if first > 0 else 0
    end = tokens[last - 1].end if last < len(tokens) else len(value)
    pieces = [Piece("… ")] if start > 0 else []
    cursor = start
    for i in marked:
        token = tokens[i]
        if token.start < start or token.end > end:
            continue
        pieces.append(Piece(value[cursor : token.start]))
        pieces.append(Piece(token.text, match=True))
        cursor = token.end
    pieces.append(Piece(value[cursor:end]))
    if end < len(value):
        pieces.append(Piece(" …"))
    return [piece for piece in pieces if piece.text]


def headline_pieces(headline: str) -> list[Piece]:
    """ts_headline output (matches between _START and _STOP) as pieces.

    Stray or unbalanced markers (a paragraph could contain them) are dropped, never kept.
    """
    pieces = []
    for part in re.split(f"({_START}[^{_START}{_STOP}]*{_STOP})", headline):
        if part.startswith(_START) and part.endswith(_STOP) and len(part) >= 2:
            pieces.append(Piece(part[1:-1], match=True))
        else:
            pieces.append(Piece(part.replace(_START, "").replace(_STOP, "")))
    return [piece for piece in pieces if piece.text]


def headline_snippet(headline: str, value: str) -> list[Piece]:
    """A ts_headline of the paragraph text `value`, with "…" where it cuts the text short."""
    plain = headline.replace(_START, "").replace(_STOP, "").strip()
    value = value.strip()
    before = [] if value.startswith(plain[:30]) else [Piece("… ")]
    after = [] if value.endswith(plain[-30:]) else [Piece(" …")]
    return [*before, *headline_pieces(headline), *after]
