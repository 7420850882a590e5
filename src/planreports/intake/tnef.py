"""Outlook's winmail.dat (TNEF, application/ms-tnef): the attachments Outlook packed inside it.

Outlook sends a message in its own rich format as one winmail.dat attachment; mail programs other than Outlook
show only that file, and the workbook inside would be lost. The format ([MS-OXTNEF]) is read here, only as far
as the attachments go: the stream is a signature and a key, then attributes (a level byte, a 32-bit id whose
low word names it, a 32-bit length, the bytes, a 16-bit checksum). An attachment opens with attAttachRendData;
its bytes are attAttachData, its 8.3 name attAttachTitle, and attAttachment holds its MAPI properties (the long
file name, the MIME type, and, for a message attached inside, that message as an embedded TNEF stream).

Why not tnefparse: it trusts every count in the stream. A damaged winmail.dat whose property count reads
4 billion made it loop for minutes, and a damaged value count made it grow a list until the machine killed the
collect (seen in CI). Here every count is checked against the bytes that remain before anything is read, and
each byte is looked at a bounded number of times, so a hostile stream costs time in proportion to its size.
Like tnefparse, damage costs only what it touches: a property not as expected ends that attachment's
properties (its bytes and 8.3 name remain), a stream cut short ends with what remains of its last attribute,
and padding after the stream is ignored; a damaged message inside is skipped.
"""

from __future__ import annotations

import codecs
import contextlib
import struct

TNEF_MAGIC = b"\x78\x9f\x3e\x22"
MAX_EMBEDDED = 5                 # messages attached inside a winmail.dat, one inside the other
MAX_ATTACHMENTS = 1_000

_LEVEL_MESSAGE, _LEVEL_ATTACHMENT = 1, 2
_ATT_OEM_CODEPAGE, _ATT_ATTACH_REND_DATA, _ATT_ATTACHMENT = 0x9007, 0x9002, 0x9005
_ATT_ATTACH_DATA, _ATT_ATTACH_TITLE = 0x800F, 0x8010
# MAPI properties of an attachment that matter here
_PR_DISPLAY_NAME, _PR_ATTACH_DATA, _PR_ATTACH_FILENAME = 0x3001, 0x3701, 0x3704
_PR_ATTACH_LONG_FILENAME, _PR_ATTACH_MIME_TAG = 0x3707, 0x370E
# the IID of IMessage: an attachment value starting with it is a whole message, as a TNEF stream
_IMESSAGE_IID = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46"

_SMALLEST_ATTRIBUTE = 11                         # level, id, length, checksum
_MULTI_VALUED, _NAMED = 0x1000, 0x8000
_FIXED_SIZES = {0x0002: 2, 0x000B: 2, 0x0003: 4, 0x0004: 4, 0x000A: 4,
                0x0005: 8, 0x0006: 8, 0x0007: 8, 0x0014: 8, 0x0040: 8, 0x0048: 16}
_PT_STRING8, _PT_UNICODE = 0x001E, 0x001F
_VARIABLE = {0x0000, 0x000D, _PT_STRING8, _PT_UNICODE, 0x0102}

Member = tuple[str | None, str, bytes]      # (name, content type, bytes)


class Damaged(Exception):
    """The stream is not what [MS-OXTNEF] lays out (a count or a length beyond the bytes that remain)."""


class _Reader:
    """Reads little-endian integers and byte runs from a buffer, never past its end."""

    def __init__(self, data: memoryview) -> None:
        self.data, self.offset = data, 0

    @property
    def left(self) -> int:
        return len(self.data) - self.offset

    def take(self, size: int) -> memoryview:
        if size < 0 or size > self.left:
            raise Damaged
        start = self.offset
        self.offset += size
        return self.data[start:self.offset]

    def u16(self) -> int:
        value: int = struct.unpack_from("<H", self.take(2))[0]
        return value

    def u32(self) -> int:
        value: int = struct.unpack_from("<I", self.take(4))[0]
        return value

    def count(self, smallest_item: int) -> int:
        """A count read from the stream, refused when that many items could not fit in what remains."""
        value = self.u32()
        if value * smallest_item > self.left:
            raise Damaged
        return value


def _padded(size: int) -> int:
    return size + (-size % 4)


_WANTED = (_PR_DISPLAY_NAME, _PR_ATTACH_DATA, _PR_ATTACH_FILENAME, _PR_ATTACH_LONG_FILENAME, _PR_ATTACH_MIME_TAG)


def _properties(data: memoryview) -> dict[int, tuple[int, memoryview]]:
    """The first value and the type of the wanted MAPI properties of an attribute, by property id; the others
    (named properties among them) are only measured. A property that is not as expected ends the reading: those
    read before it are kept (the attachment's bytes and 8.3 name are elsewhere)."""
    out: dict[int, tuple[int, memoryview]] = {}
    with contextlib.suppress(Damaged):
        _read_properties(_Reader(data), out)
    return out


def _read_properties(reader: _Reader, out: dict[int, tuple[int, memoryview]]) -> None:
    for _ in range(reader.count(4)):
        kind, ident = reader.u16(), reader.u16()
        if ident >= _NAMED:                      # a named property: its GUID, then a number or a name
            reader.take(16)
            if reader.u32() == 0:
                reader.take(4)
            else:
                reader.take(_padded(reader.count(1)))
        values = reader.count(1) if kind & _MULTI_VALUED else None
        kind &= ~_MULTI_VALUED
        if kind in _FIXED_SIZES:
            size = _FIXED_SIZES[kind]
            # 16-bit values are padded to four bytes, once per property
            run = size * (values if values is not None else 1)
            reader.take(_padded(run) if size == 2 else run)
            continue
        if kind not in _VARIABLE:
            raise Damaged
        for number in range(values if values is not None else reader.count(4)):
            length = reader.count(1)
            value = reader.take(_padded(length))
            if number == 0 and ident in _WANTED:
                out[ident] = (kind, value[:length])


def _text(value: bytes | memoryview | None, codepage: str, unicode: bool = False) -> str | None:
    if not value:
        return None
    text = bytes(value).decode("utf-16-le" if unicode else codepage, errors="replace")
    return text.split("\x00", 1)[0].strip() or None


def _codepage(number: int) -> str:
    try:
        return codecs.lookup(f"cp{number}").name
    except LookupError:
        return "cp1252"


class _Attachment:
    def __init__(self) -> None:
        self.title: str | None = None
        self.data: bytes | None = None
        self.long_name: str | None = None
        self.short_name: str | None = None
        self.mime: str | None = None
        self.embedded: memoryview | None = None      # a view into the stream: nested messages are not copied

    def add(self, ident: int, value: memoryview, codepage: str) -> None:
        """One attachment-level attribute of the stream."""
        if ident == _ATT_ATTACH_DATA:
            self.data = bytes(value)
        elif ident == _ATT_ATTACH_TITLE:
            self.title = _text(value, codepage)
        elif ident == _ATT_ATTACHMENT:
            self.add_properties(value, codepage)

    def add_properties(self, data: memoryview, codepage: str) -> None:
        props = _properties(data)

        def text(ident: int) -> str | None:
            kind, value = props.get(ident, (_PT_STRING8, memoryview(b"")))
            return _text(value, codepage, unicode=kind == _PT_UNICODE)

        self.long_name = text(_PR_ATTACH_LONG_FILENAME)
        self.short_name = text(_PR_ATTACH_FILENAME) or text(_PR_DISPLAY_NAME)
        self.mime = text(_PR_ATTACH_MIME_TAG)
        _, value = props.get(_PR_ATTACH_DATA, (0, memoryview(b"")))
        if bytes(value[:len(_IMESSAGE_IID)]) == _IMESSAGE_IID:
            self.embedded = value[len(_IMESSAGE_IID):]
        elif value and self.data is None:
            self.data = bytes(value)

    def member(self) -> Member | None:
        if not self.data:
            return None
        name = self.long_name or self.short_name or self.title
        return name, (self.mime or "application/octet-stream").lower(), self.data


def _attachments(data: memoryview) -> list[_Attachment]:
    """The attachments of one TNEF stream, in order (embedded messages not yet opened)."""
    reader = _Reader(data)
    if bytes(reader.take(4)) != TNEF_MAGIC:
        raise Damaged
    reader.take(2)                               # the legacy key
    codepage, attachments = "cp1252", list[_Attachment]()
    while reader.left >= _SMALLEST_ATTRIBUTE:    # fewer bytes left: padding a mail program added (CRLF, NULs)
        level = reader.take(1)[0]
        ident = reader.u32() & 0xFFFF
        # a stream cut short: its last attribute is what remains (a cut workbook is then refused as damaged)
        value = reader.take(min(reader.u32(), reader.left))
        reader.take(min(2, reader.left))         # the checksum: not checked (other readers don't either)
        if level == _LEVEL_MESSAGE and ident == _ATT_OEM_CODEPAGE and len(value) >= 4:
            codepage = _codepage(struct.unpack_from("<I", value)[0])
        elif level == _LEVEL_ATTACHMENT and ident == _ATT_ATTACH_REND_DATA:   # opens the next attachment
            if len(attachments) >= MAX_ATTACHMENTS:
                raise Damaged
            attachments.append(_Attachment())
        elif level == _LEVEL_ATTACHMENT and attachments:    # (one before any attachment opened: skipped)
            attachments[-1].add(ident, value, codepage)
    return attachments


def _read(data: memoryview, depth: int, out: list[Member]) -> None:
    for attachment in _attachments(data):
        if attachment.embedded is not None:
            if depth < MAX_EMBEDDED:
                with contextlib.suppress(Damaged):      # a damaged message inside: the others still count
                    _read(attachment.embedded, depth + 1, out)
            continue
        member = attachment.member()
        if member is not None:
            out.append(member)


def tnef_attachments(data: bytes) -> list[Member] | None:
    """The attachments inside a winmail.dat; None when the bytes cannot be read as TNEF."""
    if not data.startswith(TNEF_MAGIC):
        return None
    out: list[Member] = []
    try:
        _read(memoryview(data), 0, out)
    except Damaged:
        return None
    return out
