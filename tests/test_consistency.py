"""A unit's result text against its own figures: a warning with both cells, never a rejection."""

from __future__ import annotations

from pathlib import Path

from planreports.findings import Verdict
from planreports.intake.consistency import mentions
from planreports.intake.validate import Rules, validate_bytes
from planreports.workspace import Workspace
from tests.test_validate import task_row


def _check(ws: Workspace, path: Path):  # type: ignore[no-untyped-def]
    return validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, "2024"))


def test_a_number_above_the_figure_is_a_warning_naming_both_cells(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    def change(answers) -> None:  # type: ignore[no-untyped-def]
        answers.tasks["1.1"]["result"] = "Tổ chức 1 hội nghị phổ biến Chỉ thị cho 350 lượt cán bộ, công chức."
        answers.figures["HN_NGUOI"] = 154
        answers.figures["TH_HOCVIEN"] = 120

    path = fill("STP", change)
    result = _check(ws, path)
    assert result.verdict is Verdict.WARNING                 # text is free: never a rejection
    (issue,) = [i for i in result.issues if i.code == "text-exceeds-figure"]
    assert (issue.sheet, issue.cell) == ("Nhiệm vụ", f"F{task_row(path, '1.1')}")
    assert "“350 lượt”" in issue.message and "“Lượt người tham dự hội nghị” là 154" in issue.message
    assert "sheet “Số liệu”, ô D4" in issue.message            # HN_NGUOI is the third indicator: row 4


def test_numbers_within_the_figures_say_nothing(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    def change(answers) -> None:  # type: ignore[no-untyped-def]
        answers.tasks["1.1"]["result"] = ("Tổ chức 2 hội nghị cho 150 lượt cán bộ; dự toán 120 triệu đồng; "
                                          "theo Nghị định 09/2017 ngày 12 tháng 3.")
        answers.figures.update({"HN_SO": 2, "HN_NGUOI": 154, "KINH_PHI": 15})

    assert "text-exceeds-figure" not in {i.code for i in _check(ws, fill("STP", change)).issues}


def test_a_unit_shared_by_indicators_is_compared_with_the_largest(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    def change(answers) -> None:  # type: ignore[no-untyped-def]
        answers.tasks["1.1"]["result"] = "Tập huấn cho 300 lượt học viên."
        answers.figures.update({"HN_NGUOI": 50, "TH_HOCVIEN": 320})

    assert "text-exceeds-figure" not in {i.code for i in _check(ws, fill("STP", change)).issues}


def test_mentions_read_vietnamese_numbers_and_units(ws: Workspace) -> None:
    found = mentions("Đăng 1.200 tin, bài; 45 bài trên Fanpage; 3 tin giả; năm 2024; 07/CT-TTg", ws.plan.indicators)
    assert [(m.number, m.quoted) for m in found] == [(1200, "1.200 tin, bài"), (45, "45 bài"), (3, "3 tin")]
    assert set(found[0].codes) == {"TIN_BAI", "CONG_TTDT"}
