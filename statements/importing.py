"""Pure importer: bytes or text -> ParsedStatement (metadata, paragraphs, kinds, warnings).

No Django here. The entry point is `parse_statement`; the kind heuristics (`is_boilerplate`,
`is_caption`, `is_dateline`, `is_heading`, `classify`, `classify_paragraphs`) and the date
finder (`find_date`) are public so they can be tested, and reused, one by one.

Plain text (`.txt`) is split on blank lines. Markdown (`.md`) and HTML (`.html`, `.htm`) are
read through their structure (`markdown_paragraphs`, `html_paragraphs`): headings, lists and
quotes come from the markup, and the paragraphs keep their text without it.

Nothing is ever dropped: every non-empty line of a plain text, header block aside, ends up
in some paragraph's text (or number). Site chrome is kept and marked `boilerplate`. For HTML
the extractor keeps the page's main text; `original_text` holds the whole page.
"""

from __future__ import annotations

import codecs
import datetime
import functools
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from statements.text import detect_language, fold, normalise, words

MAX_BYTES = 2 * 1024 * 1024

KINDS = ("body", "title", "heading", "dateline", "caption", "boilerplate", "quote")
HTML_SUFFIXES = (".html", ".htm")
MARKDOWN_SUFFIXES = (".md", ".markdown")
TEXT_SUFFIXES = (".txt", ".text")
SUFFIXES = TEXT_SUFFIXES + MARKDOWN_SUFFIXES + HTML_SUFFIXES
PRECISIONS = ("day", "month", "year")
MAX_TITLE_CHARS = 500  # Statement.title
MAX_NUMBER_CHARS = 10  # Paragraph.number

# How far down the text a dateline or a leading date still tells when it was published.
DATE_SEARCH_PARAGRAPHS = 8
HEADING_MAX_WORDS = 12
HEADLINE_MAX_WORDS = 30  # a longer line without final punctuation that ends "– Stoltenberg"
SECTION_TITLE_MAX_WORDS = 14
CAPTION_MAX_WORDS = 35
DATELINE_MAX_OTHER_WORDS = 8
DATELINE_MAX_WORDS = 25
BOILERPLATE_MAX_WORDS = 60
PARAGRAPH_LANGUAGE_MIN_WORDS = 6


class ImportError(ValueError):  # the name the spec and the callers use; shadows the builtin
    """A text that cannot be imported; `str(exc)` is a message for the person importing it."""


@dataclass
class ParsedParagraph:
    text: str
    kind: str
    number: str = ""
    language: str = ""
    # What the document's markup says the paragraph is ("heading", "quote", "item"); "" in a
    # plain text. The kind heuristics defer to it.
    markup: str = ""
    # In a plain text, the paragraph follows a section break (two blank lines).
    section_break: bool = False


@dataclass
class ParsedStatement:
    title: str
    published_on: datetime.date | None
    date_precision: str
    language: str
    paragraphs: list[ParsedParagraph]
    metadata: dict[str, str]
    warnings: list[str]
    original_text: str
    filename: str | None = None

    @functools.cached_property
    def content_hash(self) -> str:
        """sha256 of the normalised paragraph texts: the header does not change it.

        Computed once (texts are not changed after parsing; corrections change kinds).
        """
        joined = "\n".join(normalise(paragraph.text) for paragraph in self.paragraphs)
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()

    @property
    def events(self) -> list[str]:
        """Event names from the header's `event:` lines, in order."""
        return _split_events(self.metadata.get("event", ""))


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrase_set(text: str) -> frozenset[str]:
    """Phrases separated by `|`, across lines."""
    return frozenset(phrase.strip() for phrase in text.split("|") if phrase.strip())


# --------------------------------------------------------------------------------------
# Decoding


def _subject(filename: str | None) -> str:
    return f'"{filename}"' if filename else "The text"


def _size_label(size: int, *, digits: int = 0) -> str:
    """'2 MB', '512 KB', '10 bytes'; `digits` after the point for sizes that are not limits."""
    for unit, scale in (("MB", 1024 * 1024), ("KB", 1024)):
        if size >= scale:
            value = size / scale
            return f"{value:.{digits}f} {unit}" if digits else f"{value:g} {unit}"
    return f"{size} bytes"


_BOMS = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters other than tab, line ends and form feed (C0, DEL and C1).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _looks_binary(text: str) -> bool:
    """NUL anywhere, or more than 1% control characters: not something a person typed."""
    if "\x00" in text:
        return True
    return len(_CONTROL.findall(text)) > max(2, len(text) // 100)


def check_size(size: int, *, max_bytes: int = MAX_BYTES, filename: str | None = None) -> None:
    """Raise `ImportError` when a file of `size` bytes is over `max_bytes`; callers that
    know the size before reading (an upload) refuse it without reading it."""
    if size > max_bytes:
        raise ImportError(
            f"{_subject(filename)} is larger than the {_size_label(max_bytes)} limit "
            f"(it is {_size_label(size, digits=1)})"
        )


def _decode(data: bytes | str, *, max_bytes: int, filename: str | None) -> tuple[str, str]:
    """Text and the encoding it was read with; raises ImportError with a message."""
    subject = _subject(filename)
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    check_size(size, max_bytes=max_bytes, filename=filename)
    if isinstance(data, str):
        text, encoding = data.removeprefix("\ufeff"), "utf-8"
    else:
        text, encoding = _decode_bytes(data, subject)
    if _looks_binary(text):
        raise ImportError(f"{subject} looks like a binary file, not text")
    if not text.strip():
        raise ImportError(f"{subject} is empty")
    return text, encoding


def _decode_bytes(data: bytes, subject: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff"), encoding
            except UnicodeDecodeError:
                label = encoding.removesuffix("-sig").upper()
                raise ImportError(
                    f"{subject} starts as {label} text (byte-order mark) but is not valid "
                    f"{label}: its encoding is broken"
                ) from None
    if b"\x00" in data:
        # UTF-16 without a BOM is rare in practice; NUL bytes mean binary far more often.
        raise ImportError(f"{subject} looks like a binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_bad_line = data[: exc.start].count(b"\n") + 1
    # Windows-1252 text has no valid UTF-8 sequences (or next to none): its accented letters
    # are single bytes. A text with more of them than bad bytes is UTF-8, damaged.
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    good = sum(1 for char in replaced if char > "\x7f") - bad
    if good and good >= bad:
        raise ImportError(
            f"{subject} is UTF-8 text with bytes that are not UTF-8 (the first on line "
            f"{first_bad_line}): its encoding is broken; save it again as UTF-8"
        )
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ImportError(
            f"{subject} is not text in an encoding Parallax reads (UTF-8, UTF-16 or UTF-32 "
            "with a byte-order mark, Windows-1252): a binary file, or a broken encoding"
        ) from None


def decode(data: bytes | str, *, max_bytes: int = MAX_BYTES, filename: str | None = None) -> str:
    """The text of an uploaded file, exactly (line ends untouched, BOM removed).

    Tries the BOM (UTF-8, UTF-16, UTF-32), then UTF-8, then Windows-1252. Raises
    `ImportError` for an empty or whitespace-only text, a binary file, or one over `max_bytes`.
    """
    return _decode(data, max_bytes=max_bytes, filename=filename)[0]


# --------------------------------------------------------------------------------------
# Dates

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "janvier janv jan january",
        "fevrier fevr fev february feb",
        "mars mar march",
        "avril avr april apr",
        "mai may",
        "juin june jun",
        "juillet juil july jul",
        "aout august aug",
        "septembre sept sep september",
        "octobre oct october",
        "novembre nov november",
        "decembre dec december",
    ),
    start=1,
):
    for _name in _names.split():
        _MONTHS[_name] = _number

_WORD = r"[^\W\d_]{3,10}"
_DAY_MONTH_YEAR = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:er|st|nd|rd|th)?\.?\s+(?P<month>{_WORD})\.?,?\s+(?P<year>\d{{4}})\b"
)
_MONTH_DAY_YEAR = re.compile(
    rf"\b(?P<month>{_WORD})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b,?\s+(?P<year>\d{{4}})\b"
)
_ISO_DAY = re.compile(r"\b(?P<year>\d{4})[-/](?P<month>\d{1,2})[-/](?P<day>\d{1,2})\b")
_NUMERIC_DAY = re.compile(r"\b(?P<day>\d{1,2})([./])(?P<month>\d{1,2})\2(?P<year>\d{4})\b")
_ISO_MONTH = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{1,2})\b(?!-\d)")
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_WORD})\.?\s+(?P<year>\d{{4}})\b")
_YEAR = re.compile(r"(?P<year>\d{4})")

# Patterns in order of preference: a full date wins over a month that overlaps it.
_DATE_PATTERNS = (
    (_ISO_DAY, "day"),
    (_NUMERIC_DAY, "day"),
    (_DAY_MONTH_YEAR, "day"),
    (_MONTH_DAY_YEAR, "day"),
    (_ISO_MONTH, "month"),
    (_MONTH_YEAR, "month"),
)


@dataclass(frozen=True)
class _DateMatch:
    start: int
    end: int
    date: datetime.date
    precision: str


def _month_number(value: str) -> int | None:
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(fold(value))


def _date_from(match: re.Match[str], precision: str) -> datetime.date | None:
    year = int(match["year"])
    month = _month_number(match["month"]) if "month" in match.groupdict() else 1
    day = int(match["day"]) if precision == "day" else 1
    if month is None or not 1900 <= year <= 2100:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:  # 31 February and the like
        return None


def _find_dates(text: str) -> list[_DateMatch]:
    """Every date in `text`, in order, overlapping candidates resolved by pattern preference."""
    found: list[_DateMatch] = []
    for pattern, precision in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            if any(match.start() < other.end and other.start < match.end() for other in found):
                continue
            date = _date_from(match, precision)
            if date is not None:
                found.append(_DateMatch(match.start(), match.end(), date, precision))
    return sorted(found, key=lambda found_date: found_date.start)


def find_date(text: str) -> tuple[datetime.date, str] | None:
    """The first date written in `text` and its precision ("day" or "month"), or None.

    Understands 2022-09-30, 2022-09 (month), 30.9.2022, 30/09/2022, 24 mars 2022,
    1er mars 2022, 28 Feb. 2022, March 24, 2022, février 2022 (month); French and English
    month names and abbreviations, accents optional. A month-precision date is the 1st.
    """
    dates = _find_dates(text)
    if not dates:
        return None
    return dates[0].date, dates[0].precision


# A time of day: 14:30, 14 h 30, 14:30:00.000, 2:30 pm, 21:24 CET.
_TIME = re.compile(
    r"\b\d{1,2}\s?[:h]\s?\d{2}(?::\d{2}(?:[.,]\d+)?)?\b(?:\s?(?:am|pm)\b)?"
    r"(?:\s?(?:utc|gmt|cet|cest|bst|est|edt|[+-]\d{2}:?\d{2})\b)?",
    re.IGNORECASE,
)
# What may follow a date given on its own: a time, after a comma, a dash or "à"/"at".
_TIME_AFTER = re.compile(rf"(?:\s*[,\-–—]?\s*(?:à|at)?\s*{_TIME.pattern})?\s*\.?", re.IGNORECASE)
# An ISO 8601 timestamp, as front matter writes them: 2022-09-22T10:00:00Z.
_ISO_TIMESTAMP = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})T\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_WEEKDAYS = _word_set(
    """
    lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday
    friday saturday sunday mon tue wed thu fri sat sun
    """
)


def parse_date_value(value: str) -> tuple[datetime.date, str] | None:
    """A date given on its own (a header, a correction): `2022-09-22` (day), `2022-09`
    (month), `2022` (year), or any form `find_date` reads, with at most label words or a
    weekday before ("Le", "Publié le", "jeudi") and a time after ("14 h 30", "2:30 PM
    EDT"), or an ISO timestamp (2022-09-22T10:00:00Z); None for anything else.
    "31 février 2022" is not a date (never February 2022), nor is "vers le 2022-09-30"."""
    value = value.strip()
    if _YEAR.fullmatch(value):
        year = int(value)
        return (datetime.date(year, 1, 1), "year") if 1900 <= year <= 2100 else None
    if timestamp := _ISO_TIMESTAMP.fullmatch(value):
        value = timestamp[1]
    dates = _find_dates(value)
    if len(dates) != 1:
        return None
    found = dates[0]
    before = words(value[: found.start])
    if not all(word in _DATE_LABELS or word in _WEEKDAYS for word in before):
        return None
    if not _TIME_AFTER.fullmatch(value[found.end :]):
        return None
    return found.date, found.precision


# Words that may stand before a date in a dateline ("Publié le", "Mis à jour le:", "date").
_DATE_LABELS = _word_set(
    """
    date publie publiee le mis mise a jour derniere modifie modifiee aujourd hui en ligne
    published on updated posted last modified today
    """
)


def leading_date(text: str) -> tuple[datetime.date, str] | None:
    """The date `text` opens with, allowing label words before it ("Publié le", "date",
    "Aujourd'hui (", "Le"); None when other words come first."""
    dates = _find_dates(text)
    if not dates:
        return None
    before = words(text[: dates[0].start])
    if all(word in _DATE_LABELS for word in before):
        return dates[0].date, dates[0].precision
    return None


def strip_leading_date(text: str) -> str:
    """`text` without a leading dateline fragment: "date 2022-09 Le chef…" -> "Le chef…"."""
    dates = _find_dates(text)
    if not dates or leading_date(text) is None:
        return text.strip()
    rest = text[dates[0].end :].lstrip()
    time = _TIME.match(rest)
    if time:
        rest = rest[time.end() :]
    return rest.lstrip(" \t\u00a0-–—:|,.)").strip() or text.strip()


# --------------------------------------------------------------------------------------
# Kinds

_BULLET = re.compile(r"^[•\-*–—▪●◦‣·](?:\s|$)")
_NUMBER = re.compile(r"^(\d{1,3}[.)]|\(\d{1,3}\))\s+(?=\S)")
_CLOSERS = " \t\u00a0\u202f»”\"’')]"
_SENTENCE_END = ".!?…"
_HEADING_REFUSED_END = ".!?…;:,"


# The kind heuristics ask these of the same paragraph several times over: remembered for
# the last few thousand paragraphs (a string's hash is computed once, then kept with it).
@functools.lru_cache(maxsize=4096)
def _word_count(text: str) -> int:
    return len(text.split())


_ALNUM = re.compile(r"[^\W_]")


def _has_words(text: str) -> bool:
    return _ALNUM.search(text) is not None


def _last_mark(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    return stripped[-1] if stripped else ""


def _without_bullet(text: str) -> str:
    return _BULLET.sub("", text.strip(), count=1).strip()


@functools.lru_cache(maxsize=4096)
def _folded_phrase(text: str) -> str:
    return " ".join(words(text))


# Labels that are site chrome when they make up the whole paragraph (folded words).
_CHROME_LABELS = _phrase_set(
    """
    programme|program|partager|share|imprimer|print|menu|accueil|home|rechercher|search|
    fermer|close|retour|back|suivant|precedent|next|previous|
    tout accepter|accepter|refuser|accept|accept all|reject all|j accepte|
    abonnez vous|s abonner|subscribe|newsletter|publicite|advertisement|sponsored|
    lire aussi|a lire aussi|lire egalement|voir aussi|see also|read also|read more|
    en savoir plus|learn more|lire la suite|related|related articles|related content|
    sur le meme sujet|dans la meme rubrique|articles lies|tags|mots cles|liens|links|
    commentaires|comments|partager sur facebook|partager sur twitter|share this|
    retour en haut|back to top|telecharger le pdf|download pdf|version imprimable
    """
)

# Link labels that make the whole paragraph chrome even when a linked headline follows.
_LINK_PREFIXES = (
    "lire la suite",
    "lire aussi",
    "a lire aussi",
    "a lire egalement",
    "lire egalement",
    "voir aussi",
    "read more",
    "read also",
    "see also",
    "sur le meme sujet",
    "en savoir plus",
    "learn more",
)
# One of them opening a folded phrase, followed by more words.
_LINK_PREFIX = re.compile("(?:" + "|".join(map(re.escape, _LINK_PREFIXES)) + ") ")

# Phrases that mark cookie banners, legal footers and media-partner blurbs.
_CHROME_PHRASES = (
    "cookie",
    "cookies",
    "tous droits reserves",
    "all rights reserved",
    "politique de confidentialite",
    "privacy policy",
    "mentions legales",
    "conditions d utilisation",
    "terms of use",
    "terms of service",
    "partenaires medias",
    "partenaire media",
    "media partners",
    "abonnez vous",
    "inscrivez vous",
    "suivez nous",
    "follow us",
    "sign up",
    "enable javascript",
    "activer javascript",
    "activez javascript",
    "javascript is disabled",
    "javascript est desactive",
)
# Any of them as whole words of a folded phrase.
_CHROME_PHRASE = re.compile(
    r"(?<![^ ])(?:" + "|".join(map(re.escape, _CHROME_PHRASES)) + r")(?![^ ])"
)

# Calls to action: a short imperative line in a sidebar or a banner.
_CALLS_TO_ACTION = (
    "pensez a",
    "soutenez",
    "faites un don",
    "partagez",
    "cliquez",
    "telechargez",
    "rejoignez nous",
    "decouvrez",
    "think of",
    "support us",
    "donate",
    "click here",
    "download",
    "join us",
)


def is_boilerplate(text: str) -> bool:
    """Site chrome rather than the statement: link labels ("Lire la suite …", "Read more",
    "Partager"), section labels ("PROGRAMME."), cookie and legal notices, media-partner
    blurbs, short calls to action ("Pensez à une mission sociale"), and lines with no words
    at all ("• |")."""
    if not _has_words(text):
        return True
    count = _word_count(text)
    if count > BOILERPLATE_MAX_WORDS:
        return False
    phrase = _folded_phrase(text)
    if phrase in _CHROME_LABELS:
        return True
    if count <= 40 and _LINK_PREFIX.match(phrase):
        return True
    if _CHROME_PHRASE.search(phrase):
        return True
    return (
        count <= 6
        and _last_mark(text) not in _SENTENCE_END
        and any(f"{phrase} ".startswith(call + " ") for call in _CALLS_TO_ACTION)
    )


def is_list_label(text: str) -> bool:
    """A label that introduces a list of links ("PROGRAMME.", "Lire aussi", "Related")."""
    return _word_count(text) <= 5 and _folded_phrase(text) in _CHROME_LABELS


def is_dateline(text: str) -> bool:
    """A line that gives a date and little else: "Publié le 30.9.2022", "• 28 Feb. 2022 -",
    "Mis à jour le: 28 Feb. 2022 21:24", "Bruxelles, Belgique 24 mars 2022".

    Nothing but a time or punctuation may follow the last date, and at most a few words
    (a place, an event, a label) precede it.
    """
    text = _without_bullet(text)
    if _word_count(text) > DATELINE_MAX_WORDS:
        return False
    dates = _find_dates(text)
    if not dates:
        return False
    after = words(_TIME.sub(" ", text[dates[-1].end :]))
    if any(word not in _DATE_LABELS for word in after):
        return False
    other = text
    for found in reversed(dates):
        other = other[: found.start] + " " + other[found.end :]
    other_words = words(_TIME.sub(" ", other))
    unlabelled = [word for word in other_words if word not in _DATE_LABELS]
    return len(unlabelled) <= DATELINE_MAX_OTHER_WORDS


_CREDIT_PREFIX = re.compile(
    r"^\(?\s*(?:photo|photos|photographie|credit|crédit|credits|crédits|crédit photo|"
    r"image|images|illustration|copyright|source photo|©)\b\s*[:©/-]?",
    re.IGNORECASE,
)
# "REUTERS/Yves Herman", "AFP / Sergei Supinsky", "AP Photo/Evan Vucci"
_AGENCY_CREDIT = re.compile(r"^[A-Z][A-Z0-9&.\-]+(?:\s[A-Z][A-Za-z]+)?\s?/\s?[A-Z][\w.'’\- ]+$")
# A person's name opening a sentence, followed by a comma: "Jens Stoltenberg, …"
_NAME_THEN_COMMA = re.compile(
    r"^[A-ZÀ-Ý][\w’'\-]+(?:\s+(?:[A-ZÀ-Ý][\w’'\-.]+|de|von|van|der|da|di|du|al|bin|ibn)){1,3},\s"
)
# What follows the name and role in a caption: a circumstance, not a verb.
_CAPTION_CIRCUMSTANCE = re.compile(
    r"^(?:pendant|lors|durant|au cours|à l['’]occasion|en visite|en compagnie|"
    r"avec|devant|en marge|à son arrivée|à l['’]issue|"
    r"during|at|in|on|while|with|before|after|speaks|attends|arrives|visits|meets)\b",
    re.IGNORECASE,
)
# Finite verbs that make a sentence out of a "Name, role, …" line.
_SENTENCE_VERBS = {
    "fr": _word_set("a ont est sont etait etaient avait avaient sera seront va vont fait"),
    "en": _word_set("is are was were has have had said says will would told"),
}


def _is_credit(text: str) -> bool:
    if _word_count(text) > 12:
        return False
    if "©" in text or _CREDIT_PREFIX.match(text):
        return True
    return _word_count(text) <= 8 and bool(_AGENCY_CREDIT.match(text.strip()))


def _is_person_caption(text: str, language: str) -> bool:
    if _word_count(text) > CAPTION_MAX_WORDS or not _NAME_THEN_COMMA.match(text):
        return False
    if _last_mark(text) in "?!:;":
        return False
    own_language = detect_language(text, default=language or "fr")
    verbs = _SENTENCE_VERBS.get(own_language, _SENTENCE_VERBS["fr"])
    if any(word in verbs for word in words(text)):
        return False
    if language and own_language != language:
        return True  # a short line about a person in another language: a photo caption
    segments = [segment.strip() for segment in text.split(",")]
    return any(_CAPTION_CIRCUMSTANCE.match(segment) for segment in segments[1:])


def is_caption(text: str, *, language: str = "") -> bool:
    """A photo caption or credit: "REUTERS/Yves Herman", "Photo: AFP", "© NATO", or a short
    verbless line "Name, role, during/pendant/lors de …". `language` is the statement's: a
    short line about a person in another language is a caption too."""
    return _is_credit(text) or _is_person_caption(text, language)


_ATTRIBUTION = re.compile(r"\s(?:[–—-]|:)\s+[A-ZÀ-Ý][^–—:]{0,60}$")


def is_heading(text: str) -> bool:
    """A headline rather than a sentence: at most ~12 words without a final . ! ? ; : or ,
    ("Panique à l'OTAN"), or a longer headline ending in an attribution ("… – Stoltenberg",
    "… : Stoltenberg"). List items (bullets) and datelines are not headings."""
    text = text.strip()
    count = _word_count(text)
    if count > HEADLINE_MAX_WORDS or _last_mark(text) in _HEADING_REFUSED_END:
        return False
    if not _has_words(text) or _BULLET.match(text) or is_dateline(text):
        return False
    first_letter = next((ch for ch in text if ch.isalpha()), "")
    if not (first_letter.isupper() or text[0].isdigit()):
        return False
    return count <= HEADING_MAX_WORDS or bool(_ATTRIBUTION.search(text))


_SENTENCE_BREAK = re.compile(r"[.!?…]\s+[«“\"(]?\s*[A-ZÀ-Ý]")
_QUOTE_MARKS = '«»“”"'


def is_section_title(text: str) -> bool:
    """A one-sentence line short enough to title what follows ("La réponse de l'OTAN à
    l'invasion de l'Ukraine par la Russie."). Only meaningful where a section opens."""
    text = text.strip()
    return (
        _word_count(text) <= SECTION_TITLE_MAX_WORDS
        and _last_mark(text) in _SENTENCE_END
        and not _SENTENCE_BREAK.search(text)
        and not any(mark in text for mark in _QUOTE_MARKS)
        and not _BULLET.match(text)
    )


def is_title_repeat(text: str, title: str) -> bool:
    """`text` repeats the title, maybe with a prefix or suffix ("Otan : …", "date 2022-09 …")."""
    if not 0.5 * len(title) <= len(text) <= 2 * len(title):
        return False
    paragraph, wanted = _folded_phrase(text), _folded_phrase(title)
    if not paragraph or not wanted:
        return False
    if paragraph == wanted:
        return True
    shorter, longer = sorted((paragraph, wanted), key=len)
    return shorter in longer and len(shorter) >= 0.6 * len(longer)


def classify(
    text: str,
    *,
    position: int = 0,
    title: str = "",
    language: str = "",
    previous: str = "",
    text_follows: bool = True,
    opens_section: bool = False,
) -> str:
    """The kind of one paragraph: "boilerplate", "title", "dateline", "caption", "heading"
    or "body" (checked in that order).

    `title` is the statement's title (its repeats are `title`; with no title, the paragraph
    at `position` 0 is the title), `language` the statement's, `previous` the paragraph
    before (a list following "PROGRAMME." or "Lire aussi" is chrome too), `opens_section`
    whether the paragraph starts the text or follows a section break (two blank lines):
    there a short one-sentence line is a heading, when `text_follows` (some paragraph
    after it is more than a short sentence, a dateline or chrome: a text of short
    sentences alone is body, all of it).
    """
    if is_boilerplate(text):
        return "boilerplate"
    if previous and is_list_label(previous) and _last_mark(text) not in _SENTENCE_END:
        return "boilerplate"
    if title and is_title_repeat(text, title):
        return "title"
    if is_dateline(text):
        return "dateline"
    if is_caption(text, language=language):
        return "caption"
    if not title and position == 0:
        return "title"
    if is_heading(text):
        return "heading"
    if opens_section and text_follows and is_section_title(text):
        return "heading"
    return "body"


def classify_paragraphs(
    paragraphs: Sequence[ParsedParagraph], *, title: str = "", language: str = ""
) -> list[str]:
    """The kind of every paragraph of one statement, in order and in context.

    Runs `classify` on each paragraph with what precedes it (the paragraph before, whether
    a section opens), then lets the markup decide where there is some: a Markdown or HTML
    heading is a heading (or the title, or chrome such as "Sur le même sujet"), a quote a
    quote, and a list item is never taken for a heading. Texts, numbers and languages are
    read, never changed. O(n) calls to `classify`.
    """
    # Some paragraph after the i-th is text proper while i is before the last such one,
    # found from the end (most texts end with one, or a line of chrome or two after it).
    last_text = next(
        (i for i in range(len(paragraphs) - 1, -1, -1) if _is_text_proper(paragraphs[i].text)),
        -1,
    )
    kinds: list[str] = []
    seen_body = False
    previous = ""
    for position, paragraph in enumerate(paragraphs):
        kind = classify(
            paragraph.text,
            position=position,
            title=title,
            language=language,
            previous=previous,
            text_follows=position < last_text,
            opens_section=not seen_body or paragraph.section_break,
        )
        kind = _kind_from_markup(paragraph.markup, kind)
        seen_body = seen_body or kind == "body"
        previous = paragraph.text
        kinds.append(kind)
    return kinds


def _is_text_proper(text: str) -> bool:
    """More than a short sentence, a dateline or site chrome: what headings stand above."""
    return not (is_section_title(text) or is_dateline(text) or is_boilerplate(text))


def _kind_from_markup(markup: str, kind: str) -> str:
    if markup == "heading":
        return kind if kind in ("title", "boilerplate", "dateline") else "heading"
    if markup == "quote":
        return kind if kind == "boilerplate" else "quote"
    if markup == "item" and kind in ("title", "heading"):
        return "body"
    return kind


# --------------------------------------------------------------------------------------
# Header block

_HEADER_KEY = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]{0,31}):\s*(?P<value>.*)$")
_HEADER_LIST_ITEM = re.compile(r"^\s+-\s+(?P<value>.+)$|^-\s+(?P<value2>.+)$")
_HEADER_MAX_LINES = 60
_EVENT_KEYS = ("event", "events")
_LANGUAGE_NAMES = {
    "fr": "fr",
    "fra": "fr",
    "fre": "fr",
    "french": "fr",
    "francais": "fr",
    "en": "en",
    "eng": "en",
    "english": "en",
    "anglais": "en",
}


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _split_events(value: str) -> list[str]:
    return [name.strip() for name in value.split(";") if name.strip()]


def _header_fields(lines: list[str]) -> list[tuple[str, str]] | None:
    """(key, value) pairs when every line is `key: value` (or a YAML list item), else None."""
    fields: list[tuple[str, str]] = []
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _HEADER_LIST_ITEM.match(line)
        if item and fields:
            key, _ = fields[-1]
            fields.append((key, _unquote(item["value"] or item["value2"])))
            continue
        match = _HEADER_KEY.match(line.rstrip())
        if not match:
            return None
        fields.append((match["key"].lower(), _unquote(match["value"] or "")))
    return fields


def split_header(lines: list[str]) -> tuple[dict[str, str], int]:
    """The metadata of a header block at the top of `lines`, and the index of the first line
    after it; ({}, 0) when there is none.

    Two forms: `key: value` lines ended by a `---` line, and YAML-style front matter between
    two `---` lines. Every line of the block must be `key: value` with a short identifier
    for a key; a first line that merely contains a colon is text, not a header.
    """
    start = next((index for index, line in enumerate(lines) if line.strip()), len(lines))
    if start == len(lines):
        return {}, 0
    front_matter = lines[start].strip() == "---"
    first = start + 1 if front_matter else start
    end = next(
        (
            index
            for index in range(first, min(len(lines), first + _HEADER_MAX_LINES))
            if lines[index].strip() == "---"
        ),
        None,
    )
    if end is None or end == first:
        return {}, 0
    fields = _header_fields(lines[first:end])
    if not fields:
        return {}, 0
    metadata: dict[str, str] = {}
    events: list[str] = []
    for key, value in fields:
        if key in _EVENT_KEYS:
            inline = value.strip()
            if inline.startswith("[") and inline.endswith("]"):
                events.extend(_unquote(name) for name in inline[1:-1].split(","))
            else:
                events.extend(_split_events(value))
        elif value or key not in metadata:
            metadata[key] = value
    if events:
        metadata["event"] = "; ".join(name.strip() for name in events if name.strip())
    return metadata, end + 1


def _language_code(value: str) -> str | None:
    """'fr', 'en' from 'fr', 'fr-FR', 'French', 'anglais' …; None for anything else."""
    return _LANGUAGE_NAMES.get(fold(re.split(r"[-_\s]", value.strip())[0]))


# --------------------------------------------------------------------------------------
# Paragraphs


@dataclass
class _Block:
    lines: list[str] = field(default_factory=list)
    blank_lines_before: int = 0

    @property
    def text(self) -> str:
        return " ".join(line.strip() for line in self.lines).strip()


def _blocks(lines: list[str]) -> list[_Block]:
    """Blank-line separated blocks; a bullet or numbered line starts a block of its own."""
    blocks: list[_Block] = []
    current = _Block()
    blank = 0
    for line in lines:
        stripped = line.strip()
        if not stripped:
            blank += 1
            if current.lines:
                blocks.append(current)
                current = _Block()
            continue
        if current.lines and (_BULLET.match(stripped) or _NUMBER.match(stripped)):
            blocks.append(current)
            current = _Block()
        if not current.lines:
            current.blank_lines_before = blank
        current.lines.append(stripped)
        blank = 0
    if current.lines:
        blocks.append(current)
    return blocks


def split_number(text: str) -> tuple[str, str]:
    """("1.", "Nous condamnons…") from "1. Nous condamnons…"; ("", text) with no number."""
    match = _NUMBER.match(text)
    if not match:
        return "", text
    return match.group(1), text[match.end() :].strip()


def text_paragraphs(lines: list[str]) -> list[ParsedParagraph]:
    """The paragraphs of a plain text (header removed), kinds not yet set."""
    paragraphs = []
    for block in _blocks(lines):
        number, text = split_number(block.text)
        paragraphs.append(
            ParsedParagraph(text, "", number, section_break=block.blank_lines_before >= 2)
        )
    return paragraphs


def document_format(filename: str | None) -> str:
    """ "html", "markdown" or "text", from the file name's extension (text when unknown)."""
    suffix = os.path.splitext(filename or "")[1].lower()
    if suffix in HTML_SUFFIXES:
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


# --------------------------------------------------------------------------------------
# Markdown and HTML: paragraphs from the document's structure

_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "head"})
_LIST_TAGS = frozenset({"ul", "ol", "list"})
_ITEM_TAGS = frozenset({"li", "item"})
_QUOTE_TAGS = frozenset({"blockquote", "quote"})
_TABLE_TAGS = frozenset({"table"})
_ROW_TAGS = frozenset({"tr", "row"})
_CELL_TAGS = frozenset({"td", "th", "cell"})
_BREAK_TAGS = frozenset({"br", "lb"})
_SKIPPED_TAGS = frozenset({"hr", "img", "graphic", "script", "style", "template"})
_BLOCK_TAGS = (
    _HEADING_TAGS
    | _LIST_TAGS
    | _QUOTE_TAGS
    | _TABLE_TAGS
    | frozenset({"p", "div", "pre", "section", "article", "figure", "figcaption", "dl", "dd"})
)


def _tag(element) -> str:
    """The lower-case tag name; "" for comments and processing instructions."""
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _inline_text(element, *, skip: frozenset[str] = _LIST_TAGS) -> str:
    """The element's text on one line, markup gone; nested lists (`skip`) left out."""
    parts = [element.text or ""]
    for child in element:
        tag = _tag(child)
        if tag in _BREAK_TAGS:
            parts.append(" ")
        elif tag in _BLOCK_TAGS and tag not in skip:
            parts.append(f" {_inline_text(child, skip=skip)} ")
        elif tag and tag not in skip and tag not in _SKIPPED_TAGS:
            parts.append(_inline_text(child, skip=skip))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _add_paragraph(found: list[ParsedParagraph], text: str | None, markup: str, number=""):
    text = " ".join((text or "").split())
    if not text:
        return
    if not number:
        number, text = split_number(text)
    if len(number) > MAX_NUMBER_CHARS:  # <ol start="99999999999">: no number worth keeping
        number = ""
    found.append(ParsedParagraph(text, "", number, markup=markup))


def _structure_paragraphs(element, markup: str, found: list[ParsedParagraph]) -> None:
    """Paragraphs of a block element's content, in document order."""
    _add_paragraph(found, element.text, markup)
    for child in element:
        if _tag(child) and _tag(child) not in _SKIPPED_TAGS:
            _block_paragraphs(child, markup, found)
        _add_paragraph(found, child.tail, markup)


def _block_paragraphs(element, markup: str, found: list[ParsedParagraph]) -> None:
    tag = _tag(element)
    has_blocks = any(_tag(child) in _BLOCK_TAGS for child in element)
    if tag in _HEADING_TAGS:
        _add_paragraph(found, _inline_text(element, skip=frozenset()), "heading")
    elif tag in _QUOTE_TAGS:
        if has_blocks:
            _structure_paragraphs(element, "quote", found)
        else:
            _add_paragraph(found, _inline_text(element), "quote")
    elif tag in _LIST_TAGS:
        _list_paragraphs(element, markup, found)
    elif tag in _TABLE_TAGS:
        for row in element.iter():
            if _tag(row) in _ROW_TAGS:
                cells = [_inline_text(cell) for cell in row if _tag(cell) in _CELL_TAGS]
                _add_paragraph(found, " | ".join(cell for cell in cells if cell), markup)
    elif has_blocks:
        _structure_paragraphs(element, markup, found)
    else:
        _add_paragraph(found, _inline_text(element, skip=frozenset()), markup)


def _list_paragraphs(element, markup: str, found: list[ParsedParagraph]) -> None:
    """One paragraph per item ("3." for the third of an ordered list); nested lists follow
    their item."""
    ordered = _tag(element) == "ol" or element.get("rend") == "ol"
    try:
        start = int(element.get("start") or 1)
    except ValueError:
        start = 1
    items = [child for child in element if _tag(child) in _ITEM_TAGS]
    for index, item in enumerate(items):
        number = f"{start + index}." if ordered else ""
        _add_paragraph(found, _inline_text(item), markup or "item", number)
        for nested in _lists_within(item):
            _list_paragraphs(nested, markup, found)


def _lists_within(element):
    """The outermost lists inside `element` (their own nested lists are theirs to walk)."""
    for child in element:
        if _tag(child) in _LIST_TAGS:
            yield child
        elif _tag(child):
            yield from _lists_within(child)


def markdown_paragraphs(text: str) -> list[ParsedParagraph]:
    """The paragraphs of a Markdown text (header removed), kinds not yet set.

    `#` headings are headings, `>` quotes are quotes, each list item is a paragraph (an
    ordered one keeps its number), tables give a paragraph per row; emphasis, links and
    other inline markup are dropped, their words kept.
    """
    import markdown
    from lxml import html

    rendered = markdown.markdown(text, extensions=["sane_lists", "tables"])
    if not rendered.strip():
        return []
    found: list[ParsedParagraph] = []
    _structure_paragraphs(html.fragment_fromstring(rendered, create_parent="div"), "", found)
    return found


def html_paragraphs(page: str) -> tuple[list[ParsedParagraph], dict[str, str]]:
    """The main text of a web page as paragraphs (kinds not yet set), and its metadata.

    trafilatura finds the article and leaves out the site's navigation, footers and
    sidebars; headings, lists and quotes come from its markup. The metadata holds what the
    page states about itself: `title`, `date` (only a date the page's markup gives, never a
    guess), `url` and `site_name`, each when present.
    """
    # Imported here: trafilatura takes a while to load and only HTML needs it.
    import trafilatura

    document = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_recall=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if document is None or document.body is None:
        return [], {}
    found: list[ParsedParagraph] = []
    _structure_paragraphs(document.body, "", found)
    metadata = {}
    if document.title:
        metadata["title"] = " ".join(document.title.split())
    if document.date and parse_date_value(document.date):
        metadata["date"] = document.date
    if document.url and document.url.startswith(("http://", "https://")):
        metadata["url"] = document.url
    if document.sitename:
        metadata["site_name"] = " ".join(document.sitename.split())
    return found, metadata


def _choose_title(texts: list[str], language: str) -> str:
    for text in texts:
        if not (is_boilerplate(text) or is_dateline(text) or is_caption(text, language=language)):
            return strip_leading_date(text)
    return ""


def _paragraph_language(text: str, statement_language: str) -> str:
    if _word_count(text) < PARAGRAPH_LANGUAGE_MIN_WORDS:
        return ""
    language = detect_language(text, default="")
    return language if language and language != statement_language else ""


_TODAY = re.compile(r"^\W*(?:aujourd['’]hui|today)\b", re.IGNORECASE)


def publication_date(paragraphs: list[ParsedParagraph]) -> tuple[datetime.date, str] | None:
    """When the statement was published, from its first paragraphs (kinds already set).

    The first dateline near the top, else a date that opens a title or heading ("date
    2022-09 Le chef…") or a body paragraph that says it is today ("Aujourd'hui (28 février
    2022), …"). Other dates in the body tell when events happened, not this; None then.
    """
    top = paragraphs[:DATE_SEARCH_PARAGRAPHS]
    for paragraph in top:
        found = find_date(paragraph.text) if paragraph.kind == "dateline" else None
        if found:
            return found
    for paragraph in top:
        if paragraph.kind in ("title", "heading") or _TODAY.match(paragraph.text):
            found = leading_date(paragraph.text)
            if found:
                return found
    return None


def parse_statement(
    data: bytes | str,
    filename: str | None = None,
    *,
    max_bytes: int = MAX_BYTES,
    language: str | None = None,
) -> ParsedStatement:
    """Read an uploaded statement: decode it, read its header block if any, split it into
    paragraphs with their kinds, and find its title, date and language.

    The file name's extension chooses the reader: `.html`/`.htm` (the page's main text,
    title and date from its metadata), `.md` (Markdown structure), anything else plain
    text. The header (`title`, `source`, `url`, `date`, `language`, `event` …) wins over
    what is detected in the text, and the `language` argument wins over both. Raises
    `ImportError` with a message for the person importing when the text cannot be read.
    """
    subject = _subject(filename)
    original_text, encoding = _decode(data, max_bytes=max_bytes, filename=filename)
    warnings: list[str] = []
    if encoding == "cp1252":
        warnings.append(f"{subject} is not valid UTF-8; it was read as Windows-1252")

    document = document_format(filename)
    try:
        paragraphs, metadata = _document_paragraphs(original_text, document)
    except RecursionError:  # lists in lists in lists… a thousand deep
        raise ImportError(f"{subject} is nested too deeply to be read") from None
    no_article = ImportError(f"{subject} has no article text that could be found")
    if not paragraphs:
        if document == "html":
            raise no_article
        raise ImportError(f"{subject} has {'a header but ' if metadata else ''}no text")

    statement_language = _statement_language(language, metadata, paragraphs, subject, warnings)
    title = metadata.get("title", "").strip() or _choose_title(
        [paragraph.text for paragraph in paragraphs], statement_language
    )
    if not title:
        warnings.append("No title found in the text or header")

    kinds = classify_paragraphs(paragraphs, title=title, language=statement_language)
    for paragraph, kind in zip(paragraphs, kinds, strict=True):
        paragraph.kind = kind
        paragraph.language = _paragraph_language(paragraph.text, statement_language)
    # A page whose extract is all headings, menus and cookie notices is not an article. A
    # paragraph taken for the title counts as text when the page's metadata named none.
    text_kinds = ("body", "quote") if metadata.get("title") else ("body", "quote", "title")
    if document == "html" and not any(kind in text_kinds for kind in kinds):
        raise no_article

    if len(title) > MAX_TITLE_CHARS:
        title = title[: MAX_TITLE_CHARS - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
        warnings.append(f"The title was longer than {MAX_TITLE_CHARS} characters: it was cut")
    published_on, precision = _statement_date(metadata, paragraphs, subject, warnings)
    return ParsedStatement(
        title=title,
        published_on=published_on,
        date_precision=precision,
        language=statement_language,
        paragraphs=paragraphs,
        metadata=metadata,
        warnings=warnings,
        original_text=original_text,
        filename=filename,
    )


def _document_paragraphs(text: str, document: str) -> tuple[list[ParsedParagraph], dict[str, str]]:
    if document == "html":
        return html_paragraphs(text)
    lines = text.splitlines()
    metadata, body_start = split_header(lines)
    if document == "markdown":
        return markdown_paragraphs("\n".join(lines[body_start:])), metadata
    return text_paragraphs(lines[body_start:]), metadata


def _statement_language(
    argument: str | None,
    metadata: dict[str, str],
    paragraphs: list[ParsedParagraph],
    subject: str,
    warnings: list[str],
) -> str:
    for value, origin in ((argument, "language"), (metadata.get("language"), "header language")):
        if value:
            code = _language_code(value)
            if code is None:
                raise ImportError(
                    f"{subject}: the {origin} {value!r} is not supported (use fr or en)"
                )
            return code
    detected = detect_language(" ".join(f"{p.number} {p.text}" for p in paragraphs), default="")
    if not detected:
        warnings.append("Could not tell the language of the text; assumed French")
    return detected or "fr"


def _statement_date(
    metadata: dict[str, str],
    paragraphs: list[ParsedParagraph],
    subject: str,
    warnings: list[str],
) -> tuple[datetime.date | None, str]:
    if metadata.get("date"):
        found = parse_date_value(metadata["date"])
        if found is None:
            raise ImportError(
                f"{subject}: the header date {metadata['date']!r} is not a date "
                "(write 2022-09-30, 2022-09 or 2022)"
            )
        return found
    found = publication_date(paragraphs)
    if found is None:
        warnings.append("No date found in the text or header")
        return None, "day"
    return found
