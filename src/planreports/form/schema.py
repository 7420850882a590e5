"""The agency form, defined once: the template writer and the validator both read this module.

Sheet names, column titles, the status choices, the identity fields of the hidden signature and the
template version live here and nowhere else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from planreports.plan.sheets import Column, TableSpec

TEMPLATE_VERSION = "1"
APP_MARK = "planreports"

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_TASKS = "Nhiệm vụ"
SHEET_FIGURES = "Số liệu"
SHEET_META = "_meta"            # very hidden: signature and dropdown lists

STATUS_DONE = "Hoàn thành"
STATUS_ONGOING = "Đang thực hiện"
STATUS_NOT_STARTED = "Chưa thực hiện"
STATUS_NOT_APPLICABLE = "Không phát sinh"
STATUSES = (STATUS_DONE, STATUS_ONGOING, STATUS_NOT_STARTED, STATUS_NOT_APPLICABLE)

TASK_TABLE = TableSpec(SHEET_TASKS, (
    Column("task_id", "Mã nhiệm vụ", 9, True, False, True),
    Column("text", "Nội dung nhiệm vụ", 48, True, True, True),
    Column("role", "Vai trò", 10, True, True, True),
    Column("deadline", "Thời hạn", 15, True, True, True),
    Column("status", "Tình trạng", 16, False, True),
    Column("result", "Kết quả thực hiện", 50, False, True),
    Column("difficulty", "Khó khăn, vướng mắc", 32, False, True),
    Column("proposal", "Đề xuất, kiến nghị", 32, False, True),
))
ANSWER_KEYS = ("status", "result", "difficulty", "proposal")

FIGURE_TABLE = TableSpec(SHEET_FIGURES, (
    Column("code", "Mã chỉ tiêu", 17, True, False, True),
    Column("name", "Chỉ tiêu", 55, True, True, True),
    Column("unit", "Đơn vị tính", 13, True, True, True),
    Column("value", "Giá trị", 14, False, False),
    Column("note", "Ghi chú", 36, False, True),
))


@dataclass(frozen=True, slots=True)
class InfoField:
    key: str
    label: str
    locked: bool


# Sheet "Thông tin": label in column A, value in column B, from row INFO_FIRST_ROW.
INFO_FIRST_ROW = 3
INFO_FIELDS = (
    InfoField("agency_code", "Mã đơn vị", True),
    InfoField("agency_name", "Tên đơn vị", True),
    InfoField("period", "Kỳ báo cáo", True),
    InfoField("span", "Thời gian lấy số liệu", True),
    InfoField("deadline", "Hạn gửi báo cáo", True),
    InfoField("reporter", "Người báo cáo", False),
    InfoField("position", "Chức vụ", False),
    InfoField("phone", "Điện thoại", False),
    InfoField("email", "E-mail", False),
    InfoField("note", "Ghi chú", False),
)

# Sheet "_meta": key in column A, value in column B; the status list in column D (dropdown source).
META_KEYS = ("app", "template_version", "agency", "period", "tasks", "indicators", "checksum")
STATUS_LIST_REF = f"='{SHEET_META}'!$D$1:$D${len(STATUSES)}"


def signature_checksum(version: str, agency: str, period: str, tasks: Sequence[str],
                       indicators: Sequence[str]) -> str:
    """A short digest over the identity fields: it detects edits of the signature, not forgery."""
    payload = "|".join([APP_MARK, version, agency, period, ";".join(tasks), ";".join(indicators)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
