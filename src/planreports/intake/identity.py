"""Who sent a returned form, and for which period: the hidden signature first, sheet "Thông tin" second.

A valid signature (sheet _meta, checksum intact) decides the agency and the period; the "Thông tin" sheet
must agree with it. Without a usable signature the agency is looked up by the code or name typed in "Thông
tin", with a warning; when neither works the file is rejected as unidentified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from planreports.findings import Findings, IssueCode
from planreports.form import schema
from planreports.intake.reader import WorkbookData, reraise_fatal
from planreports.intake.rows import cell
from planreports.plan.model import Agency, Assignment, Indicator, Plan
from planreports.plan.sheets import cell_ref, cell_text
from planreports.vn.text import fold

META_ROWS = 50     # the signature has seven rows; anything below is not ours
INFO_BY_FOLD = {fold(f.label): f.key for f in schema.INFO_FIELDS}
DEFAULT_CODE_CELL = f"B{schema.INFO_FIRST_ROW}"   # where "Mã đơn vị" sits in the form as written


class InfoCell(NamedTuple):
    value: str
    ref: str


Info = dict[str, InfoCell]
NOTHING = InfoCell("", "")


@dataclass(frozen=True)
class Identity:
    agency: Agency | None          # None: the file is rejected (the reason is a finding)
    claimed_period: str            # the period the file says it is for ("" when it does not say)


def read_meta(book: WorkbookData) -> dict[str, str]:
    """The signature's key/value rows; {} when the sheet is missing or unreadable."""
    if schema.SHEET_META not in book.sheet_names:
        return {}
    try:
        rows = book.rows(schema.SHEET_META, META_ROWS)
    except BaseException as exc:  # a damaged hidden sheet is the same as no signature
        reraise_fatal(exc)
        return {}
    return {cell_text(cell(rows, r, 0)): cell_text(cell(rows, r, 1)) for r in range(len(rows))}


def read_info(rows: list[list[Any]], text: Any) -> Info:
    """Key -> (value, cell) from sheet "Thông tin", found by the labels in column A, wherever they are.

    `text(ref, value)` cleans a cell's text (and reports legacy encodings)."""
    out: Info = {}
    for r in range(len(rows)):
        key = INFO_BY_FOLD.get(fold(cell_text(cell(rows, r, 0))))
        if key and key not in out:
            out[key] = InfoCell(text(cell_ref(1, r), cell(rows, r, 1)), cell_ref(1, r))
    return out


def signature_valid(meta: dict[str, str]) -> bool:
    return meta.get("app") == schema.APP_MARK and meta.get("checksum") == schema.signature_checksum(
        meta.get("template_version", ""), meta.get("agency", ""), meta.get("period", ""),
        meta.get("tasks", "").split(";"), meta.get("indicators", "").split(";"))


def _agency_from_info(plan: Plan, info: Info) -> Agency | None:
    code = info.get("agency_code", NOTHING).value
    if code in plan.agency_by_code:
        return plan.agency_by_code[code]
    name = fold(info.get("agency_name", NOTHING).value)
    if not name:
        return None
    return next((a for a in plan.agencies if name in (fold(a.name), fold(a.short))), None)


def _from_signature(plan: Plan, meta: dict[str, str], info: Info, sheets: dict[str, str],
                    findings: Findings) -> Identity:
    period = meta.get("period", "")
    if meta.get("template_version") != schema.TEMPLATE_VERSION:
        findings.add(IssueCode.TEMPLATE_UNKNOWN, schema.SHEET_META, "", version=meta.get("template_version"))
        return Identity(None, period)
    code = meta["agency"]
    written = info.get("agency_code", NOTHING)
    if written.value and written.value != code:
        findings.add(IssueCode.AGENCY_MISMATCH, sheets.get(schema.SHEET_INFO, schema.SHEET_INFO), written.ref,
                     signed=code, written=written.value)
        return Identity(None, period)
    if code not in plan.agency_by_code:
        findings.add(IssueCode.AGENCY_UNKNOWN, schema.SHEET_META, "", agency=code)
        return Identity(None, period)
    return Identity(plan.agency_by_code[code], period)


def check_active(view: Plan, agency: Agency, period: str, findings: Findings, info_sheet: str) -> bool:
    """An agency reports for a period only if it exists on the period's last day; a file from one that ended
    is refused, naming who took over its work."""
    if agency.code in view.agency_by_code:
        return True
    successors = view.successors_of(agency.code)
    said = (f"Các đơn vị kế thừa nhiệm vụ: {view.names(successors)}; đề nghị các đơn vị này báo cáo theo biểu mẫu "
            f"kỳ {period} của mình." if successors else "Không có đơn vị kế thừa trong danh mục.")
    until = f"{agency.valid.end:%d/%m/%Y}" if agency.valid.end else "?"
    findings.add(IssueCode.AGENCY_INACTIVE, info_sheet, "", agency=agency.code, name=agency.name, period=period,
                 until=until, successors=said)
    return False


# what an old form shows differently row by row: said once as "biểu mẫu cũ", not as a cascade of findings
OLD_FORM_CASCADE = frozenset({IssueCode.TASK_TEXT_EDITED, IssueCode.TASK_REORDERED, IssueCode.TASK_EXTRA_ROW,
                              IssueCode.TASK_NOT_ASSIGNED})


def check_outdated(rows: list[Assignment], indicators: Sequence[Indicator], meta: dict[str, str],
                   plans: frozenset[str], findings: Findings, sheets: tuple[str, str]) -> bool:
    """A signed form made before the lists or the settings changed is read by the current rows and told once
    that it is old; a form of another plan is refused (False). Forms made before the signature held the plan
    and the digest are judged by their task rows alone."""
    if not signature_valid(meta):
        return True
    info_sheet, task_sheet = sheets
    changed = meta.get("content", "") not in ("", schema.content_digest(rows, indicators))
    if meta.get("plan") and plans and meta["plan"] not in plans and changed:
        findings.add(IssueCode.FORM_OTHER_PLAN, info_sheet, "", plan=meta["plan"], current="; ".join(sorted(plans)))
        return False
    if changed or meta.get("tasks", "").split(";") != [a.task.id for a in rows]:
        findings.add(IssueCode.TEMPLATE_OUTDATED, task_sheet, "")
        findings.muted |= OLD_FORM_CASCADE
    return True


def identify(plan: Plan, meta: dict[str, str], info: Info, sheets: dict[str, str], findings: Findings) -> Identity:
    """The agency and the period the file claims; `sheets` maps the form's sheet names to the workbook's."""
    if signature_valid(meta):
        return _from_signature(plan, meta, info, sheets, findings)
    info_sheet = sheets.get(schema.SHEET_INFO, schema.SHEET_INFO)
    claimed = info.get("period", NOTHING).value
    agency = _agency_from_info(plan, info)
    if agency is None:
        findings.add(IssueCode.AGENCY_UNIDENTIFIED, info_sheet, "")
        return Identity(None, claimed)
    code_cell = info.get("agency_code", InfoCell("", DEFAULT_CODE_CELL)).ref
    signed = meta.get("app") == schema.APP_MARK
    findings.add(IssueCode.SIGNATURE_ALTERED if signed else IssueCode.SIGNATURE_MISSING, info_sheet, code_cell,
                 agency=agency.code, name=agency.name)
    return Identity(agency, claimed)


def settle_period(claimed: str, expected: str | None, findings: Findings, info_sheet: str) -> str | None:
    """The period the file counts for; None when it is for another period than the one collected."""
    if expected is None:
        return claimed or None
    if not claimed:
        findings.add(IssueCode.PERIOD_UNKNOWN, info_sheet, "", period=expected)
        return expected
    if claimed != expected:
        findings.add(IssueCode.PERIOD_MISMATCH, info_sheet, "", found=claimed, expected=expected)
        return None
    return claimed
