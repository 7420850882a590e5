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
    REASSIGNMENTS,
    TASK_GROUPS,
    TASKS,
    YES_NO,
)
from planreports.plan.sheets import COMMENT, TableSpec, column_letter


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
        "id": t["id"], "group": t["id"].split(".")[0], "text": t["text"], "short": t.get("short", ""),
        "lead": t.get("lead", ""), "lead_codes": "; ".join(t["lead_codes"]),
        "support": t.get("support", ""), "support_codes": "; ".join(t.get("support_codes", [])),
        "form": t.get("form", ""), "deadline": t["deadline"], "note": t.get("note", ""), **_dated(t),
    } for t in plan["tasks"]]
    yes_no, types, aggs = _reverse(YES_NO), _reverse(NUMBER_TYPES), _reverse(AGGREGATES)
    return {
        TASK_GROUPS.sheet: [{"id": g["id"], "title": g["title"]} for g in plan["groups"]],
        TASKS.sheet: task_rows,
        REASSIGNMENTS.sheet: [{"task": r["task"], "lead_codes": "; ".join(r.get("lead_codes", [])),
                               "support_codes": "; ".join(r.get("support_codes", [])), "note": r.get("note", ""),
                               **_dated(r)} for r in plan.get("reassignments", [])],
        AGENCIES.sheet: [{**{k: a.get(k, "") for k in ("code", "name", "short", "kind", "email", "note")},
                          "reports": yes_no[a.get("reports", True)], "successors": "; ".join(a.get("successors", [])),
                          **_dated(a)} for a in reg["agencies"]],
        AGENCY_GROUPS.sheet: [{"code": g["code"], "name": g["name"], "members": "; ".join(g["members"]), **_dated(g)}
                              for g in reg["groups"]],
        KINDS.sheet: [{**k, **_dated(k)} for k in reg["kinds"]],
        INDICATORS.sheet: [{**{k: i[k] for k in ("code", "name", "unit")}, "type": types[i["type"]],
                            "aggregate": aggs[i["aggregate"]], "groups": i.get("groups", ""),
                            "note": i.get("note", ""), "part_of": i.get("part_of", "")}
                           for i in ind["indicators"]],
    }


EXAMPLE_NOTE = "Dòng ví dụ: bắt đầu bằng # nên không được đọc. Xoá, hoặc ghi đè bằng dòng của mình (bỏ dấu #)."


def blank_rows() -> dict[str, list[dict[str, Cell]]]:
    """A blank workspace's lists: one example row per sheet, its first cell starting with "#" (not read); the
    kinds of agencies are the tool's vocabulary (blocs of the consolidation) and stay as in the seed."""
    return {
        TASK_GROUPS.sheet: [{"id": f"{COMMENT} 1", "title": f"Nâng cao nhận thức về truyền thông chính sách. "
                                                            f"{EXAMPLE_NOTE}"}],
        TASKS.sheet: [{"id": f"{COMMENT} 1.1", "group": "1", "short": "Hội nghị quán triệt",
                       "text": "Tổ chức hội nghị quán triệt kế hoạch cho cán bộ chủ chốt", "lead": "Sở Tư pháp",
                       "lead_codes": "STP", "support": "Các sở, ban, ngành", "support_codes": "SBN",
                       "form": "Hội nghị", "deadline": "Trong năm 2027", "note": EXAMPLE_NOTE}],
        REASSIGNMENTS.sheet: [{"task": f"{COMMENT} 1.1", "lead_codes": "SNV", "valid_from": date(2027, 7, 1),
                               "note": f"Từ ngày này nhiệm vụ 1.1 do Sở Nội vụ chủ trì. {EXAMPLE_NOTE}"}],
        AGENCIES.sheet: [{"code": f"{COMMENT} STP", "name": "Sở Tư pháp", "short": "Sở Tư pháp", "kind": "so-nganh",
                          "email": "stp@example.gov.vn", "reports": "Có", "note": EXAMPLE_NOTE}],
        AGENCY_GROUPS.sheet: [{"code": f"{COMMENT} SBN", "name": "Các sở, ban, ngành", "members": "STP; SNV"}],
        KINDS.sheet: seed_rows()[KINDS.sheet],
        INDICATORS.sheet: [{"code": f"{COMMENT} HN_SO", "name": "Hội nghị quán triệt đã tổ chức", "unit": "hội nghị",
                            "type": "Số nguyên", "aggregate": "Cộng", "groups": "1", "note": EXAMPLE_NOTE}],
    }


def _shown(value: Cell) -> str:
    """A cell as the sheet shows it (dates as dd/mm/yyyy), to fit the row's height."""
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else value


LIST_ROWS = 1000     # rows of a list that get the dropdowns


def _code_range(spec: TableSpec, key: str = "") -> str:
    """The code column of another sheet of the same file, as a dropdown's source."""
    index = next(i for i, c in enumerate(spec.columns) if c.key == (key or spec.columns[0].key))
    letter = column_letter(index)
    return f"='{spec.sheet}'!${letter}$2:${letter}${LIST_ROWS}"


# (sheet, column) -> what its dropdown offers: a fixed vocabulary, or the codes of another sheet of the file,
# so codes are chosen, not typed (the loader still checks every value: a pasted cell bypasses a dropdown)
DROPDOWNS: dict[tuple[str, str], list[str] | str] = {
    (TASKS.sheet, "group"): _code_range(TASK_GROUPS),
    (REASSIGNMENTS.sheet, "task"): _code_range(TASKS),
    (AGENCIES.sheet, "kind"): _code_range(KINDS),
    (AGENCIES.sheet, "reports"): list(YES_NO),
    (INDICATORS.sheet, "type"): list(NUMBER_TYPES),
    (INDICATORS.sheet, "aggregate"): list(AGGREGATES),
}


def _dropdowns(sheet: Any, spec: TableSpec) -> None:
    for col, column in enumerate(spec.columns):
        source = DROPDOWNS.get((spec.sheet, column.key))
        if source is None:
            continue
        shown = ", ".join(source) if isinstance(source, list) else f"mã ở sheet “{source.split('!')[0][2:-1]}”"
        sheet.data_validation(1, col, LIST_ROWS - 1, col, {
            "validate": "list", "source": source, "ignore_blank": True,
            "input_title": column.title[:32], "input_message": f"Chọn trong danh sách: {shown}."[:255],
            "error_title": "Giá trị không có trong danh sách",
            "error_message": f"Cột “{column.title}” chỉ nhận: {shown}."[:255],
        })


def write_list_file(path: Path, specs: list[TableSpec], rows: dict[str, list[dict[str, Cell]]]) -> None:
    book = new_workbook(path)
    fmt = formats(book)
    example = book.add_format({"font_name": "Times New Roman", "font_size": 12, "valign": "top", "text_wrap": True,
                               "border": 1, "italic": True, "font_color": "#595959"})
    for spec in specs:
        sheet = book.add_worksheet(spec.sheet)
        widths = [column.width for column in spec.columns]
        texts = [[_shown(row.get(column.key, "")) for column in spec.columns] for row in rows.get(spec.sheet, [])]
        table_header(sheet, fmt["header"], [column.title for column in spec.columns], widths)
        for r, row in enumerate(rows.get(spec.sheet, []), start=1):
            shown = example if str(row.get(spec.columns[0].key, "")).startswith(COMMENT) else fmt["text"]
            for col, column in enumerate(spec.columns):
                value = row.get(column.key, "")
                if isinstance(value, date):
                    sheet.write_datetime(r, col, datetime(value.year, value.month, value.day), fmt["date"])
                else:
                    sheet.write_string(r, col, value, shown)
        fit_rows(sheet, widths, texts, 1)
        _dropdowns(sheet, spec)
        sheet.autofilter(0, 0, max(1, len(texts)), len(spec.columns) - 1)
        sheet.set_landscape()
        sheet.set_paper(A4)
        sheet.fit_to_pages(1, 0)
        set_footer(sheet)
    book.close()


def write_seed_lists(input_dir: Path, blank: bool = False) -> list[Path]:
    """The three lists in `input_dir`: the seed plan of the province, or (`blank`) empty lists with examples."""
    rows = blank_rows() if blank else seed_rows()
    files = [(PLAN_FILE, [TASKS, TASK_GROUPS, REASSIGNMENTS]), (AGENCY_FILE, [AGENCIES, AGENCY_GROUPS, KINDS]),
             (INDICATOR_FILE, [INDICATORS])]
    written = []
    for name, specs in files:
        write_list_file(input_dir / name, specs, rows)
        written.append(input_dir / name)
    return written


