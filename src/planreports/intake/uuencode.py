"""Files uuencoded into the text of a mail ("begin 644 name" … "end"), as older mail programs attach them.

Before MIME, and still in some old clients and mail gateways, a file was sent as lines of uuencode inside the
body; to MIME it is only text, so the workbook would be read as the letter and lost. Each line starts with a
character that gives its byte count; some encoders pad lines wrongly, so a line is cut to the length its count
says before it is decoded (the usual tolerance of uudecode programs).
"""

from __future__ import annotations

import binascii
import re

_BEGIN = re.compile(r"^begin [0-7]{3,4} (?P<name>[^\r\n]+?)\r?$", re.MULTILINE)
_END = re.compile(r"^end[ \t]*\r?$", re.MULTILINE)
MAX_FILES = 20


def _line(line: str) -> bytes:
    try:
        return binascii.a2b_uu(line)
    except binascii.Error:
        # the count character says how many bytes; 4 characters carry 3 of them (what follows is a checksum
        # character some encoders add, or padding)
        count = (ord(line[0]) - 32) & 63 if line else 0
        return binascii.a2b_uu(line[: 1 + (count + 2) // 3 * 4])


def uuencoded_files(text: str) -> list[tuple[str, bytes]]:
    """(name, bytes) of every complete uuencoded file in the text (read one byte per character: latin-1); an
    unterminated or garbled one is left out (the text stays the letter). At most MAX_FILES blocks are looked
    at, each once."""
    found: list[tuple[str, bytes]] = []
    position = 0
    for _ in range(MAX_FILES):
        begin = _BEGIN.search(text, position)
        end = _END.search(text, begin.end()) if begin else None
        if begin is None or end is None:
            break            # no "end" line after this "begin": none after any later one either
        position = end.end()
        try:
            lines = text[begin.end():end.start()].splitlines()
            data = b"".join(_line(line) for line in lines if line.strip() and line.strip() != "`")
        except (binascii.Error, ValueError):
            continue
        if data:
            found.append((begin["name"].strip(), data))
    return found
