"""`planreports status`: per agency, whether and when it submitted, the verdict, and who is missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planreports.ledger import Ledger, Receipt
from planreports.plan.periods import Period
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
    source: str | None              # "tệp …" or "thư của … ngày …"
    sender: str | None
    receipts: int                   # how many distinct files were received
    feedback_at: str | None = None  # when the last feedback was written or sent
    reminded_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"submitted": self.submitted, "received_at": self.received_at, "verdict": self.verdict,
                "issues": self.issues, "late": self.late, "file": self.file, "source": self.source,
                "sender": self.sender, "receipts": self.receipts, "name": self.name,
                "feedback_at": self.feedback_at, "reminded_at": self.reminded_at}


def _source(receipt: Receipt) -> str:
    if receipt.source_kind in ("eml", "mbox", "maildir", "imap"):
        return f"thư của {receipt.sender or '?'}"
    return f"tệp {receipt.source}"


def _status(code: str, name: str, receipts: list[Receipt], sent: dict[tuple[str, str], str]) -> AgencyStatus:
    accepted = [r for r in receipts if r.verdict != "rejected"]
    shown = accepted[-1] if accepted else (receipts[-1] if receipts else None)
    feedback, reminded = sent.get(("feedback", code)), sent.get(("reminder", code))
    if shown is None:
        return AgencyStatus(code, name, False, None, None, 0, False, None, None, None, 0, feedback, reminded)
    return AgencyStatus(code, name, bool(accepted), shown.received_at, shown.verdict, len(shown.issues),
                        shown.late, shown.file_name, _source(shown), shown.sender, len(receipts), feedback, reminded)


def period_status(ws: Workspace, period: Period) -> list[AgencyStatus]:
    plan = ws.plan
    by_agency: dict[str, list[Receipt]] = {}
    sent: dict[tuple[str, str], str] = {}
    if ws.ledger_path.exists():
        with Ledger(ws.archive_dir) as ledger:
            for receipt in ledger.receipts(period.id):
                if receipt.agency:
                    by_agency.setdefault(receipt.agency, []).append(receipt)
            for item in ledger.sent(period.id):
                if item["agency"]:
                    sent[(item["kind"], item["agency"])] = item["created_at"]
    return [_status(a.code, a.short, by_agency.get(a.code, []), sent) for a in plan.reporting_agencies]
