"""Workbooks that are not the template but are perfectly good spreadsheets: what agencies really send.

Each builder writes one purpose-named file with a real library (openpyxl, XlsxWriter); the tests convert some of
them with LibreOffice to .xls and .ods as well. None of them is damaged, so none may be called corrupt.

    python -m tests.foreign OUT_DIR FILLED_TEMPLATE.xlsx
"""

from __future__ import annotations

import re
import sys
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter

from tests.hostile import edited


def one_sheet_openpyxl(filled: Path, target: Path) -> Path:
    """An agency's own report table made in Excel (here: openpyxl), one sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    sheet.append(["STT", "Nội dung", "Kết quả"])
    sheet.append([1, "Tổ chức hội nghị quán triệt Chỉ thị 07", "Đã tổ chức 02 hội nghị"])
    book.save(target)
    return target


def one_sheet_xlsxwriter(filled: Path, target: Path) -> Path:
    book = xlsxwriter.Workbook(str(target))
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["Đơn vị", "Số tin bài"])
    sheet.write_row(1, 0, ["Sở Tư pháp", 12])
    book.close()
    return target


def empty_workbook(filled: Path, target: Path) -> Path:
    """What "New workbook, Save" gives: one empty sheet."""
    openpyxl.Workbook().save(target)
    return target


def chart_sheet(filled: Path, target: Path) -> Path:
    """A worksheet with figures and a chart sheet drawn from them."""
    book = xlsxwriter.Workbook(str(target))
    data = book.add_worksheet("Số liệu")
    data.write_row(0, 0, ["Tháng", "Tin bài"])
    for row in range(1, 7):
        data.write_row(row, 0, [f"Tháng {row}", row * 3])
    chart = book.add_chart({"type": "column"})
    chart.add_series({"categories": "='Số liệu'!$A$2:$A$7", "values": "='Số liệu'!$B$2:$B$7"})
    book.add_chartsheet("Biểu đồ").set_chart(chart)
    book.close()
    return target


def other_province_form(filled: Path, target: Path) -> Path:
    """Another province's form with look-alike sheet names, other columns and no signature."""
    book = openpyxl.Workbook()
    info = book.active
    info.title = "Thông tin"
    info.append(["Tên đơn vị", "Sở Văn hóa, Thể thao và Du lịch tỉnh Bắc Giang"])
    info.append(["Kỳ báo cáo", "Năm 2024"])
    tasks = book.create_sheet("Nhiệm vụ")
    tasks.append(["TT", "Nhiệm vụ theo Kế hoạch 55/KH-UBND", "Tiến độ"])
    tasks.append([1, "Tuyên truyền Chỉ thị 07", "Đã xong"])
    book.save(target)
    return target


def renamed_sheet(filled: Path, target: Path) -> Path:
    """The filled template with "Nhiệm vụ" renamed (an officer tidying the tabs)."""
    def rename(book: openpyxl.Workbook) -> None:
        book["Nhiệm vụ"].title = "Nhiem vu 2024"
    return edited(filled, target, rename)


def deleted_sheet(filled: Path, target: Path) -> Path:
    """The filled template with "Số liệu" deleted."""
    def delete(book: openpyxl.Workbook) -> None:
        del book["Số liệu"]
    return edited(filled, target, delete)


def extra_sheet(filled: Path, target: Path) -> Path:
    """The filled template with the agency's own notes on an extra sheet."""
    def add(book: openpyxl.Workbook) -> None:
        book.create_sheet("Ghi chú thêm").append(["Đơn vị gửi kèm danh sách hội nghị"])
    return edited(filled, target, add)


def date_1904(filled: Path, target: Path) -> Path:
    """The filled template as Excel for Mac saves it with the 1904 date system."""
    with zipfile.ZipFile(filled) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == "xl/workbook.xml":
                text = data.decode("utf-8")
                if "<workbookPr" in text:
                    text = re.sub(r"<workbookPr\b", '<workbookPr date1904="1"', text, count=1)
                else:
                    text = text.replace("<sheets>", '<workbookPr date1904="1"/><sheets>', 1)
                data = text.encode("utf-8")
            new.writestr(info, data)
    return target


NOT_TEMPLATE = {
    "one-sheet-openpyxl.xlsx": one_sheet_openpyxl,
    "one-sheet-xlsxwriter.xlsx": one_sheet_xlsxwriter,
    "empty-workbook.xlsx": empty_workbook,
    "chart-sheet.xlsx": chart_sheet,
    "other-province-form.xlsx": other_province_form,
}
TEMPLATE_CHANGED = {
    "renamed-sheet.xlsx": renamed_sheet,
    "deleted-sheet.xlsx": deleted_sheet,
    "extra-sheet.xlsx": extra_sheet,
    "date-1904.xlsx": date_1904,
}
CORPUS = {**NOT_TEMPLATE, **TEMPLATE_CHANGED}


def main(out_dir: str, filled: str) -> None:
    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    for name, build in CORPUS.items():
        print(build(Path(filled), target / name))


if __name__ == "__main__":
    main(*sys.argv[1:3])
