"""Build the default Word template of the report (templates/bao-cao.docx), editable in Word.

The wording and layout live in the .docx: `init` writes it once and the office may change headings, the
signer block or table styling in Word; rendering (report.py) only fills the {{ fields }}. The layout follows
Nghị định 30/2020/NĐ-CP, Phụ lục I: A4, margins 25/20/30/15 mm, Times New Roman in every font slot,
two-column header and signature tables, page numbers centred in the header from page 2, appendices in
landscape sections numbering their own pages.
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from planreports.files import FIXED_TIME, atomic_path, fixed_zip_times
from planreports.report.ooxml import (
    a4,
    cant_split,
    column_widths,
    grid_borders,
    hairline,
    no_borders,
    page_number_field,
    repeat_header,
    restart_numbering,
    rule_paragraph,
    run,
    set_font,
    spacing,
    style_font,
)

CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
TABLE_TEXT_STYLE = "Bảng số liệu"
REMINDER_FIELDS = ("issuer_lines", "number", "symbol", "subject", "place", "date_line", "addressees", "body",
                   "recipients", "signer_lines", "signer_name")
# Fields every template must use; report.py refuses a template missing one of them.
REQUIRED_FIELDS = ("issuer_lines", "number", "symbol", "place", "date_line", "summary_line", "body",
                   "recipients", "signer_lines", "signer_name", "appendix_line")


def _para(container: object, text: str = "", size: float = 14, bold: bool = False, italic: bool = False,
          align: object = CENTER, before: float = 0, after: float = 0) -> object:
    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = align
    spacing(paragraph, before, after, 1.0)
    if text:
        run(paragraph, text, size, bold, italic)
    return paragraph


def _styles(document: Document) -> None:
    normal = document.styles["Normal"]
    style_font(normal, 14)
    normal.paragraph_format.space_after = Pt(0)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            set_font(rpr)
    for name in ("Header", "Footer", "Table Grid"):
        try:
            style_font(document.styles[name], 14)
        except KeyError:
            continue
    # the appendix tables' data cells: formatting lives in this style, not on each of the many thousand runs
    table_text = document.styles.add_style(TABLE_TEXT_STYLE, WD_STYLE_TYPE.PARAGRAPH)
    table_text.base_style = normal
    style_font(table_text, 11)
    table_text.paragraph_format.space_before = Pt(2)
    table_text.paragraph_format.space_after = Pt(2)
    table_text.paragraph_format.line_spacing = 1.0


def _header_table(document: Document, with_subject: bool = False) -> None:
    """Issuer | national motto, then "Số: …" | place and date; a công văn adds "V/v …" under the number."""
    table = document.add_table(rows=2, cols=2)
    no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    column_widths(table, [6.5, 10.5])
    left, right = table.rows[0].cells
    left.paragraphs[0].alignment = CENTER
    run(left.paragraphs[0], "{%p if issuer_parent %}", 13)
    _para(left, "{{ issuer_parent }}", 13)
    _para(left, "{%p endif %}", 13)
    _para(left, "{%p for line in issuer_lines %}", 13)
    _para(left, "{{ line }}", 13, bold=True)
    _para(left, "{%p endfor %}", 13)
    rule_paragraph(left, 2.0, 2.0)
    right.paragraphs[0].alignment = CENTER
    run(right.paragraphs[0], "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", 14, bold=True)
    rule_paragraph(right, 2.1, 2.1)
    number_cell, date_cell = table.rows[1].cells
    number_cell.paragraphs[0].alignment = CENTER
    spacing(number_cell.paragraphs[0], 6, 0, 1.0)
    run(number_cell.paragraphs[0], "Số: {{ number }}/{{ symbol }}", 13)
    if with_subject:
        _para(number_cell, "{{ subject }}", 12, before=3)
    date_cell.paragraphs[0].alignment = CENTER
    spacing(date_cell.paragraphs[0], 6, 0, 1.0)
    run(date_cell.paragraphs[0], "{{ place }}, {{ date_line }}", 14, italic=True)


def _title(document: Document) -> None:
    _para(document, "BÁO CÁO", 14, bold=True, before=24)
    # 13 pt (the decree allows 13–14): a trích yếu's lines break where the settings say ("\n"), not mid-name
    _para(document, "{{ summary_line }}", 13, bold=True)
    rule_paragraph(document, 6.5, 6.5)
    _addressees(document)


def _addressees(document: Document) -> None:
    # one addressee goes on the "Kính gửi" line itself; several are listed under it, one per line
    _para(document, "{%p if addressees|length == 1 %}", 14, before=6)
    single = _para(document, "Kính gửi: {{ addressees[0] }}", 14, align=LEFT)
    single.paragraph_format.left_indent = Cm(3.5)  # type: ignore[attr-defined]
    _para(document, "{%p elif addressees %}", 14, before=6)
    kinh_gui = _para(document, "Kính gửi:", 14, align=LEFT)
    kinh_gui.paragraph_format.left_indent = Cm(3.5)  # type: ignore[attr-defined]
    _para(document, "{%p for a in addressees %}", 14)
    item = _para(document, "- {{ a }}", 14, align=LEFT)
    item.paragraph_format.left_indent = Cm(5.5)  # type: ignore[attr-defined]
    _para(document, "{%p endfor %}", 14)
    _para(document, "{%p endif %}", 14, after=6)


def _body(document: Document) -> None:
    """One template paragraph per kind of block; the office restyles a kind by restyling its paragraph."""
    _para(document, "{%p for b in body %}", 14)
    kinds = (("if", "h1", True, False), ("elif", "h2", True, False), ("elif", "h3", False, True),
             ("elif", "table_note", False, True))
    for keyword, kind, bold, italic in kinds:
        _para(document, f"{{%p {keyword} b.kind == '{kind}' %}}", 14)
        block = _para(document, "{{ b.text }}", 14, bold=bold, italic=italic, align=JUSTIFY, before=6)
        block.paragraph_format.first_line_indent = Cm(1.27)  # type: ignore[attr-defined]
        block.paragraph_format.line_spacing = 1.15  # type: ignore[attr-defined]
    _para(document, "{%p else %}", 14)
    body = _para(document, "{{ b.text }}", 14, align=JUSTIFY, before=6)
    body.paragraph_format.first_line_indent = Cm(1.27)  # type: ignore[attr-defined]
    body.paragraph_format.line_spacing = 1.15  # type: ignore[attr-defined]
    _para(document, "{%p endif %}", 14)
    _para(document, "{%p endfor %}", 14)


def _signature(document: Document) -> None:
    table = document.add_table(rows=1, cols=2)
    no_borders(table)
    column_widths(table, [7.5, 9.0])
    left, right = table.rows[0].cells
    spacing(left.paragraphs[0], 12, 0, 1.0)
    run(left.paragraphs[0], "Nơi nhận:", 12, bold=True, italic=True)
    _para(left, "{%p for r in recipients %}", 11, align=LEFT)
    _para(left, "- {{ r }}", 11, align=LEFT)
    _para(left, "{%p endfor %}", 11, align=LEFT)
    right.paragraphs[0].alignment = CENTER
    spacing(right.paragraphs[0], 12, 0, 1.0)
    run(right.paragraphs[0], "{%p for line in signer_lines %}", 14)
    _para(right, "{{ line }}", 14, bold=True)
    _para(right, "{%p endfor %}", 14)
    for _ in range(4):
        _para(right, "", 14)
    _para(right, "{{ signer_name }}", 14, bold=True)
    cant_split(table)       # the signature block is never cut between two pages


def _appendix_heading(document: Document, number: str, title: str) -> None:
    _para(document, f"Phụ lục {number}", 14, bold=True)
    _para(document, title, 14, bold=True)
    _para(document, "{{ appendix_line }}", 14, italic=True)
    rule_paragraph(document, 10.0, 10.0)
    _para(document, "", 6)


def _cell(cell: object, text: str, size: float = 11, bold: bool = False, align: object = LEFT) -> None:
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = align
    spacing(paragraph, 2, 2, 1.0)
    run(paragraph, text, size, bold)


def _data_cell(cell: object, text: str, align: object) -> None:
    """A sample-row cell: style "Bảng số liệu" carries font and size, the run carries nothing."""
    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.style = TABLE_TEXT_STYLE
    paragraph.alignment = align
    paragraph.add_run(text)


def _data_table(document: Document, headers: list[str], fields: list[str], widths: list[float],
                table_name: str, centred: set[int]) -> None:
    """A bordered table: a bold header row repeated on every page and one styled sample row whose cells
    hold [[table.field]] markers; tables.py clones that row once per data row after rendering."""
    table = document.add_table(rows=2, cols=len(headers))
    grid_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, title in zip(table.rows[0].cells, headers, strict=True):
        _cell(cell, title, 11, bold=True, align=CENTER)
    repeat_header(table)
    for index, (cell, field) in enumerate(zip(table.rows[1].cells, fields, strict=True)):
        _data_cell(cell, f"[[{table_name}.{field}]]", CENTER if index in centred else LEFT)
    column_widths(table, widths)
    cant_split(table)


def _appendix_section(document: Document) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    # the section break lives in an empty paragraph after the table before it; at full size it spills onto a
    # page of its own when that table ends at the foot of a page (a blank page with only its number)
    hairline(document.paragraphs[-1])
    a4(section, landscape=True)
    section.different_first_page_header_footer = True
    restart_numbering(section)


def _appendices(document: Document) -> None:
    """What goes upward beside the body: the tasks' status and the figures by bloc (the detail of every unit is
    in the office's consolidated workbook). Count columns are wide enough for "Không phát sinh" at 11 pt bold."""
    _appendix_section(document)
    _appendix_heading(document, "I", "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ CỦA KẾ HOẠCH")
    _data_table(document,
                ["STT", "Nhiệm vụ", "Chủ trì", "Thời hạn", "Số đơn vị chủ trì", "Hoàn thành", "Đang thực hiện",
                 "Chưa thực hiện", "Không phát sinh", "Chưa báo cáo", "Đánh giá chung"],
                ["id", "text", "lead", "deadline", "leads", "done", "ongoing", "not_started", "not_applicable",
                 "no_report", "overall"],
                [1.2, 4.6, 3.8, 3.2, 1.75, 1.75, 1.75, 1.75, 1.75, 1.75, 2.9], "appendix1", {0, 4, 5, 6, 7, 8, 9})
    _appendix_section(document)
    _appendix_heading(document, "II", "SỐ LIỆU KẾT QUẢ THEO KHỐI CƠ QUAN, ĐƠN VỊ")
    # the [[appendix2.head]] and [[appendix2.figure]] cells are repeated once per bloc, total, comparison
    _data_table(document, ["STT", "Chỉ tiêu", "Đơn vị tính", "[[appendix2.head]]"], ["no", "name", "unit", "figure"],
                [1.2, 8.0, 2.4, 2.5], "appendix2", {0, 2, 3})


def _headers(document: Document) -> None:
    """Page number centred in the header, not on the first page; appendices repeat the same header."""
    for section in document.sections:
        section.different_first_page_header_footer = True
        header = section.header
        header.is_linked_to_previous = False
        paragraph = header.paragraphs[0]
        paragraph.alignment = CENTER
        page_number_field(paragraph, 14)
        section.first_page_header.is_linked_to_previous = False


def _save(document: Document, path: Path, title: str) -> Path:
    props = document.core_properties
    props.author = "planreports"
    props.title = title
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = "planreports"
    props.revision = 1
    with atomic_path(path) as tmp:
        document.save(str(tmp))
        fixed_zip_times(tmp)
    return path


def _new_document() -> Document:
    document = docx.Document()
    _styles(document)
    a4(document.sections[0])
    return document


def build_report_template(path: Path) -> Path:
    document = _new_document()
    _header_table(document)
    _title(document)
    _body(document)
    _signature(document)
    _appendices(document)
    _headers(document)
    return _save(document, path, "Báo cáo kết quả thực hiện Kế hoạch")


def build_reminder_template(path: Path) -> Path:
    """The công văn đôn đốc: same header, "V/v …" under the number, "Kính gửi", body, signature."""
    document = _new_document()
    _header_table(document, with_subject=True)
    _para(document, "", 14, before=6)
    _addressees(document)
    _body(document)
    _signature(document)
    _headers(document)
    return _save(document, path, "Công văn đôn đốc báo cáo")
