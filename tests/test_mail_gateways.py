"""Mail as older programs and mail gateways shape it: a forwarded message sent base64 or quoted-printable
encoded (Exchange and some gateways do, against RFC 2046), a workbook uuencoded into the letter's text, names
and subjects in windows-1258 or decomposed Unicode (a Mac, Vietnamese Windows code pages).

Each case is built byte for byte as those programs write it and collected through the command line."""

from __future__ import annotations

import base64
import binascii
import hashlib
import quopri
import re
import unicodedata
from email.message import EmailMessage
from pathlib import Path

from planreports.intake.uuencode import uuencoded_files
from planreports.ledger import Ledger
from planreports.workspace import Workspace
from tests.test_mail_formats import STP, XLSX_TYPE, collect, save

OUTER = (b"From: =?utf-8?q?V=C4=83n_th=C6=B0?= <vanthu@thainguyen.gov.vn>\nTo: vp@thainguyen.gov.vn\n"
         b"Subject: Fwd: =?utf-8?q?B=C3=A1o_c=C3=A1o?=\nDate: Mon, 09 Dec 2024 14:00:00 +0700\nMIME-Version: 1.0\n")


def original(workbook: bytes) -> EmailMessage:
    """The agency's own mail, sent on time (04/12)."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = STP, "vp@thainguyen.gov.vn", "Báo cáo Chỉ thị 07"
    message["Date"] = "Wed, 04 Dec 2024 09:15:00 +0700"
    message.set_content("Kính gửi Văn phòng.")
    message.add_attachment(workbook, maintype="application", subtype=XLSX_TYPE.split("/")[1],
                           filename="Báo cáo STP.xlsx")
    return message


def forward_encoded(inner: bytes, encoding: str) -> bytes:
    body = base64.encodebytes(inner) if encoding == "base64" else quopri.encodestring(inner)
    return (OUTER + b'Content-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n'
            b"Chuyen tiep.\n--b1\nContent-Type: message/rfc822\nContent-Transfer-Encoding: " + encoding.encode()
            + b'\nContent-Disposition: attachment; filename="Bao cao.eml"\n\n' + body + b"\n--b1--\n")


def test_a_forward_sent_base64_encoded_gives_the_workbook_dated_by_the_original(
        ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    raw = forward_encoded(bytes(original(fill("STP").read_bytes())), "base64")
    (item,), notes = collect(ws, save(tmp_path, "fw64.eml", raw))
    assert item["file"] == "Báo cáo STP.xlsx" and item["verdict"] == "accepted" and notes == []
    assert item["received_at"].startswith("2024-12-04T09:15") and item["sender"] == STP       # not 09/12


def test_a_forward_sent_quoted_printable_gives_the_same_bytes(ws: Workspace, fill,  # type: ignore[no-untyped-def]
                                                              tmp_path: Path) -> None:
    # quoted-printable turns the base64 padding "=" into "=3D": read undecoded, the workbook would be garbled
    workbook = fill("STP").read_bytes()      # once: a workbook saved twice differs in its save time
    inner = bytes(original(workbook))
    assert b"=3D" in quopri.encodestring(inner)
    (item,), _ = collect(ws, save(tmp_path, "fwqp.eml", forward_encoded(inner, "quoted-printable")))
    assert item["verdict"] == "accepted" and item["received_at"].startswith("2024-12-04T09:15")
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.sha256 == hashlib.sha256(workbook).hexdigest()


def test_a_forward_labelled_quoted_printable_but_written_plain_is_read_as_it_is(
        ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # decoding it would take every line ending in "=" (the boundary lines "--====…==" among them) for a soft
    # break, joining it with the next, and lose the parts
    inner = bytes(original(fill("STP").read_bytes()))
    assert re.search(rb"^--=+\d+==$", inner, re.MULTILINE)
    raw = forward_encoded(b"", "quoted-printable").replace(b"\n\n\n--b1--", b"\n\n" + inner + b"\n--b1--")
    (item,), notes = collect(ws, save(tmp_path, "fwplain.eml", raw))
    assert item["file"] == "Báo cáo STP.xlsx" and item["verdict"] == "accepted" and notes == []


def uuencode(name: str, data: bytes) -> bytes:
    """uuencode's output: "begin MODE NAME", lines of 45 bytes each led by their count character, "`", "end"."""
    lines = b"".join(binascii.b2a_uu(data[i:i + 45], backtick=True) for i in range(0, len(data), 45))
    return b"begin 644 " + name.encode("utf-8") + b"\n" + lines + b"`\nend\n"


def test_a_workbook_uuencoded_into_the_letter_is_read(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = fill("STP").read_bytes()
    raw = (b"From: stp@thainguyen.gov.vn\nSubject: Bao cao\nDate: Wed, 04 Dec 2024 09:15:00 +0700\n\n"
           b"Kinh gui Van phong,\nSo Tu phap gui bao cao.\n\n" + uuencode("Báo cáo STP.xlsx", data)
           + b"\nTran trong.\n")
    (item,), notes = collect(ws, save(tmp_path, "uu.eml", raw))
    assert item["file"] == "Báo cáo STP.xlsx" and item["verdict"] == "accepted" and notes == []


def test_uudecoding_tolerates_what_old_encoders_write() -> None:
    data = bytes(range(256)) * 3
    text = uuencode("a.xls", data).decode("latin-1")
    # spaces for backticks (the older convention), a stray space at each line's end, CRLF line ends
    older = text.replace("`", " ").replace("\n", " \r\n").replace("end \r\n", "end\r\n")
    assert uuencoded_files(text) == uuencoded_files(older) == [("a.xls", data)]
    # a checksum character after each line's data (some encoders), "end" with a space after it
    lines = text.split("\n")
    checked = "\n".join([lines[0], *(line + "X" if len(line) > 1 else line for line in lines[1:-3]), *lines[-3:]])
    assert uuencoded_files(checked.replace("\nend\n", "\nend \n")) == [("a.xls", data)]
    assert uuencoded_files(text.replace("end\n", "")) == []             # cut off: left as text
    assert uuencoded_files("begin the meeting at 9\nend") == []


def test_windows_1258_and_decomposed_names_are_stored_composed(ws: Workspace, fill,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    # windows-1258 writes "ở" as "ơ" followed by a combining hook; a Mac writes every mark apart (NFD)
    name_1258 = base64.b64encode("Báo cáo Sơ\u0309 Tư pháp.xlsx".encode("cp1258")).decode()
    subject_nfd = unicodedata.normalize("NFD", "Báo cáo kết quả")
    message = EmailMessage()
    message["From"], message["Subject"] = STP, subject_nfd
    message["Date"] = "Wed, 04 Dec 2024 09:15:00 +0700"
    message.set_content("x")
    message.add_attachment(fill("STP").read_bytes(), maintype="application", subtype=XLSX_TYPE.split("/")[1],
                           filename="placeholder.xlsx")
    raw = bytes(message).replace(b'filename="placeholder.xlsx"', f'filename="=?windows-1258?B?{name_1258}?="'.encode())
    (item,), _ = collect(ws, save(tmp_path, "cp1258.eml", raw))
    assert item["file"] == "Báo cáo Sở Tư pháp.xlsx" and unicodedata.is_normalized("NFC", item["file"])
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.subject == "Báo cáo kết quả" and unicodedata.is_normalized("NFC", receipt.subject)
