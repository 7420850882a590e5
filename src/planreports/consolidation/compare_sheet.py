"""The consolidated workbook's comparison with the previous period: "So sánh" (each indicator for the province
and per bloc of agencies) and "So sánh đơn vị" (each agency with its own past, like with like).

A figure of the previous period is left blank, never 0, where that period had nothing to compare with (a bloc
that did not exist, an agency with no predecessor): a blank says "not comparable", a 0 would say "nothing done".
"""

from __future__ import annotations

from planreports.consolidation.compare import Previous, agency_comparison, change_percent, change_words
from planreports.consolidation.frames import Consolidation
from planreports.consolidation.xlsx_writer import Sheet
from planreports.plan.model import Plan
from planreports.progress.history import previous_of

PROVINCE = "Toàn tỉnh"
Row = list[object]


def _change(current: float, before: float | None, unit: str) -> list[object]:
    """Difference, percent (blank when the previous figure is 0) and the same in words."""
    if before is None:
        return [None, None, "Không có số liệu kỳ trước để so sánh"]
    return [current - before, change_percent(current, before), change_words(current, before, unit)]


def _nothing_to_compare(data: Consolidation, width: int) -> Row:
    before = previous_of(data.period).label
    return ["", f"Không so sánh: {before} không có báo cáo đạt yêu cầu nào trong sổ theo dõi.", *[""] * (width - 2)]


def _indicator_rows(data: Consolidation, previous: Previous) -> list[Row]:
    rows: list[Row] = []
    for line in data.total_lines():
        before_blocs = previous.by_bloc.get(line.code, {})
        before_total = previous.totals.get(line.code)
        rows.append([line.code, line.name, line.unit, PROVINCE, before_total, line.total,
                     *_change(line.total, before_total, line.unit)])
        for bloc in sorted(set(line.by_bloc) | set(before_blocs)):
            now = line.by_bloc.get(bloc)
            before = before_blocs.get(bloc)
            if now is None:     # a bloc that no longer exists: its old figure stands alone
                rows.append([line.code, line.name, line.unit, bloc or "Chưa phân khối", before, None, None, None,
                             "Khối không còn trong kỳ này"])
                continue
            rows.append([line.code, line.name, line.unit, bloc or "Chưa phân khối", before, now,
                         *_change(now, before, line.unit)])
    return rows


def _compared_with(codes: tuple[str, ...], agency: str, before: Plan) -> str:
    if codes == (agency,):
        return "Chính đơn vị"
    names = [before.agency_by_code[c].short if c in before.agency_by_code else c for c in codes]
    return "Hợp nhất từ: " + "; ".join(names)


def _agency_rows(data: Consolidation, previous: Previous) -> list[Row]:
    plan, before = data.plan, data.plan.at(previous.period.end)
    indicators = {i.code: i for i in plan.indicators}
    rows: list[Row] = []
    for agency, codes, code, old, new in agency_comparison(previous, plan, data.current_figures()):
        indicator = indicators[code]
        rows.append([agency, plan.agency_by_code[agency].short, _compared_with(codes, agency, before),
                     indicator.name, indicator.unit, old, new, new - old, change_percent(new, old)])
    return rows


def comparison_sheets(data: Consolidation) -> list[Sheet]:
    previous = data.previous
    before = (previous.period if previous else previous_of(data.period)).label.capitalize()
    now = data.period.label.capitalize()
    by_indicator = [("Mã chỉ tiêu", 16), ("Chỉ tiêu", 40), ("Đơn vị tính", 10), ("Phạm vi", 14), (before, 11),
                    (now, 11), ("Chênh lệch", 11), ("Thay đổi (%)", 10), ("Nhận xét", 22)]
    by_agency = [("Mã đơn vị", 10), ("Đơn vị", 24), ("So với", 24), ("Chỉ tiêu", 36), ("Đơn vị tính", 10),
                 (before, 11), (now, 11), ("Chênh lệch", 11), ("Thay đổi (%)", 10)]
    if previous is None:
        return [Sheet("So sánh", by_indicator, [_nothing_to_compare(data, len(by_indicator))]),
                Sheet("So sánh đơn vị", by_agency, [_nothing_to_compare(data, len(by_agency))])]
    agency_rows = _agency_rows(data, previous) or [
        ["", "Không đơn vị nào có số liệu của cả hai kỳ để so sánh.", *[""] * (len(by_agency) - 2)]]
    return [Sheet("So sánh", by_indicator, _indicator_rows(data, previous)),
            Sheet("So sánh đơn vị", by_agency, agency_rows)]
