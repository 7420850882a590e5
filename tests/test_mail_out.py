"""Feedback and reminders: .eml files, the công văn đôn đốc, and sending to a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path

import docx
from click.testing import CliRunner
from docx.shared import Pt

from planreports.cli import cli
from planreports.vn.dates import VN_TZ, format_date
from planreports.workspace import Workspace
from tests.mailservers import free_port, smtp_server
from tests.test_consolidate import REPO


def run(ws: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), *args])
    return result.exit_code, result.output


def with_examples(ws: Workspace) -> Workspace:
    shutil.copytree(REPO / "input" / "inbox", ws.inbox, dirs_exist_ok=True)
    run(ws, "collect", "--period", "2024")
    return ws


def use_smtp(ws: Workspace, port: int) -> None:
    """The plain loopback server: no STARTTLS, no login."""
    _point_smtp(ws, port, None)
    path = ws.root / "planreports.toml"
    text = path.read_text(encoding="utf-8").replace("smtp_starttls = true", "smtp_starttls = false")
    path.write_text(text.replace('smtp_user = "stttt@thainguyen.gov.vn"', 'smtp_user = ""'), encoding="utf-8")


def read_eml(path: Path) -> email.message.EmailMessage:
    return email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[return-value]


def test_feedback_files_name_every_finding(ws: Workspace) -> None:
    with_examples(ws)
    code, out = run(ws, "notify", "--period", "2024")
    assert code == 0 and "Thư phản hồi: 33" in out
    folder = ws.output_dir / "2024" / "phan-hoi"
    rejected = read_eml(folder / "SGTVT.eml")
    body = rejected.get_body().get_content()
    assert rejected["To"] == "sgtvt@thainguyen.gov.vn"
    assert rejected["In-Reply-To"] == "<ct07-2024-sgtvt-1@thainguyen.gov.vn>"
    assert "Kết quả kiểm tra: Không đạt." in body
    assert "sheet “Số liệu”, ô D4" in body and "khoảng 200" in body and "gửi lại" in body
    accepted = read_eml(folder / "STP.eml").get_body().get_content()
    assert "Báo cáo đạt yêu cầu và đã được tổng hợp" in accepted
    late = read_eml(folder / "HPB.eml").get_body().get_content()
    assert "Nộp muộn" in late
    assert "Kính gửi: Sở Giao thông vận tải" in body


def test_feedback_is_sent_over_smtp_once(ws: Workspace) -> None:
    with_examples(ws)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        code, out = run(ws, "notify", "--period", "2024", "--send")
        assert code == 0, out
        assert len(inbox.messages) == 33
        _, _, raw = next(m for m in inbox.messages if "syt@thainguyen.gov.vn" in m[1])
        message = email.message_from_bytes(raw, policy=email.policy.default)
        assert message["In-Reply-To"] == "<ct07-2024-syt-2@thainguyen.gov.vn>"   # the resubmission's message
        assert "Kết quả kiểm tra: Đạt." in message.get_body().get_content()
        run(ws, "notify", "--period", "2024", "--send")
        assert len(inbox.messages) == 33                                         # nothing is sent twice
    code, out = run(ws, "status", "--period", "2024", "--json")
    data = json.loads(out)
    assert data["STP"]["feedback_at"] and data["STP"]["source"].startswith("thư của Sở Tư pháp")


def test_reminder_letter_and_mails(ws: Workspace) -> None:
    with_examples(ws)
    until = format_date(datetime.now(VN_TZ).date() + timedelta(days=14))   # a new deadline must be ahead
    code, out = run(ws, "remind", "--period", "2024", "--until", until)
    assert code == 0, out
    assert "2 đơn vị cần đôn đốc" in out
    folder = ws.output_dir / "2024" / "nhac-nho"
    letter = docx.Document(str(folder / "cong-van-don-doc-2024.docx"))
    header = letter.tables[0]
    number_cell = header.rows[1].cells[0]
    assert number_cell.paragraphs[0].text.endswith("/UBND-KGVX")
    assert number_cell.paragraphs[1].text == "V/v đôn đốc báo cáo kết quả thực hiện Kế hoạch số 129/KH-UBND"
    assert number_cell.paragraphs[1].runs[0].font.size == Pt(12)
    texts = [p.text for p in letter.paragraphs]
    assert "Kính gửi:" in texts
    assert "- Ủy ban nhân dân huyện Võ Nhai;" in texts or "- Ủy ban nhân dân huyện Võ Nhai." in texts
    assert any(f"trước ngày {until}./." in t for t in texts)
    signature = letter.tables[-1].rows[0].cells
    assert signature[0].paragraphs[-1].text == "- Lưu: VT, KGVX."
    mail = read_eml(folder / "HVN.eml")
    names = [part.get_filename() for part in mail.iter_attachments()]
    assert names == ["HVN.xlsx", "cong-van-don-doc-2024.docx"]
    assert mail["To"] == "vonhai@thainguyen.gov.vn"
    assert not (folder / "STP.eml").exists()
    data = json.loads(run(ws, "status", "--period", "2024", "--json")[1])
    assert data["HVN"]["reminded_at"] and data["STP"]["reminded_at"] is None


def test_reminders_sent_over_smtp(ws: Workspace) -> None:
    with_examples(ws)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        code, out = run(ws, "remind", "--period", "2024", "--send")
        assert code == 0, out
        assert sorted(r for _, rcpts, _ in inbox.messages for r in rcpts) == [
            "sgtvt@thainguyen.gov.vn", "vonhai@thainguyen.gov.vn"]


def _point_smtp(ws: Workspace, port: int, ca: Path | None) -> None:
    path = ws.root / "planreports.toml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r'smtp_host = ".*"', 'smtp_host = "127.0.0.1"', text)
    text = re.sub(r"smtp_port = \d+", f"smtp_port = {port}", text)
    text = re.sub(r'smtp_cafile = ".*"', f'smtp_cafile = "{ca.as_posix() if ca else ""}"', text)
    path.write_text(text, encoding="utf-8")


def _remind_send(ws: Workspace, password: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "remind", "--period", "2024", "--send"],
                                env={"PLANREPORTS_SMTP_PASSWORD": password})
    return result.exit_code, result.output


def test_smtp_certificate_is_verified(ws: Workspace) -> None:
    from tests.mailservers import secure_smtp_server

    with_examples(ws)
    with secure_smtp_server("stttt@thainguyen.gov.vn", "mat-khau-gui") as (port, inbox, _):
        _point_smtp(ws, port, None)
        code, out = _remind_send(ws, "mat-khau-gui")
        assert code == 1 and "không được xác thực" in out and "mail.smtp_cafile" in out   # not wrong usage
        assert inbox.messages == []


def test_smtp_with_starttls_and_login(ws: Workspace) -> None:
    from tests.mailservers import secure_smtp_server

    with_examples(ws)
    with secure_smtp_server("stttt@thainguyen.gov.vn", "mat-khau-gui") as (port, inbox, ca):
        _point_smtp(ws, port, ca)
        code, out = _remind_send(ws, "sai")
        assert code == 1 and "từ chối đăng nhập" in out
        code, out = _remind_send(ws, "mat-khau-gui")
        assert code == 0, out
        assert len(inbox.messages) == 2


def test_unreachable_server_is_exit_1_not_usage(ws: Workspace) -> None:
    with_examples(ws)
    port = free_port()                                                         # nothing listens there
    use_smtp(ws, port)
    code, out = run(ws, "remind", "--period", "2024", "--send")
    assert code == 1
    assert f"Không kết nối được máy chủ gửi thư 127.0.0.1:{port}: máy chủ không nhận kết nối" in out
    assert "Lỗi cách dùng" not in out
    code, out = run(ws, "notify", "--period", "2024", "--send")
    assert code == 1 and "Không kết nối được máy chủ gửi thư" in out


def test_server_without_starttls_is_refused(ws: Workspace) -> None:
    with_examples(ws)
    with smtp_server() as (port, inbox):
        use_smtp(ws, port)
        path = ws.root / "planreports.toml"
        path.write_text(path.read_text(encoding="utf-8").replace("smtp_starttls = false", "smtp_starttls = true"),
                        encoding="utf-8")
        code, out = run(ws, "remind", "--period", "2024", "--send")
        assert code == 1 and "không hỗ trợ mã hoá STARTTLS: chưa gửi thư nào" in out
        assert inbox.messages == []
