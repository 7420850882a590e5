"""The consolidated workbook's comparison with the previous period: "So sánh" (each indicator for the province
and per bloc of agencies, with how many units gave it each time) and "So sánh đơn vị" (each agency with its
own past, like with like).

A figure is left blank, never 0, where nobody gave it (a bloc that did not exist, an indicator no one filled,
an agency with no predecessor): a blank says "not comparable", a 0 would say "nothing done". The counts of
units beside each pair of figures keep a change of scope (34 units in 2024, 110 in 2026) from reading as a
change of activity.
"""

from __future__ import annotations

from collections import Counter

from planreports.consolidation.chart_sheet import NO_BLOC
from planreports.consolidation.compare import Previous, agency_comparison, change_percent, change_words
from planreports.consolidation.frames import Consolidation
from planreports.consolidation.xlsx_writer import Sheet
from planreports.plan.model import Plan
from planreports.progress.history import previous_of

PROVINCE = "Toàn tỉnh"
Row = list[object]


def _figure(value: float | None) -> float | None:
    """Sums of decimals carry float noise (8057.900000000001): two decimals are what the forms hold."""
    return None if value is None else round(value, 2)


def _change(current: float | None, before: float | None, unit: str) -> list[object]:
    """Difference, percent (blank when the previous figure is 0) and the same in words."""
    if before is None or current is None:
        side = "kỳ trước" if before is None else "kỳ này"
        return [None, None, f"Không có số liệu {side} để so sánh"]
    return [_figure(current - before), change_percent(current, before), change_words(current, before, unit)]


def _nothing_to_compare(data: Consolidation, width: int) -> Row:
    before = previous_of(data.period).label
    return ["", f"Không so sánh: {before} không có báo cáo đạt yêu cầu nào trong sổ theo dõi.", *[""] * (width - 2)]


def _previous_counts(previous: Previous, plan: Plan) -> Counter[tuple[str, str]]:
    """(indicator, bloc or PROVINCE) -> units that gave it in the previous period."""
    view = plan.at(previous.period.end)
    counts: Counter[tuple[str, str]] = Counter()
    for agency, figures in previous.by_agency.items():
        bloc = view.bloc_of(agency)
        for code in figures:
            counts[code, bloc] += 1
            counts[code, PROVINCE] += 1
    return counts


def _indicator_rows(data: Consolidation, previous: Previous) -> list[Row]:
    counts_before = _previous_counts(previous, data.plan)
    counts_now: Counter[tuple[str, str]] = Counter()
    for code, bloc in zip(data.figures["code"], data.figures["bloc"], strict=True):
        counts_now[code, bloc] += 1
        counts_now[code, PROVINCE] += 1
    rows: list[Row] = []
    for line in data.total_lines():
        before_blocs = previous.by_bloc.get(line.code, {})
        scopes: list[tuple[str, float | None, float | None]] = [
            (PROVINCE, line.total, previous.totals.get(line.code))]
        scopes += [(bloc, line.by_bloc.get(bloc), before_blocs.get(bloc))
                   for bloc in sorted(set(line.by_bloc) | set(before_blocs))]
        for scope, now, before in scopes:
            if not counts_now[line.code, scope]:
                now = None
            rows.append([line.code, line.name, line.unit, scope or NO_BLOC,
                         counts_before[line.code, scope] or None, _figure(before),
                         counts_now[line.code, scope] or None, _figure(now), *_change(now, before, line.unit)])
    return rows


def _compared_with(codes: tuple[str, ...], agency: str, before: Plan) -> str:
    if codes == (agency,):
        return "Chính đơn vị"
    names = [before.agency_by_code[c].short if c in before.agency_by_code else c for c in codes]
    return ("Hợp nhất từ: " if len(codes) > 1 else "Kế thừa từ: ") + "; ".join(names)


def _agency_rows(data: Consolidation, previous: Previous) -> list[Row]:
    plan, before = data.plan, data.plan.at(previous.period.end)
    indicators = {i.code: i for i in plan.indicators}
    rows: list[Row] = []
    for agency, codes, code, old, new in agency_comparison(previous, plan, data.current_figures()):
        indicator = indicators[code]
        rows.append([agency, plan.agency_by_code[agency].short, _compared_with(codes, agency, before),
                     indicator.name, indicator.unit, _figure(old), _figure(new), _figure(new - old),
                     change_percent(new, old)])
    return rows


def comparison_sheets(data: Consolidation) -> list[Sheet]:
    previous = data.previous
    before = (previous.period if previous else previous_of(data.period)).label.capitalize()
    now = data.period.label.capitalize()
    by_indicator = [("Mã chỉ tiêu", 14), ("Chỉ tiêu", 34), ("Đơn vị tính", 10), ("Phạm vi", 12),
                    ("Số đơn vị báo cáo kỳ trước", 9), (before, 10), ("Số đơn vị báo cáo kỳ này", 9), (now, 10),
                    ("Chênh lệch", 10), ("Thay đổi (%)", 9), ("Nhận xét", 20)]
    by_agency = [("Mã đơn vị", 10), ("Đơn vị", 24), ("So với", 24), ("Chỉ tiêu", 36), ("Đơn vị tính", 10),
                 (before, 11), (now, 11), ("Chênh lệch", 11), ("Thay đổi (%)", 10)]
    if previous is None:
        return [Sheet("So sánh", by_indicator, [_nothing_to_compare(data, len(by_indicator))]),
                Sheet("So sánh đơn vị", by_agency, [_nothing_to_compare(data, len(by_agency))])]
    agency_rows = _agency_rows(data, previous) or [
        ["", "Không đơn vị nào có số liệu của cả hai kỳ để so sánh.", *[""] * (len(by_agency) - 2)]]
    indicator_rows = _indicator_rows(data, previous) if not previous.new_units else [
        ["", f"Không so sánh toàn tỉnh và theo khối: phạm vi báo cáo thay đổi ({len(previous.new_units)} đơn vị "
             f"không có đơn vị tiền thân trong danh mục {previous.period.label}); so sánh từng đơn vị ở sheet "
             "“So sánh đơn vị”.", *[""] * (len(by_indicator) - 2)]]
    return [Sheet("So sánh", by_indicator, indicator_rows),
            Sheet("So sánh đơn vị", by_agency, agency_rows)]
