"""`planreports notify`: a reply to every agency that submitted — received when, verdict, each finding with its
sheet and cell and how to fix it; for rejected files, what to resend. Written as .eml files under
output/P/phan-hoi/, or sent over SMTP with --send (In-Reply-To the agency's message)."""

from __future__ import annotations

from datetime import datetime
from email.utils import parseaddr
from functools import partial

from planreports.config import Config
from planreports.findings import VERDICT_LABELS, Severity, Verdict
from planreports.ledger import Ledger, Receipt, SentKind, Transport
from planreports.mail.outgoing import OutgoingMail, Prepared, SmtpSender, build_message, dispatch, write_eml
from planreports.plan.periods import Period
from planreports.vn.dates import VN_TZ, format_date, format_time_of_day
from planreports.workspace import Workspace


def _findings(receipt: Receipt) -> list[str]:
    lines = []
    for number, issue in enumerate(receipt.issues, start=1):
        where = issue.where()
        mark = "Lỗi" if issue.severity is Severity.ERROR else "Lưu ý"
        lines.append(f"{number}. [{mark}] {where + ': ' if where else ''}{issue.message}")
    return lines


def feedback_body(config: Config, period: Period, receipt: Receipt, agency_name: str | None) -> tuple[str, str]:
    sender = config.mail.from_name or config.issuer_name
    verdict = VERDICT_LABELS.get(receipt.verdict, receipt.verdict)
    subject = f"Phản hồi kết quả kiểm tra báo cáo thực hiện {config.plan_short} {period.label}"
    lines = [f"Kính gửi: {agency_name or 'Quý cơ quan, đơn vị'}", "",
             f"{sender} đã nhận báo cáo kết quả thực hiện {config.plan_short} {period.label} của đơn vị "
             f"(tệp “{receipt.file_name}”, nhận lúc {format_time_of_day(receipt.received_at)}).", "",
             f"Kết quả kiểm tra: {verdict}."]
    findings = _findings(receipt)
    if findings:
        lines += ["", "Các nội dung cần xem lại:", *findings]
    deadline = config.period_settings(period).deadline
    if receipt.verdict is Verdict.REJECTED:
        lines += ["", "Báo cáo chưa đạt yêu cầu nên chưa được tổng hợp. Đề nghị đơn vị sửa các lỗi nêu trên ngay "
                      "trong tệp biểu mẫu đã gửi (không tạo tệp mới, không đổi tên hay xoá sheet) và gửi lại "
                      f"sớm nhất có thể (hạn gửi báo cáo: ngày {format_date(deadline)})."]
    elif findings:
        lines += ["", "Báo cáo đã được tiếp nhận và tổng hợp. Đề nghị đơn vị lưu ý các nội dung trên; nếu cần "
                      "điều chỉnh số liệu, gửi lại tệp đã sửa."]
    else:
        lines += ["", "Báo cáo đạt yêu cầu và đã được tổng hợp. Trân trọng cảm ơn đơn vị."]
    lines += ["", "Trân trọng.", sender, "",
              "(Thư được lập bằng phần mềm planreports từ kết quả kiểm tra tự động.)"]
    return subject, "\n".join(lines) + "\n"


def _latest(receipts: list[Receipt]) -> list[Receipt]:
    """The latest receipt of each agency, and every unidentified file that came by mail."""
    latest: dict[str, Receipt] = {}
    for receipt in receipts:
        if receipt.failed_inside:
            continue  # the program failed, not the agency: nothing to tell it (the office sees it in status)
        key = receipt.agency or f"?{receipt.sha256}"
        if receipt.agency or receipt.sender:
            latest[key] = receipt
    return list(latest.values())


def _prepare(ws: Workspace, period: Period, receipt: Receipt, now: datetime, sent_at: str | None) -> Prepared:
    """The feedback on one receipt, written as .eml; `sent_at`: when it was sent before, if it was."""
    agency = ws.plan.agency_by_code.get(receipt.agency or "")
    sender_address = parseaddr(receipt.sender or "")[1]
    to = agency.email if agency and agency.email else sender_address
    if not to:
        return Prepared(receipt.agency, "", None, None, receipt.sha256,
                        "không có địa chỉ thư điện tử (trong input/don-vi.xlsx hoặc của người gửi)")
    cc = [sender_address] if sender_address and sender_address.lower() != to.lower() else []
    config = ws.config_for(period)
    subject, body = feedback_body(config, period, receipt, agency.name if agency else None)
    message = build_message(config.mail, [to], subject, body, now, cc, receipt.message_id)
    path = write_eml(ws.feedback_path(period, receipt.agency or f"khong-xac-dinh-{receipt.sha256[:8]}"), message)
    skip = f"đã gửi phản hồi về tệp “{receipt.file_name}” lúc {format_time_of_day(sent_at)}" if sent_at else None
    return Prepared(receipt.agency, to, message, path, receipt.sha256, skip)


def notify(ws: Workspace, period: Period, send: bool = False, now: datetime | None = None) -> list[OutgoingMail]:
    """Feedback to every agency on its latest file: written as .eml, and sent over SMTP with `send`. A
    feedback is sent once per received file; what was sent before is skipped."""
    ws.check_settings(period)
    now = now or datetime.now(VN_TZ)
    if not ws.ledger_path.exists():
        return []
    with Ledger(ws.archive_dir) as ledger:
        sent = {s.ref: s.created_at for s in ledger.sent(period.id)
                if s.kind is SentKind.FEEDBACK and s.transport is Transport.SMTP}
        items = [_prepare(ws, period, receipt, now, sent.get(receipt.sha256))
                 for receipt in _latest(ledger.receipts(period.id))]
        mail = ws.config_for(period).mail
        smtp = partial(SmtpSender, mail, ws.resolve(mail.smtp_cafile)) if send else None
        return dispatch(ledger, items, SentKind.FEEDBACK, period.id, now, smtp)
