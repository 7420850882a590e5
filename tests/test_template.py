"""The agency workbook: sheets, columns, locks, dropdowns, hidden signature; opens in LibreOffice."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import python_calamine as calamine

from planreports.form import schema
from planreports.form.batch import generate_templates
from planreports.workspace import Workspace
from tests.libreoffice import convert, needs_libreoffice


@pytest.fixture
def stp(ws: Workspace) -> Path:
    (path,) = generate_templates(ws, ws.period("2024"), ["STP"])
    return path


def test_one_workbook_per_reporting_agency(ws: Workspace) -> None:
    paths = generate_templates(ws, ws.period("2024"))
    assert sorted(p.stem for p in paths) == sorted(a.code for a in ws.plan_for(ws.period("2024")).reporting_agencies)
    assert all(p.parent == ws.output_dir / "2024" / "bieu-mau" for p in paths)


def test_sheets_and_signature(stp: Path) -> None:
    book = openpyxl.load_workbook(stp)
    assert book.sheetnames == ["Hướng dẫn", "Thông tin", "Nhiệm vụ", "Số liệu", "_meta"]
    assert book["_meta"].sheet_state == "veryHidden"
    meta = {row[0]: row[1] for row in book["_meta"].iter_rows(max_col=2, values_only=True)}
    assert meta["agency"] == "STP" and meta["period"] == "2024"
    assert meta["template_version"] == schema.TEMPLATE_VERSION
    tasks = meta["tasks"].split(";")
    assert meta["checksum"] == schema.signature_checksum("1", "STP", "2024", tasks, meta["indicators"].split(";"))


def test_task_sheet_layout_and_locks(ws: Workspace, stp: Path) -> None:
    sheet = openpyxl.load_workbook(stp)["Nhiệm vụ"]
    header = [c.value for c in sheet[1]]
    assert header == ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Vai trò", "Thời hạn", "Tình trạng",
                      "Kết quả thực hiện", "Khó khăn, vướng mắc", "Đề xuất, kiến nghị"]
    expected = [(a.task.id, a.role) for a in ws.plan_for(ws.period("2024")).assignments("STP")]
    rows = [(r[0].value, r[2].value) for r in sheet.iter_rows(min_row=2)]
    assert rows == expected
    assert sheet.protection.sheet
    assert sheet.freeze_panes == "A2"
    second = sheet[2]
    assert all(c.protection.locked for c in second[:4])
    assert not any(c.protection.locked for c in second[4:])
    assert all(c.font.name == "Times New Roman" for c in second)
    (validation,) = sheet.data_validations.dataValidation
    assert validation.type == "list" and "_meta" in validation.formula1
    assert str(validation.sqref) == f"E2:E{len(expected) + 1}"
    assert sheet.page_setup.paperSize == 9


def test_figures_accept_only_non_negative_numbers(ws: Workspace, stp: Path) -> None:
    sheet = openpyxl.load_workbook(stp)["Số liệu"]
    assert [c.value for c in sheet[1]] == ["Mã chỉ tiêu", "Chỉ tiêu", "Đơn vị tính", "Giá trị", "Ghi chú"]
    assert [r[0].value for r in sheet.iter_rows(min_row=2)] == [i.code for i in ws.plan.indicators]
    validations = sheet.data_validations.dataValidation
    assert {v.type for v in validations} == {"whole", "decimal"}
    assert all(v.operator == "greaterThanOrEqual" and v.formula1 == "0" for v in validations)


def test_info_sheet_is_prefilled(stp: Path) -> None:
    sheet = openpyxl.load_workbook(stp)["Thông tin"]
    values = {r[0].value: r[1] for r in sheet.iter_rows(min_row=3)}
    assert values["Mã đơn vị"].value == "STP" and values["Mã đơn vị"].protection.locked
    assert values["Tên đơn vị"].value == "Sở Tư pháp"
    assert values["Kỳ báo cáo"].value == "2024"
    assert values["Hạn gửi báo cáo"].value == "10/12/2024"
    assert not values["Người báo cáo"].protection.locked


def test_same_inputs_same_bytes(ws: Workspace, stp: Path) -> None:
    first = stp.read_bytes()
    (again,) = generate_templates(ws, ws.period("2024"), ["STP"])
    assert again.read_bytes() == first


@needs_libreoffice
@pytest.mark.parametrize("fmt", ["ods", "xls", "xlsx:Calc MS Excel 2007 XML"])
def test_libreoffice_opens_and_the_signature_survives(stp: Path, tmp_path: Path, fmt: str) -> None:
    converted = convert(stp, fmt, tmp_path)
    book = calamine.CalamineWorkbook.from_path(str(converted))
    assert "_meta" in book.sheet_names
    meta = {r[0]: r[1] for r in book.get_sheet_by_name("_meta").to_python() if r and r[0]}
    assert meta["agency"] == "STP" and meta["period"] == "2024"
