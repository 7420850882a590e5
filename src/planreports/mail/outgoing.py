"""Outgoing mail: build messages, write them as .eml files, or send them over SMTP.

.eml files open in Outlook/Thunderbird ready to send. With --send they go through the SMTP server of the
config; its password comes from the environment, never from a file.
"""

from __future__ import annotations

import hashlib
import os
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from pathlib import Path

from planreports.config import MailSettings
from planreports.errors import MailError, UsageError, network_reason
from planreports.files import atomic_path
from planreports.ledger import SentKind

SMTP_PASSWORD_ENV = "PLANREPORTS_SMTP_PASSWORD"


@dataclass(frozen=True)
class OutgoingMail:
    """A message prepared for an agency: written as .eml, and sent when `sent`."""

    kind: SentKind
    agency: str | None
    to: str
    path: Path
    sent: bool


@dataclass(frozen=True)
class Attachment:
    name: str
    data: bytes
    maintype: str
    subtype: str


XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def build_message(settings: MailSettings, to: list[str], subject: str, body: str, when: datetime,
                  cc: list[str] | None = None, in_reply_to: str | None = None,
                  attachments: list[Attachment] | None = None) -> EmailMessage:
    message = EmailMessage()
    message["From"] = formataddr((settings.from_name, settings.from_address)) if settings.from_address else ""
    message["To"] = ", ".join(to)
    if cc:
        message["Cc"] = ", ".join(cc)
    message["Subject"] = subject
    message["Date"] = format_datetime(when)
    digest = hashlib.sha256("|".join([*to, subject, body, when.isoformat()]).encode()).hexdigest()[:24]
    domain = settings.from_address.partition("@")[2] or "planreports.local"
    message["Message-ID"] = f"<{digest}@{domain}>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    message.set_content(body)
    for item in attachments or []:
        message.add_attachment(item.data, maintype=item.maintype, subtype=item.subtype, filename=item.name)
    return message


def write_eml(path: Path, message: EmailMessage) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(bytes(message))
    return path


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    hint = "; lỗi tạm thời, chạy lại lệnh sau để gửi lại" if 400 <= code < 500 else ""
    return f"{code} {' '.join(message.split())}{hint}"


def _why(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"máy chủ trả lời {_reply(exc.smtp_code, exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return "máy chủ đã ngắt kết nối"
    return network_reason(exc)


class SmtpSender:
    """One SMTP connection for a batch; login only when a user is configured."""

    def __init__(self, settings: MailSettings, cafile: Path | None = None, timeout: float = 60) -> None:
        if not settings.smtp_host:
            raise UsageError("Chưa cấu hình máy chủ gửi thư: điền mail.smtp_host trong planreports.toml.")
        self.settings = settings
        self.cafile = cafile
        self.timeout = timeout
        self.connection: smtplib.SMTP | None = None

    @property
    def server(self) -> str:
        return f"{self.settings.smtp_host}:{self.settings.smtp_port}"

    def __enter__(self) -> SmtpSender:
        password = os.environ.get(SMTP_PASSWORD_ENV, "") if self.settings.smtp_user else ""
        if self.settings.smtp_user and not password:
            raise UsageError(f"Cần mật khẩu thư đi: đặt biến môi trường {SMTP_PASSWORD_ENV}.")
        try:
            self._open(password)
        except BaseException:
            self.__exit__()
            raise
        return self

    def _open(self, password: str) -> None:
        settings = self.settings
        try:
            self.connection = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=self.timeout)
            if settings.smtp_starttls:
                # the certificate is always verified: system authorities, or the office's own CA file
                context = ssl.create_default_context(cafile=str(self.cafile) if self.cafile else None)
                self.connection.starttls(context=context)
            if settings.smtp_user:
                self.connection.login(settings.smtp_user, password)
        except smtplib.SMTPAuthenticationError:
            raise MailError(f"Máy chủ gửi thư từ chối đăng nhập tài khoản {settings.smtp_user}: kiểm tra mật khẩu "
                            f"(biến môi trường {SMTP_PASSWORD_ENV}).") from None
        except ssl.SSLCertVerificationError as exc:
            raise MailError(f"Chứng thư bảo mật của máy chủ gửi thư {settings.smtp_host} không được xác thực "
                            f"({exc.verify_message}). Nếu cơ quan dùng chứng thư nội bộ, ghi đường dẫn tệp CA vào "
                            "mail.smtp_cafile trong planreports.toml.") from None
        except smtplib.SMTPNotSupportedError:
            plain = settings.smtp_starttls and not isinstance(getattr(self.connection, "sock", None), ssl.SSLSocket)
            what = "mã hoá STARTTLS" if plain else "đăng nhập (AUTH)"
            raise MailError(f"Máy chủ gửi thư {self.server} không hỗ trợ {what}: chưa gửi thư nào. Kiểm tra "
                            "mail.smtp_host và mail.smtp_port trong planreports.toml.") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"Không kết nối được máy chủ gửi thư {self.server}: {_why(exc)}. Chưa gửi thư "
                            "nào.") from None

    def send(self, message: EmailMessage) -> None:
        assert self.connection is not None
        self.connection.send_message(message)

    def __exit__(self, *exc: object) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None
