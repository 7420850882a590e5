"""Fetch submissions from a mailbox: imaps://user@host[:port]/Folder (imap:// for local test servers).

Only messages not processed before are read: the ledger remembers (mailbox, UIDVALIDITY, UID). Messages are
fetched with BODY.PEEK so the server's \\Seen flag is untouched unless the user asks (--mark-seen); nothing is
ever deleted or moved. The password comes from the caller (environment variable or prompt), never stored.
"""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import unquote, urlsplit

from planreports.errors import MailError, UsageError, network_reason
from planreports.intake.sources import Incoming, MailNote, from_message, parse_message
from planreports.vn.dates import VN_TZ

PASSWORD_ENV = "PLANREPORTS_IMAP_PASSWORD"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class ImapTarget:
    secure: bool
    user: str
    host: str
    port: int
    folder: str

    @property
    def mailbox(self) -> str:
        """Identity of the mailbox in the ledger (no password, ever)."""
        return f"{'imaps' if self.secure else 'imap'}://{self.user}@{self.host}:{self.port}/{self.folder}"


@dataclass(frozen=True)
class MailDone:
    """Emitted after the last item of a message: only then is the message remembered as processed."""

    mailbox: str
    uidvalidity: str
    uid: str
    message_id: str | None


def parse_imap_url(text: str) -> ImapTarget | None:
    if not text.lower().startswith(("imap://", "imaps://")):
        return None
    parts = urlsplit(text)
    if not parts.hostname or not parts.username:
        raise UsageError(f"Địa chỉ hộp thư “{text}” chưa đúng. Dạng đúng: imaps://tai-khoan@may-chu/INBOX")
    secure = parts.scheme.lower() == "imaps"
    folder = unquote(parts.path.lstrip("/")) or "INBOX"
    return ImapTarget(secure, unquote(parts.username), parts.hostname, parts.port or (993 if secure else 143), folder)


def _imap_date(day: date) -> str:
    return f"{day.day:02d}-{MONTHS[day.month - 1]}-{day.year}"


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _connect(target: ImapTarget, timeout: float, cafile: Path | None) -> imaplib.IMAP4:
    if not target.secure:
        return imaplib.IMAP4(target.host, target.port, timeout=timeout)
    # certificates are always verified: against the system's authorities, or the office's own CA file
    context = ssl.create_default_context(cafile=str(cafile) if cafile else None)
    return imaplib.IMAP4_SSL(target.host, target.port, ssl_context=context, timeout=timeout)


def _open(target: ImapTarget, password: str, mark_seen: bool, timeout: float, cafile: Path | None
          ) -> tuple[imaplib.IMAP4, str]:
    """Connect, log in and select the folder: the connection and the folder's UIDVALIDITY, or a MailError."""
    try:
        connection = _connect(target, timeout, cafile)
    except ssl.SSLCertVerificationError as exc:
        raise MailError(f"Chứng thư bảo mật của máy chủ thư {target.host} không được xác thực ({exc.verify_message})."
                        " Nếu cơ quan dùng chứng thư nội bộ, ghi đường dẫn tệp CA vào mail.imap_cafile trong "
                        "planreports.toml.") from None
    except imaplib.IMAP4.error:
        raise MailError(f"Máy chủ {target.host}:{target.port} không trả lời như một máy chủ thư IMAP: kiểm tra "
                        "cổng trong địa chỉ hộp thư.") from None
    except OSError as exc:
        raise MailError(f"Không kết nối được máy chủ thư {target.host}:{target.port}: {network_reason(exc)}.") from None
    try:
        try:
            connection.login(target.user, password)
        except imaplib.IMAP4.error:
            raise MailError(f"Máy chủ thư từ chối đăng nhập tài khoản {target.user}: kiểm tra mật khẩu "
                            f"(biến môi trường {PASSWORD_ENV}).") from None
        status, _ = connection.select(_quote(target.folder), readonly=not mark_seen)
        if status != "OK":
            raise MailError(f"Không mở được thư mục “{target.folder}” trong hộp thư {target.user} trên máy chủ "
                            f"{target.host}: kiểm tra tên thư mục trong địa chỉ hộp thư.")
    except BaseException:
        _logout(connection)
        raise
    uidvalidity = (connection.response("UIDVALIDITY")[1] or [b"0"])[0]
    return connection, uidvalidity.decode() if isinstance(uidvalidity, bytes) else str(uidvalidity)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, imaplib.IMAP4.abort):
        return "máy chủ đã ngắt kết nối"
    if isinstance(exc, imaplib.IMAP4.error):
        return f"máy chủ trả lời lỗi ({exc})"
    return network_reason(exc)


def _logout(connection: imaplib.IMAP4) -> None:
    with contextlib.suppress(imaplib.IMAP4.error, OSError):
        connection.logout()


def fetch(target: ImapTarget, password: str, seen: set[tuple[str, str]], since: date | None = None,
          mark_seen: bool = False, timeout: float = 60, cafile: Path | None = None
          ) -> Iterator[Incoming | MailNote | MailDone]:
    """New messages of the folder, oldest first. `seen` holds (uidvalidity, uid) already processed."""
    connection, validity = _open(target, password, mark_seen, timeout, cafile)
    try:
        criteria = ("SINCE", _imap_date(since)) if since else ("ALL",)
        status, data = connection.uid("SEARCH", *criteria)
        uids = [u.decode() for u in (data[0] or b"").split()] if status == "OK" else []
        for uid in sorted(uids, key=int):
            if (validity, uid) in seen:
                continue
            yield from _message(connection, target, validity, uid, mark_seen)
    except (imaplib.IMAP4.error, OSError) as exc:
        raise MailError(f"Lỗi khi đang đọc thư trên máy chủ {target.host}:{target.port}: {_reason(exc)}. Chạy lại "
                        "lệnh: những thư chưa được ghi nhận sẽ được đọc lại.") from None
    finally:
        _logout(connection)


def _message(connection: imaplib.IMAP4, target: ImapTarget, validity: str, uid: str, mark_seen: bool
             ) -> Iterator[Incoming | MailNote | MailDone]:
    status, data = connection.uid("FETCH", uid, "(BODY.PEEK[] INTERNALDATE)")
    raw = next((part[1] for part in data or [] if isinstance(part, tuple) and len(part) > 1), None)
    if status != "OK" or not isinstance(raw, bytes):
        return
    internal = next((part[0] for part in data if isinstance(part, tuple)), b"")
    fallback = internal_date(internal) or datetime.now(VN_TZ)
    message = parse_message(raw)
    items, note = from_message(message, f"{target.mailbox}#{validity}:{uid}", "imap", fallback)
    yield from items
    if note:
        yield note
    if mark_seen:
        connection.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    message_id = message.get("Message-ID")
    yield MailDone(target.mailbox, validity, uid, str(message_id) if message_id else None)


_INTERNALDATE = re.compile(rb'INTERNALDATE " ?(\d{1,2})-([A-Za-z]{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"')
_MONTHS = {name: number for number, name in enumerate(
    (b"jan", b"feb", b"mar", b"apr", b"may", b"jun", b"jul", b"aug", b"sep", b"oct", b"nov", b"dec"), start=1)}


def internal_date(header: bytes) -> datetime | None:
    """When the server received a message, in Vietnam time. Parsed here rather than by
    imaplib.Internaldate2tuple, which answers in the local time of the machine running the program."""
    match = _INTERNALDATE.search(header or b"")
    if not match or match.group(2).lower() not in _MONTHS:
        return None
    day, _, year, hour, minute, second, sign, zone_hours, zone_minutes = match.groups()
    offset = timedelta(hours=int(zone_hours), minutes=int(zone_minutes)) * (-1 if sign == b"-" else 1)
    try:
        moment = datetime(int(year), _MONTHS[match.group(2).lower()], int(day), int(hour), int(minute),
                          int(second), tzinfo=timezone(offset))
    except ValueError:          # 31-Feb and the like: no date rather than a crash
        return None
    return moment.astimezone(VN_TZ)
