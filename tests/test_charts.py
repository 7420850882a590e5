"""Sheet "Biểu đồ" of the consolidated workbook: native bar charts that plot ranges of its own tables."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from lxml import etree
from openpyxl.chart.bar_chart import BarChart
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from planreports.consolidation.chart_sheet import CHART_LABELS
from planreports.consolidation.frames import Consolidation, consolidate, consolidate_data
from planreports.consolidation.workbook import write_consolidated
from planreports.progress.rules import SUBMISSION_LABELS, Overall
from planreports.workspace import Workspace
from tests.libreoffice import REQUIRED, convert, needs_libreoffice
from tests.pdftext import words

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
SHEET = "Biểu đồ"


@pytest.fixture(scope="module")
def example(example_run: Path) -> tuple[Path, Consolidation]:
    ws = Workspace(example_run)
    return ws.output_dir / "2024" / "tong-hop-2024.xlsx", consolidate(ws, ws.period("2024"))


def _charts(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as package:
        names = sorted((n for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        return [etree.fromstring(package.read(n)) for n in names]


def _texts(element: etree._Element) -> list[str]:
    return ["".join(t.itertext()) for t in element.iter(f"{A}t")]


def _cells(sheet: Worksheet, ref: str) -> list[object]:
    """The values of a reference such as 'Biểu đồ'!$A$5:$A$7, read back from the sheet."""
    name, cells = ref.rsplit("!", 1)
    assert name.strip("'") == sheet.title
    first, _, last = cells.replace("$", "").partition(":")
    min_col, min_row, max_col, max_row = range_boundaries(f"{first}:{last or first}")
    return [v for row in sheet.iter_rows(min_row, max_row, min_col, max_col, values_only=True) for v in row]


def _series(chart: etree._Element) -> list[tuple[str, str, str]]:
    return [(s.findtext(f"{C}tx/{C}strRef/{C}f") or "", s.findtext(f"{C}cat/{C}strRef/{C}f") or "",
             s.findtext(f"{C}val/{C}numRef/{C}f") or "") for s in chart.iter(f"{C}ser")]


def test_three_bar_charts_with_vietnamese_titles_and_axes(example: tuple[Path, Consolidation]) -> None:
    path, _ = example
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[-1] == SHEET
    charts = book[SHEET]._charts            # openpyxl's reader: the drawing and its charts resolve
    assert [type(c) for c in charts] == [BarChart] * 3
    assert [c.grouping for c in charts] == ["stacked", "stacked", "percentStacked"]
    titles = [_texts(chart) for chart in _charts(path)]
    assert titles[0] == ["1. Tình hình nộp báo cáo năm 2024 theo khối", "Khối", "Số đơn vị"]
    assert titles[1] == ["2. Tình trạng thực hiện nhiệm vụ năm 2024 theo nhóm nhiệm vụ", "Nhóm nhiệm vụ",
                         "Số nhiệm vụ"]
    assert titles[2][1:] == ["Chỉ tiêu", "Tỷ lệ trong tổng số của chỉ tiêu"]
    for chart in _charts(path):
        assert chart.find(f"{C}lang").get("val") == "vi-VN"


def test_each_chart_plots_the_cells_of_its_table(example: tuple[Path, Consolidation]) -> None:
    path, _ = example
    sheet = openpyxl.load_workbook(path)[SHEET]
    for chart in _charts(path):
        for ser in chart.iter(f"{C}ser"):
            name_ref, categories_ref, values_ref = (ser.findtext(f"{C}tx/{C}strRef/{C}f"),
                                                    ser.findtext(f"{C}cat/{C}strRef/{C}f"),
                                                    ser.findtext(f"{C}val/{C}numRef/{C}f"))
            assert name_ref and categories_ref and values_ref
            # the cached copy Excel shows before it recalculates is what the cells hold
            assert _cells(sheet, name_ref) == [ser.findtext(f"{C}tx//{C}v")]
            assert _cells(sheet, categories_ref) == [v.text for v in ser.iterfind(f"{C}cat//{C}pt/{C}v")]
            assert [float(v) for v in _cells(sheet, values_ref)] == [  # type: ignore[arg-type]
                float(v.text or "") for v in ser.iterfind(f"{C}val//{C}pt/{C}v")]


def test_submission_chart_counts_agencies_per_bloc(example: tuple[Path, Consolidation]) -> None:
    path, data = example
    sheet = openpyxl.load_workbook(path)[SHEET]
    series = _series(_charts(path)[0])
    assert [_cells(sheet, name)[0] for name, _, _ in series] == list(SUBMISSION_LABELS.values())
    blocs = _cells(sheet, series[0][1])
    assert blocs == ["Sở, ngành", "Địa phương", "Báo chí"]          # the blocs of the data, registry order
    counts = Counter(zip(data.submissions["bloc"], data.submissions["state_label"], strict=True))
    for name, _, values in series:
        label = _cells(sheet, name)[0]
        assert _cells(sheet, values) == [counts[(bloc, label)] for bloc in blocs]
    assert sum(sum(_cells(sheet, values)) for _, _, values in series) == 34    # type: ignore[misc]


def test_task_chart_counts_tasks_per_group(example: tuple[Path, Consolidation]) -> None:
    path, data = example
    sheet = openpyxl.load_workbook(path)[SHEET]
    series = _series(_charts(path)[1])
    assert [_cells(sheet, name)[0] for name, _, _ in series] == list(CHART_LABELS.values())
    # one column holds tasks with a deadline and recurring ones: its name says both
    assert CHART_LABELS[Overall.DONE] == "Hoàn thành đúng hạn, đã thực hiện trong năm"
    groups = [g.id for g in data.plan.task_groups]
    assert _cells(sheet, series[0][1]) == [f"Nhóm {g}" for g in groups]
    # the chart counts by overall status
    counts = Counter((g, CHART_LABELS[Overall(o)]) for g, o in zip(data.tasks["group"], data.tasks["overall"],
                                                                    strict=True))
    for name, _, values in series:
        label = _cells(sheet, name)[0]
        assert _cells(sheet, values) == [counts[(g, label)] for g in groups]


def test_indicator_chart_plots_totals_per_bloc(example: tuple[Path, Consolidation]) -> None:
    path, data = example
    sheet = openpyxl.load_workbook(path)[SHEET]
    series = _series(_charts(path)[2])
    assert _cells(sheet, series[0][1]) == data.totals["name"].tolist()
    for name, _, values in series:
        bloc = _cells(sheet, name)[0]
        assert _cells(sheet, values) == pytest.approx(data.totals[f"bloc:{bloc}"].tolist())


def test_charts_without_any_submission(ws: Workspace, tmp_path: Path) -> None:
    data = consolidate_data(ws.plan, ws.period("2024"), [])
    path = write_consolidated(tmp_path / "empty.xlsx", data)
    charts = openpyxl.load_workbook(path)[SHEET]._charts
    assert len(charts) == 3
    sheet = openpyxl.load_workbook(path)[SHEET]
    missing = [ref for name, _, ref in _series(_charts(path)[0]) if _cells(sheet, name) == ["Chưa nộp"]]
    assert sum(_cells(sheet, missing[0])) == len(ws.plan.reporting_agencies)    # type: ignore[arg-type]


def test_same_consolidation_same_bytes(example: tuple[Path, Consolidation], tmp_path: Path) -> None:
    _, data = example
    first = write_consolidated(tmp_path / "a.xlsx", data).read_bytes()
    assert write_consolidated(tmp_path / "b.xlsx", data).read_bytes() == first


def _pixels(pdf: Path, page: int, out: Path) -> Counter[tuple[int, int, int]]:
    """The colours of one page, as LibreOffice drew it (pdftoppm's plain PPM: no image library needed)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        assert not REQUIRED, "pdftoppm (poppler-utils) is not installed"
        pytest.skip("pdftoppm is not installed")
    subprocess.run([pdftoppm, "-r", "40", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(out)],
                   check=True, timeout=120)
    data = out.with_suffix(".ppm").read_bytes()
    body = data.split(b"\n", 3)[3]          # P6, size, depth, then RGB bytes
    return Counter(zip(body[0::3], body[1::3], body[2::3], strict=True))


@needs_libreoffice
def test_libreoffice_draws_the_charts(example: tuple[Path, Consolidation], tmp_path: Path) -> None:
    path, _ = example
    pdf = convert(path, "pdf", tmp_path)
    found = words(pdf)
    pages = {w.page for w in found if w.text == "Khối"}
    # the chart's own title, axis and legend, drawn under the sheet's heading of the same words
    first = min(p for p in {w.page for w in found if w.text == "1."})
    text = " ".join(w.text for w in found if w.page == first)
    assert text.count("Tình hình nộp báo cáo năm 2024 theo khối") == 2 and "Số đơn vị" in text
    assert "Đúng hạn" in text and "Chưa nộp" in text and first in pages
    colours = _pixels(pdf, first, tmp_path / "chart")
    assert colours[(0x00, 0x9E, 0x73)] > 200          # the "Đúng hạn" bars, in the status page's green
    assert colours[(0xE6, 0x9F, 0x00)] > 5            # a late submission (Phú Bình)
    kept = convert(path, "xlsx:Calc MS Excel 2007 XML", tmp_path / "again")   # LibreOffice keeps them on saving
    with zipfile.ZipFile(kept) as package:
        assert sum(1 for n in package.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)) == 3
