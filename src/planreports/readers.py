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
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePosixPath
from typing import Any

import python_calamine as calamine

from planreports.config import Limits

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class Format(StrEnum):
    XLSX = "xlsx"
    XLSM = "xlsm"
    XLS = "xls"
    ODS = "ods"


class ReadProblem(StrEnum):
    """Why a file could not be read; each maps to a finding code."""

    EMPTY = "file-empty"
    NOT_SPREADSHEET = "file-not-spreadsheet"
    WORD_DOCUMENT = "file-is-document"
    ENCRYPTED = "file-encrypted"
    CORRUPT = "file-corrupt"
    TOO_LARGE = "file-too-large"
    TOO_MANY_SHEETS = "file-too-many-sheets"


class ReadError(Exception):
    def __init__(self, problem: ReadProblem, detail: str = "") -> None:
        super().__init__(problem.value, detail)
        self.problem = problem
        self.detail = detail


@dataclass
class WorkbookData:
    format: Format
    sheet_names: list[str]
    has_macros: bool = False
    _book: Any = field(default=None, repr=False)
    _zip: zipfile.ZipFile | None = field(default=None, repr=False)
    _error_cells: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def rows(self, sheet: str, max_rows: int) -> list[list[Any]]:
        """Rows anchored at A1 (so indexes are Excel coordinates), at most max_rows + 1 of them."""
        sheet_obj = self._book.get_sheet_by_name(sheet)
        return sheet_obj.to_python(skip_empty_area=False, nrows=max_rows + 1)

    def error_cells(self, sheet: str) -> set[str]:
        """A1-style references of cells holding an error value (only knowable for .xlsx/.xlsm)."""
        if sheet not in self._error_cells:
            self._error_cells[sheet] = _scan_error_cells(self._zip, sheet) if self._zip else set()
        return self._error_cells[sheet]


def sniff(head: bytes, names: list[str] | None = None) -> Format | ReadProblem:
    if not head:
        return ReadProblem.EMPTY
    if head.startswith(OLE_MAGIC):
        return Format.XLS
    if not head.startswith(ZIP_MAGIC):
        return ReadProblem.NOT_SPREADSHEET
    names = names or []
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return Format.XLSM if "xl/vbaProject.bin" in names else Format.XLSX
    if "content.xml" in names:
        return Format.ODS
    if "word/document.xml" in names:
        return ReadProblem.WORD_DOCUMENT
    return ReadProblem.NOT_SPREADSHEET


def _open_zip(data: bytes, limits: Limits) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise ReadError(ReadProblem.CORRUPT, str(exc)) from None
    total = sum(i.file_size for i in infos)
    # a zip bomb announces (or lies about) its size: check the declared sizes and the ratio
    if total > limits.max_file_mb * 20 * 1024 * 1024:
        raise ReadError(ReadProblem.TOO_LARGE, f"{total // (1024 * 1024)} MB sau giải nén")
    return archive


def _check_ole(data: bytes) -> None:
    # An encrypted .xlsx is an OLE container holding "EncryptedPackage"; names are UTF-16 in the directory.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise ReadError(ReadProblem.ENCRYPTED)


def read_workbook(data: bytes, limits: Limits) -> WorkbookData:
    """Open a workbook from bytes; raise ReadError with the reason when it cannot be used."""
    if len(data) > limits.max_file_mb * 1024 * 1024:
        raise ReadError(ReadProblem.TOO_LARGE, f"{len(data) / 1024 / 1024:.1f} MB")
    archive = None
    names: list[str] = []
    if data.startswith(ZIP_MAGIC):
        archive = _open_zip(data, limits)
        names = archive.namelist()
    fmt = sniff(data[:8], names)
    if isinstance(fmt, ReadProblem):
        raise ReadError(fmt)
    if fmt is Format.XLS:
        _check_ole(data)
    try:
        book = calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet_names = list(book.sheet_names)
    except calamine.PasswordError:
        raise ReadError(ReadProblem.ENCRYPTED) from None
    except BaseException as exc:  # calamine may raise anything, even a Rust panic, on a broken file
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise ReadError(ReadProblem.CORRUPT, f"{type(exc).__name__}: {exc}") from None
    if len(sheet_names) > limits.max_sheets:
        raise ReadError(ReadProblem.TOO_MANY_SHEETS, str(len(sheet_names)))
    has_macros = "xl/vbaProject.bin" in names or any(n.lower().startswith("basic/") for n in names)
    return WorkbookData(fmt, sheet_names, has_macros, book, archive if fmt in (Format.XLSX, Format.XLSM) else None)


_SHEET_ENTRY = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL_ENTRY = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_ENTRY_REVERSED = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')
_ERROR_CELL = re.compile(rb'<c\b[^>]*?\br="([A-Z]+[0-9]+)"[^>]*?\bt="e"|<c\b[^>]*?\bt="e"[^>]*?\br="([A-Z]+[0-9]+)"')


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(entity, char)
    return text


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> str | None:
    workbook = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {rid.decode(): target.decode() for rid, target in _REL_ENTRY.findall(rels)}
    targets.update({rid.decode(): target.decode() for target, rid in _REL_ENTRY_REVERSED.findall(rels)})
    for name, rid in _SHEET_ENTRY.findall(workbook):
        if _unescape(name) == sheet and rid.decode() in targets:
            target = targets[rid.decode()]
            return target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
    return None


def _scan_error_cells(archive: zipfile.ZipFile, sheet: str) -> set[str]:
    """Cells of type "e" in one sheet's XML: a regex pass, no XML parser, no entity expansion."""
    try:
        part = _sheet_part(archive, sheet)
        if part is None:
            return set()
        xml = archive.read(part)
    except (KeyError, zipfile.BadZipFile, OSError):
        return set()
    return {(a or b).decode() for a, b in _ERROR_CELL.findall(xml)}
