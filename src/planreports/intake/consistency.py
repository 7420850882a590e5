"""A unit's words against its own figures: "Tổ chức 1 hội nghị cho 350 lượt" beside a yearly total of 154.

Text is free, so this is a warning with both cells, never a rejection. A number in a task's result counts when
it is followed by the unit of a counting (integer) indicator — "350 lượt", "6 hội nghị", "45 tin, bài" — and
it exceeds that indicator's figure in the same workbook; where several indicators share the unit ("lượt người":
participants and trainees), only a number above all of them is said. Money and other decimal indicators are
left out: a budget in a result ("dự toán 120 triệu đồng") is not the money spent.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planreports.findings import Findings, IssueCode
from planreports.intake.submission import TaskAnswer
from planreports.plan.model import Indicator, NumberType
from planreports.vn.numerals import format_number, parse_number

# a classifier that names what is counted on its own ("350 lượt" for "lượt người")
COUNTERS = ("lượt",)
_NUMBER = r"(?<![\w.,/-])(\d{1,3}(?:\.\d{3})+|\d+)"


@dataclass(frozen=True)
class Mention:
    number: float
    quoted: str            # "350 lượt"
    codes: tuple[str, ...]  # the indicators its unit may mean


def unit_forms(indicator: Indicator) -> set[str]:
    """The words a text may use for an indicator's unit: "tin, bài" -> {"tin, bài", "tin", "bài"}."""
    unit = indicator.unit.strip().lower()
    forms = {unit, *(part.strip() for part in unit.split(",") if part.strip())}
    head = unit.split()[0] if unit.split() else ""
    if head in COUNTERS:
        forms.add(head)
    return forms


def _pattern(forms: Mapping[str, tuple[str, ...]]) -> re.Pattern[str]:
    ordered = sorted(forms, key=len, reverse=True)       # "tin, bài" before "tin"
    return re.compile(_NUMBER + r"\s+(" + "|".join(map(re.escape, ordered)) + r")(?!\w)", re.IGNORECASE)


@functools.lru_cache(maxsize=8)
def _matcher(indicators: tuple[Indicator, ...]) -> tuple[re.Pattern[str], dict[str, tuple[str, ...]]] | None:
    """The pattern of "number + unit" for a plan's counting indicators, and unit -> the indicators it may mean
    (made once per plan: a worker checks many files against the same indicators)."""
    by_form: dict[str, list[str]] = {}
    for indicator in indicators:
        if indicator.type is NumberType.INTEGER:
            for form in unit_forms(indicator):
                by_form.setdefault(form, []).append(indicator.code)
    if not by_form:
        return None
    forms = {f: tuple(c) for f, c in by_form.items()}
    return _pattern(forms), forms


def mentions(text: str, indicators: Sequence[Indicator]) -> list[Mention]:
    """Numbers with a counting unit in a text, each with the indicators that unit may mean."""
    found = _matcher(tuple(indicators)) if text else None
    if found is None:
        return []
    pattern, forms = found
    out = []
    for match in pattern.finditer(text):
        number, problem = parse_number(match.group(1))
        if number is not None and problem is None:
            out.append(Mention(number, match.group(0), forms[match.group(2).lower()]))
    return out


def check_texts(answers: Sequence[TaskAnswer], result_cells: Mapping[str, str], figures: Mapping[str, float | None],
                figure_cells: Mapping[str, str], indicators: Sequence[Indicator], findings: Findings,
                sheets: tuple[str, str]) -> None:
    """Warn where a result names more of a counted thing than the unit's own figure for the whole period."""
    named = {i.code: i for i in indicators}
    tasks_sheet, figures_sheet = sheets
    for answer in answers:
        for mention in mentions(answer.result, indicators):
            given = {code: figures[code] for code in mention.codes if figures.get(code) is not None}
            if not given or len(given) < len(mention.codes) or mention.number <= max(v or 0 for v in given.values()):
                continue
            code = max(given, key=lambda c: given[c] or 0)
            findings.add(IssueCode.TEXT_EXCEEDS_FIGURE, tasks_sheet, result_cells.get(answer.task_id, ""),
                         task=answer.task_id, quoted=mention.quoted, name=named[code].name,
                         value=format_number(given[code] or 0), figure_sheet=figures_sheet,
                         figure_cell=figure_cells.get(code, ""))
