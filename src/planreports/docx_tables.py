"""Fill the report's large tables by cloning a styled sample row with lxml.

The Word template holds, for each table, a header row and one sample row whose cells contain markers such as
[[appendix3.name]]. After the text fields are rendered, each sample row is copied once per data row and
its markers replaced; a cell whose marker names a list ([[appendix2.figure]], [[appendix2.head]]) is first
repeated once per list item. The office styles the sample row in Word and every row follows. Cloning in lxml
costs microseconds per row where python-docx's row API rebuilds the table grid on every access.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from lxml.etree import _Element

MARKER = re.compile(r"\[\[(\w+)\.(\w+)\]\]")
T, TC, TR = qn("w:t"), qn("w:tc"), qn("w:tr")


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
    return [m.groups() for cell in row.iter(TC) for m in MARKER.finditer(_cell_text(cell))]


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


def _fill_rows(template: _Element, table: str, data: TableData) -> None:
    list_fields = {f for f, v in (data.rows[0].items() if data.rows else []) if isinstance(v, list)}
    sample = copy.deepcopy(template)
    for name in list_fields:  # widen the sample first: one marker cell per list item, numbered
        count = len(data.rows[0][name])
        _repeat_cells(sample, table, name, [f"[[{table}.{name}__{i}]]" for i in range(count)])
    plan = []   # (index of the w:t to write, field, item) for each marker cell, computed once
    texts = list(sample.iter(T))
    position = {id(t): n for n, t in enumerate(texts)}
    blank: list[int] = []
    for cell in sample.iter(TC):
        found = MARKER.search(_cell_text(cell))
        cell_texts = list(cell.iter(T))
        if found and cell_texts:
            name, _, item = found.group(2).partition("__")
            plan.append((position[id(cell_texts[0])], name, int(item) if item else None))
            blank += [position[id(t)] for t in cell_texts[1:]]
    anchor = template
    for row in data.rows:
        clone = copy.deepcopy(sample)
        clone_texts = list(clone.iter(T))
        for index in blank:
            clone_texts[index].text = ""
        for index, name, item in plan:
            value = row.get(name, "")
            clone_texts[index].text = str(value[item] if item is not None else value)
        anchor.addnext(clone)
        anchor = clone
    template.getparent().remove(template)


def _widths(table: _Element, widths_cm: Sequence[float]) -> None:
    grid = table.find(qn("w:tblGrid"))
    if grid is not None:
        for column in list(grid):
            grid.remove(column)
        for width in widths_cm:
            column = OxmlElement("w:gridCol")
            column.set(qn("w:w"), str(int(Cm(width).twips)))
            grid.append(column)
    for row in table.iter(TR):
        for cell, width in zip(row.iter(TC), widths_cm, strict=False):
            props = cell.find(qn("w:tcPr"))
            width_element = props.find(qn("w:tcW")) if props is not None else None
            if width_element is not None:
                width_element.set(qn("w:w"), str(int(Cm(width).twips)))
                width_element.set(qn("w:type"), "dxa")


def fill_tables(body: _Element, tables: dict[str, TableData]) -> None:
    for table in list(body.iter(qn("w:tbl"))):
        for row in list(table.iter(TR)):
            markers = _markers(row)
            if not markers or markers[0][0] not in tables:
                continue
            name = markers[0][0]
            data = tables[name]
            header_fields = [f for t, f in markers if t == name and f in data.header]
            if header_fields:
                for field_name in header_fields:
                    _repeat_cells(row, name, field_name, data.header[field_name])
            else:
                _fill_rows(row, name, data)
                if data.widths_cm:
                    _widths(table, data.widths_cm)


def missing_tables(document_xml: str, names: Sequence[str]) -> list[str]:
    return [name for name in names if f"[[{name}." not in document_xml]
