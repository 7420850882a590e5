"""Validation findings as data (frictionless style): every check appends, nothing raises.

Each finding has a stable English code (IssueCode), a severity and a Vietnamese message that names where the
problem is and how to fix it. The message texts live here, in one catalogue, so wording stays consistent. A
file's verdict follows from its findings alone.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from planreports.catalogue import CATALOGUE, IssueCode, Severity

__all__ = ["VERDICT_LABELS", "Findings", "Issue", "IssueCode", "Severity", "Verdict", "make_issue", "verdict_of"]


class Verdict(StrEnum):
    """What became of one received file."""

    ACCEPTED = "accepted"        # Đạt
    WARNING = "warning"          # Đạt, có cảnh báo
    REJECTED = "rejected"        # Không đạt
    DUPLICATE = "duplicate"      # the same bytes were received before: nothing changes


VERDICT_LABELS = {
    Verdict.ACCEPTED: "Đạt",
    Verdict.WARNING: "Đạt, có cảnh báo",
    Verdict.REJECTED: "Không đạt",
    Verdict.DUPLICATE: "Trùng (đã nhận trước đó)",
}


@dataclass(frozen=True, slots=True)
class Issue:
    code: IssueCode
    severity: Severity
    message: str
    file: str = ""
    sheet: str = ""
    cell: str = ""
    debug: str = ""         # technical detail for the office (a traceback), shown with --debug only

    def where(self) -> str:
        """'sheet “Số liệu”, ô D4' as users read it (terminal, feedback e-mail, status page)."""
        return ", ".join(p for p in (f"sheet “{self.sheet}”" if self.sheet else "",
                                     f"ô {self.cell}" if self.cell else "") if p)

    def location(self) -> str:
        return ", ".join(p for p in (self.file, self.where()) if p) or "(chung)"

    def to_dict(self) -> dict[str, Any]:
        out = {"code": str(self.code), "severity": str(self.severity), "message": self.message,
               "file": self.file, "sheet": self.sheet, "cell": self.cell}
        if self.debug:
            out["debug"] = self.debug
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Issue:
        return cls(IssueCode(data["code"]), Severity(data["severity"]), data["message"], data.get("file", ""),
                   data.get("sheet", ""), data.get("cell", ""), data.get("debug", ""))


def verdict_of(issues: Iterable[Issue]) -> Verdict:
    """Any error rejects the file; warnings alone accept it with warnings; notes change nothing."""
    severities = {issue.severity for issue in issues}
    if Severity.ERROR in severities:
        return Verdict.REJECTED
    return Verdict.WARNING if Severity.WARNING in severities else Verdict.ACCEPTED


def make_issue(issue_code: IssueCode, /, *, file: str = "", sheet: str = "", cell: str = "", debug: str = "",
               **values: Any) -> Issue:
    """Build an Issue from the catalogue; a placeholder missing from `values` is a programming error."""
    severity, template = CATALOGUE[issue_code]
    return Issue(issue_code, severity, template.format(**values), file, sheet, cell, debug)


MAX_PER_CODE = 20   # findings of one code listed per file; the rest are counted in one findings-truncated


class Findings:
    """The findings about one file, collected as checks run (checks append, never raise).

    A flood of one kind (a thousand stray rows) is summarised here, where findings are collected, so every
    output (terminal, --json, feedback mail, ledger, status page) shows the same: the first MAX_PER_CODE
    findings of a code, then one findings-truncated saying how many more there are, kept up to date in
    place as more arrive."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.issues: list[Issue] = []
        self.counts: dict[IssueCode, int] = {}
        self.summaries: dict[IssueCode, tuple[int, str]] = {}   # code -> (index in issues, sheet)
        self.muted: set[IssueCode] = set()   # codes a finding already said for the whole file (an old form)

    def add(self, code: IssueCode, sheet: str = "", cell: str = "", /, **values: Any) -> None:
        if code in self.muted:
            return
        count = self.counts[code] = self.counts.get(code, 0) + 1
        if count <= MAX_PER_CODE:
            self.issues.append(make_issue(code, file=self.file, sheet=sheet, cell=cell, **values))
            return
        index, where = self.summaries.get(code, (len(self.issues), sheet))
        where = where if where == sheet else ""   # the sheet, while every one left out is in the same sheet
        summary = make_issue(IssueCode.FINDINGS_TRUNCATED, file=self.file, sheet=where, count=count - MAX_PER_CODE,
                             code=str(code))
        if code in self.summaries:
            self.issues[index] = summary
        else:
            self.issues.append(summary)
        self.summaries[code] = (index, where)
