"""`planreports periods`: the reporting periods of the workspace, what is configured and what came in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planreports.ledger import Receipt, stored_receipts
from planreports.plan.periods import Period, period_or_none
from planreports.progress.rules import latest_accepted
from planreports.workspace import Workspace


@dataclass(frozen=True)
class PeriodOverview:
    period: Period
    configured: bool               # has a [periods.P] section
    deadline: date
    deadline_set: bool             # the deadline is written in the section (else: the period's last day)
    expected: int                  # reporting agencies that exist on the period's last day
    files: int                     # files received for the period
    reported: int                  # agencies with an accepted file
    report_written: bool
    warnings: tuple[str, ...] = ()   # what the settings and the lists leave unsaid for the period
    problems: tuple[str, ...] = ()   # what in the settings the lists of the period do not hold (no documents)

    def to_dict(self) -> dict[str, object]:
        return {"period": self.period.id, "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(), "configured": self.configured,
                "deadline": self.deadline.isoformat(), "deadline_set": self.deadline_set,
                "expected": self.expected, "files": self.files, "reported": self.reported,
                "report_written": self.report_written, "warnings": list(self.warnings),
                "problems": list(self.problems)}


def _receipts(ws: Workspace) -> dict[str, list[Receipt]]:
    by_period: dict[str, list[Receipt]] = {}
    for receipt in stored_receipts(ws.archive_dir):
        if receipt.period:
            by_period.setdefault(receipt.period, []).append(receipt)
    return by_period


def list_periods(ws: Workspace) -> list[PeriodOverview]:
    """Every configured period and every period files came in for, oldest first."""
    received = _receipts(ws)
    ids = sorted({*ws.config.periods, *received})
    out = []
    for period in filter(None, map(period_or_none, ids)):
        settings = ws.config.period_settings(period)
        receipts = received.get(period.id, [])
        view = ws.plan_for(period)
        reported = [a for a in latest_accepted(receipts) if a in view.agency_by_code]
        out.append(PeriodOverview(period, settings.configured, settings.deadline, settings.has_deadline,
                                  len(view.reporting_agencies), len(receipts), len(reported),
                                  ws.report_path(period).exists(), tuple(ws.period_warnings(period)),
                                  tuple(ws.settings_problems(period))))
    return out
