"""The plan's lists in input/ (tasks, agencies, indicators): written from the seed, read back and validated.

The office edits these Excel files; loading collects every mistake with file, sheet, row and column and
raises one DataFilesError carrying them all, so the user fixes everything in one pass.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from planreports.errors import DataFilesError
from planreports.findings import Issue, make_issue
from planreports.form.xlsx import formats, new_workbook
from planreports.plan.deadlines import DeadlineError, parse_deadline
from planreports.plan.model import Agency, AgencyGroup, AgencyKind, Indicator, Plan, Task, TaskGroup
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

TASK_GROUPS = TableSpec("Nhóm nhiệm vụ", (
    Column("id", "Mã nhóm", 10, True), Column("title", "Tên nhóm", 90, True, True)))
TASKS = TableSpec("Nhiệm vụ", (
    Column("id", "Mã nhiệm vụ", 10, True), Column("group", "Nhóm", 8, True),
    Column("text", "Nội dung nhiệm vụ", 60, True, True),
    Column("lead", "Chủ trì", 30, False, True), Column("lead_codes", "Mã chủ trì", 16, False, True),
    Column("support", "Phối hợp", 30, False, True), Column("support_codes", "Mã phối hợp", 16, False, True),
    Column("form", "Hình thức", 30, False, True), Column("deadline", "Thời hạn", 22, True, True),
    Column("note", "Ghi chú", 30, False, True)))
AGENCIES = TableSpec("Đơn vị", (
    Column("code", "Mã đơn vị", 12, True), Column("name", "Tên đầy đủ", 45, True, True),
    Column("short", "Tên ngắn", 24, True), Column("kind", "Loại", 12, True),
    Column("email", "E-mail", 30), Column("reports", "Có báo cáo", 11, True)))
AGENCY_GROUPS = TableSpec("Nhóm đơn vị", (
    Column("code", "Mã nhóm", 12, True), Column("name", "Tên nhóm", 45, True, True),
    Column("members", "Thành viên", 40, False, True)))
KINDS = TableSpec("Loại đơn vị", (
    Column("code", "Mã loại", 12, True), Column("name", "Tên loại", 35, True),
    Column("bloc", "Khối tổng hợp", 18, True)))
INDICATORS = TableSpec("Chỉ tiêu", (
    Column("code", "Mã chỉ tiêu", 18, True), Column("name", "Chỉ tiêu", 60, True, True),
    Column("unit", "Đơn vị tính", 14, True), Column("type", "Kiểu số", 14, True),
    Column("aggregate", "Cách tổng hợp", 14, True), Column("groups", "Nhóm nhiệm vụ", 14, False, True),
    Column("note", "Ghi chú", 30, False, True)))

YES_NO = {"Có": True, "Không": False}
NUMBER_TYPES = {"Số nguyên": "integer", "Số thập phân": "decimal"}
AGGREGATES = {"Cộng": "sum", "Lớn nhất": "max"}
_CODE = re.compile(r"^[A-Za-z0-9_.\-]{1,30}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


# ---------------------------------------------------------------- seed -> Excel (used by `init`)

def _seed(name: str) -> dict[str, Any]:
    text = resources.files("planreports.plan.seed").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def seed_text(name: str) -> str:
    return resources.files("planreports.plan.seed").joinpath(name).read_text(encoding="utf-8")


def _reverse(mapping: dict[str, Any]) -> dict[Any, str]:
    return {v: k for k, v in mapping.items()}


def _seed_rows() -> dict[str, list[dict[str, str]]]:
    plan, reg, ind = _seed("plan.toml"), _seed("agencies.toml"), _seed("indicators.toml")
    task_rows = [{
        "id": t["id"], "group": t["id"].split(".")[0], "text": t["text"],
        "lead": t.get("lead", ""), "lead_codes": "; ".join(t["lead_codes"]),
        "support": t.get("support", ""), "support_codes": "; ".join(t.get("support_codes", [])),
        "form": t.get("form", ""), "deadline": t["deadline"], "note": t.get("note", ""),
    } for t in plan["tasks"]]
    yes_no, types, aggs = _reverse(YES_NO), _reverse(NUMBER_TYPES), _reverse(AGGREGATES)
    return {
        TASK_GROUPS.sheet: [{"id": g["id"], "title": g["title"]} for g in plan["groups"]],
        TASKS.sheet: task_rows,
        AGENCIES.sheet: [{**{k: a.get(k, "") for k in ("code", "name", "short", "kind", "email")},
                          "reports": yes_no[a.get("reports", True)]} for a in reg["agencies"]],
        AGENCY_GROUPS.sheet: [{"code": g["code"], "name": g["name"], "members": "; ".join(g["members"])}
                              for g in reg["groups"]],
        KINDS.sheet: [dict(k) for k in reg["kinds"]],
        INDICATORS.sheet: [{**{k: i[k] for k in ("code", "name", "unit")}, "type": types[i["type"]],
                            "aggregate": aggs[i["aggregate"]], "groups": i.get("groups", ""),
                            "note": i.get("note", "")}
                           for i in ind["indicators"]],
    }


def write_list_file(path: Path, specs: list[TableSpec], rows: dict[str, list[dict[str, str]]]) -> None:
    book = new_workbook(path)
    fmt = formats(book)
    for spec in specs:
        sheet = book.add_worksheet(spec.sheet)
        for col, column in enumerate(spec.columns):
            sheet.set_column(col, col, column.width)
            sheet.write_string(0, col, column.title, fmt["header"])
        for r, row in enumerate(rows.get(spec.sheet, []), start=1):
            for col, column in enumerate(spec.columns):
                sheet.write_string(r, col, row.get(column.key, ""), fmt["text"])
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(1, len(rows.get(spec.sheet, []))), len(spec.columns) - 1)
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
    book.close()


def write_seed_lists(input_dir: Path) -> list[Path]:
    rows = _seed_rows()
    files = [(PLAN_FILE, [TASKS, TASK_GROUPS]), (AGENCY_FILE, [AGENCIES, AGENCY_GROUPS, KINDS]),
             (INDICATOR_FILE, [INDICATORS])]
    written = []
    for name, specs in files:
        write_list_file(input_dir / name, specs, rows)
        written.append(input_dir / name)
    return written


# ---------------------------------------------------------------- Excel -> Plan (validated)

@dataclass
class _Loader:
    input_dir: Path
    issues: list[Issue] = field(default_factory=list)

    def table(self, file: str, spec: TableSpec) -> list[Row]:
        path = self.input_dir / file
        where = f"input/{file}"
        if not path.exists():
            if not any(i.code == "list-file-missing" and i.file == where for i in self.issues):  # once per file
                self.issues.append(make_issue("list-file-missing", file=where, path=where))
            return []
        try:
            book = open_workbook(path)
            if spec.sheet not in book.sheet_names:
                self.issues.append(make_issue("list-sheet-missing", file=where, sheet=spec.sheet))
                return []
            rows = sheet_rows(book, spec.sheet)
        except Exception as exc:  # calamine raises several unrelated types for broken files
            self.issues.append(make_issue("list-file-unreadable", file=where, reason=str(exc)))
            return []
        found, missing = header_map(rows[0] if rows else [], spec)
        for col in missing:
            self.issues.append(make_issue("list-column-missing", file=where, sheet=spec.sheet, cell="dòng 1",
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
                    self.issue("list-value-required", where, spec, row, col.key, column=col.title)
            code = row.values[key.key]
            if code and code in first_seen:
                self.issue("list-duplicate-code", where, spec, row, key.key, code=code,
                           first_row=first_seen[code])
            first_seen.setdefault(code, row.number)

    def issue(self, issue_code: str, where: str, spec: TableSpec, row: Row, key: str, /, **values: Any) -> None:
        self.issues.append(make_issue(issue_code, file=where, sheet=spec.sheet, cell=row.cell(key), **values))

    def choice(self, where: str, spec: TableSpec, row: Row, key: str, choices: dict[str, Any]) -> Any:
        value = row.values[key]
        for label, result in choices.items():
            if value.casefold() == label.casefold():
                return result
        if value:
            self.issue("list-bad-choice", where, spec, row, key, value=value, column=spec.column(key).title,
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
            loader.issue("list-unknown-kind", where, AGENCIES, row, "kind", code=v["kind"])
        if v["email"] and not _EMAIL.match(v["email"]):
            loader.issue("list-bad-email", where, AGENCIES, row, "email", value=v["email"])
        if v["code"] and not _CODE.match(v["code"]):
            # codes become file names (bieu-mau/<CODE>.xlsx): keep them to safe characters
            loader.issue("list-bad-code", where, AGENCIES, row, "code", code=v["code"])
        reports = loader.choice(where, AGENCIES, row, "reports", YES_NO)
        agencies.append(Agency(v["code"], v["name"], v["short"], v["kind"], v["email"], reports))
    group_rows = loader.table(AGENCY_FILE, AGENCY_GROUPS)
    known = {a.code for a in agencies} | kind_codes | {r.values["code"] for r in group_rows}
    groups = []
    for row in group_rows:
        members = split_codes(row.values["members"])
        for member in members:
            if member not in known:
                loader.issue("list-unknown-agency", where, AGENCY_GROUPS, row, "members", code=member)
        if row.values["code"] in members:
            loader.issue("list-group-cycle", where, AGENCY_GROUPS, row, "members", code=row.values["code"])
        groups.append(AgencyGroup(row.values["code"], row.values["name"], members))
    return kinds, agencies, groups


def _load_tasks(loader: _Loader, known_codes: set[str]) -> tuple[list[TaskGroup], list[Task]]:
    where = f"input/{PLAN_FILE}"
    task_groups = [TaskGroup(r.values["id"], r.values["title"]) for r in loader.table(PLAN_FILE, TASK_GROUPS)]
    group_ids = {g.id for g in task_groups}
    tasks = []
    task_rows = loader.table(PLAN_FILE, TASKS)
    if not task_rows and not loader.issues:
        loader.issues.append(make_issue("list-no-tasks", file=where, sheet=TASKS.sheet))
    for row in task_rows:
        v = row.values
        if v["group"] and task_groups and v["group"] not in group_ids:
            loader.issue("list-unknown-group", where, TASKS, row, "group", code=v["group"])
        lead_codes, support_codes = split_codes(v["lead_codes"]), split_codes(v["support_codes"])
        if v["id"] and not lead_codes:
            loader.issue("list-task-no-lead", where, TASKS, row, "lead_codes", task=v["id"],
                         column=TASKS.column("lead_codes").title)
        for key, codes in (("lead_codes", lead_codes), ("support_codes", support_codes)):
            for code in codes:
                if code not in known_codes:
                    loader.issue("list-unknown-agency", where, TASKS, row, key, code=code)
        try:
            deadline = parse_deadline(v["deadline"])
        except DeadlineError:
            if v["deadline"]:
                loader.issue("list-bad-deadline", where, TASKS, row, "deadline", text=v["deadline"])
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
                loader.issue("list-unknown-group", where, INDICATORS, row, "groups", code=group)
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
