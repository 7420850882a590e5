"""Write the consolidated workbook for the staff (tong-hop-P.xlsx) and summary.json for machines.

Every text an agency typed is written with write_string: "=HYPERLINK(...)", "+84…", "-", "@" stay text,
never formulas (the workbook is created with strings_to_formulas off as well).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.worksheet import Worksheet

from planreports.consolidate import Consolidation
from planreports.fsutil import atomic_path, write_text_atomic
from planreports.xlsxout import formats, new_workbook


def _vn_time(iso: Any) -> str:
    if not iso or not isinstance(iso, str):
        return ""
    day, _, time = iso.partition("T")
    year, month, dom = day.split("-")
    return f"{dom}/{month}/{year} {time[:5]}".strip()


def _sheet(book: Any, fmt: dict[str, Any], name: str, headers: Sequence[tuple[str, float]],
           rows: list[list[Any]]) -> Worksheet:
    sheet = book.add_worksheet(name)
    for col, (title, width) in enumerate(headers):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, fmt["header"])
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, float) and math.isnan(value):  # pandas' missing value
                sheet.write_blank(r, c, None, fmt["text"])
            elif isinstance(value, bool):
                sheet.write_string(r, c, "Có" if value else "Không", fmt["text"])
            elif isinstance(value, int | float):
                sheet.write_number(r, c, value, fmt["number"])
            else:
                sheet.write_string(r, c, "" if value is None else str(value), fmt["text"])
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(rows)), len(headers) - 1)
    sheet.set_paper(9)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    return sheet


def write_consolidated(path: Path, data: Consolidation) -> Path:
    with atomic_path(path) as tmp:
        book = new_workbook(tmp, streaming=True)
        fmt = formats(book)
        tasks = data.tasks
        _sheet(book, fmt, "Tổng hợp nhiệm vụ",
               [("Mã", 7), ("Nhiệm vụ", 60), ("Chủ trì", 28), ("Thời hạn", 18), ("Số đơn vị chủ trì", 10),
                ("Hoàn thành", 10), ("Đang thực hiện", 10), ("Chưa thực hiện", 10), ("Không phát sinh", 10),
                ("Chưa báo cáo", 10), ("Đánh giá chung", 22)],
               [[t.task_id, t.text, t.lead, t.deadline, t.leads, t.done, t.ongoing, t.not_started,
                 t.not_applicable, t.no_report, t.overall_label] for t in tasks.itertuples()])
        _sheet(book, fmt, "Chi tiết đơn vị",
               [("Mã nhiệm vụ", 9), ("Mã đơn vị", 10), ("Đơn vị", 28), ("Vai trò", 10), ("Đã báo cáo", 9),
                ("Tình trạng", 15), ("Kết quả thực hiện", 60), ("Khó khăn, vướng mắc", 40),
                ("Đề xuất, kiến nghị", 40)],
               [[d.task_id, d.agency, d.agency_name, d.role, bool(d.reported), d.status, d.result, d.difficulty,
                 d.proposal] for d in data.detail.itertuples()])
        codes = [i.code for i in data.plan.indicators]
        agencies = data.submissions[["agency", "agency_name", "bloc"]]
        pivot = data.figures.pivot_table(index="agency", columns="code", values="value", aggfunc="sum")
        grid = pivot.reindex(index=agencies["agency"], columns=codes).to_numpy()   # NaN where not reported
        figure_rows = [[a.agency, a.agency_name, a.bloc, *(float(v) for v in values)]
                       for a, values in zip(agencies.itertuples(), grid, strict=True)]
        figure_rows.append(["", "TỔNG CỘNG", ""] + [float(t) for t in data.totals["total"]])
        _sheet(book, fmt, "Số liệu",
               [("Mã đơn vị", 10), ("Đơn vị", 30), ("Khối", 12)]
               + [(f"{i.name} ({i.unit})", 14) for i in data.plan.indicators], figure_rows)
        bloc_columns = [c for c in data.totals.columns if c.startswith("bloc:")]
        _sheet(book, fmt, "Tổng số liệu",
               [("Mã chỉ tiêu", 16), ("Chỉ tiêu", 50), ("Đơn vị tính", 12), ("Tổng", 12)]
               + [(c.removeprefix("bloc:"), 12) for c in bloc_columns],
               [[t["code"], t["name"], t["unit"], float(t["total"])] + [float(t[c]) for c in bloc_columns]
                for _, t in data.totals.iterrows()])
        _sheet(book, fmt, "Tình hình nộp",
               [("Mã đơn vị", 10), ("Đơn vị", 34), ("Khối", 12), ("Tình hình", 22), ("Ngày nhận", 17),
                ("Tệp", 30), ("Số phát hiện", 10)],
               [[s.agency, s.agency_name, s.bloc, s.state_label, _vn_time(s.received_at),
                 s.file if isinstance(s.file, str) else "", int(s.findings)] for s in data.submissions.itertuples()])
        book.close()
    return path


def write_summary(path: Path, data: Consolidation) -> Path:
    write_text_atomic(path, json.dumps(data.summary(), ensure_ascii=False, indent=2) + "\n")
    return path
