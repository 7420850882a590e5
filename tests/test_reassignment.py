"""A split agency's tasks: each goes to the successor that took that function, as dated data in the lists; a task
still resolving to several successors without the lists saying so is a warning; short task names."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.errors import DataFilesError
from planreports.plan.deadlines import parse_deadline
from planreports.plan.lists import REASSIGNMENTS, load_plan, split_warnings
from planreports.plan.model import Agency, AgencyKind, Plan, Reassignment, Role, Task, Validity
from planreports.workspace import Workspace

SPLIT = date(2025, 3, 1)


def _plan(*reassignments: Reassignment) -> Plan:
    """Sở Thông tin split on 1/3/2025 into Sở Văn hóa (press) and Sở Khoa học (technology)."""
    kinds = (AgencyKind("so", "Sở", "Sở, ngành"),)
    agencies = (Agency("STT", "Sở Thông tin", "Sở TT", "so", "", valid=Validity(end=date(2025, 2, 28)),
                       successors=("SVH", "SKH")),
                Agency("SVH", "Sở Văn hóa", "Sở VH", "so", ""), Agency("SKH", "Sở Khoa học", "Sở KH", "so", ""),
                Agency("STP", "Sở Tư pháp", "Sở TP", "so", ""))
    tasks = (Task("1", "1", "Quản lý báo chí", "Sở Thông tin", "Sở Tư pháp", ("STT",), ("STP",), "",
                  parse_deadline("Thường xuyên"), short="Quản lý báo chí"),
             Task("2", "1", "Ứng dụng công nghệ", "Sở Thông tin", "", ("STT",), (), "", parse_deadline("Hằng năm")),
             Task("3", "1", "Phổ biến pháp luật", "Sở Tư pháp", "Sở Thông tin", ("STP",), ("STT",), "",
                  parse_deadline("Hằng năm")))
    return Plan((), tasks, kinds, agencies, (), (), reassignments)


def test_a_dated_lead_gives_each_task_to_one_successor() -> None:
    plan = _plan(Reassignment("1", ("SVH",), (), Validity(SPLIT)), Reassignment("2", ("SKH",), (), Validity(SPLIT)),
                 Reassignment("3", (), ("SVH",), Validity(SPLIT)))
    before, after = plan.at(date(2024, 12, 14)), plan.at(date(2026, 12, 14))
    assert before.agencies_for(before.task_by_id["1"], Role.LEAD) == ["STT"]
    assert after.agencies_for(after.task_by_id["1"], Role.LEAD) == ["SVH"]
    assert after.agencies_for(after.task_by_id["2"], Role.LEAD) == ["SKH"]
    assert [a.task.id for a in after.assignments("SKH")] == ["2"]          # no press task for the technology one
    assert after.agencies_for(after.task_by_id["3"], Role.SUPPORT) == ["SVH"]
    # the lead keeps its lead; an empty code list keeps the plan's
    assert after.agencies_for(after.task_by_id["3"], Role.LEAD) == ["STP"]
    # the wording shows who leads now, the past keeps the plan's words
    assert after.task_by_id["1"].lead == "Sở Văn hóa" and before.task_by_id["1"].lead == "Sở Thông tin"
    assert after.task_by_id["1"].support == "Sở Tư pháp"
    assert after.split_duties() == [] and split_warnings(after) == []


def test_a_task_left_to_every_successor_is_a_warning_naming_task_role_and_successors() -> None:
    plan = _plan(Reassignment("1", ("SVH",), (), Validity(SPLIT)))
    after = plan.at(date(2026, 12, 14))
    duties = {(d.task, d.role) for d in after.split_duties()}
    assert duties == {("2", Role.LEAD), ("3", Role.SUPPORT)}
    warnings = split_warnings(after)
    assert len(warnings) == 2
    assert "Nhiệm vụ 2: đơn vị chủ trì Sở Thông tin đã chia tách từ 01/03/2025" in warnings[0]
    assert "Sở Văn hóa và Sở Khoa học" in warnings[0] and REASSIGNMENTS.sheet in warnings[0]
    assert "Nhiệm vụ 3: đơn vị phối hợp" in warnings[1]
    # before the split nothing is said, and both successors still lead (the warning is a warning)
    assert split_warnings(plan.at(date(2024, 12, 14))) == []
    assert after.agencies_for(after.task_by_id["2"], Role.LEAD) == ["SVH", "SKH"]


def test_listing_both_successors_says_it_is_intended() -> None:
    plan = _plan(Reassignment("1", ("SVH",), (), Validity(SPLIT)), Reassignment("2", ("SVH", "SKH"), (),
                                                                                Validity(SPLIT)),
                 Reassignment("3", (), ("SVH",), Validity(SPLIT)))
    after = plan.at(date(2026, 12, 14))
    assert split_warnings(after) == []
    assert after.agencies_for(after.task_by_id["2"], Role.LEAD) == ["SVH", "SKH"]


def test_the_seed_gives_the_split_departments_tasks_by_function(ws: Workspace) -> None:
    view = ws.plan_for(ws.period("2026"))
    lead = {t.id: set(view.agencies_for(t, Role.LEAD)) for t in view.tasks}
    for press in ("2.2", "3.1", "3.2", "5.2", "6.6", "7.1"):
        assert lead[press] == {"SVHTTDL"}, press
    assert lead["7.2"] == {"SVHTTDL", "CAT"}
    assert lead["5.4"] == {"SKHCN"}
    assert split_warnings(view) == []
    assert all(t.short for t in view.tasks)          # every task has a short name for the report
    # 2024 is untouched: Sở TT&TT leads its tasks
    old = ws.plan_for(ws.period("2024"))
    assert set(old.agencies_for(old.task_by_id["2.2"], Role.LEAD)) == {"STTTT"}


def _delete_reassignment_rows(ws: Workspace, task_ids: set[str]) -> None:
    path = ws.input_dir / "ke-hoach.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[REASSIGNMENTS.sheet]
    for row in range(sheet.max_row, 1, -1):
        if str(sheet.cell(row, 1).value) in task_ids:
            sheet.delete_rows(row)
    book.save(path)


def test_periods_warns_about_a_task_left_to_both_successors(ws: Workspace) -> None:
    _delete_reassignment_rows(ws, {"5.4"})
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "periods"])
    assert result.exit_code == 0, result.output
    assert "Lưu ý (2026): Nhiệm vụ 5.4: đơn vị chủ trì Sở Thông tin và Truyền thông đã chia tách" in result.output
    assert "Lưu ý (2024)" not in result.output
    json_result = CliRunner().invoke(cli, ["-w", str(ws.root), "periods", "--json"])
    assert any("5.4" in w for p in __import__("json").loads(json_result.output) for w in p["warnings"])
    # a command on the period says it too, once, and goes on
    templates = CliRunner().invoke(cli, ["-w", str(ws.root), "templates", "--period", "2026", "-a", "SKHCN"])
    assert templates.exit_code == 0
    assert templates.output.count("Nhiệm vụ 5.4: đơn vị chủ trì") == 1


def test_a_reassignment_naming_an_unknown_task_or_agency_is_a_list_mistake(ws: Workspace) -> None:
    path = ws.input_dir / "ke-hoach.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book[REASSIGNMENTS.sheet]
    sheet.append(["9.9", "SVHTTDL", "", "01/03/2025"])
    sheet.append(["2.2", "SOMOI", "", "01/03/2026"])
    book.save(path)
    with pytest.raises(DataFilesError) as caught:
        load_plan(ws.input_dir)
    codes = {(i.code, i.cell) for i in caught.value.issues}
    rows = sheet.max_row
    assert ("list-unknown-task", f"A{rows - 1}") in codes
    assert ("list-unknown-agency", f"B{rows}") in codes
    # and the second row for 2.2 overlaps the seed's row from 01/03/2025: the dates must not overlap
    assert any(i.code == "list-validity-overlap" for i in caught.value.issues)


def test_lists_without_the_sheet_or_the_short_names_still_load(tmp_path: Path, ws: Workspace) -> None:
    path = ws.input_dir / "ke-hoach.xlsx"
    book = openpyxl.load_workbook(path)
    del book[REASSIGNMENTS.sheet]
    tasks = book["Nhiệm vụ"]
    short = next(c.column for c in tasks[1] if c.value == "Tên ngắn")
    tasks.delete_cols(short)
    book.save(path)
    plan = load_plan(ws.input_dir)
    assert plan.reassignments == () and all(t.short == "" for t in plan.tasks)
    assert plan.task_by_id["2.2"].name == plan.task_by_id["2.2"].text
