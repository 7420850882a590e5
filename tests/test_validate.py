"""Validation of returned workbooks: one small case per rule (csvkit-style purpose-named cases)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import openpyxl
import pytest

from planreports.form import schema
from planreports.intake.validate import Rules, Validation, validate_bytes
from planreports.workspace import Workspace


def check(ws: Workspace, path: Path, period: str | None = "2024") -> Validation:
    return validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, period))


def codes(result: Validation) -> set[str]:
    return {i.code for i in result.issues}


def only(result: Validation, code: str):  # type: ignore[no-untyped-def]
    found = [i for i in result.issues if i.code == code]
    assert found, f"{code} not in {codes(result)}"
    return found[0]


def edit(path: Path, sheet: str, cells: dict[str, object]) -> Path:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)
    return path


def task_row(path: Path, task_id: str) -> int:
    sheet = openpyxl.load_workbook(path)[schema.SHEET_TASKS]
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == task_id)


# ---------------------------------------------------------------- the clean case

def test_complete_form_is_accepted_with_its_values(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP"))
    assert result.verdict == "accepted", result.issues
    assert (result.agency, result.period) == ("STP", "2024")
    sub = result.submission
    assert sub is not None
    assert [a.task_id for a in sub.answers] == [a.task.id for a in ws.plan_for(ws.period("2024")).assignments("STP")]
    assert all(a.status == "Hoàn thành" for a in sub.answers)
    assert sub.figures == {i.code: 3.0 for i in ws.plan.indicators}
    assert sub.info["reporter"] == "Nguyễn Thị Hoa"


# ---------------------------------------------------------------- files that are not usable

def test_not_a_spreadsheet(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "bao-cao.xlsx"
    path.write_text("Kính gửi Sở TT&TT", encoding="utf-8")
    assert codes(check(ws, path)) == {"file-not-spreadsheet"}


def test_empty_file(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    result = check(ws, path)
    assert result.verdict == "rejected" and codes(result) == {"file-empty"}


def test_truncated_workbook(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = fill("STP").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    assert codes(check(ws, path)) == {"file-corrupt"}


def test_word_document_sent_by_mistake(ws: Workspace, tmp_path: Path) -> None:
    import docx

    path = tmp_path / "cong-van.xlsx"
    document = docx.Document()
    document.add_paragraph("Báo cáo")
    document.save(str(path))
    assert codes(check(ws, path)) == {"file-is-document"}


def test_encrypted_workbook(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from msoffcrypto.format.ooxml import OOXMLFile

    source = fill("STP")
    out = io.BytesIO()
    with source.open("rb") as handle:
        OOXMLFile(handle).encrypt("matkhau", out)
    path = tmp_path / "co-mat-khau.xlsx"
    path.write_bytes(out.getvalue())
    assert codes(check(ws, path)) == {"file-encrypted"}


def test_macro_workbook_is_read_but_never_run(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    source = fill("STP")
    path = tmp_path / "co-macro.xlsm"
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item))
        dst.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 fake VBA project")
    result = check(ws, path)
    assert result.verdict == "warning" and codes(result) == {"file-macros"}
    assert "không bao giờ chạy" in only(result, "file-macros").message


# ---------------------------------------------------------------- identity

def _without_signature(path: Path) -> Path:
    book = openpyxl.load_workbook(path)
    del book[schema.SHEET_META]
    book.save(path)
    return path


def test_missing_signature_identifies_agency_from_info_sheet(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, _without_signature(fill("STP")))
    assert result.agency == "STP" and result.verdict == "warning"
    assert "Sở Tư pháp" in only(result, "signature-missing").message


def test_blank_workbook_without_identity_is_rejected(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = edit(_without_signature(fill("STP")), schema.SHEET_INFO, {"B3": None, "B4": "Phòng nào đó"})
    result = check(ws, path)
    assert result.verdict == "rejected" and "agency-unidentified" in codes(result)


def test_altered_signature(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = edit(fill("STP"), schema.SHEET_META, {"B3": "SNV"})
    result = check(ws, path)
    assert "signature-altered" in codes(result) and result.agency == "STP"


def test_copy_of_another_agency_form_is_rejected(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = edit(fill("STP"), schema.SHEET_INFO, {"B3": "SNV", "B4": "Sở Nội vụ"})
    issue = only(check(ws, path), "agency-mismatch")
    assert issue.cell == "B3" and "STP" in issue.message and "SNV" in issue.message


def test_wrong_period_is_rejected(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP"), period="2025")
    assert result.verdict == "rejected" and "period-mismatch" in codes(result)


def test_agency_not_in_registry_is_rejected(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    book = openpyxl.load_workbook(path)
    meta = {r[0].value: r[1] for r in book[schema.SHEET_META].iter_rows(max_col=2)}
    meta["agency"].value = "SOCU"
    meta["checksum"].value = schema.signature_checksum("1", "SOCU", "2024", meta["tasks"].value.split(";"),
                                                       meta["indicators"].value.split(";"))
    book[schema.SHEET_INFO]["B3"] = None
    book.save(path)
    assert "agency-unknown" in codes(check(ws, path))


# ---------------------------------------------------------------- task rows

def test_deleted_task_row(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    book = openpyxl.load_workbook(path)
    book[schema.SHEET_TASKS].delete_rows(task_row(path, "2.3"))
    book.save(path)
    issue = only(check(ws, path), "task-missing")
    assert "2.3" in issue.message and issue.sheet == "Nhiệm vụ"


def test_added_row_is_reported_not_dropped(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    book = openpyxl.load_workbook(path)
    sheet = book[schema.SHEET_TASKS]
    sheet.append(["", "Nhiệm vụ khác", "", "", "Hoàn thành", "Tổ chức hội thi"])
    book.save(path)
    issue = only(check(ws, path), "task-extra-row")
    assert issue.cell == f"A{sheet.max_row}"


def test_task_of_another_agency(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    book = openpyxl.load_workbook(path)
    book[schema.SHEET_TASKS].append(["7.3", "", "", "", "Hoàn thành", "Đăng 20 tin"])
    book.save(path)
    assert "task-not-assigned" in codes(check(ws, path))


def test_duplicated_row(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    book = openpyxl.load_workbook(path)
    sheet = book[schema.SHEET_TASKS]
    sheet.append([c.value for c in sheet[2]])
    book.save(path)
    issue = only(check(ws, path), "task-duplicate")
    assert issue.cell == f"A{sheet.max_row}" and "dòng 2" in issue.message


def test_reordered_rows_are_matched_by_id(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    book = openpyxl.load_workbook(path)
    sheet = book[schema.SHEET_TASKS]
    first, second = [c.value for c in sheet[2]], [c.value for c in sheet[3]]
    for col, value in enumerate(second, start=1):
        sheet.cell(2, col).value = value
    for col, value in enumerate(first, start=1):
        sheet.cell(3, col).value = value
    book.save(path)
    result = check(ws, path)
    assert codes(result) == {"task-reordered"} and result.verdict == "warning"


def test_edited_locked_text(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    edit(path, schema.SHEET_TASKS, {f"B{task_row(path, '1.1')}": "Việc khác hẳn"})
    issue = only(check(ws, path), "task-text-edited")
    assert issue.cell == f"B{task_row(path, '1.1')}"


# ---------------------------------------------------------------- status

def _set(task: str, **values: object):  # type: ignore[no-untyped-def]
    def change(answers) -> None:  # type: ignore[no-untyped-def]
        answers.tasks[task].update(values)

    return change


def test_lead_task_without_status(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP", _set("1.1", status=None))
    issue = only(check(ws, path), "status-missing")
    assert issue.cell == f"E{task_row(path, '1.1')}"


def test_supporting_task_may_leave_status_empty(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    assert check(ws, fill("STP", _set("2.4", status=None, result=None))).verdict == "accepted"


@pytest.mark.parametrize("typed", ["hoan thanh", "HOÀN THÀNH", "  Hoàn   thành ", "hoàn thành.",
                                   unicodedata.normalize("NFD", "Hoàn thành")])
def test_harmless_status_variants_are_normalized(ws: Workspace, fill, typed: str) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP", _set("1.1", status=typed)))
    assert codes(result) == {"status-normalized"} and result.verdict == "warning"
    assert result.submission is not None and result.submission.answers[0].status == "Hoàn thành"


def test_nfd_text_is_normalized_silently(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP", _set("1.1", result=unicodedata.normalize("NFD", "Đã tổ chức hội nghị"))))
    assert result.verdict == "accepted"
    assert result.submission is not None and result.submission.answers[0].result == "Đã tổ chức hội nghị"


def test_invalid_status(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP", _set("1.1", status="Xong một nửa")))
    assert result.verdict == "rejected" and "Xong một nửa" in only(result, "status-invalid").message


def test_done_without_result_is_a_warning(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP", _set("1.1", result=None)))
    assert codes(result) == {"result-missing"}


# ---------------------------------------------------------------- figures

def _figure(code: str, value: object):  # type: ignore[no-untyped-def]
    def change(answers) -> None:  # type: ignore[no-untyped-def]
        answers.figures[code] = value

    return change


@pytest.mark.parametrize(("typed", "number"), [("1.200", 1200.0), ("2,5", 2.5), ("1.234,5", 1234.5),
                                                ("0", 0.0), (17, 17.0)])
def test_vietnamese_number_formats(ws: Workspace, fill, typed: object, number: float) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP", _figure("KINH_PHI", typed)))
    assert result.verdict == "accepted", result.issues
    assert result.submission is not None and result.submission.figures["KINH_PHI"] == number


@pytest.mark.parametrize(("typed", "code"), [("khoảng 20", "value-not-a-number"), (-4, "value-negative"),
                                              ("-4", "value-negative"), ("#REF!", "cell-error-value"),
                                              ("2,5", "value-not-integer")])
def test_bad_values(ws: Workspace, fill, typed: object, code: str) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP", _figure("HN_SO", typed))
    result = check(ws, path)
    assert result.verdict == "rejected"
    issue = only(result, code)
    assert (issue.sheet, issue.cell) == ("Số liệu", "D3")


def test_date_where_a_number_belongs(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    from datetime import datetime

    assert "value-is-date" in codes(check(ws, fill("STP", _figure("HN_SO", datetime(2024, 3, 5)))))


def test_empty_value_is_a_warning(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    result = check(ws, fill("STP", _figure("MXH", None)))
    assert codes(result) == {"value-missing"}
    assert result.submission is not None and result.submission.figures["MXH"] is None


# ---------------------------------------------------------------- text encodings

def test_tcvn3_and_vni_text_is_converted_and_named(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    def change(answers) -> None:  # type: ignore[no-untyped-def]
        answers.tasks["1.1"]["result"] = "§· tæ chøc 02 héi nghÞ phæ biÕn"        # TCVN3
        answers.tasks["1.2"]["result"] = "Ñaõ toå chöùc 02 hoäi nghò phoå bieán"  # VNI
        answers.tasks["2.1"]["result"] = unicodedata.normalize("NFD", "Đã rà soát văn bản")

    path = fill("STP", change)
    result = check(ws, path)
    found = {i.cell: i for i in result.issues if i.code == "text-legacy-encoding"}
    assert set(found) == {f"F{task_row(path, '1.1')}", f"F{task_row(path, '1.2')}"}
    assert "TCVN3" in found[f"F{task_row(path, '1.1')}"].message
    answers = {a.task_id: a for a in result.submission.answers}  # type: ignore[union-attr]
    assert answers["1.1"].result == "Đã tổ chức 02 hội nghị phổ biến"
    assert answers["1.2"].result == "Đã tổ chức 02 hội nghị phổ biến"
    assert answers["2.1"].result == "Đã rà soát văn bản" and unicodedata.is_normalized("NFC", answers["2.1"].result)


def test_valid_vietnamese_is_never_converted(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    text = "Hoà giải, hoá học, hoãn; nhiệt độ 25°C; ông Müller (CHLB Đức)"
    result = check(ws, fill("STP", _set("1.1", result=text)))
    assert result.verdict == "accepted"
    assert result.submission is not None and result.submission.answers[0].result == text
