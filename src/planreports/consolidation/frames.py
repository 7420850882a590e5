"""Consolidation with pandas: the latest accepted submission of each agency joined with the plan.

Frames (all with plain columns, no index magic):
    detail      one row per (task, agency that must report on it): role, reported status and texts
    tasks       one row per task: status counts among lead agencies, the overall status
    figures     one row per (agency, indicator) that was reported: value
    totals      one row per indicator: total and totals per agency bloc
    submissions one row per reporting agency: on time / late / rejected / missing

Overall status of a task (README "Consolidation rules"), looking at the agencies that lead it:
    done            every lead agency reported "Hoàn thành" or "Không phát sinh", at least one "Hoàn thành"
    not_applicable  every lead agency that reported said "Không phát sinh"
    overdue         not done, and the task's due point fell on or before the end of the period
    in_progress     some lead agency reported "Hoàn thành" or "Đang thực hiện"
    not_started     lead agencies reported, all "Chưa thực hiện"
    no_report       no lead agency has reported on it
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from planreports.consolidation.compare import Previous, change_percent, previous_figures
from planreports.consolidation.records import (
    AnswerLine,
    TaskLine,
    TotalLine,
    UnitLine,
    answer_lines,
    task_lines,
    total_lines,
    unit_lines,
)
from planreports.findings import Verdict
from planreports.ledger import Receipt, stored_receipts
from planreports.plan.model import Plan, Role, Task
from planreports.plan.periods import Period, parse_period
from planreports.progress.history import TaskHistory, finished_late, period_holding, task_history
from planreports.progress.rules import (
    REPORTED_BY_STATUS,
    REPORTED_STATES,
    SUBMISSION_LABELS,
    LeadAnswers,
    Overall,
    ReportedStatus,
    SubmissionState,
    latest_accepted,
    overall,
    overall_label,
    submission_state,
)
from planreports.workspace import Workspace


@dataclass
class Consolidation:
    period: Period
    plan: Plan
    detail: pd.DataFrame
    tasks: pd.DataFrame
    figures: pd.DataFrame
    totals: pd.DataFrame
    submissions: pd.DataFrame
    notes: pd.DataFrame          # indicator notes per agency (documents issued, …)
    previous: Previous | None = None   # the previous period's figures, when it has accepted submissions

    def current_figures(self) -> dict[str, dict[str, float]]:
        """Agency -> indicator -> value, as reported in this period."""
        out: dict[str, dict[str, float]] = {}
        for agency, code, value in zip(self.figures["agency"], self.figures["code"], self.figures["value"],
                                       strict=True):
            out.setdefault(str(agency), {})[str(code)] = float(value)
        return out

    def comparison(self) -> dict[str, Any]:
        """summary.json's year-over-year keys: nothing is compared without a previous period's data."""
        if self.previous is None:
            return {"previous_period": None, "indicators_previous": {}, "indicator_changes": {}}
        totals, given = {t.code: t.total for t in self.total_lines()}, self.given()
        return {"previous_period": self.previous.period.id,
                "indicators_previous": {c: _plain(v) for c, v in self.previous.totals.items()},
                "indicator_changes": {c: change_percent(totals[c], v) if c in given else None
                                      for c, v in self.previous.totals.items()}}

    def given(self) -> set[str]:
        """The indicators someone gave a figure for this period (a total of nobody's figures reads 0)."""
        return set(self.figures["code"])

    # typed views for the stages that only read (see records.py)
    def task_lines(self) -> list[TaskLine]:
        return task_lines(self.tasks)

    def answer_lines(self) -> list[AnswerLine]:
        return answer_lines(self.detail)

    def unit_lines(self) -> list[UnitLine]:
        return unit_lines(self.submissions)

    def total_lines(self) -> list[TotalLine]:
        return total_lines(self.totals)

    def figure_grid(self, agencies: Sequence[str]) -> list[list[float | None]]:
        """Each agency's figure per indicator (plan order); None where it reported none."""
        codes = [i.code for i in self.plan.indicators]
        pivot = self.figures.pivot_table(index="agency", columns="code", values="value", aggfunc="sum")
        grid = pivot.reindex(index=list(agencies), columns=codes).to_numpy().tolist()
        return [[None if v != v else float(v) for v in row] for row in grid]   # NaN != NaN

    def notes_of(self, code: str) -> list[tuple[str, str]]:
        """(agency, note) written beside one indicator, in the order the submissions were first received."""
        notes = self.notes[self.notes["code"] == code]
        return list(zip(notes["agency"].tolist(), notes["note"].tolist(), strict=True))

    def agencies_in(self, *states: SubmissionState) -> list[str]:
        subs = self.submissions
        return [str(code) for code in subs.loc[subs["state"].isin(states), "agency"]]

    def summary(self) -> dict[str, Any]:
        subs = self.submissions
        return {
            "period": self.period.id,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "agencies_expected": subs["agency"].tolist(),
            "agencies_reported": self.agencies_in(*REPORTED_STATES),
            "agencies_late": self.agencies_in(SubmissionState.LATE),
            "agencies_rejected": self.agencies_in(SubmissionState.REJECTED),
            "agencies_missing": self.agencies_in(SubmissionState.MISSING, SubmissionState.REJECTED),
            "tasks": [{"id": t.task_id, "overall": str(t.overall),
                       "status_counts": {str(k): getattr(t, k) for k in ReportedStatus},
                       "done_in": t.done_in, "overdue_since": t.overdue_since}
                      for t in self.task_lines()],
            "indicators": {t.code: _plain(t.total) for t in self.total_lines()},
            **self.comparison(),
        }


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 4)


def _expected(plan: Plan) -> pd.DataFrame:
    rows = []
    for task in plan.tasks:
        for role in Role:
            rows += [(task.id, code, role) for code in plan.agencies_for(task, role)]
    return pd.DataFrame(rows, columns=["task_id", "agency", "role"])


def _agencies(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame([(a.code, a.name, a.short, a.kind, plan.bloc_of(a.code), order)
                         for order, a in enumerate(plan.reporting_agencies)],
                        columns=["agency", "agency_name", "agency_short", "kind", "bloc", "agency_order"])


def _answers(submissions: dict[str, dict[str, Any]]) -> pd.DataFrame:
    # straight from the stored JSON: building Submission objects for thousands of agencies cost more
    # than the whole pandas join
    rows = [(code, a["task_id"], a["status"], a["result"], a["difficulty"], a["proposal"])
            for code, s in submissions.items() for a in s["answers"]]
    return pd.DataFrame(rows, columns=["agency", "task_id", "status", "result", "difficulty", "proposal"])


Judgement = tuple[Overall, str | None, str | None]   # overall status, done in, overdue since


def _judge(task: Task, answers: LeadAnswers, period: Period, history: TaskHistory) -> Judgement:
    """A task's overall status in the period, the period it was done in, and since when it is overdue."""
    due = task.deadline.due
    earlier = history.done_before(task)
    if earlier is not None:   # done in an earlier period: stays done, late if that period is after the due point's
        late = due is not None and finished_late(earlier, due)
        return (Overall.DONE_LATE if late else Overall.DONE), earlier.id, None
    result = overall(answers, task.deadline.passed_by(period.end))
    if result is Overall.DONE and due is not None and not task.deadline.recurring:
        return (Overall.DONE_LATE if finished_late(period, due) else Overall.DONE), period.id, None
    if result is Overall.OVERDUE and due is not None:
        since = period_holding(due, period)
        return result, None, (since if since.end <= period.end else period).id
    return result, None, None


def _label(result: Overall, done_in: str | None, overdue_since: str | None, period: Period, recurring: bool) -> str:
    label = overall_label(result, recurring, period.half is not None)
    if done_in is not None and done_in != period.id:
        return f"{label} ({parse_period(done_in).label})"
    if overdue_since is not None and overdue_since != period.id:
        return f"{label} (từ {parse_period(overdue_since).label})"
    return label


def _task_table(plan: Plan, period: Period, detail: pd.DataFrame, history: TaskHistory) -> pd.DataFrame:
    leads = detail[detail["role"] == Role.LEAD].copy()
    leads["key"] = leads["status"].map(REPORTED_BY_STATUS).fillna(ReportedStatus.NO_REPORT)
    columns = [str(k) for k in ReportedStatus]
    counts = pd.crosstab(leads["task_id"], leads["key"]).reindex(columns=columns, fill_value=0)
    tasks = pd.DataFrame([(t.id, t.group, t.text, t.lead, t.deadline.text, order)
                          for order, t in enumerate(plan.tasks)],
                         columns=["task_id", "group", "text", "lead", "deadline", "task_order"])
    tasks = tasks.merge(counts, left_on="task_id", right_index=True, how="left").fillna(
        dict.fromkeys(counts.columns, 0))
    lead_total = leads.groupby("task_id").size()
    tasks["leads"] = tasks["task_id"].map(lead_total).fillna(0).astype(int)
    for column in counts.columns:
        tasks[column] = tasks[column].astype(int)
    needed = ("task_id", "done", "ongoing", "not_started", "not_applicable", "leads")
    judged = [_judge(plan.task_by_id[str(task)], LeadAnswers(int(a), int(b), int(c), int(d), int(n)), period,
                     history) for task, a, b, c, d, n in zip(*(tasks[c].tolist() for c in needed), strict=True)]
    tasks["overall"] = [result for result, _, _ in judged]
    tasks["done_in"] = [done_in for _, done_in, _ in judged]
    tasks["overdue_since"] = [since for _, _, since in judged]
    recurring = [plan.task_by_id[str(task)].deadline.recurring for task in tasks["task_id"]]
    tasks["recurring"] = recurring
    tasks["overall_label"] = [_label(result, done_in, since, period, again)
                              for (result, done_in, since), again in zip(judged, recurring, strict=True)]
    return tasks


def _figure_tables(plan: Plan, submissions: dict[str, dict[str, Any]], agencies: pd.DataFrame
                   ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rows = [(agency, code, value) for agency, s in submissions.items() for code, value in s["figures"].items()
            if value is not None]
    figures = pd.DataFrame(rows, columns=["agency", "code", "value"]).merge(agencies, on="agency", how="left")
    notes = pd.DataFrame([(agency, code, note) for agency, s in submissions.items()
                          for code, note in s.get("figure_notes", {}).items()], columns=["agency", "code", "note"])
    indicators = pd.DataFrame([(i.code, i.name, i.unit, i.aggregate, order)
                               for order, i in enumerate(plan.indicators)],
                              columns=["code", "name", "unit", "aggregate", "indicator_order"])
    totals = indicators.copy()
    sums = figures.groupby("code")["value"].agg(["sum", "max"])
    totals["total"] = [sums.loc[c, a] if c in sums.index else 0.0 for c, a in zip(totals["code"],
                                                                                  totals["aggregate"], strict=True)]
    by_bloc = figures.groupby(["code", "bloc"])["value"].agg(["sum", "max"])
    for bloc in sorted(agencies["bloc"].unique()):
        totals[f"bloc:{bloc}"] = [by_bloc.loc[(c, bloc), a] if (c, bloc) in by_bloc.index else 0.0
                                  for c, a in zip(totals["code"], totals["aggregate"], strict=True)]
    return figures, totals, notes


def _submission_table(receipts: list[Receipt], used: dict[str, Receipt], agencies: pd.DataFrame) -> pd.DataFrame:
    rejected = {r.agency for r in receipts if r.agency and r.verdict is Verdict.REJECTED}
    rows: list[tuple[str, SubmissionState, str | None, str | None, int]] = []
    for agency in agencies["agency"]:
        state = submission_state(agency, used, rejected)
        receipt = used.get(agency)
        if receipt is not None:
            rows.append((agency, state, receipt.received_at, receipt.file_name, len(receipt.issues)))
        else:
            rows.append((agency, state, None, None, 0))
    table = pd.DataFrame(rows, columns=["agency", "state", "received_at", "file", "findings"])
    table["state_label"] = table["state"].map(SUBMISSION_LABELS)
    return table.merge(agencies, on="agency", how="left")


def consolidate_data(plan: Plan, period: Period, receipts: list[Receipt], history: TaskHistory | None = None,
                     previous: Previous | None = None) -> Consolidation:
    """Pure consolidation from the period's ledger receipts (no I/O), so tests can feed plain data; `history`
    and `previous` come from the earlier periods (see consolidate)."""
    used = {code: r for code, r in latest_accepted(receipts).items() if code in plan.agency_by_code}
    submissions = {code: r.data for code, r in used.items() if r.data is not None}
    agencies = _agencies(plan)
    detail = _expected(plan).merge(agencies, on="agency", how="inner")
    detail = detail.merge(_answers(submissions), on=["agency", "task_id"], how="left")
    for column in ("status", "result", "difficulty", "proposal"):
        detail[column] = detail[column].fillna("")
    detail["reported"] = detail["agency"].isin(submissions.keys())
    order = {t.id: i for i, t in enumerate(plan.tasks)}
    detail["task_order"] = detail["task_id"].map(order)
    detail = detail.sort_values(["task_order", "role", "agency_order"], kind="stable").reset_index(drop=True)
    tasks = _task_table(plan, period, detail, history or TaskHistory(period))
    figures, totals, notes = _figure_tables(plan, submissions, agencies)
    submissions_table = _submission_table(receipts, used, agencies)
    return Consolidation(period, plan, detail, tasks, figures, totals, submissions_table, notes, previous)


def consolidate(ws: Workspace, period: Period) -> Consolidation:
    """The period's consolidation, with the history of its tasks and the previous period's figures."""
    receipts = stored_receipts(ws.archive_dir)
    own = [r for r in receipts if r.period == period.id]
    return consolidate_data(ws.plan_for(period), period, own, task_history(ws.plan, period, receipts),
                            previous_figures(ws.plan, period, receipts))
