"""winmail.dat (TNEF) streams for tests, built as [MS-OXTNEF] lays them out (tnefparse reads but cannot write).

A stream is the signature 0x223E9F78 and a legacy key, then attributes: a level byte (1 message, 2 attachment),
a 32-bit id (attribute number in the low word, its type in the high word), a 32-bit length, the data and a
16-bit checksum (the sum of the data bytes). Outlook writes the version, the OEM code page and the message
class, the message's MAPI properties, then for each attachment attAttachRendData (which opens it), its 8.3
title, its bytes (attAttachData) and attAttachment: its MAPI properties, among them the long file name and the
MIME type. MAPI properties are a count, then per property its type and id (16 bits each) and its value;
strings and binaries as a value count, a length and the bytes padded to four. (Checked once with an
independent decoder, Debian's tnef program: it lists and extracts the same names, types and bytes.)
"""

from __future__ import annotations

import struct

SIGNATURE = 0x223E9F78
MESSAGE, ATTACHMENT = 1, 2
ATT_TNEF_VERSION, ATT_OEM_CODEPAGE, ATT_MESSAGE_CLASS = 0x00089006, 0x00069007, 0x00078008
ATT_SUBJECT, ATT_MSG_PROPS = 0x00018004, 0x00069003
ATT_ATTACH_REND_DATA, ATT_ATTACH_TITLE, ATT_ATTACH_DATA, ATT_ATTACHMENT = 0x00069002, 0x00018010, 0x0006800F, 0x00069005
PT_LONG, PT_STRING8, PT_UNICODE, PT_OBJECT, PT_BINARY = 0x0003, 0x001E, 0x001F, 0x000D, 0x0102
IMESSAGE_IID = bytes.fromhex("0703020000000000c000000000000046")


def attribute(level: int, ident: int, data: bytes) -> bytes:
    return struct.pack("<BII", level, ident, len(data)) + data + struct.pack("<H", sum(data) & 0xFFFF)


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 4)


def mapi(*props: tuple[int, int, object]) -> bytes:
    """MAPI properties: (property id, type, value) each."""
    out = struct.pack("<I", len(props))
    for prop, kind, value in props:
        out += struct.pack("<HH", kind, prop)
        if kind == PT_LONG:
            assert isinstance(value, int)
            out += struct.pack("<I", value)
            continue
        if kind == PT_UNICODE:
            assert isinstance(value, str)
            data = value.encode("utf-16-le") + b"\0\0"
        elif kind == PT_STRING8:
            assert isinstance(value, str)
            data = value.encode("cp1252") + b"\0"
        else:
            assert isinstance(value, bytes)
            data = value
        out += struct.pack("<II", 1, len(data)) + _padded(data)
    return out


def winmail(attachments: list[tuple[str, str, bytes]], subject: str = "Báo cáo", embedded: tuple[bytes, ...] = ()
            ) -> bytes:
    """A winmail.dat holding the attachments: (long file name, MIME type, bytes) each; then, as Outlook sends a
    message attached to a message, each stream of `embedded` as an attachment of method 5 (an embedded message)
    whose PR_ATTACH_DATA_OBJ is the IMessage IID followed by that message's own TNEF stream."""
    out = struct.pack("<IH", SIGNATURE, 0x0001)
    out += attribute(MESSAGE, ATT_TNEF_VERSION, struct.pack("<I", 0x00010000))
    out += attribute(MESSAGE, ATT_OEM_CODEPAGE, struct.pack("<II", 1252, 0))
    out += attribute(MESSAGE, ATT_MESSAGE_CLASS, b"IPM.Microsoft Mail.Note\0")
    out += attribute(MESSAGE, ATT_MSG_PROPS, mapi((0x0037, PT_UNICODE, subject), (0x1000, PT_UNICODE, "Gửi kèm.")))
    for position, (name, mime, data) in enumerate(attachments):
        # AttachType 1 (a file), position in the body, rendering width and height, flags
        out += attribute(ATTACHMENT, ATT_ATTACH_REND_DATA, struct.pack("<HIHHI", 1, position, 0xFFFF, 0xFFFF, 0))
        stem, _, suffix = name.rpartition(".")
        short = (stem.encode("ascii", "replace")[:6] + b"~1." + suffix.encode("ascii", "replace")[:3]) + b"\0"
        out += attribute(ATTACHMENT, ATT_ATTACH_TITLE, short)
        out += attribute(ATTACHMENT, ATT_ATTACH_DATA, data)
        out += attribute(ATTACHMENT, ATT_ATTACHMENT, mapi(
            (0x3705, PT_LONG, 1),                  # PR_ATTACH_METHOD: by value
            (0x3707, PT_UNICODE, name),            # PR_ATTACH_LONG_FILENAME
            (0x370E, PT_STRING8, mime),            # PR_ATTACH_MIME_TAG
            (0x370B, PT_LONG, 0xFFFFFFFF)))        # PR_RENDERING_POSITION
    for position, stream in enumerate(embedded, start=len(attachments)):
        out += attribute(ATTACHMENT, ATT_ATTACH_REND_DATA, struct.pack("<HIHHI", 1, position, 0xFFFF, 0xFFFF, 0))
        out += attribute(ATTACHMENT, ATT_ATTACHMENT, mapi(
            (0x3705, PT_LONG, 5),                  # PR_ATTACH_METHOD: an embedded message
            (0x3001, PT_UNICODE, "Thư chuyển tiếp"),
            (0x3701, PT_OBJECT, IMESSAGE_IID + stream)))
    return out
