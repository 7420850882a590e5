"""Write the standardized agency workbook (one per agency and period) from the schema and the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from planreports.excel import A4, fit_rows, formats, new_workbook, set_footer, table_header
from planreports.files import atomic_path
from planreports.form import schema
from planreports.plan.model import Agency, Assignment, Indicator, NumberType, Plan
from planreports.plan.periods import Period
from planreports.plan.sheets import TableSpec
from planreports.textfit import BODY, HEADER, TITLE, fit_height, row_height

# Sheet "Hướng dẫn" is one column of text as wide as a portrait A4 page inside its margins (about 84 characters
# of Times New Roman 12), so it prints at full size and its lines wrap inside the page.
GUIDE_WIDTH = 84
INFO_WIDTHS = (26, 58)
UNPROTECTED_ACTIONS = {"format_columns": True, "format_rows": True, "select_locked_cells": True,
                       "select_unlocked_cells": True}


@dataclass(frozen=True)
class TemplateContent:
    """What goes into one agency's workbook."""

    agency: Agency
    period: Period
    deadline: date
    plan_reference: str
    coordinator: str
    assignments: tuple[Assignment, ...]        # in the order of the sheet (schema.task_rows)
    indicators: tuple[Indicator, ...]
    done: Mapping[str, str] = field(default_factory=dict)   # task id -> "Đã hoàn thành (năm 2024)"

    @property
    def task_ids(self) -> list[str]:
        return [a.task.id for a in self.assignments]

    @property
    def indicator_codes(self) -> list[str]:
        return [i.code for i in self.indicators]

    def meta(self) -> dict[str, str]:
        checksum = schema.signature_checksum(schema.TEMPLATE_VERSION, self.agency.code, self.period.id,
                                             self.task_ids, self.indicator_codes)
        return {"app": schema.APP_MARK, "template_version": schema.TEMPLATE_VERSION,
                "agency": self.agency.code, "period": self.period.id, "tasks": ";".join(self.task_ids),
                "indicators": ";".join(self.indicator_codes), "checksum": checksum,
                # outside the checksum, so forms made before these rows existed stay valid
                "plan": self.plan_reference, "content": schema.content_digest(self.assignments, self.indicators)}

    def info_values(self) -> dict[str, str]:
        return {"agency_code": self.agency.code, "agency_name": self.agency.name, "period": self.period.id,
                "span": f"{self.period.label.capitalize()}, {self.period.span}",
                "deadline": f"{self.deadline:%d/%m/%Y}"}


def content_for(plan: Plan, agency: Agency, period: Period, deadline: date, plan_reference: str,
                coordinator: str, done: Mapping[str, str] | None = None) -> TemplateContent:
    done = done or {}
    rows = schema.task_rows(plan.assignments(agency.code), done)
    return TemplateContent(agency, period, deadline, plan_reference, coordinator, tuple(rows), plan.indicators,
                           {a.task.id: done[a.task.id] for a in rows if a.task.id in done})


def _guide_lines(content: TemplateContent) -> list[str]:
    return [
        f"BIỂU MẪU BÁO CÁO KẾT QUẢ THỰC HIỆN {content.plan_reference.upper()}",
        f"Đơn vị: {content.agency.name} — Kỳ báo cáo: {content.period.label} ({content.period.span})",
        f"Hạn gửi: ngày {content.deadline:%d/%m/%Y}, gửi về {content.coordinator}.",
        "",
        "Cách điền:",
        "1. Sheet “Thông tin”: ghi người báo cáo, chức vụ, điện thoại, e-mail. Không sửa mã và tên đơn vị.",
        "2. Sheet “Nhiệm vụ”: mỗi dòng là một nhiệm vụ đơn vị chủ trì hoặc phối hợp. Chọn “Tình trạng” trong "
        "danh sách (Hoàn thành, Đang thực hiện, Chưa thực hiện, Không phát sinh); nhiệm vụ chủ trì bắt buộc "
        "chọn. Ghi “Kết quả thực hiện” cụ thể: văn bản đã ban hành (số, ngày), hoạt động, số lượng.",
        "3. Ghi khó khăn, vướng mắc và đề xuất, kiến nghị (nếu có) ở hai cột cuối.",
        *(["   Các nhiệm vụ đã hoàn thành ở kỳ trước nằm cuối sheet, ghi “Đã hoàn thành (…)” ở cột “Tình trạng”: "
           "không phải chọn lại; nếu có kết quả tiếp theo thì ghi vào “Kết quả thực hiện”."] if content.done else []),
        "4. Sheet “Số liệu”: ghi số vào cột “Giá trị” (chỉ ghi số, không ghi chữ như “khoảng 20”; "
        "số thập phân dùng dấu phẩy, ví dụ 2,5). Không có thì ghi 0.",
        "5. Không thêm, xoá, đổi thứ tự dòng hoặc sheet; không đổi tên tệp cũng được vì tệp có chữ ký nhận dạng.",
        "6. Lưu tệp (.xlsx, .xls hoặc .ods đều được) và gửi lại qua e-mail đúng hạn.",
        "",
        "Tệp do phần mềm planreports tạo; các ô màu xám được khoá để tránh sửa nhầm.",
    ]


def _print_setup(sheet: Worksheet, landscape: bool) -> None:
    sheet.set_paper(A4)
    if landscape:
        sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.6, right=0.4, top=0.6, bottom=0.6)
    set_footer(sheet)


def _write_guide(book: Workbook, fmt: dict[str, Any], content: TemplateContent) -> None:
    sheet = book.add_worksheet(schema.SHEET_GUIDE)
    sheet.set_column(0, 0, GUIDE_WIDTH)
    for row, line in enumerate(_guide_lines(content)):
        sheet.write_string(row, 0, line, fmt["title_wrap"] if row == 0 else fmt["plain"])
        sheet.set_row(row, fit_height([(line, GUIDE_WIDTH)], TITLE if row == 0 else BODY))
    _print_setup(sheet, landscape=False)
    sheet.activate()


def _write_info(book: Workbook, fmt: dict[str, Any], content: TemplateContent) -> None:
    sheet = book.add_worksheet(schema.SHEET_INFO)
    for col, width in enumerate(INFO_WIDTHS):
        sheet.set_column(col, col, width)
    sheet.write_string(0, 0, "THÔNG TIN ĐƠN VỊ BÁO CÁO", fmt["title"])
    sheet.set_row(0, row_height(1, TITLE))
    values = content.info_values()
    for offset, info in enumerate(schema.INFO_FIELDS):
        row = schema.INFO_FIRST_ROW - 1 + offset
        value = values.get(info.key, "")
        sheet.write_string(row, 0, info.label, fmt["label"])
        sheet.write_string(row, 1, value, fmt["locked" if info.locked else "open"])
        sheet.set_row(row, max(fit_height([(info.label, INFO_WIDTHS[0])], HEADER),
                               fit_height([(value, INFO_WIDTHS[1])], BODY)))
    _print_setup(sheet, landscape=False)
    sheet.protect("", UNPROTECTED_ACTIONS)


def _table_header(sheet: Worksheet, fmt: dict[str, Any], spec: TableSpec) -> None:
    table_header(sheet, fmt["header"], [c.title for c in spec.columns], [c.width for c in spec.columns])


def _write_rows(sheet: Worksheet, fmt: dict[str, Any], spec: TableSpec, rows: list[dict[str, str]],
                decimals: Sequence[bool] = ()) -> None:
    """Lay out rows by the schema: locked columns take the plan's values, open ones are left for the agency
    unless the row gives them a value (then written and locked: a status not asked again). Each row is as high
    as its locked texts need; the open cells are empty until the agency types. An open number cell shows
    whole numbers, or two decimals where `decimals` says the row's figure may have them."""
    for row, values in enumerate(rows, start=1):
        number = fmt["open_decimal" if row <= len(decimals) and decimals[row - 1] else "open_integer"]
        for col, column in enumerate(spec.columns):
            if column.locked or column.key in values:
                sheet.write_string(row, col, values[column.key], fmt["locked"])
            else:
                sheet.write_blank(row, col, None, number if column.number else fmt["open"])
    fit_rows(sheet, [c.width for c in spec.columns],
             ([values.get(c.key, "") for c in spec.columns] for values in rows), 1)


def _choice_lists(sheet: Worksheet, spec: TableSpec, last_row: int) -> None:
    """A dropdown on every open column with choices (its list lives on the hidden _meta sheet)."""
    for col, column in enumerate(spec.columns):
        if column.choices:
            sheet.data_validation(1, col, last_row, col, {
                "validate": "list", "source": schema.STATUS_LIST_REF,
                "input_title": column.title, "input_message": "Chọn một giá trị trong danh sách.",
                "error_title": "Giá trị không hợp lệ",
                "error_message": "Chọn: " + ", ".join(column.choices[:-1]) + " hoặc " + column.choices[-1] + ".",
            })


def _write_tasks(book: Workbook, fmt: dict[str, Any], content: TemplateContent) -> None:
    sheet = book.add_worksheet(schema.SHEET_TASKS)
    _table_header(sheet, fmt, schema.TASK_TABLE)
    rows = [{"task_id": a.task.id, "text": a.task.text, "role": a.role, "deadline": a.task.deadline.text}
            | ({"status": content.done[a.task.id]} if a.task.id in content.done else {})
            for a in content.assignments]
    _write_rows(sheet, fmt, schema.TASK_TABLE, rows)
    _choice_lists(sheet, schema.TASK_TABLE, max(1, len(rows) - len(content.done)))
    _print_setup(sheet, landscape=True)
    sheet.protect("", UNPROTECTED_ACTIONS)


def _number_rule(indicator: Indicator) -> dict[str, Any]:
    integer = indicator.type is NumberType.INTEGER
    return {
        "validate": "integer" if integer else "decimal", "criteria": ">=", "value": 0,
        "input_title": "Giá trị",
        "input_message": (f"Nhập số {'nguyên ' if integer else ''}không âm ({indicator.unit}). "
                          f"{indicator.note}")[:255],
        "error_title": "Giá trị không hợp lệ",
        "error_message": "Chỉ nhập số không âm" + (" (số nguyên)." if integer else "."),
    }


def _write_figures(book: Workbook, fmt: dict[str, Any], content: TemplateContent) -> None:
    sheet = book.add_worksheet(schema.SHEET_FIGURES)
    spec = schema.FIGURE_TABLE
    _table_header(sheet, fmt, spec)
    rows = [{"code": i.code, "name": i.name, "unit": i.unit} for i in content.indicators]
    _write_rows(sheet, fmt, spec, rows, [i.type is not NumberType.INTEGER for i in content.indicators])
    number_columns = [col for col, column in enumerate(spec.columns) if column.number]
    for row, indicator in enumerate(content.indicators, start=1):
        for col in number_columns:   # each indicator has its own rule (integer or decimal) and hint
            sheet.data_validation(row, col, row, col, _number_rule(indicator))
    _print_setup(sheet, landscape=True)
    sheet.protect("", UNPROTECTED_ACTIONS)


def _write_meta(book: Workbook, content: TemplateContent) -> None:
    sheet = book.add_worksheet(schema.SHEET_META)
    for row, (key, value) in enumerate(content.meta().items()):
        sheet.write_string(row, 0, key)
        sheet.write_string(row, 1, value)
    for row, status in enumerate(schema.STATUSES):
        sheet.write_string(row, 3, status)
    sheet.protect("")
    sheet.very_hidden()


def write_template(path: Path, content: TemplateContent) -> Path:
    with atomic_path(path) as tmp:
        book = new_workbook(tmp)
        book.set_properties({"title": f"Biểu mẫu báo cáo {content.plan_reference}",
                             "subject": f"{content.agency.code} {content.period.id}", "author": "planreports",
                             "created": book.doc_properties["created"]})
        fmt = formats(book)
        _write_guide(book, fmt, content)
        _write_info(book, fmt, content)
        _write_tasks(book, fmt, content)
        _write_figures(book, fmt, content)
        _write_meta(book, content)
        book.close()
    return path
