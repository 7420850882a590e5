"""The report's appendices as table rows (filled into the Word template by cloning a styled row, row_clone.py).

What goes upward is short: Phụ lục I, the plan's tasks and their status (a task done in an earlier period shows
no counts: nobody reports on it again); Phụ lục II, each indicator's total per bloc of agencies beside the
previous period's. Every unit's answers, figures, submissions and documents are in the office's working file,
the consolidated workbook (tong-hop-P.xlsx).
"""

from __future__ import annotations

from planreports.consolidation.compare import change_words
from planreports.report.content import Facts
from planreports.report.row_clone import TableData
from planreports.vn.numerals import format_number

LANDSCAPE_WIDTH_CM = 26.2          # A4 landscape less the appendix sections' margins
NUMBER_CM, NAME_CM, UNIT_CM = 1.2, 8.0, 2.4   # the first columns of Phụ lục II; the figures share the rest
NO_COUNT = "—"


def tasks_table(facts: Facts) -> TableData:
    rows: list[dict[str, str | list[str]]] = []
    for line in facts.tasks:
        task = facts.task(line.task_id)
        earlier = line.done_in is not None and line.done_in != facts.period.id
        counts = {key: NO_COUNT if earlier else str(getattr(line, key))
                  for key in ("leads", "done", "ongoing", "not_started", "not_applicable", "no_report")}
        rows.append({"id": line.task_id, "text": task.name, "lead": line.lead, "deadline": line.deadline, **counts,
                     "overall": line.overall_label})
    return TableData(rows)


def _compared(facts: Facts, code: str, unit: str) -> tuple[str, str]:
    """The previous period's total and the change, "" where there is nothing to compare with."""
    before, now = facts.previous, facts.given_total(code)
    if before is None or code not in before.totals:
        return "", ""
    return format_number(before.totals[code]), change_words(now, before.totals[code], unit) if now is not None \
        else ""


def figures_table(facts: Facts) -> TableData:
    """One row per indicator someone gave: its total per bloc, the province's, the previous period's."""
    blocs = sorted({bloc for t in facts.totals.values() for bloc in t.by_bloc})
    head = [*blocs, "Tổng cộng"]
    compared = facts.previous is not None and bool(facts.previous.totals)   # not across a changed scope
    if facts.previous is not None and compared:
        head += [facts.previous.period.label.capitalize(), "So sánh"]
    rows: list[dict[str, str | list[str]]] = []
    for indicator in facts.plan.indicators:
        total = facts.totals[indicator.code]
        if facts.given_total(indicator.code) is None:
            continue
        values = [format_number(total.by_bloc.get(bloc, 0.0)) for bloc in blocs] + [format_number(total.total)]
        if compared:
            values += list(_compared(facts, indicator.code, indicator.unit))
        rows.append({"no": str(len(rows) + 1), "name": indicator.name, "unit": indicator.unit, "figure": values})
    share = (LANDSCAPE_WIDTH_CM - NUMBER_CM - NAME_CM - UNIT_CM) / max(1, len(head))
    return TableData(rows, {"head": head}, [NUMBER_CM, NAME_CM, UNIT_CM, *([share] * len(head))])
