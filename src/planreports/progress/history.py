"""A plan lives for years: what became of each task before a period, from the ledger's earlier periods.

A task with a due point (not a rhythm) whose overall status became done in a period stays done in every later
period: it is not asked again, it is counted as done, with the period it was done in. A task whose due point
has passed and that is not done is overdue from the period that holds its due point until it is done, and done
late when it is finished after it. Recurring tasks (thường xuyên, hằng năm) are judged within each period.

Plain data only: the receipts of earlier periods and the plan as it stood in each of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from planreports.ledger import Receipt, stored_receipts
from planreports.plan.model import Plan, Role, Status, Task
from planreports.plan.periods import Period, parse_period, period_or_none
from planreports.progress.rules import LeadAnswers, Overall, latest_accepted, overall
from planreports.workspace import Workspace


@dataclass(frozen=True)
class TaskHistory:
    """What the periods before `period` say about its tasks."""

    period: Period
    done_in: Mapping[str, Period] = field(default_factory=dict)   # task id -> the earlier period it was done in

    def done_before(self, task: Task) -> Period | None:
        """The earlier period a one-off task was done in; None for a recurring task or one not done yet."""
        return None if task.deadline.recurring else self.done_in.get(task.id)

    def markers(self, plan: Plan) -> dict[str, str]:
        """Task id -> "Đã hoàn thành (năm 2024)": what the form shows instead of asking again."""
        return {t.id: done_mark(p) for t in plan.tasks if (p := self.done_before(t)) is not None}


def done_mark(period: Period) -> str:
    return f"Đã hoàn thành ({period.label})"


def period_holding(day: date, like: Period) -> Period:
    """The period of the same kind as `like` (annual or six-monthly) that holds `day`."""
    for year in (day.year, day.year + 1):
        for half in ((None,) if like.half is None else (1, 2)):
            candidate = parse_period(str(year) if half is None else f"{year}-H{half}")
            if candidate.start <= day <= candidate.end:
                return candidate
    return like   # unreachable for a real date: the periods of a kind cover every day


def due_period(due: date, like: Period) -> Period:
    """The period whose report a due point belongs to, as the plan's words mean it: "Trong năm 2023" (31/12/2023)
    is the work of the 2023 report, though the 2023 period's figures stop on 14/12 (Nghị định 09/2019)."""
    return parse_period(str(due.year) if like.half is None else f"{due.year}-H{1 if due.month <= 6 else 2}")


def finished_late(done_in: Period, due: date) -> bool:
    """A one-off task reported done in `done_in` was done after its due point: the period is later than the one
    its due point belongs to. A period's report does not say on which day a task was finished, so a task first
    reported done in the report of its due year counts as on time, and one first reported in a later report
    as late (Trong năm 2023, first reported done in 2024: late)."""
    return done_in.end > due_period(due, done_in).end


def previous_of(period: Period) -> Period:
    """The same kind of period just before: 2025 for 2026, 2026-H1 for 2027-H1."""
    return parse_period(str(period.year - 1) if period.half is None else f"{period.year - 1}-H{period.half}")


def _lead_answers(plan: Plan, task: Task, statuses: Mapping[str, Mapping[str, str]]) -> LeadAnswers:
    leads = plan.agencies_for(task, Role.LEAD)
    said = [statuses.get(code, {}).get(task.id, "") for code in leads]
    return LeadAnswers(said.count(Status.DONE), said.count(Status.ONGOING), said.count(Status.NOT_STARTED),
                       said.count(Status.NOT_APPLICABLE), len(leads))


def done_tasks(plan: Plan, receipts: Iterable[Receipt]) -> set[str]:
    """The one-off tasks whose overall status was done in one period, from that period's receipts."""
    statuses = {code: {a["task_id"]: a["status"] for a in r.data.get("answers", [])}
                for code, r in latest_accepted(receipts).items() if r.data is not None}
    return {t.id for t in plan.tasks if not t.deadline.recurring
            and overall(_lead_answers(plan, t, statuses), passed=False) is Overall.DONE}


def task_history(plan: Plan, period: Period, receipts: Iterable[Receipt]) -> TaskHistory:
    """`plan` over all years, the period asked about, and the receipts of every period (the ledger's)."""
    by_period: dict[str, list[Receipt]] = {}
    for receipt in receipts:
        if receipt.period and receipt.period != period.id:
            by_period.setdefault(receipt.period, []).append(receipt)
    earlier = sorted((p for p in map(period_or_none, by_period) if p is not None and p.end < period.end),
                     key=lambda p: p.end)
    done_in: dict[str, Period] = {}
    for past in earlier:
        for task_id in done_tasks(plan.at(past.end), by_period[past.id]):
            done_in.setdefault(task_id, past)
    return TaskHistory(period, done_in)


def history_of(ws: Workspace, period: Period) -> TaskHistory:
    """The history of `period`'s tasks from the workspace's ledger (empty before anything was collected)."""
    return task_history(ws.plan, period, stored_receipts(ws.archive_dir))
