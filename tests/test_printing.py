"""Every generated workbook prints cleanly: rows as high as their wrapped text, A4 pages fitted to one page wide
at a readable size, and LibreOffice draws no text over other text."""

from __future__ import annotations

import shutil
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from planreports.form import schema
from planreports.form.batch import generate_templates
from planreports.textfit import Font, row_height, text_lines
from planreports.workspace import Workspace
from tests.libreoffice import convert_many, needs_libreoffice
from tests.pdftext import overprinted, text_size, words

# the lead agency with the most tasks, another lead department, a district and a newspaper
AGENCIES = ("STTTT", "SNV", "HPB", "BTN")
LISTS = ("ke-hoach.xlsx", "don-vi.xlsx", "chi-tieu.xlsx")


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory, seed_workspace: Path, example_run: Path) -> dict[str, Path]:
    """The workbooks to print: agency templates, the input lists, and the example's consolidated workbook."""
    ws = Workspace(tmp_path_factory.mktemp("printing") / "ws")
    shutil.copytree(seed_workspace, ws.root)
    books = {p.stem: p for p in generate_templates(ws, ws.period("2024"), list(AGENCIES))}
    books |= {name.removesuffix(".xlsx"): ws.input_dir / name for name in LISTS}
    books["tong-hop-2024"] = example_run / "output" / "2024" / "tong-hop-2024.xlsx"
    return books


def _font(cell: Cell) -> Font:
    return Font(size=float(cell.font.sz or 12), bold=bool(cell.font.b))


def _widths(sheet: Worksheet) -> dict[int, float]:
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width and dimension.min is not None and dimension.max is not None:
            for col in range(dimension.min, dimension.max + 1):
                widths[col] = float(dimension.width)
    return widths


def _needed(row: tuple[Cell, ...], widths: dict[int, float]) -> float:
    """The height the row's cells need: wrapped ones at their column width, the others on one line."""
    needed = 0.0
    for cell in row:
        if cell.value is None or cell.value == "":
            continue
        font, width = _font(cell), widths.get(cell.column, 8.43)
        shown = f"{cell.value:%d/%m/%Y}" if isinstance(cell.value, datetime) else str(cell.value)
        lines = text_lines(shown, width, font) if cell.alignment.wrap_text else 1
        needed = max(needed, row_height(lines, font))
    return needed


@pytest.mark.parametrize("name", [*AGENCIES, *(n.removesuffix(".xlsx") for n in LISTS), "tong-hop-2024"])
def test_every_row_is_as_high_as_its_wrapped_text(printed: dict[str, Path], name: str) -> None:
    book = openpyxl.load_workbook(printed[name])
    checked = 0
    for sheet in book.worksheets:
        if sheet.sheet_state != "visible":
            continue
        widths = _widths(sheet)
        for row in sheet.iter_rows():
            needed = _needed(row, widths)
            if not needed:
                continue
            height = sheet.row_dimensions[row[0].row].height
            assert height is not None, f"{name} / {sheet.title} row {row[0].row} has no height"
            assert needed <= height <= 409, f"{name} / {sheet.title} row {row[0].row}: {height} < {needed}"
            checked += 1
    assert checked > 10


def test_the_long_task_texts_take_several_lines(printed: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(printed["STTTT"])[schema.SHEET_TASKS]
    heights = [sheet.row_dimensions[r].height or 0 for r in range(2, sheet.max_row + 1)]
    assert len(heights) == 23 and max(heights) >= row_height(8) and min(heights) >= row_height(2)


def test_the_guide_wraps_inside_a_portrait_page(printed: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(printed["STTTT"])[schema.SHEET_GUIDE]
    # A4 portrait less the margins is about 86 characters of Times New Roman 12
    assert _widths(sheet)[1] <= 86
    assert all(row[0].alignment.wrap_text for row in sheet.iter_rows() if row[0].value)
    assert sheet.page_setup.orientation != "landscape"


def test_the_task_sheet_prints_on_a4_landscape_one_page_wide(printed: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(printed["STTTT"])
    for name in (schema.SHEET_TASKS, schema.SHEET_FIGURES):
        sheet = book[name]
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0   # None: 1
        assert sheet.print_title_rows == "$1:$1"
        assert "&P" in (sheet.oddFooter.center.text or "")


def test_the_consolidated_sheets_print_one_page_wide(printed: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(printed["tong-hop-2024"])
    for sheet in book.worksheets:
        assert sheet.page_setup.paperSize == 9 and sheet.page_setup.orientation == "landscape"
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)


def test_rows_are_not_marked_as_sized_by_hand(printed: dict[str, Path]) -> None:
    """A row marked customHeight never grows in Excel or LibreOffice when an agency types a long answer."""
    for name in ("STTTT", "tong-hop-2024"):
        with zipfile.ZipFile(printed[name]) as package:
            sheets = [package.read(n) for n in package.namelist() if n.startswith("xl/worksheets/sheet")]
        assert all(b' ht="' in xml and b"customHeight" not in xml for xml in sheets[:3])


@needs_libreoffice
def test_libreoffice_prints_without_overprinting_at_a_readable_size(printed: dict[str, Path],
                                                                   tmp_path: Path) -> None:
    pdfs = convert_many(list(printed.values()), "pdf", tmp_path)
    for pdf in pdfs:
        found = words(pdf)
        assert found, pdf.name
        assert overprinted(found)[:3] == [], pdf.name
        sizes = {page: text_size(found, page) for page in {w.page for w in found}}
        # fitted to one page wide, the widest sheets still print their text near 9 points (was 7 before the
        # columns were narrowed); the charts' text prints at about the same size
        assert min(sizes.values()) >= 8.5, (pdf.name, sizes)
