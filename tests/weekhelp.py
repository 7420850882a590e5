"""Helpers of the "ordinary week" tests: a small copy of the example workspace, saved mails, the CLI."""

from __future__ import annotations

import hashlib
import shutil
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner, Result

from planreports.cli import cli
from planreports.ledger import Ledger, Receipt
from planreports.workspace import Workspace
from tests.conftest import copy_example

KEPT_2026 = ("stp.eml", "sxd.eml", "syt.eml")   # accepted with warnings, rejected (a bad cell), accepted


def small_example(target: Path, keep: tuple[str, ...] = KEPT_2026) -> Workspace:
    """The example workspace with only `keep` in input/inbox/2026/ and no earlier rounds (fast to collect)."""
    ws = copy_example(target)
    for folder in ("2024", "2025"):
        shutil.rmtree(ws.inbox / folder)
    for path in (ws.inbox / "2026").iterdir():
        if path.name not in keep:
            path.unlink()
    return ws


def invoke(ws: Workspace, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(ws.root), *args])


def receipts(ws: Workspace, period: str = "2026") -> list[Receipt]:
    if not ws.ledger_path.exists():
        return []
    with Ledger(ws.archive_dir) as ledger:
        return ledger.receipts(period)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def mail(sender: str, subject: str, attachments: list[tuple[str, bytes, str]],
         date: str = "Mon, 16 Nov 2026 09:00:00 +0700") -> bytes:
    """A saved e-mail (.eml) with (name, bytes, MIME type) attachments, as Thunderbird saves one."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"], message["Date"] = (
        sender, "svhttdl@thainguyen.gov.vn", subject, date)
    message["Message-ID"] = f"<{digest(subject.encode())[:16]}@thainguyen.gov.vn>"
    message.set_content("Kính gửi Sở VHTT&DL, đơn vị gửi báo cáo kèm theo.")
    for name, data, mime in attachments:
        maintype, subtype = mime.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return bytes(message)


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PDF_TYPE = "application/pdf"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
