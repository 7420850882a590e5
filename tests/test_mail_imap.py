"""Collecting from a real IMAP server (Dovecot on 127.0.0.1), and from saved mailboxes (.mbox, Maildir)."""

from __future__ import annotations

import base64
import imaplib
import io
import json
import mailbox
import time
import zipfile
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.errors import MailError
from planreports.intake.imap import fetch, internal_date, parse_imap_url
from planreports.ledger import Ledger
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace
from tests.mailservers import ImapServer, dovecot, free_port, needs_dovecot, smtp_server

XLSX = "vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def mail(sender: str, subject: str, attachments: list[tuple[str, bytes]], day: str = "04 Dec 2024",
         message_id: str | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "stttt@thainguyen.gov.vn"
    message["Subject"] = subject
    message["Date"] = f"Wed, {day} 09:15:00 +0700"
    message["Message-ID"] = message_id or f"<{abs(hash((sender, subject)))}@example.vn>"
    message.set_content("Kính gửi Sở TT&TT. Đơn vị gửi báo cáo kèm theo.")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype=XLSX, filename=name)
    return message


def rfc2047_attachment(sender: str, name: str, data: bytes) -> bytes:
    """An Outlook-style message whose attachment name is an RFC 2047 encoded word, not RFC 2231."""
    encoded = "=?UTF-8?B?" + base64.b64encode(name.encode()).decode() + "?="
    body = base64.encodebytes(data).decode()
    return (f"From: {sender}\r\nTo: stttt@thainguyen.gov.vn\r\nSubject: =?UTF-8?B?"
            f"{base64.b64encode('Báo cáo Chỉ thị 07'.encode()).decode()}?=\r\nDate: Thu, 05 Dec 2024 08:00:00 +0700\r\n"
            "Message-ID: <outlook-1@example.vn>\r\nMIME-Version: 1.0\r\n"
            'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
            "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            f"Gửi kèm báo cáo.\r\n--b1\r\nContent-Type: application/{XLSX}; name=\"{encoded}\"\r\n"
            f"Content-Disposition: attachment; filename=\"{encoded}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
            f"{body}\r\n--b1--\r\n").encode()


def forwarded(outer_sender: str, inner: EmailMessage) -> EmailMessage:
    message = EmailMessage()
    message["From"] = outer_sender
    message["To"] = "stttt@thainguyen.gov.vn"
    message["Subject"] = "Fwd: " + str(inner["Subject"])
    message["Date"] = "Fri, 06 Dec 2024 10:00:00 +0700"
    message["Message-ID"] = "<fwd-1@example.vn>"
    message.set_content("Chuyển tiếp báo cáo của đơn vị.")
    message.add_attachment(inner)
    return message


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, data)
    return buffer.getvalue()


def append(server: ImapServer, raw: bytes) -> None:
    connection = imaplib.IMAP4(server.host, server.port)
    connection.login(server.user, server.password)
    connection.append("INBOX", None, imaplib.Time2Internaldate(time.time()), raw)
    connection.logout()


def flags(server: ImapServer) -> list[bytes]:
    connection = imaplib.IMAP4(server.host, server.port)
    connection.login(server.user, server.password)
    connection.select("INBOX", readonly=True)
    _, data = connection.fetch("1:*", "(FLAGS)")
    connection.logout()
    return [d for d in data if isinstance(d, bytes)]


@pytest.fixture
def server(fill) -> ImapServer:  # type: ignore[no-untyped-def]
    with dovecot() as imap:
        append(imap, bytes(mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "Báo cáo CT07 - Sở Tư pháp",
                                [("Báo cáo Sở Tư pháp năm 2024.xlsx", fill("STP").read_bytes())])))
        append(imap, bytes(mail("Văn phòng <vanthu@thainguyen.gov.vn>", "Gửi 2 báo cáo",
                                [("Sở Nội vụ.xlsx", fill("SNV").read_bytes()),
                                 ("Sở Tài chính.xlsx", fill("STC").read_bytes())])))
        append(imap, bytes(mail("Sở Y tế <syt@thainguyen.gov.vn>", "Xin gia hạn", [])))
        append(imap, bytes(forwarded("Chánh VP <cvp@thainguyen.gov.vn>",
                                     mail("Sở Công Thương <sct@thainguyen.gov.vn>", "Báo cáo Sở Công Thương",
                                          [("Công Thương.xlsx", fill("SCT").read_bytes())]))))
        append(imap, rfc2047_attachment("Báo Thái Nguyên <baothainguyen@thainguyen.gov.vn>",
                                        "Báo cáo Báo Thái Nguyên.xlsx", fill("BTN").read_bytes()))
        append(imap, bytes(mail("Ban Dân tộc <bandantoc@thainguyen.gov.vn>", "Báo cáo (nén)",
                                [("bao-cao.zip", zipped("Ban Dân tộc/báo cáo.xlsx", fill("BDT").read_bytes()))])))
        yield imap


def collect(ws: Workspace, *args: str, password: str = "mat-khau-thu") -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "collect", *args, "--period", "2024"],
                                env={"PLANREPORTS_IMAP_PASSWORD": password})
    return result.exit_code, result.output


@needs_dovecot
def test_imap_collect_then_nothing_new(ws: Workspace, server: ImapServer) -> None:
    code, out = collect(ws, server.url(), "--json")
    assert code == 0, out
    items = json.loads(out)
    by_agency = {i["agency"]: i for i in items if i["kind"] == "file"}
    assert set(by_agency) == {"STP", "SNV", "STC", "SCT", "BTN", "BDT"}
    (note,) = [i for i in items if i["kind"] == "mail"]                           # named, not an error
    assert note["subject"] == "Xin gia hạn" and note["issues"][0]["code"] == "mail-no-workbook"
    # forwarded by the office's own staff: dated and attributed by the agency's original mail
    assert by_agency["SCT"]["received_at"].startswith("2024-12-04T09:15")
    assert by_agency["SCT"]["sender"] == "Sở Công Thương <sct@thainguyen.gov.vn>"
    assert by_agency["SCT"]["forwarded_by"] == "Chánh VP <cvp@thainguyen.gov.vn>"
    assert by_agency["STP"]["file"] == "Báo cáo Sở Tư pháp năm 2024.xlsx"
    assert by_agency["BTN"]["file"] == "Báo cáo Báo Thái Nguyên.xlsx"          # RFC 2047 name decoded
    assert by_agency["BDT"]["file"] == "bao-cao.zip/báo cáo.xlsx"              # taken out of the .zip
    assert by_agency["STP"]["received_at"].startswith("2024-12-04T09:15")
    assert by_agency["STP"]["verdict"] == "accepted"
    # sent from an address that is not the agency's: a warning, the form decides
    assert by_agency["SNV"]["verdict"] == "warning"
    assert by_agency["SNV"]["issues"][0]["code"] == "sender-mismatch"
    with Ledger(ws.archive_dir) as ledger:
        receipts = ledger.receipts("2024")
        assert len(ledger.seen_mail(f"imap://{server.user}@127.0.0.1:{server.port}/INBOX")) == 6
    stp = next(r for r in receipts if r.agency == "STP")
    assert stp.source_kind == "imap" and stp.sender == "Sở Tư pháp <stp@thainguyen.gov.vn>"
    assert stp.message_id and stp.subject == "Báo cáo CT07 - Sở Tư pháp"
    code, out = collect(ws, server.url(), "--json")
    assert code == 0 and json.loads(out) == []                                 # nothing new is fetched
    assert all(b"\\Seen" not in f for f in flags(server))                       # server state untouched


@needs_dovecot
def test_message_without_attachment_is_listed(ws: Workspace, server: ImapServer) -> None:
    code, out = collect(ws, server.url())
    assert code == 0 and "Thư “Xin gia hạn”" in out
    assert "Thư không có tệp bảng tính nào đọc được (không có tệp đính kèm). (mail-no-workbook)" in out


@needs_dovecot
def test_mark_seen_on_request(ws: Workspace, server: ImapServer) -> None:
    assert collect(ws, server.url(), "--mark-seen")[0] == 0
    assert all(b"\\Seen" in f for f in flags(server))


@needs_dovecot
def test_wrong_password_is_a_clear_message(ws: Workspace, server: ImapServer) -> None:
    code, out = collect(ws, server.url(), password="sai")
    assert code == 1 and "từ chối đăng nhập" in out and "sai" not in out.split("đăng nhập")[1]


def test_mbox_and_maildir(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    box = mailbox.mbox(tmp_path / "hop-thu.mbox")
    box.add(mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "STP", [("a.xlsx", fill("STP").read_bytes())]))
    box.flush()
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    maildir.add(mail("Sở Nội vụ <snv@thainguyen.gov.vn>", "SNV", [("b.xlsx", fill("SNV").read_bytes())]))
    code, out = collect(ws, str(tmp_path / "hop-thu.mbox"), str(tmp_path / "Maildir"), "--json")
    assert code == 0
    assert sorted(i["agency"] for i in json.loads(out)) == ["SNV", "STP"]


def _use_cafile(ws: Workspace, ca: Path | None) -> None:
    path = ws.root / "planreports.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('imap_cafile = ""', f'imap_cafile = "{ca.as_posix()}"' if ca else 'imap_cafile = ""'),
                    encoding="utf-8")


@needs_dovecot
def test_imaps_verifies_the_server_certificate(ws: Workspace, server: ImapServer) -> None:
    code, out = collect(ws, server.tls_url(), "--json")
    assert code == 1 and "không được xác thực" in out and "mail.imap_cafile" in out
    assert server.ca_file is not None
    _use_cafile(ws, server.ca_file)
    code, out = collect(ws, server.tls_url(), "--json")
    assert code == 0, out
    assert {i["agency"] for i in json.loads(out) if i["kind"] == "file"} == {"STP", "SNV", "STC", "SCT", "BTN", "BDT"}


@needs_dovecot
def test_unknown_folder_is_a_mail_error(ws: Workspace, server: ImapServer) -> None:
    code, out = collect(ws, server.url("Khong-co"))
    assert code == 1 and "Không mở được thư mục “Khong-co” trong hộp thư stttt" in out


def test_unreachable_mail_server_is_exit_1(ws: Workspace) -> None:
    port = free_port()                                                 # nothing listens there
    code, out = collect(ws, f"imap://stttt@127.0.0.1:{port}/INBOX")
    assert code == 1 and f"Không kết nối được máy chủ thư 127.0.0.1:{port}: máy chủ không nhận kết nối" in out
    assert "Lỗi cách dùng" not in out


def test_a_server_that_is_not_imap_is_exit_1(ws: Workspace) -> None:
    with smtp_server() as (port, _):
        code, out = collect(ws, f"imap://stttt@127.0.0.1:{port}/INBOX")
        assert code == 1 and "không trả lời như một máy chủ thư IMAP" in out
        code, out = collect(ws, f"imaps://stttt@127.0.0.1:{port}/INBOX")
        assert code == 1 and "không thiết lập được kết nối bảo mật TLS" in out


def test_malformed_mailbox_address_stays_wrong_usage(ws: Workspace) -> None:
    code, out = collect(ws, "imaps://mail.thainguyen.gov.vn/INBOX")           # no account
    assert code == 2 and "Dạng đúng: imaps://tai-khoan@may-chu/INBOX" in out


@needs_dovecot
def test_server_gone_while_reading_is_a_mail_error(server: ImapServer) -> None:
    target = parse_imap_url(server.url())
    assert target is not None
    items = fetch(target, server.password, set())
    next(items)                                                         # the first message is read
    server.kick()                                                       # then the server ends the session
    with pytest.raises(MailError) as caught:
        list(items)
    assert caught.value.message == (f"Lỗi khi đang đọc thư trên máy chủ 127.0.0.1:{server.port}: máy chủ đã ngắt "
                                    "kết nối. Chạy lại lệnh: những thư chưa được ghi nhận sẽ được đọc lại.")
    assert caught.value.exit_code == 1


def test_the_servers_receipt_time_is_read_in_vietnam_time_whatever_the_machines_zone() -> None:
    """A message without a Date header is dated by the server's INTERNALDATE, converted from its own offset."""
    assert internal_date(b'1 (UID 7 INTERNALDATE "05-Dec-2024 02:00:00 +0000" BODY[] {120}') == datetime(
        2024, 12, 5, 9, 0, tzinfo=VN_TZ)
    assert internal_date(b'INTERNALDATE " 5-Dec-2024 09:00:00 +0700"') == datetime(2024, 12, 5, 9, 0, tzinfo=VN_TZ)
    assert internal_date(b'INTERNALDATE "31-Feb-2024 09:00:00 +0700"') is None
    assert internal_date(b"1 (UID 7)") is None
