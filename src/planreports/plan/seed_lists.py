"""The plan's lists in input/, written from the seed data shipped in plan/seed/ (used by `init`)."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

from planreports.excel import A4, fit_rows, formats, new_workbook, set_footer, table_header
from planreports.plan.lists import (
    AGENCIES,
    AGENCY_FILE,
    AGENCY_GROUPS,
    AGGREGATES,
    INDICATOR_FILE,
    INDICATORS,
    KINDS,
    NUMBER_TYPES,
    PLAN_FILE,
    TASK_GROUPS,
    TASKS,
    YES_NO,
)
from planreports.plan.sheets import TableSpec


def seed_text(name: str) -> str:
    """A file of the seed shipped with the package (the plan, the registry, the indicators, the config)."""
    return resources.files("planreports.plan.seed").joinpath(name).read_text(encoding="utf-8")


def _seed(name: str) -> dict[str, Any]:
    return tomllib.loads(seed_text(name))


def _reverse(mapping: dict[str, Any]) -> dict[Any, str]:
    return {v: k for k, v in mapping.items()}


Cell = str | date
DATED = ("valid_from", "valid_until")


def _dated(entry: dict[str, Any]) -> dict[str, Cell]:
    """The validity dates of a seed entry, kept as dates (written as Excel dates)."""
    return {key: entry[key] for key in DATED if key in entry}


def seed_rows() -> dict[str, list[dict[str, Cell]]]:
    plan, reg, ind = _seed("plan.toml"), _seed("agencies.toml"), _seed("indicators.toml")
    task_rows = [{
        "id": t["id"], "group": t["id"].split(".")[0], "text": t["text"],
        "lead": t.get("lead", ""), "lead_codes": "; ".join(t["lead_codes"]),
        "support": t.get("support", ""), "support_codes": "; ".join(t.get("support_codes", [])),
        "form": t.get("form", ""), "deadline": t["deadline"], "note": t.get("note", ""), **_dated(t),
    } for t in plan["tasks"]]
    yes_no, types, aggs = _reverse(YES_NO), _reverse(NUMBER_TYPES), _reverse(AGGREGATES)
    return {
        TASK_GROUPS.sheet: [{"id": g["id"], "title": g["title"]} for g in plan["groups"]],
        TASKS.sheet: task_rows,
        AGENCIES.sheet: [{**{k: a.get(k, "") for k in ("code", "name", "short", "kind", "email", "note")},
                          "reports": yes_no[a.get("reports", True)], "successors": "; ".join(a.get("successors", [])),
                          **_dated(a)} for a in reg["agencies"]],
        AGENCY_GROUPS.sheet: [{"code": g["code"], "name": g["name"], "members": "; ".join(g["members"]), **_dated(g)}
                              for g in reg["groups"]],
        KINDS.sheet: [{**k, **_dated(k)} for k in reg["kinds"]],
        INDICATORS.sheet: [{**{k: i[k] for k in ("code", "name", "unit")}, "type": types[i["type"]],
                            "aggregate": aggs[i["aggregate"]], "groups": i.get("groups", ""),
                            "note": i.get("note", "")}
                           for i in ind["indicators"]],
    }


def _shown(value: Cell) -> str:
    """A cell as the sheet shows it (dates as dd/mm/yyyy), to fit the row's height."""
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else value


def write_list_file(path: Path, specs: list[TableSpec], rows: dict[str, list[dict[str, Cell]]]) -> None:
    book = new_workbook(path)
    fmt = formats(book)
    for spec in specs:
        sheet = book.add_worksheet(spec.sheet)
        widths = [column.width for column in spec.columns]
        texts = [[_shown(row.get(column.key, "")) for column in spec.columns] for row in rows.get(spec.sheet, [])]
        table_header(sheet, fmt["header"], [column.title for column in spec.columns], widths)
        for r, row in enumerate(rows.get(spec.sheet, []), start=1):
            for col, column in enumerate(spec.columns):
                value = row.get(column.key, "")
                if isinstance(value, date):
                    sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), fmt["date"])
                else:
                    sheet.write_string(r, col, value, fmt["text"])
        fit_rows(sheet, widths, texts, 1)
        sheet.autofilter(0, 0, max(1, len(texts)), len(spec.columns) - 1)
        sheet.set_landscape()
        sheet.set_paper(A4)
        sheet.fit_to_pages(1, 0)
        set_footer(sheet)
    book.close()


def write_seed_lists(input_dir: Path) -> list[Path]:
    rows = seed_rows()
    files = [(PLAN_FILE, [TASKS, TASK_GROUPS]), (AGENCY_FILE, [AGENCIES, AGENCY_GROUPS, KINDS]),
             (INDICATOR_FILE, [INDICATORS])]
    written = []
    for name, specs in files:
        write_list_file(input_dir / name, specs, rows)
        written.append(input_dir / name)
    return written


