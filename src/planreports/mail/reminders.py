"""`planreports remind`: for agencies that have not submitted (or whose file was rejected), an official
reminder letter (công văn đôn đốc, Nghị định 30 format) and a reminder e-mail with the agency's template."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from planreports.config import Config
from planreports.consolidation.status import period_status
from planreports.errors import UsageError
from planreports.form.batch import generate_templates
from planreports.intake.inbox import pending, pending_warning
from planreports.ledger import Ledger, Sent, SentKind, Transport
from planreports.mail.outgoing import (
    DOCX_TYPE,
    XLSX_TYPE,
    Attachment,
    OutgoingMail,
    Prepared,
    SmtpSender,
    build_message,
    dispatch,
    write_eml,
)
from planreports.plan.model import Agency, Plan
from planreports.plan.periods import Period
from planreports.report.default_template import REMINDER_FIELDS, build_reminder_template
from planreports.report.letter import BLANK_NUMBER, addressees, letter_fields, recipients
from planreports.report.render import Properties, render_docx
from planreports.vn.dates import VN_TZ, format_date
from planreports.workspace import Workspace


@dataclass
class Reminders:
    agencies: list[Agency] = field(default_factory=list)
    letter: Path | None = None
    mails: list[OutgoingMail] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # files waiting uncollected: an agency may have sent


def agencies_to_remind(ws: Workspace, period: Period) -> list[Agency]:
    """Agencies with nothing accepted yet: missing, or their latest file was rejected."""
    plan = ws.plan_for(period)
    return [plan.agency_by_code[s.code] for s in period_status(ws, period) if not s.submitted]


def letter_context(config: Config, plan: Plan, period: Period, agencies: list[Agency], today: date, until: date
                   ) -> dict[str, Any]:
    coordinator_name = plan.name_of(config.coordinator)
    deadline = config.period_settings(period).deadline
    names = [a.name for a in agencies]
    body = [
        {"kind": "p", "text": f"Thực hiện {config.plan_reference}, {coordinator_name} đã gửi biểu mẫu và đề nghị "
                              f"các cơ quan, đơn vị, địa phương báo cáo kết quả thực hiện {period.label} (số liệu "
                              f"tính {period.span}) trước ngày {format_date(deadline)}."},
        {"kind": "p", "text": f"Đến ngày {format_date(today)}, còn {len(agencies)} cơ quan, đơn vị chưa gửi báo cáo "
                              f"hoặc báo cáo chưa đạt yêu cầu: {', '.join(names)}."},
        {"kind": "p", "text": f"Để kịp thời tổng hợp, báo cáo Văn phòng Chính phủ và Bộ, ngành trung ương theo quy "
                              f"định, {config.issuer_name} đề nghị các cơ quan, đơn vị nêu trên khẩn trương hoàn "
                              f"thành báo cáo theo biểu mẫu (gửi kèm qua thư điện tử) và gửi về {coordinator_name} "
                              f"trước ngày {format_date(until)}./."},
    ]
    fields = letter_fields(config, BLANK_NUMBER, config.mail.reminder_symbol, today, today.year)
    fields.update({
        "subject": f"V/v đôn đốc báo cáo kết quả thực hiện {config.plan_short}",
        "addressees": addressees(names), "body": body,
        "recipients": recipients(config, [f"{coordinator_name} (để theo dõi)"], True),
    })
    return fields


def _mail_body(config: Config, period: Period, agency: Agency, until: date) -> tuple[str, str]:
    sender = config.mail.from_name or config.issuer_name
    subject = f"Đôn đốc báo cáo kết quả thực hiện {config.plan_short} {period.label}"
    body = (f"Kính gửi: {agency.name}\n\n"
            f"Đến nay {sender} chưa nhận được báo cáo đạt yêu cầu của đơn vị về kết quả thực hiện "
            f"{config.plan_short} {period.label}.\n\n"
            f"Đề nghị đơn vị điền biểu mẫu gửi kèm (tệp {agency.code}.xlsx, không đổi cấu trúc) và gửi lại "
            f"trước ngày {format_date(until)}. Công văn đôn đốc gửi kèm để đơn vị theo dõi.\n\nTrân trọng.\n{sender}\n")
    return subject, body


def _reminded_on(ledger: Ledger, period: Period, day: date) -> dict[str, str]:
    """Agency -> when its reminder of the letter dated `day` was sent (reminders recorded before the letter
    date was kept belong to the day they were made)."""
    return {s.agency: s.created_at for s in ledger.sent(period.id)
            if s.kind is SentKind.REMINDER and s.transport is Transport.SMTP and s.agency
            and (s.ref or s.created_at[:10]) == day.isoformat()}


def _prepare(ws: Workspace, period: Period, agency: Agency, letter: Attachment, template: Path, now: datetime,
             until: date, sent_at: str | None) -> Prepared:
    day = now.date().isoformat()
    if not agency.email:
        return Prepared(agency.code, "", None, None, day, "không có địa chỉ thư điện tử trong input/don-vi.xlsx")
    config = ws.config_for(period)
    subject, body = _mail_body(config, period, agency, until)
    workbook = Attachment(f"{agency.code}.xlsx", template.read_bytes(), *XLSX_TYPE)
    message = build_message(config.mail, [agency.email], subject, body, now, attachments=[workbook, letter])
    path = write_eml(ws.reminder_mail_path(period, agency.code), message)
    skip = (f"đã gửi thư nhắc theo công văn ngày {format_date(now.date())} (lúc "
            f"{datetime.fromisoformat(sent_at):%H:%M})" if sent_at else None)
    return Prepared(agency.code, agency.email, message, path, day, skip)


def _write_letter(ws: Workspace, period: Period, agencies: list[Agency], today: date, until: date) -> Path:
    if not ws.reminder_template.exists():  # workspaces made before the letter existed get the default
        build_reminder_template(ws.reminder_template)
    context = letter_context(ws.config_for(period), ws.plan_for(period), period, agencies, today, until)
    config = ws.config_for(period)
    properties = Properties(context["subject"], config.issuer_name, datetime(today.year, today.month, today.day))
    return render_docx(ws.reminder_template, context, ws.reminder_letter_path(period), REMINDER_FIELDS, properties)


def new_deadline(until: date | None, today: date, deadline: date, reminder_days: int) -> date:
    """The date the letter asks reports for: `until` when it is after today and not before the period's
    deadline (a reminder does not shorten the time given), else UsageError naming the dates; by default
    `reminder_days` from today, or the deadline when that is later."""
    suggested = max(today + timedelta(days=reminder_days), deadline)
    if until is None:
        return suggested
    if until <= today:
        raise UsageError(
            f"Hạn gửi mới (--until) ngày {format_date(until)} {'đã qua' if until < today else 'là hôm nay'}: công "
            f"văn đôn đốc lập hôm nay ({format_date(today)}) không thể đề nghị các đơn vị gửi báo cáo trước ngày "
            f"{format_date(until)}. Ghi một ngày sau hôm nay, ví dụ --until {format_date(suggested)}.")
    if until < deadline:
        raise UsageError(
            f"Hạn gửi mới (--until) ngày {format_date(until)} sớm hơn hạn nộp của kỳ ({format_date(deadline)}): "
            "công văn đôn đốc không rút ngắn thời hạn đã giao. Ghi một ngày từ "
            f"{format_date(deadline)} trở đi, hoặc bỏ --until (mặc định: {format_date(suggested)}).")
    return until


def remind(ws: Workspace, period: Period, until: date | None = None, send: bool = False,
           now: datetime | None = None, again: bool = False) -> Reminders:
    """The letter dated today and a reminder mail to each agency still owing a report. With `send` the mails
    go over SMTP, each agency's once per letter date: what was sent today is skipped unless `again`. An
    `until` already past, or before the period's deadline, is refused before anything is written."""
    ws.check_settings(period)
    now = now or datetime.now(VN_TZ)
    config = ws.config_for(period)
    until = new_deadline(until, now.date(), config.period_settings(period).deadline,
                         config.mail.reminder_days)
    waiting = pending_warning(ws, period, pending(ws, period))
    result = Reminders(agencies_to_remind(ws, period), warnings=[waiting] if waiting else [])
    if not result.agencies:
        return result
    result.letter = _write_letter(ws, period, result.agencies, now.date(), until)
    templates = {p.stem: p for p in generate_templates(ws, period, [a.code for a in result.agencies])}
    letter = Attachment(result.letter.name, result.letter.read_bytes(), *DOCX_TYPE)
    with Ledger(ws.archive_dir) as ledger:
        ledger.record_sent(Sent(SentKind.REMINDER_LETTER, None, period.id, now.isoformat(), str(result.letter),
                                Transport.FILE, None, now.date().isoformat()))
        sent = {} if again else _reminded_on(ledger, period, now.date())
        items = [_prepare(ws, period, agency, letter, templates[agency.code], now, until, sent.get(agency.code))
                 for agency in result.agencies]
        smtp = partial(SmtpSender, config.mail, ws.resolve(config.mail.smtp_cafile)) if send else None
        result.mails = dispatch(ledger, items, SentKind.REMINDER, period.id, now, smtp)
    return result
