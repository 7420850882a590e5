"""The annual report read back with python-docx: the Nghị định 30/2020 format rules and the content."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from planreports.cli import cli
from planreports.consolidation.frames import consolidate_data
from planreports.ledger import Ledger
from planreports.progress.rules import latest_accepted
from planreports.vn.dates import decree_date
from planreports.vn.numerals import format_number
from planreports.workspace import Workspace
from tests.conftest import filled_on
from tests.libreoffice import convert, needs_libreoffice
from tests.test_consolidate import example_workspace

SLOTS = ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia")


@pytest.fixture(scope="module")
def reported(tmp_path_factory: pytest.TempPathFactory, seed_workspace: Path) -> tuple[Workspace, Path]:
    import shutil

    root = tmp_path_factory.mktemp("report") / "ws"
    shutil.copytree(seed_workspace, root)
    ws = example_workspace(Workspace(root))
    result = CliRunner().invoke(cli, ["-w", str(root), "report", "--period", "2024"])
    assert result.exit_code == 0, result.output
    return ws, root / "output" / "2024" / "bao-cao-2024.docx"


@pytest.fixture(scope="module")
def document(reported: tuple[Workspace, Path]) -> docx.document.Document:
    return docx.Document(str(reported[1]))


def all_runs(document: docx.document.Document):  # type: ignore[no-untyped-def]
    body = document.element.body
    yield from body.iter(qn("w:r"))
    for section in document.sections:
        for part in (section.header, section.first_page_header):
            yield from part._element.iter(qn("w:r"))


def paragraph(document: docx.document.Document, text: str):  # type: ignore[no-untyped-def]
    return next(p for p in document.paragraphs if p.text == text)


def effective_fonts(run, document):  # type: ignore[no-untyped-def]
    """The run's own rFonts, else its paragraph style's (the appendix tables' cells), else Normal's."""
    fonts = run.find(qn("w:rPr") + "/" + qn("w:rFonts"))
    if fonts is not None:
        return fonts
    style = run.getparent().find(qn("w:pPr") + "/" + qn("w:pStyle"))
    element = document.styles.element.get_by_id(style.get(qn("w:val"))) if style is not None else None
    element = element if element is not None else document.styles["Normal"].element
    return element.find(qn("w:rPr") + "/" + qn("w:rFonts"))


def test_every_run_is_times_new_roman_in_every_slot(document) -> None:  # type: ignore[no-untyped-def]
    runs = list(all_runs(document))
    assert len(runs) > 200
    for r in runs:
        fonts = effective_fonts(r, document)
        assert fonts is not None, r.xml[:200]
        assert all(fonts.get(qn(slot)) == "Times New Roman" for slot in SLOTS)
        assert fonts.get(qn("w:asciiTheme")) is None
    normal = document.styles["Normal"].element.rPr.rFonts
    assert all(normal.get(qn(slot)) == "Times New Roman" for slot in SLOTS)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert all(defaults.get(qn(slot)) == "Times New Roman" for slot in SLOTS)


def test_page_setup(document) -> None:  # type: ignore[no-untyped-def]
    main, *appendices = document.sections
    def mm(value: int) -> int:
        return round(value / Mm(1))

    assert (mm(main.page_width), mm(main.page_height)) == (210, 297)
    assert tuple(mm(m) for m in (main.top_margin, main.bottom_margin, main.left_margin, main.right_margin)) == (
        25, 20, 30, 15)
    assert len(appendices) == 2                 # what goes upward: the tasks' status, the figures by bloc
    for section in appendices:
        assert section.orientation == WD_ORIENT.LANDSCAPE and mm(section.page_width) == 297
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    for section in document.sections:
        assert section.different_first_page_header_footer
        header_xml = section.header._element.xml
        assert "PAGE" in header_xml and 'w:fldCharType="begin"' in header_xml
        assert section.header.paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert "PAGE" not in section.first_page_header._element.xml


def test_header_table(document) -> None:  # type: ignore[no-untyped-def]
    table = document.tables[0]
    issuer, nation = table.rows[0].cells
    number, place = table.rows[1].cells
    lines = [p for p in issuer.paragraphs if p.text]
    assert [p.text for p in lines] == ["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"]
    assert all(r.bold and r.font.size == Pt(13) for p in lines for r in p.runs if r.text)
    assert nation.paragraphs[0].text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert nation.paragraphs[0].runs[0].bold and nation.paragraphs[0].runs[0].font.size == Pt(13)
    motto = nation.paragraphs[1]
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and motto.runs[0].bold and motto.runs[0].font.size == Pt(14)
    assert nation.paragraphs[2]._p.find(qn("w:pPr") + "/" + qn("w:pBdr")) is not None   # the rule under it
    assert number.text.startswith("Số:") and number.text.endswith("/BC-UBND")
    assert place.text == "Thái Nguyên, ngày 20 tháng 12 năm 2024"
    assert place.paragraphs[0].runs[0].italic and place.paragraphs[0].runs[0].font.size == Pt(14)
    assert table._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"


def test_every_office_blank_is_highlighted(document) -> None:  # type: ignore[no-untyped-def]
    marked = [r for r in document.element.body.iter(qn("w:r"))
              if r.find(qn("w:rPr") + "/" + qn("w:highlight")) is not None]
    texts = ["".join(t.text or "" for t in r.iter(qn("w:t"))) for r in marked]
    number = document.tables[0].rows[1].cells[0].paragraphs[0]
    # the number the văn thư writes: its spaces are yellow (kept by xml:space), "Số:" and "/BC-UBND" are not
    (blank_run,) = [r for r in number.runs if r._r.find(qn("w:rPr") + "/" + qn("w:highlight")) is not None]
    assert blank_run.text.strip() == "" and len(blank_run.text) >= 3
    assert not any("tháng" in t for t in texts)               # the date is set for 2024: nothing to fill there
    gaps = re.findall(r"\(…… [^()]+? ……\)", "\n".join(p.text for p in document.paragraphs))
    assert gaps and all(gap in texts for gap in gaps)          # every marked blank of the body, yellow
    assert "(…… họ tên người ký ……)" not in texts              # 2024 names its signer


def test_the_letter_blanks_are_found_only_where_nothing_is_written() -> None:
    from planreports.report.render import LETTER_BLANKS

    assert len(LETTER_BLANKS.findall("Số:      /BC-UBND")) == 1 and not LETTER_BLANKS.findall("Số: 12/BC-UBND")
    assert len(LETTER_BLANKS.findall("Thái Nguyên, ngày      tháng      năm 2026")) == 2
    assert not LETTER_BLANKS.findall("Thái Nguyên, ngày 05 tháng 12 năm 2026")
    assert len(LETTER_BLANKS.findall("(Kèm theo Báo cáo số      /BC-UBND ngày      tháng      năm 2026 của …)")) == 3


def test_decree_date_leading_zeros() -> None:
    assert decree_date(date(2025, 2, 5), 2025) == "ngày 05 tháng 02 năm 2025"
    assert decree_date(date(2025, 1, 15), 2025) == "ngày 15 tháng 01 năm 2025"
    assert decree_date(date(2024, 3, 15), 2024) == "ngày 15 tháng 3 năm 2024"
    assert decree_date(date(2024, 12, 9), 2024) == "ngày 09 tháng 12 năm 2024"
    assert decree_date(None, 2024) == "ngày      tháng      năm 2024"


def test_title_and_body_format(document) -> None:  # type: ignore[no-untyped-def]
    title = paragraph(document, "BÁO CÁO")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold and title.runs[0].font.size == Pt(14)
    texts = [p.text for p in document.paragraphs]
    summary = document.paragraphs[texts.index("BÁO CÁO") + 1]
    assert summary.text.startswith("Kết quả thực hiện Chỉ thị số 07/CT-TTg") and summary.runs[0].bold
    headings = [t for t in texts if t[:3] in ("I. ", "II.", "III", "IV.", "V. ")]
    assert [h.split(".")[0] for h in headings] == ["I", "II", "III", "IV", "V"]
    assert all(h == h.upper() for h in headings)
    body = [p for p in document.paragraphs if p.text.startswith("- ") and p.paragraph_format.first_line_indent]
    assert body and all(p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY for p in body)
    assert all(p.paragraph_format.first_line_indent == Cm(1.27) for p in body)
    assert all(p.paragraph_format.space_before >= Pt(6) for p in body)
    assert all(r.font.size == Pt(14) and not r.bold for p in body for r in p.runs if r.text)
    closing = next(t for t in texts if t.startswith("Trên đây là kết quả"))
    assert closing.endswith("./.")
    assert "Kính gửi:" in texts and "- Bộ Thông tin và Truyền thông." in texts


def test_signature_block(document) -> None:  # type: ignore[no-untyped-def]
    table = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Nơi nhận:"))
    left, right = table.rows[0].cells
    label = left.paragraphs[0].runs[0]
    assert label.bold and label.italic and label.font.size == Pt(12)
    items = [p for p in left.paragraphs[1:] if p.text]
    assert items[0].text == "- Như trên;" and items[-1].text == "- Lưu: VT, KGVX."
    assert all(p.text.startswith("- ") for p in items)
    assert all(r.font.size == Pt(11) for p in items for r in p.runs if r.text)
    signer = [p for p in right.paragraphs if p.text]
    assert [p.text for p in signer] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Quang Tiến"]
    assert all(p.runs[0].bold and p.alignment == WD_ALIGN_PARAGRAPH.CENTER for p in signer)


def test_appendices(document) -> None:  # type: ignore[no-untyped-def]
    texts = [p.text for p in document.paragraphs]
    for number in ("I", "II"):
        heading = paragraph(document, f"Phụ lục {number}")
        assert heading.runs[0].bold and heading.alignment == WD_ALIGN_PARAGRAPH.CENTER
        line = texts[texts.index(f"Phụ lục {number}") + 2]
        assert line.startswith("(Kèm theo Báo cáo số") and "của Ủy ban nhân dân tỉnh Thái Nguyên)" in line
    assert "Phụ lục III" not in texts
    data_tables = [t for t in document.tables if t.rows[0].cells[0].text == "STT"]
    assert len(data_tables) == 2
    for table in data_tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
        # no row breaks across a page
        assert all(row._tr.trPr is not None and row._tr.trPr.find(qn("w:cantSplit")) is not None
                   for row in table.rows)
    assert len(data_tables[0].rows) == 1 + 24
    # the body cites them in their order
    body = "\n".join(texts[:texts.index("Phụ lục I")])
    assert body.index("Phụ lục I") < body.index("Phụ lục II")


def test_the_figures_by_bloc_and_every_units_text_in_the_workbook(reported, document) -> None:  # type: ignore[no-untyped-def]
    """Phụ lục II holds each indicator's total per bloc (the province's total recomputes); every accepted unit's
    result text is in the office's working file, the consolidated workbook, with its name."""
    import openpyxl

    ws, _ = reported
    with Ledger(ws.archive_dir) as ledger:
        used = latest_accepted(ledger.receipts("2024"))
        receipts = ledger.receipts("2024")
    data = consolidate_data(ws.plan_for(ws.period("2024")), ws.period("2024"), receipts)
    figures = next(t for t in document.tables if t.rows[0].cells[1].text == "Chỉ tiêu")
    head = [c.text for c in figures.rows[0].cells]
    total_column = head.index("Tổng cộng")
    blocs = head[3:total_column]
    totals = {t.name: t for t in data.total_lines()}
    for row in figures.rows[1:]:
        cells = [c.text for c in row.cells]
        line = totals[cells[1]]
        assert cells[total_column] == format_number(line.total)
        assert cells[3:total_column] == [format_number(line.by_bloc.get(b, 0.0)) for b in blocs]
    assert "Tổng cộng" not in {c.text for r in figures.rows[1:] for c in r.cells}
    assert CliRunner().invoke(cli, ["-w", str(ws.root), "consolidate", "--period", "2024"]).exit_code == 0
    book = openpyxl.load_workbook(ws.consolidated_path(ws.period("2024")), read_only=True)
    said = {cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row
            if isinstance(cell, str)}
    names = {a.code: a.name for a in ws.plan_for(ws.period("2024")).agencies}
    for receipt in used.values():
        assert names[receipt.agency] in said
        for answer in receipt.data["answers"]:
            if answer["result"]:
                assert answer["result"] in said, receipt.agency


def test_same_inputs_same_bytes(reported) -> None:  # type: ignore[no-untyped-def]
    ws, path = reported
    first = path.read_bytes()
    assert CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--period", "2024"]).exit_code == 0
    assert path.read_bytes() == first
    properties = docx.Document(str(path)).core_properties
    # File > Properties: the report's own date (configured for 2024), its issuer, its title
    assert properties.created.date() == date(2024, 12, 20) == properties.modified.date()
    assert properties.author == "Ủy ban nhân dân tỉnh Thái Nguyên"
    assert properties.title.startswith("Kết quả thực hiện Chỉ thị số 07/CT-TTg") and "\n" not in properties.title


def test_template_missing_a_field_is_refused(ws: Workspace) -> None:
    template = docx.Document(str(ws.report_template))
    for table in template.tables:
        for row in table.rows:
            for cell in row.cells:
                for p in cell.paragraphs:
                    for r in p.runs:
                        r.text = r.text.replace("{{ signer_name }}", "Nguyễn Văn A")
    template.save(str(ws.report_template))
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--period", "2024", "--allow-empty"])
    assert result.exit_code == 1
    assert "thiếu trường bắt buộc: {{ signer_name }}" in result.output and "Traceback" not in result.output


def test_office_wording_change_is_followed(ws: Workspace) -> None:
    template = docx.Document(str(ws.report_template))
    target = next(p for p in template.paragraphs if p.text == "BÁO CÁO")
    target.runs[0].text = "BÁO CÁO TỔNG HỢP"
    template.save(str(ws.report_template))
    assert CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--period", "2024", "--allow-empty"]).exit_code == 0
    out = docx.Document(str(ws.output_dir / "2024" / "bao-cao-2024.docx"))
    assert "BÁO CÁO TỔNG HỢP" in [p.text for p in out.paragraphs]


@needs_libreoffice
def test_libreoffice_renders_pdf(reported, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    pdf = convert(reported[1], "pdf", tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000


def test_a_result_with_markup_characters_is_written_as_text(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    """What an agency typed reaches the body as text, whatever characters it holds (autoescaped)."""
    typed = 'Hội nghị "Chính sách & <Cuộc sống>" ]]> <!--x--> lần 2'

    def change(answers) -> None:  # type: ignore[no-untyped-def]
        answers.tasks["1.1"]["result"] = typed
        answers.tasks["1.1"]["status"] = "Đang thực hiện"

    path = filled_on(fill("STP", change), "2024-12-05")
    assert CliRunner().invoke(cli, ["-w", str(ws.root), "collect", str(path), "--period", "2024"]).exit_code == 0
    assert CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--period", "2024", "--allow-empty"]).exit_code == 0
    document = docx.Document(str(ws.report_path(ws.period("2024"))))
    assert any("hội nghị \"Chính sách & <Cuộc sống>\" ]]> <!--x--> lần 2" in p.text for p in document.paragraphs)


def test_a_template_repeating_a_sample_row_gets_the_rows_twice(ws: Workspace) -> None:
    """An office that copied the sample row of Phụ lục I in Word gets each task twice, not a failure."""
    import copy

    template = docx.Document(str(ws.report_template))
    table = next(t for t in template.tables if "[[appendix1." in t._tbl.xml)
    sample = next(r for r in table._tbl.tr_lst if "[[appendix1.text]]" in r.xml)
    sample.addnext(copy.deepcopy(sample))
    template.save(str(ws.report_template))
    assert CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--period", "2024", "--allow-empty"]).exit_code == 0
    document = docx.Document(str(ws.report_path(ws.period("2024"))))
    tasks_table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Đánh giá chung")
    ids = [r.cells[0].text for r in tasks_table.rows[1:]]
    assert len(ids) == 2 * 24 and ids[:24] == ids[24:]


def test_a_template_whose_main_part_has_another_name_keeps_its_tables(ws: Workspace) -> None:
    """Some tools save the document as word/document2.xml: the rows still go into it."""
    import zipfile

    with zipfile.ZipFile(ws.report_template) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document2.xml"] = parts.pop("word/document.xml")
    for name in ("_rels/.rels", "[Content_Types].xml"):
        parts[name] = parts[name].replace(b"/word/document.xml", b"/word/document2.xml").replace(
            b'Target="word/document.xml"', b'Target="word/document2.xml"')
    with zipfile.ZipFile(ws.report_template, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    assert CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--period", "2024", "--allow-empty"]).exit_code == 0
    document = docx.Document(str(ws.report_path(ws.period("2024"))))
    tasks_table = next(t for t in document.tables if t.rows[0].cells[-1].text == "Đánh giá chung")
    assert len(tasks_table.rows) == 1 + 24


def test_an_old_template_with_the_detail_appendices_is_told_to_take_the_new_one(ws: Workspace) -> None:
    """A workspace made when the report carried every unit's detail (Phụ lục III–V) is refused with the fix,
    not rendered with empty sample rows."""
    template = docx.Document(str(ws.report_template))
    table = template.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "[[appendix4.name]]"
    template.save(str(ws.report_template))
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "report", "--period", "2024", "--allow-empty"])
    assert result.exit_code == 1 and "là mẫu cũ" in result.output and "[[appendix4.…]]" in result.output
