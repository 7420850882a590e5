"""Shared XlsxWriter setup: deterministic, Times New Roman, text never turned into formulas.

XlsxWriter (rather than openpyxl) writes the templates and lists: it is faster, writes data validation and
protection the way Excel expects, and with `strings_to_formulas` off a "=..." stays text. The large
consolidated workbook has its own streaming writer (consolidation/xlsx_writer.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook

from planreports.files import FIXED_TIME, FONT


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
    book.set_properties({"created": FIXED_TIME, "author": "planreports", "comments": ""})
    book.formats[0].set_font_name(FONT)
    book.formats[0].set_font_size(12)
    return book


def formats(book: Workbook) -> dict[str, Any]:
    base = {"font_name": FONT, "font_size": 12, "valign": "top", "text_wrap": True, "border": 1}
    return {
        "header": book.add_format({**base, "bold": True, "align": "center", "valign": "vcenter",
                                   "bg_color": "#DDEBF7"}),
        "locked": book.add_format({**base, "locked": True, "bg_color": "#F2F2F2"}),
        "open": book.add_format({**base, "locked": False}),
        "open_number": book.add_format({**base, "locked": False, "num_format": "#,##0.##"}),
        "text": book.add_format(base),
        "date": book.add_format({**base, "num_format": "dd/mm/yyyy", "align": "left"}),
        "title": book.add_format({"font_name": FONT, "font_size": 14, "bold": True}),
        "plain": book.add_format({"font_name": FONT, "font_size": 12, "text_wrap": True, "valign": "top"}),
        "label": book.add_format({**base, "bold": True, "bg_color": "#F2F2F2", "locked": True}),
    }
