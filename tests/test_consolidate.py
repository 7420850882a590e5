"""Consolidation rules on plain data, and the consolidated workbook / summary.json on disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from planreports.cli import cli
from planreports.consolidation.frames import consolidate_data
from planreports.findings import Verdict
from planreports.intake.submission import Submission, TaskAnswer
from planreports.ledger import Receipt
from planreports.plan.model import Role
from planreports.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]


def receipt(ws: Workspace, agency: str, statuses: dict[str, str] | None = None, figures: dict | None = None,
            verdict: str = "accepted", late: bool = False, when: str = "2024-12-01T09:00:00+07:00",
            result: str = "Đã thực hiện.") -> Receipt:
    statuses = statuses or {}
    answers = [TaskAnswer(a.task.id, a.role, statuses.get(a.task.id, "Hoàn thành"), result, "", "")
               for a in ws.plan_for(ws.period("2024")).assignments(agency)]
    sub = Submission(agency, "2024", {}, answers, figures or {"HN_SO": 2.0}, {})
    return Receipt(sha256=agency + when, file_name=f"{agency}.xlsx", source="x", source_kind="file", received_at=when,
                   collected_at=when, agency=agency, period="2024", verdict=Verdict(verdict), late=late, issues=(),
                   data=sub.to_dict() if verdict != "rejected" else None, stored_path="", sender=None, subject=None,
                   message_id=None)


def test_overall_status_rules(ws: Workspace) -> None:
    view = ws.plan_for(ws.period("2024"))
    leads_12 = view.agencies_for(view.task_by_id["1.2"], Role.LEAD)
    receipts = [receipt(ws, code) for code in leads_12]                       # every lead of 1.2 done
    receipts.append(receipt(ws, "SNV", {"6.3": "Đang thực hiện", "6.1": "Đang thực hiện"}))
    receipts.append(receipt(ws, "STTTT", {"5.4": "Chưa thực hiện", "2.2": "Không phát sinh"}))
    data = consolidate_data(ws.plan_for(ws.period("2024")), ws.period("2024"), receipts)
    overall = dict(zip(data.tasks["task_id"], data.tasks["overall"], strict=True))
    assert overall["1.2"] == "done"
    assert overall["6.3"] == "overdue"           # due 31/05/2024, inside the period, not done
    assert overall["5.4"] == "not_started"
    assert overall["2.2"] == "not_applicable"
    assert overall["7.3"] == "no_report"         # no press agency (its leads) reported
    # due "Trong năm 2023", first reported done in the 2024 report: done, but late (not "đúng hạn")
    assert overall["2.3"] == "done_late"


def test_partial_leads_are_in_progress(ws: Workspace) -> None:
    data = consolidate_data(ws.plan_for(ws.period("2024")), ws.period("2024"), [receipt(ws, "STP"), receipt(ws, "SNV")])
    row = data.tasks.set_index("task_id").loc["1.2"]
    assert row["overall"] == "in_progress" and row["done"] == 2 and row["no_report"] == row["leads"] - 2


def test_latest_accepted_supersedes_and_rejected_is_not_counted(ws: Workspace) -> None:
    receipts = [receipt(ws, "STP", figures={"HN_SO": 1.0}, when="2024-12-01T08:00:00+07:00"),
                receipt(ws, "STP", figures={"HN_SO": 5.0}, when="2024-12-03T08:00:00+07:00"),
                receipt(ws, "SNV", verdict="rejected"),
                receipt(ws, "BTN", figures={"HN_SO": 4.0, "KINH_PHI": 12.5}, late=True)]
    summary = consolidate_data(ws.plan_for(ws.period("2024")), ws.period("2024"), receipts).summary()
    assert summary["indicators"]["HN_SO"] == 9 and summary["indicators"]["KINH_PHI"] == 12.5
    assert summary["agencies_reported"] == ["STP", "BTN"]
    assert summary["agencies_late"] == ["BTN"] and summary["agencies_rejected"] == ["SNV"]
    assert "SNV" in summary["agencies_missing"] and "HVN" in summary["agencies_missing"]
    assert len(summary["agencies_expected"]) == 34


def test_totals_per_bloc(ws: Workspace) -> None:
    receipts = [receipt(ws, "STP", figures={"TIN_BAI": 10.0}), receipt(ws, "HDT", figures={"TIN_BAI": 7.0}),
                receipt(ws, "BTN", figures={"TIN_BAI": 300.0})]
    data = consolidate_data(ws.plan_for(ws.period("2024")), ws.period("2024"), receipts)
    totals = data.totals.set_index("code").loc["TIN_BAI"]
    assert (totals["total"], totals["bloc:Sở, ngành"], totals["bloc:Địa phương"], totals["bloc:Báo chí"]) == (
        317.0, 10.0, 7.0, 300.0)


def example_workspace(ws: Workspace) -> Workspace:
    shutil.copytree(REPO / "input" / "inbox", ws.inbox, dirs_exist_ok=True)
    CliRunner().invoke(cli, ["-w", str(ws.root), "collect", "--period", "2024"])
    return ws


def test_consolidate_writes_workbook_and_summary(ws: Workspace) -> None:
    example_workspace(ws)
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "consolidate", "--period", "2024"])
    assert result.exit_code == 0, result.output
    summary = json.loads((ws.output_dir / "2024" / "summary.json").read_text(encoding="utf-8"))
    assert set(summary) >= {"period", "agencies_expected", "agencies_reported", "agencies_missing", "tasks",
                            "indicators"}
    assert summary["period"] == "2024"
    assert set(summary["agencies_missing"]) == {"HVN", "SGTVT"}      # missing, and rejected for a bad cell
    assert summary["agencies_late"] == ["HPB"] and "SYT" in summary["agencies_reported"]
    assert {t["id"] for t in summary["tasks"]} == {t.id for t in ws.plan.tasks}
    book = openpyxl.load_workbook(ws.output_dir / "2024" / "tong-hop-2024.xlsx")
    assert book.sheetnames == ["Tổng hợp nhiệm vụ", "Chi tiết đơn vị", "Số liệu", "Tổng số liệu", "Tình hình nộp",
                               "So sánh", "So sánh đơn vị", "Biểu đồ"]
    for sheet in book.worksheets[:-1]:          # the tables; "Biểu đồ" is charts and small tables (test_charts.py)
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    totals = {r[0]: r[3] for r in book["Tổng số liệu"].iter_rows(min_row=2, values_only=True)}
    assert totals == summary["indicators"]


def test_agency_text_never_becomes_a_formula(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    nasty = ["=HYPERLINK(\"http://x\",\"bấm\")", "+84 208 3855", "-1+2", "@SUM(A1)", "\t=1+1"]

    def change(answers) -> None:  # type: ignore[no-untyped-def]
        for task_id, text in zip(list(answers.tasks)[:5], nasty, strict=True):
            answers.tasks[task_id]["result"] = text

    path = fill("STP", change)
    # openpyxl would store "=..." as a formula: write those cells as explicit strings, as Excel does for '=...
    book = openpyxl.load_workbook(path)
    for row in book["Nhiệm vụ"].iter_rows(min_row=2):
        if isinstance(row[5].value, str) and row[5].value.startswith("="):
            row[5].data_type = "s"
    book.save(path)
    runner = CliRunner()
    runner.invoke(cli, ["-w", str(ws.root), "collect", str(path), "--period", "2024"])
    assert runner.invoke(cli, ["-w", str(ws.root), "consolidate", "--period", "2024"]).exit_code == 0
    sheet = openpyxl.load_workbook(ws.output_dir / "2024" / "tong-hop-2024.xlsx")["Chi tiết đơn vị"]
    cells = [row[6] for row in sheet.iter_rows(min_row=2) if row[1].value == "STP"]
    found = {c.value: c.data_type for c in cells if c.value}
    for text in nasty:
        assert found[text.strip()] == "s", text


def test_run_exits_1_when_a_collected_file_is_rejected(ws: Workspace) -> None:
    shutil.copytree(REPO / "input" / "inbox", ws.inbox, dirs_exist_ok=True)
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--period", "2024"])
    assert result.exit_code == 1, result.output                      # Sở GTVT's file is rejected, as collect says
    assert "Báo cáo CT07 năm 2024 - Sở GTVT.xlsx (Không đạt)" in result.output
    assert (ws.output_dir / "2024" / "bao-cao-2024.docx").exists()   # the report is written all the same
    again = CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--period", "2024"])
    assert again.exit_code == 1, again.output                        # Sở GTVT has still sent nothing better:
    assert "(Trùng — lần nhận trước: Không đạt, đơn vị SGTVT)" in again.output   # its findings are recalled


def test_run_exit_code_of_the_program(ws: Workspace) -> None:
    import subprocess
    import sys

    def run_job() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "planreports", "-w", str(ws.root), "run", "--period", "2024"],
                              capture_output=True, text=True, encoding="utf-8", check=False)

    ws.inbox.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "input" / "inbox" / "2024" / "stp.eml", ws.inbox)
    accepted = run_job()
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    shutil.copy(REPO / "input" / "inbox" / "2024" / "sgtvt.eml", ws.inbox)
    rejected = run_job()
    assert rejected.returncode == 1, rejected.stdout + rejected.stderr
    assert "Không đạt" in rejected.stdout and "Traceback" not in rejected.stderr
