"""The consolidation's frames as typed records, for the stages that read rather than compute (the report, the
status page). pandas does the joins and the aggregation; what it hands on is plain data a reader can follow
and a type checker can check.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planreports.plan.model import Role
from planreports.progress.rules import Overall, SubmissionState


@dataclass(frozen=True, slots=True)
class TaskLine:
    """One task in the period: how its lead agencies answered and the overall status."""

    task_id: str
    group: str
    text: str
    lead: str
    deadline: str
    leads: int
    done: int
    ongoing: int
    not_started: int
    not_applicable: int
    no_report: int
    overall: Overall
    overall_label: str
    done_in: str | None = None         # the period it was done in (a one-off task)
    overdue_since: str | None = None   # the period its due point fell in, while it is not done
    recurring: bool = False            # thường xuyên, hằng năm: judged within each period, no due point


@dataclass(frozen=True, slots=True)
class AnswerLine:
    """What one agency said about one task it leads or supports (empty texts when it has not reported)."""

    task_id: str
    agency: str
    agency_name: str
    role: Role
    reported: bool
    status: str
    result: str
    difficulty: str
    proposal: str


@dataclass(frozen=True, slots=True)
class UnitLine:
    """One expected agency's submission in the period."""

    agency: str
    name: str
    short: str
    bloc: str
    state: SubmissionState
    state_label: str
    received_at: str | None
    file: str | None
    findings: int


@dataclass(frozen=True, slots=True)
class TotalLine:
    """The province's total of one indicator, and per bloc of agencies."""

    code: str
    name: str
    unit: str
    total: float
    by_bloc: dict[str, float]


def _text(value: Any) -> str | None:
    """pandas marks a missing text as NaN (a float): turn it back into None."""
    return value if isinstance(value, str) else None


def task_lines(tasks: pd.DataFrame) -> list[TaskLine]:
    columns = ("task_id", "group", "text", "lead", "deadline", "leads", "done", "ongoing", "not_started",
               "not_applicable", "no_report", "overall", "overall_label", "done_in", "overdue_since", "recurring")
    return [TaskLine(t, g, x, le, d, int(n), int(a), int(b), int(c), int(e), int(f), Overall(o), lab, _text(di),
                     _text(since), bool(again))
            for t, g, x, le, d, n, a, b, c, e, f, o, lab, di, since, again
            in zip(*(tasks[c].tolist() for c in columns), strict=True)]


def answer_lines(detail: pd.DataFrame) -> list[AnswerLine]:
    columns = ("task_id", "agency", "agency_name", "role", "reported", "status", "result", "difficulty",
               "proposal")
    return [AnswerLine(t, a, n, Role(r), bool(rep), s, res, d, p)
            for t, a, n, r, rep, s, res, d, p in zip(*(detail[c].tolist() for c in columns), strict=True)]


def unit_lines(submissions: pd.DataFrame) -> list[UnitLine]:
    columns = ("agency", "agency_name", "agency_short", "bloc", "state", "state_label", "received_at", "file",
               "findings")
    return [UnitLine(a, n, s, b, SubmissionState(st), lab, _text(r), _text(f), int(k))
            for a, n, s, b, st, lab, r, f, k in zip(*(submissions[c].tolist() for c in columns), strict=True)]


def total_lines(totals: pd.DataFrame) -> list[TotalLine]:
    blocs = [c for c in totals.columns if c.startswith("bloc:")]
    out = []
    for row in totals.to_dict("records"):
        by_bloc = {c.removeprefix("bloc:"): float(row[c]) for c in blocs}
        total = float(row["total"])
        out.append(TotalLine(row["code"], row["name"], row["unit"], 0.0 if math.isnan(total) else total, by_bloc))
    return out
