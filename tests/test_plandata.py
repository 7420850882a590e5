"""The plan's lists: the seed matches Kế hoạch 129/KH-UBND, groups resolve, edited mistakes are located."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from planreports.errors import DataFilesError
from planreports.plan.deadlines import Rhythm
from planreports.plan.lists import load_plan
from planreports.plan.model import Role
from planreports.workspace import Workspace

# Hand-copied from the plan (section II): task id -> (lead agency codes, deadline text).
PLAN_TASKS = {
    "1.1": ({"STP"}, "Năm 2023 – 2024"),
    "1.2": ({"SBN", "HUYEN"}, "Thường xuyên"),
    "2.1": ({"STP"}, "Thường xuyên"),
    "2.2": ({"STTTT"}, "Thường xuyên"),
    "2.3": ({"STP"}, "Trong năm 2023"),
    "2.4": ({"STTTT"}, "Thường xuyên"),
    "3.1": ({"STTTT"}, "Thường xuyên"),
    "3.2": ({"STTTT"}, "Thường xuyên"),
    "4.1": ({"SBN", "HUYEN"}, "Thường xuyên"),
    "4.2": ({"SBN", "HUYEN"}, "Thường xuyên"),
    "4.3": ({"SBN", "HUYEN"}, "Thường xuyên"),
    "5.1": ({"SBN", "HUYEN"}, "Hằng năm và đột xuất (khi có yêu cầu)"),
    "5.2": ({"STTTT"}, "Hằng năm"),
    "5.3": ({"SBN", "HUYEN", "STTTT"}, "Hằng năm"),
    "5.4": ({"STTTT"}, "Thường xuyên"),
    "5.5": ({"SNGV"}, "Thường xuyên"),
    "6.1": ({"SNV"}, "Hoàn thành trước tháng 12/2024"),
    "6.2": ({"SBN", "HUYEN"}, "Hoàn thành trước tháng 12/2024"),
    "6.3": ({"SNV"}, "Hoàn thành trước tháng 6/2024"),
    "6.5": ({"STC"}, "Thực hiện theo kế hoạch xây dựng dự toán hằng năm của các cơ quan, đơn vị"),
    "6.6": ({"STTTT"}, "Hằng năm"),
    "7.1": ({"STTTT"}, "Thường xuyên"),
    "7.2": ({"STTTT", "CAT"}, "Thường xuyên"),
    "7.3": ({"BAOCHI"}, "Thường xuyên"),
}


def test_seed_tasks_match_the_plan(ws: Workspace) -> None:
    plan = ws.plan
    assert [t.id for t in plan.tasks] == list(PLAN_TASKS)
    assert "6.4" not in plan.task_by_id  # the plan skips 6.4; we keep its numbering
    for task in plan.tasks:
        leads, deadline = PLAN_TASKS[task.id]
        assert set(task.lead_codes) == leads, task.id
        assert task.deadline.text == deadline, task.id
    assert [g.id for g in plan.task_groups] == [str(n) for n in range(1, 8)]
    assert {t.group for t in plan.tasks} == {g.id for g in plan.task_groups}


def test_seed_text_has_restored_diacritics(ws: Workspace) -> None:
    plan = ws.plan
    assert plan.task_by_id["7.2"].text.startswith("Phối hợp với các cơ quan, đơn vị thuộc Bộ Thông tin và "
                                                  "Truyền thông thường xuyên kiểm tra")
    assert plan.task_groups[2].title == ("Công tác chỉ đạo, định hướng, cung cấp thông tin, quản lý thông tin "
                                         "báo chí và mạng xã hội")
    assert plan.task_by_id["1.2"].form.startswith("Sinh hoạt, phổ biến chuyên đề")


def test_deadlines_are_structured(ws: Workspace) -> None:
    tasks = ws.plan.task_by_id
    assert tasks["1.2"].deadline.rhythm is Rhythm.CONTINUOUS
    assert tasks["5.1"].deadline.rhythm is Rhythm.ANNUAL_ADHOC
    assert tasks["6.5"].deadline.rhythm is Rhythm.ANNUAL
    assert tasks["2.3"].deadline.due == date(2023, 12, 31)
    assert tasks["1.1"].deadline.start == date(2023, 1, 1)
    assert tasks["1.1"].deadline.due == date(2024, 12, 31)
    assert tasks["6.3"].deadline.due == date(2024, 5, 31)
    assert tasks["6.1"].deadline.due == date(2024, 11, 30)


def test_registry_has_the_agencies_the_plan_names(ws: Workspace) -> None:
    plan = ws.plan_for(ws.period("2024"))
    kinds = {}
    for agency in plan.reporting_agencies:
        kinds.setdefault(agency.kind, []).append(agency.code)
    assert len(kinds["huyen"]) == 9
    assert set(kinds["bao-chi"]) == {"BTN", "PTTH", "TCVN", "TTTT"}
    assert {"STP", "STTTT", "SNV", "STC", "SNGV", "VPUBND"} <= set(kinds["so-nganh"])
    assert kinds["cong-an"] == ["CAT"]
    assert not plan.agency_by_code["BTTTT"].reports  # a ministry is named in the plan but does not report


def test_groups_resolve_to_agencies(ws: Workspace) -> None:
    plan = ws.plan_for(ws.period("2024"))
    assert plan.resolve("HUYEN") == {"TPTN", "TPSC", "TPPY", "HDT", "HDH", "HPL", "HDHY", "HVN", "HPB"}
    assert "CAT" in plan.resolve("SBN") and "TPTN" not in plan.resolve("SBN")
    assert plan.resolve("LIENQUAN") == frozenset()


@pytest.mark.parametrize(("agency", "lead", "support", "absent"), [
    ("STP", {"1.1", "2.1", "2.3", "1.2"}, {"2.4", "6.6"}, {"3.1", "7.3", "5.5"}),
    ("BTN", {"7.3"}, {"2.2", "3.1", "4.3", "5.3"}, {"1.1", "1.2", "6.2"}),
    ("SNGV", {"5.5", "1.2"}, {"1.1"}, {"7.3"}),
    ("CAT", {"7.2", "1.2"}, {"3.2"}, {"7.3"}),
    ("HVN", {"1.2", "4.1", "6.2"}, {"1.1", "6.1"}, {"3.1", "5.5", "7.2"}),
    ("STTTT", {"2.2", "5.4", "7.1", "1.2"}, {"1.1", "7.3", "6.3"}, set()),
])
def test_each_agency_gets_exactly_its_tasks(ws: Workspace, agency: str, lead: set[str], support: set[str],
                                            absent: set[str]) -> None:
    roles = {a.task.id: a.role for a in ws.plan_for(ws.period("2024")).assignments(agency)}
    assert all(roles.get(t) == Role.LEAD for t in lead)
    assert all(roles.get(t) == Role.SUPPORT for t in support)
    assert not absent & roles.keys()


def _edit(ws: Workspace, file: str, sheet: str, cell: str, value: str | None) -> None:
    path = ws.input_dir / file
    book = openpyxl.load_workbook(path)
    book[sheet][cell] = value
    book.save(path)


def _load_errors(ws: Workspace) -> list:
    with pytest.raises(DataFilesError) as info:
        load_plan(ws.input_dir)
    return info.value.issues


def test_unknown_agency_code_in_a_task_is_located(ws: Workspace) -> None:
    _edit(ws, "ke-hoach.xlsx", "Nhiệm vụ", "F2", "STP; SO_MA")          # column F: "Mã chủ trì"
    (issue,) = _load_errors(ws)
    assert (issue.code, issue.file, issue.sheet, issue.cell) == (
        "list-unknown-agency", "input/ke-hoach.xlsx", "Nhiệm vụ", "F2")
    assert "SO_MA" in issue.message


def test_several_mistakes_are_all_reported(ws: Workspace) -> None:
    _edit(ws, "don-vi.xlsx", "Đơn vị", "A3", "VPUBND")          # duplicate code
    _edit(ws, "ke-hoach.xlsx", "Nhiệm vụ", "F3", None)           # task with no lead
    _edit(ws, "ke-hoach.xlsx", "Nhiệm vụ", "J4", "sớm nhất có thể")  # deadline not understood
    issues = {(i.code, i.cell) for i in _load_errors(ws)}
    assert ("list-duplicate-code", "A3") in issues
    assert ("list-task-no-lead", "F3") in issues
    assert ("list-bad-deadline", "J4") in issues


def test_missing_column_and_file(ws: Workspace) -> None:
    _edit(ws, "chi-tieu.xlsx", "Chỉ tiêu", "C1", "Đơn vị")
    (ws.input_dir / "don-vi.xlsx").unlink()
    codes = {i.code for i in _load_errors(ws)}
    assert codes >= {"list-column-missing", "list-file-missing"}


def test_repository_example_workspace_matches_the_seed(ws: Workspace) -> None:
    """The repository is itself a workspace: its input/ lists are the seed, as `init` writes them."""
    repo_input = Path(__file__).resolve().parents[1] / "input"
    assert load_plan(repo_input) == ws.plan
