"""The row protocol shared by the form's two tables ("Nhiệm vụ" keyed by task id, "Số liệu" by indicator code).

A table is read by its header titles; each data row is identified by its key column. Blank rows are skipped,
hidden rows and columns and merged answer cells are flagged (their values are still read), rows the form does
not expect and repeated keys are reported, and the caller gets the first row of each expected key in sheet
order, so it can report what is missing and whether the order changed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from planreports.findings import Findings, IssueCode
from planreports.intake.sheetxml import SheetFacts
from planreports.plan.sheets import TableSpec, cell_ref, cell_text, header_map


def cell(rows: list[list[Any]], row: int, col: int) -> Any:
    """rows are 0-based; out-of-range cells are empty."""
    if row < len(rows) and col < len(rows[row]):
        return rows[row][col]
    return ""


@dataclass(frozen=True)
class Table:
    """One sheet of the form as read: its name in the workbook, rows, column positions and layout facts."""

    sheet: str
    spec: TableSpec
    rows: list[list[Any]]
    columns: dict[str, int]        # column key -> 0-based index
    facts: SheetFacts

    def ref(self, key: str, row: int) -> str:
        return cell_ref(self.columns[key], row)


@dataclass(frozen=True)
class KeyedRow:
    index: int                     # 0-based row index (Excel row = index + 1)
    key: str
    raw: dict[str, Any]            # column key -> raw cell value


@dataclass(frozen=True)
class RowRules:
    """How one table names its rows in findings."""

    key_column: str                              # "task_id" or "code"
    placeholder: str                             # the key's name in the finding templates: "task" or "code"
    unknown: Callable[[str], IssueCode]          # finding for a key the form does not expect
    duplicate: IssueCode


def open_table(rows: list[list[Any]], sheet: str, spec: TableSpec, facts: SheetFacts,
               findings: Findings) -> Table | None:
    """The table, or None (with a finding per missing column title) when its header row is not the form's."""
    columns, missing = header_map(rows[0] if rows else [], spec)
    for column in missing:
        findings.add(IssueCode.HEADER_MISSING, sheet, "", column=column.title)
    return None if missing else Table(sheet, spec, rows, columns, facts)


def flag_layout(table: Table, answer_keys: Collection[str], findings: Findings) -> None:
    """Hidden answer columns and merged answer cells: the values are read, but the agency should know."""
    answer_columns = {table.columns[k] + 1: k for k in answer_keys}   # 1-based, as the sheet XML counts
    for column, key in answer_columns.items():
        if column in table.facts.hidden_columns:
            findings.add(IssueCode.COLUMN_HIDDEN, table.sheet, cell_ref(column - 1, 0),
                         column=table.spec.column(key).title)
    for first_row, first_col, last_row, last_col in table.facts.merged:
        if any(first_col <= c <= last_col for c in answer_columns) and last_row > 1:
            span = f"{cell_ref(first_col - 1, first_row - 1)}:{cell_ref(last_col - 1, last_row - 1)}"
            findings.add(IssueCode.CELL_MERGED, table.sheet, cell_ref(first_col - 1, first_row - 1), range=span)


def _data_rows(table: Table, findings: Findings) -> Iterator[tuple[int, dict[str, Any]]]:
    for index in range(1, len(table.rows)):
        raw = {key: cell(table.rows, index, col) for key, col in table.columns.items()}
        if not any(cell_text(value) for value in raw.values()):
            continue
        if index + 1 in table.facts.hidden_rows:
            findings.add(IssueCode.ROW_HIDDEN, table.sheet, f"A{index + 1}", row=index + 1)
        yield index, raw


def keyed_rows(table: Table, rules: RowRules, expected: Collection[str], findings: Findings) -> Iterator[KeyedRow]:
    """The first row of each expected key, in sheet order; unknown and repeated keys are reported as met, so
    the findings of a sheet come in the order of its rows."""
    found: dict[str, int] = {}
    for index, raw in _data_rows(table, findings):
        key = cell_text(raw[rules.key_column])
        where = table.ref(rules.key_column, index)
        if key not in expected:
            findings.add(rules.unknown(key), table.sheet, where, row=index + 1, **{rules.placeholder: key or "trống"})
        elif key in found:
            findings.add(rules.duplicate, table.sheet, where, first_row=found[key], **{rules.placeholder: key})
        else:
            found[key] = index + 1
            yield KeyedRow(index, key, raw)
