"""The agency form, defined once: the template writer and the validator both read this module.

Sheet names, column titles, the status choices, the identity fields of the hidden signature and the
template version live here and nowhere else.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from planreports.plan.model import Assignment, Indicator, Status
from planreports.plan.sheets import Column, TableSpec

TEMPLATE_VERSION = "1"
APP_MARK = "planreports"

SHEET_GUIDE = "Hướng dẫn"
SHEET_INFO = "Thông tin"
SHEET_TASKS = "Nhiệm vụ"
SHEET_FIGURES = "Số liệu"
SHEET_META = "_meta"            # very hidden: signature and dropdown lists

STATUSES = tuple(Status)

# The agency form's two tables. The writer lays out columns in this order and fills the locked ones from the
# plan; the validator finds columns by their titles. Reordering or retitling here changes both together.
# Widths are Excel character units of Times New Roman 12. Both tables print on A4 landscape fitted to one page
# wide: the task table's 154 units print at about 80 % (text near 10 pt), so keep the sum there when changing
# a width.
TASK_TABLE = TableSpec(SHEET_TASKS, (
    Column(key="task_id", title="Mã nhiệm vụ", width=7, required=True, locked=True),
    Column(key="text", title="Nội dung nhiệm vụ", width=40, required=True, wrap=True, locked=True),
    Column(key="role", title="Vai trò", width=9, required=True, wrap=True, locked=True),
    Column(key="deadline", title="Thời hạn", width=13, required=True, wrap=True, locked=True),
    Column(key="status", title="Tình trạng", width=15, wrap=True, choices=STATUSES),
    Column(key="result", title="Kết quả thực hiện", width=34, wrap=True),
    Column(key="difficulty", title="Khó khăn, vướng mắc", width=18, wrap=True),
    Column(key="proposal", title="Đề xuất, kiến nghị", width=18, wrap=True),
))
ANSWER_KEYS = tuple(c.key for c in TASK_TABLE.columns if not c.locked)


def task_rows(assignments: Sequence[Assignment], done: Mapping[str, str]) -> list[Assignment]:
    """The rows of sheet "Nhiệm vụ": the tasks still asked, then those done in an earlier period (`done`: task
    id -> "Đã hoàn thành (năm 2024)"), whose status is not asked again but whose result may still be added."""
    return [a for a in assignments if a.task.id not in done] + [a for a in assignments if a.task.id in done]

FIGURE_TABLE = TableSpec(SHEET_FIGURES, (
    Column(key="code", title="Mã chỉ tiêu", width=20, required=True, locked=True),
    Column(key="name", title="Chỉ tiêu", width=55, required=True, wrap=True, locked=True),
    Column(key="unit", title="Đơn vị tính", width=13, required=True, wrap=True, locked=True),
    Column(key="value", title="Giá trị", width=14, number=True),
    Column(key="note", title="Ghi chú", width=36, wrap=True),
))


@dataclass(frozen=True, slots=True)
class InfoField:
    key: str
    label: str
    locked: bool


# Sheet "Thông tin": label in column A, value in column B, from row INFO_FIRST_ROW. The locked fields identify
# the agency and the period; the open ones are the reporting officer's, kept with the submission.
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
INFO_KEPT = tuple(f.key for f in INFO_FIELDS if not f.locked)
INFO_EXPECTED = ("reporter", "phone")    # a warning when empty: the office needs someone to call

# Sheet "_meta": key in column A, value in column B; the status list in column D (dropdown source).
STATUS_LIST_REF = f"='{SHEET_META}'!$D$1:$D${len(STATUSES)}"


def content_digest(rows: Sequence[Assignment], indicators: Sequence[Indicator]) -> str:
    """What a form shows of the plan (rows, texts, deadlines, indicators): a form made before the lists or the
    settings changed has another digest, and is told once that it is old instead of row by row."""
    parts = [f"{a.task.id}|{a.role}|{a.task.text}|{a.task.deadline.text}" for a in rows]
    parts += [f"{i.code}|{i.name}|{i.unit}|{i.type}" for i in indicators]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:16]


def signature_checksum(version: str, agency: str, period: str, tasks: Sequence[str],
                       indicators: Sequence[str]) -> str:
    """A short digest over the identity fields: it detects edits of the signature, not forgery."""
    payload = "|".join([APP_MARK, version, agency, period, ";".join(tasks), ";".join(indicators)])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]
