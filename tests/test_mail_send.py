"""Sending is what must not repeat, and one agency's trouble is that agency's: a real SMTP server (aiosmtpd on
127.0.0.1) that takes, refuses (RCPT 4xx/5xx), rejects (DATA) and hangs up (421) like a real one."""

from __future__ import annotations

import json
import shutil
from datetime import datetime

import openpyxl

from planreports.ledger import Ledger, SentKind, Transport
from planreports.mail.feedback import notify
from planreports.mail.outgoing import MailStatus
from planreports.mail.reminders import remind
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace
from tests.mailservers import smtp_server
from tests.test_consolidate import REPO
from tests.test_mail_imap import mail
from tests.test_mail_out import run, use_smtp, with_examples

HVN, SGTVT = "vonhai@thainguyen.gov.vn", "sgtvt@thainguyen.gov.vn"


def sent_rows(ws: Workspace, kind: SentKind) -> list[tuple[str | None, str | None]]:
    with Ledger(ws.archive_dir) as ledger:
        return [(s.agency, s.ref) for s in ledger.sent("2024") if s.kind is kind and s.transport is Transport.SMTP]


def line_of(out: str, code: str) -> str:
    return next(line for line in out.splitlines() if line.strip().startswith(code + " "))


def test_remind_send_twice_sends_each_reminder_once(ws: Workspace) -> None:
    with_examples(ws)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        code, out = run(ws, "remind", "--period", "2024", "--send")
        assert code == 0, out
        assert inbox.recipients == [SGTVT, HVN]
        assert "đã gửi" in line_of(out, "HVN") and "Tổng cộng: đã gửi 2." in out
        (ws.output_dir / "2024" / "nhac-nho" / "HVN.eml").unlink()
        code, out = run(ws, "remind", "--period", "2024", "--send")
        assert code == 0, out
        assert inbox.recipients == [SGTVT, HVN]                                   # nothing sent twice
        today = datetime.now(VN_TZ).strftime("%d/%m/%Y")
        for agency in ("HVN", "SGTVT"):
            assert f"bỏ qua: đã gửi thư nhắc theo công văn ngày {today} (lúc " in line_of(out, agency)
        assert "dùng --again để gửi lại" in out
        assert (ws.output_dir / "2024" / "nhac-nho" / "HVN.eml").exists()          # the files are written again
        code, out = run(ws, "remind", "--period", "2024", "--send", "--again")
        assert code == 0, out
        assert inbox.recipients == [SGTVT, SGTVT, HVN, HVN]
    assert sorted(sent_rows(ws, SentKind.REMINDER)) == sorted([(a, datetime.now(VN_TZ).date().isoformat())
                                                                for a in ("HVN", "SGTVT", "HVN", "SGTVT")])


def test_again_needs_send(ws: Workspace) -> None:
    code, out = run(ws, "remind", "--period", "2024", "--again")
    assert code == 2 and "--again chỉ dùng cùng với --send" in out


def test_a_new_letter_date_reminds_again(ws: Workspace) -> None:
    with_examples(ws)
    period = ws.period("2024")
    morning = datetime(2024, 12, 16, 8, 0, tzinfo=VN_TZ)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        first = remind(ws, period, send=True, now=morning)
        assert [m.status for m in first.mails] == [MailStatus.SENT, MailStatus.SENT]
        later = remind(ws, period, send=True, now=morning.replace(hour=15))
        assert [m.status for m in later.mails] == [MailStatus.SKIPPED, MailStatus.SKIPPED]
        assert later.mails[0].reason == "đã gửi thư nhắc theo công văn ngày 16/12/2024 (lúc 08:00)"
        assert len(inbox.messages) == 2
        written = remind(ws, period, now=morning.replace(hour=16))                 # without --send: only files
        assert [m.status for m in written.mails] == [MailStatus.WRITTEN, MailStatus.WRITTEN]
        next_day = remind(ws, period, send=True, now=morning.replace(day=17))
        assert [m.status for m in next_day.mails] == [MailStatus.SENT, MailStatus.SENT]
        assert len(inbox.messages) == 4


def test_refused_reminder_is_reported_others_sent_and_retried(ws: Workspace) -> None:
    with_examples(ws)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        inbox.refuse[HVN] = "550 5.1.1 Mailbox unavailable"
        code, out = run(ws, "remind", "--period", "2024", "--send")
        assert code == 1, out
        assert inbox.recipients == [SGTVT]
        assert ("LỖI: máy chủ từ chối địa chỉ vonhai@thainguyen.gov.vn (550 5.1.1 Mailbox unavailable)"
                in line_of(out, "HVN"))
        assert "chạy lại lệnh để gửi các thư đó" in out
        assert [a for a, _ in sent_rows(ws, SentKind.REMINDER)] == ["SGTVT"]      # the failed one is not recorded
        status = json.loads(run(ws, "status", "--period", "2024", "--json")[1])
        assert status["HVN"]["reminded_at"] is None and status["SGTVT"]["reminded_at"]
        del inbox.refuse[HVN]
        code, out = run(ws, "remind", "--period", "2024", "--send")                # a re-run retries it, only it
        assert code == 0, out
        assert inbox.recipients == [SGTVT, HVN]
        assert "bỏ qua" in line_of(out, "SGTVT") and "đã gửi" in line_of(out, "HVN")


def test_feedback_errors_per_agency(ws: Workspace) -> None:
    """A temporary RCPT refusal and a DATA rejection fail those two agencies only; the exit code says so."""
    with_examples(ws)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        inbox.refuse["stp@thainguyen.gov.vn"] = "450 4.2.1 Mailbox busy, try later"
        inbox.reject["snv@thainguyen.gov.vn"] = "554 5.6.0 Message content rejected"
        code, out = run(ws, "notify", "--period", "2024", "--send")
        assert code == 1, out
        assert len(inbox.messages) == 31
        assert ("máy chủ từ chối địa chỉ stp@thainguyen.gov.vn (450 4.2.1 Mailbox busy, try later; lỗi tạm thời, "
                "chạy lại lệnh sau để gửi lại)") in line_of(out, "STP")
        assert "máy chủ không nhận nội dung thư (554 5.6.0 Message content rejected)" in line_of(out, "SNV")
        assert "Tổng cộng: đã gửi 31, lỗi 2." in out
        inbox.refuse.clear()
        inbox.reject.clear()
        code, out = run(ws, "notify", "--period", "2024", "--send")
        assert code == 0, out
        assert len(inbox.messages) == 33 and len(set(inbox.recipients)) == 33
        assert "Tổng cộng: đã gửi 2, bỏ qua 31." in out
        assert "bỏ qua: đã gửi phản hồi về tệp “Báo cáo CT07 năm 2024 - Sở Y tế.xlsx” lúc" in line_of(out, "SYT")


def test_server_hanging_up_fails_the_rest_and_a_rerun_sends_them(ws: Workspace) -> None:
    with_examples(ws)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        inbox.reject["stp@thainguyen.gov.vn"] = "421 4.3.2 Service shutting down"
        results = notify(ws, ws.period("2024"), send=True)
        statuses = [m.status for m in results]
        broken = next(i for i, m in enumerate(results) if m.agency == "STP")
        assert statuses == [MailStatus.SENT] * broken + [MailStatus.FAILED] * (len(results) - broken)
        assert broken < len(results) - 1, "STP should not be the last one for this test to mean something"
        assert results[broken].reason == "máy chủ không nhận nội dung thư (421 4.3.2 Service shutting down; lỗi " \
                                         "tạm thời, chạy lại lệnh sau để gửi lại)"
        assert all(m.reason == f"chưa gửi vì máy chủ gửi thư 127.0.0.1:{port} đã đóng kết nối sau thư trước"
                   for m in results[broken + 1:])
        assert len(inbox.messages) == broken
        inbox.reject.clear()
        again = notify(ws, ws.period("2024"), send=True)
        assert sum(m.status is MailStatus.SENT for m in again) == len(results) - broken
        assert len(inbox.messages) == len(results) and len(set(inbox.recipients)) == len(results)


def _submission_from_office(ws: Workspace, fill, clerk: str = "vanthu@thainguyen.gov.vn") -> None:  # type: ignore[no-untyped-def]
    """Sở Tư pháp's report forwarded by the office's clerk: its feedback goes to the agency, Cc the clerk."""
    message = mail(f"Văn thư <{clerk}>", "Báo cáo Sở Tư pháp", [("STP.xlsx", fill("STP").read_bytes())])
    ws.inbox.mkdir(parents=True, exist_ok=True)
    (ws.inbox / "stp.eml").write_bytes(bytes(message))
    assert run(ws, "collect", "--period", "2024")[0] == 0


def test_refused_copy_is_reported_and_not_resent(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    _submission_from_office(ws, fill)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        inbox.refuse["vanthu@thainguyen.gov.vn"] = "550 5.1.1 No such user"
        code, out = run(ws, "notify", "--period", "2024", "--send")
        assert code == 1, out
        assert inbox.recipients == ["stp@thainguyen.gov.vn"]
        assert ("đã gửi, có lỗi: máy chủ từ chối địa chỉ vanthu@thainguyen.gov.vn (550 5.1.1 No such user)"
                in line_of(out, "STP"))
        code, out = run(ws, "notify", "--period", "2024", "--send")
        assert code == 0 and "bỏ qua" in line_of(out, "STP")
        assert inbox.recipients == ["stp@thainguyen.gov.vn"]                   # the agency got it: not sent again


def test_address_the_server_cannot_take_fails_that_message_only(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    _submission_from_office(ws, fill, clerk="văn.thư@thainguyen.gov.vn")   # needs SMTPUTF8
    shutil.copy(REPO / "input" / "inbox" / "2024" / "snv.eml", ws.inbox)
    assert run(ws, "collect", "--period", "2024")[0] == 0
    with smtp_server(utf8=False) as (port, inbox):
        use_smtp(ws, port)
        results = {m.agency: m for m in notify(ws, ws.period("2024"), send=True)}
        assert results["STP"].status is MailStatus.FAILED and "SMTPUTF8" in (results["STP"].reason or "")
        assert results["SNV"].status is MailStatus.SENT and inbox.recipients == ["snv@thainguyen.gov.vn"]


def test_agency_without_address_is_skipped_with_the_reason(ws: Workspace) -> None:
    with_examples(ws)
    path = ws.input_dir / "don-vi.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Đơn vị"]
    column = next(c.column for c in sheet[1] if c.value == "E-mail")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "HVN")
    sheet.cell(row[0].row, column).value = None
    book.save(path)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        result = remind(Workspace(ws.root), ws.period("2024"), send=True)
        by_agency = {m.agency: m for m in result.mails}
        assert by_agency["HVN"].status is MailStatus.SKIPPED and by_agency["HVN"].path is None
        assert by_agency["HVN"].reason == "không có địa chỉ thư điện tử trong input/don-vi.xlsx"
        assert by_agency["SGTVT"].status is MailStatus.SENT and inbox.recipients == [SGTVT]
