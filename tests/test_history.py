"""Task history and year over year: a plan lives for years, and every report compares with the year before."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import planreports
from planreports.consolidation.compare import change_percent, change_phrase, predecessors
from planreports.form import schema
from planreports.form.batch import generate_templates
from planreports.plan.model import Status
from planreports.plan.periods import parse_period
from planreports.progress.history import period_holding, previous_of
from planreports.testing.filling import Answers, fill_template
from planreports.workspace import Workspace
from tests.conftest import complete_answers, filled_on

P2024, P2025 = parse_period("2024"), parse_period("2025")


def _answers(ws: Workspace, agency: str, year: str, statuses: dict[str, str], figure: int) -> Answers:
    answers = complete_answers(ws, agency, year)
    for task_id, status in statuses.items():
        answers.tasks[task_id]["status"] = status
    answers.figures = {i.code: figure for i in ws.plan.indicators}
    return answers


def _send(ws: Workspace, agency: str, year: str, statuses: dict[str, str], figure: int, tmp: Path) -> None:
    """An agency fills the template of `year` (as made now, with the ledger as it is) and it is collected."""
    (template,) = generate_templates(ws, ws.period(year), [agency])
    path = fill_template(template, _answers(ws, agency, year, statuses, figure), tmp / year / f"{agency}.xlsx")
    planreports.collect(ws, [filled_on(path, f"{year}-12-05")], period=year)


@pytest.fixture
def two_rounds(ws: Workspace, tmp_path: Path) -> Workspace:
    """2024: Sở Tư pháp finishes 1.1 (due 31/12/2024); Sở Nội vụ has not finished 6.3 (due 31/05/2024).
    2025: both report again, on their 2025 templates."""
    _send(ws, "STP", "2024", {"1.1": Status.DONE}, 4, tmp_path)
    _send(ws, "SNV", "2024", {"6.3": Status.ONGOING}, 6, tmp_path)
    _send(ws, "STP", "2025", {}, 5, tmp_path)
    _send(ws, "SNV", "2025", {"6.3": Status.ONGOING}, 3, tmp_path)
    return ws


def test_a_task_done_in_2024_stays_done_and_is_not_asked_again(two_rounds: Workspace) -> None:
    ws = two_rounds
    tasks = {t["id"]: t for t in planreports.consolidate(ws, "2025").summary()["tasks"]}
    assert tasks["1.1"]["overall"] == "done" and tasks["1.1"]["done_in"] == "2024"
    assert tasks["1.1"]["overdue_since"] is None
    template = ws.agency_template(ws.period("2025"), "STP")
    sheet = openpyxl.load_workbook(template)[schema.SHEET_TASKS]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=2, max_col=5)]
    done = [r for r in rows if r[4] is not None]
    assert rows[-len(done):] == done and [r[0] for r in done if r[0] == "1.1"] == ["1.1"]   # at the end
    assert {r[4] for r in done} == {"Đã hoàn thành (năm 2024)"}
    row = next(n for n, r in enumerate(rows, start=2) if r[0] == "1.1")
    assert sheet.cell(row, 5).protection.locked and not sheet.cell(row, 6).protection.locked


def test_the_form_of_2025_is_accepted_without_asking_1_1(two_rounds: Workspace) -> None:
    ws = two_rounds
    status = {s.code: s for s in planreports.status(ws, "2025")}
    assert status["STP"].verdict == "accepted", status["STP"].issues


def test_a_task_due_in_2024_and_not_done_is_overdue_since_2024(two_rounds: Workspace) -> None:
    ws = two_rounds
    for year in ("2024", "2025"):
        task = next(t for t in planreports.consolidate(ws, year).summary()["tasks"] if t["id"] == "6.3")
        assert task["overall"] == "overdue" and task["overdue_since"] == "2024" and task["done_in"] is None
    label = planreports.consolidate(ws, "2025").tasks.set_index("task_id").loc["6.3", "overall_label"]
    assert label == "Quá hạn chưa hoàn thành (từ năm 2024)"


def test_a_task_finished_after_its_due_point_is_done_late(ws: Workspace, tmp_path: Path) -> None:
    _send(ws, "SNV", "2024", {"6.3": Status.ONGOING}, 1, tmp_path)
    _send(ws, "SNV", "2025", {"6.3": Status.DONE}, 1, tmp_path)
    task = next(t for t in planreports.consolidate(ws, "2025").summary()["tasks"] if t["id"] == "6.3")
    assert (task["overall"], task["done_in"], task["overdue_since"]) == ("done_late", "2025", None)


@pytest.fixture
def same_province(ws: Workspace, tmp_path: Path) -> Workspace:
    """2025 and 2026, the reorganized province both years: Sở Tư pháp and Sở Nội vụ report in each."""
    _send(ws, "STP", "2025", {}, 4, tmp_path)
    _send(ws, "SNV", "2025", {}, 6, tmp_path)
    _send(ws, "STP", "2026", {}, 5, tmp_path)
    _send(ws, "SNV", "2026", {}, 3, tmp_path)
    return ws


def test_the_figures_are_compared_with_the_year_before(same_province: Workspace) -> None:
    summary = planreports.consolidate(same_province, "2026").summary()
    assert summary["previous_period"] == "2025"
    assert summary["indicators_previous"]["HN_SO"] == 4 + 6 and summary["indicators"]["HN_SO"] == 5 + 3
    assert summary["indicator_changes"]["HN_SO"] == -20.0
    written = json.loads(planreports.write_consolidated(same_province, "2026")[1].read_text(encoding="utf-8"))
    assert written["indicator_changes"] == summary["indicator_changes"]


def test_a_province_that_grew_is_compared_unit_by_unit_only(two_rounds: Workspace) -> None:
    """2024 → 2025: the communes of Bắc Kạn joined; province and bloc totals are not compared."""
    summary = planreports.consolidate(two_rounds, "2025").summary()
    assert summary["previous_period"] == "2024" and summary["indicator_changes"] == {}
    book = planreports.write_consolidated(two_rounds, "2025")[0]
    _, row = _sheet(book, "So sánh")
    assert "Không so sánh toàn tỉnh và theo khối: phạm vi báo cáo thay đổi (37 đơn vị" in row[1]


def test_nothing_is_compared_without_the_previous_periods_data(two_rounds: Workspace) -> None:
    summary = planreports.consolidate(two_rounds, "2024").summary()
    assert (summary["previous_period"], summary["indicators_previous"], summary["indicator_changes"]) == (
        None, {}, {})


def test_vietnamese_change_phrases() -> None:
    assert change_phrase(90, 80, "cuộc", "năm 2025") == "tăng 12,5% so với năm 2025"
    assert change_phrase(7, 10, "cuộc", "năm 2025") == "giảm 30% so với năm 2025"
    assert change_phrase(3, 0, "cuộc", "năm 2025") == "tăng 3 cuộc so với năm 2025"
    assert change_phrase(5, 5, "cuộc", "năm 2025") == "bằng năm 2025"
    assert change_percent(5, 0) is None


def test_periods_before_and_around_a_day() -> None:
    assert previous_of(parse_period("2026")).id == "2025"
    assert previous_of(parse_period("2027-H1")).id == "2026-H1"
    assert period_holding(date(2024, 12, 31), P2024).id == "2025"      # after 14/12: next year's period
    assert period_holding(date(2024, 5, 31), parse_period("2024-H1")).id == "2024-H1"


def test_per_agency_comparisons_follow_mergers_not_splits(ws: Workspace) -> None:
    old, new = ws.plan_for(P2024), ws.plan_for(parse_period("2026"))
    matched = predecessors(old, new)
    assert matched["SNNMT"] == ("SNNPTNT", "STNMT")       # a merger: compared with both, summed
    assert matched["STP"] == ("STP",)
    assert "TPTN" not in {c for codes in matched.values() for c in codes}   # a district split among communes
    assert matched["SVHTTDL"] == ("SVHTTDL",)             # Sở TT&TT was split too: not added to anyone


def _sheet(path: Path, name: str) -> list[tuple[object, ...]]:
    return list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))


def test_the_workbook_compares_each_indicator_for_the_province_per_bloc(same_province: Workspace) -> None:
    book = planreports.write_consolidated(same_province, "2026")[0]
    header, *rows = _sheet(book, "So sánh")
    assert header[4:8] == ("Số đơn vị báo cáo kỳ trước", "Năm 2025", "Số đơn vị báo cáo kỳ này", "Năm 2026")
    meeting = {r[3]: r[4:] for r in rows if r[0] == "HN_SO"}
    assert meeting["Toàn tỉnh"] == (2, 10, 2, 8, -2, -20, "giảm 20%")
    assert meeting["Sở, ngành"] == (2, 10, 2, 8, -2, -20, "giảm 20%")      # STP and SNV are departments
    # no newspaper reported in either year: blank, not 0 and not "giảm 100%"
    assert meeting["Báo chí"] == (None, None, None, None, None, None, "Không có số liệu kỳ trước để so sánh")


def test_the_workbook_compares_each_agency_with_its_own_past(two_rounds: Workspace) -> None:
    book = planreports.write_consolidated(two_rounds, "2025")[0]
    _, *rows = _sheet(book, "So sánh đơn vị")
    by_agency = {r[0]: r[2:] for r in rows if r[3] == two_rounds.plan.indicators[1].name}
    assert by_agency["STP"][0] == "Chính đơn vị" and by_agency["STP"][3:] == (4, 5, 1, 25)
    # Sở Nội vụ took over Sở LĐ-TB&XH in 2025, which did not report in 2024: the part is not compared
    assert set(by_agency) == {"STP"}


def test_a_merged_agency_is_compared_with_the_sum_of_the_agencies_it_joined(ws: Workspace, tmp_path: Path) -> None:
    _send(ws, "SNNPTNT", "2024", {}, 2, tmp_path)
    _send(ws, "STNMT", "2024", {}, 3, tmp_path)
    _send(ws, "SNNMT", "2025", {}, 7, tmp_path)
    book = planreports.write_consolidated(ws, "2025")[0]
    (row, *_) = [r for r in _sheet(book, "So sánh đơn vị") if r[0] == "SNNMT"]
    old = ws.plan_for(P2024)
    names = [old.agency_by_code[c].short for c in ("SNNPTNT", "STNMT")]
    assert row[2] == "Hợp nhất từ: " + "; ".join(names) and row[5:9] == (5, 7, 2, 40)


def test_a_merged_agency_is_not_compared_with_part_of_what_it_joined(ws: Workspace, tmp_path: Path) -> None:
    _send(ws, "SNNPTNT", "2024", {}, 2, tmp_path)      # Sở TN&MT, merged into it too, did not report in 2024
    _send(ws, "SNNMT", "2025", {}, 7, tmp_path)
    book = planreports.write_consolidated(ws, "2025")[0]
    _, row = _sheet(book, "So sánh đơn vị")
    assert row[1] == "Không đơn vị nào có số liệu của cả hai kỳ để so sánh."


def test_a_figure_left_blank_is_not_compared_as_zero(ws: Workspace, tmp_path: Path) -> None:
    answers = _answers(ws, "STP", "2025", {}, 4)
    del answers.figures["HN_SO"]
    (template,) = generate_templates(ws, ws.period("2025"), ["STP"])
    path = fill_template(template, answers, tmp_path / "stp-2025.xlsx")
    planreports.collect(ws, [filled_on(path, "2025-12-05")], period="2025")
    _send(ws, "STP", "2026", {}, 5, tmp_path)
    summary = planreports.consolidate(ws, "2026").summary()
    assert "HN_SO" not in summary["indicators_previous"] and summary["indicators_previous"]["HN_NGUOI"] == 4
    book = planreports.write_consolidated(ws, "2026")[0]
    _, *rows = _sheet(book, "So sánh")
    (province,) = [r for r in rows if r[0] == "HN_SO" and r[3] == "Toàn tỉnh"]
    assert province[4:] == (None, None, 1, 5, None, None, "Không có số liệu kỳ trước để so sánh")
    _, *rows = _sheet(book, "So sánh đơn vị")
    assert {r[0] for r in rows} == {"STP"} and len(rows) == len(ws.plan.indicators) - 1


def test_the_comparison_sheets_say_why_they_are_empty(two_rounds: Workspace) -> None:
    book = planreports.write_consolidated(two_rounds, "2024")[0]
    for name in ("So sánh", "So sánh đơn vị"):
        _, row = _sheet(book, name)
        assert row[1] == "Không so sánh: năm 2023 không có báo cáo đạt yêu cầu nào trong sổ theo dõi."
