"""The streaming scan of a package's XML on small hand-written workbooks: whatever the prefix, attribute order
or quoting, the facts are found; DTDs are refused wherever they sit; memory stays bounded."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile

import pytest

from planreports.config import Limits
from planreports.findings import IssueCode
from planreports.intake.reader import ReadError, read_workbook
from planreports.intake.sheetxml import SheetFacts

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK = (f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            '<sheet r:id="rId1" sheetId="1" name="S"/></sheets></workbook>')
WORKBOOK_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Target="worksheets/sheet1.xml" Id="rId1" '
                 f'Type="{RELS}/worksheet"/></Relationships>')
CONTENT_TYPES = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/xl/workbook.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                 '<Override PartName="/xl/worksheets/sheet1.xml" '
                 'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
ROOT_RELS = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             f'<Relationship Id="rId1" Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>')


def package(sheet: str | bytes, sheet_part: str = "xl/worksheets/sheet1.xml", rels: str = WORKBOOK_RELS) -> bytes:
    """A minimal .xlsx whose only sheet, “S”, is `sheet`; the workbook parts come last in the zip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr(sheet_part, sheet)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/workbook.xml", WORKBOOK)
    return out.getvalue()


def prefixed(rows: str, extra: str = "") -> str:
    return f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>{rows}</x:sheetData>{extra}</x:worksheet>'


def test_quoting_order_and_prefixes_do_not_matter() -> None:
    sheet = prefixed(
        "<x:row r='2'><x:c t='e' r='B2'><x:v>#REF!</x:v></x:c>"
        '<x:c r="C2"><x:f>SUM(A1:A2)</x:f><x:v></x:v></x:c><x:c r="D2"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row>'
        "<x:row hidden='true' r='3'><x:c r='A3'><x:v>1</x:v></x:c></x:row>",
        "<x:mergeCells count='1'><x:mergeCell ref='E2:F3'/></x:mergeCells>")
    facts = read_workbook(package(sheet), Limits()).facts("S")
    assert facts.error_cells == {"B2"} and facts.formulas_without_value == {"C2"}
    assert facts.hidden_rows == {3} and facts.merged == [(2, 5, 3, 6)]


def test_cells_without_a_reference_follow_the_last_one() -> None:
    sheet = prefixed('<x:row r="4"><x:c r="B4"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>'
                     '<x:row><x:c t="e"><x:v>#DIV/0!</x:v></x:c></x:row>')
    book = read_workbook(package(sheet), Limits())
    assert book.facts("S").error_cells == {"C4", "A5"}


def test_hidden_columns_in_any_prefix() -> None:
    sheet = (f'<s:worksheet xmlns:s="{MAIN}"><s:cols><s:col max="3" hidden="1" min="2"/></s:cols>'
             '<s:sheetData><s:row r="1"><s:c r="A1"><s:v>1</s:v></s:c></s:row></s:sheetData></s:worksheet>')
    assert read_workbook(package(sheet), Limits()).facts("S").hidden_columns == {2, 3}


def test_an_absolute_target_and_a_part_in_another_case_are_found() -> None:
    rels = WORKBOOK_RELS.replace('Target="worksheets/sheet1.xml"', 'Target="/xl/worksheets/Sheet1.xml"')
    sheet = prefixed('<x:row r="1"><x:c r="A1" t="e"><x:v>#REF!</x:v></x:c></x:row>')
    book = read_workbook(package(sheet, "xl/worksheets/SHEET1.xml", rels), Limits())
    assert book.facts("S").error_cells == {"A1"}


@pytest.mark.parametrize("prefix", ["", "x:", "y:"])
def test_rows_are_counted_while_inflating_whatever_the_prefix(prefix: str) -> None:
    declare = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    rows = "".join(f'<{prefix}row r="{n}"><{prefix}c r="A{n}"><{prefix}v>1</{prefix}v></{prefix}c></{prefix}row>'
                   for n in range(1, 300))
    sheet = f"<{prefix}worksheet {declare}><{prefix}sheetData>{rows}</{prefix}sheetData></{prefix}worksheet>"
    with pytest.raises(ReadError) as refused:
        read_workbook(package(sheet), Limits(max_rows=100))
    assert refused.value.problem is IssueCode.FILE_TOO_LARGE and "100 dòng" in refused.value.detail
    assert read_workbook(package(sheet), Limits(max_rows=300)).sheet_names == ["S"]


def test_a_doctype_past_the_first_chunk_and_across_a_chunk_boundary_is_refused() -> None:
    for padding in (70_000, 65_536 - 40 - 3):     # far in, and split between two 64 KiB chunks
        sheet = f'<?xml version="1.0"?><!--{"x" * padding}--><!DOCTYPE x [<!ENTITY a "b">]>' + prefixed("")
        with pytest.raises(ReadError) as refused:
            read_workbook(package(sheet), Limits())
        assert refused.value.problem is IssueCode.FILE_UNSAFE_XML and "sheet1.xml" in refused.value.detail


def test_malformed_sheet_xml_is_corrupt_once_parsed() -> None:
    # a sheet is parsed when its bytes could hold a fact (here "hidden"), or when it is long
    for rows in ('<x:row hidden="1"><x:c></x:row>', "<x:row><x:c></x:row>" + "<x:z/>" * 300_000):
        with pytest.raises(ReadError) as refused:
            read_workbook(package(prefixed(rows)), Limits())
        assert refused.value.problem is IssueCode.FILE_CORRUPT and "sheet1.xml" in refused.value.detail


def test_memory_is_bounded_by_a_chunk() -> None:
    """Two million elements the scan has no use for (under the unpacked-size limit): a tree of them would
    take hundreds of MB; held back no further than a megabyte, then streamed and pruned, the reader's peak
    barely moves. Measured in a fresh process."""
    code = """
import resource, sys
from tests.test_sheetxml import package, prefixed
from planreports.config import Limits
from planreports.intake.reader import read_workbook
data = package(prefixed('<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>' + '<x:z/>' * 2_000_000))
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
read_workbook(data, Limits())
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert int(done.stdout.strip()) < 40, done.stdout


def test_a_formula_without_value_is_seen_under_any_prefix() -> None:
    sheet = (f'<ф:worksheet xmlns:ф="{MAIN}"><ф:sheetData><ф:row r="1"><ф:c r="A1"><ф:f>1+1</ф:f></ф:c>'
             '<ф:c r="B1"><ф:f>2+2</ф:f><ф:v>4</ф:v></ф:c></ф:row></ф:sheetData></ф:worksheet>')
    assert read_workbook(package(sheet.encode()), Limits()).facts("S").formulas_without_value == {"A1"}


def test_a_row_of_more_cells_than_a_sheet_has_columns_is_too_large() -> None:
    cells = "".join(f'<x:c><x:v>{n}</x:v></x:c>' for n in range(60_000))   # over a megabyte: parsed
    with pytest.raises(ReadError) as refused:
        read_workbook(package(prefixed(f'<x:row r="1">{cells}</x:row>')), Limits())
    assert refused.value.problem is IssueCode.FILE_TOO_LARGE and "16384 ô" in refused.value.detail


def test_a_sheet_with_nothing_to_find_is_not_parsed_and_has_no_facts() -> None:
    """Held back: no attribute value "e", no "hidden", no "mergeCell", no <f>, few "row" words. Malformed
    XML there is python-calamine's to judge; what the scan vouches for (no facts, few rows) holds anyway."""
    sheet = prefixed('<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1"><x:formula1/></x:c></x:row>'
                     "<x:row><x:c></x:row>")
    book = read_workbook(package(sheet), Limits())
    assert book.facts("S") == SheetFacts()
