"""The parts every official letter shares (Nghị định 30/2020): issuer header, number and date line, "Kính gửi",
"Nơi nhận" and the signature block. The report and the công văn đôn đốc both fill their templates from here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from planreports.config import Config
from planreports.vn.dates import decree_date

BLANK_NUMBER = "     "   # the văn thư writes the number by hand until the period's setting has one


def listed(items: Sequence[str]) -> list[str]:
    """One recipient per line, each ending in ";" unless it already ends a sentence."""
    return [item if item.endswith((";", ".")) else f"{item};" for item in items]


def addressees(items: Sequence[str]) -> list[str]:
    """The "Kính gửi" lines: ";" after each, "." after the last."""
    lines = listed(items)
    if lines:
        lines[-1] = lines[-1].rstrip(";") + "."
    return lines


def recipients(config: Config, extra: Sequence[str], with_addressees: bool) -> list[str]:
    """"Nơi nhận": "Như trên;" when there is a "Kính gửi", the given lines, and the archive mark last."""
    lines = ["Như trên;"] if with_addressees else []
    return [*lines, *listed(extra), config.archive_mark]


def letter_fields(config: Config, number: str, symbol: str, day: date | None, year: int) -> dict[str, Any]:
    """The header and signature fields of a letter (the template's {{ … }} of the same names)."""
    return {
        "issuer_parent": config.parent_line, "issuer_lines": list(config.issuer_lines),
        "number": number or BLANK_NUMBER, "symbol": symbol, "place": config.place,
        "date_line": decree_date(day, year),
        "signer_lines": [line for line in (config.signer_authority, *config.signer_titles) if line],
        "signer_name": config.signer_name,
    }
