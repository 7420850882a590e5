"""Two versions of one agency's workbook in one mail: which one counts, said to the office.

A reply that attaches the earlier mail carries the old workbook (inside the attached message) and the new one
(attached directly). The old one is dated by the message it came in, never later than the mail that carried
it, and the mail's own attachments come after it (mailparts.Parts.ordered), so the ledger's rule (the latest
accepted receipt counts) takes the new one. This module names, per mail and agency, which file that is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Protocol

from planreports.findings import IssueCode, Verdict, make_issue
from planreports.intake.sources import MailNote
from planreports.vn.dates import VN_TZ, format_datetime


class Received(Protocol):
    """What the rule needs of one received file (collect's Outcome)."""

    @property
    def file(self) -> str: ...
    @property
    def agency(self) -> str | None: ...
    @property
    def verdict(self) -> Verdict: ...
    @property
    def source(self) -> str: ...
    @property
    def received_at(self) -> datetime | None: ...
    @property
    def sender(self) -> str | None: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def forwarded_by(self) -> str | None: ...


def _moment(item: Received) -> float:
    return item.received_at.timestamp() if item.received_at else 0.0


def _where(item: Received) -> str:
    if item.forwarded_by is None:
        return "đính kèm trực tiếp trong thư"
    return f"trong thư gốc gửi lúc {format_datetime(item.received_at)}"


def _note(items: Sequence[Received]) -> MailNote | None:
    """The note for one mail's files of one agency (in the order they were recorded), if there are two."""
    if len(items) < 2:
        return None
    counting = [item for item in items if item.verdict is not Verdict.REJECTED]
    if not counting:
        return None                      # every version was rejected: each says so itself
    taken = max(counting, key=lambda item: (_moment(item), items.index(item)))
    newer_rejected = [item for item in items if item is not taken and item.verdict is Verdict.REJECTED
                      and items.index(item) > items.index(taken)]
    why = _where(taken) + (", vì bản mới hơn không đạt" if newer_rejected else ", là bản mới nhất")
    others = ", ".join(f"bản “{item.file}” ({_where(item)}"
                       + ("; không đạt)" if item.verdict is Verdict.REJECTED else ")")
                       for item in items if item is not taken)
    issue = make_issue(IssueCode.MAIL_VERSIONS, count=len(items), agency=taken.agency, taken=taken.file, why=why,
                       others=others)
    last = max(items, key=_moment)
    return MailNote(taken.source, last.sender, last.subject, last.received_at or datetime.now(VN_TZ), (issue,))


def version_notes(received: Iterable[Received]) -> list[MailNote]:
    """One note per mail and agency that came with more than one workbook (duplicates of earlier files and
    files of no agency aside)."""
    groups: dict[tuple[str, str], list[Received]] = {}
    for item in received:
        if item.agency is not None and item.verdict is not Verdict.DUPLICATE:
            groups.setdefault((item.source, item.agency), []).append(item)
    return [note for items in groups.values() if (note := _note(items)) is not None]
