"""Write the consolidated workbook for the staff (tong-hop-P.xlsx) and summary.json for machines.

Every text an agency typed is written as an inline string (xlsx_writer.py): "=HYPERLINK(...)", "+84…", "-",
"@" stay text, never formulas. "So sánh" and "So sánh đơn vị" compare with the previous period
(compare_sheet.py). The last sheet, "Biểu đồ", holds native charts of the consolidation
(chart_sheet.py).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planreports.consolidation.chart_sheet import chart_sheet
from planreports.consolidation.compare_sheet import comparison_sheets
from planreports.consolidation.frames import Consolidation
from planreports.consolidation.xlsx_writer import Sheet, write_xlsx
from planreports.files import atomic_path, write_text_atomic
from planreports.vn.dates import format_datetime


def _counts(task: Any, period: str) -> list[object]:
    """The lead units' answers counted; "—" for a task done in an earlier period (its status is not asked)."""
    counts = [task.leads, task.done, task.ongoing, task.not_started, task.not_applicable, task.no_report]
    # a task not done earlier has no period there: None, which pandas 3 keeps as NaN in a text column
    earlier = isinstance(task.done_in, str) and task.done_in != period
    return ["—"] * len(counts) if earlier else counts


# Column widths are Excel character units of Times New Roman 12. Every sheet prints on A4 landscape fitted to
# one page wide: a sheet of about 160 units prints at 80 % (text near 10 pt); "Số liệu", one column per
# indicator, is the widest (about 70 %).
def write_consolidated(path: Path, data: Consolidation) -> Path:
    tasks, subs = data.tasks, data.submissions
    grid = data.figure_grid(subs["agency"].tolist())   # None where not reported
    bloc_columns = [c for c in data.totals.columns if c.startswith("bloc:")]
    sheets = [
        Sheet("Tổng hợp nhiệm vụ",
              [("Mã", 6), ("Nhiệm vụ", 46), ("Chủ trì", 24), ("Thời hạn", 14), ("Số đơn vị chủ trì", 9),
               ("Hoàn thành", 9), ("Đang thực hiện", 9), ("Chưa thực hiện", 9), ("Không phát sinh", 9),
               ("Chưa báo cáo", 9), ("Đánh giá chung", 16)],
              ([t.task_id, t.text, t.lead, t.deadline, *_counts(t, data.period.id), t.overall_label]
               for t in tasks.itertuples())),
        Sheet("Chi tiết đơn vị",
              [("Mã nhiệm vụ", 7), ("Mã đơn vị", 10), ("Đơn vị", 24), ("Vai trò", 9), ("Đã báo cáo", 8),
               ("Tình trạng", 13), ("Kết quả thực hiện", 40), ("Khó khăn, vướng mắc", 26),
               ("Đề xuất, kiến nghị", 26)],
              zip(*(data.detail[c].tolist() for c in ("task_id", "agency", "agency_name", "role", "reported",
                                                      "status", "result", "difficulty", "proposal")),
                  strict=True)),
        Sheet("Số liệu",
              [("Mã đơn vị", 10), ("Đơn vị", 22), ("Khối", 10)]
              + [(f"{i.name} ({i.unit})", 9) for i in data.plan.indicators],
              [*([a, name, bloc, *values] for a, name, bloc, values in
                 zip(subs["agency"], subs["agency_name"], subs["bloc"], grid, strict=True)),
               ["", "TỔNG CỘNG", "", *data.totals["total"].tolist()]]),
        Sheet("Tổng số liệu",
              [("Mã chỉ tiêu", 20), ("Chỉ tiêu", 50), ("Đơn vị tính", 12), ("Tổng", 12)]
              + [(c.removeprefix("bloc:"), 12) for c in bloc_columns],
              ([t["code"], t["name"], t["unit"], t["total"], *(t[c] for c in bloc_columns)]
               for _, t in data.totals.iterrows())),
        Sheet("Tình hình nộp",
              [("Mã đơn vị", 10), ("Đơn vị", 34), ("Khối", 12), ("Tình hình", 22), ("Ngày nhận", 17),
               ("Tệp", 30), ("Số phát hiện", 10)],
              ([s.agency, s.agency_name, s.bloc, s.state_label, format_datetime(s.received_at),
                s.file if isinstance(s.file, str) else "", s.findings] for s in subs.itertuples())),
        *comparison_sheets(data),
        chart_sheet(data),
    ]
    with atomic_path(path) as tmp:
        write_xlsx(tmp, sheets, f"Tổng hợp kết quả thực hiện kỳ {data.period.id}")
    return path


def write_summary(path: Path, data: Consolidation) -> Path:
    write_text_atomic(path, json.dumps(data.summary(), ensure_ascii=False, indent=2) + "\n")
    return path
