"""Numbers as Vietnamese offices type them, and as the report prints them.

Reading: "1.200" is one thousand two hundred, "2,5" is two and a half, "1.234,5" both; spaces between digit
groups are allowed. Writing: thousands ".", decimals "," (Luật Kế toán), e.g. 1.234.567,5.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from enum import StrEnum


class NumberProblem(StrEnum):
    NOT_A_NUMBER = "value-not-a-number"
    NEGATIVE = "value-negative"
    NOT_INTEGER = "value-not-integer"
    DATE = "value-is-date"
    DOT_DECIMAL = "value-dot-decimal"      # "2.5": read as 2,5 with a warning


_VN_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^\d+(?:,\d+)?$")
_DOT_DECIMAL = re.compile(r"^\d+\.\d{1,2}$|^\d+\.\d{4,}$")


def parse_number(value: object) -> tuple[float | None, NumberProblem | None]:
    """(number, problem). A problem other than DOT_DECIMAL means the value is unusable."""
    if isinstance(value, bool):
        return None, NumberProblem.NOT_A_NUMBER
    if isinstance(value, datetime | date):
        return None, NumberProblem.DATE
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            return None, NumberProblem.NOT_A_NUMBER
        return (None, NumberProblem.NEGATIVE) if number < 0 else (number, None)
    text = str(value).strip().replace("\u00a0", " ")
    negative = text.startswith(("-", "−"))
    digits = re.sub(r"(?<=\d) (?=\d{3}\b)", "", text.lstrip("-−").strip())
    problem = None
    if _VN_THOUSANDS.match(digits) or _PLAIN.match(digits):
        number = float(digits.replace(".", "").replace(",", "."))
    elif _DOT_DECIMAL.match(digits):
        number, problem = float(digits), NumberProblem.DOT_DECIMAL
    else:
        return None, NumberProblem.NOT_A_NUMBER
    if negative and number != 0:
        return None, NumberProblem.NEGATIVE
    return number, problem


def format_number(value: float, decimals: int = 1) -> str:
    """1234567.5 -> "1.234.567,5"; integers print without decimals."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    text = f"{value:,.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
