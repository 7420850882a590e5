"""Fill the report's large tables by cloning a styled sample row with lxml.

The Word template holds, for each table, a header row and one sample row whose cells contain markers such as
[[appendix3.name]]. After the text fields are rendered, each sample row is copied once per data row and
its markers replaced; a cell whose marker names a list ([[appendix2.figure]], [[appendix2.head]]) is first
repeated once per list item. The office styles the sample row in Word and every row follows. Rows are made as text
from the serialized sample (microseconds each) where python-docx's row API rebuilds the table grid on every
access, and spliced into the package as it is written.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml import etree
from lxml.etree import _Element

from planreports.files import INVALID_XML

MARKER = re.compile(r"\[\[(\w+)\.(\w+)\]\]")
_DECLARATION = re.compile(r'\sxmlns:\w+="[^"]*"')
T, TC, TR = qn("w:t"), qn("w:tc"), qn("w:tr")
_QUOTE = {'"': "&quot;"}


@dataclass
class TableData:
    rows: list[dict[str, str | list[str]]]
    header: dict[str, list[str]] = field(default_factory=dict)   # list-valued header markers
    widths_cm: Sequence[float] | None = None                    # final column widths, when columns repeat


def _cell_text(cell: _Element) -> str:
    return "".join(t.text or "" for t in cell.iter(T))


def _set_cell(cell: _Element, text: str) -> None:
    texts = list(cell.iter(T))
    if not texts:
        return
    texts[0].text = text
    texts[0].set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    for extra in texts[1:]:
        extra.text = ""


def _markers(row: _Element) -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for cell in row.iter(TC) for m in MARKER.finditer(_cell_text(cell))]


def _repeat_cells(row: _Element, table: str, field_name: str, values: list[str]) -> None:
    """Repeat the cell holding [[table.field]] once per value, writing each value in."""
    for cell in list(row.iter(TC)):
        if f"[[{table}.{field_name}]]" in _cell_text(cell):
            for value in reversed(values):
                clone = copy.deepcopy(cell)
                _set_cell(clone, value)
                cell.addnext(clone)
            row.remove(cell)
            return


def _fill_rows(template: _Element, table: str, data: TableData, mark: str) -> bytes:
    """Replace the sample row by a placeholder and return the rows that go in its place, as XML text.

    The widened sample row is serialized once and split at its markers; every data row is then a string
    join with escaped values. The rows are never parsed: at 4,000 units the results table has some fifty
    thousand rows, and building them as elements cost seconds and a gigabyte (see Rows)."""
    list_fields = {f for f, v in (data.rows[0].items() if data.rows else []) if isinstance(v, list)}
    sample = copy.deepcopy(template)
    for name in list_fields:  # widen the sample first: one marker cell per list item, numbered
        count = len(data.rows[0][name])
        _repeat_cells(sample, table, name, [f"[[{table}.{name}__{i}]]" for i in range(count)])
    for cell in sample.iter(TC):  # a marker split over several runs is gathered into the first one
        if MARKER.search(_cell_text(cell)):
            _set_cell(cell, _cell_text(cell))
    if data.widths_cm:
        _set_widths([sample], data.widths_cm)
    # the rows carry no namespace declarations: they take the document's (a Word row would repeat some thirty)
    root = template.getroottree().getroot()
    if not sample.nsmap.items() <= root.nsmap.items():
        raise ValueError(f"table {table}: a namespace of its sample row is not declared on the document")
    declarations = " ".join(f'xmlns:{prefix}="{uri}"' for prefix, uri in sample.nsmap.items() if prefix)
    serialized = _DECLARATION.sub("", etree.tostring(sample, encoding="unicode"))
    pieces = MARKER.split(serialized)
    # pieces: text, table, field, text, table, field, ..., text
    literals, fields = pieces[0::3], [_field(f) for f in pieces[2::3]]
    rows = []
    for row in data.rows:
        out = [literals[0]]
        for (name, item), literal in zip(fields, literals[1:], strict=True):
            value = row.get(name, "")
            # quotes too: a marker may sit in an attribute (a w:tag an office added in Word)
            out.append(escape(_clean_xml(str(value[item] if item is not None else value)), _QUOTE))
            out.append(literal)
        rows.append("".join(out))
    if rows:   # every row has the sample's shape: parsing one proves them all well-formed
        etree.fromstring(f"<w:tbl {declarations}>{rows[0]}</w:tbl>")
    template.addprevious(etree.Comment(mark))
    parent = template.getparent()
    if parent is not None:
        parent.remove(template)
    return "".join(rows).encode("utf-8")


def placeholder(table: str, number: int) -> str:
    """The comment left where a table's rows go (numbered: an office's template may repeat a sample row); the
    rows are spliced in as the package is written."""
    return f"planreports-rows:{table}:{number}"


def _field(marker_field: str) -> tuple[str, int | None]:
    name, _, item = marker_field.partition("__")
    return name, int(item) if item else None


def _clean_xml(text: str) -> str:
    return INVALID_XML.sub("", text)


def _set_widths(rows: Iterable[_Element], widths_cm: Sequence[float]) -> None:
    twips = [str(int(Cm(width).twips)) for width in widths_cm]
    for row in rows:
        for cell, width in zip(row.iter(TC), twips, strict=False):
            props = cell.find(qn("w:tcPr"))
            width_element = props.find(qn("w:tcW")) if props is not None else None
            if width_element is not None:
                width_element.set(qn("w:w"), width)
                width_element.set(qn("w:type"), "dxa")


def _set_grid(table: _Element, widths_cm: Sequence[float]) -> None:
    grid = table.find(qn("w:tblGrid"))
    if grid is None:
        return
    for column in list(grid):
        grid.remove(column)
    for width in widths_cm:
        column = OxmlElement("w:gridCol")
        column.set(qn("w:w"), str(int(Cm(width).twips)))
        grid.append(column)


def fill_tables(body: _Element, tables: dict[str, TableData]) -> dict[bytes, bytes]:
    """Fill the header rows in place; each table's data rows come back as XML text, keyed by the placeholder
    comment left in their place (for files.fixed_zip_times to splice into word/document.xml)."""
    spliced: dict[bytes, bytes] = {}
    for table in list(body.iter(qn("w:tbl"))):
        for row in list(table.iter(TR)):
            markers = _markers(row)
            if not markers or markers[0][0] not in tables:
                continue
            name = markers[0][0]
            data = tables[name]
            header_fields = [f for t, f in markers if t == name and f in data.header]
            for field_name in header_fields:
                _repeat_cells(row, name, field_name, data.header[field_name])
            if data.widths_cm:
                _set_grid(table, data.widths_cm)
            if header_fields:
                if data.widths_cm:
                    _set_widths([row], data.widths_cm)
            else:
                mark = placeholder(name, len(spliced))
                spliced[f"<!--{mark}-->".encode()] = _fill_rows(row, name, data, mark)
    return spliced


def missing_tables(document_xml: str, names: Sequence[str]) -> list[str]:
    return [name for name in names if f"[[{name}." not in document_xml]
