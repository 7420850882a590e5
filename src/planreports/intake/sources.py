"""Where received workbooks come from: files, folders (recursively) and saved e-mails (.eml, .mbox, Maildir).

Each yields Incoming items: the bytes, a display name, where they came from and when they were received.
Attachment names from mail are untrusted: they are only displayed, never used as paths.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import io
import mailbox
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage, Message
from pathlib import Path, PurePosixPath, PureWindowsPath

from planreports.files import SPREADSHEET_SUFFIXES
from planreports.vn.dates import VN_TZ

MAIL_SUFFIXES = {".eml", ".mbox"}
MAX_NESTING = 10                      # message/rfc822 inside message/rfc822 ...
MAX_MIME_LEVELS = 60
MAX_ZIP_MEMBER = 50 * 1024 * 1024
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".odt", ".rtf"})   # sent instead of the workbook


@dataclass(frozen=True)
class Incoming:
    name: str                 # display name (file name or attachment name, sanitized)
    data: bytes
    source: str               # path of the file or mail file
    source_kind: str          # "file" | "eml" | "mbox" | "maildir" | "imap"
    received_at: datetime
    sender: str | None = None
    subject: str | None = None
    message_id: str | None = None


@dataclass(frozen=True)
class MailNote:
    """A message that carried no spreadsheet: listed for the officer, not an error."""

    source: str
    sender: str | None
    subject: str | None
    received_at: datetime


def safe_name(raw: str | None, fallback: str = "tep-dinh-kem") -> str:
    """A display name from an untrusted attachment name: last path part, no control characters, bounded."""
    if not raw:
        return fallback
    name = PureWindowsPath(PurePosixPath(raw.replace("\x00", "")).name).name
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:100] + "…" + dot + suffix) if dot and len(suffix) <= 5 else name[:120]
    return name or fallback


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=VN_TZ)


def _mail_date(message: Message, fallback: datetime) -> datetime:
    try:
        parsed = email.utils.parsedate_to_datetime(str(message.get("Date", "")))
    except (TypeError, ValueError, IndexError):
        return fallback
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed.astimezone(VN_TZ)


def _header(message: Message, name: str) -> str | None:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # malformed encoded words
        return None
    return str(value).strip() if value is not None else None


def _zip_members(name: str, payload: bytes) -> Iterator[tuple[str, bytes]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
        for info in archive.infolist():
            suffix = PurePosixPath(info.filename).suffix.lower()
            if suffix in SPREADSHEET_SUFFIXES and not info.is_dir() and info.file_size <= MAX_ZIP_MEMBER:
                yield f"{name}/{safe_name(info.filename)}", archive.read(info)
    except Exception:  # a broken .zip attachment yields nothing; the message is still listed
        return


def _attachments(part: Message, forwarded: int = 0, level: int = 0,
                 wanted: frozenset[str] = SPREADSHEET_SUFFIXES) -> Iterator[tuple[str, bytes]]:
    """Spreadsheet attachments of a message (or those with a `wanted` suffix), also inside .zip files and
    forwarded messages.

    Nesting is bounded (forwarded messages and MIME levels) so a hostile message cannot exhaust the stack.
    """
    if level > MAX_MIME_LEVELS:
        return
    if part.get_content_type() == "message/rfc822" or part.is_multipart():
        nested = part.get_content_type() == "message/rfc822"
        if nested and forwarded >= MAX_NESTING:
            return
        payload = part.get_payload()
        for sub in payload if isinstance(payload, list) else []:
            if isinstance(sub, Message):
                yield from _attachments(sub, forwarded + nested, level + 1, wanted)
        return
    filename = part.get_filename()
    if not filename:
        return  # body text, inline images without a name, signatures
    name = safe_name(filename)
    suffix = PurePosixPath(name).suffix.lower()
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return
    if suffix in wanted:
        yield name, payload
    elif suffix == ".zip" and wanted is SPREADSHEET_SUFFIXES:
        yield from _zip_members(name, payload)


def from_message(message: Message, source: str, kind: str, fallback_time: datetime
                 ) -> tuple[list[Incoming], MailNote | None]:
    received = _mail_date(message, fallback_time)
    sender = _header(message, "From")
    subject = _header(message, "Subject")
    message_id = _header(message, "Message-ID")
    # a message with no workbook but a Word or PDF file sent instead: that file is received (and rejected,
    # with the sender, so it stays in sight); beside a workbook, it is the covering letter and left alone
    attached = list(_attachments(message)) or list(_attachments(message, wanted=DOCUMENT_SUFFIXES))
    found = [Incoming(name, data, source, kind, received, sender, subject, message_id) for name, data in attached]
    return found, (None if found else MailNote(source, sender, subject, received))


def parse_message(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)   # the default policy always makes EmailMessage
    return message


def _mailbox_items(box: mailbox.Mailbox, source: str, kind: str, fallback: datetime
                   ) -> Iterator[Incoming | MailNote]:
    for key in sorted(box.keys()):
        raw = box.get_bytes(key)
        items, note = from_message(parse_message(raw), f"{source}#{key}", kind, fallback)
        yield from items
        if note:
            yield note


def _file_items(path: Path) -> Iterator[Incoming | MailNote]:
    suffix = path.suffix.lower()
    if suffix == ".eml":
        items, note = from_message(parse_message(path.read_bytes()), str(path), "eml", _mtime(path))
        yield from items
        if note:
            yield note
    elif suffix == ".mbox":
        yield from _mailbox_items(mailbox.mbox(path, create=False), str(path), "mbox", _mtime(path))
    else:
        yield Incoming(path.name, path.read_bytes(), str(path), "file", _mtime(path))


def _is_maildir(path: Path) -> bool:
    return all((path / sub).is_dir() for sub in ("cur", "new", "tmp"))


def ignored(path: Path) -> bool:
    # Excel's "~$name.xlsx" owner files and system files are not submissions.
    return path.name.startswith(("~$", ".")) or path.name.lower() in IGNORED_NAMES


SkipFolder = Callable[[Path], bool]


def _walk(folder: Path, skip_folder: SkipFolder) -> Iterator[Incoming | MailNote]:
    if _is_maildir(folder):
        yield from _mailbox_items(mailbox.Maildir(folder, create=False), str(folder), "maildir", _mtime(folder))
        return
    for child in sorted(folder.iterdir()):
        if ignored(child):
            continue
        if child.is_dir():
            if not skip_folder(child):
                yield from _walk(child, skip_folder)
        elif child.is_file():
            yield from _file_items(child)


def iter_sources(paths: list[Path], skip_folder: SkipFolder = lambda _: False) -> Iterator[Incoming | MailNote]:
    """Every received item below the given files and folders, in a stable order; folders for which
    `skip_folder` says so are not entered."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path, skip_folder)
        else:
            yield from _file_items(path)
