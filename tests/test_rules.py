"""The consolidation rules on plain data: a task's overall status (README table) and which file counts."""

from __future__ import annotations

import pytest

from planreports.findings import Verdict
from planreports.ledger import Receipt
from planreports.progress.rules import (
    LeadAnswers,
    Overall,
    SubmissionState,
    latest_accepted,
    overall,
    submission_state,
)

# (done, ongoing, not_started, not_applicable, leads), due point passed -> overall
TRUTH = [
    ((3, 0, 0, 0, 3), False, Overall.DONE),
    ((3, 0, 0, 0, 3), True, Overall.DONE),                 # done wins over a passed due point
    ((2, 0, 0, 1, 3), False, Overall.DONE),                # not applicable for some leads still done
    ((0, 0, 0, 3, 3), False, Overall.NOT_APPLICABLE),      # every lead: không phát sinh
    ((0, 0, 0, 1, 3), False, Overall.NOT_APPLICABLE),      # every lead that reported said so
    ((0, 0, 0, 0, 3), False, Overall.NO_REPORT),
    ((0, 0, 0, 0, 3), True, Overall.OVERDUE),              # nobody reported and the due point passed
    ((2, 0, 0, 0, 3), False, Overall.IN_PROGRESS),         # one lead silent
    ((1, 1, 0, 0, 2), False, Overall.IN_PROGRESS),
    ((1, 1, 0, 0, 2), True, Overall.OVERDUE),
    ((0, 0, 2, 0, 2), False, Overall.NOT_STARTED),
    ((0, 0, 1, 1, 2), False, Overall.NOT_STARTED),
]


@pytest.mark.parametrize(("answers", "passed", "expected"), TRUTH)
def test_overall_truth_table(answers: tuple[int, int, int, int, int], passed: bool, expected: Overall) -> None:
    assert overall(LeadAnswers(*answers), passed) is expected


def _receipt(agency: str | None, verdict: Verdict, when: str, data: bool = True, late: bool = False) -> Receipt:
    return Receipt(sha256=f"{agency}{when}", file_name="f.xlsx", source="x", source_kind="file", received_at=when,
                   collected_at=when, agency=agency, period="2024", verdict=verdict, late=late, issues=(),
                   data={"answers": []} if data else None, stored_path="", sender=None, subject=None,
                   message_id=None)


def test_the_latest_file_that_counts_is_used() -> None:
    first = _receipt("STP", Verdict.ACCEPTED, "2024-12-01T08:00:00+07:00")
    second = _receipt("STP", Verdict.WARNING, "2024-12-02T08:00:00+07:00")
    rejected_later = _receipt("STP", Verdict.REJECTED, "2024-12-03T08:00:00+07:00", data=False)
    unknown = _receipt(None, Verdict.REJECTED, "2024-12-03T08:00:00+07:00", data=False)
    assert latest_accepted([first, second, rejected_later, unknown]) == {"STP": second}


def test_submission_states() -> None:
    late = _receipt("STP", Verdict.WARNING, "2024-12-12T08:00:00+07:00", late=True)
    assert submission_state("STP", {"STP": late}, set()) is SubmissionState.LATE
    assert submission_state("SNV", {}, {"SNV"}) is SubmissionState.REJECTED
    assert submission_state("BTN", {}, set()) is SubmissionState.MISSING
