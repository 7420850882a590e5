"""Outlook .msg files for tests, laid out as [MS-OXMSG] says and written as compound files by tests/cfb.py.

A message is a storage: its properties are streams named __substg1.0_<tag> (variable size) and 16-byte entries
in __properties_version1.0 (fixed size, such as the dates), each attachment a storage __attach_version1.0_#N,
each recipient __recip_version1.0_#N, an attached message the storage __substg1.0_3701000D of its attachment.
Strings are Unicode (PT_UNICODE, 001F) as Outlook writes them today, or 8-bit (PT_STRING8, 001E) in the
message's code page as older versions did (ansi=True).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from datetime import UTC, datetime

from tests.cfb import Entry, storage, stream, write

PT_LONG, PT_SYSTIME, PT_STRING8, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x0003, 0x0040, 0x001E, 0x001F, 0x0102, 0x000D
FLAGS = 0x6   # readable, writable


@dataclass
class MsgAttachment:
    name: str
    data: bytes = b""
    mime: str = "application/octet-stream"
    message: Msg | None = None          # an attached message (attach method 5) instead of a file


@dataclass
class Msg:
    subject: str
    sender_name: str
    sender_address: str
    sent: datetime
    attachments: list[MsgAttachment] = field(default_factory=list)
    body: str = "Kính gửi Sở. Đơn vị gửi báo cáo kèm theo."
    message_id: str = "<msg-1@thainguyen.gov.vn>"
    ansi: bool = False                  # 8-bit strings in code page 1252 (with the bytes given as Latin-1)


def _filetime(moment: datetime) -> bytes:
    ticks = int((moment - datetime(1601, 1, 1, tzinfo=UTC)).total_seconds() * 10_000_000)
    return struct.pack("<Q", ticks)


class _Props:
    """The property streams of one object and the entries of its __properties_version1.0."""

    def __init__(self, ansi: bool) -> None:
        self.ansi = ansi
        self.streams: list[Entry] = []
        self.fixed = b""

    def entry(self, prop: int, kind: int, value: bytes) -> None:
        self.fixed += struct.pack("<II", (prop << 16) | kind, FLAGS) + value.ljust(8, b"\0")

    def text(self, prop: int, value: str) -> None:
        """A string: the stream holds it without its terminating NUL, the entry's size counts the NUL."""
        kind = PT_STRING8 if self.ansi else PT_UNICODE
        data = value.encode("latin-1") if self.ansi else value.encode("utf-16-le")
        self.streams.append(stream(f"__substg1.0_{prop:04X}{kind:04X}", data))
        self.entry(prop, kind, struct.pack("<I", len(data) + (1 if self.ansi else 2)))

    def binary(self, prop: int, data: bytes) -> None:
        self.streams.append(stream(f"__substg1.0_{prop:04X}{PT_BINARY:04X}", data))
        self.entry(prop, PT_BINARY, struct.pack("<I", len(data)))

    def long(self, prop: int, value: int) -> None:
        self.entry(prop, PT_LONG, struct.pack("<I", value))

    def entries(self, header: bytes) -> Entry:
        return stream("__properties_version1.0", header + self.fixed)


def _attachment(number: int, item: MsgAttachment, ansi: bool) -> Entry:
    props = _Props(ansi)
    props.long(0x0E21, number)                     # PR_ATTACH_NUM
    props.long(0x370B, 0xFFFFFFFF)                 # PR_RENDERING_POSITION: not drawn in the body
    props.text(0x3001, item.name)                  # PR_DISPLAY_NAME
    children: list[Entry] = []
    if item.message is not None:
        props.long(0x3705, 5)                      # PR_ATTACH_METHOD: ATTACH_EMBEDDED_MSG
        props.entry(0x3701, PT_OBJECT, struct.pack("<I", 0xFFFFFFFF))
        children.append(storage("__substg1.0_3701000D", *_message(item.message, embedded=True)))
    else:
        props.long(0x3705, 1)                      # ATTACH_BY_VALUE
        props.text(0x3707, item.name)              # PR_ATTACH_LONG_FILENAME
        props.text(0x3704, item.name[:12])         # PR_ATTACH_FILENAME (8.3, as Outlook shortens it)
        props.text(0x3703, "." + item.name.rsplit(".", 1)[-1] if "." in item.name else "")
        props.text(0x370E, item.mime)              # PR_ATTACH_MIME_TAG
        props.binary(0x3701, item.data)            # PR_ATTACH_DATA_BIN
    return storage(f"__attach_version1.0_#{number:08X}", props.entries(b"\0" * 8), *props.streams, *children)


def _recipient(ansi: bool) -> Entry:
    props = _Props(ansi)
    props.long(0x0C15, 1)                          # PR_RECIPIENT_TYPE: To
    props.text(0x3001, "Sở Văn hoá, Thể thao và Du lịch" if not ansi else "So VHTTDL")
    props.text(0x3003, "svhttdl@thainguyen.gov.vn")    # PR_EMAIL_ADDRESS
    props.text(0x3002, "SMTP")                     # PR_ADDRTYPE
    return storage("__recip_version1.0_#00000000", props.entries(b"\0" * 8), *props.streams)


def _message(msg: Msg, embedded: bool = False) -> list[Entry]:
    props = _Props(msg.ansi)
    props.text(0x001A, "IPM.Note")                 # PR_MESSAGE_CLASS
    props.text(0x0037, msg.subject)                # PR_SUBJECT
    props.text(0x0C1A, msg.sender_name)            # PR_SENDER_NAME
    props.text(0x0C1E, "SMTP")                     # PR_SENDER_ADDRTYPE
    props.text(0x0C1F, msg.sender_address)         # PR_SENDER_EMAIL_ADDRESS
    props.text(0x5D01, msg.sender_address)         # PR_SENDER_SMTP_ADDRESS
    props.text(0x0042, msg.sender_name)            # PR_SENT_REPRESENTING_NAME
    props.text(0x1035, msg.message_id)             # PR_INTERNET_MESSAGE_ID
    props.text(0x1000, msg.body)                   # PR_BODY
    props.entry(0x0039, PT_SYSTIME, _filetime(msg.sent))    # PR_CLIENT_SUBMIT_TIME
    props.entry(0x0E06, PT_SYSTIME, _filetime(msg.sent))    # PR_MESSAGE_DELIVERY_TIME
    props.long(0x0E07, 0x1 | (0x10 if msg.attachments else 0))   # PR_MESSAGE_FLAGS: read, has attachments
    props.long(0x340D, 0 if msg.ansi else 0x00040000)           # PR_STORE_SUPPORT_MASK: STORE_UNICODE_OK
    props.long(0x3FFD, 1252)                       # PR_MESSAGE_CODEPAGE
    count = len(msg.attachments)
    header = struct.pack("<8xIIII", 1, count, 1, count) + (b"" if embedded else b"\0" * 8)
    children = [props.entries(header), *props.streams, _recipient(msg.ansi)]
    children += [_attachment(n, item, msg.ansi) for n, item in enumerate(msg.attachments)]
    if not embedded:   # the named-property mapping, empty: this message uses no named properties
        children.append(storage("__nameid_version1.0", stream("__substg1.0_00020102", b""),
                                stream("__substg1.0_00030102", b""), stream("__substg1.0_00040102", b"")))
    return children


def msg_bytes(msg: Msg) -> bytes:
    """A .msg file holding the message."""
    return write(_message(msg))
