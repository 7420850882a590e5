"""A small streaming XLSX writer for large plain tables (the consolidated workbook).

Why not XlsxWriter here: at national scale the consolidated workbook has ~600,000 cells and XlsxWriter's
per-cell path (validation, escaping, dispatch) took ~4 s of the 6 s of `consolidate` (profiled). These
sheets only need text, numbers, a bold header row, borders, wrapping, widths, a frozen header, filters and
A4 landscape printing, so each row is emitted as one joined string. Text is always an inline string
(t="inlineStr"), never a formula: "=…", "+…", "-…", "@…" stay text by construction. Output is byte-stable
(fixed timestamps). XlsxWriter still writes the agency templates, which need validation and protection.

Besides tables, a free-form sheet (titles, small tables, room kept for charts, page breaks) carries the
native bar charts of xlsx_charts.py: each sheet with charts gets a drawing part that anchors them to cells.
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast
from xml.sax.saxutils import escape, quoteattr

from planreports.consolidation.xlsx_charts import Chart, chart_xml, drawing_xml
from planreports.files import FIXED_TIME_ISO, FONT, INVALID_XML, ZIP_TIME
from planreports.plan.sheets import column_letter
from planreports.textfit import HEADER, TITLE, count_lines, fit_height, row_height

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
# numbers take Excel's built-in formats 3 ("#,##0") and 4 ("#,##0.00"), which every program keeps as they are
STYLE_TEXT, STYLE_HEADER, STYLE_NUMBER, STYLE_TITLE, STYLE_DECIMAL = 1, 2, 3, 4, 5

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN_NS}">
<fonts count="3"><font><sz val="12"/><name val="{FONT}"/><family val="1"/></font>
<font><b/><sz val="12"/><name val="{FONT}"/><family val="1"/></font>
<font><b/><sz val="14"/><name val="{FONT}"/><family val="1"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>
<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="3" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top"/></xf>
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">\
<alignment vertical="center"/></xf>
<xf numFmtId="4" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


# page numbers on every printed page (Excel's header/footer codes: &P page, &N pages)
FOOTER = (f'<headerFooter><oddFooter>&amp;C&amp;"{FONT},Regular"&amp;10Trang &amp;P/&amp;N</oddFooter>'
          "</headerFooter>")


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[tuple[str, float]]          # (title, column width)
    rows: Iterable[Sequence[object] | Styled]     # Styled rows only in a free-form sheet
    # a table has its headers as row 1, frozen, filtered and printed on every page; a free-form sheet (table
    # False) takes only the column widths from the headers, and its rows may be Styled
    table: bool = True
    charts: Sequence[Chart] = ()                  # drawn over the sheet (xlsx_charts.py)
    breaks: Sequence[int] = ()                    # printed pages start at these rows (1-based)


@dataclass(frozen=True, slots=True)
class Styled:
    """A row of a free-form sheet that is not plain text: a title, a table header, or fixed room for a chart."""

    values: Sequence[object] = ()
    style: int = STYLE_HEADER
    height: float | None = None                   # points, kept as given; None: fitted to the text


def _text(value: str) -> str:
    if not value.isprintable():  # only then can it hold characters XML forbids
        value = INVALID_XML.sub("", value)
    return escape(value)


def _cell(ref: str, value: object) -> str:
    if type(value) is str:      # the common case first: most cells are text
        if not value:
            return f'<c r="{ref}" s="{STYLE_TEXT}"/>'
        space = ' xml:space="preserve"' if value[0] == " " or value[-1] == " " else ""
        return f'<c r="{ref}" s="{STYLE_TEXT}" t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if value is None:
        return f'<c r="{ref}" s="{STYLE_TEXT}"/>'
    if isinstance(value, bool):
        value = "Có" if value else "Không"
    if isinstance(value, numbers.Real):     # Python and numpy numbers alike
        number = float(value)
        if not math.isfinite(number):
            return f'<c r="{ref}" s="{STYLE_TEXT}"/>'
        if number.is_integer() and abs(number) < 1e15:
            return f'<c r="{ref}" s="{STYLE_NUMBER}"><v>{int(number)!r}</v></c>'
        return f'<c r="{ref}" s="{STYLE_DECIMAL}"><v>{number!r}</v></c>'
    text = str(value)
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}" s="{STYLE_TEXT}" t="inlineStr"><is><t{space}>{_text(text)}</t></is></c>'


def _lines(value: object, width: float) -> int:
    """Lines a cell's value takes at its column width (numbers never wrap)."""
    if type(value) is str:
        return count_lines(value, width) if value else 1
    if value is None or isinstance(value, numbers.Real):
        return 1
    return count_lines(str(value), width)


class _LinesAt(dict[object, int]):
    """The lines of each distinct value at one column width, measured when first met."""

    def __init__(self, width: float) -> None:
        super().__init__()
        self.width = width

    def __missing__(self, value: object) -> int:
        lines = self[value] = _lines(value, self.width)
        return lines


@functools.cache
def _height(lines: int) -> str:
    return f"{row_height(lines):g}"


def _row_heights(rows: Sequence[Sequence[object]], widths: Sequence[float]) -> list[str]:
    """Each row's height, worked out a column at a time: a value is measured once per width (agency names,
    statuses and figures repeat down a column), and the loops run inside map() over dictionary lookups, a
    small part of the time spent writing the cells."""
    seen = {width: _LinesAt(width) for width in widths}
    columns = itertools.zip_longest(*rows)
    lines = [list(map(seen[width].__getitem__, column)) for column, width in zip(columns, widths, strict=False)]
    return list(map(_height, map(max, zip(*lines, strict=True)))) if lines else [_height(1)] * len(rows)


def _styled_cell(ref: str, value: object, style: int) -> str:
    if isinstance(value, str):
        return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t>{_text(value)}</t></is></c>' if value else \
            f'<c r="{ref}" s="{style}"/>'
    cell = _cell(ref, value)
    return cell.replace(f's="{STYLE_NUMBER}"', f's="{style}"', 1).replace(f's="{STYLE_DECIMAL}"', f's="{style}"', 1)


def _styled_row(number: int, row: Styled, letters: Sequence[str], widths: Sequence[float]) -> str:
    cells = "".join(_styled_cell(f"{letter}{number}", value, row.style)
                    for letter, value in zip(letters, row.values, strict=False))
    if row.height is not None:      # room kept for a chart: marked as sized by hand, so nothing refits it
        return f'<row r="{number}" ht="{row.height:g}" customHeight="1">{cells}</row>'
    font = TITLE if row.style == STYLE_TITLE else HEADER
    # a title is not wrapped: it runs on over the empty cells beside it
    texts = [(str(v), widths[i] if row.style != STYLE_TITLE else 1e6) for i, v in enumerate(row.values[:len(widths)])]
    return f'<row r="{number}" ht="{fit_height(texts, font):g}">{cells}</row>'


def _table_rows(sheet: Sheet, letters: Sequence[str], widths: Sequence[float]) -> tuple[list[str], int]:
    head = "".join(f'<c r="{letter}1" s="{STYLE_HEADER}" t="inlineStr"><is><t>{_text(title)}</t></is></c>'
                   for letter, (title, _) in zip(letters, sheet.headers, strict=True))
    # every row gets the height its wrapped text needs (textfit.py): neither Excel nor LibreOffice fits rows
    # of a file on opening it. Without customHeight, as Excel saves rows it fitted itself, so an edit refits.
    parts = [f'<row r="1" ht="{fit_height(((t, w) for t, w in sheet.headers), HEADER):g}">{head}</row>']
    rows = list(sheet.rows)
    if any(isinstance(row, Styled) for row in rows):
        raise ValueError(f"sheet {sheet.name!r}: styled rows belong in a free-form sheet (table=False)")
    plain = cast(list[Sequence[object]], rows)
    number = 1
    for number, (row, height) in enumerate(zip(plain, _row_heights(plain, widths), strict=True), start=2):
        cells = "".join(_cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=False))
        parts.append(f'<row r="{number}" ht="{height}">{cells}</row>')
    return parts, max(number, 2)


def _free_rows(sheet: Sheet, letters: Sequence[str], widths: Sequence[float]) -> tuple[list[str], int]:
    parts, number = [], 0
    for number, row in enumerate(sheet.rows, start=1):
        if isinstance(row, Styled):
            parts.append(_styled_row(number, row, letters, widths))
            continue
        cells = "".join(_cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=False))
        parts.append(f'<row r="{number}" ht="{_row_heights([row], widths)[0]}">{cells}</row>')
    return parts, max(number, 1)


def _sheet_tail(sheet: Sheet, last: str) -> str:
    """What follows the cells: filter, margins, A4 landscape one page wide, page numbers, breaks, drawing."""
    breaks = "".join(f'<brk id="{row - 1}" max="16383" man="1"/>' for row in sheet.breaks)
    return ((f'<autoFilter ref="A1:{last}"/>' if sheet.table else "")
            + '<pageMargins left="0.5" right="0.4" top="0.6" bottom="0.6" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/>' + FOOTER
            + (f'<rowBreaks count="{len(sheet.breaks)}" manualBreakCount="{len(sheet.breaks)}">{breaks}</rowBreaks>'
               if sheet.breaks else "")
            + ('<drawing r:id="rId1"/>' if sheet.charts else ""))


def _sheet_xml(sheet: Sheet) -> tuple[str, int]:
    letters = [column_letter(i) for i in range(len(sheet.headers))]
    widths = [width for _, width in sheet.headers]
    parts, last_row = (_table_rows if sheet.table else _free_rows)(sheet, letters, widths)
    last = f"{letters[-1]}{last_row}"
    cols = "".join(f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
                   for i, (_, width) in enumerate(sheet.headers, start=1))
    view = ('<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
            'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
            if sheet.table else '<sheetView workbookViewId="0"/>')
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" '
           f'xmlns:r="{REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:{last}"/>'
           f'<sheetViews>{view}</sheetViews><sheetFormatPr defaultRowHeight="15.75"/><cols>{cols}</cols>'
           f'<sheetData>{"".join(parts)}</sheetData>{_sheet_tail(sheet, last)}</worksheet>')
    return xml, last_row


def _workbook_xml(sheets: Sequence[Sheet], last_rows: Sequence[int]) -> str:
    entries = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{n}" r:id="rId{n}"/>'
                      for n, s in enumerate(sheets, start=1))
    names = []
    for index, (sheet, last_row) in enumerate(zip(sheets, last_rows, strict=True)):
        if not sheet.table:
            continue
        quoted = "'" + sheet.name.replace("'", "''") + "'"
        last = column_letter(len(sheet.headers) - 1)
        names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                     f"{_text(quoted)}!$A$1:${last}${last_row}</definedName>")
        names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{_text(quoted)}!$1:$1'
                     "</definedName>")
    defined = f'<definedNames>{"".join(names)}</definedNames>' if names else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews><sheets>{entries}</sheets>{defined}'
            "</workbook>")


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    """A relationships part: (type, target) pairs as rId1, rId2, …"""
    rels = "".join(f'<Relationship Id="rId{n}" Type="{kind}" Target="{target}"/>'
                   for n, (kind, target) in enumerate(targets, start=1))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PACKAGE_RELS}">{rels}' \
        "</Relationships>"


def _content_types(count: int, drawings: int, charts: int) -> str:
    office = "application/vnd.openxmlformats-officedocument"
    parts = [("/xl/workbook.xml", f"{office}.spreadsheetml.sheet.main+xml")]
    parts += [(f"/xl/worksheets/sheet{n}.xml", f"{office}.spreadsheetml.worksheet+xml") for n in range(1, count + 1)]
    parts += [(f"/xl/drawings/drawing{n}.xml", f"{office}.drawing+xml") for n in range(1, drawings + 1)]
    parts += [(f"/xl/charts/chart{n}.xml", f"{office}.drawingml.chart+xml") for n in range(1, charts + 1)]
    parts += [("/xl/styles.xml", f"{office}.spreadsheetml.styles+xml"),
              ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml")]
    overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in parts)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f"{overrides}</Types>")


def _package(sheets: Sequence[Sheet], title: str) -> dict[str, str]:
    count = len(sheets)
    drawings = sum(1 for s in sheets if s.charts)
    charts = sum(len(s.charts) for s in sheets)
    return {
        "[Content_Types].xml": _content_types(count, drawings, charts),
        "_rels/.rels": _relationships([(f"{REL_NS}/officeDocument", "xl/workbook.xml"),
                                       (f"{PACKAGE_RELS}/metadata/core-properties", "docProps/core.xml")]),
        "xl/_rels/workbook.xml.rels": _relationships([(f"{REL_NS}/worksheet", f"worksheets/sheet{n}.xml")
                                                      for n in range(1, count + 1)]
                                                     + [(f"{REL_NS}/styles", "styles.xml")]),
        "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:'
        'cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/'
        'dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
        f'XMLSchema-instance"><dc:title>{_text(title)}</dc:title><dc:creator>planreports</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME_ISO}</dcterms:created><dcterms:modified '
        f'xsi:type="dcterms:W3CDTF">{FIXED_TIME_ISO}</dcterms:modified></cp:coreProperties>',
        "xl/styles.xml": STYLES,
    }


def _drawing_parts(sheets: Sequence[Sheet]) -> dict[str, str]:
    """Per sheet with charts: its drawing, the drawing's charts, and the relationships between them."""
    parts, drawing, chart = {}, 0, 0
    for number, sheet in enumerate(sheets, start=1):
        if not sheet.charts:
            continue
        drawing += 1
        parts[f"xl/worksheets/_rels/sheet{number}.xml.rels"] = _relationships(
            [(f"{REL_NS}/drawing", f"../drawings/drawing{drawing}.xml")])
        parts[f"xl/drawings/drawing{drawing}.xml"] = drawing_xml(sheet.charts)
        targets = []
        for spec in sheet.charts:
            chart += 1
            parts[f"xl/charts/chart{chart}.xml"] = chart_xml(spec)
            targets.append((f"{REL_NS}/chart", f"../charts/chart{chart}.xml"))
        parts[f"xl/drawings/_rels/drawing{drawing}.xml.rels"] = _relationships(targets)
    return parts


def write_xlsx(path: Path, sheets: Sequence[Sheet], title: str = "") -> Path:
    """Write the sheets as one workbook at `path` (the caller makes the write atomic)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        def put(name: str, text: str) -> None:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            # level 1: a large workbook compresses about as well, several times faster
            archive.writestr(info, text.encode("utf-8"), compresslevel=1)

        last_rows = []
        for number, sheet in enumerate(sheets, start=1):
            xml, last_row = _sheet_xml(sheet)
            last_rows.append(last_row)
            put(f"xl/worksheets/sheet{number}.xml", xml)
        for name, text in {**_package(sheets, title), **_drawing_parts(sheets)}.items():
            put(name, text)
        put("xl/workbook.xml", _workbook_xml(sheets, last_rows))
    return path
