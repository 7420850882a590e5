"""Archives the program does not open, made for tests in their real formats.

.7z is written by py7zr. No free program writes RAR, so rar5() builds a RAR 5.0 archive holding one stored
(uncompressed) file as the format's technical note lays it out: the signature, then headers of CRC32, size and
type, each with its fields as variable-length integers (7 bits a byte), a file header followed by its data, and
the end-of-archive header. (Checked once with libarchive's bsdtar, which lists and extracts it unchanged.)
"""

from __future__ import annotations

import io
import struct
import zlib

import py7zr

RAR5_SIGNATURE = b"Rar!\x1a\x07\x01\x00"


def _vint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _header(fields: bytes) -> bytes:
    """A header: the CRC32 of (size, fields), the size of the fields, the fields."""
    body = _vint(len(fields)) + fields
    return struct.pack("<I", zlib.crc32(body)) + body


def rar5(name: str, data: bytes) -> bytes:
    """A RAR 5.0 archive holding `data` as the file `name`, stored."""
    main = _header(_vint(1) + _vint(0) + _vint(0))                          # type 1, no flags, archive flags 0
    encoded = name.encode("utf-8")
    fields = (_vint(2) + _vint(0x2) + _vint(len(data))                        # type 2, has data, its size
              + _vint(0x4) + _vint(len(data)) + _vint(0x20)                   # file flags: CRC32 given; size; attrs
              + struct.pack("<I", zlib.crc32(data)) + _vint(0) + _vint(0)     # CRC32; stored (method 0); Windows
              + _vint(len(encoded)) + encoded)
    end = _header(_vint(5) + _vint(0) + _vint(0))                             # type 5: end of archive
    return RAR5_SIGNATURE + main + _header(fields) + data + end


def seven_zip(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with py7zr.SevenZipFile(buffer, "w") as archive:
        archive.writestr(data, name)
    return buffer.getvalue()
