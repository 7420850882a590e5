"""Validate one received workbook against the form and the plan: every finding collected, none raised.

The result carries the identified agency and period, the findings, the verdict, and (unless rejected) the
Submission with clean NFC text and parsed numbers. The steps live in their own modules: identity.py (who and
which period), rows.py (the row protocol of both tables), cells.py (reading one cell), arrival.py (late,
sender). A failure inside these checks is reported as internal-error, never blamed on the file.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planreports.config import Limits
from planreports.errors import PlanreportsError
from planreports.findings import Findings, Issue, IssueCode, Verdict, make_issue, verdict_of
from planreports.form import schema
from planreports.intake import identity
from planreports.intake.arrival import Arrival, check_late, check_sender, note_forward
from planreports.intake.cells import CellReader
from planreports.intake.consistency import check_texts
from planreports.intake.reader import ReadError, WorkbookData, read_workbook, reraise_fatal
from planreports.intake.rows import KeyedRow, RowRules, Table, cell, flag_layout, keyed_rows, open_table
from planreports.intake.submission import Submission, TaskAnswer
from planreports.plan.model import Agency, Assignment, Plan, Status
from planreports.plan.periods import parse_period
from planreports.plan.sheets import cell_text, header_map
from planreports.vn.text import fold

KNOWN_SHEETS = {schema.SHEET_GUIDE, schema.SHEET_INFO, schema.SHEET_TASKS, schema.SHEET_FIGURES, schema.SHEET_META}
FORM_SHEETS = (schema.SHEET_INFO, schema.SHEET_TASKS, schema.SHEET_FIGURES)   # the sheets an agency fills
PEEK_ROWS = 30   # enough rows to recognise a sheet of the form by its header or labels
FIGURE_ANSWER_KEYS = tuple(c.key for c in schema.FIGURE_TABLE.columns if not c.locked)
FIGURE_ROWS = RowRules("code", "code", lambda _: IssueCode.INDICATOR_EXTRA_ROW, IssueCode.INDICATOR_DUPLICATE)


@dataclass(frozen=True)
class Rules:
    """What a returned form is checked against; sent once to each worker process."""

    plan: Plan
    limits: Limits
    period: str | None = None                     # the period being collected; None: whatever the file says
    deadlines: Mapping[str, date] = field(default_factory=dict)   # configured submission deadlines
    # period -> task id -> "Đã hoàn thành (năm 2024)": tasks done in an earlier period, not asked again
    done: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # the plan references the settings hold (in any period): a signed form of another plan is one clear error
    plans: frozenset[str] = frozenset()


@dataclass
class Validation:
    file: str
    agency: str | None = None
    period: str | None = None
    issues: list[Issue] = field(default_factory=list)
    submission: Submission | None = None
    late: bool = False
    stored: bool = False            # the worker already archived the original

    @property
    def verdict(self) -> Verdict:
        return verdict_of(self.issues)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"“{name}”" for name in names)


class FormValidator:
    def __init__(self, book: WorkbookData, rules: Rules, findings: Findings, arrival: Arrival) -> None:
        self.book = book
        self.rules = rules
        self.plan = rules.plan
        self.findings = findings
        self.arrival = arrival
        self.cells = CellReader(findings, rules.limits.max_cell_chars)
        self.sheets: dict[str, str] = {}   # sheet of the form -> its name in this workbook (renamed ones too)
        self.period = ""                   # the period the file counts for, once settled
        self.cells_of: dict[str, dict[str, str]] = {schema.SHEET_TASKS: {}, schema.SHEET_FIGURES: {}}   # key -> ref

    def rows(self, sheet: str) -> list[list[Any]] | None:
        max_rows = self.rules.limits.max_rows
        try:
            rows = self.book.rows(sheet, max_rows)
        except BaseException as exc:  # calamine can fail per sheet on a damaged file, even with a Rust panic
            reraise_fatal(exc)
            self.findings.add(IssueCode.FILE_UNREADABLE_SHEET, sheet, "", detail=f"{type(exc).__name__}: {exc}")
            return None
        if len(rows) > max_rows:
            self.findings.add(IssueCode.SHEET_TOO_LARGE, sheet, "", limit=max_rows)
            rows = rows[:max_rows]
        return rows

    # ---------------------------------------------------------------- which sheets are the form's
    def looks_like(self, wanted: str, name: str) -> bool:
        """Whether sheet `name` has the layout of the form's sheet `wanted` (its header row or its labels)."""
        try:
            rows = self.book.rows(name, PEEK_ROWS)
        except BaseException as exc:  # an unreadable sheet is reported when it is read for real
            reraise_fatal(exc)
            return False
        if wanted == schema.SHEET_INFO:
            labels = {identity.INFO_BY_FOLD.get(fold(cell_text(cell(rows, r, 0)))) for r in range(len(rows))}
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
                self.findings.add(IssueCode.SHEET_RENAMED, name, "", expected=wanted, name=name)
        for wanted in missing:
            self.findings.add(IssueCode.SHEET_MISSING, wanted, "", name=wanted, found=found)
        for sheet in self.book.sheet_names:
            if sheet not in KNOWN_SHEETS and sheet not in self.sheets.values():
                self.findings.add(IssueCode.SHEET_EXTRA, sheet, "", name=sheet)

    def table(self, form_sheet: str) -> Table | None:
        sheet = self.sheets.get(form_sheet)
        rows = self.rows(sheet) if sheet else None
        if sheet is None or rows is None:
            return None
        spec = schema.TASK_TABLE if form_sheet == schema.SHEET_TASKS else schema.FIGURE_TABLE
        return open_table(rows, sheet, spec, self.book.facts(sheet), self.findings)

    # ---------------------------------------------------------------- identity
    def info(self) -> identity.Info:
        sheet = self.sheets.get(schema.SHEET_INFO)
        rows = (self.rows(sheet) if sheet else None) or []
        return identity.read_info(rows, lambda ref, value: self.cells.text(sheet or "", ref, value))

    def check_info(self, info: identity.Info) -> None:
        for key in schema.INFO_EXPECTED:
            if not info.get(key, identity.NOTHING).value:
                label = next(f.label for f in schema.INFO_FIELDS if f.key == key)
                self.findings.add(IssueCode.INFO_MISSING, schema.SHEET_INFO, info.get(key, identity.NOTHING).ref,
                                  field=label)

    # ---------------------------------------------------------------- tasks
    def tasks(self, agency: Agency) -> list[TaskAnswer]:
        table = self.table(schema.SHEET_TASKS)
        if table is None:
            return []
        done = self.rules.done.get(self.period, {})
        expected = {a.task.id: a for a in schema.task_rows(self.plan.assignments(agency.code), done)}
        flag_layout(table, schema.ANSWER_KEYS, self.findings)
        known = self.plan.task_by_id
        rules = RowRules("task_id", "task", lambda key: IssueCode.TASK_NOT_ASSIGNED if key in known
                         else IssueCode.TASK_EXTRA_ROW, IssueCode.TASK_DUPLICATE)
        answers: dict[str, TaskAnswer] = {}
        for row in keyed_rows(table, rules, expected, self.findings):
            self.locked_text(table, row, expected[row.key])
            answers[row.key] = self.answer(table, row, expected[row.key], row.key in done)
        for task_id, assignment in expected.items():
            if task_id not in answers:
                self.findings.add(IssueCode.TASK_MISSING, table.sheet, "", task=task_id, role=assignment.role)
        if list(answers) != [t for t in expected if t in answers]:
            self.findings.add(IssueCode.TASK_REORDERED, table.sheet, "")
        return [answers[t] for t in expected if t in answers]

    def locked_text(self, table: Table, row: KeyedRow, assignment: Assignment) -> None:
        plan_values = {"text": assignment.task.text, "role": assignment.role,
                       "deadline": assignment.task.deadline.text}
        for key, wanted in plan_values.items():
            typed = cell_text(row.raw[key])
            if typed != wanted and fold(typed) != fold(wanted):
                self.findings.add(IssueCode.TASK_TEXT_EDITED, table.sheet, table.ref(key, row.index),
                                  task=assignment.task.id, column=table.spec.column(key).title)

    def answer(self, table: Table, row: KeyedRow, assignment: Assignment, done_before: bool) -> TaskAnswer:
        texts = {}
        for key in schema.ANSWER_KEYS:
            ref = table.ref(key, row.index)
            unusable = self.cells.unusable(table.sheet, ref, table.facts)
            texts[key] = "" if unusable else self.cells.text(table.sheet, ref, row.raw[key])
        self.cells_of[schema.SHEET_TASKS][assignment.task.id] = table.ref("result", row.index)
        if done_before:   # not asked again: a follow-up result, if any, is kept
            return TaskAnswer(assignment.task.id, assignment.role, "", texts["result"], texts["difficulty"],
                              texts["proposal"])
        typed = row.raw["status"] if isinstance(row.raw["status"], str) else texts["status"]
        status = self.cells.status(table.sheet, table.ref("status", row.index), texts["status"], typed,
                                   assignment.role, assignment.task.id)
        if status in (Status.DONE, Status.ONGOING) and not texts["result"]:
            self.findings.add(IssueCode.RESULT_MISSING, table.sheet, table.ref("result", row.index),
                              task=assignment.task.id, status=status)
        return TaskAnswer(assignment.task.id, assignment.role, status, texts["result"], texts["difficulty"],
                          texts["proposal"])

    # ---------------------------------------------------------------- figures
    def figures(self) -> tuple[dict[str, float | None], dict[str, str]]:
        table = self.table(schema.SHEET_FIGURES)
        if table is None:
            return {}, {}
        indicators = {i.code: i for i in self.plan.indicators}
        values: dict[str, float | None] = {}
        notes: dict[str, str] = {}
        flag_layout(table, FIGURE_ANSWER_KEYS, self.findings)
        for row in keyed_rows(table, FIGURE_ROWS, indicators, self.findings):
            ref = self.cells_of[schema.SHEET_FIGURES][row.key] = table.ref("value", row.index)
            unusable = self.cells.unusable(table.sheet, ref, table.facts)
            values[row.key] = None if unusable else self.cells.number(table.sheet, ref, row.raw["value"],
                                                                      indicators[row.key])
            note = self.cells.text(table.sheet, table.ref("note", row.index), row.raw["note"])
            if note:
                notes[row.key] = note
        for code, indicator in indicators.items():
            if code not in values:
                self.findings.add(IssueCode.INDICATOR_MISSING, table.sheet, "", code=code, name=indicator.name)
        return values, notes

    # ---------------------------------------------------------------- whole file
    def settle_plan(self, agency: Agency, meta: dict[str, str], period: str, info_sheet: str) -> bool:
        """Check the file against the plan of its period (the organization of that time)."""
        try:
            day = parse_period(period).end
        except PlanreportsError:   # a period typed by hand that means nothing
            self.findings.add(IssueCode.PERIOD_INVALID, info_sheet, "", found=period)
            return False
        self.plan, self.period = self.rules.plan.at(day), period
        if not identity.check_active(self.plan, agency, period, self.findings, info_sheet):
            return False
        rows = schema.task_rows(self.plan.assignments(agency.code), self.rules.done.get(period, {}))
        task_sheet = self.sheets.get(schema.SHEET_TASKS, schema.SHEET_TASKS)
        return identity.check_outdated(rows, self.plan.indicators, meta, self.rules.plans, self.findings,
                                       (info_sheet, task_sheet))

    def not_the_form(self) -> Validation:
        """Someone's own spreadsheet or another form: one clear finding, not a cascade of missing parts."""
        period = f" kỳ {self.rules.period}" if self.rules.period else ""
        self.findings.add(IssueCode.FORM_NOT_TEMPLATE, "", "", missing=_quoted(FORM_SHEETS),
                          found=_quoted(self.book.sheet_names) or "không có sheet nào", period=period)
        return Validation(self.findings.file, issues=self.findings.issues)

    def run(self) -> Validation:
        result = Validation(self.findings.file, issues=self.findings.issues)
        if self.book.has_macros:
            self.findings.add(IssueCode.FILE_MACROS)
        missing = self.locate_sheets()
        meta = identity.read_meta(self.book)
        if not self.is_form(meta.get("app") == schema.APP_MARK):
            return self.not_the_form()
        self.report_sheets(missing)
        info = self.info()
        found = identity.identify(self.plan, meta, info, self.sheets, self.findings)
        if found.agency is None:
            return result
        info_sheet = self.sheets.get(schema.SHEET_INFO, schema.SHEET_INFO)
        result.agency = found.agency.code
        result.period = identity.settle_period(found.claimed_period, self.rules.period, self.findings, info_sheet)
        if result.period is not None and self.settle_plan(found.agency, meta, result.period, info_sheet):
            self.check_info(info)
            answers = self.tasks(found.agency)
            figures, notes = self.figures()
            sheets = tuple(self.sheets.get(s, s) for s in (schema.SHEET_TASKS, schema.SHEET_FIGURES))
            check_texts(answers, self.cells_of[schema.SHEET_TASKS], figures, self.cells_of[schema.SHEET_FIGURES],
                        self.plan.indicators, self.findings, (sheets[0], sheets[1]))
            kept = {key: value for key, (value, _) in info.items() if key in schema.INFO_KEPT}
            result.submission = Submission(found.agency.code, result.period, kept, answers, figures, notes)
            result.late = check_late(self.arrival, result.period, self.rules.deadlines, self.findings)
        check_sender(self.arrival, found.agency, self.findings)
        return result


def validate_bytes(data: bytes, file: str, rules: Rules, arrival: Arrival | None = None) -> Validation:
    """Validate a workbook given as bytes, received as `arrival` says (when, from whom)."""
    findings = Findings(file)
    note_forward(arrival or Arrival(), findings)
    try:
        book = read_workbook(data, rules.limits)
    except ReadError as exc:
        ext = file.rsplit(".", 1)[-1] if "." in file else ""
        findings.add(exc.problem, detail=exc.detail, ext=ext)
        return Validation(file, issues=findings.issues)
    try:
        return FormValidator(book, rules, findings, arrival or Arrival()).run()
    except BaseException as exc:  # a bug of ours is never blamed on the file: the office is told, the file kept
        reraise_fatal(exc)
        return internal_error(file, exc)


def internal_error(file: str, exc: BaseException) -> Validation:
    detail = f"{type(exc).__name__}: {exc}"
    trace = "".join(traceback.format_exception(exc))
    return Validation(file, issues=[make_issue(IssueCode.INTERNAL_ERROR, file=file, detail=detail, debug=trace)])
