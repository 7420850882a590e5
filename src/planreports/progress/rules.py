"""The consolidation's rules, on plain data: which submission counts, the state of each agency's submission, and
a task's overall status from what its lead agencies reported.

Two vocabularies that look alike on purpose stay apart: ReportedStatus is what one agency answered about a
task (the four choices of the form, plus "no report"); Overall is the province's judgement of the task.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from planreports.findings import Verdict
from planreports.ledger import Receipt
from planreports.plan.model import Status


class ReportedStatus(StrEnum):
    """One agency's answer about one task; the keys of summary.json's "status_counts"."""

    DONE = "done"
    ONGOING = "ongoing"
    NOT_STARTED = "not_started"
    NOT_APPLICABLE = "not_applicable"
    NO_REPORT = "no_report"


REPORTED_BY_STATUS = {Status.DONE: ReportedStatus.DONE, Status.ONGOING: ReportedStatus.ONGOING,
                      Status.NOT_STARTED: ReportedStatus.NOT_STARTED,
                      Status.NOT_APPLICABLE: ReportedStatus.NOT_APPLICABLE}


class Overall(StrEnum):
    """A task's overall status in a period (summary.json "overall"), in the words Government tracking uses."""

    DONE = "done"                      # hoàn thành đúng hạn (a recurring task: done within the period)
    DONE_LATE = "done_late"            # hoàn thành quá hạn: first reported done after its due point
    IN_PROGRESS = "in_progress"        # đang thực hiện trong hạn
    NOT_STARTED = "not_started"
    OVERDUE = "overdue"                # quá hạn chưa hoàn thành
    NOT_APPLICABLE = "not_applicable"
    NO_REPORT = "no_report"


OVERALL_LABELS = {
    Overall.DONE: "Hoàn thành đúng hạn",
    Overall.DONE_LATE: "Hoàn thành quá hạn",
    Overall.IN_PROGRESS: "Đang thực hiện trong hạn",
    Overall.NOT_STARTED: "Chưa thực hiện",
    Overall.OVERDUE: "Quá hạn chưa hoàn thành",
    Overall.NOT_APPLICABLE: "Không phát sinh",
    Overall.NO_REPORT: "Chưa có báo cáo",
}
FINISHED = (Overall.DONE, Overall.DONE_LATE)
# A recurring task (thường xuyên, hằng năm) has no due point: "đúng hạn", "trong hạn" mean nothing for it.
RECURRING_LABELS = {Overall.DONE: "Đã thực hiện trong năm", Overall.IN_PROGRESS: "Đang thực hiện"}


def overall_label(result: Overall, recurring: bool, half_year: bool = False) -> str:
    """A task's overall status in words: "Hoàn thành đúng hạn" for a task with a due point, "Đã thực hiện trong
    năm" (or "trong kỳ" for a half-year) for a recurring one."""
    if recurring and result in RECURRING_LABELS:
        label = RECURRING_LABELS[result]
        return label.replace("trong năm", "trong kỳ") if half_year else label
    return OVERALL_LABELS[result]


class SubmissionState(StrEnum):
    """Where an expected agency stands in a period."""

    ON_TIME = "on_time"
    LATE = "late"
    REJECTED = "rejected"      # its latest file was rejected and nothing valid replaced it
    MISSING = "missing"


SUBMISSION_LABELS = {SubmissionState.ON_TIME: "Đúng hạn", SubmissionState.LATE: "Nộp muộn",
                     SubmissionState.REJECTED: "Không đạt, chưa gửi lại", SubmissionState.MISSING: "Chưa nộp"}
REPORTED_STATES = (SubmissionState.ON_TIME, SubmissionState.LATE)


def counts(receipt: Receipt) -> bool:
    """A receipt counts for consolidation when it identified an agency and was not rejected."""
    return receipt.agency is not None and receipt.verdict is not Verdict.REJECTED and receipt.data is not None


def latest_accepted(receipts: Iterable[Receipt]) -> dict[str, Receipt]:
    """Per agency, the latest receipt that counts: a resubmission supersedes (receipts come oldest first)."""
    out: dict[str, Receipt] = {}
    for receipt in receipts:
        if counts(receipt) and receipt.agency is not None:
            out[receipt.agency] = receipt
    return out


def submission_state(agency: str, used: Mapping[str, Receipt], rejected: set[str]) -> SubmissionState:
    receipt = used.get(agency)
    if receipt is not None:
        return SubmissionState.LATE if receipt.late else SubmissionState.ON_TIME
    return SubmissionState.REJECTED if agency in rejected else SubmissionState.MISSING


@dataclass(frozen=True)
class LeadAnswers:
    """How the lead agencies of a task answered (counts), and how many leads it has."""

    done: int
    ongoing: int
    not_started: int
    not_applicable: int
    leads: int

    @property
    def reported(self) -> int:
        return self.done + self.ongoing + self.not_started + self.not_applicable


def overall(answers: LeadAnswers, passed: bool) -> Overall:
    """The task's overall status (README "Consolidation rules"); `passed`: its due point fell in or before the
    period's end. The order of the rules matters: done and not-applicable win over overdue."""
    if answers.reported == 0:
        return Overall.OVERDUE if passed else Overall.NO_REPORT
    if answers.done + answers.not_applicable == answers.leads and answers.done > 0:
        return Overall.DONE
    if answers.not_applicable == answers.reported == answers.leads:
        return Overall.NOT_APPLICABLE
    if passed:
        return Overall.OVERDUE
    if answers.done + answers.ongoing > 0:
        return Overall.IN_PROGRESS
    return Overall.NOT_STARTED if answers.not_applicable < answers.reported else Overall.NOT_APPLICABLE
