"""The file names inside a RAR 5 archive, read from its headers without unpacking anything.

The program does not open RAR (no free library reads it without an outside program), so a workbook sent as a
.rar is refused; naming what the archive holds ("bên trong có: Báo cáo Sở Tư pháp.xlsx") tells the office
whose report it is and what to ask for. RAR 5 (WinRAR 5 and later) writes each header as a CRC32, its size and
its fields as variable-length integers (7 bits a byte); a file header names the file in UTF-8. An archive with
encrypted headers, an older RAR or a damaged one gives no names.
"""

from __future__ import annotations

SIGNATURE = b"Rar!\x1a\x07\x01\x00"
MAX_HEADERS = 1_000
_FILE, _ENCRYPTION, _END = 2, 4, 5
_EXTRA, _DATA = 0x01, 0x02
_DIRECTORY, _TIME, _CRC = 0x01, 0x02, 0x04


class _Cursor:
    def __init__(self, data: bytes, at: int, end: int) -> None:
        self.data, self.at, self.end = data, at, end

    def vint(self) -> int:
        value, shift = 0, 0
        while self.at < self.end and shift < 64:
            byte = self.data[self.at]
            self.at += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value
        raise ValueError("RAR header")

    def skip(self, size: int) -> None:
        if self.at + size > self.end:
            raise ValueError("RAR header")
        self.at += size


def _file_name(cursor: _Cursor) -> str | None:
    flags = cursor.vint()
    cursor.vint()                                    # unpacked size
    cursor.vint()                                    # attributes
    cursor.skip((4 if flags & _TIME else 0) + (4 if flags & _CRC else 0))
    cursor.vint()                                    # compression
    cursor.vint()                                    # host system
    length = cursor.vint()
    cursor.skip(length)
    name = cursor.data[cursor.at - length:cursor.at].decode("utf-8", errors="replace")
    return None if flags & _DIRECTORY else name.replace("\\", "/").rsplit("/", 1)[-1]


def rar5_names(data: bytes) -> list[str]:
    """The names of the files in a RAR 5 archive, in order; [] when they cannot be read."""
    if not data.startswith(SIGNATURE):
        return []
    names: list[str] = []
    at = len(SIGNATURE)
    try:
        for _ in range(MAX_HEADERS):
            sizes = _Cursor(data, at + 4, len(data))             # after the header's CRC32
            size = sizes.vint()
            fields = _Cursor(data, sizes.at, sizes.at + size)
            if fields.end > len(data):
                break
            kind, flags = fields.vint(), fields.vint()
            if flags & _EXTRA:
                fields.vint()
            carried = fields.vint() if flags & _DATA else 0
            if kind in (_ENCRYPTION, _END):
                break
            if kind == _FILE and (name := _file_name(fields)):
                names.append(name)
            at = fields.end + carried
    except ValueError:
        pass
    return names
