"""The parts of a received message that may hold a workbook, however the mail program packed them.

A workbook arrives as a named attachment, a nameless one known by its content type or its bytes, a member of a
.zip, an attachment inside Outlook's winmail.dat (TNEF) or inside an attached message (a forward, a reply that
attached the earlier mail, a saved Outlook .msg). Each is found with the message it belongs to, so it is dated
and attributed by that message. A container that cannot be opened (.rar, .7z, a broken .zip) is passed on as it
is: the file's check names it and the original is kept. Attachments that are not workbooks (the covering letter,
pictures) are listed by name, so nobody is told a mail had nothing when it had something unread.

Every level is bounded (attached messages, MIME depth, member sizes), so a hostile message cannot exhaust the
program. Attachment names are untrusted: only displayed, never used as paths.
"""

from __future__ import annotations

import binascii
import email
import email.policy
import io
import quopri
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.errors import MissingHeaderBodySeparatorDefect
from email.generator import BytesGenerator
from email.message import EmailMessage, Message
from pathlib import PurePath, PurePosixPath, PureWindowsPath

import olefile

from planreports.files import SPREADSHEET_SUFFIXES
from planreports.intake.headers import Envelope, decode_8bit, envelope_of, repair
from planreports.intake.reader import OLE_MAGIC, ZIP_MAGIC, archive_kind
from planreports.intake.smime import P7M_SUFFIXES, P7M_TYPES, Wrapped, unwrap
from planreports.intake.tnef import TNEF_MAGIC, tnef_attachments
from planreports.intake.uuencode import uuencoded_files
from planreports.vn.text import nfc

MAX_NESTING = 10                      # message/rfc822 inside message/rfc822 ...
MAX_MIME_LEVELS = 60
MAX_ZIP_MEMBER = 50 * 1024 * 1024
MAX_CONTAINER = 100 * 1024 * 1024     # a winmail.dat or .msg larger than this is passed on unopened
FALLBACK_NAME = "tep-dinh-kem"

SPREADSHEET_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-excel.sheet.macroenabled.12": ".xlsm",
    "application/vnd.ms-excel": ".xls",
    "application/msexcel": ".xls",
    "application/x-msexcel": ".xls",
    "application/x-excel": ".xls",
    "application/excel": ".xls",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
}
ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/x-zip"}
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
OUTLOOK_TYPES = {"application/vnd.ms-outlook", "application/x-msg"}
# the detached signature of a clear-signed mail: part of the signing, not an attachment anybody sent
SIGNATURE_TYPES = {"application/pkcs7-signature", "application/x-pkcs7-signature"}
ARCHIVE_SUFFIXES = {".rar", ".7z", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".cab", ".arj", ".zipx", ".lzh"}
ARCHIVE_TYPES = {"application/x-rar-compressed", "application/vnd.rar", "application/x-rar",
                 "application/x-7z-compressed", "application/x-tar", "application/gzip", "application/x-gzip",
                 "application/x-bzip2", "application/x-xz", "application/vnd.ms-cab-compressed"}


@dataclass(frozen=True)
class Attachment:
    """A workbook (or a container the check must name) and the message it came in."""

    name: str
    data: bytes
    envelope: Envelope        # the message the attachment belongs to
    depth: int = 0            # 0: the received message's own; n: inside n attached messages


@dataclass
class Parts:
    attachments: list[Attachment] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)      # names of attachments that hold no workbook
    encrypted: list[tuple[str, bytes]] = field(default_factory=list)   # smime.p7m only the recipient's key opens

    def ordered(self) -> list[Attachment]:
        """The deepest (oldest) first: where the ledger has to break a tie, the message's own attachment
        comes last and so counts as the newest."""
        return sorted(self.attachments, key=lambda a: -a.depth)


# reads an attached Outlook .msg as a message (set by intake/outlook.py, which needs this module)
MsgReader = Callable[[bytes], EmailMessage]


def safe_name(raw: str | None, fallback: str = FALLBACK_NAME) -> str:
    """A display name from an untrusted attachment name: last path part, no control characters, bounded."""
    if not raw:
        return fallback
    name = PureWindowsPath(PurePosixPath(raw.replace("\x00", "")).name).name
    # NFC: a Mac or a windows-1258 mail program sends the tone marks apart from their letters
    name = nfc("".join(ch for ch in name if ch.isprintable())).strip(" .")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (stem[:100] + "…" + dot + suffix) if dot and len(suffix) <= 5 else name[:120]
    return name or fallback


def _zip_names(data: bytes) -> list[str]:
    try:
        return zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # a damaged or hostile central directory
        return []


def _ole_kind(data: bytes) -> str:
    """A compound file by the streams at its top: an Excel 97 workbook, an encrypted .xlsx, an Outlook message."""
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            names = {entry[0] for entry in ole.listdir(streams=True, storages=True)}
    except Exception:  # damaged: not known as anything
        return ""
    if names & {"Workbook", "Book"}:
        return ".xls"
    if "EncryptedPackage" in names:
        return ".xlsx"
    return ".msg" if "__properties_version1.0" in names else ""


def sniff_kind(data: bytes) -> str:
    """What bytes are, as a suffix: a workbook format, ".zip", ".msg", ".dat" (TNEF), an archive, or ""."""
    if data.startswith(ZIP_MAGIC):
        names = _zip_names(data)
        if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
            return ".xlsm" if "xl/vbaProject.bin" in names else ".xlsx"
        if "content.xml" in names and any(n == "mimetype" for n in names):
            return ".ods" if b"opendocument.spreadsheet" in data[:200] else ""
        return "" if "[Content_Types].xml" in names else ".zip"    # a Word or PowerPoint file is no archive
    if data.startswith(OLE_MAGIC):
        return _ole_kind(data)
    if data.startswith(TNEF_MAGIC):
        return ".dat"
    kind = archive_kind(data)
    return "." + kind.lower() if kind else ""


def _suffix(name: str) -> str:
    return PurePath(name).suffix.lower()


def classify(name: str | None, content_type: str, data: bytes) -> str:
    """How an attachment is read: a workbook suffix, ".zip", ".dat" (TNEF), ".msg", "archive" or ""."""
    suffix = _suffix(name or "")
    if suffix in SPREADSHEET_SUFFIXES:
        return suffix
    if (name or "").lower() == "winmail.dat" or content_type in TNEF_TYPES:
        return ".dat"
    if content_type in P7M_TYPES or suffix in P7M_SUFFIXES:
        return ".p7m"
    sniffed = sniff_kind(data)
    if sniffed == ".zip" and suffix not in ("", ".zip") and content_type not in ZIP_TYPES:
        return ""              # a .docx, .odt, .jar …: a zip, but no archive of workbooks
    if sniffed in SPREADSHEET_SUFFIXES or sniffed in (".zip", ".dat", ".msg"):
        return sniffed
    if sniffed or suffix in ARCHIVE_SUFFIXES or content_type in ARCHIVE_TYPES:
        return "archive"
    if suffix in (".zip", ".msg"):
        return suffix          # damaged: passed on so that the check says so
    if content_type in SPREADSHEET_TYPES:
        return SPREADSHEET_TYPES[content_type]
    return ".zip" if content_type in ZIP_TYPES else (".msg" if content_type in OUTLOOK_TYPES else "")


def display_name(name: str | None, kind: str) -> str:
    """The attachment's name, given the suffix of what it is when it has none (or a misleading one)."""
    shown = safe_name(name)
    if kind in SPREADSHEET_SUFFIXES and _suffix(shown) not in SPREADSHEET_SUFFIXES:
        return shown + kind
    return shown


def _is_body(part: Message, name: str | None) -> bool:
    """Text of the message and the pictures of a signature: not attachments."""
    if part.get_content_type() in SIGNATURE_TYPES:
        return True
    if name:
        return False
    disposition = part.get_content_disposition()
    return disposition != "attachment" and part.get_content_maintype() in ("text", "image", "multipart")


# an "=" that quoted-printable never writes: not followed by two hex digits or a line end (a soft break)
_NOT_QUOTED_PRINTABLE = re.compile(rb"=(?![0-9A-Fa-f]{2}|\r?\n)")


def _as_parsed(message: Message) -> bytes:
    """The text a message was parsed from, as near as it can be made again: headers as they came (no refolding),
    and no blank line after them where the text had none (a quoted-printable soft break inside a header ends
    the headers early, and the generator would add one)."""
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, maxheaderlen=0, policy=email.policy.compat32).flatten(message)
    text = out.getvalue()
    if any(isinstance(defect, MissingHeaderBodySeparatorDefect) for defect in message.defects):
        text = text.replace(b"\n\n", b"\n", 1)
    return text


def attached_messages(part: Message) -> list[Message]:
    """The message of a message/rfc822 part. One sent base64 or quoted-printable encoded (RFC 2046 forbids it,
    but Exchange and some gateways do it) is parsed by Python as a message without headers whose text is the
    encoding: it is decoded and parsed again, or the workbook inside would be lost."""
    payload = part.get_payload()
    inner = [item for item in payload if isinstance(item, Message)] if isinstance(payload, list) else []
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding not in ("base64", "quoted-printable") or len(inner) != 1:
        return inner
    try:
        if encoding == "base64":     # no base64 line has a colon: the whole text was taken for the body
            text = inner[0].get_payload()
            if inner[0].keys() or not isinstance(text, str):
                return inner
            data = binascii.a2b_base64(text.encode("ascii", "surrogateescape"))
        else:
            text = _as_parsed(inner[0])
            if _NOT_QUOTED_PRINTABLE.search(text):
                return inner     # labelled so but written plain ("boundary=…" has no "=XX"): read as it is
            data = quopri.decodestring(text)
    except (binascii.Error, ValueError, UnicodeError, LookupError):
        return inner
    return [email.message_from_bytes(data, policy=email.policy.default)]


class Walker:
    """Walks one received message; `read_msg` opens an attached Outlook .msg (None: such attachments are
    listed unread)."""

    def __init__(self, read_msg: MsgReader | None = None) -> None:
        self.read_msg = read_msg
        self.parts = Parts()
        self.inside = 0          # winmail.dat files and signed messages being opened, one inside the other

    def walk(self, part: Message, envelope: Envelope, depth: int = 0, level: int = 0) -> Parts:
        if level > MAX_MIME_LEVELS:
            return self.parts
        if part.get_content_type() == "message/rfc822":
            for inner in attached_messages(part):
                self.nested(inner, envelope, depth, level)
        elif part.is_multipart():
            payload = part.get_payload()
            for sub in payload if isinstance(payload, list) else []:
                if isinstance(sub, Message):
                    self.walk(sub, envelope, depth, level + 1)
        else:
            self.leaf(part, envelope, depth, level)
        return self.parts

    def nested(self, inner: Message, envelope: Envelope, depth: int, level: int) -> None:
        if depth + 1 > MAX_NESTING:
            return
        self.walk(inner, envelope_of(inner), depth + 1, level + 1)

    def leaf(self, part: Message, envelope: Envelope, depth: int, level: int) -> None:
        try:
            raw_name = part.get_filename()
        except (ValueError, IndexError, TypeError):  # malformed encoded words in the name
            raw_name = None
        if _is_body(part, raw_name):
            if part.get_content_type() == "text/plain":
                self.uuencoded(part, envelope, depth, level)
            return
        data = part.get_payload(decode=True)
        if isinstance(data, bytes):
            self.take(raw_name, part.get_content_type(), data, envelope, depth, level)

    def uuencoded(self, part: Message, envelope: Envelope, depth: int, level: int) -> None:
        """Files an older mail program uuencoded into the text of the letter."""
        try:
            text = part.get_payload(decode=True)
        except (ValueError, TypeError):
            return
        if isinstance(text, bytes) and b"begin " in text:
            for name, data in uuencoded_files(text.decode("latin-1")):
                # the name's bytes, read as a header's are: UTF-8 when they are, TCVN3/VNI repaired
                shown = repair(decode_8bit(name.encode("latin-1")))
                self.take(shown, "application/octet-stream", data, envelope, depth, level)

    def take(self, raw_name: str | None, content_type: str, data: bytes, envelope: Envelope, depth: int,
             level: int = 0) -> None:
        kind = classify(raw_name, content_type, data)
        name = display_name(raw_name, kind)
        if kind in SPREADSHEET_SUFFIXES or kind == "archive":
            self.parts.attachments.append(Attachment(name, data, envelope, depth))
        elif kind == ".zip":
            self.zip_members(name, data, envelope, depth)
        elif kind == ".dat":
            self.tnef(name, data, envelope, depth, level)
        elif kind == ".msg":
            self.msg(name, data, envelope, depth, level)
        elif kind == ".p7m":
            self.signed(name, data, envelope, depth, level)
        else:
            self.parts.unread.append(name)

    def zip_members(self, name: str, data: bytes, envelope: Envelope, depth: int) -> None:
        found = False
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
            for info in archive.infolist():
                suffix = _suffix(info.filename)
                wanted = suffix in SPREADSHEET_SUFFIXES or suffix in ARCHIVE_SUFFIXES
                if wanted and not info.is_dir() and info.file_size <= MAX_ZIP_MEMBER:
                    member = f"{name}/{safe_name(info.filename)}"
                    self.parts.attachments.append(Attachment(member, archive.read(info), envelope, depth))
                    found = True
        except Exception:  # a damaged .zip: passed on whole, the check says it cannot be opened
            self.parts.attachments.append(Attachment(name, data, envelope, depth))
            return
        if not found:
            self.parts.unread.append(name)

    def tnef(self, name: str, data: bytes, envelope: Envelope, depth: int, level: int) -> None:
        members = tnef_attachments(data) if len(data) <= MAX_CONTAINER and self.inside < MAX_NESTING else None
        if members is None:   # not readable as TNEF: passed on, the check names it
            self.parts.attachments.append(Attachment(name, data, envelope, depth))
            return
        found, unread = len(self.parts.attachments), len(self.parts.unread)
        self.inside += 1
        for member_name, content_type, member in members:
            self.take(member_name, content_type, member, envelope, depth, level + 1)
        self.inside -= 1
        for number in range(found, len(self.parts.attachments)):
            item = self.parts.attachments[number]
            self.parts.attachments[number] = Attachment(f"{name}/{item.name}", item.data, item.envelope, item.depth)
        self.parts.unread[unread:] = [f"{name}/{item}" for item in self.parts.unread[unread:]]
        if not members:      # a winmail.dat with nothing in it that could be read: named, never silent
            self.parts.unread.append(name)

    def signed(self, name: str, data: bytes, envelope: Envelope, depth: int, level: int) -> None:
        """A mail sent inside its digital signature: the message inside is walked as the mail itself (the
        sender sees no smime.p7m, so the names are not prefixed with it)."""
        wrapped, content = unwrap(data) if len(data) <= MAX_CONTAINER else (Wrapped.UNKNOWN, b"")
        if wrapped is Wrapped.ENCRYPTED:
            self.parts.encrypted.append((name, data))
        if wrapped is not Wrapped.SIGNED or self.inside >= MAX_NESTING:
            self.parts.unread.append(name)
            return
        before = (len(self.parts.attachments), len(self.parts.unread))
        self.inside += 1
        if sniff_kind(content):      # a signed file ("Báo cáo.xlsx.p7m" from a signing tool), not a signed mail
            self.take(name.removesuffix(".p7m").removesuffix(".P7M"), "application/octet-stream", content,
                      envelope, depth, level + 1)
        else:
            try:
                inner = email.message_from_bytes(content, policy=email.policy.default)
            except RecursionError:   # nested past what the parser can hold: named below
                inner = None
            if inner is not None:
                self.walk(inner, envelope, depth, level + 1)
        self.inside -= 1
        if (len(self.parts.attachments), len(self.parts.unread)) == before:
            self.parts.unread.append(name)      # nothing found inside: the smime.p7m is named, never silent

    def msg(self, name: str, data: bytes, envelope: Envelope, depth: int, level: int) -> None:
        try:
            inner = self.read_msg(data) if self.read_msg and len(data) <= MAX_CONTAINER else None
        except ValueError:
            inner = None
        if inner is None:
            self.parts.unread.append(name)
            return
        if depth + 1 <= MAX_NESTING:
            self.walk(inner, envelope_of(inner), depth + 1, level + 1)


def attachments(message: Message, envelope: Envelope, read_msg: MsgReader | None = None) -> Parts:
    """The workbooks of a message (and the containers the check must name), with what was left unread."""
    return Walker(read_msg).walk(message, envelope)


def when(envelope: Envelope, outer: datetime) -> datetime:
    """An attachment's date: its own message's, never later than the message that carried it (a message
    cannot hold one sent after it); the outer date when the inner message has none."""
    return min(envelope.date, outer) if envelope.date else outer
