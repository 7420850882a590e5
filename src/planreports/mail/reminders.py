"""`planreports remind`: for agencies that have not submitted (or whose file was rejected), an official
reminder letter (công văn đôn đốc, Nghị định 30 format) and a reminder e-mail with the agency's template."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from planreports.consolidation.frames import consolidate
from planreports.form.batch import generate_templates
from planreports.intake.sources import VN_TZ
from planreports.ledger import Ledger
from planreports.mail.feedback import Prepared
from planreports.mail.outgoing import DOCX_TYPE, XLSX_TYPE, Attachment, SmtpSender, build_message, write_eml
from planreports.plan.model import Agency
from planreports.plan.periods import Period
from planreports.report.content import BLANK_NUMBER, decree_date
from planreports.report.default_template import REMINDER_FIELDS, build_reminder_template
from planreports.report.render import render_docx
from planreports.workspace import Workspace


@dataclass
class Reminders:
    agencies: list[Agency] = field(default_factory=list)
    letter: Path | None = None
    mails: list[Prepared] = field(default_factory=list)


def late_agencies(ws: Workspace, period: Period) -> list[Agency]:
    table = consolidate(ws, period).submissions
    codes = table.loc[table["state"].isin(["missing", "rejected"]), "agency"].tolist()
    return [ws.plan.agency_by_code[c] for c in codes]


def letter_context(ws: Workspace, period: Period, agencies: list[Agency], today: date, until: date
                   ) -> dict[str, Any]:
    config, plan = ws.config, ws.plan
    coordinator = plan.agency_by_code.get(config.coordinator)
    coordinator_name = coordinator.name if coordinator else config.coordinator
    deadline = config.period_settings(period).deadline
    names = [a.name for a in agencies]
    addressees = [f"{n};" for n in names]
    if addressees:
        addressees[-1] = addressees[-1].rstrip(";") + "."
    body = [
        {"kind": "p", "text": f"Thực hiện {config.plan_reference}, {coordinator_name} đã gửi biểu mẫu và đề nghị "
                              f"các cơ quan, đơn vị, địa phương báo cáo kết quả thực hiện {period.label} (số liệu "
                              f"tính {period.span}) trước ngày {deadline:%d/%m/%Y}."},
        {"kind": "p", "text": f"Đến ngày {today:%d/%m/%Y}, còn {len(agencies)} cơ quan, đơn vị chưa gửi báo cáo "
                              f"hoặc báo cáo chưa đạt yêu cầu: {', '.join(names)}."},
        {"kind": "p", "text": f"Để kịp thời tổng hợp, báo cáo Văn phòng Chính phủ và Bộ, ngành trung ương theo quy "
                              f"định, {config.issuer_name} đề nghị các cơ quan, đơn vị nêu trên khẩn trương hoàn "
                              f"thành báo cáo theo biểu mẫu (gửi kèm qua thư điện tử) và gửi về {coordinator_name} "
                              f"trước ngày {until:%d/%m/%Y}./."},
    ]
    recipients = ["Như trên;", f"{coordinator_name} (để theo dõi);", config.archive_mark]
    return {
        "issuer_parent": config.parent_line, "issuer_lines": list(config.issuer_lines), "number": BLANK_NUMBER,
        "symbol": config.mail.reminder_symbol, "place": config.place, "date_line": decree_date(today, today.year),
        "subject": f"V/v đôn đốc báo cáo kết quả thực hiện {config.plan_short}",
        "addressees": addressees, "body": body, "recipients": recipients,
        "signer_lines": [line for line in (config.signer_authority, *config.signer_titles) if line],
        "signer_name": config.signer_name,
    }


def _mail_body(ws: Workspace, period: Period, agency: Agency, until: date) -> tuple[str, str]:
    config = ws.config
    sender = config.mail.from_name or config.issuer_name
    subject = f"Đôn đốc báo cáo kết quả thực hiện {config.plan_short} {period.label}"
    body = (f"Kính gửi: {agency.name}\n\n"
            f"Đến nay {sender} chưa nhận được báo cáo đạt yêu cầu của đơn vị về kết quả thực hiện "
            f"{config.plan_short} {period.label}.\n\n"
            f"Đề nghị đơn vị điền biểu mẫu gửi kèm (tệp {agency.code}.xlsx, không đổi cấu trúc) và gửi lại "
            f"trước ngày {until:%d/%m/%Y}. Công văn đôn đốc gửi kèm để đơn vị theo dõi.\n\nTrân trọng.\n{sender}\n")
    return subject, body


def remind(ws: Workspace, period: Period, until: date | None, send: bool, now: datetime | None = None) -> Reminders:
    now = now or datetime.now(VN_TZ)
    until = until or (now.date() + timedelta(days=ws.config.mail.reminder_days))
    result = Reminders(late_agencies(ws, period))
    if not result.agencies:
        return result
    folder = ws.period_dir(period) / "nhac-nho"
    if not ws.reminder_template.exists():  # workspaces made before the letter existed get the default
        build_reminder_template(ws.reminder_template)
    context = letter_context(ws, period, result.agencies, now.date(), until)
    result.letter = render_docx(ws.reminder_template, context, folder / f"cong-van-don-doc-{period.id}.docx",
                                REMINDER_FIELDS, context["subject"])
    templates = {p.stem: p for p in generate_templates(ws, period, [a.code for a in result.agencies])}
    letter = Attachment(result.letter.name, result.letter.read_bytes(), *DOCX_TYPE)
    with Ledger(ws.archive_dir) as ledger:
        ledger.record_sent("reminder-letter", None, period.id, now.isoformat(), str(result.letter), "file", None)
        sender = SmtpSender(ws.config.mail, ws.resolve(ws.config.mail.smtp_cafile)) if send else None
        with sender if sender is not None else contextlib.nullcontext():
            for agency in result.agencies:
                if not agency.email:
                    continue
                subject, body = _mail_body(ws, period, agency, until)
                workbook = Attachment(f"{agency.code}.xlsx", templates[agency.code].read_bytes(), *XLSX_TYPE)
                message = build_message(ws.config.mail, [agency.email], subject, body, now,
                                        attachments=[workbook, letter])
                path = write_eml(folder / f"{agency.code}.eml", message)
                if sender is not None:
                    sender.send(message)
                ledger.record_sent("reminder", agency.code, period.id, now.isoformat(), str(path),
                                   "smtp" if sender else "file", str(message["Message-ID"]))
                result.mails.append(Prepared("reminder", agency.code, agency.email, path, sender is not None))
    return result
