"""The hostile corpus: broken, odd and malicious files an agency (or someone posing as one) might send.

Each builder writes one purpose-named file from a real filled template. Run as a script to write the whole
corpus to a folder for manual inspection:

    python -m tests.hostile OUT_DIR
"""

from __future__ import annotations

import io
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import xlsxwriter

SECRET = "BI-MAT-KHONG-DUOC-LO-12345"


def _rebuild(source: Path | io.BytesIO, target: Path, replace: dict[str, bytes], add: dict[str, bytes] | None = None
             ) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            new.writestr(info.filename, replace.get(info.filename, old.read(info)))
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def _sheet_part(source: Path, title: str) -> str:
    book = openpyxl.load_workbook(source)
    index = book.sheetnames.index(title) + 1
    return f"xl/worksheets/sheet{index}.xml"


def zip_bomb(filled: Path, target: Path, gigabytes: float = 2.0) -> Path:
    """sheet XML that inflates to gigabytes of zeros (a few MB on disk)."""
    part = _sheet_part(filled, "Nhiệm vụ")
    size = int(gigabytes * 1024**3)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = b"0" * (1 << 24)
    chunks, crc = [], 0
    for _ in range(size // len(block)):
        chunks.append(compressor.compress(block))
        crc = zlib.crc32(block, crc)
    chunks.append(compressor.flush())
    payload = b"".join(chunks)
    with zipfile.ZipFile(filled) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename != part:
                new.writestr(info.filename, old.read(info))
    return _append_raw_member(target, part, payload, crc, size)


def _append_raw_member(path: Path, name: str, payload: bytes, crc: int, size: int) -> Path:
    """Add a pre-deflated member by hand (zipfile cannot write one without inflating it first)."""
    data = path.read_bytes()
    end = data.rindex(b"PK\x05\x06")
    _, _, _, _, count, cd_size, cd_offset, _ = struct.unpack("<4sHHHHIIH", data[end:end + 22])
    central = data[cd_offset:cd_offset + cd_size]
    body = data[:cd_offset]
    encoded = name.encode()
    local = struct.pack("<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, len(payload), size,
                        len(encoded), 0) + encoded
    entry = struct.pack("<4sHHHHHHIIIHHHHHII", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, len(payload), size,
                        len(encoded), 0, 0, 0, 0, 0, len(body)) + encoded
    new_offset = len(body) + len(local) + len(payload)
    central = central + entry
    trailer = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count + 1, count + 1, len(central), new_offset, 0)
    path.write_bytes(body + local + payload + central + trailer)
    return path


def lying_zip_bomb(filled: Path, target: Path) -> Path:
    """A bomb whose headers claim the part is 1 KB: only inflating under a cap catches it."""
    zip_bomb(filled, target, gigabytes=0.5)
    data = bytearray(target.read_bytes())
    part = _sheet_part(filled, "Nhiệm vụ").encode()
    for signature, size_offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            name_offset = 30 if signature == b"PK\x03\x04" else 46
            if data[start + name_offset:start + name_offset + len(part)] == part:
                data[start + size_offset:start + size_offset + 4] = struct.pack("<I", 1024)
            start += 4
    target.write_bytes(bytes(data))
    return target


def _with_dtd(filled: Path, target: Path, doctype: str, entity: str) -> Path:
    """The task sheet's XML with a DTD in its prolog and the entity where the first header was."""
    part = _sheet_part(filled, "Nhiệm vụ")
    with zipfile.ZipFile(filled) as archive:
        xml = archive.read(part).decode()
    if xml.startswith("<?xml"):
        end = xml.index("?>") + 2
        xml = xml[:end] + doctype + xml[end:]
    else:
        xml = doctype + xml
    xml = xml.replace("<t>Mã nhiệm vụ</t>", f"<t>{entity}</t>", 1)
    return _rebuild(filled, target, {part: xml.encode()})


def billion_laughs(filled: Path, target: Path) -> Path:
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    return _with_dtd(filled, target, f"<!DOCTYPE lolz [{entities}]>", "&lol9;")


def xxe(filled: Path, target: Path, secret_file: Path) -> Path:
    secret_file.write_text(SECRET, encoding="utf-8")
    doctype = f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "{secret_file.resolve().as_uri()}">]>'
    return _with_dtd(filled, target, doctype, "&xxe;")


def million_rows(filled: Path, target: Path, rows: int = 1_000_000) -> Path:
    part = _sheet_part(filled, "Nhiệm vụ")
    with zipfile.ZipFile(filled) as archive:
        xml = archive.read(part)
    extra = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (n, n, n) for n in range(100, 100 + rows))
    xml = xml.replace(b"</sheetData>", extra + b"</sheetData>", 1)
    return _rebuild(filled, target, {part: xml})


def huge_cell(filled: Path, target: Path, length: int = 100_000) -> Path:
    book = openpyxl.load_workbook(filled)
    book["Nhiệm vụ"]["F2"] = "Kết quả " * (length // 8)
    book.save(target)
    return target


def many_sheets(target: Path, count: int = 5000) -> Path:
    book = xlsxwriter.Workbook(str(target))
    for n in range(count):
        book.add_worksheet(f"S{n}")
    book.close()
    return target


def renamed_text(target: Path) -> Path:
    target.write_text("Kính gửi Sở TT&TT, đơn vị xin gửi báo cáo.", encoding="utf-8")
    return target


def empty(target: Path) -> Path:
    target.write_bytes(b"")
    return target


def truncated(filled: Path, target: Path) -> Path:
    data = filled.read_bytes()
    target.write_bytes(data[: len(data) * 2 // 3])
    return target


def word_document(target: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo kết quả thực hiện Chỉ thị 07")
    document.save(str(target))
    return target


def encrypted(filled: Path, target: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with filled.open("rb") as handle:
        OOXMLFile(handle).encrypt("matkhau", out)
    target.write_bytes(out.getvalue())
    return target


def with_macros(filled: Path, target: Path) -> Path:
    return _rebuild(filled, target, {}, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 Sub AutoOpen() Shell calc End Sub"})


def layout_tricks(filled: Path, target: Path) -> Path:
    """Merged answer cells, hidden rows and columns, an extra sheet, formulas without cached values."""
    book = openpyxl.load_workbook(filled)
    tasks = book["Nhiệm vụ"]
    tasks.merge_cells("F3:F4")
    tasks.row_dimensions[5].hidden = True
    tasks.column_dimensions["G"].hidden = True
    figures = book["Số liệu"]
    figures["D3"] = "=SUM(D4:D5)"
    book.create_sheet("Ghi chép riêng")["A1"] = "ghi chú nội bộ"
    book.save(target)
    return target


def formula_text(filled: Path, target: Path) -> Path:
    """Answers that a spreadsheet would run as formulas if written carelessly."""
    book = openpyxl.load_workbook(filled)
    tasks = book["Nhiệm vụ"]
    texts = ['=HYPERLINK("http://evil.example/","bấm vào đây")', "+84 208 3855 123", "-10% so với năm trước",
             "@SUM(1+1)", "\t=1+1"]
    for row, text in enumerate(texts, start=2):
        cell = tasks.cell(row, 6, text)
        cell.data_type = "s"      # stored as text, as Excel stores '=...
    book.save(target)
    return target


def mixed_encodings(filled: Path, target: Path) -> Path:
    import unicodedata

    book = openpyxl.load_workbook(filled)
    tasks = book["Nhiệm vụ"]
    tasks["F2"] = "§· tæ chøc 02 héi nghÞ phæ biÕn"                       # TCVN3
    tasks["F3"] = "Ñaõ toå chöùc 02 hoäi nghò phoå bieán"                  # VNI
    tasks["F4"] = unicodedata.normalize("NFD", "Đã tổ chức 02 hội nghị phổ biến")  # NFD
    book.save(target)
    return target


MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def prefix_elements(xml: bytes) -> bytes:
    """The same part with every unprefixed element written as x:name and the main namespace bound to x, as
    some generators write sheets. Elements that already have a prefix (mc:, x14:) are left alone."""
    xml = re.sub(rb"<(/?)([A-Za-z][\w.-]*)(?=[\s/>])", rb"<\1x:\2", xml)
    return xml.replace(b'xmlns="' + MAIN_NS + b'"', b'xmlns:x="' + MAIN_NS + b'"', 1)


def prefixed(source: Path, target: Path, title: str = "Số liệu", extra_rows: bytes = b"") -> Path:
    """`source` with sheet `title` rewritten with the x: prefix (and extra rows before </sheetData>)."""
    part = _sheet_part(source, title)
    with zipfile.ZipFile(source) as archive:
        xml = prefix_elements(archive.read(part))
    xml = xml.replace(b"</x:sheetData>", extra_rows + b"</x:sheetData>", 1)
    return _rebuild(io.BytesIO(source.read_bytes()), target, {part: xml})   # source may be target


def edited(filled: Path, target: Path, edit: Callable[[openpyxl.Workbook], None]) -> Path:
    """A copy of `filled` as openpyxl saves it after `edit` (what an officer's spreadsheet tool would do)."""
    book = openpyxl.load_workbook(filled)
    edit(book)
    book.save(target)
    return target


def prefixed_error_cell(filled: Path, target: Path) -> Path:
    """A #REF! error in the first “Giá trị” cell (D2) of a prefixed “Số liệu” sheet."""
    def edit(book: openpyxl.Workbook) -> None:
        book["Số liệu"]["D2"] = "#REF!"          # openpyxl writes error strings as t="e" cells
    return prefixed(edited(filled, target, edit), target, "Số liệu")


def prefixed_million_rows(filled: Path, target: Path, rows: int = 1_000_000) -> Path:
    extra = b"".join(b'<x:row r="%d"><x:c r="A%d"><x:v>%d</x:v></x:c></x:row>' % (n, n, n)
                     for n in range(100, 100 + rows))
    return prefixed(filled, target, "Nhiệm vụ", extra)


def prefixed_hidden_row(filled: Path, target: Path) -> Path:
    """Row 5 of a prefixed “Nhiệm vụ” sheet hidden."""
    def edit(book: openpyxl.Workbook) -> None:
        book["Nhiệm vụ"].row_dimensions[5].hidden = True
    return prefixed(edited(filled, target, edit), target, "Nhiệm vụ")


def prefixed_merge(filled: Path, target: Path) -> Path:
    """Answer cells F3:F4 of a prefixed “Nhiệm vụ” sheet merged."""
    def edit(book: openpyxl.Workbook) -> None:
        book["Nhiệm vụ"].merge_cells("F3:F4")
    return prefixed(edited(filled, target, edit), target, "Nhiệm vụ")


BUILDERS: dict[str, Callable[..., Path]] = {
    "zip-bomb.xlsx": zip_bomb, "lying-zip-bomb.xlsx": lying_zip_bomb, "billion-laughs.xlsx": billion_laughs,
    "million-rows.xlsx": million_rows, "huge-cell.xlsx": huge_cell, "encrypted.xlsx": encrypted,
    "macros.xlsm": with_macros, "truncated.xlsx": truncated, "layout-tricks.xlsx": layout_tricks,
    "formula-text.xlsx": formula_text, "mixed-encodings.xlsx": mixed_encodings,
    "prefixed-error-cell.xlsx": prefixed_error_cell, "prefixed-million-rows.xlsx": prefixed_million_rows,
    "prefixed-hidden-row.xlsx": prefixed_hidden_row, "prefixed-merge.xlsx": prefixed_merge,
}


def write_corpus(filled: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = [builder(filled, out / name) for name, builder in BUILDERS.items()]
    paths.append(xxe(filled, out / "xxe.xlsx", out / "secret.txt"))
    paths += [many_sheets(out / "5000-sheets.xlsx"), renamed_text(out / "thu-ngo.xlsx"), empty(out / "rong.xlsx"),
              word_document(out / "cong-van.xlsx")]
    return paths


if __name__ == "__main__":
    from planreports.form.batch import generate_templates
    from planreports.testing.filling import fill_template
    from planreports.testing.synthetic import synthetic_answers
    from planreports.workspace import Workspace

    workspace = Workspace(Path(__file__).resolve().parents[1])
    destination = Path(sys.argv[1])
    (template,) = generate_templates(workspace, workspace.period("2024"), ["STP"])
    answers = synthetic_answers(workspace.plan, workspace.plan.agency_by_code["STP"], 2024)
    source = fill_template(template, answers, destination / "_filled-stp.xlsx")
    for written in write_corpus(source, destination):
        print(written)
