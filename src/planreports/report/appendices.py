"""The report's appendices as table rows (filled into the Word template by cloning a styled row, row_clone.py).

Phụ lục I: the tasks and their status; II: every reporting unit's figures; III: who reported and when.
"""

from __future__ import annotations

from datetime import date

from planreports.consolidation.frames import Consolidation
from planreports.consolidation.records import AnswerLine, TaskLine, UnitLine
from planreports.progress.rules import REPORTED_STATES
from planreports.report.row_clone import TableData
from planreports.vn.dates import format_date
from planreports.vn.numerals import format_number

LANDSCAPE_WIDTH_CM = 26.2          # A4 landscape less the appendix sections' margins
NUMBER_CM, NAME_CM = 1.2, 6.5      # the first two columns of Phụ lục II; the indicators share the rest


def tasks_table(tasks: list[TaskLine]) -> TableData:
    return TableData([{"id": t.task_id, "text": t.text, "lead": t.lead, "deadline": t.deadline,
                       "leads": str(t.leads), "done": str(t.done), "ongoing": str(t.ongoing),
                       "not_started": str(t.not_started), "not_applicable": str(t.not_applicable),
                       "no_report": str(t.no_report), "overall": t.overall_label} for t in tasks])


def figures_table(data: Consolidation, units: list[UnitLine]) -> tuple[list[str], TableData]:
    """The legend of the numbered indicator columns, and one row per unit that reported plus the total."""
    indicators = data.plan.indicators
    legend = [f"({n}) {i.name} ({i.unit})" for n, i in enumerate(indicators, start=1)]
    reported = [u for u in units if u.state in REPORTED_STATES]
    grid = data.figure_grid([u.agency for u in reported])
    rows: list[dict[str, str | list[str]]] = [
        {"no": str(number), "name": unit.name, "figure": ["-" if v is None else format_number(v) for v in values]}
        for number, (unit, values) in enumerate(zip(reported, grid, strict=True), start=1)]
    totals = {t.code: t.total for t in data.total_lines()}
    rows.append({"no": "", "name": "Tổng cộng", "figure": [format_number(totals[i.code]) for i in indicators]})
    share = (LANDSCAPE_WIDTH_CM - NUMBER_CM - NAME_CM) / max(1, len(indicators))
    return legend, TableData(rows, {"head": [f"({n})" for n in range(1, len(indicators) + 1)]},
                             [NUMBER_CM, NAME_CM, *([share] * len(indicators))])


def submissions_table(units: list[UnitLine]) -> TableData:
    rows: list[dict[str, str | list[str]]] = []
    for number, unit in enumerate(units, start=1):
        received = format_date(date.fromisoformat(unit.received_at[:10])) if unit.received_at else ""
        note = f"{unit.findings} cảnh báo" if unit.state in REPORTED_STATES and unit.findings else ""
        rows.append({"no": str(number), "name": unit.name, "bloc": unit.bloc, "state": unit.state_label,
                     "received": received, "note": note})
    return TableData(rows)


def results_table(answers: list[AnswerLine]) -> TableData:
    """Phụ lục IV: every unit's reported result for every task it reports on (what it said, as it said it)."""
    rows: list[dict[str, str | list[str]]] = []
    for answer in answers:
        if answer.reported and (answer.status or answer.result or answer.difficulty or answer.proposal):
            rows.append({"no": str(len(rows) + 1), "task": answer.task_id, "name": answer.agency_name,
                         "role": str(answer.role), "status": answer.status or "—", "result": answer.result,
                         "difficulty": answer.difficulty, "proposal": answer.proposal})
    return TableData(rows)


def documents_table(units: list[UnitLine], figures: dict[str, dict[str, float]], code: str,
                    notes: list[tuple[str, str]]) -> TableData:
    """Phụ lục V: the directing documents each unit reported (the leadership indicator and its note)."""
    written = dict(notes)
    rows: list[dict[str, str | list[str]]] = []
    for unit in units:
        count = figures.get(unit.agency, {}).get(code)
        if count or unit.agency in written:
            rows.append({"no": str(len(rows) + 1), "name": unit.name,
                         "count": format_number(count) if count is not None else "—",
                         "documents": written.get(unit.agency, "")})
    return TableData(rows)
