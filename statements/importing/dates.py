"""Dates written in a text: find them, read a date given on its own, datelines."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from statements.text import fold, words


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


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


def find_dates(text: str) -> list[_DateMatch]:
    """Every date in `text`, in order, overlapping candidates resolved by pattern preference.

    Linear in the length of `text`: each pattern's matches come in order, so each is checked
    against the dates already kept by walking both lists once (a check of every match
    against every kept date took 24 million comparisons on a 176 KB line of dates).
    """
    found: list[_DateMatch] = []
    for pattern, precision in _DATE_PATTERNS:
        kept, index = [], 0
        for match in pattern.finditer(text):
            start, end = match.span()
            while index < len(found) and found[index].end <= start:
                index += 1
            if index < len(found) and found[index].start < end:
                continue  # overlaps a date of a preferred pattern
            date = _date_from(match, precision)
            if date is not None:
                kept.append(_DateMatch(start, end, date, precision))
        if kept:
            found = sorted(found + kept, key=lambda found_date: found_date.start)
    return found


def find_date(text: str) -> tuple[datetime.date, str] | None:
    """The first date written in `text` and its precision ("day" or "month"), or None.

    Understands 2022-09-30, 2022-09 (month), 30.9.2022, 30/09/2022, 24 mars 2022,
    1er mars 2022, 28 Feb. 2022, March 24, 2022, février 2022 (month); French and English
    month names and abbreviations, accents optional. A month-precision date is the 1st.
    """
    dates = find_dates(text)
    if not dates:
        return None
    return dates[0].date, dates[0].precision


# A time of day: 14:30, 14 h 30, 14:30:00.000, 2:30 pm, 21:24 CET.
TIME_OF_DAY = re.compile(
    r"\b\d{1,2}\s?[:h]\s?\d{2}(?::\d{2}(?:[.,]\d+)?)?\b(?:\s?(?:am|pm)\b)?"
    r"(?:\s?(?:utc|gmt|cet|cest|bst|est|edt|[+-]\d{2}:?\d{2})\b)?",
    re.IGNORECASE,
)
# What may follow a date given on its own: a time, after a comma, a dash or "à"/"at".
# Each run of spaces can be read one way only (no \s* beside \s*): linear, whatever follows.
_TIME_AFTER = re.compile(
    rf"(?:\s*(?:[,\-–—]\s*)?(?:(?:à|at)\s*)?{TIME_OF_DAY.pattern})?\s*\.?", re.IGNORECASE
)
# An ISO 8601 timestamp, as front matter writes them: 2022-09-22T10:00:00Z.
_ISO_TIMESTAMP = re.compile(
    r"(\d{4}-\d{1,2}-\d{1,2})T\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?",
    re.IGNORECASE,
)
_WEEKDAYS = word_set(
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
    dates = find_dates(value)
    if len(dates) != 1:
        return None
    found = dates[0]
    before = words(value[: found.start])
    if not all(word in DATE_LABELS or word in _WEEKDAYS for word in before):
        return None
    if not _TIME_AFTER.fullmatch(value[found.end :]):
        return None
    return found.date, found.precision


# Words that may stand before a date in a dateline ("Publié le", "Mis à jour le:", "date").
DATE_LABELS = word_set(
    """
    date publie publiee le mis mise a jour derniere modifie modifiee aujourd hui en ligne
    published on updated posted last modified today
    """
)


def _leading(text: str) -> _DateMatch | None:
    """The date `text` opens with, label words allowed before it; None otherwise."""
    dates = find_dates(text)
    if dates and all(word in DATE_LABELS for word in words(text[: dates[0].start])):
        return dates[0]
    return None


def leading_date(text: str) -> tuple[datetime.date, str] | None:
    """The date `text` opens with, allowing label words before it ("Publié le", "date",
    "Aujourd'hui (", "Le"); None when other words come first."""
    found = _leading(text)
    return (found.date, found.precision) if found else None


def strip_leading_date(text: str) -> str:
    """`text` without a leading dateline fragment: "date 2022-09 Le chef…" -> "Le chef…"."""
    found = _leading(text)
    if found is None:
        return text.strip()
    rest = text[found.end :].lstrip()
    time = TIME_OF_DAY.match(rest)
    if time:
        rest = rest[time.end() :]
    return rest.lstrip(" \t\u00a0-–—:|,.)").strip() or text.strip()
