"""Year over year: the previous period's figures, and how they compare, like with like.

The previous period is the same kind of period just before (2025 for 2026, 2026-H1 for 2027-H1). Nothing is
compared when it has no accepted submission. Province totals and totals per bloc compare across a
reorganization; an agency is compared with its own past, or with the agencies whose work passed wholly to it
(Kế thừa: a merger), never with part of an agency that was split.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from planreports.ledger import Receipt
from planreports.plan.model import Aggregate, Plan
from planreports.plan.periods import Period
from planreports.progress.history import previous_of
from planreports.progress.rules import latest_accepted
from planreports.vn.numerals import format_number


@dataclass(frozen=True)
class Previous:
    """The previous period's figures, as accepted submissions gave them."""

    period: Period
    reported: int                                   # agencies with an accepted submission
    expected: int                                   # agencies expected to report then
    totals: dict[str, float]                        # indicator -> province total, where someone gave it
    by_bloc: dict[str, dict[str, float]]            # indicator -> bloc -> total, likewise
    by_agency: dict[str, dict[str, float]]          # agency (of that period) -> indicator -> value
    # reporting agencies of this period that descend from no agency of that one (a province merged in): when
    # they are many, province and bloc totals are not compared (totals and by_bloc are then empty)
    new_units: tuple[str, ...] = ()


def _aggregate(values: list[float], how: Aggregate) -> float:
    return max(values) if how is Aggregate.MAX else sum(values)


def figures_of(plan: Plan, receipts: Iterable[Receipt]) -> dict[str, dict[str, float]]:
    """Agency -> indicator -> value, from the latest accepted submission of each agency of `plan`."""
    out: dict[str, dict[str, float]] = {}
    for code, receipt in latest_accepted(receipts).items():
        if code in plan.agency_by_code and receipt.data is not None:
            out[code] = {k: float(v) for k, v in receipt.data.get("figures", {}).items() if v is not None}
    return out


NEW_SCOPE_SHARE = 0.1   # above this share of units with no forebear, the province is not the same province


def new_units(previous: Plan, current: Plan) -> list[str]:
    """The reporting agencies of `current` that are no agency of `previous` nor a successor of one."""
    covered: set[str] = set()
    for agency in previous.agencies:
        covered |= {agency.code} if agency.code in current.agency_by_code else set(current.successors_of(agency.code))
    return [a.code for a in current.reporting_agencies if a.code not in covered]


def previous_figures(plan: Plan, period: Period, receipts: Iterable[Receipt]) -> Previous | None:
    """`plan` over all years, `receipts` of every period; None when the previous period has nothing to
    compare with."""
    before = previous_of(period)
    view = plan.at(before.end)
    by_agency = figures_of(view, [r for r in receipts if r.period == before.id])
    if not by_agency:
        return None
    current = plan.at(period.end)
    added = new_units(view, current)
    if len(added) > NEW_SCOPE_SHARE * len(current.reporting_agencies):
        return Previous(before, len(by_agency), len(view.reporting_agencies), {}, {}, by_agency, tuple(added))
    totals, by_bloc = {}, {}
    for indicator in view.indicators:
        values = {code: figures[indicator.code] for code, figures in by_agency.items() if indicator.code in figures}
        if not values:         # nobody gave it: nothing to compare with, not a zero
            continue
        totals[indicator.code] = _aggregate(list(values.values()), indicator.aggregate)
        blocs: dict[str, list[float]] = {}
        for code, value in values.items():
            blocs.setdefault(view.bloc_of(code), []).append(value)
        by_bloc[indicator.code] = {bloc: _aggregate(v, indicator.aggregate) for bloc, v in blocs.items()}
    return Previous(before, len(by_agency), len(view.reporting_agencies), totals, by_bloc, by_agency)


def change_percent(current: float, previous: float) -> float | None:
    """The change in percent, one decimal; None when the previous figure is 0 (no percentage of nothing)."""
    if previous == 0:
        return None
    return round((current - previous) / previous * 100, 1)


def change_words(current: float, previous: float, unit: str) -> str:
    """"tăng 12,5%", "giảm 3 cuộc" (no percentage of nothing), "không đổi": for a column that already says
    what it compares with."""
    if current == previous:
        return "không đổi"
    direction = "tăng" if current > previous else "giảm"
    percent = change_percent(current, previous)
    if percent is not None:
        return f"{direction} {format_number(abs(percent))}%"
    return f"{direction} {format_number(abs(current - previous))} {unit}"


def change_phrase(current: float, previous: float, unit: str, label: str) -> str:
    """"tăng 12,5% so với năm 2025", "giảm 3 cuộc so với năm 2025", "bằng năm 2025"."""
    if current == previous:
        return f"bằng {label}"
    return f"{change_words(current, previous, unit)} so với {label}"


def predecessors(previous: Plan, current: Plan) -> dict[str, tuple[str, ...]]:
    """Current agency -> the previous period's agencies whose work is now wholly its own: itself, or those
    merged into it. An agency split among several successors is compared with none of them."""
    out: dict[str, list[str]] = {}
    for agency in previous.agencies:
        heirs = (agency.code,) if agency.code in current.agency_by_code else current.successors_of(agency.code)
        if len(heirs) == 1:
            out.setdefault(heirs[0], []).append(agency.code)
    return {code: tuple(codes) for code, codes in out.items()}


def agency_comparison(previous: Previous, plan: Plan, current: Mapping[str, Mapping[str, float]]
                      ) -> list[tuple[str, tuple[str, ...], str, float, float]]:
    """(agency, its predecessors, indicator, previous value, current value) for every agency of `plan` that
    reported in both periods, like with like: a merged agency only where every agency it joined gave the
    figure (a part is not the whole)."""
    matched = predecessors(plan.at(previous.period.end), plan)
    rows = []
    for agency in plan.reporting_agencies:
        codes = matched.get(agency.code, ())
        if not codes or agency.code not in current or any(p not in previous.by_agency for p in codes):
            continue
        before = [previous.by_agency[p] for p in codes]
        for indicator in plan.indicators:
            olds = [b[indicator.code] for b in before if indicator.code in b]
            if indicator.code in current[agency.code] and len(olds) == len(before):
                rows.append((agency.code, codes, indicator.code, _aggregate(olds, indicator.aggregate),
                             current[agency.code][indicator.code]))
    return rows
