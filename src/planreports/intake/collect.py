"""`planreports check` and `planreports collect`: validate received workbooks; collect also archives them.

One bad file never stops the batch: every item gets an outcome. Files are validated in worker processes
(time- and memory-bounded) which first archive the original; receipts are committed once per batch, after
their files are stored, so an interrupted run loses nothing and a re-run picks up where it stopped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from planreports.errors import PlanreportsError, UsageError
from planreports.files import remove_stale_temp
from planreports.findings import Issue, IssueCode, Verdict
from planreports.intake.arrival import Arrival
from planreports.intake.imap import ImapTarget, MailDone, fetch, parse_imap_url
from planreports.intake.sources import Incoming, MailNote, iter_sources
from planreports.intake.validate import Rules, Validation
from planreports.intake.versions import version_notes
from planreports.intake.workers import Job, WorkerPool, validate_jobs
from planreports.ledger import Known, Ledger, Receipt, StoredNote, archive_relative, workspace_lock
from planreports.plan.periods import Period, parse_period
from planreports.progress.history import history_of
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace


@dataclass
class Outcome:
    """What became of one received file: the element of `collect --json` and `check --json`."""

    file: str
    sha256: str
    agency: str | None
    period: str | None
    verdict: Verdict
    issues: list[Issue] = field(default_factory=list)
    late: bool = False
    source: str = ""
    received_at: datetime | None = None
    sender: str | None = None
    subject: str | None = None
    forwarded_by: str | None = None     # who sent the mail that carried the attached message it came in
    earlier: Verdict | None = None      # a duplicate: the verdict the same bytes got when first received
    resolved: bool = False              # a duplicate of a rejected file: the agency has an accepted file since

    @property
    def still_rejected(self) -> bool:
        """Rejected now, or a duplicate of a rejected file whose agency has no accepted file yet: exit code 1."""
        return self.verdict is Verdict.REJECTED or (self.earlier is Verdict.REJECTED and not self.resolved)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "file", "file": self.file, "sha256": self.sha256, "agency": self.agency, "period": self.period,
            "verdict": str(self.verdict), "late": self.late, "source": self.source,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "sender": self.sender, "forwarded_by": self.forwarded_by,
            "earlier_verdict": str(self.earlier) if self.earlier else None, "issues": _issues(self.issues),
        }


def _issues(issues: Iterable[Issue]) -> list[dict[str, str]]:
    return [{"code": str(i.code), "severity": str(i.severity), "sheet": i.sheet, "cell": i.cell,
             "message": i.message} for i in issues]


def note_dict(note: MailNote) -> dict[str, Any]:
    """A mail's note in `--json`: beside the files, with the keys they share (no file, no verdict)."""
    return {"kind": "mail", "file": None, "sha256": None, "agency": None, "period": None, "verdict": None,
            "late": False, "source": note.source, "received_at": note.received_at.isoformat(),
            "sender": note.sender, "subject": note.subject, "unread": list(note.unread),
            "issues": _issues(note.issues)}


@dataclass
class CollectResult:
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[MailNote] = field(default_factory=list)

    @property
    def rejected(self) -> int:
        """Files rejected now, and duplicates of rejected files not made good since (as the first time)."""
        return sum(1 for o in self.outcomes if o.still_rejected)

    @property
    def duplicates(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict is Verdict.DUPLICATE]

    @property
    def new(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.verdict is not Verdict.DUPLICATE]

    def to_list(self) -> list[dict[str, Any]]:
        """What `collect --json` and `check --json` print: every file, then every mail's note."""
        return [o.to_dict() for o in self.outcomes] + [note_dict(n) for n in self.notes]


@dataclass(frozen=True)
class MailOptions:
    """How to read mailboxes: the password callback is asked once per mailbox, never stored. Without a CA
    file the workspace's mail.imap_cafile is used."""

    password_for: Callable[[ImapTarget], str] | None = None
    since: date | None = None
    mark_seen: bool = False
    cafile: Path | None = None


Source = str | Path | ImapTarget
Progress = Callable[[int], None]      # told how many files have been checked so far
BATCH = 500  # files checked and recorded per transaction (also what is held in memory at once)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def rules_for(ws: Workspace, period: Period | None) -> Rules:
    """What files are checked against: the plan over all years, the deadlines, and for each period that may
    be claimed the tasks done before it (not asked again)."""
    deadlines = {pid: settings.deadline for pid, settings in ws.config.periods.items()}
    periods = [period] if period else [ws.period(pid) for pid in sorted(ws.config.periods)]
    done = {p.id: history_of(ws, p).markers(ws.plan_for(p)) for p in periods}
    # the forms carry the plan's short reference ("Kế hoạch số …/KH-UBND"), as written on them
    plans = {ws.config.plan_short, *(ws.config_for(ws.period(pid)).plan_short for pid in ws.config.periods)}
    return Rules(ws.plan, ws.config.limits, period.id if period else None, deadlines, done, frozenset(plans))


def resolve_sources(ws: Workspace, sources: Iterable[Source]) -> list[Path | ImapTarget]:
    """Files, folders and mailbox addresses; a relative path that does not exist here is taken relative to
    the workspace (so "input/inbox" works from anywhere)."""
    out: list[Path | ImapTarget] = []
    for source in sources:
        if isinstance(source, ImapTarget):
            out.append(source)
            continue
        mailbox = parse_imap_url(str(source))
        path = Path(source)
        if mailbox is not None:
            out.append(mailbox)
        elif path.exists():
            out.append(path)
        elif not path.is_absolute() and (ws.root / path).exists():
            out.append(ws.root / path)
        else:
            raise UsageError(f"Không tìm thấy tệp hoặc thư mục “{source}”.")
    return out


def _arrival(item: Incoming) -> Arrival:
    return Arrival(item.received_at, item.sender, item.forwarded_by, item.forwarded_at)


def _outcome(item: Incoming, sha256: str, validation: Validation) -> Outcome:
    return Outcome(item.name, sha256, validation.agency, validation.period, validation.verdict,
                   validation.issues, validation.late, item.source, item.received_at, item.sender, item.subject,
                   item.forwarded_by)


def check_files(ws: Workspace, sources: Iterable[Source], period: Period | None = None) -> CollectResult:
    """Validate without storing anything; the verdict is the one collect would give."""
    result = CollectResult()
    paths = [p for p in resolve_sources(ws, sources) if isinstance(p, Path)]
    items = list(iter_sources(paths, other_periods(period)))
    result.notes = [i for i in items if isinstance(i, MailNote)]
    incoming = [i for i in items if isinstance(i, Incoming)]
    jobs = [Job(n, item.name, item.data, _arrival(item)) for n, item in enumerate(incoming)]
    for job, validation in validate_jobs(jobs, rules_for(ws, period)):
        item = incoming[job.index]
        result.outcomes.append(_outcome(item, _sha256(item.data), validation))
    result.notes += version_notes(result.outcomes)
    return result


def other_periods(period: Period | None) -> Callable[[Path], bool]:
    """A folder named after another period (input/inbox/2025/ while collecting 2024) holds that period's files:
    collecting a parent folder does not enter it."""
    def skip(folder: Path) -> bool:
        try:
            return period is not None and parse_period(folder.name).id != period.id
        except PlanreportsError:
            return False
    return skip


def _items(ws: Workspace, ledger: Ledger, target: Path | ImapTarget, mail: MailOptions, period: Period
           ) -> Iterator[Incoming | MailNote | MailDone]:
    if isinstance(target, Path):
        return iter_sources([target], other_periods(period))
    if mail.password_for is None:
        raise UsageError("Cần mật khẩu hộp thư để đọc " + target.mailbox)
    cafile = mail.cafile or ws.resolve(ws.config.mail.imap_cafile)
    return fetch(target, mail.password_for(target), ledger.seen_mail(target.mailbox), mail.since, mail.mark_seen,
                 cafile=cafile)


def _batches(items: Iterator[Incoming | MailNote | MailDone]) -> Iterator[list[Incoming | MailNote | MailDone]]:
    """Batches of about BATCH files. A mailbox's batch ends only after a MailDone: the mark that a message was
    processed is recorded in the same transaction as the message's files."""
    batch: list[Incoming | MailNote | MailDone] = []
    files = 0
    for item in items:
        batch.append(item)
        files += isinstance(item, Incoming)
        at_boundary = isinstance(item, MailDone) or (isinstance(item, Incoming) and item.source_kind != "imap")
        if files >= BATCH and at_boundary:
            yield batch
            batch, files = [], 0
    yield batch


def collect(ws: Workspace, sources: Iterable[Source], period: Period, progress: Progress | None = None,
            mail: MailOptions | None = None) -> CollectResult:
    """Check, archive and record every new file below `sources` (files, folders, saved mail, mailboxes)."""
    result = CollectResult()
    targets = resolve_sources(ws, sources)
    rules = rules_for(ws, period)   # loads (and checks) the lists before the archive is touched
    mail = mail or MailOptions()
    with (workspace_lock(ws.archive_dir), Ledger(ws.archive_dir) as ledger,
          WorkerPool(rules, ws.archive_dir) as pool):
        remove_stale_temp(ws.archive_dir)
        for target in targets:
            for batch in _batches(_items(ws, ledger, target, mail, period)):
                _collect_batch(ledger, pool, batch, period, result, progress)
        _resolve(ledger, result.duplicates)
    result.notes += version_notes(result.outcomes)
    return result


def _resolve(ledger: Ledger, duplicates: list[Outcome]) -> None:
    """Mark the duplicates of rejected files whose agency has sent an accepted file for that period since."""
    again = [o for o in duplicates if o.earlier is Verdict.REJECTED and o.agency]
    if again:
        accepted = ledger.accepted_agencies()
        for outcome in again:
            outcome.resolved = (outcome.agency, outcome.period) in accepted


def _collect_batch(ledger: Ledger, pool: WorkerPool, batch: list[Incoming | MailNote | MailDone],
                   period: Period, result: CollectResult, progress: Progress | None) -> None:
    """Validate the new files in worker processes; as each result arrives (in order) store the original,
    then commit its receipt — storing overlaps the workers' checking, and no receipt precedes its file."""
    digests = [_sha256(item.data) if isinstance(item, Incoming) else "" for item in batch]
    seen = ledger.known_digests([d for d in digests if d])
    fresh: dict[str, Job] = {}
    for item, sha256 in zip(batch, digests, strict=True):
        if isinstance(item, Incoming) and sha256 not in fresh and sha256 not in seen:
            relative = archive_relative(sha256, PurePosixPath(item.name).suffix)
            fresh[sha256] = Job(len(fresh), item.name, item.data, _arrival(item), relative)
    checked = pool.validate(list(fresh.values()))
    with ledger.transaction():
        for item, sha256 in zip(batch, digests, strict=True):
            if isinstance(item, MailDone):
                ledger.mark_mail(item.mailbox, item.uidvalidity, item.uid, item.message_id)
            elif isinstance(item, MailNote):
                result.notes.append(item)
                if any(issue.code is IssueCode.MAIL_NO_WORKBOOK for issue in item.issues):
                    ledger.record_note(_stored_note(item, period), datetime.now(VN_TZ).isoformat())
            elif fresh.pop(sha256, None) is None:
                result.outcomes.append(_duplicate(item, sha256, seen.get(sha256)))
            else:
                # fresh jobs were made in batch order and results come back in job order
                job, validation = next(checked)
                # a worker that timed out or died may not have archived the original: do it here then
                stored = job.store_to if validation.stored and job.store_to else ledger.store(
                    sha256, item.data, PurePosixPath(item.name).suffix)
                receipt = _receipt(item, sha256, stored, validation, period)
                ledger.record(receipt)
                # the same file again below
                seen[sha256] = Known(receipt.agency, receipt.period, receipt.late, receipt.verdict,
                                     receipt.issues if receipt.verdict is Verdict.REJECTED else ())
                result.outcomes.append(_outcome(item, sha256, validation))
            if progress is not None and isinstance(item, Incoming):
                progress(len(result.outcomes))
    checked.close()


def _stored_note(note: MailNote, period: Period) -> StoredNote:
    return StoredNote(period.id, note.source, note.received_at.isoformat(), note.sender, note.subject, note.unread,
                      note.issues, note.message_id)


def _duplicate(item: Incoming, sha256: str, earlier: Known | None) -> Outcome:
    """The same bytes again: nothing changes, and what the first file was told is recalled."""
    if earlier is None:
        return Outcome(item.name, sha256, None, None, Verdict.DUPLICATE, [], False, item.source, item.received_at,
                       item.sender, item.subject, item.forwarded_by)
    return Outcome(item.name, sha256, earlier.agency, earlier.period, Verdict.DUPLICATE, list(earlier.issues),
                   earlier.late, item.source, item.received_at, item.sender, item.subject, item.forwarded_by,
                   earlier.verdict)


def _receipt(item: Incoming, sha256: str, stored: str, validation: Validation, period: Period) -> Receipt:
    submission = validation.submission if validation.verdict is not Verdict.REJECTED else None
    return Receipt(
        sha256=sha256, file_name=item.name, source=item.source, source_kind=item.source_kind,
        received_at=item.received_at.isoformat(), collected_at=datetime.now(VN_TZ).isoformat(),
        agency=validation.agency, period=validation.period or period.id, verdict=validation.verdict,
        late=validation.late, issues=tuple(validation.issues),
        data=submission.to_dict() if submission else None, stored_path=stored,
        sender=item.sender, subject=item.subject, message_id=item.message_id,
    )
