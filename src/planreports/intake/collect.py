"""`planreports check` and `planreports collect`: validate received workbooks; collect also archives them.

One bad file never stops the batch: every item gets an outcome. Files are validated in worker processes
(time- and memory-bounded) which first archive the original; receipts are committed once per batch, after
their files are stored, so an interrupted run loses nothing and a re-run picks up where it stopped.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import parseaddr
from pathlib import Path, PurePosixPath
from typing import Any

from planreports.errors import UsageError
from planreports.files import remove_stale_temp
from planreports.findings import Issue, make_issue
from planreports.intake.imap import ImapTarget, MailDone, fetch
from planreports.intake.sources import VN_TZ, Incoming, MailNote, iter_sources
from planreports.intake.validate import VERDICT_DUPLICATE, Validation
from planreports.intake.workers import Job, WorkerPool, validate_jobs
from planreports.ledger import Ledger, archive_relative, workspace_lock
from planreports.plan.model import Plan
from planreports.plan.periods import Period
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
    items = list(iter_sources(paths))
    result.notes = [i for i in items if isinstance(i, MailNote)]
    incoming = [i for i in items if isinstance(i, Incoming)]
    jobs = [Job(n, item.name, item.data) for n, item in enumerate(incoming)]
    for job, validation in validate_jobs(jobs, ws.plan, ws.config.limits, period.id if period else None):
        item = incoming[job.index]
        result.outcomes.append(_outcome(item, _sha256(item.data), validation))
    return result


def _outcome(item: Incoming, sha256: str, validation: Validation, late: bool = False) -> Outcome:
    return Outcome(item.name, sha256, validation.agency, validation.period, validation.verdict,
                   validation.issues, late, item.source, item.received_at, item.sender)


def _sender_issue(plan: Plan, item: Incoming, agency: str | None) -> Issue | None:
    """Mail from an address other than the registry's: a warning only, since the form itself decides."""
    if not item.sender or agency is None or agency not in plan.agency_by_code:
        return None
    expected = plan.agency_by_code[agency].email.strip().lower()
    address = parseaddr(item.sender)[1].strip().lower()
    if not expected or address == expected:
        return None
    return make_issue("sender-mismatch", file=item.name, sender=address or item.sender, agency=agency,
                      email=expected)


def _late_issue(deadline: date, item: Incoming) -> Issue | None:
    received = item.received_at.astimezone(VN_TZ).date()
    if received <= deadline:
        return None
    return make_issue("submission-late", file=item.name, received=f"{received:%d/%m/%Y}",
                      deadline=f"{deadline:%d/%m/%Y}")


@dataclass(frozen=True)
class MailOptions:
    """How to read mailboxes: the password callback is asked once per mailbox, never stored."""

    password_for: Callable[[ImapTarget], str] | None = None
    since: date | None = None
    mark_seen: bool = False
    cafile: Path | None = None


Target = Path | ImapTarget
Progress = Callable[[Iterable[Any]], Iterable[Any]]


def _items(ledger: Ledger, target: Target, mail: MailOptions, progress: Progress | None
           ) -> Iterable[Incoming | MailNote | MailDone]:
    if isinstance(target, ImapTarget):
        if mail.password_for is None:
            raise UsageError("Cần mật khẩu hộp thư để đọc " + target.mailbox)
        return fetch(target, mail.password_for(target), ledger.seen_mail(target.mailbox), mail.since,
                     mail.mark_seen, cafile=mail.cafile)
    items = list(iter_sources([target]))
    return progress(items) if progress is not None else items


BATCH = 500  # items held in memory at once; the worker pool lives for the whole run


def collect(ws: Workspace, targets: list[Target], period: Period, progress: Progress | None = None,
            mail: MailOptions | None = None) -> CollectResult:
    result = CollectResult()
    ws.plan  # noqa: B018 - load (and check) the lists before touching the archive
    mail = mail or MailOptions()
    with (workspace_lock(ws.archive_dir), Ledger(ws.archive_dir) as ledger,
          WorkerPool(ws.plan, ws.config.limits, period.id, ws.archive_dir) as pool):
        remove_stale_temp(ws.archive_dir)
        for target in targets:
            batch: list[Incoming | MailNote | MailDone] = []
            for item in _items(ledger, target, mail, progress):
                batch.append(item)
                if len(batch) >= BATCH and not isinstance(item, MailNote):
                    _collect_batch(ws, ledger, pool, batch, period, result)
                    batch = []
            _collect_batch(ws, ledger, pool, batch, period, result)
    return result


def _collect_batch(ws: Workspace, ledger: Ledger, pool: WorkerPool, batch: list[Incoming | MailNote | MailDone],
                   period: Period, result: CollectResult) -> None:
    """Validate the new files in worker processes; as each result arrives (in order) store the original,
    then commit its receipt — storing overlaps the workers' checking, and no receipt precedes its file."""
    digests = [_sha256(item.data) if isinstance(item, Incoming) else "" for item in batch]
    seen = ledger.known_digests([d for d in digests if d])
    fresh: dict[str, Job] = {}
    deadline = ws.config.period_settings(period).deadline
    for item, sha256 in zip(batch, digests, strict=True):
        if isinstance(item, Incoming) and sha256 not in fresh and sha256 not in seen:
            relative = archive_relative(sha256, PurePosixPath(item.name).suffix)
            fresh[sha256] = Job(len(fresh), item.name, item.data, relative)
    checked = pool.validate(list(fresh.values()))
    with ledger.transaction():
        for item, sha256 in zip(batch, digests, strict=True):
            if isinstance(item, MailDone):
                ledger.mark_mail(item.mailbox, item.uidvalidity, item.uid, item.message_id)
            elif isinstance(item, MailNote):
                result.notes.append(item)
            elif fresh.pop(sha256, None) is None:
                result.outcomes.append(_duplicate(ledger, item, sha256))
            else:
                job, validation = next(checked)  # jobs were made in batch order, so results come in that order
                # a worker that timed out or died may not have archived the original: do it here then
                stored = job.store_to if validation.stored and job.store_to else ledger.store(
                    sha256, item.data, PurePosixPath(item.name).suffix)
                result.outcomes.append(_record(ws, ledger, item, sha256, stored, validation, period, deadline))
    checked.close()


def _duplicate(ledger: Ledger, item: Incoming, sha256: str) -> Outcome:
    earlier = ledger.known(sha256)
    return Outcome(item.name, sha256, earlier.agency if earlier else None, earlier.period if earlier else None,
                   VERDICT_DUPLICATE, [], earlier.late if earlier else False, item.source, item.received_at,
                   item.sender)


def _record(ws: Workspace, ledger: Ledger, item: Incoming, sha256: str, stored: str, validation: Validation,
            period: Period, deadline: date) -> Outcome:
    late_issue = _late_issue(deadline, item) if validation.agency else None
    if late_issue is not None:
        validation.issues.append(late_issue)
    sender_issue = _sender_issue(ws.plan, item, validation.agency)
    if sender_issue is not None:
        validation.issues.append(sender_issue)
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
