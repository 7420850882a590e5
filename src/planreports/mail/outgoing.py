"""Outgoing mail: build messages, write them as .eml files, or send them over SMTP.

.eml files open in Outlook/Thunderbird ready to send. With --send they go through the SMTP server of the
config; its password comes from the environment, never from a file.

Sending is what must not repeat: `dispatch` records in the ledger each message the server took, right after it
took it, and the callers skip what the ledger says was sent. One recipient's error (an address refused, a
4xx/5xx answer to RCPT or DATA) fails that message only; the batch goes on, and the failed one is not recorded,
so running the command again retries it. A server that cannot be reached, TLS or the login failing, stops
the command with a MailError.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from enum import StrEnum
from pathlib import Path

from planreports.config import MailSettings
from planreports.errors import MailError, UsageError, network_reason
from planreports.files import atomic_path
from planreports.ledger import Ledger, Sent, SentKind, Transport

SMTP_PASSWORD_ENV = "PLANREPORTS_SMTP_PASSWORD"


class MailStatus(StrEnum):
    SENT = "sent"          # the server took it (recorded: never sent again unless asked)
    WRITTEN = "written"    # written as .eml only (no --send)
    SKIPPED = "skipped"    # not sent: sent before, or no address to send to (the reason says which)
    FAILED = "failed"      # the server refused it or the connection broke (not recorded: a re-run retries it)


@dataclass(frozen=True)
class OutgoingMail:
    """What became of the message to one agency; `reason` says why it was skipped or failed, or, for a sent
    one, which address the server refused."""

    kind: SentKind
    agency: str | None
    to: str
    path: Path | None
    status: MailStatus
    reason: str | None = None

    @property
    def has_error(self) -> bool:
        """Failed, or sent with an address refused: the command's exit code is 1."""
        return self.status is MailStatus.FAILED or (self.status is MailStatus.SENT and self.reason is not None)


@dataclass(frozen=True)
class Prepared:
    """A message for one agency, already written as .eml, with what the ledger says about it."""

    agency: str | None
    to: str
    message: EmailMessage | None   # None: no address to write to (then `path` is None and `skip` says so)
    path: Path | None
    ref: str | None                # Sent.ref: the receipt a feedback answers, the letter date of a reminder
    skip: str | None = None        # why it is not to be sent: sent before (then), or no address


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
    if settings.reply_to:
        message["Reply-To"] = settings.reply_to
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


def _refused(recipients: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(f"máy chủ từ chối địa chỉ {address} ({_reply(code, text)})"
                     for address, (code, text) in recipients.items())


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
        self.lost: str | None = None    # why the connection ended during the batch: the rest is not tried

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

    def deliver(self, message: EmailMessage) -> tuple[MailStatus, str | None]:
        """Send one message. A refusal is this message's result, never an exception; after the connection
        is lost the remaining messages fail at once (a re-run sends them)."""
        if self.connection is None or self.lost:
            return MailStatus.FAILED, f"chưa gửi vì {self.lost or 'chưa kết nối máy chủ gửi thư'}"
        try:
            refused = self.connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            reason = _refused(exc.recipients)
        except smtplib.SMTPSenderRefused as exc:
            reason = f"máy chủ từ chối địa chỉ gửi {exc.sender} ({_reply(exc.smtp_code, exc.smtp_error)})"
        except smtplib.SMTPDataError as exc:
            reason = f"máy chủ không nhận nội dung thư ({_reply(exc.smtp_code, exc.smtp_error)})"
        except smtplib.SMTPNotSupportedError:
            reason = "địa chỉ thư có chữ có dấu, máy chủ gửi thư không nhận (không hỗ trợ SMTPUTF8): sửa địa chỉ"
        except (OSError, smtplib.SMTPException) as exc:
            self.lost = f"mất kết nối với máy chủ gửi thư {self.server} ({_why(exc)})"
            self.__exit__()
            return MailStatus.FAILED, self.lost
        else:
            return MailStatus.SENT, _refused(refused) if refused else None
        if getattr(self.connection, "sock", None) is None:   # smtplib hangs up after a 421 answer
            self.lost = f"máy chủ gửi thư {self.server} đã đóng kết nối sau thư trước"
            self.connection = None
        return MailStatus.FAILED, reason

    def __exit__(self, *exc: object) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (OSError, smtplib.SMTPException):
                self.connection.close()
            self.connection = None


def dispatch(ledger: Ledger, items: list[Prepared], kind: SentKind, period: str, now: datetime,
            smtp: Callable[[], SmtpSender] | None) -> list[OutgoingMail]:
    """Send (given `smtp`) or only write each prepared message. Each message written or taken by the server is
    recorded at once, so an interrupted batch never loses track of what went out; a failed one is not. The
    connection is opened only when something is to be sent."""
    pending = smtp is not None and any(i.message is not None and i.skip is None for i in items)
    with smtp() if smtp is not None and pending else contextlib.nullcontext() as sender:
        return [_settle(ledger, item, kind, period, now, sender, smtp is not None) for item in items]


def _settle(ledger: Ledger, item: Prepared, kind: SentKind, period: str, now: datetime, sender: SmtpSender | None,
            sending: bool) -> OutgoingMail:
    status: MailStatus
    reason = item.skip
    if item.message is None or (sending and item.skip is not None):
        status = MailStatus.SKIPPED
    elif sender is None:
        status, reason = MailStatus.WRITTEN, None
    else:
        status, reason = sender.deliver(item.message)
    if item.message is not None and status in (MailStatus.SENT, MailStatus.WRITTEN):
        ledger.record_sent(Sent(kind, item.agency, period, now.isoformat(), str(item.path),
                                Transport.SMTP if status is MailStatus.SENT else Transport.FILE,
                                str(item.message["Message-ID"]), item.ref))
    return OutgoingMail(kind, item.agency, item.to, item.path, status, reason)
