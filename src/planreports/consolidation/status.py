"""`planreports status`: per agency, whether and when it submitted, the verdict, and who is missing; and the
rejected files no agency could be identified from (a PDF, a Word file, a workbook that cannot be read), which
belong to no agency's line but must not vanish: shown with their sender, named when the lists know the address."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from planreports.findings import Issue, Verdict
from planreports.ledger import Ledger, Receipt, Sent, SentKind
from planreports.plan.model import Agency
from planreports.plan.periods import Period
from planreports.progress.rules import SubmissionState, counts, latest_accepted, submission_state
from planreports.workspace import Workspace

MAIL_SOURCES = ("eml", "msg", "mbox", "maildir", "imap")


@dataclass(frozen=True)
class AgencyStatus:
    code: str
    name: str
    state: SubmissionState
    received_at: str | None
    verdict: Verdict | None         # of the receipt in use, else of the latest rejected one
    issues: tuple[Issue, ...]
    late: bool
    file: str | None
    source: str | None              # "tệp …" or "thư của … ngày …"
    sender: str | None
    receipts: int                   # how many distinct files were received
    feedback_at: str | None = None  # when the last feedback was written or sent
    reminded_at: str | None = None

    @property
    def submitted(self) -> bool:
        """An accepted file (possibly with warnings) is in use."""
        return self.state in (SubmissionState.ON_TIME, SubmissionState.LATE)

    def to_dict(self) -> dict[str, Any]:
        return {"state": str(self.state), "submitted": self.submitted, "received_at": self.received_at,
                "verdict": str(self.verdict) if self.verdict else None, "issues": len(self.issues),
                "late": self.late, "file": self.file, "source": self.source, "sender": self.sender,
                "receipts": self.receipts, "name": self.name, "feedback_at": self.feedback_at,
                "reminded_at": self.reminded_at}


def _source(receipt: Receipt) -> str:
    if receipt.source_kind in MAIL_SOURCES:
        return f"thư của {receipt.sender or '?'}"
    return f"tệp {receipt.source}"


def _status(code: str, name: str, receipts: list[Receipt], sent: dict[tuple[SentKind, str], str]) -> AgencyStatus:
    used = latest_accepted(receipts)
    rejected = {code} if any(r.verdict is Verdict.REJECTED for r in receipts) else set()
    state = submission_state(code, used, rejected)
    accepted = [r for r in receipts if counts(r)]
    shown = accepted[-1] if accepted else (receipts[-1] if receipts else None)
    feedback, reminded = sent.get((SentKind.FEEDBACK, code)), sent.get((SentKind.REMINDER, code))
    if shown is None:
        return AgencyStatus(code, name, state, None, None, (), False, None, None, None, 0, feedback, reminded)
    return AgencyStatus(code, name, state, shown.received_at, shown.verdict, shown.issues, shown.late,
                        shown.file_name, _source(shown), shown.sender, len(receipts), feedback, reminded)


def statuses_from(names: list[tuple[str, str]], receipts: list[Receipt], sent: list[Sent]) -> list[AgencyStatus]:
    """Plain-data core: (code, name) of the expected agencies, the period's receipts (oldest first) and what
    was sent to them."""
    by_agency: dict[str, list[Receipt]] = {}
    for receipt in receipts:
        if receipt.agency:
            by_agency.setdefault(receipt.agency, []).append(receipt)
    last_sent = {(item.kind, item.agency): item.created_at for item in sent if item.agency}
    return [_status(code, name, by_agency.get(code, []), last_sent) for code, name in names]


def period_status(ws: Workspace, period: Period) -> list[AgencyStatus]:
    receipts: list[Receipt] = []
    sent: list[Sent] = []
    if ws.ledger_path.exists():
        with Ledger(ws.archive_dir) as ledger:
            receipts, sent = ledger.receipts(period.id), ledger.sent(period.id)
    names = [(a.code, a.short) for a in ws.plan_for(period).reporting_agencies]
    return statuses_from(names, receipts, sent)


@dataclass(frozen=True)
class UnidentifiedFile:
    """A received file no agency could be identified from ("tệp không xác định được đơn vị")."""

    file: str
    received_at: str
    source: str                     # "tệp …" or "thư của …"
    sender: str | None
    agency: str | None              # the agency whose e-mail in input/don-vi.xlsx sent it, if any
    agency_name: str | None
    issues: tuple[Issue, ...]
    path: str = ""                  # the file or saved mail it came from, as collected

    def to_dict(self) -> dict[str, Any]:
        return {"file": self.file, "received_at": self.received_at, "source": self.source, "sender": self.sender,
                "agency_by_sender": self.agency, "agency_name": self.agency_name,
                "issues": [{"code": str(i.code), "severity": str(i.severity), "sheet": i.sheet, "cell": i.cell,
                            "message": i.message} for i in self.issues]}


def _by_sender(agencies: Sequence[Agency]) -> Callable[[str | None], Agency | None]:
    """The agency whose e-mail in the lists a sender's address is (a hint: addresses can be spoofed)."""
    by_address = {a.email.strip().lower(): a for a in agencies if a.email.strip()}

    def agency_of(sender: str | None) -> Agency | None:
        address = parseaddr(sender or "")[1].strip().lower()
        return by_address.get(address) if address else None
    return agency_of


def unidentified_from(receipts: Sequence[Receipt], agencies: Sequence[Agency]) -> list[UnidentifiedFile]:
    """Plain-data core: the receipts without an agency (oldest first); a sender whose address is an agency's
    e-mail in the lists names that agency (a hint: addresses can be spoofed, the file itself decides)."""
    agency_of = _by_sender(agencies)
    found = []
    for receipt in receipts:
        if receipt.agency is not None:
            continue
        agency = agency_of(receipt.sender)
        found.append(UnidentifiedFile(receipt.file_name, receipt.received_at, _source(receipt), receipt.sender,
                                      agency.code if agency else None, agency.short if agency else None,
                                      receipt.issues, receipt.source))
    return found


def unidentified_files(ws: Workspace, period: Period) -> list[UnidentifiedFile]:
    """The period's received files that no agency could be identified from."""
    if not ws.ledger_path.exists():
        return []
    with Ledger(ws.archive_dir) as ledger:
        receipts = ledger.unidentified(period.id)
    return unidentified_from(receipts, ws.plan_for(period).agencies)


@dataclass(frozen=True)
class MailWithoutForm:
    """A received mail that brought no workbook ("thư không kèm biểu mẫu"): a request for more time, a link
    instead of the file, an attachment that holds no workbook."""

    received_at: str
    sender: str | None
    agency: str | None              # the agency whose e-mail in input/don-vi.xlsx sent it, if any
    agency_name: str | None
    subject: str | None
    unread: tuple[str, ...]         # the attachments it had, none a workbook
    source: str

    @property
    def what(self) -> str:
        """What the mail had instead, in words."""
        if not self.unread:
            return "không có tệp đính kèm"
        return "tệp đính kèm không phải biểu mẫu: " + ", ".join(f"“{name}”" for name in self.unread)

    def to_dict(self) -> dict[str, Any]:
        return {"received_at": self.received_at, "sender": self.sender, "agency_by_sender": self.agency,
                "agency_name": self.agency_name, "subject": self.subject, "unread": list(self.unread),
                "source": self.source}


def mails_without_forms(ws: Workspace, period: Period) -> list[MailWithoutForm]:
    """The period's received mails that brought no workbook, oldest first, but those from an agency that has sent
    an accepted workbook since."""
    if not ws.ledger_path.exists():
        return []
    with Ledger(ws.archive_dir) as ledger:
        notes, accepted_at = ledger.notes(period.id), ledger.latest_accepted(period.id)
    # answered by deeds: a mail from an agency that has sent an accepted workbook since is no longer listed
    agency_of = _by_sender(ws.plan_for(period).agencies)
    found = []
    for note in notes:
        agency = agency_of(note.sender)
        if agency is not None and accepted_at.get(agency.code, "") > note.received_at:
            continue
        found.append(MailWithoutForm(note.received_at, note.sender, agency.code if agency else None,
                                     agency.short if agency else None, note.subject, note.unread, note.source))
    return found
