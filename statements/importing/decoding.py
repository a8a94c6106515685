"""Bytes to text: byte-order marks, UTF-8, Windows-1252; size and binary checks."""

from __future__ import annotations

import codecs
import re

from .parsed import MAX_BYTES, ImportRefused


def describe(filename: str | None) -> str:
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
    """Raise `ImportRefused` when a file of `size` bytes is over `max_bytes`; callers that
    know the size before reading (an upload) refuse it without reading it."""
    if size > max_bytes:
        raise ImportRefused(
            f"{describe(filename)} is larger than the {_size_label(max_bytes)} limit "
            f"(it is {_size_label(size, digits=1)})"
        )


def decode_with_encoding(
    data: bytes | str, *, max_bytes: int, filename: str | None
) -> tuple[str, str]:
    """Text and the encoding it was read with; raises ImportRefused with a message."""
    subject = describe(filename)
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    check_size(size, max_bytes=max_bytes, filename=filename)
    if isinstance(data, str):
        text, encoding = data.removeprefix("\ufeff"), "utf-8"
    else:
        text, encoding = _decode_bytes(data, subject)
    if _looks_binary(text):
        raise ImportRefused(f"{subject} looks like a binary file, not text")
    if not text.strip():
        raise ImportRefused(f"{subject} is empty")
    return text, encoding


def _decode_bytes(data: bytes, subject: str) -> tuple[str, str]:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding).removeprefix("\ufeff"), encoding
            except UnicodeDecodeError:
                label = encoding.removesuffix("-sig").upper()
                raise ImportRefused(
                    f"{subject} starts as {label} text (byte-order mark) but is not valid "
                    f"{label}: its encoding is broken"
                ) from None
    if b"\x00" in data:
        # UTF-16 without a BOM is rare in practice; NUL bytes mean binary far more often.
        raise ImportRefused(f"{subject} looks like a binary file, not text")
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
        raise ImportRefused(
            f"{subject} is UTF-8 text with bytes that are not UTF-8 (the first on line "
            f"{first_bad_line}): its encoding is broken; save it again as UTF-8"
        )
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        raise ImportRefused(
            f"{subject} is not text in an encoding Parallax reads (UTF-8, UTF-16 or UTF-32 "
            "with a byte-order mark, Windows-1252): a binary file, or a broken encoding"
        ) from None


def decode(data: bytes | str, *, max_bytes: int = MAX_BYTES, filename: str | None = None) -> str:
    """The text of an uploaded file, exactly (line ends untouched, BOM removed).

    Tries the BOM (UTF-8, UTF-16, UTF-32), then UTF-8, then Windows-1252. Raises
    `ImportRefused` for an empty or whitespace-only text, a binary file, or one over `max_bytes`.
    """
    return decode_with_encoding(data, max_bytes=max_bytes, filename=filename)[0]
