"""Validate one received workbook against the schema and the plan: every finding collected, none raised.

The result carries the identified agency and period, the findings, and (unless rejected) the Submission
with clean NFC text and parsed numbers.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from planreports.config import Limits
from planreports.findings import Issue, Severity, make_issue
from planreports.form import schema
from planreports.intake.reader import ReadError, SheetFacts, WorkbookData, read_workbook
from planreports.intake.submission import Submission, TaskAnswer
from planreports.plan.model import Agency, Assignment, Indicator, Plan
from planreports.plan.sheets import TableSpec, cell_ref, cell_text, header_map
from planreports.vn.legacy import detect_and_convert
from planreports.vn.numerals import NumberProblem, format_number, parse_number
from planreports.vn.text import fold

VERDICT_ACCEPTED = "accepted"
VERDICT_WARNING = "warning"
VERDICT_REJECTED = "rejected"
VERDICT_DUPLICATE = "duplicate"

_STATUS_BY_FOLD = {fold(s): s for s in schema.STATUSES}
KNOWN_SHEETS = {schema.SHEET_GUIDE, schema.SHEET_INFO, schema.SHEET_TASKS, schema.SHEET_FIGURES, schema.SHEET_META}
FORM_SHEETS = (schema.SHEET_INFO, schema.SHEET_TASKS, schema.SHEET_FIGURES)   # the sheets an agency fills
PEEK_ROWS = 30   # enough rows to recognise a sheet of the form by its header or labels
_INFO_BY_FOLD = {fold(f.label): f.key for f in schema.INFO_FIELDS}


@dataclass
class Validation:
    file: str
    agency: str | None = None
    period: str | None = None
    issues: list[Issue] = field(default_factory=list)
    submission: Submission | None = None
    stored: bool = False            # the worker already archived the original

    @property
    def verdict(self) -> str:
        if any(i.severity is Severity.ERROR for i in self.issues):
            return VERDICT_REJECTED
        return VERDICT_WARNING if self.issues else VERDICT_ACCEPTED


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


def _cell(rows: list[list[Any]], row: int, col: int) -> Any:
    """rows are 0-based; out-of-range cells are empty."""
    if row < len(rows) and col < len(rows[row]):
        return rows[row][col]
    return ""


class _Checker:
    def __init__(self, result: Validation, book: WorkbookData, plan: Plan, limits: Limits,
                 expected_period: str | None) -> None:
        self.result = result
        self.book = book
        self.plan = plan
        self.limits = limits
        self.expected_period = expected_period
        self.sheets: dict[str, str] = {}   # sheet of the form -> its name in this workbook (renamed ones too)

    # ---------------------------------------------------------------- helpers
    def add(self, code: str, sheet: str = "", cell: str = "", /, **values: Any) -> None:
        self.result.issues.append(make_issue(code, file=self.result.file, sheet=sheet, cell=cell, **values))

    def text(self, sheet: str, ref: str, value: Any) -> str:
        """Clean NFC text of a cell; legacy encodings converted with a warning; over-long text refused."""
        text = cell_text(value)
        if len(text) > self.limits.max_cell_chars:
            self.add("cell-too-long", sheet, ref, length=len(text), limit=self.limits.max_cell_chars)
            return ""
        converted, encoding = detect_and_convert(text)
        if encoding is not None:
            shown = converted if len(converted) <= 60 else converted[:57] + "…"
            self.add("text-legacy-encoding", sheet, ref, ref=ref, encoding=encoding.value, text=shown)
        return converted

    def rows(self, sheet: str) -> list[list[Any]] | None:
        try:
            rows = self.book.rows(sheet, self.limits.max_rows)
        except BaseException as exc:  # calamine can fail per sheet on a damaged file
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            self.add("file-unreadable-sheet", sheet, "", detail=f"{type(exc).__name__}: {exc}")
            return None
        if len(rows) > self.limits.max_rows:
            self.add("sheet-too-large", sheet, "", limit=self.limits.max_rows)
            rows = rows[: self.limits.max_rows]
        return rows

    def columns(self, rows: list[list[Any]], spec: TableSpec) -> dict[str, int] | None:
        found, missing = header_map(rows[0] if rows else [], spec)
        for col in missing:
            self.add("header-missing", spec.sheet, "", column=col.title)
        return None if missing else found

    # ---------------------------------------------------------------- identity
    def meta(self) -> dict[str, str]:
        if schema.SHEET_META not in self.book.sheet_names:
            return {}
        try:
            rows = self.book.rows(schema.SHEET_META, 50)
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise
            return {}
        return {cell_text(_cell(rows, r, 0)): cell_text(_cell(rows, r, 1)) for r in range(len(rows))}

    def info(self) -> dict[str, tuple[str, str]]:
        """Key -> (value, cell reference) from sheet "Thông tin", found by the labels in column A."""
        sheet = self.sheets.get(schema.SHEET_INFO)
        rows = (self.rows(sheet) if sheet else None) or []
        out = {}
        for r in range(len(rows)):
            key = _INFO_BY_FOLD.get(fold(cell_text(_cell(rows, r, 0))))
            if key and key not in out and sheet:
                out[key] = (self.text(sheet, cell_ref(1, r), _cell(rows, r, 1)), cell_ref(1, r))
        return out

    # ---------------------------------------------------------------- which sheets are the form's
    def looks_like(self, wanted: str, name: str) -> bool:
        """Whether sheet `name` has the layout of the form's sheet `wanted` (its header row or its labels)."""
        try:
            rows = self.book.rows(name, PEEK_ROWS)
        except Exception:  # an unreadable sheet is reported when it is read for real
            return False
        if wanted == schema.SHEET_INFO:
            labels = {_INFO_BY_FOLD.get(fold(cell_text(_cell(rows, r, 0)))) for r in range(len(rows))}
            return {"agency_code", "agency_name"} <= labels
        spec = schema.TASK_TABLE if wanted == schema.SHEET_TASKS else schema.FIGURE_TABLE
        return bool(rows) and not header_map(rows[0], spec)[1]

    def locate_sheets(self) -> list[str]:
        """Find each sheet of the form by its name, or by its layout when it was renamed; the missing ones."""
        names = self.book.sheet_names
        missing = []
        for wanted in FORM_SHEETS:
            if wanted in names:
                self.sheets[wanted] = wanted
                continue
            candidates = [n for n in names if n not in KNOWN_SHEETS and n not in self.sheets.values()]
            found = next((n for n in candidates if self.looks_like(wanted, n)), None)
            if found is None:
                missing.append(wanted)
            else:
                self.sheets[wanted] = found
        return missing

    def is_form(self, signed: bool) -> bool:
        """A workbook without the signature is still the form when one of its sheets has the form's layout."""
        return signed or any(self.looks_like(wanted, name) for wanted, name in self.sheets.items())

    def report_sheets(self, missing: list[str]) -> None:
        found = _quoted(self.book.sheet_names) or "(không có sheet nào)"
        for wanted, name in self.sheets.items():
            if name != wanted:
                self.add("sheet-renamed", name, "", expected=wanted, name=name)
        for wanted in missing:
            self.add("sheet-missing", wanted, "", name=wanted, found=found)
        for sheet in self.book.sheet_names:
            if sheet not in KNOWN_SHEETS and sheet not in self.sheets.values():
                self.add("sheet-extra", sheet, "", name=sheet)

    def agency_from_info(self, info: dict[str, tuple[str, str]]) -> Agency | None:
        code = info.get("agency_code", ("", ""))[0]
        if code in self.plan.agency_by_code:
            return self.plan.agency_by_code[code]
        name = fold(info.get("agency_name", ("", ""))[0])
        if not name:
            return None
        return next((a for a in self.plan.agencies if name in (fold(a.name), fold(a.short))), None)

    def identify(self, meta: dict[str, str], info: dict[str, tuple[str, str]]) -> tuple[Agency | None, str]:
        """The agency (None when rejected) and the period the file claims."""
        signed = meta.get("app") == schema.APP_MARK
        valid = signed and meta.get("checksum") == schema.signature_checksum(
            meta.get("template_version", ""), meta.get("agency", ""), meta.get("period", ""),
            meta.get("tasks", "").split(";"), meta.get("indicators", "").split(";"))
        info_period = info.get("period", ("", ""))[0]
        if valid and meta.get("template_version") != schema.TEMPLATE_VERSION:
            self.add("template-unknown", schema.SHEET_META, "", version=meta.get("template_version"))
            return None, meta.get("period", "")
        if valid:
            code = meta["agency"]
            written = info.get("agency_code", ("", ""))
            if written[0] and written[0] != code:
                self.add("agency-mismatch", schema.SHEET_INFO, written[1], signed=code, written=written[0])
                return None, meta["period"]
            if code not in self.plan.agency_by_code:
                self.add("agency-unknown", schema.SHEET_META, "", agency=code)
                return None, meta["period"]
            if meta.get("tasks", "").split(";") != [a.task.id for a in self.plan.assignments(code)]:
                self.add("template-outdated", schema.SHEET_TASKS, "")
            return self.plan.agency_by_code[code], meta["period"]
        agency = self.agency_from_info(info)
        if agency is None:
            self.add("agency-unidentified", schema.SHEET_INFO, "")
            return None, info_period
        self.add("signature-altered" if signed else "signature-missing", schema.SHEET_INFO,
                 info.get("agency_code", ("", "B3"))[1], agency=agency.code, name=agency.name)
        return agency, info_period

    def check_period(self, period: str) -> str | None:
        if self.expected_period is None:
            return period or None
        if not period:
            self.add("period-unknown", schema.SHEET_INFO, "", period=self.expected_period)
            return self.expected_period
        if period != self.expected_period:
            self.add("period-mismatch", schema.SHEET_INFO, "", found=period, expected=self.expected_period)
            return None
        return period

    # ---------------------------------------------------------------- tasks
    def tasks(self, agency: Agency) -> list[TaskAnswer]:
        sheet = self.sheets.get(schema.SHEET_TASKS)
        rows = self.rows(sheet) if sheet else None
        if sheet is None or rows is None:
            return []
        cols = self.columns(rows, schema.TASK_TABLE)
        if cols is None:
            return []
        expected = {a.task.id: a for a in self.plan.assignments(agency.code)}
        answers: dict[str, TaskAnswer] = {}
        first_row: dict[str, int] = {}
        order: list[str] = []
        facts = self.book.facts(sheet)
        self.layout(sheet, cols, schema.ANSWER_KEYS, schema.TASK_TABLE, facts)
        for r in range(1, len(rows)):
            raw = {key: _cell(rows, r, c) for key, c in cols.items()}
            task_id = cell_text(raw["task_id"])
            if not any(cell_text(v) for v in raw.values()):
                continue
            if r + 1 in facts.hidden_rows:
                self.add("row-hidden", sheet, f"A{r + 1}", row=r + 1)
            assignment = expected.get(task_id)
            if assignment is None:
                code = "task-not-assigned" if task_id in self.plan.task_by_id else "task-extra-row"
                self.add(code, sheet, cell_ref(cols["task_id"], r), task=task_id or "trống", row=r + 1)
                continue
            if task_id in first_row:
                self.add("task-duplicate", sheet, cell_ref(cols["task_id"], r), task=task_id,
                         first_row=first_row[task_id])
                continue
            first_row[task_id] = r + 1
            order.append(task_id)
            self.locked_text(sheet, cols, r, raw, assignment)
            answers[task_id] = self.answer(sheet, cols, r, raw, assignment, facts)
        for task_id, assignment in expected.items():
            if task_id not in answers and task_id not in first_row:
                self.add("task-missing", sheet, "", task=task_id, role=assignment.role)
        if order != [t for t in expected if t in first_row]:
            self.add("task-reordered", sheet, "")
        return [answers[t] for t in expected if t in answers]

    def locked_text(self, sheet: str, cols: dict[str, int], r: int, raw: dict[str, Any],
                    assignment: Assignment) -> None:
        plan_values = {"text": assignment.task.text, "role": assignment.role,
                       "deadline": assignment.task.deadline.text}
        for key, wanted in plan_values.items():
            typed = cell_text(raw[key])
            if typed != wanted and fold(typed) != fold(wanted):
                self.add("task-text-edited", sheet, cell_ref(cols[key], r), task=assignment.task.id,
                         column=schema.TASK_TABLE.column(key).title)

    def layout(self, sheet: str, cols: dict[str, int], keys: tuple[str, ...], spec: TableSpec,
               facts: SheetFacts) -> None:
        """Hidden answer columns and merged answer cells: the values are read, but the agency should know."""
        answer_columns = {cols[k] + 1: k for k in keys}
        for column, key in answer_columns.items():
            if column in facts.hidden_columns:
                self.add("column-hidden", sheet, cell_ref(column - 1, 0), column=spec.column(key).title)
        for first_row, first_col, last_row, last_col in facts.merged:
            if any(first_col <= c <= last_col for c in answer_columns) and last_row > 1:
                span = f"{cell_ref(first_col - 1, first_row - 1)}:{cell_ref(last_col - 1, last_row - 1)}"
                self.add("cell-merged", sheet, cell_ref(first_col - 1, first_row - 1), range=span)

    def cell_problem(self, sheet: str, ref: str, facts: SheetFacts) -> bool:
        """Error values and formulas without a cached value make a cell unusable."""
        if ref in facts.error_cells:
            self.add("cell-error-value", sheet, ref)
            return True
        if ref in facts.formulas_without_value:
            self.add("cell-formula-no-value", sheet, ref)
            return True
        return False

    def answer(self, sheet: str, cols: dict[str, int], r: int, raw: dict[str, Any], assignment: Assignment,
               facts: SheetFacts) -> TaskAnswer:
        texts = {}
        for key in schema.ANSWER_KEYS:
            ref = cell_ref(cols[key], r)
            texts[key] = "" if self.cell_problem(sheet, ref, facts) else self.text(sheet, ref, raw[key])
        typed = raw["status"] if isinstance(raw["status"], str) else texts["status"]
        status = self.status(sheet, cell_ref(cols["status"], r), texts["status"], typed, assignment)
        if status in (schema.STATUS_DONE, schema.STATUS_ONGOING) and not texts["result"]:
            self.add("result-missing", sheet, cell_ref(cols["result"], r), task=assignment.task.id, status=status)
        return TaskAnswer(assignment.task.id, assignment.role, status, texts["result"], texts["difficulty"],
                          texts["proposal"])

    def status(self, sheet: str, ref: str, value: str, typed: str, assignment: Assignment) -> str:
        """`value` is the cleaned text, `typed` the cell as typed: any difference (case, spacing, NFD,
        missing diacritics) is normalized with a warning so the agency learns to use the dropdown."""
        if not value:
            if assignment.role == "Chủ trì":
                self.add("status-missing", sheet, ref, task=assignment.task.id)
            return ""
        if value in schema.STATUSES and typed == value:
            return value
        status = _STATUS_BY_FOLD.get(fold(value).strip(" .;"))
        if status is None:
            self.add("status-invalid", sheet, ref, value=value)
            return ""
        self.add("status-normalized", sheet, ref, value=value, status=status)
        return status

    # ---------------------------------------------------------------- figures
    def figures(self) -> tuple[dict[str, float | None], dict[str, str]]:
        sheet = self.sheets.get(schema.SHEET_FIGURES)
        rows = self.rows(sheet) if sheet else None
        if sheet is None or rows is None:
            return {}, {}
        cols = self.columns(rows, schema.FIGURE_TABLE)
        if cols is None:
            return {}, {}
        indicators = {i.code: i for i in self.plan.indicators}
        values: dict[str, float | None] = {}
        notes: dict[str, str] = {}
        first_row: dict[str, int] = {}
        facts = self.book.facts(sheet)
        self.layout(sheet, cols, ("value", "note"), schema.FIGURE_TABLE, facts)
        for r in range(1, len(rows)):
            raw = {key: _cell(rows, r, c) for key, c in cols.items()}
            if not any(cell_text(v) for v in raw.values()):
                continue
            if r + 1 in facts.hidden_rows:
                self.add("row-hidden", sheet, f"A{r + 1}", row=r + 1)
            code = cell_text(raw["code"])
            indicator = indicators.get(code)
            if indicator is None:
                self.add("indicator-extra-row", sheet, cell_ref(cols["code"], r), row=r + 1, code=code or "trống")
                continue
            if code in first_row:
                self.add("indicator-duplicate", sheet, cell_ref(cols["code"], r), code=code, first_row=first_row[code])
                continue
            first_row[code] = r + 1
            ref = cell_ref(cols["value"], r)
            values[code] = None if self.cell_problem(sheet, ref, facts) else self.value(sheet, ref, raw["value"],
                                                                                         indicator)
            note = self.text(sheet, cell_ref(cols["note"], r), raw["note"])
            if note:
                notes[code] = note
        for code, indicator in indicators.items():
            if code not in first_row:
                self.add("indicator-missing", sheet, "", code=code, name=indicator.name)
        return values, notes

    def value(self, sheet: str, ref: str, raw: Any, indicator: Indicator) -> float | None:
        if cell_text(raw) == "":
            self.add("value-missing", sheet, ref, code=indicator.code, name=indicator.name)
            return None
        shown = cell_text(raw)
        number, problem = parse_number(raw if not isinstance(raw, str) else self.text(sheet, ref, raw))
        if problem is NumberProblem.DOT_DECIMAL:
            self.add(problem.value, sheet, ref, code=indicator.code, value=shown, number=format_number(number or 0, 4))
        elif problem is not None:
            self.add(problem.value, sheet, ref, code=indicator.code, value=shown)
            return None
        if number is not None and indicator.type == "integer" and not number.is_integer():
            self.add("value-not-integer", sheet, ref, code=indicator.code, unit=indicator.unit,
                     value=format_number(number, 4))
            return None
        return number

    # ---------------------------------------------------------------- whole file
    def run(self) -> Validation:
        if self.book.has_macros:
            self.add("file-macros")
        missing = self.locate_sheets()
        meta = self.meta()
        if not self.is_form(meta.get("app") == schema.APP_MARK):
            # someone's own spreadsheet or another form: one clear finding, not a cascade of missing parts
            period = f" kỳ {self.expected_period}" if self.expected_period else ""
            self.add("form-not-template", "", "", missing=_quoted(FORM_SHEETS),
                     found=_quoted(self.book.sheet_names) or "không có sheet nào", period=period)
            return self.result
        self.report_sheets(missing)
        info = self.info()
        agency, claimed_period = self.identify(meta, info)
        if agency is None:
            return self.result
        period = self.check_period(claimed_period)
        self.result.agency = agency.code
        self.result.period = period
        if period is None:
            return self.result
        for key in ("reporter", "phone"):
            if not info.get(key, ("", ""))[0]:
                label = next(f.label for f in schema.INFO_FIELDS if f.key == key)
                self.add("info-missing", schema.SHEET_INFO, info.get(key, ("", ""))[1], field=label)
        answers = self.tasks(agency)
        figures, notes = self.figures()
        info_values = {k: v for k, (v, _) in info.items() if k in ("reporter", "position", "phone", "email", "note")}
        self.result.submission = Submission(agency.code, period, info_values, answers, figures, notes)
        return self.result


def validate_bytes(data: bytes, file: str, plan: Plan, limits: Limits, period: str | None = None) -> Validation:
    """Validate a workbook given as bytes; `period` is the period being collected (None: any)."""
    result = Validation(file)
    try:
        book = read_workbook(data, limits)
    except ReadError as exc:
        ext = file.rsplit(".", 1)[-1] if "." in file else ""
        result.issues.append(make_issue(exc.problem.value, file=file, detail=exc.detail, ext=ext))
        return result
    try:
        return _Checker(result, book, plan, limits, period).run()
    except Exception as exc:  # a bug of ours is never blamed on the file: the office is told, the file kept
        failed = Validation(file)
        failed.issues.append(make_issue("internal-error", file=file, detail=f"{type(exc).__name__}: {exc}",
                                        debug=traceback.format_exc()))
        return failed
