"""`planreports status`: per agency, whether and when it submitted, the verdict, and who is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planreports.ledger import Ledger, Receipt
from planreports.periods import Period
from planreports.workspace import Workspace


@dataclass(frozen=True)
class AgencyStatus:
    code: str
    name: str
    submitted: bool                 # an accepted (possibly with warnings) file exists
    received_at: str | None
    verdict: str | None             # of the receipt in use, else of the latest rejected one
    issues: int
    late: bool
    file: str | None
    source: str | None
    receipts: int                   # how many distinct files were received

    def to_dict(self) -> dict[str, Any]:
        return {"submitted": self.submitted, "received_at": self.received_at, "verdict": self.verdict,
                "issues": self.issues, "late": self.late, "file": self.file, "source": self.source,
                "receipts": self.receipts, "name": self.name}


def _status(code: str, name: str, receipts: list[Receipt]) -> AgencyStatus:
    accepted = [r for r in receipts if r.verdict != "rejected"]
    shown = accepted[-1] if accepted else (receipts[-1] if receipts else None)
    if shown is None:
        return AgencyStatus(code, name, False, None, None, 0, False, None, None, 0)
    return AgencyStatus(code, name, bool(accepted), shown.received_at, shown.verdict, len(shown.issues),
                        shown.late, shown.file_name, shown.source, len(receipts))


def period_status(ws: Workspace, period: Period) -> list[AgencyStatus]:
    plan = ws.plan
    by_agency: dict[str, list[Receipt]] = {}
    if ws.ledger_path.exists():
        with Ledger(ws.archive_dir) as ledger:
            for receipt in ledger.receipts(period.id):
                if receipt.agency:
                    by_agency.setdefault(receipt.agency, []).append(receipt)
    return [_status(a.code, a.short, by_agency.get(a.code, [])) for a in plan.reporting_agencies]
