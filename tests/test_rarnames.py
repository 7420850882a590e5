"""The names inside a RAR 5 archive, read from its headers (the archive is never unpacked)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from planreports.intake.rarnames import SIGNATURE, rar5_names
from tests.archives import rar5


def test_the_file_name_is_read_and_a_folder_dropped() -> None:
    assert rar5_names(rar5("Báo cáo Sở Tư pháp.xlsx", b"PK" + bytes(500))) == ["Báo cáo Sở Tư pháp.xlsx"]
    assert rar5_names(rar5("2026/Báo cáo.xlsx", b"x")) == ["Báo cáo.xlsx"]


def test_what_is_not_a_readable_rar5_gives_no_names() -> None:
    archive = rar5("a.xlsx", bytes(100))
    assert rar5_names(archive[:20]) == [] and rar5_names(b"Rar!\x1a\x07\x00" + archive[8:]) == []   # RAR 4
    assert rar5_names(SIGNATURE) == [] and rar5_names(b"") == []


_ARCHIVE = rar5("Báo cáo.xlsx", bytes(300))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_ARCHIVE) - 1), st.integers(0, 255)), min_size=1, max_size=20),
       st.integers(0, len(_ARCHIVE)))
def test_a_damaged_archive_never_breaks_the_reading(changes: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_ARCHIVE)
    for position, value in changes:
        data[position] = value
    names = rar5_names(bytes(data[:cut]))
    assert isinstance(names, list) and all(isinstance(name, str) for name in names) and len(names) <= 1_000
