"""A small streaming XLSX writer for large plain tables (the consolidated workbook).

Why not XlsxWriter here: at national scale the consolidated workbook has ~600,000 cells and XlsxWriter's
per-cell path (validation, escaping, dispatch) took ~4 s of the 6 s of `consolidate` (profiled). These
sheets only need text, numbers, a bold header row, borders, wrapping, widths, a frozen header, filters and
A4 landscape printing, so each row is emitted as one joined string. Text is always an inline string
(t="inlineStr"), never a formula: "=…", "+…", "-…", "@…" stay text by construction. Output is byte-stable
(fixed timestamps). XlsxWriter still writes the agency templates, which need validation and protection.
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
from xml.sax.saxutils import escape, quoteattr

from planreports.files import FIXED_TIME_ISO, FONT, INVALID_XML, ZIP_TIME
from planreports.plan.sheets import column_letter
from planreports.textfit import HEADER, count_lines, fit_height, row_height

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STYLE_TEXT, STYLE_HEADER, STYLE_NUMBER = 1, 2, 3

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{MAIN_NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="#,##0.##"/></numFmts>
<fonts count="2"><font><sz val="12"/><name val="{FONT}"/><family val="1"/></font>
<font><b/><sz val="12"/><name val="{FONT}"/><family val="1"/></font></fonts>
<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right>
<top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="0" fillId="0" borderId="1" xfId="0" applyBorder="1" applyAlignment="1">\
<alignment vertical="top" wrapText="1"/></xf>
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" \
applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>
<xf numFmtId="164" fontId="0" fillId="0" borderId="1" xfId="0" applyNumberFormat="1" applyBorder="1" \
applyAlignment="1"><alignment vertical="top"/></xf></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


# page numbers on every printed page (Excel's header/footer codes: &P page, &N pages)
FOOTER = (f'<headerFooter><oddFooter>&amp;C&amp;"{FONT},Regular"&amp;10Trang &amp;P/&amp;N</oddFooter>'
          "</headerFooter>")


@dataclass(frozen=True)
class Sheet:
    name: str
    headers: Sequence[tuple[str, float]]          # (title, column width)
    rows: Iterable[Sequence[object]]


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
        shown = int(number) if number.is_integer() and abs(number) < 1e15 else number
        return f'<c r="{ref}" s="{STYLE_NUMBER}"><v>{shown!r}</v></c>'
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


def _sheet_xml(sheet: Sheet) -> tuple[str, int]:
    letters = [column_letter(i) for i in range(len(sheet.headers))]
    widths = [width for _, width in sheet.headers]
    head = "".join(f'<c r="{letter}1" s="{STYLE_HEADER}" t="inlineStr"><is><t>{_text(title)}</t></is></c>'
                   for letter, (title, _) in zip(letters, sheet.headers, strict=True))
    # every row gets the height its wrapped text needs (textfit.py): neither Excel nor LibreOffice fits rows
    # of a file on opening it. Without customHeight, as Excel saves rows it fitted itself, so an edit refits.
    parts = [f'<row r="1" ht="{fit_height(((t, w) for t, w in sheet.headers), HEADER):g}">{head}</row>']
    rows = list(sheet.rows)
    number = 1
    for number, (row, height) in enumerate(zip(rows, _row_heights(rows, widths), strict=True), start=2):
        cells = "".join(_cell(f"{letter}{number}", value) for letter, value in zip(letters, row, strict=False))
        parts.append(f'<row r="{number}" ht="{height}">{cells}</row>')
    last = f"{letters[-1]}{max(number, 2)}"
    cols = "".join(f'<col min="{i}" max="{i}" width="{width:g}" customWidth="1"/>'
                   for i, (_, width) in enumerate(sheet.headers, start=1))
    xml = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}" '
           f'xmlns:r="{REL_NS}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:{last}"/>'
           '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
           'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
           f'<sheetFormatPr defaultRowHeight="15.75"/><cols>{cols}</cols><sheetData>{"".join(parts)}</sheetData>'
           f'<autoFilter ref="A1:{last}"/><pageMargins left="0.5" right="0.4" top="0.6" bottom="0.6" '
           'header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" '
           f'fitToHeight="0"/>{FOOTER}</worksheet>')
    return xml, max(number, 2)


def _workbook_xml(sheets: Sequence[Sheet], last_rows: Sequence[int]) -> str:
    entries = "".join(f'<sheet name={quoteattr(s.name)} sheetId="{n}" r:id="rId{n}"/>'
                      for n, s in enumerate(sheets, start=1))
    names = []
    for index, (sheet, last_row) in enumerate(zip(sheets, last_rows, strict=True)):
        quoted = "'" + sheet.name.replace("'", "''") + "'"
        last = column_letter(len(sheet.headers) - 1)
        names.append(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                     f"{_text(quoted)}!$A$1:${last}${last_row}</definedName>")
        names.append(f'<definedName name="_xlnm.Print_Titles" localSheetId="{index}">{_text(quoted)}!$1:$1'
                     "</definedName>")
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{MAIN_NS}" '
            f'xmlns:r="{REL_NS}"><bookViews><workbookView/></bookViews><sheets>{entries}</sheets>'
            f'<definedNames>{"".join(names)}</definedNames></workbook>')


def _package(count: int, title: str) -> dict[str, str]:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for n in range(1, count + 1))
    rels = "".join(f'<Relationship Id="rId{n}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                   for n in range(1, count + 1))
    package_rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    return {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application'
        '/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
        f'spreadsheetml.sheet.main+xml"/>{sheets}<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        f'"{package_rels}"><Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
        'core-properties" Target="docProps/core.xml"/></Relationships>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
        f'xmlns="{package_rels}">{rels}<Relationship Id="rId{count + 1}" Type="{REL_NS}/styles" '
        'Target="styles.xml"/></Relationships>',
        "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties xmlns:'
        'cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/'
        'dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/'
        f'XMLSchema-instance"><dc:title>{_text(title)}</dc:title><dc:creator>planreports</dc:creator>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_TIME_ISO}</dcterms:created><dcterms:modified '
        f'xsi:type="dcterms:W3CDTF">{FIXED_TIME_ISO}</dcterms:modified></cp:coreProperties>',
        "xl/styles.xml": STYLES,
    }


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
        for name, text in _package(len(sheets), title).items():
            put(name, text)
        put("xl/workbook.xml", _workbook_xml(sheets, last_rows))
    return path
