"""Pure text helpers shared by the importer, the alignment engine and framing.

Normalisation, tokenisation with character offsets, accent folding, stop words and
Snowball stemming for French and English, and a stop-word language guess. No Django here.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

LANGUAGES = ("fr", "en")

_QUOTES = str.maketrans(
    {
        "\u2018": "'",  # ‘
        "\u2019": "'",  # ’
        "\u201a": "'",
        "\u2032": "'",
        "\u02bc": "'",
        "\u201c": '"',  # “
        "\u201d": '"',  # ”
        "\u201e": '"',
        "\u00ab": '"',  # «
        "\u00bb": '"',  # »
        "\u2039": '"',
        "\u203a": '"',
        "\u00a0": " ",  # no-break spaces, common around French « »
        "\u202f": " ",
        "\u2009": " ",
        "\u2013": "-",  # – —
        "\u2014": "-",
    }
)
_SPACES = re.compile(r"\s+")
# A token is a run of letters or digits; apostrophes and hyphens separate tokens, so
# "l'annexion" gives "l" and "annexion", and "soi-disant" gives "soi" and "disant".
_TOKEN = re.compile(r"[^\W_]+")


# str.translate looks every character of a non-ASCII text up in a dict; a regex finds the
# few that change ten times faster (the importer hashes every paragraph this way).
_QUOTE_CHARS = re.compile("[" + "".join(map(chr, _QUOTES)) + "]")


def _straighten(match: re.Match[str]) -> str:
    return _QUOTES[ord(match.group())]


def normalise(text: str) -> str:
    """NFC, straight quotes and apostrophes, one space between words, no outer space."""
    text = _QUOTE_CHARS.sub(_straighten, unicodedata.normalize("NFC", text))
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def fold(word: str) -> str:
    """Lower-case and strip accents: 'Alliés' -> 'allies', 'Zaporijia' stays itself."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Token:
    """A word of a text: its surface form, folded form and [start, end) offsets."""

    text: str
    folded: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    """Tokens of `text` with character offsets into `text` itself (not a normalised copy)."""
    return [Token(m.group(), fold(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def words(text: str) -> list[str]:
    """Folded words of `text`, in order; cheaper than `tokens` when offsets are not needed."""
    return [fold(word) for word in _TOKEN.findall(text)]


def token_spans(text: str) -> list[tuple[int, int]]:
    """[start, end) offsets of the tokens of `text`, as `tokens` gives them, but cheaper."""
    return [match.span() for match in _TOKEN.finditer(text)]


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Stop words of our own (folded, so they match folded tokens), short on purpose: the
# alignment engine's TF-IDF already discounts frequent words, these only remove grammar.
STOP_WORDS: dict[str, frozenset[str]] = {
    "fr": _word_set(
        """
        a ai aie aient ais ait alors au aucun aucune aupres auquel aura aurai auraient
        aurait auront aussi autre autres aux avaient avais avait avant avec avez avoir
        avons ayant c ca car ce ceci cela celle celles celui cependant certains ces cet
        cette ceux chacun chaque chez ci comme comment d dans de depuis des desquels
        dont du duquel elle elles en encore entre es est et etaient etais etait etant
        ete etre eu eux faire fait fois font ici il ils j je jusqu l la laquelle le
        lequel les lesquels leur leurs lors lui m ma mais me meme memes mes moi moins
        mon n ne ni non nos notre nous on ont ou par parce pas peu peut peuvent plus
        pour pourquoi puis qu quand que quel quelle quelles quels qui quoi s sa sans se
        selon seront ses si sien son sont sous sur t ta tandis te tes toi ton tous tout
        toute toutes tres tu un une unes uns vers voici voila vos votre vous y
        """
    ),
    "en": _word_set(
        """
        a about above after again against all also am an and any are as at be because
        been before being below between both but by can could did do does doing down
        during each few for from further had has have having he her here hers herself
        him himself his how i if in into is it its itself just me more most my myself no
        nor not now of off on once only or other our ours ourselves out over own same
        she should so some such than that the their theirs them themselves then there
        these they this those through to too under until up very was we were what when
        where which while who whom why will with would you your yours yourself
        yourselves
        """
    ),
}


# Words that tell one language from the other: frequent in one, absent from the other.
_MARKERS: dict[str, frozenset[str]] = {
    "fr": _word_set(
        """
        au aux avec ce cette dans de des du elle est et il la le les leur leurs
        ne nous ont par pas plus pour que qui ses sont sur un une
        """
    ),
    "en": _word_set(
        """
        and are at be by for from has have in is it its not of that the their
        they this to was were which will with
        """
    ),
}


def detect_language(text: str, default: str = "") -> str:
    """Guess 'fr' or 'en' from the share of each language's marker words.

    Returns `default` when the text has too few marker words to tell (titles, names).
    """
    # Marker words are plain ASCII, so lower-casing is enough (no accent folding): this runs
    # on every paragraph of every import.
    found = _TOKEN.findall(text.casefold())
    counts = {lang: sum(map(markers.__contains__, found)) for lang, markers in _MARKERS.items()}
    best = max(counts, key=counts.__getitem__)
    runner_up = min(counts.values())
    if counts[best] < 2 or counts[best] < 2 * runner_up:
        return default
    return best


_STEMMER_NAMES = {"fr": "french", "en": "english"}


@lru_cache(maxsize=8)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(_STEMMER_NAMES.get(language, "french"))


@lru_cache(maxsize=131072)
def stem(word: str, language: str = "fr") -> str:
    """Snowball stem of a lower-case word, accents folded after: 'référendums' -> 'referendum'."""
    return fold(_stemmer(language).stemWord(word.casefold()))


def is_content_word(folded: str, language: str = "fr") -> bool:
    """Not a stop word, and not a lone digit (years and article numbers do count)."""
    if folded.isdigit():
        return len(folded) >= 2
    return folded not in STOP_WORDS.get(language, STOP_WORDS["fr"]) and len(folded) > 1


_CUT_PUNCTUATION = " \t\u00a0,;:–—-·|/(«“\"'"


def shorten(text: str, limit: int) -> str:
    """`text` on one line, cut at a word boundary to at most `limit` characters, an
    ellipsis included: "…aux territoires occupés" never ends "…aux territ". A first word
    longer than `limit` is cut inside, there being no boundary to cut at."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    hard = text[: limit - 1]
    cut = hard.rsplit(" ", 1)[0] if text[limit - 1] != " " and " " in hard else hard
    return (cut.rstrip(_CUT_PUNCTUATION) or hard.rstrip()) + "…"


def content_terms(text: str, language: str = "fr") -> list[str]:
    """Stems of the content words of `text`, in order."""
    return [stem(word, language) for word in words(text) if is_content_word(word, language)]


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of a paragraph's text with the marks that cover all of it."""

    text: str
    quote: bool = False
    term: str = ""
    note: bool = False  # inside the span of a reader's annotation


def highlight(
    text: str, quotes: list[tuple[int, int]], terms: list[tuple[int, int, str]]
) -> list[Segment]:
    """Cut `text` into segments at every quote and term boundary.

    quotes: [start, end) spans of shared quotes; terms: [start, end, key) spans of
    distinctive terms (on overlap the first listed wins). Linear in len(text) + spans.
    """
    if not quotes and not terms:
        return [Segment(text)]
    cuts = {0, len(text)}
    for start, end in quotes:
        cuts.update((start, end))
    for start, end, _ in terms:
        cuts.update((start, end))
    bounds = sorted(cut for cut in cuts if 0 <= cut <= len(text))
    segments = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        in_quote = any(q_start <= start and end <= q_end for q_start, q_end in quotes)
        term = next((key for t_start, t_end, key in terms if t_start <= start and end <= t_end), "")
        segments.append(Segment(text[start:end], in_quote, term))
    return segments


def mark_notes(segments: list[Segment], notes: list[tuple[int, int]]) -> list[Segment]:
    """`segments` (consecutive runs of one text) cut again at note spans, flagging those inside.

    notes: [start, end) offsets into the whole text, overlapping or not. The other marks of
    each run are kept; neighbouring runs with the same marks are joined. Linear in the text's
    length times the number of spans.
    """
    if not notes:
        return segments
    cuts = sorted({cut for span in notes for cut in span})
    marked: list[Segment] = []
    offset = 0
    for segment in segments:
        end = offset + len(segment.text)
        inner = [cut - offset for cut in cuts if offset < cut < end]
        for a, b in zip([0, *inner], [*inner, len(segment.text)], strict=True):
            in_note = segment.note or any(s <= offset + a and offset + b <= e for s, e in notes)
            piece = Segment(segment.text[a:b], segment.quote, segment.term, in_note)
            last = marked[-1] if marked else None
            if last and (last.quote, last.term, last.note) == (piece.quote, piece.term, in_note):
                marked[-1] = Segment(last.text + piece.text, last.quote, last.term, in_note)
            else:
                marked.append(piece)
        offset = end
    return marked
