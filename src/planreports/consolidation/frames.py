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

from dataclasses import dataclass
from typing import Any

import pandas as pd

from planreports.form import schema
from planreports.ledger import Ledger, Receipt
from planreports.plan.model import ROLE_LEAD, Plan
from planreports.plan.periods import Period
from planreports.workspace import Workspace

OVERALL_LABELS = {
    "done": "Hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "overdue": "Chưa hoàn thành, quá hạn",
    "not_applicable": "Không phát sinh",
    "no_report": "Chưa có báo cáo",
}
SUBMISSION_LABELS = {"on_time": "Đúng hạn", "late": "Nộp muộn", "rejected": "Không đạt, chưa gửi lại",
                     "missing": "Chưa nộp"}
STATUS_KEYS = {schema.STATUS_DONE: "done", schema.STATUS_ONGOING: "ongoing",
               schema.STATUS_NOT_STARTED: "not_started", schema.STATUS_NOT_APPLICABLE: "not_applicable"}


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

    def summary(self) -> dict[str, Any]:
        subs = self.submissions
        return {
            "period": self.period.id,
            "period_start": self.period.start.isoformat(),
            "period_end": self.period.end.isoformat(),
            "agencies_expected": subs["agency"].tolist(),
            "agencies_reported": subs.loc[subs["state"].isin(["on_time", "late"]), "agency"].tolist(),
            "agencies_late": subs.loc[subs["state"] == "late", "agency"].tolist(),
            "agencies_rejected": subs.loc[subs["state"] == "rejected", "agency"].tolist(),
            "agencies_missing": subs.loc[subs["state"].isin(["missing", "rejected"]), "agency"].tolist(),
            "tasks": [{"id": r.task_id, "overall": r.overall,
                       "status_counts": {k: int(getattr(r, k)) for k in (*STATUS_KEYS.values(), "no_report")}}
                      for r in self.tasks.itertuples()],
            "indicators": {r.code: _plain(r.total) for r in self.totals.itertuples()},
        }


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(float(value), 4)


def _expected(plan: Plan) -> pd.DataFrame:
    rows = []
    for task in plan.tasks:
        for role in (ROLE_LEAD, "Phối hợp"):
            rows += [(task.id, code, role) for code in plan.agencies_for(task, role)]
    return pd.DataFrame(rows, columns=["task_id", "agency", "role"])


def _agencies(plan: Plan) -> pd.DataFrame:
    return pd.DataFrame([(a.code, a.name, a.short, a.kind, plan.kind_by_code[a.kind].bloc
                          if a.kind in plan.kind_by_code else "", order)
                         for order, a in enumerate(plan.reporting_agencies)],
                        columns=["agency", "agency_name", "agency_short", "kind", "bloc", "agency_order"])


def _answers(submissions: dict[str, dict[str, Any]]) -> pd.DataFrame:
    # straight from the stored JSON: building Submission objects for thousands of agencies cost more
    # than the whole pandas join
    rows = [(code, a["task_id"], a["status"], a["result"], a["difficulty"], a["proposal"])
            for code, s in submissions.items() for a in s["answers"]]
    return pd.DataFrame(rows, columns=["agency", "task_id", "status", "result", "difficulty", "proposal"])


def _overall(row: pd.Series, leads: int, passed: bool) -> str:
    reported = row["done"] + row["ongoing"] + row["not_started"] + row["not_applicable"]
    if reported == 0:
        return "overdue" if passed else "no_report"
    if row["done"] + row["not_applicable"] == leads and row["done"] > 0:
        return "done"
    if row["not_applicable"] == reported and reported == leads:
        return "not_applicable"
    if passed:
        return "overdue"
    if row["done"] + row["ongoing"] > 0:
        return "in_progress"
    return "not_started" if row["not_applicable"] < reported else "not_applicable"


def _task_table(plan: Plan, period: Period, detail: pd.DataFrame) -> pd.DataFrame:
    leads = detail[detail["role"] == ROLE_LEAD].copy()
    leads["key"] = leads["status"].map(STATUS_KEYS).fillna("no_report")
    counts = pd.crosstab(leads["task_id"], leads["key"]).reindex(
        columns=[*STATUS_KEYS.values(), "no_report"], fill_value=0)
    tasks = pd.DataFrame([(t.id, t.group, t.text, t.lead, t.deadline.text, order)
                          for order, t in enumerate(plan.tasks)],
                         columns=["task_id", "group", "text", "lead", "deadline", "task_order"])
    tasks = tasks.merge(counts, left_on="task_id", right_index=True, how="left").fillna(
        dict.fromkeys(counts.columns, 0))
    lead_total = leads.groupby("task_id").size()
    tasks["leads"] = tasks["task_id"].map(lead_total).fillna(0).astype(int)
    for column in counts.columns:
        tasks[column] = tasks[column].astype(int)
    passed = {t.id: t.deadline.passed_by(period.end) for t in plan.tasks}
    tasks["overall"] = [_overall(row, row["leads"], passed[row["task_id"]]) for _, row in tasks.iterrows()]
    tasks["overall_label"] = tasks["overall"].map(OVERALL_LABELS)
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
    rejected = {r.agency for r in receipts if r.agency and r.verdict == "rejected"}
    rows = []
    for agency in agencies["agency"]:
        receipt = used.get(agency)
        if receipt is not None:
            state = "late" if receipt.late else "on_time"
            rows.append((agency, state, receipt.received_at, receipt.file_name, len(receipt.issues)))
        else:
            rows.append((agency, "rejected" if agency in rejected else "missing", None, None, 0))
    table = pd.DataFrame(rows, columns=["agency", "state", "received_at", "file", "findings"])
    table["state_label"] = table["state"].map(SUBMISSION_LABELS)
    return table.merge(agencies, on="agency", how="left")


def consolidate_data(plan: Plan, period: Period, receipts: list[Receipt]) -> Consolidation:
    """Pure consolidation from ledger receipts (no I/O), so tests can feed plain data."""
    used: dict[str, Receipt] = {}
    for receipt in receipts:
        if receipt.agency in plan.agency_by_code and receipt.verdict != "rejected" and receipt.data:
            used[receipt.agency] = receipt  # receipts come oldest first: the latest wins
    submissions = {code: r.data for code, r in used.items() if r.data}
    agencies = _agencies(plan)
    detail = _expected(plan).merge(agencies, on="agency", how="inner")
    detail = detail.merge(_answers(submissions), on=["agency", "task_id"], how="left")
    for column in ("status", "result", "difficulty", "proposal"):
        detail[column] = detail[column].fillna("")
    detail["reported"] = detail["agency"].isin(submissions.keys())
    order = {t.id: i for i, t in enumerate(plan.tasks)}
    detail["task_order"] = detail["task_id"].map(order)
    detail = detail.sort_values(["task_order", "role", "agency_order"], kind="stable").reset_index(drop=True)
    tasks = _task_table(plan, period, detail)
    figures, totals, notes = _figure_tables(plan, submissions, agencies)
    submissions_table = _submission_table(receipts, used, agencies)
    return Consolidation(period, plan, detail, tasks, figures, totals, submissions_table, notes)


def consolidate(ws: Workspace, period: Period) -> Consolidation:
    receipts: list[Receipt] = []
    if ws.ledger_path.exists():
        with Ledger(ws.archive_dir) as ledger:
            receipts = ledger.receipts(period.id)
    return consolidate_data(ws.plan, period, receipts)
