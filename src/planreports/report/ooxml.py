"""Low-level OOXML helpers for the Nghị định 30/2020 layout (python-docx has no API for these)."""

from __future__ import annotations

import copy
import re

from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.styles.style import BaseStyle
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run
from lxml.etree import _Element

from planreports.files import FONT

FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")
THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_font(element_rpr: object) -> None:
    """Times New Roman in all four script slots; theme attributes removed so they cannot win."""
    rpr = element_rpr
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for slot in FONT_SLOTS:
        fonts.set(qn(slot), FONT)
    for slot in THEME_SLOTS:
        fonts.attrib.pop(qn(slot), None)


def style_font(style: BaseStyle, size: float, bold: bool | None = None) -> None:
    style.font.size = Pt(size)  # type: ignore[attr-defined]
    if bold is not None:
        style.font.bold = bold  # type: ignore[attr-defined]
    set_font(style.element.get_or_add_rPr())


def run(paragraph: Paragraph, text: str, size: float = 14, bold: bool = False, italic: bool = False) -> Run:
    r = paragraph.add_run(text)
    r.font.size = Pt(size)
    r.font.bold = bold
    r.font.italic = italic
    set_font(r._r.get_or_add_rPr())
    return r


def spacing(paragraph: Paragraph, before: float = 0, after: float = 0, line: float | None = None) -> None:
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = line


def hairline(paragraph: Paragraph) -> None:
    """An empty paragraph as small as Word draws one: no spacing, a 1 pt line and a 1 pt paragraph mark."""
    spacing(paragraph, 0, 0)
    paragraph.paragraph_format.line_spacing = Pt(1)
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)       # w:rPr comes last in w:pPr but for w:sectPr and w:pPrChange
        sect = ppr.find(qn("w:sectPr"))
        if sect is not None:
            sect.addprevious(rpr)
    for tag in ("w:sz", "w:szCs"):
        size = OxmlElement(tag)
        size.set(qn("w:val"), "2")
        rpr.append(size)


def bottom_rule(paragraph: Paragraph, left_cm: float, right_cm: float) -> None:
    """A solid rule under a paragraph, shortened by indents (the decree's short lines under names)."""
    paragraph.paragraph_format.left_indent = Cm(left_cm)
    paragraph.paragraph_format.right_indent = Cm(right_cm)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)


def rule_paragraph(cell_or_doc: object, left_cm: float, right_cm: float) -> Paragraph:
    """An empty, 2-pt high paragraph carrying only a short rule."""
    paragraph: Paragraph = cell_or_doc.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing(paragraph, 0, 0, 1.0)
    r = run(paragraph, "", size=2)
    r.font.size = Pt(2)
    bottom_rule(paragraph, left_cm, right_cm)
    return paragraph


def no_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def grid_borders(table: Table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "0"), ("w:color", "000000")):
            element.set(qn(key), value)
        borders.append(element)
    tbl_pr.append(borders)


def column_widths(table: Table, widths_cm: list[float]) -> None:
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths_cm, strict=True):
        col.set(qn("w:w"), str(int(Cm(width).twips)))


def repeat_header(table: Table) -> None:
    """Mark the first row as a header row repeated on every page (<w:tblHeader/>)."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def page_number_field(paragraph: Paragraph, size: float = 14) -> None:
    """A PAGE field: begin / instrText / separate / placeholder / end."""
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "2"), ("end", None)):
        r = run(paragraph, "", size=size)
        if kind is not None:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
        elif text == " PAGE ":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text or ""


def a4(section: object, landscape: bool = False) -> None:
    """A4 with the decree's margins (top 25, bottom 20, left 30, right 15 mm); landscape swaps sides."""
    width, height = Mm(210), Mm(297)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    section.page_width, section.page_height = (height, width) if landscape else (width, height)  # type: ignore[attr-defined]
    section.top_margin = Mm(20 if landscape else 25)  # type: ignore[attr-defined]
    section.bottom_margin = Mm(20)  # type: ignore[attr-defined]
    section.left_margin = Mm(20 if landscape else 30)  # type: ignore[attr-defined]
    section.right_margin = Mm(15)  # type: ignore[attr-defined]
    section.header_distance = Mm(12)  # type: ignore[attr-defined]
    section.footer_distance = Mm(10)  # type: ignore[attr-defined]


def restart_numbering(section: object) -> None:
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    pg = sect_pr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        sect_pr.append(pg)
    pg.set(qn("w:start"), "1")


def cant_split(table: Table) -> None:
    """No row of the table breaks across a page (<w:cantSplit/>); the sample row's copies inherit it."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.insert(0, OxmlElement("w:cantSplit"))


# the children of w:rPr that come after w:highlight in the schema (Word refuses another order)
_AFTER_HIGHLIGHT = tuple(qn(f"w:{name}") for name in ("u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl",
                                                      "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"))


def _insert_in_order(rpr: _Element, element: _Element) -> None:
    following = next((child for child in rpr if child.tag in _AFTER_HIGHLIGHT), None)
    if following is None:
        rpr.append(element)
    else:
        following.addprevious(element)


def highlight_marks(body: _Element, pattern: re.Pattern[str], colour: str = "yellow") -> int:
    """Highlight every match of `pattern` in the body's runs (a marked blank for the office), splitting a run
    around it; the split runs keep the run's own formatting. Returns how many were highlighted."""
    found = 0
    for r in list(body.iter(qn("w:r"))):
        texts = r.findall(qn("w:t"))
        if len(texts) != 1 or not texts[0].text or not pattern.search(texts[0].text):
            continue
        text, parent = texts[0].text, r.getparent()
        if parent is None:
            continue
        pieces, last = [], 0
        for match in pattern.finditer(text):
            pieces += [(text[last:match.start()], False), (match.group(0), True)]
            last = match.end()
        pieces.append((text[last:], False))
        for piece, marked in pieces:
            if not piece:
                continue
            clone = copy.deepcopy(r)
            clone_text = clone.find(qn("w:t"))
            assert clone_text is not None
            clone_text.text = piece
            # a piece that starts or ends with a space (a blank of spaces, above all) keeps it in Word
            clone_text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            if marked:
                rpr = clone.find(qn("w:rPr"))
                if rpr is None:
                    rpr = OxmlElement("w:rPr")
                    clone.insert(0, rpr)
                mark = OxmlElement("w:highlight")
                mark.set(qn("w:val"), colour)
                _insert_in_order(rpr, mark)
                found += 1
            r.addprevious(clone)
        parent.remove(r)
    return found
