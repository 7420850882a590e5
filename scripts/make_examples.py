"""Regenerate the example submissions in input/inbox/ (period 2024) from the real templates.

Synthetic data, marked as such in every form's "Thông tin" sheet. Most agencies answer on time by e-mail
(.eml files, as saved from a mail client); a few realistic problems are built in:
    HVN    never answers (missing)
    HPB    answers after the deadline (late)
    SGTVT  types "khoảng 200" into a number cell (rejected: bad cell)
    SYT    first sends a form with a lead task's status left empty (rejected), then a corrected one
    BDT    one answer typed with a TCVN3 font (converted with a warning)
    TPSC   types statuses by hand without diacritics ("hoan thanh": normalized with a warning)

    python scripts/make_examples.py [WORKSPACE]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

from planreports.form.batch import generate_templates
from planreports.testing.filling import Answers, fill_template
from planreports.testing.synthetic import synthetic_answers
from planreports.workspace import Workspace

VN = timezone(timedelta(hours=7))
MISSING, LATE, BAD_CELL, RESUBMIT, LEGACY, HANDTYPED = "HVN", "HPB", "SGTVT", "SYT", "BDT", "TPSC"
XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _message(agency: object, sent: datetime, attachment: bytes, version: int = 1) -> bytes:
    message = EmailMessage()
    message["From"] = f"{agency.short} <{agency.email}>"  # type: ignore[attr-defined]
    message["To"] = "Sở Thông tin và Truyền thông <stttt@thainguyen.gov.vn>"
    message["Subject"] = f"Báo cáo kết quả thực hiện Chỉ thị 07/CT-TTg năm 2024 - {agency.short}"  # type: ignore[attr-defined]
    message["Date"] = sent.strftime("%a, %d %b %Y %H:%M:%S +0700")
    message["Message-ID"] = f"<ct07-2024-{agency.code.lower()}-{version}@thainguyen.gov.vn>"  # type: ignore[attr-defined]
    message.set_content(f"Kính gửi Sở Thông tin và Truyền thông,\n\n{agency.name} gửi biểu mẫu báo cáo kết quả "  # type: ignore[attr-defined]
                        "thực hiện Kế hoạch số 129/KH-UBND năm 2024 (đính kèm).\n\nTrân trọng.\n")
    name = f"Báo cáo CT07 năm 2024 - {agency.short}.xlsx"  # type: ignore[attr-defined]
    message.add_attachment(attachment, maintype="application", subtype=XLSX, filename=name)
    return bytes(message)


def _quirks(code: str, answers: Answers) -> None:
    first_lead = next(iter(answers.tasks))
    if code == BAD_CELL:
        answers.figures["HN_NGUOI"] = "khoảng 200"
    if code == LEGACY:
        answers.tasks[first_lead]["result"] = "§· tæ chøc 02 héi nghÞ phæ biÕn ChØ thÞ sè 07/CT-TTg cho 150 c¸n bé."
        answers.tasks[first_lead]["status"] = "Hoàn thành"
    if code == HANDTYPED:
        for values in answers.tasks.values():
            if values["status"] == "Hoàn thành":
                values["status"] = "hoan thanh"


def main(root: Path) -> None:
    ws = Workspace(root)
    plan, period = ws.plan, ws.period("2024")
    inbox = ws.inbox
    inbox.mkdir(parents=True, exist_ok=True)
    for old in inbox.glob("*.eml"):
        old.unlink()
    with tempfile.TemporaryDirectory() as tmp:
        work = Workspace(Path(tmp))
        work.__dict__.update(plan=plan, config=ws.config)  # same plan and config, scratch output folder
        templates = {p.stem: p for p in generate_templates(work, period)}
        for number, agency in enumerate(plan.reporting_agencies):
            if agency.code == MISSING:
                continue
            answers = synthetic_answers(plan, agency, period.year)
            _quirks(agency.code, answers)
            sent = datetime(2024, 11, 25, 8, 30, tzinfo=VN) + timedelta(hours=7 * number)
            if agency.code == LATE:
                sent = datetime(2024, 12, 13, 16, 45, tzinfo=VN)
            filled = fill_template(templates[agency.code], answers, Path(tmp) / f"{agency.code}.xlsx")
            if agency.code == RESUBMIT:
                broken = Answers(answers.tasks | {k: dict(v) for k, v in answers.tasks.items()},
                                 answers.figures, answers.notes, answers.info)
                lead = next(t for t in plan.assignments(agency.code) if t.role == "Chủ trì").task.id
                broken.tasks[lead]["status"] = None
                first = fill_template(templates[agency.code], broken, Path(tmp) / f"{agency.code}-v1.xlsx")
                (inbox / f"{agency.code.lower()}-lan-1.eml").write_bytes(
                    _message(agency, sent - timedelta(days=3), first.read_bytes(), 1))
                (inbox / f"{agency.code.lower()}-lan-2.eml").write_bytes(
                    _message(agency, sent, filled.read_bytes(), 2))
                continue
            (inbox / f"{agency.code.lower()}.eml").write_bytes(_message(agency, sent, filled.read_bytes()))
    print(f"Đã tạo {len(list(inbox.glob('*.eml')))} thư mẫu trong {inbox}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
