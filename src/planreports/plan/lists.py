"""The plan's lists in input/ (tasks, agencies, indicators): written from the seed, read back and validated.

The office edits these Excel files; loading collects every mistake with file, sheet, row and column and
raises one DataFilesError carrying them all, so the user fixes everything in one pass.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planreports.errors import DataFilesError
from planreports.findings import Issue, IssueCode, make_issue
from planreports.plan.deadlines import DeadlineError, parse_deadline
from planreports.plan.model import (
    Agency,
    AgencyGroup,
    AgencyKind,
    Aggregate,
    Indicator,
    NumberType,
    Plan,
    Task,
    TaskGroup,
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
# wide: the widest sheet ("Nhiệm vụ", 156 units) prints at about 80 % (text near 10 pt).
def _col(key: str, title: str, width: float, required: bool = False, wrap: bool = False) -> Column:
    return Column(key=key, title=title, width=width, required=required, wrap=wrap)


TASK_GROUPS = TableSpec("Nhóm nhiệm vụ", (
    _col("id", "Mã nhóm", 10, required=True),
    _col("title", "Tên nhóm", 90, required=True, wrap=True)))
TASKS = TableSpec("Nhiệm vụ", (
    _col("id", "Mã nhiệm vụ", 7, required=True),
    _col("group", "Nhóm", 6, required=True),
    _col("text", "Nội dung nhiệm vụ", 40, required=True, wrap=True),
    _col("lead", "Chủ trì", 20, wrap=True),
    _col("lead_codes", "Mã chủ trì", 11, wrap=True),
    _col("support", "Phối hợp", 20, wrap=True),
    _col("support_codes", "Mã phối hợp", 11, wrap=True),
    _col("form", "Hình thức", 16, wrap=True),
    _col("deadline", "Thời hạn", 13, required=True, wrap=True),
    _col("note", "Ghi chú", 12, wrap=True)))
AGENCIES = TableSpec("Đơn vị", (
    _col("code", "Mã đơn vị", 12, required=True),
    _col("name", "Tên đầy đủ", 45, required=True, wrap=True),
    _col("short", "Tên ngắn", 24, required=True),
    _col("kind", "Loại", 12, required=True),
    _col("email", "E-mail", 30),
    _col("reports", "Có báo cáo", 11, required=True)))
AGENCY_GROUPS = TableSpec("Nhóm đơn vị", (
    _col("code", "Mã nhóm", 12, required=True),
    _col("name", "Tên nhóm", 45, required=True, wrap=True),
    _col("members", "Thành viên", 40, wrap=True)))
KINDS = TableSpec("Loại đơn vị", (
    _col("code", "Mã loại", 12, required=True),
    _col("name", "Tên loại", 35, required=True),
    _col("bloc", "Khối tổng hợp", 18, required=True)))
INDICATORS = TableSpec("Chỉ tiêu", (
    _col("code", "Mã chỉ tiêu", 18, required=True),
    _col("name", "Chỉ tiêu", 50, required=True, wrap=True),
    _col("unit", "Đơn vị tính", 14, required=True),
    _col("type", "Kiểu số", 14, required=True),
    _col("aggregate", "Cách tổng hợp", 14, required=True),
    _col("groups", "Nhóm nhiệm vụ", 14, wrap=True),
    _col("note", "Ghi chú", 26, wrap=True)))

YES_NO = {"Có": True, "Không": False}
NUMBER_TYPES = {"Số nguyên": NumberType.INTEGER, "Số thập phân": NumberType.DECIMAL}
AGGREGATES = {"Cộng": Aggregate.SUM, "Lớn nhất": Aggregate.MAX}
_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---------------------------------------------------------------- Excel -> Plan (validated)

@dataclass
class _Loader:
    input_dir: Path
    issues: list[Issue] = field(default_factory=list)

    def table(self, file: str, spec: TableSpec) -> list[Row]:
        path = self.input_dir / file
        where = f"input/{file}"
        if not path.exists():
            if not any(i.code == IssueCode.LIST_FILE_MISSING and i.file == where for i in self.issues):  # once per file
                self.issues.append(make_issue(IssueCode.LIST_FILE_MISSING, file=where, path=where))
            return []
        try:
            book = open_workbook(path)
            if spec.sheet not in book.sheet_names:
                self.issues.append(make_issue(IssueCode.LIST_SHEET_MISSING, file=where, sheet=spec.sheet))
                return []
            rows = sheet_rows(book, spec.sheet)
        except Exception as exc:  # calamine raises several unrelated types for broken files
            self.issues.append(make_issue(IssueCode.LIST_FILE_UNREADABLE, file=where, reason=str(exc)))
            return []
        found, missing = header_map(rows[0] if rows else [], spec)
        for col in missing:
            self.issues.append(make_issue(IssueCode.LIST_COLUMN_MISSING, file=where, sheet=spec.sheet, cell="dòng 1",
                                          column=col.title))
        if missing:
            return []
        table = list(iter_table(rows, found))
        self._check_required(where, spec, table)
        return table

    def _check_required(self, where: str, spec: TableSpec, table: list[Row]) -> None:
        first_seen: dict[str, int] = {}
        key = spec.columns[0]
        for row in table:
            for col in spec.columns:
                if col.required and not row.values[col.key]:
                    self.issue(IssueCode.LIST_VALUE_REQUIRED, where, spec, row, col.key, column=col.title)
            code = row.values[key.key]
            if code and code in first_seen:
                self.issue(IssueCode.LIST_DUPLICATE_CODE, where, spec, row, key.key, code=code,
                           first_row=first_seen[code])
            first_seen.setdefault(code, row.number)

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


def _load_registry(loader: _Loader) -> tuple[list[AgencyKind], list[Agency], list[AgencyGroup]]:
    where = f"input/{AGENCY_FILE}"
    kinds = [AgencyKind(r.values["code"], r.values["name"], r.values["bloc"])
             for r in loader.table(AGENCY_FILE, KINDS)]
    kind_codes = {k.code for k in kinds}
    agencies = []
    for row in loader.table(AGENCY_FILE, AGENCIES):
        v = row.values
        if v["kind"] and kinds and v["kind"] not in kind_codes:
            loader.issue(IssueCode.LIST_UNKNOWN_KIND, where, AGENCIES, row, "kind", code=v["kind"])
        if v["email"] and not _EMAIL.match(v["email"]):
            loader.issue(IssueCode.LIST_BAD_EMAIL, where, AGENCIES, row, "email", value=v["email"])
        if v["code"] and not _CODE.match(v["code"]):
            # codes become file names (bieu-mau/<CODE>.xlsx): keep them to safe characters
            loader.issue(IssueCode.LIST_BAD_CODE, where, AGENCIES, row, "code", code=v["code"])
        reports = loader.choice(where, AGENCIES, row, "reports", YES_NO)
        agencies.append(Agency(v["code"], v["name"], v["short"], v["kind"], v["email"], reports))
    group_rows = loader.table(AGENCY_FILE, AGENCY_GROUPS)
    known = {a.code for a in agencies} | kind_codes | {r.values["code"] for r in group_rows}
    groups = []
    for row in group_rows:
        members = split_codes(row.values["members"])
        for member in members:
            if member not in known:
                loader.issue(IssueCode.LIST_UNKNOWN_AGENCY, where, AGENCY_GROUPS, row, "members", code=member)
        if row.values["code"] in members:
            loader.issue(IssueCode.LIST_GROUP_CYCLE, where, AGENCY_GROUPS, row, "members", code=row.values["code"])
        groups.append(AgencyGroup(row.values["code"], row.values["name"], members))
    return kinds, agencies, groups


def _load_tasks(loader: _Loader, known_codes: set[str]) -> tuple[list[TaskGroup], list[Task]]:
    where = f"input/{PLAN_FILE}"
    task_groups = [TaskGroup(r.values["id"], r.values["title"]) for r in loader.table(PLAN_FILE, TASK_GROUPS)]
    group_ids = {g.id for g in task_groups}
    tasks = []
    task_rows = loader.table(PLAN_FILE, TASKS)
    if not task_rows and not loader.issues:
        loader.issues.append(make_issue(IssueCode.LIST_NO_TASKS, file=where, sheet=TASKS.sheet))
    for row in task_rows:
        v = row.values
        if v["group"] and task_groups and v["group"] not in group_ids:
            loader.issue(IssueCode.LIST_UNKNOWN_GROUP, where, TASKS, row, "group", code=v["group"])
        lead_codes, support_codes = split_codes(v["lead_codes"]), split_codes(v["support_codes"])
        if v["id"] and not lead_codes:
            loader.issue(IssueCode.LIST_TASK_NO_LEAD, where, TASKS, row, "lead_codes", task=v["id"],
                         column=TASKS.column("lead_codes").title)
        for key, codes in (("lead_codes", lead_codes), ("support_codes", support_codes)):
            for code in codes:
                if code not in known_codes:
                    loader.issue(IssueCode.LIST_UNKNOWN_AGENCY, where, TASKS, row, key, code=code)
        try:
            deadline = parse_deadline(v["deadline"])
        except DeadlineError:
            if v["deadline"]:
                loader.issue(IssueCode.LIST_BAD_DEADLINE, where, TASKS, row, "deadline", text=v["deadline"])
            deadline = parse_deadline("Thường xuyên")
        tasks.append(Task(v["id"], v["group"], v["text"], v["lead"], v["support"], lead_codes, support_codes,
                          v["form"], deadline, v["note"]))
    return task_groups, tasks


def _load_indicators(loader: _Loader, group_ids: set[str]) -> list[Indicator]:
    where = f"input/{INDICATOR_FILE}"
    out = []
    for row in loader.table(INDICATOR_FILE, INDICATORS):
        v = row.values
        kind = loader.choice(where, INDICATORS, row, "type", NUMBER_TYPES)
        aggregate = loader.choice(where, INDICATORS, row, "aggregate", AGGREGATES)
        groups = split_codes(v["groups"])
        for group in groups:
            if group_ids and group not in group_ids:
                loader.issue(IssueCode.LIST_UNKNOWN_GROUP, where, INDICATORS, row, "groups", code=group)
        out.append(Indicator(v["code"], v["name"], v["unit"], kind, aggregate, groups, v["note"]))
    return out


def load_plan(input_dir: Path) -> Plan:
    """Load and validate the three lists; raise DataFilesError with every mistake found."""
    loader = _Loader(input_dir)
    kinds, agencies, groups = _load_registry(loader)
    known = {a.code for a in agencies} | {k.code for k in kinds} | {g.code for g in groups}
    task_groups, tasks = _load_tasks(loader, known)
    indicators = _load_indicators(loader, {g.id for g in task_groups})
    if loader.issues:
        raise DataFilesError(loader.issues)
    return Plan(tuple(task_groups), tuple(tasks), tuple(kinds), tuple(agencies), tuple(groups),
                tuple(indicators))
