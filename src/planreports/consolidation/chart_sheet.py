"""Sheet "Biểu đồ" of tong-hop-P.xlsx: three small tables, each drawn as a native Excel bar chart.

1. submissions per bloc of agencies: on time, late, rejected, missing (stacked bars, number of agencies);
2. tasks per task group of the plan: overall status (stacked bars, number of tasks);
3. indicator totals per bloc (bars of 100 %: each bloc's share, since the indicators' units differ; the
   totals themselves are in the table).

The charts plot the table cells, so staff who copy a chart into a presentation get a live chart, and a number
corrected in the table redraws it. Blocs and groups come from the data, in the registry's and the plan's order.
Each section starts on a new printed page, its chart first, then its table. Colours are the status page's
(Okabe–Ito, readable with the common colour-vision deficiencies; outlined, so white still shows).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from planreports.consolidation.frames import Consolidation
from planreports.consolidation.xlsx_charts import Chart, Series, cell_range
from planreports.consolidation.xlsx_writer import STYLE_TITLE, Sheet, Styled
from planreports.progress.rules import OVERALL_LABELS, SUBMISSION_LABELS, Overall, SubmissionState
from planreports.textfit import HEADER, TITLE, fit_height, row_height

SHEET = "Biểu đồ"
WIDTHS = (30, 11, 11, 11, 11, 11, 11, 11, 11, 40)   # labels, eight number columns, the task groups' titles
CHART_ROW = 15.0                                   # points: the rows a chart covers have this fixed height
# What one printed page holds, in the sheet's points: A4 landscape less margins and footer (about 490 pt)
# divided by the print scale that fits the 151 character units of WIDTHS (about 950 pt) into the page's
# 777 pt of width. A section taller than that starts its table on a new page rather than split its header.
PAGE_ROOM = 490 / (777 / 950)
NO_BLOC = "Chưa phân khối"
Cell = str | float          # what a section's table holds (ints are floats to the type checker)

STATE_COLOURS = {SubmissionState.ON_TIME: "009E73", SubmissionState.LATE: "E69F00",
                 SubmissionState.REJECTED: "D55E00", SubmissionState.MISSING: "FFFFFF"}
OVERALL_COLOURS = {Overall.DONE: "009E73", Overall.DONE_LATE: "88CCAA", Overall.IN_PROGRESS: "56B4E9",
                   Overall.NOT_STARTED: "F0E442",
                   Overall.OVERDUE: "D55E00", Overall.NOT_APPLICABLE: "D9D9D9", Overall.NO_REPORT: "FFFFFF"}
BLOC_COLOURS = ("0072B2", "E69F00", "009E73", "CC79A7", "56B4E9", "D55E00", "F0E442", "999999")


@dataclass(frozen=True)
class Section:
    """One table of the sheet and the chart drawn from it."""

    title: str                          # the section's heading, also the chart's title
    header: Sequence[str]               # column titles: the label column, then numbers, then notes
    rows: Sequence[Sequence[Cell]]      # the label first; rows the chart plots
    charted: Sequence[int]              # columns drawn as series
    colours: Sequence[str]              # one per charted column
    category_title: str
    value_title: str
    grouping: str = "stacked"
    labels: bool = True
    bar_height: float = 20.0            # points per category: long labels need two lines
    total: Sequence[Cell] = ()          # a "Tổng cộng" row under the plotted rows, if any


@dataclass
class _Layout:
    rows: list[Sequence[Cell] | Styled]
    charts: list[Chart]
    breaks: list[int]

    def add(self, section: Section) -> None:
        if self.rows:
            self.breaks.append(len(self.rows) + 1)          # each section on a new page
        self.rows.append(Styled([section.title], STYLE_TITLE))
        chart_row = len(self.rows)                            # 0-based: where the chart's room starts
        room = math.ceil((110 + section.bar_height * max(len(section.rows), 1)) / CHART_ROW)
        if section.rows:
            self.rows.extend(Styled(height=CHART_ROW) for _ in range(room))
        self.rows.append(())
        if row_height(1, TITLE) + room * CHART_ROW + _table_height(section) > PAGE_ROOM:
            self.breaks.append(len(self.rows) + 1)
        self.rows.append(Styled(section.header))
        header = len(self.rows)                               # 1-based row of the column titles
        self.rows.extend(section.rows or [["Không có số liệu"]])
        if section.total:
            self.rows.append(section.total)
        if section.rows:
            self.charts.append(_chart(section, header, (0, chart_row, len(WIDTHS), chart_row + room)))


def _table_height(section: Section) -> float:
    rows = [*section.rows, section.total] if section.total else section.rows
    return fit_height(zip(section.header, WIDTHS, strict=False), HEADER) + sum(
        fit_height(zip((str(v) for v in row), WIDTHS, strict=False)) for row in rows)


def _chart(section: Section, header: int, anchor: tuple[int, int, int, int]) -> Chart:
    first, last = header + 1, header + len(section.rows)
    series = [Series(str(section.header[col]), cell_range(SHEET, col, header),
                     [float(row[col]) for row in section.rows], cell_range(SHEET, col, first, col, last), colour)
              for col, colour in zip(section.charted, section.colours, strict=True)]
    return Chart(section.title, [str(row[0]) for row in section.rows], cell_range(SHEET, 0, first, 0, last), series,
                 section.category_title, section.value_title, section.grouping, section.labels, anchor)


def _blocs(data: Consolidation) -> list[str]:
    """The blocs of the reporting agencies, in the registry's order (the order they first appear)."""
    blocs = [str(b) for b in dict.fromkeys(data.submissions["bloc"].fillna(""))]
    blocs += sorted(c.removeprefix("bloc:") for c in data.totals.columns
                    if c.startswith("bloc:") and c.removeprefix("bloc:") not in blocs)
    return blocs


def _total(label: str, rows: Sequence[Sequence[Cell]], columns: range, width: int) -> list[Cell]:
    """Column sums under a table, blank cells to its right edge (so the row keeps its borders)."""
    sums: list[Cell] = [label, *(sum(int(row[c]) for row in rows) for c in columns)]
    return sums + [""] * (width - len(sums))


def submissions_section(data: Consolidation) -> Section:
    subs = data.submissions
    counts = Counter(zip(subs["bloc"].fillna(""), subs["state"], strict=True))
    rows = [[b or NO_BLOC, *(counts[(b, s)] for s in SubmissionState), sum(counts[(b, s)] for s in SubmissionState)]
            for b in dict.fromkeys(subs["bloc"].fillna(""))]
    states = list(SubmissionState)
    return Section(f"1. Tình hình nộp báo cáo {data.period.label} theo khối",
                   ["Khối", *(SUBMISSION_LABELS[s] for s in states), "Tổng số đơn vị"], rows,
                   range(1, len(states) + 1), [STATE_COLOURS[s] for s in states], "Khối", "Số đơn vị",
                   total=_total("Tổng cộng", rows, range(1, len(states) + 2), len(states) + 2))


# one column holds the tasks with a deadline and the recurring ones: its name fits both
CHART_LABELS = {**OVERALL_LABELS, Overall.DONE: "Hoàn thành đúng hạn, đã thực hiện trong năm",
                Overall.IN_PROGRESS: "Đang thực hiện (trong hạn)"}


def tasks_section(data: Consolidation) -> Section:
    titles = {g.id: g.title for g in data.plan.task_groups}
    groups = [*titles, *(g for g in dict.fromkeys(data.tasks["group"]) if g not in titles)]
    counts = Counter(zip(data.tasks["group"], data.tasks["overall"], strict=True))
    statuses = list(Overall)
    rows: list[list[Cell]] = [[f"Nhóm {g}", *(counts[(g, s)] for s in statuses),
                               sum(counts[(g, s)] for s in statuses), titles.get(g, "")] for g in groups]
    return Section(f"2. Tình trạng thực hiện nhiệm vụ {data.period.label} theo nhóm nhiệm vụ",
                   ["Nhóm", *(CHART_LABELS[s] for s in statuses), "Tổng số nhiệm vụ", "Nội dung nhóm nhiệm vụ"],
                   rows, range(1, len(statuses) + 1), [OVERALL_COLOURS[s] for s in statuses], "Nhóm nhiệm vụ",
                   "Số nhiệm vụ", total=_total("Tổng cộng", rows, range(1, len(statuses) + 2), len(statuses) + 3))


def indicators_section(data: Consolidation) -> Section:
    blocs = _blocs(data)
    totals = data.totals
    rows = [[name, unit, *(_plain(row.get(f"bloc:{b}", 0.0)) for b in blocs), _plain(total)]
            for name, unit, total, row in zip(totals["name"], totals["unit"], totals["total"],
                                              totals.to_dict("records"), strict=True)]
    return Section(f"3. Số liệu các chỉ tiêu {data.period.label} theo khối (tỷ lệ trong tổng số)",
                   ["Chỉ tiêu", "Đơn vị tính", *(b or NO_BLOC for b in blocs), "Tổng cộng"], rows,
                   range(2, len(blocs) + 2), [BLOC_COLOURS[i % len(BLOC_COLOURS)] for i in range(len(blocs))],
                   "Chỉ tiêu", "Tỷ lệ trong tổng số của chỉ tiêu", grouping="percentStacked", labels=False,
                   bar_height=26.0)


def _plain(value: float) -> float:
    return 0.0 if math.isnan(value) else float(value)


def chart_sheet(data: Consolidation) -> Sheet:
    layout = _Layout([], [], [])
    for section in (submissions_section(data), tasks_section(data), indicators_section(data)):
        layout.add(section)
    columns = max(len(WIDTHS), *(len(r.values if isinstance(r, Styled) else r) for r in layout.rows))
    widths = [*WIDTHS, *[WIDTHS[1]] * (columns - len(WIDTHS))]
    return Sheet(SHEET, [("", w) for w in widths], layout.rows, table=False, charts=layout.charts,
                 breaks=layout.breaks)
