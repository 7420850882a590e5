"""Shared XlsxWriter setup: deterministic, Times New Roman, text never turned into formulas.

XlsxWriter (rather than openpyxl) writes the templates and lists: it is faster, writes data validation and
protection the way Excel expects, and with `strings_to_formulas` off a "=..." stays text. The large
consolidated workbook has its own streaming writer (consolidation/xlsx_writer.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from planreports.files import FIXED_TIME, FONT
from planreports.textfit import BODY, HEADER, Font, fit_height


class FittedSheet(Worksheet):  # type: ignore[misc]  # XlsxWriter ships no type information
    """A worksheet whose rows keep their computed height without being marked as set by hand.

    XlsxWriter marks every row with a height as `customHeight`; Excel and LibreOffice then never grow such a
    row, so an answer an agency types into it would be cut off. Excel itself saves rows it fitted to wrapped
    text with a height and without the mark, and both programs show that height and still refit the row when
    a cell is edited."""

    def _xml_start_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
        if tag == "row":
            attributes = [pair for pair in attributes if pair[0] != "customHeight"]
        super()._xml_start_tag_unencoded(tag, attributes)

    def _xml_empty_tag_unencoded(self, tag: str, attributes: Any = ()) -> None:
        if tag == "row":
            attributes = [pair for pair in attributes if pair[0] != "customHeight"]
        super()._xml_empty_tag_unencoded(tag, attributes)


A4 = 9   # XlsxWriter's paper size code


def new_workbook(path: Path) -> Workbook:
    """A workbook for the small files we write with XlsxWriter (agency templates, the plan's lists)."""
    book = xlsxwriter.Workbook(
        str(path),
        {
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # assembled in memory: XlsxWriter otherwise makes a temporary file per part, and file creation
            # dominated the cost of writing thousands of templates
            "in_memory": True,
        },
    )
    book.worksheet_class = FittedSheet
    book.set_properties({"created": FIXED_TIME, "author": "planreports", "comments": ""})
    book.formats[0].set_font_name(FONT)
    book.formats[0].set_font_size(12)
    return book


def fit_rows(sheet: Worksheet, widths: Sequence[float], rows: Iterable[Sequence[str]], first: int = 0,
             font: Font = BODY) -> None:
    """Give each row from `first` on the height its wrapped texts need at these column widths."""
    for row, texts in enumerate(rows, start=first):
        sheet.set_row(row, fit_height(zip(texts, widths, strict=False), font))


def table_header(sheet: Worksheet, header_format: Any, titles: Sequence[str], widths: Sequence[float]) -> None:
    """Row 1 of a table: the column widths, the titles as high as they wrap, frozen and printed on every page."""
    for col, (title, width) in enumerate(zip(titles, widths, strict=True)):
        sheet.set_column(col, col, width)
        sheet.write_string(0, col, title, header_format)
    fit_rows(sheet, widths, [titles], 0, HEADER)
    sheet.freeze_panes(1, 0)
    sheet.repeat_rows(0)


def set_footer(sheet: Worksheet) -> None:
    """Page numbers on every printed page: sheets of many rows are printed and stapled."""
    sheet.set_footer(f'&C&"{FONT},Regular"&10Trang &P/&N')


def formats(book: Workbook) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 12, "valign": "top", "text_wrap": True, "border": 1}
    return {
        "header": book.add_format({**base, "bold": True, "align": "center", "valign": "vcenter",
                                   "bg_color": "#DDEBF7"}),
        "locked": book.add_format({**base, "locked": True, "bg_color": "#F2F2F2"}),
        "open": book.add_format({**base, "locked": False}),
        # built-in number formats, by index (3 is "#,##0", 4 "#,##0.00"): a custom one such as "#,##0.##" is
        # renumbered by other programs, and Gnumeric gives it an .xls id that readers take for an East Asian date
        "open_integer": book.add_format({**base, "locked": False, "num_format": 3}),
        "open_decimal": book.add_format({**base, "locked": False, "num_format": 4}),
        "text": book.add_format(base),
        "date": book.add_format({**base, "num_format": "dd/mm/yyyy", "align": "left"}),
        "title": book.add_format({"font_name": FONT, "font_size": 14, "bold": True}),
        "title_wrap": book.add_format({"font_name": FONT, "font_size": 14, "bold": True, "text_wrap": True,
                                       "valign": "top"}),
        "plain": book.add_format({"font_name": FONT, "font_size": 12, "text_wrap": True, "valign": "top"}),
        "label": book.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "locked": True}),
    }
