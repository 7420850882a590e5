"""The plan's lists in input/ (tasks, agencies, indicators): written from the seed, read back and validated.

The office edits these Excel files; loading collects every mistake with file, sheet, row and column and
raises one DataFilesError carrying them all, so the user fixes everything in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from planreports.errors import DataFilesError
from planreports.findings import Issue, IssueCode, make_issue
from planreports.plan.deadlines import Deadline, DeadlineError, parse_deadline
from planreports.plan.model import (
    ALWAYS,
    Agency,
    AgencyGroup,
    AgencyKind,
    Aggregate,
    Indicator,
    NumberType,
    Plan,
    Reassignment,
    Role,
    Task,
    TaskGroup,
    Validity,
)
from planreports.plan.sheets import (
    Column,
    Row,
    TableSpec,
    header_map,
    iter_table,
    open_workbook,
    sheet_rows,
    split_codes,
)

PLAN_FILE = "ke-hoach.xlsx"
AGENCY_FILE = "don-vi.xlsx"
INDICATOR_FILE = "chi-tieu.xlsx"

# Widths are Excel character units of Times New Roman 12; every list prints on A4 landscape fitted to one page
# wide: the widest sheet ("Nhiệm vụ") prints at about 75 % (text near 9 pt), so no sheet is wider than 160 units.
def _col(key: str, title: str, width: float, required: bool = False, wrap: bool = False,
         optional: bool = False) -> Column:
    return Column(key=key, title=title, width=width, required=required, wrap=wrap, optional=optional)


# Dates an entry is valid: lists made before these columns existed lack them, and every entry is then valid
# at all times.
VALID_FROM = _col("valid_from", "Hiệu lực từ", 11, optional=True)
VALID_UNTIL = _col("valid_until", "Hiệu lực đến", 11, optional=True)

TASK_GROUPS = TableSpec("Nhóm nhiệm vụ", (
    _col("id", "Mã nhóm", 10, required=True),
    _col("title", "Tên nhóm", 90, required=True, wrap=True)))
TASKS = TableSpec("Nhiệm vụ", (
    _col("id", "Mã nhiệm vụ", 7, required=True),
    _col("group", "Nhóm", 5, required=True),
    _col("text", "Nội dung nhiệm vụ", 32, required=True, wrap=True),
    # a few words naming the task in the report ("Nhiệm vụ 2.2 (Hoàn thiện văn bản về báo chí)")
    _col("short", "Tên ngắn", 14, wrap=True, optional=True),
    _col("lead", "Chủ trì", 16, wrap=True),
    _col("lead_codes", "Mã chủ trì", 10, wrap=True),
    _col("support", "Phối hợp", 16, wrap=True),
    _col("support_codes", "Mã phối hợp", 10, wrap=True),
    _col("form", "Hình thức", 10, wrap=True),
    _col("deadline", "Thời hạn", 12, required=True, wrap=True),
    _col("note", "Ghi chú", 8, wrap=True),
    VALID_FROM, VALID_UNTIL))
# When an agency splits, each of its tasks goes to the successor that took that function: a dated lead (and
# support) per task. Optional sheet: lists made before it existed load unchanged.
REASSIGNMENTS = TableSpec("Phân công theo thời gian", (
    _col("task", "Mã nhiệm vụ", 9, required=True),
    _col("lead_codes", "Mã chủ trì", 16, wrap=True),
    _col("support_codes", "Mã phối hợp", 16, wrap=True),
    VALID_FROM, VALID_UNTIL,
    _col("note", "Ghi chú", 60, wrap=True, optional=True)))
AGENCIES = TableSpec("Đơn vị", (
    _col("code", "Mã đơn vị", 9, required=True),
    _col("name", "Tên đầy đủ", 30, required=True, wrap=True),
    _col("short", "Tên ngắn", 19, required=True, wrap=True),
    _col("kind", "Loại", 11, required=True),
    _col("email", "E-mail", 24),
    _col("reports", "Có báo cáo", 8, required=True, wrap=True),
    VALID_FROM, VALID_UNTIL,
    _col("successors", "Kế thừa", 14, wrap=True, optional=True),
    _col("note", "Ghi chú", 21, wrap=True, optional=True)))
AGENCY_GROUPS = TableSpec("Nhóm đơn vị", (
    _col("code", "Mã nhóm", 12, required=True),
    _col("name", "Tên nhóm", 45, required=True, wrap=True),
    _col("members", "Thành viên", 40, wrap=True),
    VALID_FROM, VALID_UNTIL))
KINDS = TableSpec("Loại đơn vị", (
    _col("code", "Mã loại", 12, required=True),
    _col("name", "Tên loại", 35, required=True),
    _col("bloc", "Khối tổng hợp", 18, required=True),
    VALID_FROM, VALID_UNTIL))
INDICATORS = TableSpec("Chỉ tiêu", (
    _col("code", "Mã chỉ tiêu", 18, required=True),
    _col("name", "Chỉ tiêu", 46, required=True, wrap=True),
    _col("unit", "Đơn vị tính", 12, required=True, wrap=True),
    _col("type", "Kiểu số", 12, required=True, wrap=True),
    _col("aggregate", "Cách tổng hợp", 12, required=True, wrap=True),
    _col("groups", "Nhóm nhiệm vụ", 12, wrap=True),
    _col("note", "Ghi chú", 22, wrap=True),
    # "đã xử lý" is part of "được phát hiện": the report gives the rate (optional column)
    _col("part_of", "Tỷ lệ so với", 16, optional=True, wrap=True)))

YES_NO = {"Có": True, "Không": False}
NUMBER_TYPES = {"Số nguyên": NumberType.INTEGER, "Số thập phân": NumberType.DECIMAL}
AGGREGATES = {"Cộng": Aggregate.SUM, "Lớn nhất": Aggregate.MAX}
_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---------------------------------------------------------------- Excel -> Plan (validated)

def parse_day(text: str) -> date | None:
    """A date as the lists hold it: an Excel date (read as dd/mm/yyyy), "01/07/2025" typed, or 2025-07-01."""
    text = text.strip().split(" ")[0]
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


@dataclass
class _Loader:
    input_dir: Path
    issues: list[Issue] = field(default_factory=list)

    def table(self, file: str, spec: TableSpec, optional: bool = False) -> list[Row]:
        """The rows of one sheet; an `optional` sheet that is missing is an empty table, not a mistake."""
        path = self.input_dir / file
        where = f"input/{file}"
        if not path.exists():
            if not any(i.code == IssueCode.LIST_FILE_MISSING and i.file == where for i in self.issues):  # once
                self.issues.append(make_issue(IssueCode.LIST_FILE_MISSING, file=where, path=where))
            return []
        try:
            book = open_workbook(path)
            if spec.sheet not in book.sheet_names:
                if not optional:
                    self.issues.append(make_issue(IssueCode.LIST_SHEET_MISSING, file=where, sheet=spec.sheet))
                return []
            rows = sheet_rows(book, spec.sheet)
        except Exception as exc:  # calamine raises several unrelated types for broken files
            self.issues.append(make_issue(IssueCode.LIST_FILE_UNREADABLE, file=where, reason=str(exc)))
            return []
        found, missing = header_map(rows[0] if rows else [], spec)
        for col in missing:
            if not col.optional:
                self.issues.append(make_issue(IssueCode.LIST_COLUMN_MISSING, file=where, sheet=spec.sheet,
                                              cell="dòng 1", column=col.title))
        if any(not col.optional for col in missing):
            return []
        table = list(iter_table(rows, found, [c.key for c in missing]))
        self._check_required(where, spec, table)
        return table

    def _check_required(self, where: str, spec: TableSpec, table: list[Row]) -> None:
        for row in table:
            for col in spec.columns:
                if col.required and not row.values[col.key]:
                    self.issue(IssueCode.LIST_VALUE_REQUIRED, where, spec, row, col.key, column=col.title)

    def issue(self, issue_code: IssueCode, where: str, spec: TableSpec, row: Row, key: str, /, **values: Any) -> None:
        self.issues.append(make_issue(issue_code, file=where, sheet=spec.sheet, cell=row.cell(key), **values))

    def choice(self, where: str, spec: TableSpec, row: Row, key: str, choices: dict[str, Any]) -> Any:
        value = row.values[key]
        for label, result in choices.items():
            if value.casefold() == label.casefold():
                return result
        if value:
            self.issue(IssueCode.LIST_BAD_CHOICE, where, spec, row, key, value=value, column=spec.column(key).title,
                       choices=", ".join(f"“{c}”" for c in choices))
        return next(iter(choices.values()))

    def day(self, where: str, spec: TableSpec, row: Row, key: str) -> date | None:
        text = row.values.get(key, "")
        if not text:
            return None
        try:
            return parse_day(text)
        except ValueError:
            self.issue(IssueCode.LIST_BAD_DATE, where, spec, row, key, value=text, column=spec.column(key).title)
            return None

    def validity(self, where: str, spec: TableSpec, row: Row) -> Validity:
        start, end = self.day(where, spec, row, "valid_from"), self.day(where, spec, row, "valid_until")
        if start and end and end < start:
            self.issue(IssueCode.LIST_BAD_VALIDITY, where, spec, row, "valid_until", start=f"{start:%d/%m/%Y}",
                       end=f"{end:%d/%m/%Y}")
        return Validity(start, end)

    def unique(self, where: str, spec: TableSpec, rows: list[tuple[Row, Validity]]) -> None:
        """A code appears once, or on several rows whose dates do not overlap (its names over time)."""
        key = spec.columns[0].key
        seen: dict[str, list[tuple[Row, Validity]]] = {}
        for row, valid in rows:
            code = row.values[key]
            for first, other in seen.get(code, []):
                if _overlap(valid, other):
                    code_issue = IssueCode.LIST_VALIDITY_OVERLAP if (valid, other) != (ALWAYS, ALWAYS) \
                        else IssueCode.LIST_DUPLICATE_CODE
                    self.issue(code_issue, where, spec, row, key, code=code, first_row=first.number)
                    break
            if code:
                seen.setdefault(code, []).append((row, valid))


def _overlap(a: Validity, b: Validity) -> bool:
    return (a.start is None or b.end is None or a.start <= b.end) and (b.start is None or a.end is None
                                                                         or b.start <= a.end)


def _load_kinds(loader: _Loader, where: str) -> list[AgencyKind]:
    rows = [(r, loader.validity(where, KINDS, r)) for r in loader.table(AGENCY_FILE, KINDS)]
    loader.unique(where, KINDS, rows)
    return [AgencyKind(r.values["code"], r.values["name"], r.values["bloc"], valid) for r, valid in rows]


def _load_agencies(loader: _Loader, where: str, kind_codes: set[str]) -> list[Agency]:
    rows = [(r, loader.validity(where, AGENCIES, r)) for r in loader.table(AGENCY_FILE, AGENCIES)]
    loader.unique(where, AGENCIES, rows)
    agencies = []
    for row, valid in rows:
        v = row.values
        if v["kind"] and kind_codes and v["kind"] not in kind_codes:
            loader.issue(IssueCode.LIST_UNKNOWN_KIND, where, AGENCIES, row, "kind", code=v["kind"])
        if v["email"] and not _EMAIL.match(v["email"]):
            loader.issue(IssueCode.LIST_BAD_EMAIL, where, AGENCIES, row, "email", value=v["email"])
        if v["code"] and not _CODE.match(v["code"]):
            # codes become file names (bieu-mau/<CODE>.xlsx): keep them to safe characters
            loader.issue(IssueCode.LIST_BAD_CODE, where, AGENCIES, row, "code", code=v["code"])
        reports = loader.choice(where, AGENCIES, row, "reports", YES_NO)
        agencies.append(Agency(v["code"], v["name"], v["short"], v["kind"], v["email"], reports, valid,
                               split_codes(v["successors"]), v["note"]))
    codes = {a.code for a in agencies}
    for (row, _), agency in zip(rows, agencies, strict=True):
        for successor in agency.successors:
            if successor not in codes:
                loader.issue(IssueCode.LIST_UNKNOWN_AGENCY, where, AGENCIES, row, "successors", code=successor)
    return agencies


def _load_groups(loader: _Loader, where: str, known: set[str]) -> list[AgencyGroup]:
    rows = [(r, loader.validity(where, AGENCY_GROUPS, r)) for r in loader.table(AGENCY_FILE, AGENCY_GROUPS)]
    loader.unique(where, AGENCY_GROUPS, rows)
    known = known | {r.values["code"] for r, _ in rows}
    groups = []
    for row, valid in rows:
        members = split_codes(row.values["members"])
        for member in members:
            if member not in known:
                loader.issue(IssueCode.LIST_UNKNOWN_AGENCY, where, AGENCY_GROUPS, row, "members", code=member)
        if row.values["code"] in members:
            loader.issue(IssueCode.LIST_GROUP_CYCLE, where, AGENCY_GROUPS, row, "members", code=row.values["code"])
        groups.append(AgencyGroup(row.values["code"], row.values["name"], members, valid))
    return groups


def _load_registry(loader: _Loader) -> tuple[list[AgencyKind], list[Agency], list[AgencyGroup]]:
    where = f"input/{AGENCY_FILE}"
    kinds = _load_kinds(loader, where)
    kind_codes = {k.code for k in kinds}
    agencies = _load_agencies(loader, where, kind_codes)
    groups = _load_groups(loader, where, {a.code for a in agencies} | kind_codes)
    return kinds, agencies, groups


def _deadline(loader: _Loader, where: str, row: Row) -> Deadline:
    try:
        return parse_deadline(row.values["deadline"])
    except DeadlineError:
        if row.values["deadline"]:
            loader.issue(IssueCode.LIST_BAD_DEADLINE, where, TASKS, row, "deadline", text=row.values["deadline"])
        return parse_deadline("Thường xuyên")


def _task(loader: _Loader, where: str, row: Row, valid: Validity, group_ids: set[str], known: set[str]) -> Task:
    v = row.values
    if v["group"] and group_ids and v["group"] not in group_ids:
        loader.issue(IssueCode.LIST_UNKNOWN_GROUP, where, TASKS, row, "group", code=v["group"])
    lead_codes, support_codes = split_codes(v["lead_codes"]), split_codes(v["support_codes"])
    if v["id"] and not lead_codes:
        loader.issue(IssueCode.LIST_TASK_NO_LEAD, where, TASKS, row, "lead_codes", task=v["id"],
                     column=TASKS.column("lead_codes").title)
    for key, codes in (("lead_codes", lead_codes), ("support_codes", support_codes)):
        for code in codes:
            if code not in known:
                loader.issue(IssueCode.LIST_UNKNOWN_AGENCY, where, TASKS, row, key, code=code)
    return Task(v["id"], v["group"], v["text"], v["lead"], v["support"], lead_codes, support_codes, v["form"],
                _deadline(loader, where, row), v["note"], valid, v["short"])


def _load_reassignments(loader: _Loader, task_ids: set[str], known: set[str]) -> list[Reassignment]:
    where = f"input/{PLAN_FILE}"
    out = []
    rows = loader.table(PLAN_FILE, REASSIGNMENTS, optional=True)
    for row in rows:
        v, valid = row.values, loader.validity(where, REASSIGNMENTS, row)
        if v["task"] and task_ids and v["task"] not in task_ids:
            loader.issue(IssueCode.LIST_UNKNOWN_TASK, where, REASSIGNMENTS, row, "task", code=v["task"])
        lead_codes, support_codes = split_codes(v["lead_codes"]), split_codes(v["support_codes"])
        if v["task"] and not lead_codes and not support_codes:
            loader.issue(IssueCode.LIST_TASK_NO_LEAD, where, REASSIGNMENTS, row, "lead_codes", task=v["task"],
                         column=REASSIGNMENTS.column("lead_codes").title)
        if valid.start is None:
            loader.issue(IssueCode.LIST_VALUE_REQUIRED, where, REASSIGNMENTS, row, "valid_from",
                         column=REASSIGNMENTS.column("valid_from").title)
        for key, codes in (("lead_codes", lead_codes), ("support_codes", support_codes)):
            for code in codes:
                if code not in known:
                    loader.issue(IssueCode.LIST_UNKNOWN_AGENCY, where, REASSIGNMENTS, row, key, code=code)
        out.append(Reassignment(v["task"], lead_codes, support_codes, valid, v["note"]))
    loader.unique(where, REASSIGNMENTS, [(row, r.valid) for row, r in zip(rows, out, strict=True)])
    return out


def _load_tasks(loader: _Loader, known_codes: set[str]) -> tuple[list[TaskGroup], list[Task]]:
    where = f"input/{PLAN_FILE}"
    group_rows = loader.table(PLAN_FILE, TASK_GROUPS)
    loader.unique(where, TASK_GROUPS, [(r, ALWAYS) for r in group_rows])
    task_groups = [TaskGroup(r.values["id"], r.values["title"]) for r in group_rows]
    task_rows = loader.table(PLAN_FILE, TASKS)
    if not task_rows and not loader.issues:
        loader.issues.append(make_issue(IssueCode.LIST_NO_TASKS, file=where, sheet=TASKS.sheet))
    rows = [(r, loader.validity(where, TASKS, r)) for r in task_rows]
    loader.unique(where, TASKS, rows)
    group_ids = {g.id for g in task_groups}
    return task_groups, [_task(loader, where, row, valid, group_ids, known_codes) for row, valid in rows]


def _load_indicators(loader: _Loader, group_ids: set[str]) -> list[Indicator]:
    where = f"input/{INDICATOR_FILE}"
    rows = loader.table(INDICATOR_FILE, INDICATORS)
    loader.unique(where, INDICATORS, [(r, ALWAYS) for r in rows])
    out = []
    for row in rows:
        v = row.values
        kind = loader.choice(where, INDICATORS, row, "type", NUMBER_TYPES)
        aggregate = loader.choice(where, INDICATORS, row, "aggregate", AGGREGATES)
        groups = split_codes(v["groups"])
        for group in groups:
            if group_ids and group not in group_ids:
                loader.issue(IssueCode.LIST_UNKNOWN_GROUP, where, INDICATORS, row, "groups", code=group)
        out.append(Indicator(v["code"], v["name"], v["unit"], kind, aggregate, groups, v["note"], v["part_of"]))
    codes = {i.code for i in out}
    for row, indicator in zip(rows, out, strict=True):
        if indicator.part_of and indicator.part_of not in codes:
            loader.issue(IssueCode.LIST_UNKNOWN_INDICATOR, where, INDICATORS, row, "part_of", code=indicator.part_of)
    return out


def load_plan(input_dir: Path) -> Plan:
    """Load and validate the three lists; raise DataFilesError with every mistake found."""
    loader = _Loader(input_dir)
    kinds, agencies, groups = _load_registry(loader)
    known = {a.code for a in agencies} | {k.code for k in kinds} | {g.code for g in groups}
    task_groups, tasks = _load_tasks(loader, known)
    reassignments = _load_reassignments(loader, {t.id for t in tasks}, known)
    indicators = _load_indicators(loader, {g.id for g in task_groups})
    if loader.issues:
        raise DataFilesError(loader.issues)
    return Plan(tuple(task_groups), tuple(tasks), tuple(kinds), tuple(agencies), tuple(groups),
                tuple(indicators), tuple(reassignments))


def split_warnings(view: Plan) -> list[str]:
    """On a dated view of the plan: each task still given to every successor of a split agency, said once, with
    where to record who took it over (a warning: the lists load, but the rates would count both successors)."""
    out = []
    for duty in view.split_duties():
        ended = view.everything.agency_by_code[duty.agency]
        since = f" từ {ended.valid.end + timedelta(days=1):%d/%m/%Y}" if ended.valid.end else ""
        role = "chủ trì" if duty.role is Role.LEAD else "phối hợp"
        out.append(f"Nhiệm vụ {duty.task}: đơn vị {role} {ended.name} đã chia tách{since}, nên nhiệm vụ đang giao "
                   f"cho cả {' và '.join(view.name_of(code) for code in duty.successors)}. Ghi đơn vị nhận nhiệm vụ "
                   f"này ở sheet “{REASSIGNMENTS.sheet}” của input/{PLAN_FILE} (ghi đủ các mã nếu đúng là cùng "
                   f"{role}).")
    return out
