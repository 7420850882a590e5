"""Reading single cells of a returned form: text, figures and the status dropdown, each with its findings.

Every function takes the raw cell value (as python-calamine gives it) and a Findings collector; none of them
knows about rows or sheets beyond the names it reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from planreports.findings import Findings, IssueCode
from planreports.form.schema import STATUSES
from planreports.intake.sheetxml import SheetFacts
from planreports.plan.model import Indicator, NumberType, Role
from planreports.plan.sheets import cell_text
from planreports.vn.legacy import detect_and_convert
from planreports.vn.numerals import NumberProblem, format_number, parse_number
from planreports.vn.text import fold

SHOWN_CHARS = 60   # a converted legacy text is quoted in the finding up to this length
_STATUS_BY_FOLD = {fold(s): s for s in STATUSES}


@dataclass(frozen=True)
class CellReader:
    findings: Findings
    max_chars: int

    def text(self, sheet: str, ref: str, value: Any) -> str:
        """Clean NFC text of a cell; legacy encodings converted with a warning; over-long text refused."""
        text = cell_text(value)
        if len(text) > self.max_chars:
            self.findings.add(IssueCode.CELL_TOO_LONG, sheet, ref, length=len(text), limit=self.max_chars)
            return ""
        converted, encoding = detect_and_convert(text)
        if encoding is not None:
            shown = converted if len(converted) <= SHOWN_CHARS else converted[:SHOWN_CHARS - 3] + "…"
            self.findings.add(IssueCode.TEXT_LEGACY_ENCODING, sheet, ref, ref=ref, encoding=encoding.value,
                              text=shown)
        return converted

    def unusable(self, sheet: str, ref: str, facts: SheetFacts) -> bool:
        """Error values and formulas without a cached value make a cell unusable."""
        if ref in facts.error_cells:
            self.findings.add(IssueCode.CELL_ERROR_VALUE, sheet, ref)
            return True
        if ref in facts.formulas_without_value:
            self.findings.add(IssueCode.CELL_FORMULA_NO_VALUE, sheet, ref)
            return True
        return False

    def number(self, sheet: str, ref: str, raw: Any, indicator: Indicator) -> float | None:
        """A figure read the Vietnamese way ("1.200" is 1200, "2,5" is 2.5); None when unusable."""
        shown = cell_text(raw)
        if shown == "":
            self.findings.add(IssueCode.VALUE_MISSING, sheet, ref, code=indicator.code, name=indicator.name)
            return None
        number, problem = parse_number(raw if not isinstance(raw, str) else self.text(sheet, ref, raw))
        if problem is NumberProblem.DOT_DECIMAL:
            self.findings.add(IssueCode(problem), sheet, ref, code=indicator.code, value=shown,
                              number=format_number(number or 0, 4))
        elif problem is not None:
            self.findings.add(IssueCode(problem), sheet, ref, code=indicator.code, value=shown)
            return None
        if number is not None and indicator.type is NumberType.INTEGER and not number.is_integer():
            self.findings.add(IssueCode.VALUE_NOT_INTEGER, sheet, ref, code=indicator.code, unit=indicator.unit,
                              value=format_number(number, 4))
            return None
        return number

    def status(self, sheet: str, ref: str, value: str, typed: Any, role: Role, task_id: str) -> str:
        """`value` is the cleaned text, `typed` the cell as typed: any difference (case, spacing, NFD,
        missing diacritics) is normalized with a warning so the agency learns to use the dropdown."""
        if not value:
            if role is Role.LEAD:
                self.findings.add(IssueCode.STATUS_MISSING, sheet, ref, task=task_id)
            return ""
        if value in STATUSES and typed == value:
            return value
        status = _STATUS_BY_FOLD.get(fold(value).strip(" .;"))
        if status is None:
            self.findings.add(IssueCode.STATUS_INVALID, sheet, ref, value=value)
            return ""
        self.findings.add(IssueCode.STATUS_NORMALIZED, sheet, ref, value=value, status=status)
        return str(status)
