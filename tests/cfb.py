"""A writer of OLE compound files ([MS-CFB], version 3, 512-byte sectors), for building real .msg files in tests.

No library on PyPI writes a new compound file under a licence this project can take (olefile only rewrites
streams of an existing file), so this follows the specification: a 512-byte header with the DIFAT, the FAT and
the mini FAT as sector chains, streams under 4,096 bytes in the mini stream, 128-byte directory entries whose
siblings form a red-black tree ordered by name length, then by upper-cased name. The program reads it with
olefile (strict: it refuses a broken directory tree or chain). A .msg made with tests/msgfile.py was also read
once by an independent implementation, extract-msg (GPL, so not a dependency): the same subject, sender, date,
attachments with their names, types and sizes, and the attached message with its own attachment.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

SECTOR, MINI, CUTOFF = 512, 64, 4096
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
STORAGE, STREAM, ROOT = 1, 2, 5
RED, BLACK = 0, 1


@dataclass
class Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[Entry] = field(default_factory=list)
    sid: int = 0
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    color: int = BLACK
    start: int = END


def storage(name: str, *children: Entry) -> Entry:
    return Entry(name, STORAGE, children=list(children))


def stream(name: str, data: bytes) -> Entry:
    return Entry(name, STREAM, data)


def _order(entry: Entry) -> tuple[int, str]:
    return len(entry.name), entry.name.upper()


def _tree(siblings: list[Entry], depth: int, deepest: int, perfect: bool) -> int:
    """Root SID of a balanced tree of the (sorted) siblings; the nodes on the last, incomplete level red."""
    if not siblings:
        return NOSTREAM
    middle = len(siblings) // 2
    node = siblings[middle]
    node.color = RED if depth == deepest and not perfect else BLACK
    node.left = _tree(siblings[:middle], depth + 1, deepest, perfect)
    node.right = _tree(siblings[middle + 1:], depth + 1, deepest, perfect)
    return node.sid


def _link(entry: Entry) -> None:
    ordered = sorted(entry.children, key=_order)
    count = len(ordered)
    deepest = max(count.bit_length() - 1, 0)
    entry.child = _tree(ordered, 0, deepest, count == (1 << count.bit_length()) - 1)
    for child in entry.children:
        _link(child)


def _flatten(entry: Entry, out: list[Entry]) -> None:
    entry.sid = len(out)
    out.append(entry)
    for child in entry.children:
        _flatten(child, out)


def _chain(fat: list[int], start: int, count: int) -> int:
    for number in range(start, start + count):
        fat[number] = number + 1 if number + 1 < start + count else END
    return start if count else END


def _pad(data: bytes, size: int) -> bytes:
    return data + b"\0" * (-len(data) % size)


def _dir_entry(entry: Entry) -> bytes:
    name = entry.name.encode("utf-16-le") + b"\0\0"
    assert len(name) <= 64, entry.name
    return (name.ljust(64, b"\0") + struct.pack("<HBBIII", len(name), entry.kind, entry.color, entry.left,
                                                 entry.right, entry.child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", 0 if entry.kind == STORAGE else entry.start, len(entry.data)))


def write(root_children: list[Entry]) -> bytes:
    """The bytes of a compound file whose root storage holds these entries."""
    root = Entry("Root Entry", ROOT, children=root_children)
    entries: list[Entry] = []
    _flatten(root, entries)
    _link(root)
    small = [e for e in entries if e.kind == STREAM and len(e.data) < CUTOFF]
    large = [e for e in entries if e.kind == STREAM and len(e.data) >= CUTOFF]
    mini_stream, mini_fat = b"", []
    for entry in small:
        entry.start = len(mini_stream) // MINI if entry.data else END
        count = -(-len(entry.data) // MINI)
        mini_fat += [len(mini_fat) + n + 1 if n + 1 < count else END for n in range(count)]
        mini_stream += _pad(entry.data, MINI)
    root.data = mini_stream                     # the root entry's size is the mini stream's
    body = [(mini_stream, root)] + [(e.data, e) for e in large]
    counts = [-(-len(data) // SECTOR) for data, _ in body]
    mini_fat_bytes = b"".join(struct.pack("<I", n) for n in mini_fat)
    n_minifat = -(-len(mini_fat_bytes) // SECTOR)
    directory = len(entries) * 128
    n_dir = -(-directory // SECTOR)
    used = sum(counts) + n_minifat + n_dir
    n_fat = 1
    while n_fat * (SECTOR // 4) < used + n_fat:
        n_fat += 1
    assert n_fat <= 109, "a test file this large needs DIFAT sectors"
    fat = [FREE] * (n_fat * (SECTOR // 4))
    position = 0
    for (_, entry), count in zip(body, counts, strict=True):
        entry.start = _chain(fat, position, count) if count else (entry.start if entry is not root else END)
        position += count
    first_minifat = _chain(fat, position, n_minifat)
    position += n_minifat
    first_dir = _chain(fat, position, n_dir)
    position += n_dir
    for number in range(position, position + n_fat):
        fat[number] = FATSECT
    difat = [position + n for n in range(n_fat)] + [FREE] * (109 - n_fat)
    header = (MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, n_fat, first_dir, 0, CUTOFF, first_minifat, n_minifat, END, 0)
              + b"".join(struct.pack("<I", n) for n in difat))
    sectors = b"".join(_pad(data, SECTOR) for data, _ in body)
    sectors += _pad(mini_fat_bytes, SECTOR) if n_minifat else b""
    directory_bytes = b"".join(_dir_entry(e) for e in entries)
    free_entry = b"\0" * 68 + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\0" * 48
    directory_bytes += free_entry * ((n_dir * SECTOR - len(directory_bytes)) // 128)
    sectors += directory_bytes + b"".join(struct.pack("<I", n) for n in fat)
    assert len(header) == SECTOR
    return header + sectors
