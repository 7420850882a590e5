"""Zip packages rewritten so that python-calamine reads what a valid file says.

- .ods: python-calamine stops at text between a table row and its cells ("Expecting 'table-cell'"), and
  Gnumeric indents its content.xml: a valid file that LibreOffice opens was reported as corrupt. Whitespace
  between elements, outside the text of a paragraph (the elements of ODF's text namespace: text:p, text:span,
  …), is the layout of the XML, not content: it is removed.
- .xlsx: a cell style (xf) with a number format id of 27–36 or 50–58 and no numFmt of that id is a date only
  in a Chinese, Japanese or Korean Excel (see intake/numformats.py): it is pointed at format 0 (General), so
  its numbers stay numbers.

Only the copy handed to python-calamine is rewritten, and only when there is something to change; the file as
received is kept as it came. The parts were already inflated once under the size limits and checked for DTDs
and entities (intake/reader.py); they are parsed with nothing resolved or fetched.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Any

from lxml import etree

from planreports.intake.numformats import EAST_ASIAN_DATES
from planreports.intake.sheetxml import part_key

ODS_CONTENT = "content.xml"
XLSX_STYLES = "xl/styles.xml"
TEXT_NS = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_SPACE_BETWEEN_TAGS = re.compile(rb">\s+<")
_EAST_ASIAN_ID = re.compile(rb"""numFmtId\s*=\s*["'](?:2[7-9]|3[0-6]|5[0-8])["']""")


def _parse(xml: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    return etree.fromstring(xml, parser)


def _layout(text: str | None) -> bool:
    return text is not None and text != "" and text.isspace()


def unindented(content: bytes) -> bytes | None:
    """An .ods content.xml without whitespace between elements outside paragraphs; None when it has none."""
    if not _SPACE_BETWEEN_TAGS.search(content):
        return None
    root = _parse(content)
    changed = False
    for element in root.iter(tag=etree.Element):
        outside_text = not element.tag.startswith(TEXT_NS)
        if outside_text and len(element) and _layout(element.text):
            element.text, changed = None, True
        for child in element:
            if outside_text and _layout(child.tail):
                child.tail, changed = None, True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8") if changed else None


def general_styles(styles: bytes) -> bytes | None:
    """An .xlsx styles part with each cell style of a bare East Asian date id set to General; None when none."""
    if not _EAST_ASIAN_ID.search(styles):
        return None
    root = _parse(styles)
    defined = {element.get("numFmtId") for element in root.iterfind("{*}numFmts/{*}numFmt")}
    changed = False
    for xf in root.iterfind("{*}cellXfs/{*}xf"):
        format_id = (xf.get("numFmtId") or "").strip()
        if format_id.isdigit() and int(format_id) in EAST_ASIAN_DATES and format_id not in defined:
            xf.set("numFmtId", "0")
            changed = True
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) if changed else None


def _rebuilt(archive: zipfile.ZipFile, replaced: dict[str, bytes]) -> bytes:
    """The package with some parts' bodies replaced; every part keeps its name, order and compression."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", strict_timestamps=False) as target:
        for info in archive.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type, copy.external_attr = info.compress_type, info.external_attr
            body = replaced.get(info.filename)
            target.writestr(copy, body if body is not None else archive.read(info))
    return out.getvalue()


def readable_package(archive: zipfile.ZipFile, data: bytes, ods: bool) -> bytes:
    """The bytes of a package for python-calamine: the file, or a copy with the parts it misreads rewritten.
    May raise on a part that does not parse: the caller keeps the file as it is then."""
    wanted = ODS_CONTENT if ods else XLSX_STYLES
    name = next((n for n in archive.namelist() if (n if ods else part_key(n)) == wanted), None)
    if name is None:
        return data
    body = (unindented if ods else general_styles)(archive.read(name))
    return data if body is None else _rebuilt(archive, {name: body})
