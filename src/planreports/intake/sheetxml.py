"""Read a workbook package's XML while it is inflated (intake/reader.py feeds it chunk by chunk).

The rows of every sheet are counted as they stream past, so a million-row sheet is refused long before it is
inflated, and what the values alone do not show is gathered on the way: error cells (t="e"), formulas
without a cached value, hidden rows and columns, merged cells; from the workbook part and its relationships,
which part holds which sheet.

lxml's pull parser, with no DTD loaded, no entity resolved, no network and no huge-tree allowance (a part
that declares a DOCTYPE or ENTITY never gets here: reader.py refuses it first). Elements are matched by local
name, as python-calamine matches them, so a sheet written with a namespace prefix (<x:row>, <x:c>, as some
generators do) reads like an unprefixed one; attributes are read by name, so their order and quoting do not
matter. Completed elements are dropped after every chunk: memory stays bounded by a chunk, however many rows
or cells a part holds.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree

from planreports.plan.sheets import cell_ref

_RANGE = re.compile(r"([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)")
_CELL_REF = re.compile(r"([A-Z]+)([0-9]+)")
MAX_HIDDEN_COLUMN = 200     # hidden columns past this are beyond any table of the form


@dataclass
class SheetFacts:
    error_cells: set[str] = field(default_factory=set)
    formulas_without_value: set[str] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)          # 1-based Excel rows
    hidden_columns: set[int] = field(default_factory=set)       # 1-based Excel columns
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, col, last row, col (1-based)

    def update(self, other: SheetFacts) -> None:
        self.error_cells |= other.error_cells
        self.formulas_without_value |= other.formulas_without_value
        self.hidden_rows |= other.hidden_rows
        self.hidden_columns |= other.hidden_columns
        self.merged += other.merged


def column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def _flag(value: str | None) -> bool:
    return value in ("1", "true")


class Unreadable(Exception):
    """A part the scan refuses: `too_large` (a row of more cells than a sheet has columns) or malformed."""

    def __init__(self, detail: str, too_large: bool = False) -> None:
        super().__init__(detail)
        self.detail = detail
        self.too_large = too_large


ROOTLESS_BYTES = 1 << 20    # a part this long with none of the elements its scan looks for is no such part
MAX_ROW_CELLS = 16_384      # columns of a sheet (A … XFD)
MAX_CELL_PARTS = 64         # children of one cell (f, v, is, extLst: a handful)


class PartScan:
    """One XML part fed chunk by chunk. Only the elements named in TAGS (any namespace) make events: a
    subclass acts on each when it ends; the first event gives the root, from which what is complete is
    dropped after every chunk. A malformed part raises lxml's XMLSyntaxError, or Unreadable."""

    TAGS: tuple[str, ...] = ()
    EVENTS: tuple[Literal["start", "end"], ...] = ("start", "end")

    def __init__(self) -> None:
        self.parser = etree.XMLPullParser(events=self.EVENTS, tag=self.TAGS, resolve_entities=False,
                                          no_network=True, load_dtd=False, huge_tree=False, collect_ids=False)
        self.root: Any = None
        self.local: dict[str, str] = {}   # tag -> local name, worked out once per tag
        self.rows = 0                     # most rows seen in one sheet (or ODS table) so far
        self.fed = 0                      # bytes

    def feed(self, chunk: bytes) -> None:
        self.fed += len(chunk)
        self.parser.feed(chunk)
        self.take()
        if self.root is None and self.fed > ROOTLESS_BYTES:
            raise Unreadable("không có phần tử bảng tính nào")

    def close(self) -> None:
        if self.fed:   # an empty part is for the reader to judge, not a syntax error here
            self.parser.close()
            self.take()

    def name(self, tag: str) -> str:
        local = self.local.get(tag)
        if local is None:
            local = self.local[tag] = tag.rpartition("}")[2]
        return local

    def take(self) -> None:
        element: Any
        local = self.local
        for event, element in self.parser.read_events():
            if self.root is None:
                self.root = element.getroottree().getroot()
            if event == "end":
                tag = element.tag
                self.end(local.get(tag) or self.name(tag), element)
        if self.root is not None:
            self.prune()

    def end(self, local: str, element: Any) -> None:
        raise NotImplementedError

    def prune(self) -> None:
        """Drop what is complete: on the path of open elements, keep only the last child at each level."""
        node = self.root
        while True:
            try:
                last = node[-1]
            except IndexError:
                return
            if not self.keep_children(node) and last.getprevious() is not None:
                del node[:-1]
            node = last

    def keep_children(self, node: Any) -> bool:
        """Whether the open `node` keeps its completed children until it ends (for end() to see them)."""
        return False


HOLD_BYTES = 1 << 20                             # a sheet held back, unparsed, is at most this long
_MARKS = (b"hidden", b"mergeCell")               # a hidden row or column, a merge: any prefix
_F_THEN_END = re.compile(rb"f[\s/>]")


def _formula_start(data: bytes) -> bool:
    """Whether `data` holds the start tag of a formula, <f …> or <x:f …> (a literal search, then a look
    back: faster than a pattern that starts with a class)."""
    return any(m.start() > 0 and data[m.start() - 1] in b"<:" for m in _F_THEN_END.finditer(data))


class SheetScan(PartScan):
    """A worksheet: rows counted, and the SheetFacts.

    Most filled sheets hold nothing that the values do not show, so a sheet is held back, unparsed, while
    its bytes contain nothing a fact needs (an attribute value "e" — attribute values are always quoted —,
    "hidden", "mergeCell", the start tag of an f element), the word "row" occurs at most `row_bound` times
    (every row element holds it, so its rows cannot be more) and it is under HOLD_BYTES. When one of these
    fails, what was held and the rest stream through the parser; a sheet that ends held back has no facts
    and few enough rows, proven from its bytes. Parsed, its cells are looked at when their row ends, and
    only in a row that holds a formula, or once an attribute value "e" was seen."""

    TAGS = ("{*}worksheet", "{*}sheetData", "{*}row", "{*}col", "{*}mergeCell", "{*}f")

    def __init__(self, row_bound: int) -> None:
        super().__init__()
        self.facts = SheetFacts()
        self.row = 0                 # number of the last row that ended
        self.formula_cells: list[Any] = []   # cells of the current row that hold a formula
        self.errors_possible = False
        self.row_bound = row_bound
        self.held: list[bytes] | None = []   # None once the parser is fed
        self.held_bytes = self.row_words = 0
        self.tail = b""              # the end of the previous chunk, for words cut in two

    def feed(self, chunk: bytes) -> None:
        seam = self.tail + chunk[:9]
        if not self.errors_possible:
            self.errors_possible = b'"e"' in chunk or b"'e'" in chunk or b'"e"' in seam or b"'e'" in seam
        if self.held is not None and self.holds(chunk, seam):
            self.held.append(chunk)
        else:
            held, self.held = self.held or [], None
            for part in [*held, chunk]:
                super().feed(part)
        self.tail = chunk[-9:]

    def holds(self, chunk: bytes, seam: bytes) -> bool:
        self.held_bytes += len(chunk)
        self.row_words += chunk.count(b"row") + (self.tail[-2:] + chunk[:2]).count(b"row")   # + cut in two
        if self.errors_possible or self.row_words > self.row_bound or self.held_bytes > HOLD_BYTES:
            return False
        if any(mark in chunk or mark in seam for mark in _MARKS):
            return False
        return not (_formula_start(chunk) or _formula_start(seam))

    def keep_children(self, node: Any) -> bool:
        if not isinstance(node.tag, str):
            return False
        local = self.name(node.tag)
        if local == "row" and len(node) > MAX_ROW_CELLS:
            raise Unreadable(f"một dòng có hơn {MAX_ROW_CELLS} ô", too_large=True)
        if local == "c" and len(node) > MAX_CELL_PARTS:
            raise Unreadable("một ô có cấu trúc bất thường")
        return local in ("row", "c")

    def end(self, local: str, element: Any) -> None:
        if local == "f":
            self.formula_cells.append(element.getparent())
        elif local == "row":
            reference = element.get("r")
            self.row = int(reference) if reference and reference.isdigit() else self.row + 1
            self.rows += 1
            if _flag(element.get("hidden")):
                self.facts.hidden_rows.add(self.row)
            if self.errors_possible or self.formula_cells:
                self.cells(element)
                self.formula_cells.clear()
        elif local == "col" and _flag(element.get("hidden")):
            low, high = element.get("min", ""), element.get("max", "")
            if low.isdigit() and high.isdigit():
                self.facts.hidden_columns.update(range(int(low), min(int(high), MAX_HIDDEN_COLUMN) + 1))
        elif local == "mergeCell":
            found = _RANGE.fullmatch((element.get("ref") or "").upper())
            if found:
                c1, r1, c2, r2 = found.groups()
                self.facts.merged.append((int(r1), column_number(c1), int(r2), column_number(c2)))

    def cells(self, row: Any) -> None:
        """Error cells and formulas without a value in a row that has ended. A cell without a reference
        follows the previous cell of its row, as python-calamine places it."""
        column = 0
        with_formula = {id(cell) for cell in self.formula_cells}
        for cell in row:
            if not isinstance(cell.tag, str) or self.name(cell.tag) != "c":
                continue
            reference = cell.get("r")
            found = _CELL_REF.fullmatch(reference.upper()) if reference is not None else None
            column = column_number(found.group(1)) if found else column + 1
            error = cell.get("t") == "e"
            unvalued = id(cell) in with_formula and not any(   # <v></v> or no <v>: never calculated
                isinstance(child.tag, str) and self.name(child.tag) == "v" and child.text for child in cell)
            if error or unvalued:
                name = reference.upper() if found else cell_ref(column - 1, self.row - 1)
                if error:
                    self.facts.error_cells.add(name)
                if unvalued:
                    self.facts.formulas_without_value.add(name)


class WorkbookScan(PartScan):
    """xl/workbook.xml: each sheet's name and relationship id (r:id, whatever the prefix)."""

    TAGS = ("{*}workbook", "{*}sheet")

    def __init__(self) -> None:
        super().__init__()
        self.sheets: list[tuple[str, str]] = []

    def end(self, local: str, element: Any) -> None:
        if local == "sheet":
            name = element.get("name")
            rid = next((v for k, v in element.attrib.items() if k.startswith("{") and k.endswith("}id")), None)
            if name is not None and rid is not None:
                self.sheets.append((name, rid))


class RelationshipScan(PartScan):
    """xl/_rels/workbook.xml.rels: relationship id -> target."""

    TAGS = ("{*}Relationships", "{*}Relationship")

    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[str, str] = {}

    def end(self, local: str, element: Any) -> None:
        if local == "Relationship" and element.get("Id") is not None and element.get("Target") is not None:
            self.targets[element.get("Id")] = element.get("Target")


class OdsContentScan(PartScan):
    """content.xml of an .ods: rows counted per table."""

    TAGS = ("{*}document-content", "{*}table", "{*}table-row")

    def __init__(self) -> None:
        super().__init__()
        self.table_rows = 0

    def end(self, local: str, element: Any) -> None:
        if local == "table-row":
            self.table_rows += 1
            self.rows = max(self.rows, self.table_rows)
        elif local == "table":
            self.table_rows = 0


def part_key(name: str) -> str:
    """How a part name is compared: python-calamine finds parts ignoring ASCII case."""
    return name.replace("\\", "/").lower()


def sheet_part_keys(target: str) -> set[str]:
    """The part names a workbook relationship target may stand for: as python-calamine resolves it ("xl/"
    before a relative target), normalised, and as an absolute package name."""
    path = target[1:] if target.startswith("/xl/") else target if target.startswith("xl/") else "xl/" + target
    return {part_key(p) for p in (path, posixpath.normpath(path), target.lstrip("/"))}


def facts_by_sheet(workbook: WorkbookScan | None, relationships: RelationshipScan | None,
                   facts: dict[str, SheetFacts]) -> dict[str, SheetFacts]:
    """Each sheet's facts, from the facts of the parts (keyed by part_key)."""
    if workbook is None or relationships is None:
        return {}
    out: dict[str, SheetFacts] = {}
    for name, rid in workbook.sheets:
        target = relationships.targets.get(rid)
        for key in sheet_part_keys(target) if target else ():
            if key in facts:
                out.setdefault(name, SheetFacts()).update(facts[key])
    return out
