"""File-system helpers: every output is written to a temporary file and renamed into place."""

from __future__ import annotations

import contextlib
import os
import re
import uuid
import zipfile
from collections.abc import Iterator, Mapping
from datetime import datetime
from pathlib import Path

# what the program reads as a workbook: collected from folders, mail and archives, and kept under its own suffix
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".ods"})


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path beside `target`; on success it replaces `target` in one rename.

    The temporary file is not created here (a random name is enough): writing a file that was just
    created empty and reopened with truncation makes ext4 flush it synchronously on close, which made
    archiving thousands of files five times slower."""
    if not target.parent.is_dir():
        target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{uuid.uuid4().hex}.tmp"
    try:
        yield tmp
        os.replace(tmp, target)
    except Exception as exc:
        fault = machine_fault(exc)
        if fault is None or (fault.filename is not None and os.fsdecode(fault.filename) != str(tmp)):
            raise   # not the writing of this file (a template that is missing names itself)
        raise naming(fault, target) from exc
    finally:
        tmp.unlink(missing_ok=True)


def machine_fault(exc: BaseException) -> OSError | None:
    """The operating system's error behind `exc`: itself, or the one a library wrapped (XlsxWriter raises
    FileCreateError from the OSError of a full disk)."""
    for candidate in (exc, exc.__cause__, exc.__context__):
        if isinstance(candidate, OSError) and candidate.errno is not None:
            return candidate
    return None


def naming(exc: OSError, path: Path) -> OSError:
    """The same error naming `path`: an error while writing an open file (a full disk) names no file, and
    one of atomic_path names its temporary file, not the file the user knows."""
    return OSError(exc.errno, exc.strerror, str(path), getattr(exc, "winerror", None))


def write_text_atomic(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")


def remove_stale_temp(folder: Path) -> int:
    """Temporary files left by a killed run (never renamed into place); returns how many were removed."""
    if not folder.exists():
        return 0
    removed = 0
    for stale in folder.rglob(".*.tmp"):
        stale.unlink(missing_ok=True)
        removed += 1
    return removed


# Same inputs, same bytes: every generated Office file carries these instead of the time it was made.
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
FIXED_TIME = datetime(2023, 7, 3, 0, 0, 0)   # document "created" time: the plan's date
FIXED_TIME_ISO = "2023-07-03T00:00:00Z"
# Characters XML 1.0 forbids: an agency's text may carry them (pasted from old software), Office files may not.
INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FONT = "Times New Roman"       # Nghị định 30/2020 for documents; the same face in every workbook


def fixed_zip_times(path: Path, splices: Mapping[str, Mapping[bytes, bytes]] | None = None) -> None:
    """Rewrite an Office package with fixed entry times so the same inputs give the same bytes.

    `splices` puts large fragments in place of their placeholders in the named parts (part -> placeholder ->
    fragment): the report's long tables are joined as text and never built as XML elements."""
    with zipfile.ZipFile(path) as source:
        entries = [(info.filename, source.read(info)) for info in source.infolist()]
    unknown = set(splices or {}) - {name for name, _ in entries}
    if any((splices or {})[name] for name in unknown):      # never drop a table's rows without a word
        raise ValueError(f"{path.name}: no part {', '.join(sorted(unknown))} to splice into")
    for number, (name, data) in enumerate(entries):
        for placeholder, fragment in (splices or {}).get(name, {}).items():
            if data.count(placeholder) != 1:
                raise ValueError(f"{name}: placeholder {placeholder!r} found {data.count(placeholder)} times")
            data = data.replace(placeholder, fragment)
        entries[number] = (name, data)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)
