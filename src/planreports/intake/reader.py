"""Read a received workbook (.xlsx, .xlsm, .xls, .ods) into plain rows, safely.

The format is decided from the first bytes, never from the extension. python-calamine reads every format
(fast, never runs macros, refuses XML entity expansion). It reports error cells (#REF!, #VALUE!) as empty
text, so for .xlsx/.xlsm the sheet XML is scanned for cells of type "e" to name them. Size limits are checked
before anything is decompressed.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

import python_calamine as calamine

from planreports.config import Limits
from planreports.findings import IssueCode

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


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
class SheetFacts:
    error_cells: set[str] = field(default_factory=set)
    formulas_without_value: set[str] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)          # 1-based Excel rows
    hidden_columns: set[int] = field(default_factory=set)       # 1-based Excel columns
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, col, last row, col (1-based)

    def merged_into(self, row: int, col: int) -> tuple[int, int, int, int] | None:
        """The merged range that covers (row, col) without starting there."""
        for first_row, first_col, last_row, last_col in self.merged:
            if first_row <= row <= last_row and first_col <= col <= last_col and (row, col) != (first_row, first_col):
                return first_row, first_col, last_row, last_col
        return None


@dataclass
class WorkbookData:
    format: Format
    sheet_names: list[str]
    has_macros: bool = False
    _book: Any = field(default=None, repr=False)
    _parts: dict[str, bytes] = field(default_factory=dict, repr=False)  # inflated XML we scan ourselves
    _facts: dict[str, SheetFacts] = field(default_factory=dict, repr=False)

    def rows(self, sheet: str, max_rows: int) -> list[list[Any]]:
        """Rows anchored at A1 (so indexes are Excel coordinates), at most max_rows + 1 of them."""
        sheet_obj = self._book.get_sheet_by_name(sheet)
        rows: list[list[Any]] = sheet_obj.to_python(skip_empty_area=False, nrows=max_rows + 1)
        return rows

    def facts(self, sheet: str) -> SheetFacts:
        """What the values alone do not show: error cells, formulas without a value, hidden rows and
        columns, merged cells. Read from the sheet XML, so only known for .xlsx/.xlsm."""
        if sheet not in self._facts:
            self._facts[sheet] = _scan_sheet(self._parts, sheet) if self._parts else SheetFacts()
        return self._facts[sheet]


def sniff(head: bytes, names: list[str] | None = None) -> Format | IssueCode:
    if not head:
        return IssueCode.FILE_EMPTY
    if head.startswith(OLE_MAGIC):
        return Format.XLS
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
_ROW_TAGS = {"xl/worksheets": b"<row", "content.xml": b"<table:table-row"}
CHUNK = 1 << 16


def _keep(name: str) -> bool:
    """Parts the sheet scan reads later: kept from the checking pass instead of inflated twice."""
    return name.startswith("xl/worksheets/") or name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")


def _open_zip(data: bytes, limits: Limits) -> tuple[zipfile.ZipFile, dict[str, bytes]]:
    """Open a zip package and inflate every part once under a cap, before any parser sees it.

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
    parts: dict[str, bytes] = {}
    for info in infos:
        budget = _inflate_checked(archive, info, budget, limits, parts if _keep(info.filename) else None)
    return archive, parts


HEAD_BYTES = 4096            # where a DOCTYPE or ENTITY declaration would be
ROW_SLACK = 100              # row tags counted beyond max_rows before refusing (the header, stray tags)


@dataclass
class _Guard:
    """Watches a part as it inflates: the total size budget, and (for sheets) the number of rows, counted
    while inflating so a million-row sheet never reaches a parser."""

    budget: int
    limits: Limits
    row_tag: bytes | None = None
    rows: int = 0
    head: bytes = b""

    def take(self, chunk: bytes) -> None:
        if len(self.head) < HEAD_BYTES:
            self.head += chunk[: HEAD_BYTES - len(self.head)]
        self.budget -= len(chunk)
        if self.budget < 0:
            raise ReadError(IssueCode.FILE_TOO_LARGE, f"trên {self.limits.max_unpacked_mb:g} MB sau giải nén")
        if self.row_tag is not None:
            self.rows += chunk.count(self.row_tag)
            if self.rows > self.limits.max_rows + ROW_SLACK:
                raise ReadError(IssueCode.FILE_TOO_LARGE, f"một sheet có hơn {self.limits.max_rows} dòng")


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    try:
        with archive.open(info) as part:
            while chunk := part.read(CHUNK):
                yield chunk
    except Exception as exc:  # damaged deflate (zlib.error), encrypted part (RuntimeError), bad CRC, …
        raise ReadError(IssueCode.FILE_CORRUPT, f"{info.filename}: {exc}") from None


def _inflate_checked(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int, limits: Limits,
                     keep: dict[str, bytes] | None) -> int:
    if info.file_size > budget:
        raise ReadError(IssueCode.FILE_TOO_LARGE, f"trên {limits.max_unpacked_mb:g} MB sau giải nén")
    folder = info.filename.rsplit("/", 1)[0] if "/" in info.filename else info.filename
    guard = _Guard(budget, limits, _ROW_TAGS.get(folder))
    chunks = []
    for chunk in _chunks(archive, info):
        guard.take(chunk)
        if keep is not None:
            chunks.append(chunk)
    if info.filename.endswith((".xml", ".rels")) and (b"<!DOCTYPE" in guard.head or b"<!ENTITY" in guard.head):
        raise ReadError(IssueCode.FILE_UNSAFE_XML, info.filename)
    if keep is not None:
        keep[info.filename] = b"".join(chunks)
    return guard.budget


def _check_ole(data: bytes) -> None:
    # An encrypted .xlsx is an OLE container holding "EncryptedPackage"; names are UTF-16 in the directory.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise ReadError(IssueCode.FILE_ENCRYPTED)


def read_workbook(data: bytes, limits: Limits) -> WorkbookData:
    """Open a workbook from bytes; raise ReadError with the reason when it cannot be used."""
    if len(data) > limits.max_file_mb * 1024 * 1024:
        raise ReadError(IssueCode.FILE_TOO_LARGE, f"{len(data) / 1024 / 1024:.1f} MB")
    names: list[str] = []
    parts: dict[str, bytes] = {}
    if data.startswith(ZIP_MAGIC):
        archive, parts = _open_zip(data, limits)
        names = archive.namelist()
    fmt = sniff(data[:8], names)
    if isinstance(fmt, IssueCode):
        raise ReadError(fmt)
    if fmt is Format.XLS:
        _check_ole(data)
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = list(book.sheet_names)
    except calamine.PasswordError:
        raise ReadError(IssueCode.FILE_ENCRYPTED) from None
    except BaseException as exc:  # calamine may raise anything, even a Rust panic, on a broken file
        reraise_fatal(exc)
        raise ReadError(IssueCode.FILE_CORRUPT, f"{type(exc).__name__}: {exc}") from None
    if len(sheet_names) > limits.max_sheets:
        raise ReadError(IssueCode.FILE_TOO_MANY_SHEETS, str(len(sheet_names)))
    has_macros = "xl/vbaProject.bin" in names or any(n.lower().startswith("basic/") for n in names)
    return WorkbookData(fmt, sheet_names, has_macros, book, parts if fmt in (Format.XLSX, Format.XLSM) else {})


_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL_ENTRY = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_ENTRY_REVERSED = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_VALUE = re.compile(rb"<v>[^<]")
_FORMULA = re.compile(rb"<f[ >/]")
_ERROR_TYPE = re.compile(rb'\bt="e"')
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_HIDDEN_ROW = re.compile(rb'<row\b[^>]*?\br="([0-9]+)"[^>]*?\bhidden="(?:1|true)"|'
                         rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="([0-9]+)"')
_HIDDEN_COL = re.compile(rb'<col\b([^>]*?)/?>')
_MERGE = re.compile(rb'<mergeCell\b[^>]*?\bref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def column_number(letters: bytes | str) -> int:
    text = letters.decode() if isinstance(letters, bytes) else letters
    number = 0
    for char in text:
        number = number * 26 + ord(char) - 64
    return number


def _sheet_part(parts: dict[str, bytes], sheet: str) -> str | None:
    workbook = parts.get("xl/workbook.xml", b"")
    rels = parts.get("xl/_rels/workbook.xml.rels", b"")
    targets = {rid.decode(): target.decode() for rid, target in _REL_ENTRY.findall(rels)}
    targets.update({rid.decode(): target.decode() for target, rid in _REL_ENTRY_REVERSED.findall(rels)})
    for name, rid in _SHEET_ENTRY.findall(workbook):
        if _unescape(name) == sheet and rid.decode() in targets:
            target = targets[rid.decode()]
            return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return None


def _hidden_columns(xml: bytes) -> set[int]:
    hidden: set[int] = set()
    for attrs in _HIDDEN_COL.findall(xml):
        if re.search(rb'\bhidden="(?:1|true)"', attrs):
            low = re.search(rb'\bmin="([0-9]+)"', attrs)
            high = re.search(rb'\bmax="([0-9]+)"', attrs)
            if low and high:
                hidden.update(range(int(low.group(1)), min(int(high.group(1)), 200) + 1))
    return hidden


def _scan_sheet(parts: dict[str, bytes], sheet: str) -> SheetFacts:
    """Regex passes over one sheet's XML: no XML parser, so no entity expansion is possible."""
    part = _sheet_part(parts, sheet)
    xml = parts.get(part, b"") if part is not None else b""
    if not xml:
        return SheetFacts()
    facts = SheetFacts()
    # quick substring checks first: most sheets have no error cells, formulas, hidden parts or merges
    if b't="e"' in xml or _FORMULA.search(xml):
        _scan_cells(xml, facts)
    if b"hidden=" in xml:
        facts.hidden_rows = {int(a or b) for a, b in _HIDDEN_ROW.findall(xml)}
        facts.hidden_columns = _hidden_columns(xml)
    if b"<mergeCell" in xml:
        facts.merged = [(int(r1), column_number(c1), int(r2), column_number(c2))
                        for c1, r1, c2, r2 in _MERGE.findall(xml)]
    return facts


def _scan_cells(xml: bytes, facts: SheetFacts) -> None:
    for attrs, inner in _CELL.findall(xml):
        ref = _REF.search(attrs)
        if ref is None:
            continue
        cell = (ref.group(1) + ref.group(2)).decode()
        if _ERROR_TYPE.search(attrs):
            facts.error_cells.add(cell)
        if inner and b"<f" in inner and not _VALUE.search(inner):  # <v></v> or no <v>: never calculated
            facts.formulas_without_value.add(cell)
