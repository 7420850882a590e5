"""How a file arrived (when, from whom) and what follows from it: late submission, unexpected sender.

Part of a file's validation wherever the facts are known, so `check` and `collect` give the same verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parseaddr

from planreports.findings import Findings, IssueCode
from planreports.plan.model import Agency
from planreports.plan.periods import parse_period
from planreports.vn.dates import VN_TZ, format_date, format_datetime


@dataclass(frozen=True)
class Arrival:
    """When the file was received (the mail's Date, or the file's time) and the mail's From, if any. A file
    inside an attached message (a forward) is dated and attributed by that message; `forwarded_by` and
    `forwarded_at` then say who sent the mail that carried it, and when."""

    received_at: datetime | None = None
    sender: str | None = None
    forwarded_by: str | None = None
    forwarded_at: datetime | None = None


def note_forward(arrival: Arrival, findings: Findings) -> None:
    """Say that a file came inside an attached message, and whose date it was given."""
    if arrival.forwarded_by is None:
        return
    findings.add(IssueCode.MAIL_FORWARDED, sender=arrival.sender or "(không rõ người gửi)",
                 sent=format_datetime(arrival.received_at), forwarder=arrival.forwarded_by,
                 forwarded=format_datetime(arrival.forwarded_at))


def deadline_of(period: str, deadlines: Mapping[str, date]) -> date:
    """The submission deadline of a period: configured, else the period's last day."""
    return deadlines.get(period) or parse_period(period).end


def check_late(arrival: Arrival, period: str, deadlines: Mapping[str, date], findings: Findings) -> bool:
    """Late is flagged, never rejected: a late report still counts."""
    if arrival.received_at is None:
        return False
    received = arrival.received_at.astimezone(VN_TZ).date()
    deadline = deadline_of(period, deadlines)
    if received <= deadline:
        return False
    findings.add(IssueCode.SUBMISSION_LATE, received=format_date(received), deadline=format_date(deadline))
    return True


def check_sender(arrival: Arrival, agency: Agency, findings: Findings) -> None:
    """Mail from an address other than the registry's: a warning only, since the form itself decides."""
    expected = agency.email.strip().lower()
    if not arrival.sender or not expected:
        return
    address = parseaddr(arrival.sender)[1].strip().lower()
    if address != expected:
        findings.add(IssueCode.SENDER_MISMATCH, sender=address or arrival.sender, agency=agency.code,
                     email=expected)
