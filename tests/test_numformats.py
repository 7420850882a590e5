"""A number is a date only when its format says so: the rules, and the rewrites python-calamine is handed."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from planreports.intake import numformats, packages
from planreports.intake.numformats import Kind, format_kind
from planreports.intake.validate import Rules, Validation, validate_bytes
from planreports.workspace import Workspace


@pytest.mark.parametrize(("code", "kind"), [
    ("#,##0.##", Kind.NUMBER), ("#,##0", Kind.NUMBER), ("General", Kind.NUMBER), ("0.00E+00", Kind.NUMBER),
    ("@", Kind.NUMBER), ('0 "ngày"', Kind.NUMBER), ("[Red]#,##0;[Blue]-#,##0", Kind.NUMBER),
    ("_-* #,##0 ₫_-", Kind.NUMBER), ("\\d0", Kind.NUMBER), ("[$-42A]#,##0", Kind.NUMBER),
    ("#,##0;dd/mm/yyyy", Kind.NUMBER),          # the first section decides
    ("dd/mm/yyyy", Kind.DATE), ("[$-42A]d mmmm yyyy", Kind.DATE), ("mm:ss", Kind.DATE), ("h:mm AM/PM", Kind.DATE),
    ('yyyy"年"m"月"d"日"', Kind.DATE), ("[h]:mm:ss", Kind.DURATION), ("[mm]:ss", Kind.DURATION),
])
def test_format_kind(code: str, kind: Kind) -> None:
    assert format_kind(code) is kind


def _record(kind: int, data: bytes) -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


def _format(format_id: int, text: str, wide: bool = False) -> bytes:
    body = text.encode("utf-16-le" if wide else "latin-1")
    return _record(numformats.FORMAT, struct.pack("<HHB", format_id, len(text), int(wide)) + body)


def _xf(format_id: int) -> bytes:
    return _record(numformats.XF, struct.pack("<HH", 0, format_id) + bytes(16))


BOF = _record(numformats.BOF, struct.pack("<HH", numformats.BIFF8, 0x0005) + bytes(12))
EOF = _record(numformats.EOF, b"")


def _ids(stream: bytes) -> list[int]:
    return [format_id for _, format_id in numformats.scan_globals(stream).styles]


def test_xls_styles_follow_the_format_text_not_the_id() -> None:
    cases = [  # (format id, FORMAT text or None, wide text, id python-calamine is handed)
        (50, "#,##0.##", False, 0),           # Gnumeric's first custom format: a number, not a date
        (51, None, False, 0),                 # an East Asian date id with no text: a number
        (59, "dd/mm/yyyy", True, 14),         # python-calamine would read a number: the text says date
        (60, "[h]:mm", False, 46),
        (57, 'yyyy"年"m"月"', True, 57),      # a date either way: left alone
        (14, None, False, 14), (46, None, False, 46), (5, "$#,##0", False, 5),
        (170, "yyyy", False, 170),            # a custom id: python-calamine reads its text itself
    ]
    formats = b"".join(_format(i, text, wide) for i, text, wide, _ in cases if text is not None)
    sheet = BOF + _xf(50) + EOF               # a sheet's substream after the globals: never touched
    stream = BOF + formats + b"".join(_xf(i) for i, *_ in cases) + EOF + sheet
    fixed = numformats.restyled(stream)
    assert fixed is not None and len(fixed) == len(stream)
    assert _ids(fixed) == [wanted for *_, wanted in cases]
    assert fixed.endswith(sheet)
    assert numformats.restyled(fixed) is None            # nothing left to rewrite


def test_xls_truncated_format_text_falls_back_to_the_id() -> None:
    cut = _record(numformats.FORMAT, struct.pack("<HHB", 59, 40, 0) + b"dd/mm")   # says 40 characters, has 5
    stream = BOF + cut + _xf(59) + _xf(52) + EOF
    assert numformats.scan_globals(stream).codes == {}
    fixed = numformats.restyled(stream)
    assert fixed is not None and _ids(fixed) == [59, 0]


def test_a_damaged_xls_is_judged_by_the_reader_not_the_rewrite(ws: Workspace) -> None:
    damaged = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    with pytest.raises(ValueError):
        numformats.readable_xls(damaged)
    result = validate_bytes(damaged, "stp.xls", Rules(ws.plan, ws.config.limits, "2024"))
    assert [i.code for i in result.issues] == ["file-corrupt"]


TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"


def test_ods_layout_whitespace_goes_and_paragraph_spaces_stay() -> None:
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<doc xmlns:table="{TABLE}" xmlns:text="{TEXT}">
  <table:table>
    <table:table-row>
      <table:table-cell>
        <text:p>Hoàn <text:span>thành</text:span> <text:s/> đủ </text:p>
        <text:p> </text:p>
      </table:table-cell>
    </table:table-row>
  </table:table>
</doc>""".encode()
    cleaned = packages.unindented(content)
    assert cleaned is not None
    paragraphs = etree.fromstring(cleaned).findall(f".//{{{TEXT}}}p")
    assert [etree.tostring(p, encoding="unicode", with_tail=False).split(">", 1)[1] for p in paragraphs] == [
        "Hoàn <text:span>thành</text:span> <text:s/> đủ </text:p>", " </text:p>"]
    assert b"<table:table-row><table:table-cell><text:p>" in cleaned
    assert packages.unindented(cleaned) is None


def _with_styles(path: Path, edit: object) -> bytes:
    source, out = zipfile.ZipFile(path), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename == "xl/styles.xml":
                body = edit(body.decode()).encode()  # type: ignore[operator]
            target.writestr(info.filename, body)
    return out.getvalue()


def _check(ws: Workspace, data: bytes) -> Validation:
    return validate_bytes(data, "stp.xlsx", Rules(ws.plan, ws.config.limits, "2024"))


@pytest.mark.parametrize(("format_id", "dates"), [("50", False), ("31", False), ("14", True)])
def test_xlsx_bare_east_asian_date_id_is_a_number(ws: Workspace, fill, format_id: str, dates: bool) -> None:  # type: ignore[no-untyped-def]
    """The template's figure cells (built-in format 3) pointed at another id that no numFmt defines: 14 is a
    date in every Excel, 50 and 31 only in an East Asian one."""
    def edit(styles: str) -> str:
        return re.sub(r'(<xf [^>]*numFmtId=")3(")', rf"\g<1>{format_id}\g<2>", styles)

    result = _check(ws, _with_styles(fill("STP"), edit))
    if dates:
        assert {i.code for i in result.issues} == {"value-is-date"} and result.verdict == "rejected"
    else:
        assert result.issues == [] and result.submission is not None
        assert set(result.submission.figures.values()) == {3.0}
