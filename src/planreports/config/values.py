"""The values planreports.toml may hold, each parsed with a message in Vietnamese, and its syntax errors told
the way an office clerk can act on ("dòng 12: ngày phải ghi dạng 2026-11-30")."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import Any


def as_text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("một chuỗi văn bản trong dấu ngoặc kép")
    return value


def as_texts(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise TypeError('một danh sách các chuỗi, ví dụ ["…", "…"]')
    return tuple(value)


def as_whole(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError("một số nguyên")
    return value


def as_flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true hoặc false")
    return value


def as_day(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):        # "30/11/2026" or "2026-11-30" in quotes, as the guide allows
        for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(value.strip(), pattern).date()
            except ValueError:
                continue
    raise TypeError("một ngày có thật, dạng 2024-12-10 (năm-tháng-ngày, không có ngoặc kép) hoặc \"10/12/2024\"")


# the themes proposals are grouped by (report.wording.THEMES, then "Khác"): the keys of proposal_addressees
PROPOSAL_THEMES = ("Kinh phí", "Nhân lực, cán bộ", "Cơ chế, hướng dẫn", "Cơ sở vật chất, hạ tầng",
                   "Phối hợp, cung cấp thông tin", "Kỹ năng, nghiệp vụ", "Khác")


def as_addressee_map(value: Any) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        raise TypeError('một bảng chủ đề = ["cơ quan", …], ví dụ "Kinh phí" = ["Bộ Tài chính"]')
    unknown = [str(theme) for theme in value if theme not in PROPOSAL_THEMES]
    if unknown:
        raise TypeError(f"một bảng có khoá là một trong các chủ đề {', '.join(f'“{t}”' for t in PROPOSAL_THEMES)} "
                        f"(“{unknown[0]}” không phải chủ đề)")
    return {str(theme): as_texts(bodies) for theme, bodies in value.items()}


def as_positive(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise TypeError("một số dương")
    return value


def as_count(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TypeError("một số nguyên không âm")
    return value


PLACEHOLDER = "«"     # a blank workspace's settings mark what the office must fill: "«Tên tỉnh, ví dụ: …»"


def placeholders(data: Any, prefix: str = "") -> list[str]:
    """The dotted keys whose value (or an item of it) is still a «placeholder»."""
    if isinstance(data, dict):
        return [key for name, value in data.items() for key in placeholders(value, f"{prefix}{name}.")]
    if isinstance(data, list):
        return [prefix[:-1]] if any(placeholders(item) for item in data) else []
    return [prefix[:-1] or "?"] if isinstance(data, str) and PLACEHOLDER in data else []


_WHERE = re.compile(r"\(at line (\d+), column (\d+)\)")
_DAY_FIRST = re.compile(r"=\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*(#.*)?$")


def syntax_message(path: Path, error: str) -> str:
    """A TOML mistake in Vietnamese, with the line; a day-first date (the lists use them) told how to write."""
    where = _WHERE.search(error)
    if not where:
        return f"{path} sai cú pháp ({error}). Kiểm tra dấu ngoặc kép và dấu “=”."
    number = int(where.group(1))
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    text = lines[number - 1].strip() if 0 < number <= len(lines) else ""
    day = _DAY_FIRST.search(text)
    if day:
        d, m, y = day.group(1), day.group(2), day.group(3)
        return (f"{path}, dòng {number}: “{text}”: ngày phải ghi dạng năm-tháng-ngày {y}-{int(m):02d}-{int(d):02d} "
                f"(không ngoặc kép), hoặc trong ngoặc kép \"{d}/{m}/{y}\".")
    return (f"{path}, dòng {number}: “{text}” sai cú pháp. Mỗi dòng có dạng khoá = giá trị: chữ trong ngoặc kép "
            "(\"…\"), số và ngày (2026-12-10) không ngoặc kép, danh sách trong [ ].")
