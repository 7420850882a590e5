"""Where received workbooks come from: files, folders (recursively) and saved e-mails (.eml, .msg, .mbox,
Maildir).

Each yields Incoming items: the bytes, a display name, where they came from and when they were received; and
MailNote items for what the office should know about a mail that is not a file's finding (a mail with no
workbook, naming what it had instead; an mbox that had to be mended). How a message's parts are read is in
intake/mailparts.py. Attachment names from mail are untrusted: they are only displayed, never used as paths.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from email.errors import MessageDefect
from email.message import EmailMessage, Message
from pathlib import Path, PurePosixPath

from planreports.findings import Issue, IssueCode, make_issue
from planreports.intake.headers import Envelope, envelope_of
from planreports.intake.mailparts import MAX_CONTAINER, Attachment, Parts, attachments, safe_name, when
from planreports.intake.mbox import messages
from planreports.intake.outlook import read_msg
from planreports.vn.dates import VN_TZ

__all__ = ["Incoming", "MailNote", "from_message", "iter_sources", "parse_message", "safe_name"]

MAIL_SUFFIXES = {".eml", ".mbox", ".msg"}
IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
DOCUMENT_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".odt", ".rtf"})   # sent instead of the workbook
# a photo or scan of the report, sent instead of the workbook; only as an attachment (pictures shown in the
# letter, such as a signature's logo, are inline)
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".tif", ".tiff"})


@dataclass(frozen=True)
class Incoming:
    name: str                 # display name (file name or attachment name, sanitized)
    data: bytes
    source: str               # path of the file or mail file
    source_kind: str          # "file" | "eml" | "msg" | "mbox" | "maildir" | "imap"
    received_at: datetime     # for an attachment of an attached message: that message's date
    sender: str | None = None
    subject: str | None = None
    message_id: str | None = None
    forwarded_by: str | None = None     # who sent the mail that carried the attached message
    forwarded_at: datetime | None = None


@dataclass(frozen=True)
class MailNote:
    """What the office should know about one mail (or mailbox file) beside its files' findings."""

    source: str
    sender: str | None
    subject: str | None
    received_at: datetime
    issues: tuple[Issue, ...] = ()
    unread: tuple[str, ...] = ()      # attachments that hold no workbook, by name
    message_id: str | None = None     # the same mail, however it was saved or fetched, is one mail


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=VN_TZ)


def _incoming(found: Attachment, top: Envelope, source: str, kind: str, received: datetime) -> Incoming:
    envelope = found.envelope
    if found.depth == 0:
        return Incoming(found.name, found.data, source, kind, received, top.sender, top.subject, top.message_id)
    return Incoming(found.name, found.data, source, kind, when(envelope, received), envelope.sender or top.sender,
                    envelope.subject or top.subject, envelope.message_id or top.message_id,
                    top.sender or "?", received)


def no_workbook(source: str, envelope: Envelope, received: datetime, unread: list[str]) -> MailNote:
    shown = ", ".join(f"“{name}”" for name in unread)
    issue = make_issue(IssueCode.MAIL_NO_WORKBOOK,
                       unread=f"; tệp đính kèm không được đọc: {shown}" if unread else " (không có tệp đính kèm)")
    return MailNote(source, envelope.sender, envelope.subject, received, (issue,), tuple(unread), envelope.message_id)


def from_message(message: Message, source: str, kind: str, fallback_time: datetime
                 ) -> tuple[list[Incoming], MailNote | None]:
    """The workbooks of one received message; a note naming what it had instead when it had none. A message with
    no workbook but a Word or PDF file sent instead, or encrypted whole: that file (or the smime.p7m) is received
    (and rejected, with the sender, so it stays in sight); beside a workbook, it is the covering letter and left
    alone."""
    top = envelope_of(message)
    fallback = fallback_time if fallback_time.tzinfo else fallback_time.replace(tzinfo=VN_TZ)
    received = top.date or fallback
    try:
        parts = attachments(message, top, read_msg)
    except RecursionError:      # an attached message decoded or opened (base64, smime.p7m) nested past the limit
        parts = Parts(unread=[TOO_DEEP])
    if any(isinstance(defect, TooDeep) for defect in message.defects):
        parts.unread.append(TOO_DEEP)
    found = [_incoming(item, top, source, kind, received) for item in parts.ordered()]
    if not found:  # an encrypted mail is received as its smime.p7m, so that it stays in sight, named
        found = [Incoming(name, data, source, kind, received, top.sender, top.subject, top.message_id)
                 for name, data in [*parts.encrypted, *_documents(message)]]
    return found, (None if found else no_workbook(source, top, received, parts.unread))


def _documents(message: Message) -> Iterator[tuple[str, bytes]]:
    """The Word and PDF files, photos and scans attached to a message (its own parts, not those of attached
    messages)."""
    for part in message.walk():
        name = part.get_filename()
        suffix = PurePosixPath(name or "").suffix.lower()
        image = suffix in IMAGE_SUFFIXES and part.get_content_disposition() == "attachment"
        if name and (suffix in DOCUMENT_SUFFIXES or image):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and len(payload) <= MAX_CONTAINER:
                yield safe_name(name), payload


# what is named instead of the attachments of a message nested deeper than Python's parser can follow
TOO_DEEP = "(thư lồng nhau quá nhiều tầng, không đọc được phần đính kèm)"


class TooDeep(MessageDefect):
    """The message is nested deeper than the parser can follow: only its headers were read."""


def parse_message(data: bytes) -> EmailMessage:
    """The message; one nested past what the parser can follow (a hostile mail: thousands of levels) keeps its
    headers and a TooDeep defect, so that it is named, never a crash of the batch."""
    try:
        message = email.message_from_bytes(data, policy=email.policy.default)
    except RecursionError:
        head = data.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        message = email.message_from_bytes(head + b"\n\n", policy=email.policy.default)
        message.defects.append(TooDeep())
    assert isinstance(message, EmailMessage)   # the default policy always makes EmailMessage
    return message


def _items(message: Message, source: str, kind: str, fallback: datetime) -> Iterator[Incoming | MailNote]:
    items, note = from_message(message, source, kind, fallback)
    yield from items
    if note:
        yield note


def _mailbox_items(box: mailbox.Mailbox, source: str, kind: str, fallback: datetime
                   ) -> Iterator[Incoming | MailNote]:
    for key in sorted(box.keys()):
        yield from _items(parse_message(box.get_bytes(key)), f"{source}#{key}", kind, fallback)


def _mbox_items(path: Path) -> Iterator[Incoming | MailNote]:
    for found in messages(path):
        message, source = parse_message(found.data), f"{path}#{found.key}"
        yield from _items(message, source, "mbox", _mtime(path))
        if found.rejoined:
            top = envelope_of(message)
            issue = make_issue(IssueCode.MAIL_UNESCAPED_FROM, file=path.name, mailbox=path.name, number=found.key + 1)
            yield MailNote(source, top.sender, top.subject, top.date or _mtime(path), (issue,))


def _msg_items(path: Path) -> Iterator[Incoming | MailNote]:
    try:
        message = read_msg(path.read_bytes())
    except ValueError as exc:   # not readable as a message: said so, the file stays where it is
        yield no_workbook(str(path), Envelope(None, None, None, None), _mtime(path), [f"{path.name} ({exc})"])
        return
    yield from _items(message, str(path), "msg", _mtime(path))


def _file_items(path: Path) -> Iterator[Incoming | MailNote]:
    suffix = path.suffix.lower()
    if suffix == ".eml":
        yield from _items(parse_message(path.read_bytes()), str(path), "eml", _mtime(path))
    elif suffix == ".mbox":
        yield from _mbox_items(path)
    elif suffix == ".msg":
        yield from _msg_items(path)
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
