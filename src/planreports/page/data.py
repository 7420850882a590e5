"""What the status page shows, as plain immutable data.

Everything here is already formatted for a Vietnamese reader (dates, numbers, labels): the renderer never
computes dates or reads the clock, so the same data always gives the same page, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnitState(StrEnum):
    """Where a reporting unit stands in the round; the order is the order the page shows."""

    ON_TIME = "on_time"
    LATE = "late"
    REJECTED = "rejected"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class PageFinding:
    severity: str           # "error" | "warning"
    code: str               # stable English code, e.g. "status-missing"; kept out of the visible text
    sheet: str              # "" when the finding is about the whole file
    cell: str               # "" when the finding is about a whole sheet
    message: str            # Vietnamese, untrusted (may quote the agency's own text)


@dataclass(frozen=True, slots=True)
class PageUnit:
    code: str
    name: str
    bloc: str                       # "Sở, ngành", "Địa phương", "Báo chí", ...
    state: UnitState
    received_at: str | None         # already formatted, e.g. "05/12/2024 10:15"
    verdict_label: str | None       # "Đạt", "Đạt, có cảnh báo", "Không đạt"
    findings: tuple[PageFinding, ...]
    feedback_href: str | None       # relative link, e.g. "phan-hoi/STP.eml"


@dataclass(frozen=True, slots=True)
class PageMail:
    """A received mail that brought no workbook: kept on the page until the office answers it."""

    received_at: str                # already formatted
    sender: str | None              # untrusted
    agency_hint: str | None         # "Sở Xây dựng (SXD)": whose e-mail in the lists sent it
    subject: str | None             # untrusted
    what: str                       # what it had instead, in words (names untrusted)


@dataclass(frozen=True, slots=True)
class PageUnidentified:
    """A received file no agency could be identified from: kept on the page until the office deals with it."""

    file: str                       # untrusted (the sender's name for it)
    received_at: str                # already formatted
    sender: str | None              # the mail's From, untrusted; None for a file saved in a folder
    agency_hint: str | None         # "Sở Xây dựng (SXD)": whose e-mail in the lists sent it
    findings: tuple[PageFinding, ...]


@dataclass(frozen=True, slots=True)
class GroupProgress:
    group_id: str                          # the plan's own numbering, e.g. "1"
    title: str
    counts: tuple[tuple[str, int], ...]    # (overall status key, number of tasks) in display order


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    code: str
    name: str
    unit: str
    total: str                  # preformatted, e.g. "1.234"
    previous: str | None        # preformatted; None when the previous period has no figure
    change: str | None          # preformatted, e.g. "tăng 12,5%"


@dataclass(frozen=True, slots=True)
class PageData:
    title: str                  # e.g. "Tình hình báo cáo thực hiện Kế hoạch số 45/KH-UBND năm 2027"
    period_label: str           # "năm 2024"
    period_span: str            # "từ ngày 15/12/2023 đến ngày 14/12/2024"
    deadline: str               # "10/12/2024"
    days_left: int              # negative once the deadline passed
    generated_at: str           # "26/11/2026 14:05"
    units: tuple[PageUnit, ...]
    state_labels: tuple[tuple[UnitState, str], ...]
    overall_labels: tuple[tuple[str, str], ...]     # task overall status key -> label, display order
    task_groups: tuple[GroupProgress, ...]
    indicators: tuple[IndicatorLine, ...]
    previous_period_label: str | None               # "năm 2023", or None when there is nothing to compare
    links: tuple[tuple[str, str], ...]              # (label, relative href)
    blanks: tuple[str, ...] = ()                    # what the office must still fill in the report
    unidentified: tuple[PageUnidentified, ...] = ()  # received files no agency could be identified from
    mails: tuple[PageMail, ...] = ()                 # received mails that brought no workbook
