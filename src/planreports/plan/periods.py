"""Reporting periods per Nghị định 09/2019/NĐ-CP.

"2024"    annual:      15/12/2023 – 14/12/2024
"2024-H1" six-monthly: 15/12/2023 – 14/06/2024
"2024-H2" six-monthly: 15/06/2024 – 14/12/2024 (used when a body asks for the second half on its own)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from planreports.errors import UsageError

_PERIOD = re.compile(r"^(\d{4})(?:-(H1|H2))?$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Period:
    id: str
    year: int
    half: int | None
    start: date
    end: date

    @property
    def label(self) -> str:
        """Vietnamese name of the period, as used in templates and the report."""
        if self.half == 1:
            return f"6 tháng đầu năm {self.year}"
        if self.half == 2:
            return f"6 tháng cuối năm {self.year}"
        return f"năm {self.year}"

    @property
    def span(self) -> str:
        return f"từ ngày {self.start:%d/%m/%Y} đến ngày {self.end:%d/%m/%Y}"


def period_or_none(text: str) -> Period | None:
    """The period a text names, or None: a period claimed by a file may mean nothing."""
    try:
        return parse_period(text)
    except UsageError:
        return None


def parse_period(text: str) -> Period:
    match = _PERIOD.match(text.strip())
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise UsageError(
            f"Kỳ báo cáo “{text}” không hợp lệ. Ghi năm (ví dụ 2024) cho báo cáo năm, "
            "hoặc 2024-H1 cho báo cáo 6 tháng đầu năm."
        )
    year = int(match.group(1))
    half = {None: None, "H1": 1, "H2": 2}[match.group(2).upper() if match.group(2) else None]
    start = date(year - 1, 12, 15) if half in (None, 1) else date(year, 6, 15)
    end = date(year, 6, 14) if half == 1 else date(year, 12, 14)
    period_id = str(year) if half is None else f"{year}-H{half}"
    return Period(period_id, year, half, start, end)
