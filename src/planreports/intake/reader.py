"""Read a received workbook (.xlsx, .xlsm, .xls, .ods) into plain rows, safely.

The format is decided from the first bytes, never from the extension. python-calamine reads every format
(fast, never runs macros, refuses XML entity expansion). Before it sees a package, every part is inflated
once under the size limits, and the XML the reader needs is streamed through intake/sheetxml.py on the way:
rows are counted while inflating, and since python-calamine reports error cells (#REF!, #VALUE!) as empty
text, the sheet facts (error cells, formulas without a value, hidden rows and columns, merges) come from there.
What python-calamine misreads in valid files of other programs is rewritten in the copy it is handed
(intake/numformats.py for .xls, intake/packages.py for .ods and .xlsx); the file itself is never changed.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import python_calamine as calamine
from lxml import etree

from planreports.config import Limits
from planreports.findings import IssueCode
from planreports.intake import numformats, packages, sheetxml
from planreports.intake.rarnames import rar5_names
from planreports.intake.sheetxml import PartScan, SheetFacts, part_key
from planreports.intake.smime import Wrapped, unwrap

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
# archives the program does not open: a workbook sent inside one is named, never silently dropped
ARCHIVE_MAGIC = ((b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"), (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"),
                 (b"\xfd7zXZ\x00", "xz"), (b"MSCF", "cab"))
PDF_MAGIC = b"%PDF-"
RTF_MAGIC = b"{\\rtf"         # Word can save as Rich Text Format
# a photo or scan of the signed report, sent instead of the workbook: JPEG, PNG, TIFF (both byte orders)
IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")


class Format(StrEnum):
    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    ODS = "ods"


def reraise_fatal(exc: BaseException) -> None:
    """Parsers may raise anything on a hostile file (python-calamine even a Rust panic, a BaseException), so
    callers catch broadly; what must still stop the run is re-raised here. MemoryError too: the worker turns
    it into file-too-large."""
    if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit | MemoryError):
        raise exc


class ReadError(Exception):
    """Why a file could not be read at all, as the finding code to report."""

    def __init__(self, problem: IssueCode, detail: str = "") -> None:
        super().__init__(problem.value, detail)
        self.problem = problem
        self.detail = detail


@dataclass
class WorkbookData:
    format: Format
    sheet_names: list[str]
    has_macros: bool = False
    _book: Any = field(default=None, repr=False)
    _facts: dict[str, SheetFacts] = field(default_factory=dict, repr=False)   # by sheet name, .xlsx/.xlsm
    _sheets: dict[str, Any] = field(default_factory=dict, repr=False)        # parsed sheets, by name

    def rows(self, sheet: str, max_rows: int) -> list[list[Any]]:
        """Rows anchored at A1 (so indexes are Excel coordinates), at most max_rows + 1 of them. Each sheet is
        parsed once: a file that is not the template is looked at to name it, then read."""
        if sheet not in self._sheets:
            self._sheets[sheet] = self._book.get_sheet_by_name(sheet)
        rows: list[list[Any]] = self._sheets[sheet].to_python(skip_empty_area=False, nrows=max_rows + 1)
        return rows

    def facts(self, sheet: str) -> SheetFacts:
        """What the values alone do not show: error cells, formulas without a value, hidden rows and
        columns, merged cells. Read from the sheet XML, so only known for .xlsx/.xlsm."""
        return self._facts.get(sheet) or SheetFacts()


def archive_kind(data: bytes) -> str | None:
    """The kind of archive (RAR, 7z, …) the bytes are, if they are one the program does not open."""
    for magic, kind in ARCHIVE_MAGIC:
        if data.startswith(magic):
            return kind
    return "tar" if data[257:262] == b"ustar" else None


def sniff(head: bytes, names: list[str] | None = None) -> Format | IssueCode:
    if not head:
        return IssueCode.FILE_EMPTY
    if head.startswith(OLE_MAGIC):
        return Format.XLS
    if head.startswith(PDF_MAGIC):
        return IssueCode.FILE_IS_PDF
    if head.startswith(RTF_MAGIC):
        return IssueCode.FILE_IS_DOCUMENT
    if head.startswith(IMAGE_MAGIC):
        return IssueCode.FILE_IS_IMAGE
    if not head.startswith(ZIP_MAGIC):
        return IssueCode.FILE_NOT_SPREADSHEET
    names = names or []
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return Format.XLSM if "xl/vbaProject.bin" in names else Format.XLSX
    if "content.xml" in names:
        return Format.ODS
    if "word/document.xml" in names:
        return IssueCode.FILE_IS_DOCUMENT
    return IssueCode.FILE_NOT_SPREADSHEET


MAX_ZIP_ENTRIES = 10_000
CHUNK = 1 << 16
ROW_SLACK = 100              # rows counted beyond max_rows before refusing (the header, stray rows)
_WORKBOOK, _WORKBOOK_RELS = "xl/workbook.xml", "xl/_rels/workbook.xml.rels"


def _open_zip(data: bytes, limits: Limits) -> tuple[zipfile.ZipFile, dict[str, SheetFacts]]:
    """Open a zip package and inflate every part once under a cap, before any parser sees it; the sheet
    facts, by sheet name, gathered on the way.

    A zip bomb may declare small sizes and inflate to gigabytes: the cap applies to the bytes actually
    produced, and a part that inflates past its declared size fails the CRC check as corrupt. A part that
    declares a DTD or entities (billion laughs, XXE) is refused outright; nothing is expanded or fetched.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as exc:  # hostile central directories raise a zoo of types (NotImplementedError, …)
        raise ReadError(IssueCode.FILE_CORRUPT, str(exc)) from None
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError(IssueCode.FILE_TOO_LARGE, f"{len(infos)} phần trong gói")
    sheets = sum(1 for i in infos if i.filename.startswith("xl/worksheets/") and i.filename.endswith(".xml"))
    if sheets > limits.max_sheets:
        raise ReadError(IssueCode.FILE_TOO_MANY_SHEETS, str(sheets))
    budget = int(limits.max_unpacked_mb * 1024 * 1024)
    package = _Package()
    # the workbook and its relationships first, so that every part holding a sheet is known when it streams
    for info in sorted(infos, key=lambda i: part_key(i.filename) not in (_WORKBOOK, _WORKBOOK_RELS)):
        budget = _inflate_checked(archive, info, budget, limits, package)
    return archive, sheetxml.facts_by_sheet(package.workbook, package.relationships, package.facts)


@dataclass
class _Package:
    """What the streamed parts said: the workbook's sheets, its relationships, each sheet part's facts."""

    workbook: sheetxml.WorkbookScan | None = None
    relationships: sheetxml.RelationshipScan | None = None
    facts: dict[str, SheetFacts] = field(default_factory=dict)      # by part_key
    sheet_keys: set[str] | None = None

    def scanner(self, name: str, limits: Limits) -> PartScan | None:
        key = part_key(name)
        if name == _WORKBOOK:
            return sheetxml.WorkbookScan()
        if key == _WORKBOOK_RELS:
            return sheetxml.RelationshipScan()
        if name == "content.xml":
            return sheetxml.OdsContentScan()
        if (key.startswith("xl/worksheets/") and key.endswith(".xml")) or key in self.sheet_parts():
            return sheetxml.SheetScan(limits.max_rows + ROW_SLACK)
        return None

    def sheet_parts(self) -> set[str]:
        """Every part the workbook names as a sheet, however its target is written."""
        if self.sheet_keys is None:
            targets = self.relationships.targets if self.relationships else {}
            sheets = self.workbook.sheets if self.workbook else []
            self.sheet_keys = {key for _, rid in sheets if rid in targets
                               for key in sheetxml.sheet_part_keys(targets[rid])}
        return self.sheet_keys

    def done(self, name: str, scan: PartScan) -> None:
        if isinstance(scan, sheetxml.WorkbookScan):
            self.workbook, self.sheet_keys = scan, None
        elif isinstance(scan, sheetxml.RelationshipScan):
            self.relationships, self.sheet_keys = scan, None
        elif isinstance(scan, sheetxml.SheetScan):
            self.facts.setdefault(part_key(name), SheetFacts()).update(scan.facts)


@dataclass
class _Guard:
    """Watches a part as it inflates: the total size budget, and in XML any DOCTYPE or ENTITY declaration
    (looked for in every chunk and across chunk boundaries, before the parser is fed)."""

    budget: int
    limits: Limits
    name: str
    xml: bool
    tail: bytes = b""

    def take(self, chunk: bytes) -> None:
        self.budget -= len(chunk)
        if self.budget < 0:
            raise ReadError(IssueCode.FILE_TOO_LARGE, f"trên {self.limits.max_unpacked_mb:g} MB sau giải nén")
        if self.xml:
            seam = self.tail + chunk[:16]
            if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk or b"<!DOCTYPE" in seam or b"<!ENTITY" in seam:
                raise ReadError(IssueCode.FILE_UNSAFE_XML, self.name)
            self.tail = chunk[-16:]


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                yield chunk
    except Exception as exc:  # damaged deflate (zlib.error), encrypted part (RuntimeError), bad CRC, …
        raise ReadError(IssueCode.FILE_CORRUPT, f"{info.filename}: {exc}") from None


def _inflate_checked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, limits: Limits,
                     package: _Package) -> int:
    if info.file_size > budget:
        raise ReadError(IssueCode.FILE_TOO_LARGE, f"trên {limits.max_unpacked_mb:g} MB sau giải nén")
    scan = package.scanner(info.filename, limits)
    guard = _Guard(budget, limits, info.filename, scan is not None or info.filename.endswith((".xml", ".rels")))
    for chunk in _chunks(archive, info):
        guard.take(chunk)
        if scan is not None:
            _stream(scan, info.filename, limits, chunk)
    if scan is not None:
        _stream(scan, info.filename, limits, None)
        package.done(info.filename, scan)
    return guard.budget


def _stream(scan: PartScan, name: str, limits: Limits, chunk: bytes | None) -> None:
    """Feed one chunk (None: the end) to a part's scan; the row limit is checked as rows go by."""
    try:
        if chunk is None:
            scan.close()
        else:
            scan.feed(chunk)
    except etree.XMLSyntaxError as exc:
        raise ReadError(IssueCode.FILE_CORRUPT, f"{name}: {exc}") from None
    except sheetxml.Unreadable as exc:
        if exc.too_large:
            raise ReadError(IssueCode.FILE_TOO_LARGE, exc.detail) from None
        raise ReadError(IssueCode.FILE_CORRUPT, f"{name}: {exc.detail}") from None
    if scan.rows > limits.max_rows + ROW_SLACK:
        raise ReadError(IssueCode.FILE_TOO_LARGE, f"một sheet có hơn {limits.max_rows} dòng")


def _check_ole(data: bytes) -> None:
    # An encrypted .xlsx is an OLE container holding "EncryptedPackage"; names are UTF-16 in the directory.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise ReadError(IssueCode.FILE_ENCRYPTED)
    # a Word 97-2003 .doc is an OLE container too, with a "WordDocument" stream and no workbook stream
    if "WordDocument".encode("utf-16-le") in data and "Workbook".encode("utf-16-le") not in data:
        raise ReadError(IssueCode.FILE_IS_DOCUMENT)


def _check_odf(archive: zipfile.ZipFile, names: list[str]) -> None:
    """An OpenDocument text (.odt, LibreOffice Writer) has content.xml like a spreadsheet: its mimetype tells."""
    if "mimetype" in names and archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument.text"):
        raise ReadError(IssueCode.FILE_IS_DOCUMENT)


def _readable(data: bytes, fmt: Format, archive: zipfile.ZipFile | None) -> bytes:
    """The bytes python-calamine reads: the file, or a copy with what it would misread rewritten. When the
    rewrite itself fails (a damaged container or part), python-calamine gets the file as it is."""
    try:
        if fmt is Format.XLS:
            return numformats.readable_xls(data)
        if archive is not None:
            return packages.readable_package(archive, data, ods=fmt is Format.ODS)
    except BaseException as exc:  # olefile and lxml raise many types on a broken file; the reader judges it
        reraise_fatal(exc)
    return data


def _inside(names: list[str], shown: int = 5) -> str:
    """" (bên trong có “Báo cáo STP.xlsx”)": what an archive that is not opened holds, so that the office knows
    whose report it is (names are untrusted: printable characters only, bounded)."""
    if not names:
        return ""
    clean = ["".join(ch for ch in name if ch.isprintable())[:120] for name in names[:shown]]
    more = f" và {len(names) - shown} tệp khác" if len(names) > shown else ""
    return " (bên trong có " + ", ".join(f"“{name}”" for name in clean) + more + ")"


def _refuse_other_file(data: bytes) -> None:
    """Name what a file that is no spreadsheet is, where it can be told: an archive the program does not open,
    an encrypted mail's smime.p7m."""
    if kind := archive_kind(data):
        raise ReadError(IssueCode.FILE_ARCHIVE_UNREAD, kind + _inside(rar5_names(data) if kind == "RAR" else []))
    if unwrap(data)[0] is Wrapped.ENCRYPTED:
        raise ReadError(IssueCode.FILE_ENCRYPTED_MAIL)


def read_workbook(data: bytes, limits: Limits) -> WorkbookData:
    """Open a workbook from bytes; raise ReadError with the reason when it cannot be used."""
    if len(data) > limits.max_file_mb * 1024 * 1024:
        raise ReadError(IssueCode.FILE_TOO_LARGE, f"{len(data) / 1024 / 1024:.1f} MB")
    names: list[str] = []
    facts: dict[str, SheetFacts] = {}
    archive = None
    if data.startswith(ZIP_MAGIC):
        archive, facts = _open_zip(data, limits)
        names = archive.namelist()
    fmt = sniff(data[:8], names)
    if fmt is IssueCode.FILE_NOT_SPREADSHEET:
        _refuse_other_file(data)
    if isinstance(fmt, IssueCode):
        raise ReadError(fmt)
    if fmt is Format.XLS:
        _check_ole(data)
    if fmt is Format.ODS and archive is not None:
        _check_odf(archive, names)
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(_readable(data, fmt, archive)))
        sheet_names = list(book.sheet_names)
    except calamine.PasswordError:
        raise ReadError(IssueCode.FILE_ENCRYPTED) from None
    except BaseException as exc:  # calamine may raise anything, even a Rust panic, on a broken file
        reraise_fatal(exc)
        raise ReadError(IssueCode.FILE_CORRUPT, f"{type(exc).__name__}: {exc}") from None
    if len(sheet_names) > limits.max_sheets:
        raise ReadError(IssueCode.FILE_TOO_MANY_SHEETS, str(len(sheet_names)))
    has_macros = "xl/vbaProject.bin" in names or any(n.lower().startswith("basic/") for n in names)
    return WorkbookData(fmt, sheet_names, has_macros, book, facts if fmt in (Format.XLSX, Format.XLSM) else {})
