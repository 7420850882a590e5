"""`planreports check` and `planreports collect`: validate received workbooks; collect also archives them.

One bad file never stops the batch: every item gets an outcome. Archive first, then the receipt, one item
at a time, so an interrupted run loses nothing and a re-run picks up where it stopped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from planreports.findings import Issue, make_issue
from planreports.ledger import Ledger, workspace_lock
from planreports.periods import Period
from planreports.sources import VN_TZ, Incoming, MailNote, iter_sources
from planreports.validate import VERDICT_DUPLICATE, Validation, validate_bytes
from planreports.workspace import Workspace


@dataclass
class Outcome:
    file: str
    sha256: str
    agency: str | None
    period: str | None
    verdict: str
    issues: list[Issue] = field(default_factory=list)
    late: bool = False
    source: str = ""
    received_at: datetime | None = None
    sender: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file, "sha256": self.sha256, "agency": self.agency, "period": self.period,
            "verdict": self.verdict, "late": self.late, "source": self.source,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "sender": self.sender,
            "issues": [{"code": i.code, "severity": str(i.severity), "sheet": i.sheet, "cell": i.cell,
                        "message": i.message} for i in self.issues],
        }


@dataclass
class CollectResult:
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[MailNote] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        return sum(1 for o in self.outcomes if o.verdict == "rejected")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_files(ws: Workspace, paths: list[Path], period: Period | None) -> CollectResult:
    """Validate without storing anything."""
    result = CollectResult()
    plan, limits = ws.plan, ws.config.limits
    for item in iter_sources(paths):
        if isinstance(item, MailNote):
            result.notes.append(item)
            continue
        validation = validate_bytes(item.data, item.name, plan, limits, period.id if period else None)
        result.outcomes.append(_outcome(item, _sha256(item.data), validation))
    return result


def _outcome(item: Incoming, sha256: str, validation: Validation, late: bool = False) -> Outcome:
    return Outcome(item.name, sha256, validation.agency, validation.period, validation.verdict,
                   validation.issues, late, item.source, item.received_at, item.sender)


def _late_issue(ws: Workspace, period: Period, item: Incoming) -> Issue | None:
    deadline = ws.config.period_settings(period).deadline
    received = item.received_at.astimezone(VN_TZ).date()
    if received <= deadline:
        return None
    return make_issue("submission-late", file=item.name, received=f"{received:%d/%m/%Y}",
                      deadline=f"{deadline:%d/%m/%Y}")


def collect(ws: Workspace, paths: list[Path], period: Period,
            progress: Callable[[Iterable[Incoming | MailNote]], Iterable[Incoming | MailNote]] | None = None,
            ) -> CollectResult:
    result = CollectResult()
    plan, limits = ws.plan, ws.config.limits  # load (and check) the lists before touching the archive
    items: Iterable[Incoming | MailNote] = list(iter_sources(paths))
    if progress is not None:
        items = progress(items)
    with workspace_lock(ws.archive_dir), Ledger(ws.archive_dir) as ledger:
        for item in items:
            if isinstance(item, MailNote):
                result.notes.append(item)
                continue
            result.outcomes.append(_collect_one(ws, ledger, item, period, plan, limits))
    return result


def _collect_one(ws: Workspace, ledger: Ledger, item: Incoming, period: Period, plan: Any, limits: Any) -> Outcome:
    sha256 = _sha256(item.data)
    earlier = ledger.known(sha256)
    if earlier is not None:
        return Outcome(item.name, sha256, earlier.agency, earlier.period, VERDICT_DUPLICATE, [], earlier.late,
                       item.source, item.received_at, item.sender)
    validation = validate_bytes(item.data, item.name, plan, limits, period.id)
    late_issue = _late_issue(ws, period, item) if validation.agency else None
    if late_issue is not None:
        validation.issues.append(late_issue)
    stored = ledger.store(sha256, item.data, PurePosixPath(item.name).suffix)
    submission = validation.submission if validation.verdict != "rejected" else None
    ledger.record({
        "sha256": sha256, "file_name": item.name, "source": item.source, "source_kind": item.source_kind,
        "received_at": item.received_at.isoformat(), "collected_at": datetime.now(VN_TZ).isoformat(),
        "agency": validation.agency, "period": validation.period or period.id, "verdict": validation.verdict,
        "late": int(late_issue is not None), "issues": _issues_json(validation.issues),
        "data": _json(submission.to_dict()) if submission else None, "stored_path": stored,
        "sender": item.sender, "subject": item.subject, "message_id": item.message_id,
    })
    return _outcome(item, sha256, validation, late_issue is not None)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _issues_json(issues: list[Issue]) -> str:
    return _json([i.to_dict() for i in issues])
