"""The optional metadata block at the top of a text: `key: value` lines, or front matter."""

from __future__ import annotations

import re

from statements.text import fold

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


def split_events(value: str) -> list[str]:
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
                events.extend(split_events(value))
        elif value or key not in metadata:
            metadata[key] = value
    if events:
        metadata["event"] = "; ".join(name.strip() for name in events if name.strip())
    return metadata, end + 1


def language_code(value: str) -> str | None:
    """'fr', 'en' from 'fr', 'fr-FR', 'French', 'anglais' …; None for anything else."""
    return _LANGUAGE_NAMES.get(fold(re.split(r"[-_\s]", value.strip())[0]))
