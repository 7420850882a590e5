"""The mistakes of an ordinary week, the files: a file no agency could be identified from stays in sight (status,
--json, the status page in Chromium) with its sender, and a duplicate recalls what its first copy was told."""

from __future__ import annotations

import json
import re
from pathlib import Path

import docx

from planreports.intake.sources import Incoming, iter_sources
from planreports.workspace import Workspace
from tests import browser
from tests.libreoffice import convert_many, needs_libreoffice
from tests.weekhelp import PDF, PDF_TYPE, XLSX_TYPE, digest, invoke, mail, receipts, small_example

SXD = "Sở Xây dựng <sxd@thainguyen.gov.vn>"
STRANGER = "Văn thư <vanthu.xa@gmail.com>"


def workbook_of(eml: Path) -> bytes:
    (item,) = [i for i in iter_sources([eml]) if isinstance(i, Incoming)]
    return item.data


def unidentified_inbox(ws: Workspace, tmp_path: Path) -> None:
    """Three files nobody could identify: a PDF mailed from SXD's registered address, a Word file saved in the
    folder, a broken workbook mailed from an address the lists do not know."""
    folder = ws.inbox / "2026"
    (folder / "sxd-pdf.eml").write_bytes(mail(SXD, "Báo cáo CT07", [("Bao cao CT07.pdf", PDF, PDF_TYPE)]))
    word = docx.Document()
    word.add_paragraph("Báo cáo kết quả thực hiện Chỉ thị 07")
    word.save(str(folder / "bao-cao-xa.docx"))
    broken = workbook_of(folder / "stp.eml")[:3000]
    (folder / "hong.eml").write_bytes(mail(STRANGER, "Gửi báo cáo", [("Bao cao xa.xlsx", broken, XLSX_TYPE)]))


def test_unidentified_files_stay_on_status_with_their_sender(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd", keep=("stp.eml",))
    unidentified_inbox(ws, tmp_path)
    collected = invoke(ws, "collect", "--period", "2026")
    assert collected.exit_code == 1, collected.output
    status = invoke(ws, "status", "--period", "2026")
    assert status.exit_code == 0, status.output
    out = status.stdout
    assert "Tệp không xác định được đơn vị (3), không tính cho đơn vị nào:" in out
    assert ("- Bao cao CT07.pdf: nhận 16/11/2026 09:00, từ Sở Xây dựng <sxd@thainguyen.gov.vn> — địa chỉ của Sở Xây "
            "dựng (SXD) trong input/don-vi.xlsx.") in " ".join(out.split())
    assert "(file-is-pdf)" in out and "(file-is-document)" in out and "(file-corrupt)" in out
    assert f"từ {STRANGER}." in " ".join(out.split())
    assert "bao-cao-xa.docx: nhận" in out and f"từ tệp {Path('input', 'inbox', '2026', 'bao-cao-xa.docx')}." in out
    assert max(len(line) for line in out.splitlines() if not line.startswith("Đã ghi ")) <= 100
    data = json.loads(invoke(ws, "status", "--period", "2026", "--json").stdout)
    files = {f["file"]: f for f in data["_unidentified"]}
    assert set(files) == {"Bao cao CT07.pdf", "bao-cao-xa.docx", "Bao cao xa.xlsx"}
    assert files["Bao cao CT07.pdf"]["agency_by_sender"] == "SXD" and files["Bao cao CT07.pdf"]["sender"] == SXD
    assert files["Bao cao xa.xlsx"]["agency_by_sender"] is None
    assert files["bao-cao-xa.docx"]["sender"] is None
    assert [i["code"] for i in files["Bao cao CT07.pdf"]["issues"]] == ["file-is-pdf"]
    assert data["SXD"]["state"] == "missing"               # the sender is a hint, the file decides
    page = (ws.output_dir / "2026" / "tinh-hinh-2026.html").read_text(encoding="utf-8")
    assert "Tệp không xác định được đơn vị (3)</h3>" in page
    assert "Địa chỉ của Sở Xây dựng (SXD) trong danh mục đơn vị" in page
    assert 'href="#khong-xac-dinh"><strong>3</strong> tệp không xác định được đơn vị</a>' in page


def test_the_status_page_shows_them_in_chromium(tmp_path: Path) -> None:
    chromium = browser.require_chromium()
    ws = small_example(tmp_path / "vd", keep=("stp.eml",))
    unidentified_inbox(ws, tmp_path)
    invoke(ws, "collect", "--period", "2026")
    html = (ws.output_dir / "2026" / "tinh-hinh-2026.html").read_bytes()
    with browser.serve({"/tinh-hinh-2026.html": html}) as server:
        dom = browser.run(chromium, server, "/tinh-hinh-2026.html", tmp_path / "p1", "--dump-dom")
        shot = tmp_path / "tinh-hinh-khong-xac-dinh.png"
        browser.run(chromium, server, "/tinh-hinh-2026.html", tmp_path / "p2", f"--screenshot={shot}",
                    "--window-size=1280,1600")
    browser.keep(shot)
    table = dom.split('<table class="unidentified">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row" class="name">([^<]+)</th>', table)
    assert sorted(rows) == ["Bao cao CT07.pdf", "Bao cao xa.xlsx", "bao-cao-xa.docx"]
    assert "sxd@thainguyen.gov.vn" in table and "Sở Xây dựng (SXD)" in table
    assert 'data-code="file-is-pdf"' in table
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    assert server.page_requests() == ["GET /tinh-hinh-2026.html", "GET /tinh-hinh-2026.html"]


def test_a_covering_letter_beside_the_workbook_is_left_alone(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd", keep=())
    source = small_example(tmp_path / "nguon", keep=("stp.eml",)).inbox / "2026" / "stp.eml"
    both = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "Báo cáo CT07 kèm công văn",
                [("Báo cáo.xlsx", workbook_of(source), XLSX_TYPE), ("Cong van.pdf", PDF, PDF_TYPE)])
    (ws.inbox / "2026" / "stp.eml").write_bytes(both)
    result = invoke(ws, "collect", "--period", "2026")
    assert result.exit_code == 0, result.output
    assert [(r.agency, r.file_name) for r in receipts(ws)] == [("STP", "Báo cáo.xlsx")]
    assert digest(PDF) not in {r.sha256 for r in receipts(ws)}


def test_a_duplicate_of_a_rejected_file_recalls_its_verdict_and_findings(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd")
    assert invoke(ws, "collect", "--period", "2026").exit_code == 1
    again = invoke(ws, "collect", str(ws.inbox / "2026" / "sxd.eml"), "--period", "2026")
    assert again.exit_code == 1, again.output
    out = again.output
    assert ("1 tệp đã nhận trước đó (trùng, không có gì thay đổi): Báo cáo CT07 năm 2026 - Sở Xây dựng.xlsx. Trong "
            "đó 1 tệp lần nhận trước bị Không đạt và đơn vị chưa gửi lại bản đạt") in out
    assert "Báo cáo CT07 năm 2026 - Sở Xây dựng.xlsx (Trùng — lần nhận trước: Không đạt, đơn vị SXD):" in out
    assert "[LỖI] sheet “Số liệu”, ô D4" in out and "(value-not-a-number)" in out
    as_json = json.loads(invoke(ws, "collect", str(ws.inbox / "2026" / "sxd.eml"), "--period", "2026",
                                "--json").stdout)
    (item,) = as_json
    assert item["verdict"] == "duplicate" and item["earlier_verdict"] == "rejected"
    assert "value-not-a-number" in [i["code"] for i in item["issues"]]
    assert len(receipts(ws)) == 3                                    # nothing was recorded again


def test_many_duplicates_make_one_line(tmp_path: Path) -> None:
    keep = ("bptth.eml", "bqlkcn.eml", "cat.eml", "sct.eml", "sdttg.eml", "skhcn.eml", "sngv.eml", "snv.eml",
            "stc.eml", "stp.eml", "syt.eml", "ttra.eml")
    ws = small_example(tmp_path / "vd", keep=keep)
    first = invoke(ws, "collect", "--period", "2026")
    assert first.exit_code == 0, first.output
    again = invoke(ws, "collect", "--period", "2026")
    assert again.exit_code == 0, again.output
    lines = [line for line in again.output.splitlines() if line.strip()]
    assert lines[0] == "12 tệp đã nhận trước đó (trùng, không có gì thay đổi)."
    assert lines[1].startswith("Không có tệp mới nào để nhận trong input") and len(lines) == 3   # and "Đã ghi …"
    assert ".xlsx" not in again.output                                # no line per file


def test_a_rejected_file_made_good_since_is_not_a_problem_any_more(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd", keep=("sgddt-lan-1.eml", "sgddt-lan-2.eml"))
    first = invoke(ws, "collect", "--period", "2026")
    assert first.exit_code == 1                                       # the first file of Sở GD&ĐT is rejected
    again = invoke(ws, "collect", "--period", "2026")
    assert again.exit_code == 0, again.output                         # its second file is accepted
    assert "2 tệp đã nhận trước đó (trùng, không có gì thay đổi)." in again.output
    assert "chưa gửi lại" not in again.output


@needs_libreoffice
def test_documents_sent_instead_of_the_workbook_are_named_for_what_they_are(tmp_path: Path) -> None:
    word = docx.Document()
    word.add_paragraph("Báo cáo kết quả thực hiện Chỉ thị 07/CT-TTg")
    source = tmp_path / "bao-cao.docx"
    word.save(str(source))
    odt, doc = convert_many([source], "odt", tmp_path / "odt")[0], convert_many([source], "doc", tmp_path / "doc")[0]
    rtf = tmp_path / "bao-cao.rtf"
    rtf.write_text(r"{\rtf1\ansi B\'e1o c\'e1o}", encoding="ascii")
    pdf = tmp_path / "bao-cao.pdf"
    pdf.write_bytes(PDF)
    ws = small_example(tmp_path / "vd", keep=())
    result = invoke(ws, "check", str(source), str(odt), str(doc), str(rtf), str(pdf), "--period", "2026", "--json")
    assert result.exit_code == 1
    codes = {Path(item["file"]).suffix: [i["code"] for i in item["issues"]] for item in json.loads(result.stdout)}
    assert codes == {".docx": ["file-is-document"], ".odt": ["file-is-document"], ".doc": ["file-is-document"],
                     ".rtf": ["file-is-document"], ".pdf": ["file-is-pdf"]}


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG (signature, IHDR, zlib-compressed grey rows, IEND), as a phone or scanner app writes one."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + bytes([200]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def test_a_photo_of_the_report_sent_instead_stays_in_sight_and_a_logo_does_not(tmp_path: Path) -> None:
    from email import message_from_bytes, policy

    ws = small_example(tmp_path / "vd", keep=())
    raw = mail(SXD, "Báo cáo CT07 (bản chụp)", [("Bao cao da ky.png", png(), "image/png")])
    message = message_from_bytes(raw, policy=policy.default)
    # the signature's logo: a picture shown in the letter (inline, with a Content-ID), not something sent
    message.add_attachment(png(2, 2), maintype="image", subtype="png", filename="image001.png",  # type: ignore[attr-defined]
                           disposition="inline", cid="<logo@sxd>")
    (ws.inbox / "2026" / "anh.eml").write_bytes(bytes(message))
    collected = invoke(ws, "collect", "--period", "2026", "--json")
    (item,) = [i for i in json.loads(collected.stdout) if i["kind"] == "file"]
    assert item["file"] == "Bao cao da ky.png" and [i["code"] for i in item["issues"]] == ["file-is-image"]
    status = " ".join(invoke(ws, "status", "--period", "2026").stdout.split())
    assert "- Bao cao da ky.png: nhận 16/11/2026 09:00, từ Sở Xây dựng" in status and "image001" not in status


def test_mails_that_brought_no_workbook_stay_on_status(tmp_path: Path) -> None:
    # a request for more time (no attachment) and a note with only a text file: printed by collect, and kept
    ws = small_example(tmp_path / "vd", keep=())
    folder = ws.inbox / "2026"
    (folder / "gia-han.eml").write_bytes(mail(SXD, "Xin gia hạn nộp báo cáo", []))
    (folder / "gia-han (2).eml").write_bytes(mail(SXD, "Xin gia hạn nộp báo cáo", []))   # saved twice: one mail
    (folder / "ghi-chu.eml").write_bytes(mail(STRANGER, "Gửi thông tin", [("ghi chu.txt", b"xin chao", "text/plain")]))
    # a date past what a clock can hold in Vietnam time: read as having none, never the end of the collect
    (folder / "nam-9999.eml").write_bytes(mail(STRANGER, "Ngày sai", [], date="Fri, 31 Dec 9999 23:00:00 -0500"))
    for _ in range(2):                              # collected twice: each mail kept once
        assert invoke(ws, "collect", "--period", "2026").exit_code == 0
    status = invoke(ws, "status", "--period", "2026")
    shown = " ".join(status.stdout.split())
    assert "Thư không kèm biểu mẫu (3), cần xem và trả lời:" in shown and "“Ngày sai”" in shown
    assert ("- 16/11/2026 09:00, từ Sở Xây dựng <sxd@thainguyen.gov.vn> — địa chỉ của Sở Xây dựng (SXD) trong "
            "input/don-vi.xlsx: “Xin gia hạn nộp báo cáo”; không có tệp đính kèm.") in shown
    assert "tệp đính kèm không phải biểu mẫu: “ghi chu.txt”" in shown
    data = json.loads(invoke(ws, "status", "--period", "2026", "--json").stdout)
    assert sorted(m["subject"] for m in data["_mail_notes"]) == ["Gửi thông tin", "Ngày sai", "Xin gia hạn nộp báo cáo"]
    assert data["SXD"]["state"] == "missing"                 # a mail is no submission
    page = (ws.output_dir / "2026" / "tinh-hinh-2026.html").read_text(encoding="utf-8")
    assert "Thư không kèm biểu mẫu (3)</h3>" in page and "Xin gia hạn nộp báo cáo" in page
    assert 'href="#thu-khong-kem-bieu-mau"><strong>3</strong> thư không kèm biểu mẫu</a>' in page


def test_a_mail_answered_by_a_workbook_since_is_no_longer_listed(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd", keep=("stp.eml",))
    (ws.inbox / "2026" / "stp-hoi.eml").write_bytes(mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "Xin gia hạn", [],
                                                          date="Mon, 02 Nov 2026 08:00:00 +0700"))
    assert invoke(ws, "collect", "--period", "2026").exit_code == 0
    data = json.loads(invoke(ws, "status", "--period", "2026", "--json").stdout)
    assert data["STP"]["submitted"] and data["_mail_notes"] == []    # STP sent its workbook after asking
