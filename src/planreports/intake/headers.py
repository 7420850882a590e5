"""Who sent a message, when, and under what subject: its headers read as a person would read them.

Old Vietnamese mail programs send the subject and the sender's name in TCVN3 or VNI, 8-bit, labelled
iso-8859-1/windows-1252 or not labelled at all. Python's email package then gives Latin-1 look-alikes
("B¸o c¸o") or, for unlabelled bytes, replacement characters. Both are repaired here with the same conversion
the workbook cells get (vn/legacy.py): from the raw bytes when the decoded text lost them.
"""

from __future__ import annotations

import email.utils
from dataclasses import dataclass
from datetime import datetime
from email.message import Message

from planreports.vn.dates import VN_TZ
from planreports.vn.legacy import detect_and_convert
from planreports.vn.text import nfc


@dataclass(frozen=True)
class Envelope:
    """The headers that matter of one message: a received one, or one attached inside it."""

    sender: str | None
    subject: str | None
    date: datetime | None
    message_id: str | None


def mail_date(message: Message) -> datetime | None:
    """The message's Date in Vietnam time (a date without a zone is taken as Vietnam time); None without one."""
    try:
        parsed = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=VN_TZ)
        return parsed.astimezone(VN_TZ)
    except (TypeError, ValueError, IndexError, OverflowError):   # "31 Dec 9999 23:00 -0500" overflows in +07:00
        return None


def _raw(message: Message, name: str) -> bytes | None:
    """The header's bytes as they came (undecodable 8-bit bytes are kept by the parser as surrogates)."""
    for key, value in message.raw_items():
        if key.lower() == name.lower() and isinstance(value, str):
            return value.encode("ascii", "surrogateescape")
    return None


def repair(text: str) -> str:
    """Legacy-encoded Vietnamese (TCVN3, VNI) as Unicode; other text unchanged."""
    return detect_and_convert(text)[0]


def _unfold(text: str) -> str:
    return " ".join(text.split())


def header(message: Message, name: str) -> str | None:
    """A header as readable text: encoded words decoded, unlabelled 8-bit bytes and legacy Vietnamese
    encodings repaired, folding removed; None when absent or unreadable."""
    try:
        value = message.get(name)
        text = str(value) if value is not None else None
        broken = text is not None and "\ufffd" in text
    except (ValueError, IndexError, TypeError):  # malformed encoded words
        text, broken = None, True
    if broken:
        raw = _raw(message, name)
        if raw is not None and not raw.isascii():
            text = decode_8bit(raw)
    return _unfold(nfc(repair(text))) or None if text else None


def decode_8bit(raw: bytes) -> str:
    """Unlabelled 8-bit header bytes: UTF-8 when they are, else one byte per character (TCVN3 and VNI are
    repaired from that)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def envelope_of(message: Message) -> Envelope:
    """The message's own headers; a message without a Date has none (its carrier's is used)."""
    return Envelope(header(message, "From"), header(message, "Subject"), mail_date(message),
                    header(message, "Message-ID"))
