"""Pure text helpers shared by the importer, the alignment engine and framing.

Normalisation, tokenisation with character offsets, sentence splitting, accent folding,
stop words and Snowball stemming for French and English, and a stop-word language guess.
No Django here.
"""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

LANGUAGES = ("fr", "en")
# Each language by name, for menus and choices.
LANGUAGE_NAMES = {"fr": "French", "en": "English"}

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
# What a word is, for callers that count words in a span of a text (`pattern.findall(text,
# start, end)`).
WORD_PATTERN = _TOKEN


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


# Snowball's French stemmer keeps the first person plural of the present ("condamnons" ->
# "condamnon", "condamné" -> "condamn"); "-ions" is left alone, being mostly nouns (nations,
# régions, millions), and so are stems this short once cut ("allons", "disons").
_PLURAL_FIRST_PERSON = "ons"
_MIN_VERB_STEM = 4


@lru_cache(maxsize=131072)
def match_stem(word: str, language: str = "fr") -> str:
    """`stem`, with a French verb's "nous" form joined to its other forms: a declaration
    says "nous condamnons" where its coverage says "a condamné". The alignment engine
    matches texts on these; the search index keeps Snowball's stems (`stem`).

    A word alone does not say whether it is a verb: the plural of a noun in "-on"
    ("livraisons") is parted from its singular here. In the engine's scores the two
    forms' character n-grams make up for it, and the framing lexicon, noun phrases, is
    matched on `stem`. The "nous" form is the more frequent of the two in the texts
    compared: declarations speak in the first person plural."""
    result = stem(word, language)
    if language != "fr" or not result.endswith("on") or len(result) - 2 < _MIN_VERB_STEM:
        return result
    folded = fold(word.casefold())
    if folded.endswith(_PLURAL_FIRST_PERSON) and not folded.endswith("ions"):
        return result[:-2]
    return result


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


# Sentences.
#
# A sentence ends at . ! ? … (or a run of them, "?!", "..."), with any closing quotation
# marks and brackets after it, when whitespace and then an upper-case letter, a digit or an
# opening mark follow; a blank line always ends one. A full stop does not end a sentence
# after an abbreviation, an initial or a list number; no stop ends one inside a quotation.

# Abbreviations (without their full stop) after which a full stop ends no sentence.
# Lower-case entries also match when capitalised ("Cf.", "Sept."); capitalised ones only
# as written ("Col." is a colonel, "col." a mountain pass).
_SHARED_ABBREVIATIONS = _word_set(
    """
    M MM Mme Mmes Mlle Mlles Mgr Pr Dr Drs Mr Mrs Ms Messrs Prof Profs St Ste Sts
    Gen Gén Lt Col Sgt Capt Cdt Maj Adm Brig Cdr Cmdr Cpl Pvt Gov Sen Rep Amb Hon Rev Pres
    Jr Sr Inc Ltd Co Corp Bros
    etc cf vs v viz ibid al ca approx resp sq sqq
    janv fév févr avr juil sept oct nov déc
    Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec
    """
)
# Per language, the abbreviations that are an ordinary word of the other one: English
# "est." (established) is French "est" (east, is); French "ex." (par exemple) is English "ex".
_ABBREVIATIONS: dict[str, frozenset[str]] = {
    "fr": _SHARED_ABBREVIATIONS | _word_set("ex env éd coll av apr bd boul tél Cie ss"),
    "en": _SHARED_ABBREVIATIONS | _word_set("est dept Dept Mt Ave Univ Govt"),
}
# Abbreviations that only count before a number: "art. 5", "p. 12", "No. 3", but
# "une œuvre d'art. Les…" and "The answer was no. Then…" end where they should.
_BEFORE_NUMBER = _word_set("art p pp no nos n nr vol chap ch fig para sect sec t")
# Initials and dotted acronyms, the final dot left out: "J", "U.S", "U.N", "R.-U", "e.g".
_INITIALS = re.compile(r"(?:[^\W\d_]\.-?)*[^\W\d_]")
# What numbers a list item at the start of a line: "1.", "IV.", "a.".
_LIST_MARKER = re.compile(r"\d{1,3}|[IVXLC]{1,7}|[a-z]")
# How far back a full stop looks for the word it follows, and for a line start: words are
# short, and a bounded look keeps the scan linear whatever the text.
_LOOK_BACK = 40

# A stop (a run of . ! ? …) or a paragraph break (a blank line).
_STOP_OR_BREAK = re.compile(r"(?P<stop>[.!?\u2026]+)|(?P<paragraph>\n[^\S\n]*\n)")
# Closing marks taken into the sentence they follow: "jamais.»", "(voir ci-dessus.)".
_CLOSERS = frozenset(")]\u00bb\u203a\u201d\u2019\"'")
# Closing quotation marks taken in after French spacing: "jamais. »".
_SPACED_CLOSERS = frozenset('\u00bb\u203a\u201d"')
_THIN_SPACES = frozenset(" \u00a0\u202f\u2009")
# After a stop and whitespace, what may open the next sentence besides an upper-case
# letter or a digit.
_OPENERS = '\u00ab\u201c\u201e\u2039\u2018"(['

# Quotation marks, as the family of quotation they open or close ('"' does both).
_OPENING_QUOTES = {"\u00ab": "\u00ab", "\u2039": "\u2039", "\u201c": "\u201c", "\u201e": "\u201c"}
_CLOSING_QUOTES = {"\u00bb": "\u00ab", "\u203a": "\u2039", "\u201d": "\u201c"}
_QUOTE_OR_BREAK = re.compile(
    r"(?P<quote>[\u00ab\u00bb\u2039\u203a\u201c\u201d\u201e\"])|\n[^\S\n]*\n"
)
# An opening mark not closed within this many characters (nor before a blank line) is
# ordinary text, so that a stray « cannot swallow the rest of the text.
QUOTE_BOUND = 600


@dataclass(frozen=True, slots=True)
class _Quotations:
    """The quotations of a text: where they are, and which marks open or close one."""

    spans: list[tuple[int, int]]  # (opening, closing) mark offsets, outermost only, in order
    opening: frozenset[int]
    closing: frozenset[int]


def _quotations(text: str) -> _Quotations:
    """Pair quotation marks, innermost first, each closing mark with the nearest open one of
    its family (« », ‹ ›, “ ” or „ ”, " "). Marks still open at a closing mark of another
    family are dropped, as are those older than QUOTE_BOUND or before a blank line. Linear:
    the open marks are a deque that each mark enters and leaves once.
    """
    open_marks: deque[tuple[int, str]] = deque()
    open_count = dict.fromkeys(("\u00ab", "\u2039", "\u201c", '"'), 0)
    pairs: list[tuple[int, int]] = []
    for match in _QUOTE_OR_BREAK.finditer(text):
        at = match.start()
        while open_marks and at - open_marks[0][0] > QUOTE_BOUND:
            open_count[open_marks.popleft()[1]] -= 1
        mark = match.group("quote")
        if mark is None:  # a blank line: nothing stays open across paragraphs
            open_marks.clear()
            open_count = dict.fromkeys(open_count, 0)
            continue
        if mark == '"':
            if not open_count['"']:
                before, after = text[at - 1 : at], text[at + 1 : at + 2]
                # "fin." followed by space with nothing open closes nothing and opens nothing.
                if before and not before.isspace() and (not after or after.isspace()):
                    continue
                open_marks.append((at, '"'))
                open_count['"'] += 1
                continue
            family = '"'
        elif mark in _OPENING_QUOTES:
            open_marks.append((at, _OPENING_QUOTES[mark]))
            open_count[_OPENING_QUOTES[mark]] += 1
            continue
        else:
            family = _CLOSING_QUOTES[mark]
            if not open_count[family]:
                continue
        while True:
            opened, opened_family = open_marks.pop()
            open_count[opened_family] -= 1
            if opened_family == family:
                break
        pairs.append((opened, at))
    # Pairs come in the order they close, so each one nests in a later one or precedes it.
    outermost: list[tuple[int, int]] = []
    for opened, closed in reversed(pairs):
        if not outermost or closed < outermost[-1][0]:
            outermost.append((opened, closed))
    outermost.reverse()
    return _Quotations(
        outermost,
        frozenset(opened for opened, _ in pairs),
        frozenset(closed for _, closed in pairs),
    )


def quotation_spans(text: str) -> list[tuple[int, int]]:
    """(opening, closing) offsets of the marks of each outermost quotation of `text`
    (« … », ‹ … ›, “ … ”, „ … ”, "…"), in order; linear, as `_quotations`."""
    return _quotations(text).spans


def _starts_line(text: str, at: int) -> bool:
    before = text[max(0, at - _LOOK_BACK) : at]
    rest = before.rstrip(" \t\u00a0\u202f\u2022")
    return rest.endswith("\n") or (not rest and at <= _LOOK_BACK)


def _full_stop_ends_nothing(text: str, stop: int, following: str, language: str) -> bool:
    """Whether the full stop at `stop` closes an abbreviation, an initial or a list number."""
    before = text[max(0, stop - _LOOK_BACK) : stop]
    if not before or before[-1].isspace():
        return False
    chunk = before.split()[-1]
    word = unicodedata.normalize("NFC", chunk.lstrip(_OPENERS))
    word = word.rpartition("'")[2].rpartition("\u2019")[2]  # "l'art." -> "art"
    if not word:
        return False
    if _INITIALS.fullmatch(word) and (len(word) > 1 or word.isupper()):
        return True
    uncapitalised = word[0].lower() + word[1:]
    abbreviations = _ABBREVIATIONS.get(language, _ABBREVIATIONS["fr"])
    if word in abbreviations or uncapitalised in abbreviations:
        return True
    if following.isdigit() and uncapitalised in _BEFORE_NUMBER:
        return True
    return bool(_LIST_MARKER.fullmatch(word)) and _starts_line(text, stop - len(chunk))


def _sentence_end(text: str, stop: re.Match[str], quotations: _Quotations, language: str) -> int:
    """Where the sentence ends if the stop `stop` ends one (after its closing marks), else -1."""
    start, end = stop.span()
    if start and text[start - 1] in "[(" and not stop.group().strip(".\u2026"):
        return -1  # an elision, "[…]" or "(...)"
    # Closing marks after the stop belong to its sentence; a '"' only if it opens nothing.
    while end < len(text):
        char = text[end]
        if char in _CLOSERS and end not in quotations.opening:
            end += 1
        elif (
            char in _THIN_SPACES
            and text[end + 1 : end + 2] in _SPACED_CLOSERS
            and (text[end + 1] != '"' or end + 1 in quotations.closing)
        ):
            end += 2
        else:
            break
    space = _SPACES.match(text, end)
    if space is None or space.end() == len(text):
        return -1  # mid-word ("nato.int", "30.9.2022") or the end of the text
    following = text[space.end()]
    if not (following.isupper() or following.isdigit() or following in _OPENERS):
        return -1
    if stop.group() == "." and _full_stop_ends_nothing(text, start, following, language):
        return -1
    return end


def sentence_spans(text: str, language: str = "fr") -> list[tuple[int, int]]:
    """[start, end) offsets of the sentences of `text`, into `text` itself, in order.

    `language` ("fr" or "en"; others are read as French) picks the abbreviations a full
    stop may close. Each span is trimmed of whitespace; together they hold every word of the
    text once. A text with no stop is one sentence; a blank line always ends one; a
    quotation (closed within QUOTE_BOUND characters, in its paragraph) is never split, so
    « Jamais. Jamais. », a dit Stoltenberg. is one sentence, and one that ends with its
    sentence ends it (« … . » Suivant).

    Linear in len(text): two passes of regexes without nested repetition (stops and blank
    lines; quotation marks and blank lines), a deque of open quotation marks that each mark
    enters and leaves once, and constant work per stop (it looks back at most _LOOK_BACK
    characters, and over the closing marks and whitespace that follow it).
    """
    quotations = _quotations(text)
    quoted = quotations.spans
    inner = 0  # the first quotation that closes at or after the current cut
    cuts = [0]
    for match in _STOP_OR_BREAK.finditer(text):
        if match.lastgroup == "paragraph":
            cut = match.start()
        else:
            cut = _sentence_end(text, match, quotations, language)
            if cut < 0:
                continue
            while inner < len(quoted) and quoted[inner][1] < cut:
                inner += 1
            if inner < len(quoted) and quoted[inner][0] < cut:
                continue  # inside a quotation: its closing mark comes later
        if cut > cuts[-1]:
            cuts.append(cut)
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        piece = text[start:end]
        left = len(piece) - len(piece.lstrip())
        right = len(piece.rstrip())
        if right > left:
            spans.append((start + left, start + right))
    return spans


def sentences(text: str, language: str = "fr") -> list[str]:
    """The sentences of `text`, as `sentence_spans` cuts them, each trimmed of whitespace."""
    return [text[start:end] for start, end in sentence_spans(text, language)]


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
