"""Whether a number format makes a number a date, and .xls files rewritten so that python-calamine agrees.

python-calamine tells a date from a number by the cell's number format. For an .xls format id below 164 it
trusts the id alone, and takes 27–36 and 50–58 for dates: they are dates only in Chinese, Japanese and Korean
versions of Excel, and free elsewhere. Gnumeric numbers a workbook's own formats from 50 on: the template's
"#,##0.##" became format 50 in its .xls, and every figure read as a date (reported as value-is-date).

Here the format's text decides when the file gives it (a FORMAT record, whatever its id); without one, 14–22
and 45–47 are Excel's built-in dates and times in every language, and any other id, 27–36 and 50–58 included, is
a number. Where python-calamine would read a cell style (XF record) otherwise, the copy it is handed points that
style at a built-in format of the same kind: 0 (General), 14 (a date) or 46 (a duration). Nothing else changes;
the file as received is kept as it came.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import Enum

import olefile


class Kind(Enum):
    NUMBER = 0       # the value of each kind is the built-in format id it is rewritten to
    DATE = 14
    DURATION = 46


BUILTIN_DATES = frozenset([*range(14, 23), 45, 47])
BUILTIN_DURATION = 46
EAST_ASIAN_DATES = frozenset([*range(27, 37), *range(50, 59)])   # dates only in a Chinese/Japanese/Korean Excel
CUSTOM_IDS = range(164, 383)     # an .xls format id python-calamine reads the FORMAT record of

_LITERALS = re.compile(r'"[^"]*"?|[\\_*].?', re.S)   # quoted text; a character shown, padded or repeated
_BRACKETS = re.compile(r"\[([^\]]*)\]?")             # a colour, a condition, a locale, or elapsed time
_ELAPSED = re.compile(r"h+|m+|s+", re.I)
_DATE_CODES = re.compile(r"[dmyhs]", re.I)


def format_kind(code: str) -> Kind:
    """What a number format shows a number as: its first section decides (the one for positive numbers)."""
    section = _LITERALS.sub("", code).split(";", 1)[0]
    if any(_ELAPSED.fullmatch(inner) for inner in _BRACKETS.findall(section)):
        return Kind.DURATION
    return Kind.DATE if _DATE_CODES.search(_BRACKETS.sub("", section)) else Kind.NUMBER


def id_kind(format_id: int, codes: dict[int, str]) -> Kind:
    """The kind of a format id: by its text when the file gives one, else by Excel's built-in ids."""
    if format_id in codes:
        return format_kind(codes[format_id])
    if format_id == BUILTIN_DURATION:
        return Kind.DURATION
    return Kind.DATE if format_id in BUILTIN_DATES else Kind.NUMBER


def calamine_kind(format_id: int) -> Kind | None:
    """How python-calamine reads an .xls format id outside CUSTOM_IDS (by the id alone); None inside."""
    if format_id in CUSTOM_IDS:
        return None
    if format_id == BUILTIN_DURATION:
        return Kind.DURATION
    return Kind.DATE if format_id in BUILTIN_DATES | EAST_ASIAN_DATES else Kind.NUMBER


BOF, EOF, FORMAT, XF = 0x0809, 0x000A, 0x041E, 0x00E0
BIFF8 = 0x0600


def _records(stream: bytes) -> Iterator[tuple[int, int, bytes]]:
    """The BIFF records of a stream: (type, offset of its data, data), up to the first incomplete one."""
    pos = 0
    while pos + 4 <= len(stream):
        kind, length = struct.unpack_from("<HH", stream, pos)
        data = stream[pos + 4:pos + 4 + length]
        if len(data) < length:
            return
        yield kind, pos + 4, data
        pos += 4 + length


def _format_text(data: bytes, biff8: bool) -> str | None:
    """The text of a FORMAT record (after its id); None when it does not fit in the record."""
    if not biff8:                       # BIFF5: a byte count, then 8-bit characters
        count = data[0]
        return data[1:1 + count].decode("latin-1") if len(data) >= 1 + count else None
    if len(data) < 3:
        return None
    count, flags = struct.unpack_from("<HB", data)
    if flags & 0x0C:                    # rich text or phonetic runs: not in a format string
        return None
    wide = flags & 0x01
    body = data[3:3 + count * (2 if wide else 1)]
    if len(body) < count * (2 if wide else 1):
        return None
    return body.decode("utf-16-le" if wide else "latin-1")


@dataclass
class Globals:
    """What the workbook globals say about number formats: each FORMAT record's text by id, and each XF
    record's format id with the offset of that id in the stream."""

    codes: dict[int, str] = field(default_factory=dict)
    styles: list[tuple[int, int]] = field(default_factory=list)     # (offset, format id)


def scan_globals(stream: bytes) -> Globals:
    found = Globals()
    records = _records(stream)
    first = next(records, None)
    if first is None or first[0] != BOF or len(first[2]) < 2:
        return found
    biff8 = struct.unpack_from("<H", first[2])[0] == BIFF8
    for kind, offset, data in records:
        if kind == EOF:
            break
        if kind == FORMAT and len(data) >= 3:
            text = _format_text(data[2:], biff8)
            if text is not None:
                found.codes[struct.unpack_from("<H", data)[0]] = text
        elif kind == XF and len(data) >= 4:
            found.styles.append((offset + 2, struct.unpack_from("<H", data, 2)[0]))
    return found


def restyled(stream: bytes) -> bytes | None:
    """The workbook stream with each XF record that python-calamine would misread pointed at a built-in format
    of the right kind; None when there is none."""
    found = scan_globals(stream)
    patched = bytearray(stream)
    changed = False
    for offset, format_id in found.styles:
        theirs = calamine_kind(format_id)
        ours = id_kind(format_id, found.codes)
        if theirs is not None and theirs is not ours:
            struct.pack_into("<H", patched, offset, ours.value)
            changed = True
    return bytes(patched) if changed else None


def readable_xls(data: bytes) -> bytes:
    """The bytes of an .xls for python-calamine: the file, or a copy with its misread cell styles rewritten.
    May raise on a damaged container: the caller keeps the file as it is then."""
    buffer = io.BytesIO(data)
    ole = olefile.OleFileIO(buffer)
    try:
        name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
        if name is None:
            return data
        fixed = restyled(ole.openstream(name).read())
        if fixed is None:
            return data
        ole.write_stream(name, fixed)
        return buffer.getvalue()
    finally:
        ole.close()
