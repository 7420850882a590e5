"""The report's body summarises: rates, examples chosen by the data, lagging units named, proposals counted —
and stays 5–10 pages whatever the number of agencies (measured by rendering with LibreOffice)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.config import Config
from planreports.consolidation.frames import consolidate_data
from planreports.findings import Verdict
from planreports.intake.submission import Submission, TaskAnswer
from planreports.ledger import Receipt
from planreports.report.content import Block, assessment, gather, introduction, proposals
from planreports.report.render import render_report
from planreports.report.results import results
from planreports.report.wording import by_theme, first_sentences, grouped, names, rate
from planreports.testing.synthetic import synthetic_answers
from planreports.workspace import Workspace
from tests.libreoffice import convert, needs_libreoffice


def _receipt(ws: Workspace, agency: str, statuses: dict[str, str], figures: dict[str, float],
             result: str = "Đã thực hiện.", proposal: str = "") -> Receipt:
    plan = ws.plan_for(ws.period("2024"))
    answers = [TaskAnswer(a.task.id, a.role, statuses.get(a.task.id, "Hoàn thành"), result, "", proposal)
               for a in plan.assignments(agency)]
    data = Submission(agency, "2024", {}, answers, figures, {}).to_dict()
    when = "2024-12-01T09:00:00+07:00"
    return Receipt(sha256=agency, file_name=f"{agency}.xlsx", source="x", source_kind="file", received_at=when,
                   collected_at=when, agency=agency, period="2024", verdict=Verdict.ACCEPTED, late=False,
                   issues=(), data=data, stored_path="", sender=None, subject=None, message_id=None)


def _body(ws: Workspace, receipts: list[Receipt]) -> str:
    data = consolidate_data(ws.plan_for(ws.period("2024")), ws.period("2024"), receipts)
    config: Config = ws.config_for(ws.period("2024"))
    facts = gather(data, config)
    blocks: list[Block] = [*introduction(facts), *results(facts), *assessment(facts), *proposals(facts)]
    return "\n".join(b.text for b in blocks)


@pytest.fixture
def small(ws: Workspace) -> str:
    """Four units report: three finished task 1.2, one has not started it; their figures differ."""
    receipts = [
        _receipt(ws, "STP", {}, {"HN_SO": 5}, proposal="Đề nghị bố trí kinh phí riêng."),
        _receipt(ws, "SNV", {}, {"HN_SO": 9}, proposal="đề nghị bố trí kinh phí riêng"),
        _receipt(ws, "STC", {}, {"HN_SO": 2}),
        _receipt(ws, "SYT", {"1.2": "Chưa thực hiện"}, {"HN_SO": 7}),
    ]
    return _body(ws, receipts)


def test_a_rate_of_the_lead_units(ws: Workspace, small: str) -> None:
    leads = len(ws.plan_for(ws.period("2024")).agencies_for(ws.plan.task_by_id["1.2"], "Chủ trì"))
    assert f"3/{leads} đơn vị chủ trì đã hoàn thành, đạt {rate(3, leads, 'x').split('đạt ')[1]}" in small


def test_examples_are_chosen_by_their_figure(small: str) -> None:
    assert ("có hội nghị phổ biến, quán triệt về truyền thông chính sách đã tổ chức nhiều nhất: Sở Nội vụ (9 hội "
            "nghị), Sở Y tế (7 hội nghị), Sở Tư pháp (5 hội nghị).") in small


def test_lagging_units_are_named(small: str) -> None:
    assert "1 đơn vị chưa thực hiện (Sở Y tế)" in small
    assert "chưa gửi báo cáo hoặc báo cáo chưa đạt yêu cầu: " in small and "và 25 đơn vị khác" in small


def test_proposals_are_grouped_with_their_count(small: str) -> None:
    assert "- Đề nghị bố trí kinh phí riêng (2 đơn vị đề xuất)." in small


def test_a_single_leads_result_keeps_its_first_sentences(ws: Workspace) -> None:
    long = "Tổ chức 02 hội nghị. Cho 300 cán bộ. Phát 500 tài liệu. In 20 pa-nô."
    body = _body(ws, [_receipt(ws, "STP", {}, {}, result=long)])
    assert "Sở Tư pháp: Tổ chức 02 hội nghị. Cho 300 cán bộ…" in body and "pa-nô" not in body


def test_wording_helpers() -> None:
    assert rate(25, 30, "đơn vị chủ trì đã hoàn thành") == "25/30 đơn vị chủ trì đã hoàn thành, đạt 83,3%"
    assert names([f"Xã {n}" for n in range(8)]) == "Xã 0, Xã 1, Xã 2, Xã 3, Xã 4 và 3 đơn vị khác"
    assert first_sentences("Một. Hai. Ba.") == "Một. Hai…"
    assert grouped(["A b.", "a B", "c"], lambda t: t, lambda t: t) [0][1] == ["A b.", "a B"]
    themes = by_theme([("X", "Thiếu kinh phí."), ("Y", "Kinh phí ít"), ("Z", "Cán bộ kiêm nhiệm"), ("W", "Mưa")])
    assert themes == [("Kinh phí", 2, "Thiếu kinh phí."), ("Nhân lực, cán bộ", 1, "Cán bộ kiêm nhiệm"),
                      ("Khác", 1, "Mưa")]


# ---------------------------------------------------------------- the length a leader signs

def _signature_page(docx: Path, out: Path) -> int:
    pdf = convert(docx, "pdf", out)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    return next(n for n, page in enumerate(text.split("\f"), start=1) if "Nơi nhận:" in page)


@needs_libreoffice
def test_the_examples_body_is_at_most_ten_pages(example: Workspace, tmp_path: Path) -> None:
    ws = example
    for period in ("2024", "2026"):
        CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--period", period])
        assert _signature_page(ws.report_path(ws.period(period)), tmp_path / period) <= 10, period


def _synthetic_receipts(ws: Workspace, period: str) -> list[Receipt]:
    """Every reporting unit answers, as the example's generator would have it (no files: straight to receipts)."""
    plan = ws.plan_for(ws.period(period))
    out = []
    for agency in plan.reporting_agencies:
        answers = synthetic_answers(plan, agency, int(period[:4]), seed=7)
        roles = {a.task.id: a.role for a in plan.assignments(agency.code)}
        tasks = [TaskAnswer(task_id, roles[task_id], values["status"] or "", values["result"] or "",
                            values["difficulty"] or "", values["proposal"] or "")
                 for task_id, values in answers.tasks.items()]
        figures = {code: float(v) for code, v in answers.figures.items()}
        data = Submission(agency.code, period, {}, tasks, figures, {}).to_dict()
        when = f"{period[:4]}-11-20T09:00:00+07:00"
        out.append(Receipt(sha256=agency.code, file_name="f.xlsx", source="x", source_kind="file", received_at=when,
                           collected_at=when, agency=agency.code, period=period, verdict=Verdict.ACCEPTED,
                           late=False, issues=(), data=data, stored_path="", sender=None, subject=None,
                           message_id=None))
    return out


@needs_libreoffice
def test_the_body_stays_short_for_a_larger_province(ws: Workspace, tmp_path: Path) -> None:
    """150 reporting units (the seed's 110 and 40 more communes): the body is still at most 12 pages."""
    path = ws.input_dir / "don-vi.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Đơn vị"]
    columns = {c.value: c.column for c in sheet[1]}
    for n in range(40):
        sheet.append([f"XTHEM{n:02d}", f"Ủy ban nhân dân xã Thêm Số {n}", f"UBND xã Thêm {n}", "xa-phuong", "", "Có"])
        sheet.cell(sheet.max_row, columns["Hiệu lực từ"]).value = "01/07/2025"
    book.save(path)
    ws = Workspace(ws.root)
    period = ws.period("2026")
    assert len(ws.plan_for(period).reporting_agencies) == 150
    data = consolidate_data(ws.plan_for(period), period, _synthetic_receipts(ws, "2026"))
    out = render_report(ws.report_template, data, ws.config_for(period), tmp_path / "bao-cao.docx")
    assert _signature_page(out, tmp_path) <= 12
