"""A saved Outlook message (.msg, [MS-OXMSG]) read as the e-mail it is: sender, date, subject, attachments.

A .msg is an OLE compound file (read with olefile): the message's properties are streams named after their
MAPI tag (__substg1.0_0037001F is the subject), fixed-size ones (the dates) are in __properties_version1.0,
each attachment is a storage __attach_version1.0_#N, and an attached message is a storage inside it. The result
is an email.message.EmailMessage, so a .msg goes through the same reading as any other mail (workbooks, .zip,
winmail.dat, attached messages, dates).

A hostile file is bounded: no stream is read past its declared size or MAX_STREAM, the streams read together
never exceed the file's own size (a FAT cycle cannot make more bytes than the file has), and attachments and
attached messages are counted. Anything olefile cannot read raises ValueError.
"""

from __future__ import annotations

import codecs
import email.utils
import io
import struct
import unicodedata
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.parser import HeaderParser

import olefile

from planreports.vn.dates import VN_TZ

MAX_STREAM = 50 * 1024 * 1024
MAX_ATTACHMENTS = 500
MAX_EMBEDDED = 10
PROPERTIES = "__properties_version1.0"
EMBEDDED = "__substg1.0_3701000D"
SUBJECT, SENDER_NAME, SENDER_ADDRESS, SENDER_SMTP = 0x0037, 0x0C1A, 0x0C1F, 0x5D01
REPRESENTING_NAME, REPRESENTING_SMTP, HEADERS, MESSAGE_ID = 0x0042, 0x5D02, 0x007D, 0x1035
LONG_FILENAME, FILENAME, DISPLAY_NAME, MIME_TAG, ATTACH_METHOD = 0x3707, 0x3704, 0x3001, 0x370E, 0x3705
SUBMIT_TIME, DELIVERY_TIME, CODEPAGE = 0x00390040, 0x0E060040, 0x3FFD0003
FILETIME_EPOCH = datetime(1601, 1, 1, tzinfo=UTC)


class _Msg:
    """One open .msg file and what may still be read from it."""

    def __init__(self, data: bytes) -> None:
        try:
            self.ole = olefile.OleFileIO(io.BytesIO(data), raise_defects=olefile.DEFECT_INCORRECT)
        except Exception as exc:  # olefile raises OSError, its own OleFileError, struct.error, …
            raise ValueError(f"không phải tệp thư Outlook đọc được ({exc})") from None
        self.budget = len(data)
        self.attachments = 0

    def stream(self, path: str) -> bytes | None:
        try:
            if not self.ole.exists(path) or self.ole.get_type(path) != olefile.STGTY_STREAM:
                return None
            size = self.ole.get_size(path)
            if size > min(MAX_STREAM, self.budget):
                raise ValueError(f"phần “{path}” lớn bất thường ({size} byte)")
            data: bytes = self.ole.openstream(path).read(size)
        except ValueError:
            raise
        except Exception as exc:
            raise ValueError(f"tệp thư Outlook bị hỏng ({exc})") from None
        self.budget -= len(data)
        return data

    def text(self, prefix: str, prop: int, codepage: str) -> str | None:
        wide = self.stream(f"{prefix}__substg1.0_{prop:04X}001F")
        if wide is not None:
            return _clean(wide.decode("utf-16-le", errors="replace"))
        narrow = self.stream(f"{prefix}__substg1.0_{prop:04X}001E")
        return _clean(narrow.decode(codepage, errors="replace")) if narrow is not None else None

    def fixed(self, prefix: str, header: int) -> dict[int, bytes]:
        """The fixed-size properties (tag -> 8 value bytes) of the object at `prefix`."""
        data = self.stream(prefix + PROPERTIES) or b""
        return {struct.unpack_from("<I", data, at)[0]: data[at + 8:at + 16]
                for at in range(header, len(data) - 15, 16)}

    def storages(self, prefix: str, start: str) -> list[str]:
        depth = prefix.count("/")
        found = {"/".join(entry[:depth + 1]) for entry in self.ole.listdir(streams=True, storages=True)
                 if len(entry) > depth and "/".join(entry[:depth]) + ("/" if depth else "") == prefix
                 and entry[depth].startswith(start)}
        return sorted(found)


def _clean(text: str) -> str | None:
    """A property's text as a header value: no terminating NUL, no line breaks or control characters (a soft
    hyphen stays: in TCVN3 it is the letter ư)."""
    text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text.split("\x00", 1)[0])
    return " ".join(text.split()) or None


def _filetime(value: bytes | None) -> datetime | None:
    if not value or len(value) < 8:
        return None
    (ticks,) = struct.unpack("<Q", value[:8])
    try:
        return (FILETIME_EPOCH + timedelta(microseconds=ticks // 10)).astimezone(VN_TZ) if ticks else None
    except OverflowError:
        return None


def _codepage(fixed: dict[int, bytes]) -> str:
    """The codec of the message's 8-bit strings (PR_MESSAGE_CODEPAGE), Windows-1252 when unknown."""
    number = struct.unpack("<I", fixed[CODEPAGE][:4])[0] if CODEPAGE in fixed else 1252
    codec = "utf-8" if number == 65001 else f"cp{number}"
    try:
        codecs.lookup(codec)
    except LookupError:
        return "cp1252"
    return codec


def _transport(reader: _Msg, prefix: str, codepage: str) -> dict[str, str]:
    """From, Date and Message-ID of the headers the message arrived with, when Outlook kept them."""
    wide = reader.stream(f"{prefix}__substg1.0_{HEADERS:04X}001F")
    narrow = None if wide is not None else reader.stream(f"{prefix}__substg1.0_{HEADERS:04X}001E")
    text = wide.decode("utf-16-le", "replace") if wide is not None else (narrow or b"").decode(codepage, "replace")
    parsed = HeaderParser().parsestr(text.split("\x00", 1)[0])
    return {name: " ".join(str(parsed[name]).split()) for name in ("From", "Date", "Message-ID")
            if parsed[name] is not None}


def _headers(reader: _Msg, prefix: str, fixed: dict[int, bytes]) -> dict[str, str]:
    """From, Date, Subject and Message-ID: from the transport headers, else from the message's properties."""
    codepage = _codepage(fixed)
    out = _transport(reader, prefix, codepage)
    name = reader.text(prefix, SENDER_NAME, codepage) or reader.text(prefix, REPRESENTING_NAME, codepage)
    address = (reader.text(prefix, SENDER_SMTP, codepage) or reader.text(prefix, REPRESENTING_SMTP, codepage)
               or reader.text(prefix, SENDER_ADDRESS, codepage))
    if "From" not in out and (name or address):
        out["From"] = email.utils.formataddr((name or "", address if address and "@" in address else ""))
    sent = _filetime(fixed.get(SUBMIT_TIME)) or _filetime(fixed.get(DELIVERY_TIME))
    if "Date" not in out and sent:
        out["Date"] = email.utils.format_datetime(sent)
    if subject := reader.text(prefix, SUBJECT, codepage):
        out["Subject"] = subject
    if "Message-ID" not in out and (message_id := reader.text(prefix, MESSAGE_ID, codepage)):
        out["Message-ID"] = message_id
    return out


def _message(reader: _Msg, prefix: str, header: int, level: int) -> EmailMessage:
    fixed = reader.fixed(prefix, header)
    message = EmailMessage()
    for name, value in _headers(reader, prefix, fixed).items():
        try:
            message[name] = value
        except (ValueError, TypeError):   # a value the header classes refuse: the message goes on without it
            continue
    message.set_content("")
    for storage in reader.storages(prefix, "__attach_version1.0_#"):
        reader.attachments += 1
        if reader.attachments > MAX_ATTACHMENTS:
            raise ValueError(f"tệp thư có hơn {MAX_ATTACHMENTS} tệp đính kèm")
        _attach(reader, message, storage + "/", _codepage(fixed), level)
    return message


def _attach(reader: _Msg, message: EmailMessage, prefix: str, codepage: str, level: int) -> None:
    method = reader.fixed(prefix, 8).get((ATTACH_METHOD << 16) | 0x0003, b"\0\0\0\0")
    if struct.unpack("<I", method[:4])[0] == 5 and reader.ole.exists(prefix + EMBEDDED):   # an attached message
        if level < MAX_EMBEDDED:
            message.add_attachment(_message(reader, prefix + EMBEDDED + "/", 24, level + 1))
        return
    data = reader.stream(f"{prefix}__substg1.0_37010102")
    if data is None:
        return           # attached by reference (a link), or an OLE object: nothing to read
    name = (reader.text(prefix, LONG_FILENAME, codepage) or reader.text(prefix, FILENAME, codepage)
            or reader.text(prefix, DISPLAY_NAME, codepage))
    mime = (reader.text(prefix, MIME_TAG, codepage) or "application/octet-stream").lower()
    maintype, _, subtype = mime.partition("/")
    if maintype in ("text", "multipart", "message") or not subtype:
        maintype, subtype = "application", "octet-stream"
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)


def is_msg(data: bytes) -> bool:
    return data.startswith(olefile.MAGIC) and "__substg1.0_".encode("utf-16-le") in data


def read_msg(data: bytes) -> EmailMessage:
    """The .msg as an e-mail message; ValueError (with the reason in Vietnamese) when it cannot be read."""
    if not is_msg(data):
        raise ValueError("không phải tệp thư Outlook (.msg)")
    reader = _Msg(data)
    try:
        return _message(reader, "", 32, 0)
    except ValueError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # whatever a hostile file makes olefile or the email package raise
        raise ValueError(f"tệp thư Outlook bị hỏng ({type(exc).__name__}: {exc})") from None
    finally:
        reader.ole.close()
