"""Reading and writing simple header-row tables in workbooks (the lists in input/ and their kin).

A table is a sheet whose first row holds column titles; columns are found by title, so the office may
reorder or add columns. Reading goes through python-calamine (fast, no macro or entity expansion).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import python_calamine as calamine

from planreports.vn.text import clean

COMMENT = "#"     # a list row starting with it is not read: "# 1.1" in a blank workspace's example row


@dataclass(frozen=True, slots=True, kw_only=True)
class Column:
    key: str
    title: str
    width: float = 14              # Excel character widths
    required: bool = False         # reading: a row without it is a mistake
    wrap: bool = False             # writing: long text wraps inside the cell
    locked: bool = False           # agency form: written from the plan, protected, checked for edits
    number: bool = False           # agency form: an open cell that takes a number
    choices: tuple[str, ...] = ()  # agency form: an open cell with a dropdown of these values
    optional: bool = False         # reading: a list made before this column existed may lack it


@dataclass(frozen=True, slots=True)
class TableSpec:
    sheet: str
    columns: tuple[Column, ...]

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


@dataclass(frozen=True, slots=True)
class Row:
    number: int                         # 1-based Excel row number
    values: dict[str, str]
    letters: dict[str, str]             # column key -> Excel column letter

    def cell(self, key: str) -> str:
        return f"{self.letters[key]}{self.number}"


def column_letter(index: int) -> str:
    """0-based column index -> Excel letters (0 -> A, 26 -> AA)."""
    letters = ""
    number = index + 1
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_ref(col: int, row: int) -> str:
    """0-based (column, row) -> "B7"."""
    return f"{column_letter(col)}{row + 1}"


def cell_text(value: Any) -> str:
    """A cell value as text the way a person reads it: 12.0 -> "12", 1.1 -> "1.1", dates day-first."""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}" if (value.hour, value.minute) != (0, 0) else f"{value:%d/%m/%Y}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return clean(value)


def open_workbook(path: Path) -> calamine.CalamineWorkbook:
    return calamine.CalamineWorkbook.from_path(str(path))


def sheet_rows(book: calamine.CalamineWorkbook, name: str) -> list[list[Any]]:
    """All rows of a sheet anchored at A1, so list indexes map to Excel rows and columns."""
    return book.get_sheet_by_name(name).to_python(skip_empty_area=False)


def header_map(header: Sequence[Any], spec: TableSpec) -> tuple[dict[str, int], list[Column]]:
    """Column key -> index by matching titles (whitespace- and NFC-tolerant); also the missing columns."""
    titles = {clean(v).casefold(): i for i, v in enumerate(header) if clean(v)}
    found, missing = {}, []
    for col in spec.columns:
        index = titles.get(col.title.casefold())
        if index is None:
            missing.append(col)
        else:
            found[col.key] = index
    return found, missing


def iter_table(rows: list[list[Any]], found: dict[str, int], absent: Sequence[str] = ()) -> Iterator[Row]:
    """The non-blank rows; `absent` columns (optional ones the sheet lacks) read as empty. A row whose first
    cell starts with "#" is an example or a note (a blank workspace ships one per list) and is skipped."""
    letters = {key: column_letter(i) for key, i in found.items()}
    first = min(found.values(), default=0)
    for offset, raw in enumerate(rows[1:], start=2):
        if first < len(raw) and cell_text(raw[first]).startswith(COMMENT):
            continue
        values = {key: cell_text(raw[i]) if i < len(raw) else "" for key, i in found.items()}
        if any(values.values()):
            yield Row(offset, values | dict.fromkeys(absent, ""), letters)


def split_codes(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.replace(",", ";").split(";") if part.strip())
