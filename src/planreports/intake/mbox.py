"""Saved mailboxes in mbox format, split into messages without losing one to a "From " line in a body.

In mbox a message starts at a line "From sender date". A mail program should write a body line that begins
with "From " as ">From "; some do not, and a reader that splits at every such line (Python's mailbox.mbox
does) cuts the message there: the end of the message, often with the workbook, becomes a "message" without
headers and the workbook is lost. Here a "From " line starts a message only when it looks like a separator
(a date with a time in it, or a known header right after it) and is followed by a header line; any other
is taken back into the message it belongs to, and the caller is told, so the office can look at that message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

FROM_LINE = re.compile(rb"From \S+ .*\d{1,2}:\d{2}")            # "From a@b.vn Thu Dec  5 08:00:00 2024"
HEADER_LINE = re.compile(rb"([\x21-\x39\x3b-\x7e]+):")         # "Name:" with a field name RFC 5322 allows
KNOWN_HEADERS = frozenset({b"return-path", b"received", b"from", b"date", b"message-id", b"delivered-to",
                           b"subject", b"to", b"mime-version", b"content-type", b"x-mozilla-status"})


@dataclass(frozen=True)
class MboxMessage:
    key: int            # position in the file, from 0 (as mailbox.mbox numbers them)
    data: bytes
    rejoined: int = 0   # "From " lines of its body that a plain split would have cut it at


def starts_message(from_line: bytes, next_line: bytes) -> bool:
    """Whether a "From " line is a separator, judged with the line after it."""
    header = HEADER_LINE.match(next_line)
    if header is None:
        return False
    return FROM_LINE.match(from_line) is not None or header.group(1).lower() in KNOWN_HEADERS


class _Split:
    def __init__(self) -> None:
        self.lines: list[bytes] | None = None     # the message being read (None before the first)
        self.key = -1
        self.rejoined = 0

    def finish(self) -> MboxMessage | None:
        if self.lines is None:
            return None
        lines = self.lines
        if lines and lines[-1].strip() == b"":
            lines = lines[:-1]            # the blank line that separates messages
        return MboxMessage(self.key, b"".join(lines), self.rejoined)

    def start(self) -> None:
        self.lines, self.key, self.rejoined = [], self.key + 1, 0


def messages(path: Path) -> Iterator[MboxMessage]:
    """The messages of an mbox file, in order, one in memory at a time."""
    split = _Split()
    pending: bytes | None = None                  # a "From " line waiting for the line after it
    with path.open("rb") as handle:
        for line in handle:
            if pending is not None:
                if split.lines is None or starts_message(pending, line):
                    if (done := split.finish()) is not None:
                        yield done
                    split.start()
                else:
                    split.lines.append(pending)
                    split.rejoined += 1
                pending = None
            if line.startswith(b"From "):
                pending = line
            elif split.lines is not None:
                split.lines.append(line)
    if pending is not None and split.lines is not None:
        split.lines.append(pending)
    if (done := split.finish()) is not None:
        yield done
