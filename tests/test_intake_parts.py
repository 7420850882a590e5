"""The validator's parts on plain data: one cell, the row protocol of both tables, the identity."""

from __future__ import annotations

from datetime import date, datetime

from planreports.findings import Findings, IssueCode
from planreports.form import schema
from planreports.intake import identity
from planreports.intake.arrival import Arrival, check_late, check_sender
from planreports.intake.cells import CellReader
from planreports.intake.rows import RowRules, keyed_rows, open_table
from planreports.intake.sheetxml import SheetFacts
from planreports.plan.model import Agency, Aggregate, Indicator, NumberType, Role
from planreports.vn.dates import VN_TZ

PEOPLE = Indicator("HN_NGUOI", "Lượt người tham dự", "lượt người", NumberType.INTEGER, Aggregate.SUM)
MONEY = Indicator("KINH_PHI", "Kinh phí", "triệu đồng", NumberType.DECIMAL, Aggregate.SUM)


def codes(findings: Findings) -> list[IssueCode]:
    return [i.code for i in findings.issues]


def reader() -> tuple[CellReader, Findings]:
    findings = Findings("f.xlsx")
    return CellReader(findings, max_chars=50), findings


def test_numbers_are_read_the_vietnamese_way() -> None:
    cells, findings = reader()
    assert cells.number("Số liệu", "D3", "1.200", PEOPLE) == 1200
    assert cells.number("Số liệu", "D4", "2,5", MONEY) == 2.5
    assert cells.number("Số liệu", "D5", "2.5", MONEY) == 2.5
    assert codes(findings) == [IssueCode.VALUE_DOT_DECIMAL]
    issue = findings.issues[0]
    assert (issue.sheet, issue.cell) == ("Số liệu", "D5") and "2,5" in issue.message


def test_unusable_numbers_are_named() -> None:
    cells, findings = reader()
    assert cells.number("Số liệu", "D3", "khoảng 200", PEOPLE) is None
    assert cells.number("Số liệu", "D4", 2.5, PEOPLE) is None
    assert cells.number("Số liệu", "D5", -1, PEOPLE) is None
    assert cells.number("Số liệu", "D6", date(2024, 1, 1), PEOPLE) is None
    assert cells.number("Số liệu", "D7", "", PEOPLE) is None
    assert codes(findings) == [IssueCode.VALUE_NOT_A_NUMBER, IssueCode.VALUE_NOT_INTEGER, IssueCode.VALUE_NEGATIVE,
                               IssueCode.VALUE_IS_DATE, IssueCode.VALUE_MISSING]


def test_text_is_cleaned_converted_and_bounded() -> None:
    cells, findings = reader()
    assert cells.text("Nhiệm vụ", "F2", "  Đã   tổ chức\u00a0hội nghị ") == "Đã tổ chức hội nghị"
    assert cells.text("Nhiệm vụ", "F3", "B¸o c¸o kÕt qu¶") == "Báo cáo kết quả"
    assert cells.text("Nhiệm vụ", "F4", "x" * 51) == ""
    assert codes(findings) == [IssueCode.TEXT_LEGACY_ENCODING, IssueCode.CELL_TOO_LONG]


def test_status_is_normalized_with_a_warning_and_required_of_leads() -> None:
    cells, findings = reader()
    assert cells.status("Nhiệm vụ", "E2", "Hoàn thành", "Hoàn thành", Role.LEAD, "1.1") == "Hoàn thành"
    assert cells.status("Nhiệm vụ", "E3", "hoan thanh", "hoan thanh", Role.LEAD, "1.2") == "Hoàn thành"
    assert cells.status("Nhiệm vụ", "E4", "", "", Role.SUPPORT, "1.3") == ""
    assert cells.status("Nhiệm vụ", "E5", "", "", Role.LEAD, "1.4") == ""
    assert cells.status("Nhiệm vụ", "E6", "xong rồi", "xong rồi", Role.LEAD, "1.5") == ""
    assert codes(findings) == [IssueCode.STATUS_NORMALIZED, IssueCode.STATUS_MISSING, IssueCode.STATUS_INVALID]


def test_error_cells_and_uncalculated_formulas_are_unusable() -> None:
    cells, findings = reader()
    facts = SheetFacts(error_cells={"D3"}, formulas_without_value={"D4"})
    assert cells.unusable("Số liệu", "D3", facts) and cells.unusable("Số liệu", "D4", facts)
    assert not cells.unusable("Số liệu", "D5", facts)
    assert codes(findings) == [IssueCode.CELL_ERROR_VALUE, IssueCode.CELL_FORMULA_NO_VALUE]


def test_keyed_rows_skip_blanks_and_report_strangers_and_repeats() -> None:
    header = [c.title for c in schema.FIGURE_TABLE.columns]
    rows = [header, ["HN_SO", "Hội nghị", "hội nghị", 2, ""], ["", "", "", "", ""], ["LA", "?", "", 1, ""],
            ["HN_SO", "Hội nghị", "hội nghị", 3, ""], ["KINH_PHI", "Kinh phí", "triệu đồng", 5, ""]]
    findings = Findings("f.xlsx")
    table = open_table(rows, "Số liệu", schema.FIGURE_TABLE, SheetFacts(hidden_rows={6}), findings)
    assert table is not None
    rules = RowRules("code", "code", lambda _: IssueCode.INDICATOR_EXTRA_ROW, IssueCode.INDICATOR_DUPLICATE)
    kept = list(keyed_rows(table, rules, {"HN_SO", "KINH_PHI"}, findings))
    assert [(r.key, r.index) for r in kept] == [("HN_SO", 1), ("KINH_PHI", 5)]
    assert [(i.code, i.cell) for i in findings.issues] == [
        (IssueCode.INDICATOR_EXTRA_ROW, "A4"), (IssueCode.INDICATOR_DUPLICATE, "A5"), (IssueCode.ROW_HIDDEN, "A6")]
    assert "dòng 2" in findings.issues[1].message


def test_a_table_without_the_forms_header_is_refused_by_column() -> None:
    findings = Findings("f.xlsx")
    assert open_table([["Mã", "Tên", "Số"]], "Số liệu", schema.FIGURE_TABLE, SheetFacts(), findings) is None
    assert {i.code for i in findings.issues} == {IssueCode.HEADER_MISSING}
    assert any("“Giá trị”" in i.message for i in findings.issues)


def test_the_signature_is_checked_before_it_is_trusted() -> None:
    meta = {"app": schema.APP_MARK, "template_version": "1", "agency": "STP", "period": "2024", "tasks": "1.1",
            "indicators": "HN_SO"}
    meta["checksum"] = schema.signature_checksum("1", "STP", "2024", ["1.1"], ["HN_SO"])
    assert identity.signature_valid(meta)
    assert not identity.signature_valid({**meta, "agency": "SNV"})


def test_the_period_must_be_the_one_collected() -> None:
    findings = Findings("f.xlsx")
    assert identity.settle_period("2024", "2024", findings, "Thông tin") == "2024"
    assert identity.settle_period("", "2024", findings, "Thông tin") == "2024"
    assert identity.settle_period("2023", "2024", findings, "Thông tin") is None
    assert codes(findings) == [IssueCode.PERIOD_UNKNOWN, IssueCode.PERIOD_MISMATCH]


def test_late_and_sender_follow_from_the_arrival() -> None:
    findings = Findings("f.xlsx")
    agency = Agency("STP", "Sở Tư pháp", "Sở Tư pháp", "so-nganh", "stp@thainguyen.gov.vn")
    on_time = Arrival(datetime(2024, 12, 10, 23, 0, tzinfo=VN_TZ), "Sở Tư pháp <STP@thainguyen.gov.vn>")
    late = Arrival(datetime(2024, 12, 11, 8, 0, tzinfo=VN_TZ), "ai-do@gmail.com")
    deadlines = {"2024": date(2024, 12, 10)}
    assert not check_late(on_time, "2024", deadlines, findings)
    check_sender(on_time, agency, findings)
    assert findings.issues == []
    assert check_late(late, "2024", deadlines, findings)
    check_sender(late, agency, findings)
    assert codes(findings) == [IssueCode.SUBMISSION_LATE, IssueCode.SENDER_MISMATCH]
    assert "11/12/2024" in findings.issues[0].message and "ai-do@gmail.com" in findings.issues[1].message
