"""A flood of one finding is summarised where findings are collected: 20 listed, then one findings-truncated
saying how many more, the same in every output (the result, --json, the terminal, the ledger, the feedback mail)."""

from __future__ import annotations

import email
import email.policy
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from planreports.cli import cli
from planreports.findings import MAX_PER_CODE, Findings, IssueCode
from planreports.intake.validate import Rules, validate_bytes
from planreports.ledger import Ledger
from planreports.workspace import Workspace
from tests.conftest import ON_TIME, filled_on

EXTRA = 300
SUMMARY = (f"Còn {EXTRA - MAX_PER_CODE} phát hiện cùng loại “indicator-extra-row” không liệt kê; sửa các lỗi trên rồi "
           "kiểm tra lại toàn bộ tệp.")


def with_stray_rows(path: Path, count: int = EXTRA) -> Path:
    """The agency pasted `count` rows of its own below the indicators of “Số liệu”."""
    book = openpyxl.load_workbook(path)
    for n in range(count):
        book["Số liệu"].append([f"RIENG_{n}", f"Số liệu riêng {n}", "lần", n])
    book.save(path)
    return filled_on(path, ON_TIME)


def codes(issues: list[dict]) -> list[str]:  # type: ignore[type-arg]
    return [i["code"] for i in issues]


def test_the_collector_lists_twenty_then_counts() -> None:
    findings = Findings("f.xlsx")
    for row in range(2, 2 + 25):
        findings.add(IssueCode.INDICATOR_EXTRA_ROW, "Số liệu", f"A{row}", row=row, code=f"X{row}")
    findings.add(IssueCode.VALUE_MISSING, "Số liệu", "D3", code="HN_SO", name="Hội nghị")
    findings.add(IssueCode.INDICATOR_EXTRA_ROW, "Nhiệm vụ", "A9", row=9, code="Y")
    assert [i.code for i in findings.issues] == [IssueCode.INDICATOR_EXTRA_ROW] * 20 + [
        IssueCode.FINDINGS_TRUNCATED, IssueCode.VALUE_MISSING]
    summary = findings.issues[20]
    assert summary.message.startswith("Còn 6 phát hiện cùng loại “indicator-extra-row” không liệt kê")
    assert summary.severity == "warning" and summary.sheet == "" and summary.file == "f.xlsx"


def test_hundreds_of_stray_rows_are_summarised_in_every_output(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = with_stray_rows(fill("STP"))
    result = validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, "2024"))
    listed = [i for i in result.issues if i.code is IssueCode.INDICATOR_EXTRA_ROW]
    (summary,) = [i for i in result.issues if i.code is IssueCode.FINDINGS_TRUNCATED]
    assert len(listed) == MAX_PER_CODE and result.verdict == "warning"
    assert summary.message == SUMMARY and summary.sheet == "Số liệu"

    runner = CliRunner()
    checked = runner.invoke(cli, ["-w", str(ws.root), "check", str(path), "--period", "2024", "--json"])
    (item,) = json.loads(checked.output)
    assert codes(item["issues"]).count("indicator-extra-row") == MAX_PER_CODE
    assert [i["message"] for i in item["issues"] if i["code"] == "findings-truncated"] == [SUMMARY]

    collected = runner.invoke(cli, ["-w", str(ws.root), "collect", str(path), "--period", "2024", "-v"])
    assert collected.exit_code == 0, collected.output
    assert collected.output.count("(indicator-extra-row)") == MAX_PER_CODE
    assert f"sheet “Số liệu”: {SUMMARY} (findings-truncated)" in collected.output

    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert [i.code for i in receipt.issues].count(IssueCode.INDICATOR_EXTRA_ROW) == MAX_PER_CODE
    assert [i.message for i in receipt.issues if i.code is IssueCode.FINDINGS_TRUNCATED] == [SUMMARY]

    assert runner.invoke(cli, ["-w", str(ws.root), "notify", "--period", "2024"]).exit_code == 0
    mail = email.message_from_bytes((ws.output_dir / "2024" / "phan-hoi" / "STP.eml").read_bytes(),
                                    policy=email.policy.default)
    body = mail.get_body().get_content()  # type: ignore[attr-defined]
    assert SUMMARY in body and body.count("không phải chỉ tiêu của biểu mẫu") == MAX_PER_CODE
