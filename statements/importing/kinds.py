"""What each paragraph is: body, title, heading, dateline, caption or boilerplate."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from statements.text import detect_language, words

from .dates import DATE_LABELS, TIME_OF_DAY, find_dates, word_set
from .parsed import ParsedParagraph

HEADING_MAX_WORDS = 12
HEADLINE_MAX_WORDS = 30  # a longer line without final punctuation that ends "– Stoltenberg"
SECTION_TITLE_MAX_WORDS = 14
CAPTION_MAX_WORDS = 35
DATELINE_MAX_OTHER_WORDS = 8
DATELINE_MAX_WORDS = 25
BOILERPLATE_MAX_WORDS = 60


def _phrase_set(text: str) -> frozenset[str]:
    """Phrases separated by `|`, across lines."""
    return frozenset(phrase.strip() for phrase in text.split("|") if phrase.strip())


BULLET = re.compile(r"^[•\-*–—▪●◦‣·](?:\s|$)")
LIST_NUMBER = re.compile(r"^(\d{1,3}[.)]|\(\d{1,3}\))\s+(?=\S)")
_CLOSERS = " \t\u00a0\u202f»”\"’')]"
_SENTENCE_END = ".!?…"
_HEADING_REFUSED_END = ".!?…;:,"


# The kind heuristics ask these of the same paragraph several times over: remembered for
# the last few thousand paragraphs (a string's hash is computed once, then kept with it).
@functools.lru_cache(maxsize=4096)
def word_count(text: str) -> int:
    return len(text.split())


_ALNUM = re.compile(r"[^\W_]")


def _has_words(text: str) -> bool:
    return _ALNUM.search(text) is not None


def _last_mark(text: str) -> str:
    stripped = text.rstrip(_CLOSERS)
    return stripped[-1] if stripped else ""


def _without_bullet(text: str) -> str:
    return BULLET.sub("", text.strip(), count=1).strip()


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
    count = word_count(text)
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
    return word_count(text) <= 5 and _folded_phrase(text) in _CHROME_LABELS


def is_dateline(text: str) -> bool:
    """A line that gives a date and little else: "Publié le 30.9.2022", "• 28 Feb. 2022 -",
    "Mis à jour le: 28 Feb. 2022 21:24", "Bruxelles, Belgique 24 mars 2022".

    Nothing but a time or punctuation may follow the last date, and at most a few words
    (a place, an event, a label) precede it.
    """
    text = _without_bullet(text)
    if word_count(text) > DATELINE_MAX_WORDS:
        return False
    dates = find_dates(text)
    if not dates:
        return False
    after = words(TIME_OF_DAY.sub(" ", text[dates[-1].end :]))
    if any(word not in DATE_LABELS for word in after):
        return False
    other = text
    for found in reversed(dates):
        other = other[: found.start] + " " + other[found.end :]
    other_words = words(TIME_OF_DAY.sub(" ", other))
    unlabelled = [word for word in other_words if word not in DATE_LABELS]
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
    "fr": word_set("a ont est sont etait etaient avait avaient sera seront va vont fait"),
    "en": word_set("is are was were has have had said says will would told"),
}


def _is_credit(text: str) -> bool:
    if word_count(text) > 12:
        return False
    if "©" in text or _CREDIT_PREFIX.match(text):
        return True
    return word_count(text) <= 8 and bool(_AGENCY_CREDIT.match(text.strip()))


def _is_person_caption(text: str, language: str) -> bool:
    if word_count(text) > CAPTION_MAX_WORDS or not _NAME_THEN_COMMA.match(text):
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
    count = word_count(text)
    if count > HEADLINE_MAX_WORDS or _last_mark(text) in _HEADING_REFUSED_END:
        return False
    if not _has_words(text) or BULLET.match(text) or is_dateline(text):
        return False
    first_letter = next((ch for ch in text if ch.isalpha()), "")
    if not (first_letter.isupper() or text[0].isdigit()):
        return False
    return count <= HEADING_MAX_WORDS or bool(_ATTRIBUTION.search(text))


# One way only to read a run of spaces (not \s+ then \s*): linear, whatever follows.
_SENTENCE_BREAK = re.compile(r"[.!?…]\s+(?:[«“\"(]\s*)?[A-ZÀ-Ý]")
_QUOTE_MARKS = '«»“”"'


def is_section_title(text: str) -> bool:
    """A one-sentence line short enough to title what follows ("La réponse de l'OTAN à
    l'invasion de l'Ukraine par la Russie."). Only meaningful where a section opens."""
    text = text.strip()
    return (
        word_count(text) <= SECTION_TITLE_MAX_WORDS
        and _last_mark(text) in _SENTENCE_END
        and not _SENTENCE_BREAK.search(text)
        and not any(mark in text for mark in _QUOTE_MARKS)
        and not BULLET.match(text)
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
