"""Outlook's winmail.dat (TNEF, application/ms-tnef): the attachments Outlook packed inside it, read with tnefparse.

Outlook sends a message in its own rich format as one winmail.dat attachment; mail programs other than Outlook
show only that file, and the workbook inside would be lost. tnefparse reads the format; the object count is
checked first, in the stream and in every message embedded in it (tnefparse copies the rest of the stream for
every object it reads, so a stream of a million tiny objects would take hours), and every failure of a hostile
stream means "not readable", never a crash.
"""

from __future__ import annotations

import logging
import struct
from typing import Any

from tnefparse import TNEF

TNEF_MAGIC = b"\x78\x9f\x3e\x22"
MAX_OBJECTS = 2_000
COPY_BUDGET = 20 * 10**9         # bytes tnefparse may copy while reading one stream (objects × size): ~2 s
EMBEDDED_MAGIC = b"\x07\x03\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46" + TNEF_MAGIC
MAX_EMBEDDED = 5                 # messages attached inside a winmail.dat, one inside the other
_LONG_FILENAME, _MIME_TAG = 0x3707, 0x370E

# tnefparse reports what it skips through logging; that is not for the office's terminal
logging.getLogger("tnefparse").addHandler(logging.NullHandler())
logging.getLogger("tnefparse").propagate = False

Member = tuple[str | None, str, bytes]      # (name, content type, bytes)


def object_count(data: bytes, start: int = 0, limit: int = MAX_OBJECTS) -> int:
    """How many TNEF objects the stream starting at `start` holds (counting stops past `limit`)."""
    count, offset = 0, start + 6
    while offset + 11 <= len(data) and count <= limit:
        (length,) = struct.unpack_from("<I", data, offset + 5)
        offset += 11 + length
        count += 1
    return count


def _text(value: Any, codepage: str) -> str | None:
    if isinstance(value, bytes):
        value = value.decode(codepage or "cp1252", errors="replace")
    return value.strip("\x00").strip() or None if isinstance(value, str) else None


def _mapi(attachment: Any, name: int) -> Any:
    return next((prop.data for prop in attachment.mapi_attrs if prop.name == name), None)


def _member(attachment: Any, codepage: str) -> Member | None:
    data = attachment.data
    if not isinstance(data, bytes) or not data:
        return None
    name = _text(_mapi(attachment, _LONG_FILENAME), codepage) or _text(attachment._name, codepage)
    content_type = _text(_mapi(attachment, _MIME_TAG), codepage) or "application/octet-stream"
    return name, content_type.lower(), data


def _members(parsed: Any, depth: int, out: list[Member]) -> None:
    codepage = parsed.codepage or "cp1252"
    for attachment in parsed.attachments:
        embedded = getattr(attachment, "embed", None)
        if embedded is not None:
            if depth < MAX_EMBEDDED:
                _members(embedded, depth + 1, out)
            continue
        member = _member(attachment, codepage)
        if member is not None:
            out.append(member)


def too_costly(data: bytes) -> bool:
    """Whether reading the stream would copy more than COPY_BUDGET bytes: its objects and those of every
    message embedded in it, counted without reading them."""
    total, position = object_count(data), data.find(EMBEDDED_MAGIC)
    while position >= 0 and total <= MAX_OBJECTS:
        total += object_count(data, position + 16)
        position = data.find(EMBEDDED_MAGIC, position + 1)
    return total > MAX_OBJECTS or total * len(data) > COPY_BUDGET


def tnef_attachments(data: bytes) -> list[Member] | None:
    """The attachments inside a winmail.dat; None when the bytes cannot be read as TNEF."""
    if not data.startswith(TNEF_MAGIC) or too_costly(data):
        return None
    out: list[Member] = []
    try:
        _members(TNEF(data, do_checksum=False), 0, out)
    except Exception:  # a damaged or hostile stream raises a zoo of types (struct.error, ValueError, LookupError, …)
        return None
    return out
