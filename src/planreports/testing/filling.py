"""Fill a generated agency template the way an agency does in Excel (openpyxl).

Used by the example-workspace generator, the benchmarks and the tests; the office never needs it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl

from planreports.form import schema


@dataclass
class Answers:
    """What an agency types: per task the answer columns, per indicator a value (any cell value)."""

    tasks: dict[str, dict[str, Any]] = field(default_factory=dict)   # task id -> {status, result, ...}
    figures: dict[str, Any] = field(default_factory=dict)            # indicator code -> value
    notes: dict[str, Any] = field(default_factory=dict)              # indicator code -> note
    info: dict[str, Any] = field(default_factory=dict)               # info key -> value


def _columns(sheet: Any, spec: Any) -> dict[str, int]:
    titles = {cell.value: cell.column for cell in sheet[1]}
    return {c.key: titles[c.title] for c in spec.columns}


def fill_book(book: Any, answers: Answers) -> None:
    """Write answers into an open openpyxl workbook of a template."""
    tasks = book[schema.SHEET_TASKS]
    cols = _columns(tasks, schema.TASK_TABLE)
    for row in range(2, tasks.max_row + 1):
        task_id = tasks.cell(row, cols["task_id"]).value
        for key, value in answers.tasks.get(str(task_id), {}).items():
            tasks.cell(row, cols[key]).value = value
    figures = book[schema.SHEET_FIGURES]
    fcols = _columns(figures, schema.FIGURE_TABLE)
    for row in range(2, figures.max_row + 1):
        code = figures.cell(row, fcols["code"]).value
        if code in answers.figures:
            figures.cell(row, fcols["value"]).value = answers.figures[code]
        if code in answers.notes:
            figures.cell(row, fcols["note"]).value = answers.notes[code]
    info = book[schema.SHEET_INFO]
    labels = {f.key: f.label for f in schema.INFO_FIELDS}
    for row in range(1, info.max_row + 1):
        for key, value in answers.info.items():
            if info.cell(row, 1).value == labels[key]:
                info.cell(row, 2).value = value


def fill_template(template: Path, answers: Answers, out: Path) -> Path:
    book = openpyxl.load_workbook(template)
    fill_book(book, answers)
    out.parent.mkdir(parents=True, exist_ok=True)
    book.save(out)
    return out
