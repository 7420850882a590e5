"""Regenerate the example submissions of a period in input/inbox/<P>/ from the real templates of that period.

Synthetic data, marked as such in every form's "Thông tin" sheet. Most agencies answer on time by e-mail
(.eml files, as saved from a mail client); each period has the same kinds of realistic problems built in:

2024 (the province before the 2025 reorganization, 34 units)
    HVN     never answers (missing)                 HPB    answers after the deadline (late)
    SGTVT   types "khoảng 200" into a number cell   SYT    sends a status left empty, then a corrected form
    BDT     one answer typed with a TCVN3 font      TPSC   types statuses without diacritics ("hoan thanh")
2025 (the reorganized province, a quiet round to compare with): P05899 never answers, X05953 answers late
2026 (the reorganized province: departments, communes and wards, 110 units)
    X05716  never answers (missing)                 X05908 answers after the deadline (late)
    SXD     types "khoảng 200" into a number cell   SGDDT  sends a status left empty, then a corrected form
    X05611  one answer typed with a TCVN3 font      HPB    the abolished district of Phú Bình sends a form
                                                           for 2026 (refused: it no longer exists)

    python scripts/make_examples.py 2026 [WORKSPACE]      (make the earlier periods first: 2025, then 2026)
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import openpyxl

from planreports.form import schema
from planreports.form.batch import generate_templates
from planreports.intake.collect import collect
from planreports.pipeline import earlier_inboxes
from planreports.plan.model import Agency, Plan, Role
from planreports.plan.periods import Period
from planreports.testing.filling import Answers, fill_template
from planreports.testing.synthetic import synthetic_answers
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace

XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEGACY_TEXT = "§· tæ chøc 02 héi nghÞ phæ biÕn ChØ thÞ sè 07/CT-TTg cho 150 c¸n bé."


@dataclass(frozen=True)
class Scenario:
    first_mail: datetime        # the first agency's mail; the others follow every few hours
    step_hours: int
    late_at: datetime
    missing: str = ""
    late: str = ""
    bad_cell: str = ""
    resubmit: str = ""
    legacy: str = ""
    handtyped: str = ""
    ended: str = ""             # an agency that no longer exists sends a form anyway


SCENARIOS = {
    "2024": Scenario(datetime(2024, 11, 25, 8, 30, tzinfo=VN_TZ), 7, datetime(2024, 12, 13, 16, 45, tzinfo=VN_TZ),
                     "HVN", "HPB", "SGTVT", "SYT", "BDT", handtyped="TPSC"),
    # a quiet year, there to be compared with: two units never answer
    "2025": Scenario(datetime(2025, 11, 3, 8, 0, tzinfo=VN_TZ), 4, datetime(2025, 12, 1, 9, 0, tzinfo=VN_TZ),
                     "P05899", "X05953"),
    "2026": Scenario(datetime(2026, 11, 2, 7, 45, tzinfo=VN_TZ), 4, datetime(2026, 11, 24, 15, 10, tzinfo=VN_TZ),
                     "X05716", "X05908", "SXD", "SGDDT", "X05611", ended="HPB"),
}


def _sender(agency: Agency) -> str:
    address = agency.email or f"{agency.code.lower()}@example.thainguyen.gov.vn"   # communes: no address yet
    return f"{agency.short} <{address}>"


def _message(agency: Agency, period: Period, to: str, sent: datetime, attachment: bytes, version: int = 1) -> bytes:
    message = EmailMessage()
    message["From"] = _sender(agency)
    message["To"] = to
    message["Subject"] = f"Báo cáo kết quả thực hiện Chỉ thị 07/CT-TTg {period.label} - {agency.short}"
    message["Date"] = sent.strftime("%a, %d %b %Y %H:%M:%S +0700")
    message["Message-ID"] = f"<ct07-{period.id}-{agency.code.lower()}-{version}@thainguyen.gov.vn>"
    message.set_content(f"Kính gửi cơ quan tổng hợp,\n\n{agency.name} gửi biểu mẫu báo cáo kết quả thực hiện Kế "
                        f"hoạch số 129/KH-UBND {period.label} (đính kèm). Dữ liệu mẫu (giả lập).\n\nTrân trọng.\n")
    name = f"Báo cáo CT07 {period.label} - {agency.short}.xlsx"
    message.add_attachment(attachment, maintype="application", subtype=XLSX, filename=name)
    return bytes(message)


def _quirks(code: str, answers: Answers, scenario: Scenario) -> None:
    first_lead = next(iter(answers.tasks))
    if code == scenario.bad_cell:
        answers.figures["HN_NGUOI"] = "khoảng 200"
    if code == scenario.legacy:
        answers.tasks[first_lead]["result"] = LEGACY_TEXT
        answers.tasks[first_lead]["status"] = "Hoàn thành"
        # the figures hold what the text tells: 2 conferences for 150 people (the checker compares them)
        for code, least in (("HN_SO", 2), ("HN_NGUOI", 150)):
            answers.figures[code] = max(int(answers.figures.get(code) or 0), least)
    if code == scenario.handtyped:
        for values in answers.tasks.values():
            if values["status"] == "Hoàn thành":
                values["status"] = "hoan thanh"


def _broken(answers: Answers, plan: Plan, code: str) -> Answers:
    """A first version with a lead task's status left empty (rejected), before the corrected one."""
    broken = Answers({k: dict(v) for k, v in answers.tasks.items()}, answers.figures, answers.notes, answers.info)
    lead = next(a for a in plan.assignments(code) if a.role is Role.LEAD).task.id
    broken.tasks[lead]["status"] = None
    return broken


def _ended_form(ws: Workspace, code: str, period: Period, tmp: Path) -> bytes:
    """An ended agency's own copy of its old form (the hidden signature lost in copying), marked for `period`."""
    last_day = ws.plan.agency_by_code[code].valid.end or period.end
    # the last annual period that ended while the agency still existed
    year = last_day.year if (last_day.month, last_day.day) >= (12, 14) else last_day.year - 1
    earlier = Workspace(tmp / "cu")
    earlier.__dict__.update(plan=ws.plan, config=ws.config)
    (template,) = generate_templates(earlier, ws.period(str(year)), [code])
    book = openpyxl.load_workbook(template)
    del book[schema.SHEET_META]
    info = book[schema.SHEET_INFO]
    for row in range(1, info.max_row + 1):
        if info.cell(row, 1).value == "Kỳ báo cáo":
            info.cell(row, 2).value = period.id
    path = tmp / f"{code}-{period.id}.xlsx"
    book.save(path)
    return path.read_bytes()


def main(period_id: str, root: Path) -> None:
    ws = Workspace(root)
    period, scenario = ws.period(period_id), SCENARIOS[period_id]
    plan, config = ws.plan_for(period), ws.config_for(period)
    coordinator = plan.agency_by_code[config.coordinator]
    to = f"{coordinator.name} <{coordinator.email or config.mail.from_address}>"
    inbox = ws.inbox / period.id
    inbox.mkdir(parents=True, exist_ok=True)
    for old in inbox.glob("*.eml"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        work = Workspace(Path(tmp))
        work.__dict__.update(plan=ws.plan, config=ws.config)  # same lists and config, scratch output folder
        for earlier, folder in earlier_inboxes(ws, period):   # templates know what earlier rounds finished
            collect(work, [folder], earlier)
        templates = {p.stem: p for p in generate_templates(work, period)}
        for number, agency in enumerate(plan.reporting_agencies):
            if agency.code == scenario.missing:
                continue
            answers = synthetic_answers(plan, agency, period.year, seed=period.year)
            _quirks(agency.code, answers, scenario)
            sent = scenario.first_mail + timedelta(hours=scenario.step_hours * number)
            sent = scenario.late_at if agency.code == scenario.late else sent
            filled = fill_template(templates[agency.code], answers, Path(tmp) / f"{agency.code}.xlsx")
            if agency.code == scenario.resubmit:
                first = fill_template(templates[agency.code], _broken(answers, plan, agency.code),
                                      Path(tmp) / f"{agency.code}-v1.xlsx")
                (inbox / f"{agency.code.lower()}-lan-1.eml").write_bytes(
                    _message(agency, period, to, sent - timedelta(days=3), first.read_bytes(), 1))
                (inbox / f"{agency.code.lower()}-lan-2.eml").write_bytes(
                    _message(agency, period, to, sent, filled.read_bytes(), 2))
                continue
            (inbox / f"{agency.code.lower()}.eml").write_bytes(_message(agency, period, to, sent,
                                                                        filled.read_bytes()))
        if scenario.ended:
            ended = ws.plan.agency_by_code[scenario.ended]
            (inbox / f"{ended.code.lower()}-da-giai-the.eml").write_bytes(_message(
                ended, period, to, scenario.first_mail + timedelta(days=5), _ended_form(ws, ended.code, period,
                                                                                        Path(tmp))))
    print(f"Đã tạo {len(list(inbox.glob('*.eml')))} thư mẫu trong {inbox}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "2026",
         Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1])
