"""Deadlines of plan tasks as structured data.

A task either recurs (thường xuyên, hằng năm, hằng năm và đột xuất) or has a due point. The parser reads the
plan's own phrases; "trước tháng 12/2024" is read strictly: due by 30/11/2024.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from planreports.vn.text import fold


class Rhythm(StrEnum):
    CONTINUOUS = "thuong-xuyen"
    ANNUAL = "hang-nam"
    ANNUAL_ADHOC = "hang-nam-dot-xuat"


@dataclass(frozen=True, slots=True)
class Deadline:
    text: str
    rhythm: Rhythm | None = None
    start: date | None = None
    due: date | None = None

    @property
    def recurring(self) -> bool:
        return self.rhythm is not None

    def passed_by(self, day: date) -> bool:
        """True when a one-off task's due point is on or before `day`."""
        return self.due is not None and self.due <= day


class DeadlineError(ValueError):
    pass


_BEFORE_MONTH = re.compile(r"truoc thang (\d{1,2})\s*/\s*(\d{4})")
_YEAR_RANGE = re.compile(r"(?:nam )?(\d{4})\s*[-–—]\s*(\d{4})")
_IN_YEAR = re.compile(r"(?:trong )?nam (\d{4})")
_YEAR_ONLY = re.compile(r"^(\d{4})$")


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def parse_deadline(text: str) -> Deadline:
    """Structure a deadline phrase; raises DeadlineError when it cannot be understood."""
    key = fold(text)
    if not key:
        raise DeadlineError(text)
    if "thuong xuyen" in key:
        return Deadline(text, Rhythm.CONTINUOUS)
    if "hang nam" in key or "hng nam" in key:
        adhoc = "dot xuat" in key
        return Deadline(text, Rhythm.ANNUAL_ADHOC if adhoc else Rhythm.ANNUAL)
    if match := _BEFORE_MONTH.search(key):
        month, year = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise DeadlineError(text)
        due = _last_day(year - 1, 12) if month == 1 else _last_day(year, month - 1)
        return Deadline(text, due=due)
    if match := _YEAR_RANGE.search(key):
        first, last = int(match.group(1)), int(match.group(2))
        if last < first:
            raise DeadlineError(text)
        return Deadline(text, start=date(first, 1, 1), due=date(last, 12, 31))
    if (match := _IN_YEAR.search(key)) or (match := _YEAR_ONLY.match(key)):
        year = int(match.group(1))
        return Deadline(text, start=date(year, 1, 1), due=date(year, 12, 31))
    raise DeadlineError(text)
