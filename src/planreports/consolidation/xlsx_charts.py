"""Native Excel bar charts (DrawingML) for the streaming writer: the chart parts and the drawing that places them.

A chart names the cells it plots (categories, series names, values) and also carries their values as a cache,
as Excel writes it: Excel and LibreOffice redraw from the cells, viewers that only read the cache still show
the right bars. Written to open without repair in Excel and LibreOffice: every element in the order the
schema wants, axes and data labels spelled out rather than left to defaults that differ between the two.
Text is Times New Roman, like the workbook, and Vietnamese (lang vi-VN).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from planreports.plan.sheets import column_letter

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
FONT_FACE = '<a:latin typeface="Times New Roman"/><a:cs typeface="Times New Roman"/>'
GROUPINGS = ("stacked", "percentStacked", "clustered")
CATEGORY_AXIS, VALUE_AXIS = 500, 501


def cell_range(sheet: str, first_col: int, first_row: int, last_col: int | None = None,
               last_row: int | None = None) -> str:
    """An absolute reference such as 'Biểu đồ'!$A$5:$A$7 (0-based columns, 1-based rows, as Excel shows)."""
    quoted = "'" + sheet.replace("'", "''") + "'"
    first = f"${column_letter(first_col)}${first_row}"
    if last_col is None or last_row is None:
        return f"{quoted}!{first}"
    return f"{quoted}!{first}:${column_letter(last_col)}${last_row}"


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    name_ref: str                    # the cell holding the name (the table's column title)
    values: Sequence[float]
    values_ref: str                  # the cells holding the values
    colour: str                      # fill, "RRGGBB"


@dataclass(frozen=True, slots=True)
class Chart:
    """A horizontal bar chart, categories top to bottom in table order."""

    title: str
    categories: Sequence[str]
    categories_ref: str
    series: Sequence[Series]
    category_title: str
    value_title: str
    grouping: str = "stacked"        # "stacked", "percentStacked" (shares of 100 %) or "clustered"
    labels: bool = True              # each bar's number on it (zeros left out)
    anchor: tuple[int, int, int, int] = (0, 0, 8, 20)   # first column, first row, column and row after (0-based)

    def __post_init__(self) -> None:
        if self.grouping not in GROUPINGS:
            raise ValueError(f"unknown grouping {self.grouping!r}")


def _rich(text: str, size: int, bold: bool, rotated: bool = False) -> str:
    body = '<a:bodyPr rot="-5400000" vert="horz"/>' if rotated else "<a:bodyPr/>"
    b = ' b="1"' if bold else ' b="0"'
    return (f'<c:tx><c:rich>{body}<a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}"{b}>{FONT_FACE}</a:defRPr></a:pPr>'
            f'<a:r><a:rPr lang="vi-VN" sz="{size}"{b}>{FONT_FACE}</a:rPr><a:t>{escape(text)}</a:t></a:r></a:p>'
            "</c:rich></c:tx>")


def _title(text: str, size: int, rotated: bool = False) -> str:
    return f'<c:title>{_rich(text, size, True, rotated)}<c:overlay val="0"/></c:title>'


def _text_properties(size: int) -> str:
    return (f'<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}">{FONT_FACE}</a:defRPr></a:pPr>'
            '<a:endParaRPr lang="vi-VN"/></a:p></c:txPr>')


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _strings(ref: str, values: Sequence[str]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{escape(v)}</c:v></c:pt>' for i, v in enumerate(values))
    return (f"<c:strRef><c:f>{escape(ref)}</c:f><c:strCache><c:ptCount val=\"{len(values)}\"/>{points}"
            "</c:strCache></c:strRef>")


def _numbers(ref: str, values: Sequence[float]) -> str:
    points = "".join(f'<c:pt idx="{i}"><c:v>{_number(v)}</c:v></c:pt>' for i, v in enumerate(values)
                     if math.isfinite(v))          # a missing value is a gap, not a zero
    return (f"<c:numRef><c:f>{escape(ref)}</c:f><c:numCache><c:formatCode>General</c:formatCode>"
            f'<c:ptCount val="{len(values)}"/>{points}</c:numCache></c:numRef>')


def _labels(show: bool) -> str:
    if not show:
        return '<c:dLbls><c:delete val="1"/></c:dLbls>'
    # "#,##0;-#,##0;;": the empty third section hides zeros, which would otherwise crowd the bars
    return ('<c:dLbls><c:numFmt formatCode="#,##0;-#,##0;;" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/>'
            f'</a:ln></c:spPr>{_text_properties(1000)}<c:dLblPos val="ctr"/><c:showLegendKey val="0"/>'
            '<c:showVal val="1"/><c:showCatName val="0"/><c:showSerName val="0"/><c:showPercent val="0"/>'
            '<c:showBubbleSize val="0"/></c:dLbls>')


def _series(chart: Chart, index: int, series: Series) -> str:
    fill = (f'<c:spPr><a:solidFill><a:srgbClr val="{series.colour}"/></a:solidFill>'
            '<a:ln w="6350"><a:solidFill><a:srgbClr val="404040"/></a:solidFill></a:ln></c:spPr>')
    return (f'<c:ser><c:idx val="{index}"/><c:order val="{index}"/><c:tx>{_strings(series.name_ref, [series.name])}'
            f'</c:tx>{fill}<c:invertIfNegative val="0"/>{_labels(chart.labels)}'
            f"<c:cat>{_strings(chart.categories_ref, chart.categories)}</c:cat>"
            f"<c:val>{_numbers(series.values_ref, series.values)}</c:val></c:ser>")


def _axes(chart: Chart) -> str:
    # categories run top to bottom (orientation maxMin), so the value axis crosses at the last category to
    # stay at the bottom of the chart
    value_format = "0%" if chart.grouping == "percentStacked" else "#,##0"
    return (f'<c:catAx><c:axId val="{CATEGORY_AXIS}"/><c:scaling><c:orientation val="maxMin"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="l"/>{_title(chart.category_title, 1100, rotated=True)}'
            '<c:numFmt formatCode="General" sourceLinked="1"/><c:majorTickMark val="out"/>'
            f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="{VALUE_AXIS}"/>'
            '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/><c:lblOffset val="100"/>'
            '<c:noMultiLvlLbl val="0"/></c:catAx>'
            f'<c:valAx><c:axId val="{VALUE_AXIS}"/><c:scaling><c:orientation val="minMax"/></c:scaling>'
            f'<c:delete val="0"/><c:axPos val="b"/><c:majorGridlines/>{_title(chart.value_title, 1100)}'
            f'<c:numFmt formatCode="{value_format}" sourceLinked="0"/><c:majorTickMark val="out"/>'
            f'<c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/><c:crossAx val="{CATEGORY_AXIS}"/>'
            '<c:crosses val="max"/><c:crossBetween val="between"/></c:valAx>')


def chart_xml(chart: Chart) -> str:
    """The chart part (xl/charts/chartN.xml)."""
    series = "".join(_series(chart, i, s) for i, s in enumerate(chart.series))
    overlap = '<c:overlap val="100"/>' if chart.grouping != "clustered" else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}"><c:date1904 val="0"/>'
            f'<c:lang val="vi-VN"/><c:roundedCorners val="0"/><c:chart>{_title(chart.title, 1300)}'
            '<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/><c:barChart><c:barDir val="bar"/>'
            f'<c:grouping val="{chart.grouping}"/><c:varyColors val="0"/>{series}<c:gapWidth val="60"/>{overlap}'
            f'<c:axId val="{CATEGORY_AXIS}"/><c:axId val="{VALUE_AXIS}"/></c:barChart>{_axes(chart)}</c:plotArea>'
            '<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend><c:plotVisOnly val="1"/>'
            '<c:dispBlanksAs val="gap"/></c:chart><c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill>'
            f'<a:ln><a:noFill/></a:ln></c:spPr>{_text_properties(1100)}</c:chartSpace>')


def _anchor(number: int, chart: Chart) -> str:
    first_col, first_row, last_col, last_row = chart.anchor
    return ('<xdr:twoCellAnchor editAs="oneCell">'
            f"<xdr:from><xdr:col>{first_col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{first_row}</xdr:row>"
            f"<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>{last_col}</xdr:col><xdr:colOff>0</xdr:colOff>"
            f"<xdr:row>{last_row}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{number + 1}" '
            f"name={quoteattr(f'Biểu đồ {number}')} descr={quoteattr(chart.title)}/><xdr:cNvGraphicFramePr/>"
            '</xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
            f'<a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" r:id="rId{number}"/></a:graphicData>'
            "</a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>")


def drawing_xml(charts: Sequence[Chart]) -> str:
    """The drawing part of one sheet: chart k is relationship rIdk of the drawing."""
    anchors = "".join(_anchor(number, chart) for number, chart in enumerate(charts, start=1))
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<xdr:wsDr xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">{anchors}</xdr:wsDr>')
