"""Dates and times the Vietnamese way: day first, Vietnam time, the decree's "ngày 05 tháng 02 năm 2025"."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7))  # Vietnam has no daylight saving time


def format_date(day: date) -> str:
    """05/12/2024."""
    return f"{day:%d/%m/%Y}"


def _moment(value: datetime | str) -> datetime:
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(VN_TZ) if moment.tzinfo is not None else moment


def format_datetime(value: object) -> str:
    """05/12/2024 10:15 in Vietnam time from a datetime or the ledger's ISO text; "" for anything else (None,
    a pandas NaN of a missing submission)."""
    if not isinstance(value, datetime | str) or not value:
        return ""
    return f"{_moment(value):%d/%m/%Y %H:%M}"


def format_time_of_day(value: datetime | str) -> str:
    """10:15 ngày 05/12/2024, as a letter says when something arrived."""
    moment = _moment(value)
    return f"{moment:%H:%M} ngày {moment:%d/%m/%Y}"


def decree_date(day: date | None, year: int) -> str:
    """"ngày 05 tháng 02 năm 2025": day < 10 and months 1, 2 take a leading zero (NĐ 30/2020); without a
    day, blanks for the văn thư to fill in by hand."""
    if day is None:
        return f"ngày      tháng      năm {year}"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def parse_date(text: str) -> date:
    """A day typed by a person: 30/11/2026 (day first, as Vietnam writes it) or 2026-11-30. ValueError with a
    Vietnamese message when it is not a date or the day does not exist (31/11)."""
    text = text.strip()
    if match := _DMY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    elif match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    else:
        year = 0
    if year < 1:
        raise ValueError(f"“{text}” không phải là ngày; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026.")
    if not 1 <= month <= 12:
        raise ValueError(f"không có ngày {text} (tháng ghi từ 1 đến 12, đứng sau ngày).")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"không có ngày {text} (tháng {month}/{year} chỉ có {last} ngày).")
    return date(year, month, day)
