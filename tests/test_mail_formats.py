"""Mail as agencies' programs really send it: nameless attachments, winmail.dat, archives, forwards, replies that
attach the earlier mail, saved Outlook .msg files, mbox files with a bare "From " line, TCVN3 subjects.

Every case is built in its real format (MIME by the email package, TNEF, compound files and RAR by the helpers
in tests/ that follow the specifications, .7z by py7zr) and collected through the command line."""

from __future__ import annotations

import io
import json
import mailbox
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from planreports.cli import cli
from planreports.intake.outlook import read_msg
from planreports.intake.tnef import tnef_attachments
from planreports.ledger import Ledger
from planreports.progress.rules import latest_accepted
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace
from tests.archives import rar5, seven_zip
from tests.libreoffice import needs_libreoffice
from tests.msgfile import Msg, MsgAttachment, msg_bytes
from tests.test_collect import converted  # noqa: F401  (the .xls and .ods made by LibreOffice, a fixture)
from tests.test_mail_imap import XLSX, mail
from tests.tneffile import (
    ATT_ATTACH_DATA,
    ATT_ATTACH_REND_DATA,
    ATT_ATTACH_TITLE,
    ATT_ATTACHMENT,
    ATTACHMENT,
    attribute,
    winmail,
)

XLSX_TYPE = "application/" + XLSX
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STP = "Sở Tư pháp <stp@thainguyen.gov.vn>"


def collect(ws: Workspace, path: Path) -> tuple[list[dict], list[dict]]:
    """The files and the mail notes of `collect --json`."""
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "collect", str(path), "--period", "2024", "--json"])
    assert result.exit_code in (0, 1), result.output
    items = json.loads(result.output)
    return [i for i in items if i["kind"] == "file"], [i for i in items if i["kind"] == "mail"]


def codes(item: dict) -> list[str]:
    return [issue["code"] for issue in item["issues"]]


def save(tmp_path: Path, name: str, message: EmailMessage | bytes) -> Path:
    path = tmp_path / "thu" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(message if isinstance(message, bytes) else bytes(message))
    return path


def word_letter() -> bytes:
    """A real Word letter (python-docx), the covering letter agencies attach beside the workbook."""
    buffer = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("Kính gửi Sở Văn hoá, Thể thao và Du lịch.")
    document.save(buffer)
    return buffer.getvalue()


def nameless(data: bytes, content_type: str) -> EmailMessage:
    """A mail whose workbook part has a content type but no file name (as some webmail programs send it)."""
    message = mail(STP, "Báo cáo", [])
    maintype, subtype = content_type.split("/")
    message.add_attachment(data, maintype=maintype, subtype=subtype)
    for part in message.iter_attachments():
        del part["Content-Disposition"]
        part["Content-Disposition"] = "attachment"
    assert [p.get_filename() for p in message.iter_attachments()] == [None]
    return message


# --- 1. an attachment without a name ---

@pytest.mark.parametrize("content_type", [XLSX_TYPE, "application/octet-stream"])
def test_a_nameless_workbook_is_read(ws: Workspace, fill, tmp_path: Path, content_type: str) -> None:  # type: ignore[no-untyped-def]
    path = save(tmp_path, "khong-ten.eml", nameless(fill("STP").read_bytes(), content_type))
    (item,), notes = collect(ws, path)
    assert item["file"] == "tep-dinh-kem.xlsx" and item["agency"] == "STP" and item["verdict"] == "accepted"
    assert notes == []


@needs_libreoffice
def test_nameless_xls_and_ods_are_read(ws: Workspace, converted: dict[str, Path], tmp_path: Path) -> None:  # noqa: F811
    cases = [("xls", "application/vnd.ms-excel"), ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
             ("xls", "application/octet-stream"), ("ods", "application/octet-stream")]
    for number, (fmt, content_type) in enumerate(cases):
        save(tmp_path, f"{number}.eml", nameless(converted[fmt].read_bytes(), content_type))
    files, notes = collect(ws, tmp_path / "thu")
    assert [i["file"] for i in files] == ["tep-dinh-kem.xls", "tep-dinh-kem.ods"] * 2
    assert [i["verdict"] for i in files][:2] == ["accepted"] * 2 and {i["agency"] for i in files} == {"STP"}
    assert notes == []


def test_a_name_without_its_suffix_gets_one(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    message = mail(STP, "Báo cáo", [])
    message.add_attachment(fill("STP").read_bytes(), maintype="application", subtype=XLSX, filename="Bao cao STP")
    (item,), _ = collect(ws, save(tmp_path, "a.eml", message))
    assert item["file"] == "Bao cao STP.xlsx" and item["agency"] == "STP"


# --- 2. winmail.dat and archives that are not read ---

def test_a_workbook_inside_winmail_dat_is_read(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    stream = winmail([("Báo cáo Sở Tư pháp.xlsx", XLSX_TYPE, fill("STP").read_bytes()),
                      ("Công văn.pdf", "application/pdf", b"%PDF-1.4\n%%EOF\n")])
    message = mail(STP, "Báo cáo", [])
    message.add_attachment(stream, maintype="application", subtype="ms-tnef", filename="winmail.dat")
    (item,), notes = collect(ws, save(tmp_path, "outlook.eml", message))
    assert item["file"] == "winmail.dat/Báo cáo Sở Tư pháp.xlsx" and item["agency"] == "STP"
    assert item["verdict"] == "accepted" and item["received_at"].startswith("2024-12-04T09:15") and notes == []


def test_a_winmail_dat_with_no_workbook_is_named(ws: Workspace, tmp_path: Path) -> None:
    message = mail(STP, "Công văn", [])
    message.add_attachment(winmail([("Công văn 12.pdf", "application/pdf", b"%PDF-1.4\n")]), maintype="application",
                           subtype="ms-tnef", filename="winmail.dat")
    files, (note,) = collect(ws, save(tmp_path, "cv.eml", message))
    assert files == [] and note["unread"] == ["winmail.dat/Công văn 12.pdf"]
    assert "“winmail.dat/Công văn 12.pdf”" in note["issues"][0]["message"]


@pytest.mark.parametrize(("name", "build", "kind"), [("bao-cao.rar", rar5, "RAR"), ("bao-cao.7z", seven_zip, "7z")])
def test_a_workbook_in_an_archive_that_is_not_read_is_named(ws: Workspace, fill, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                           name: str, build, kind: str) -> None:
    archive = build("Báo cáo Sở Tư pháp.xlsx", fill("STP").read_bytes())
    message = mail(STP, "Báo cáo (nén)", [])
    message.add_attachment(archive, maintype="application", subtype="octet-stream", filename=name)
    message.add_attachment(b"%PDF-1.4\n", maintype="application", subtype="pdf", filename="Công văn.pdf")
    (item,), notes = collect(ws, save(tmp_path, "nen.eml", message))
    assert item["file"] == name and item["verdict"] == "rejected" and item["sender"] == STP
    assert codes(item) == ["file-archive-unread"] and f"Tệp nén dạng {kind}" in item["issues"][0]["message"]
    assert ".zip" in item["issues"][0]["message"] and notes == []       # the archive is the mail's finding
    # a RAR 5 archive's headers name what it holds: whose report it is (a 7z hides its names in packed headers)
    assert ("(bên trong có “Báo cáo Sở Tư pháp.xlsx”)" in item["issues"][0]["message"]) == (kind == "RAR")
    with Ledger(ws.archive_dir) as ledger:                            # and the original is kept
        (receipt,) = ledger.receipts()
    assert (ws.archive_dir / receipt.stored_path).read_bytes() == archive


def test_a_mail_with_only_a_letter_keeps_it_in_sight(ws: Workspace, tmp_path: Path) -> None:
    """A Word letter sent instead of the workbook is received and rejected with its sender, so `status` keeps
    showing it (a note alone would be gone after the run)."""
    message = mail(STP, "Công văn", [])
    message.add_attachment(word_letter(), maintype="application", subtype=DOCX_TYPE.split("/")[1],
                           filename="Công văn số 12.docx")
    (item,), notes = collect(ws, save(tmp_path, "cv.eml", message))
    assert item["file"] == "Công văn số 12.docx" and item["verdict"] == "rejected" and item["sender"] == STP
    assert codes(item) == ["file-is-document"] and notes == []


# --- 3. forwards ---

def forward(outer_sender: str, outer_day: str, inner: EmailMessage) -> EmailMessage:
    message = mail(outer_sender, "Fwd: " + str(inner["Subject"]), [], day=outer_day)
    message.add_attachment(inner)
    return message


def test_a_forward_is_dated_by_the_agency_s_mail(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    original = mail(STP, "Báo cáo CT07", [("STP.xlsx", fill("STP").read_bytes())], day="05 Dec 2024")
    message = forward("Chánh Văn phòng <cvp@thainguyen.gov.vn>", "12 Dec 2024", original)   # after the deadline
    (item,), _ = collect(ws, save(tmp_path, "fwd.eml", message))
    assert item["late"] is False and item["received_at"].startswith("2024-12-05T09:15")
    assert item["sender"] == STP and item["forwarded_by"] == "Chánh Văn phòng <cvp@thainguyen.gov.vn>"
    assert item["verdict"] == "accepted" and codes(item) == ["mail-forwarded"]   # a note changes no verdict
    assert "Chánh Văn phòng" in item["issues"][0]["message"] and "12/12/2024" in item["issues"][0]["message"]
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.sender == STP and not receipt.late and receipt.issues[0].code == "mail-forwarded"


def test_an_inline_forward_keeps_the_outer_date(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    message = mail("Chánh Văn phòng <cvp@thainguyen.gov.vn>", "Fwd: Báo cáo CT07", [], day="12 Dec 2024")
    message.set_content("---------- Forwarded message ---------\nFrom: Sở Tư pháp <stp@thainguyen.gov.vn>\n"
                        "Date: Thu, 5 Dec 2024 at 09:15\n\nGửi kèm báo cáo.")
    message.add_attachment(fill("STP").read_bytes(), maintype="application", subtype=XLSX, filename="STP.xlsx")
    (item,), _ = collect(ws, save(tmp_path, "inline.eml", message))
    assert item["late"] is True and item["forwarded_by"] is None and "submission-late" in codes(item)


# --- 4. a reply that attaches the earlier mail with the old workbook ---

@pytest.mark.parametrize("old_first", [True, False])
def test_the_mail_s_own_workbook_beats_the_quoted_one(ws: Workspace, fill, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      old_first: bool) -> None:
    def newer(answers) -> None:  # type: ignore[no-untyped-def]
        answers.figures = {code: 9 for code in answers.figures}

    old = fill("STP", name="cu.xlsx").read_bytes()
    new = fill("STP", newer, name="moi.xlsx").read_bytes()
    earlier = mail(STP, "Báo cáo CT07", [("Báo cáo (bản cũ).xlsx", old)], day="03 Dec 2024")
    reply = mail(STP, "Re: Báo cáo CT07 (bổ sung)", [], day="05 Dec 2024")
    if old_first:
        reply.add_attachment(earlier)
    reply.add_attachment(new, maintype="application", subtype=XLSX, filename="Báo cáo (bản mới).xlsx")
    if not old_first:
        reply.add_attachment(earlier)
    files, (note,) = collect(ws, save(tmp_path, "re.eml", reply))
    assert len(files) == 2 and codes(note) == ["mail-versions"]
    assert "dùng bản “Báo cáo (bản mới).xlsx”" in note["issues"][0]["message"]
    assert "“Báo cáo (bản cũ).xlsx” (trong thư gốc gửi lúc 03/12/2024 09:15)" in note["issues"][0]["message"]
    with Ledger(ws.archive_dir) as ledger:
        used = latest_accepted(ledger.receipts("2024"))["STP"]
    assert used.file_name == "Báo cáo (bản mới).xlsx" and set(used.data["figures"].values()) == {9}


# --- 5. saved Outlook messages ---

def outlook_report(fill, **changes) -> Msg:  # type: ignore[no-untyped-def]
    attachments = [MsgAttachment("Báo cáo CT07 - Sở Tư pháp.xlsx", fill("STP").read_bytes(), XLSX_TYPE),
                   MsgAttachment("Công văn số 125.docx", word_letter(), DOCX_TYPE)]   # the letter after
    defaults = {"subject": "Báo cáo CT07 năm 2024", "sender_name": "Sở Tư pháp",
                "sender_address": "stp@thainguyen.gov.vn", "sent": datetime(2024, 12, 6, 8, 30, tzinfo=VN_TZ),
                "attachments": attachments}
    return Msg(**{**defaults, **changes})


def test_a_saved_outlook_message_is_read_as_a_mail(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = save(tmp_path, "Báo cáo CT07.msg", msg_bytes(outlook_report(fill)))
    (item,), notes = collect(ws, path)
    assert item["file"] == "Báo cáo CT07 - Sở Tư pháp.xlsx" and item["agency"] == "STP"
    assert item["verdict"] == "accepted" and item["sender"] == STP
    assert item["received_at"].startswith("2024-12-06T08:30") and notes == []
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.source_kind == "msg" and receipt.subject == "Báo cáo CT07 năm 2024"


def test_an_outlook_forward_inside_a_msg_is_dated_by_the_original(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    original = outlook_report(fill)
    carrier = Msg("FW: Báo cáo CT07 năm 2024", "Văn thư", "vanthu@thainguyen.gov.vn",
                  datetime(2024, 12, 13, 14, 0, tzinfo=VN_TZ), [MsgAttachment("Báo cáo CT07", message=original)])
    message = mail("Văn thư <vanthu@thainguyen.gov.vn>", "Chuyển tiếp", [], day="13 Dec 2024")
    message.add_attachment(msg_bytes(carrier), maintype="application", subtype="vnd.ms-outlook",
                           filename="FW Báo cáo.msg")                    # a .msg attached to a mail
    (item,), _ = collect(ws, save(tmp_path, "msg-trong-thu.eml", message))
    assert item["agency"] == "STP" and item["late"] is False and item["sender"] == STP
    assert item["received_at"].startswith("2024-12-06T08:30")


def test_a_damaged_msg_is_named_and_an_oversized_part_refused(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(msg_bytes(outlook_report(fill)))
    entry = data.find("__substg1.0_37010102".encode("utf-16-le"))        # the workbook's directory entry
    data[entry + 120:entry + 124] = (0x7FFFFFF0).to_bytes(4, "little")  # declares ~2 GB
    save(tmp_path, "hong.msg", bytes(data))
    save(tmp_path, "cat.msg", msg_bytes(outlook_report(fill))[:3000])
    files, notes = collect(ws, tmp_path / "thu")
    assert files == [] and [Path(n["source"]).name for n in notes] == ["cat.msg", "hong.msg"]
    assert all(n["unread"][0].startswith(Path(n["source"]).name + " (") for n in notes)
    assert "lớn bất thường" in notes[1]["unread"][0]


# --- 6. mbox with an unescaped "From " line ---

def test_an_unescaped_from_line_does_not_lose_the_workbook(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = mail(STP, "Báo cáo CT07", [], day="05 Dec 2024")
    first.set_content("Kính gửi Sở.\n\nFrom the office: báo cáo gửi kèm.\nTrân trọng.")
    first.add_attachment(fill("STP").read_bytes(), maintype="application", subtype=XLSX, filename="STP.xlsx")
    second = mail("Sở Nội vụ <snv@thainguyen.gov.vn>", "Báo cáo SNV", [("SNV.xlsx", fill("SNV").read_bytes())])
    path = tmp_path / "thu" / "hop-thu.mbox"
    path.parent.mkdir()
    # as a careless program writes it: the body's "From " line is not turned into ">From "
    path.write_bytes(b"".join(b"From MAILER-DAEMON Thu Dec  5 09:15:00 2024\n"
                              + bytes(m).replace(b"\r\n", b"\n") + b"\n" for m in (first, second)))
    plain = mailbox.mbox(path, create=False)
    assert len(plain) == 3                          # what a plain split makes of it: the workbook cut off
    files, notes = collect(ws, path)
    assert sorted(i["agency"] for i in files) == ["SNV", "STP"]
    (note,) = notes
    assert codes(note) == ["mail-unescaped-from"] and "hop-thu.mbox" in note["issues"][0]["message"]
    assert note["source"].endswith("hop-thu.mbox#0") and "thư thứ 1" in note["issues"][0]["message"]


def test_a_well_formed_mbox_is_split_as_before(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "thu" / "dung.mbox"
    path.parent.mkdir()
    box = mailbox.mbox(path)
    for agency in ("STP", "SNV"):
        message = mail(f"{agency} <{agency.lower()}@thainguyen.gov.vn>", agency, [])
        message.set_content("Kính gửi.\nFrom now on we write From lines escaped.\n")
        message.add_attachment(fill(agency).read_bytes(), maintype="application", subtype=XLSX,
                               filename=f"{agency}.xlsx")
        box.add(message)
    box.flush()
    files, notes = collect(ws, path)
    assert [i["source"].rsplit("#", 1)[1] for i in files] == ["0", "1"] and notes == []


# --- 7. legacy Vietnamese in subjects and sender names ---

def test_tcvn3_subject_and_sender_are_repaired(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    message = mail("x@y.vn", "x", [("STP.xlsx", fill("STP").read_bytes())])
    del message["From"], message["Subject"]
    # unlabelled 8-bit TCVN3 bytes in the subject, a TCVN3 name labelled as windows-1252 in From
    raw = ("Subject: B¸o c¸o kÕt qu¶ thùc hiÖn ChØ thÞ 07\n".encode("latin-1")
           + b"From: =?windows-1252?Q?S=EB_T=AD_ph=B8p?= <stp@thainguyen.gov.vn>\n" + bytes(message))
    save(tmp_path, "tcvn3.eml", raw)
    save(tmp_path, "tcvn3-hoi.eml", "Subject: Xin gia h¹n\r\nFrom: stp@thainguyen.gov.vn\r\n"
         "Date: Wed, 04 Dec 2024 09:15:00 +0700\r\n\r\nXin gia han.".encode("latin-1"))
    (item,), (note,) = collect(ws, tmp_path / "thu")
    assert item["sender"] == STP and note["subject"] == "Xin gia hạn"
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.subject == "Báo cáo kết quả thực hiện Chỉ thị 07" and "\ufffd" not in receipt.subject


def test_a_tcvn3_subject_in_an_old_outlook_msg_is_repaired(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    workbook = MsgAttachment("STP.xlsx", fill("STP").read_bytes(), XLSX_TYPE)
    old = outlook_report(fill, subject="B¸o c¸o ChØ thÞ 07", sender_name="Së T\xad ph¸p", ansi=True,
                         body="KÝnh göi Së.", attachments=[workbook])
    (item,), _ = collect(ws, save(tmp_path, "cu.msg", msg_bytes(old)))
    assert item["sender"] == STP and item["agency"] == "STP"
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.subject == "Báo cáo Chỉ thị 07"


def test_a_message_attached_inside_winmail_dat_gives_its_workbook(ws: Workspace, fill,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    # Outlook forwarding an Outlook message "as attachment": the workbook is one message further in
    inner = winmail([("Báo cáo STP.xlsx", XLSX_TYPE, fill("STP").read_bytes())], subject="Báo cáo gốc")
    message = mail(STP, "Chuyển tiếp", [])
    message.add_attachment(winmail([], embedded=(inner,)), maintype="application", subtype="ms-tnef",
                           filename="winmail.dat")
    (item,), notes = collect(ws, save(tmp_path, "fw.eml", message))
    assert item["file"] == "winmail.dat/Báo cáo STP.xlsx" and item["verdict"] == "accepted" and notes == []


_NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=40).filter(
    lambda name: name.strip() == name and "\x00" not in name)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_NAMES, st.sampled_from([XLSX_TYPE, "application/pdf", "application/vnd.ms-excel"]),
                          st.binary(min_size=1, max_size=300)), max_size=4))
def test_winmail_dat_is_read_as_tnefparse_reads_it(attachments: list[tuple[str, str, bytes]]) -> None:
    from tnefparse import TNEF

    stream = winmail(attachments)
    theirs = TNEF(stream, do_checksum=True)
    expected = [(a.long_filename(), a.data) for a in theirs.attachments]
    assert expected == [(name, data) for name, _, data in attachments]       # the stream is well formed
    assert tnef_attachments(stream) == [(name, kind.lower(), data) for name, kind, data in attachments]


@pytest.mark.parametrize("where", ["properties", "values", "multi-values"])
def test_a_count_of_four_billion_is_stopped_at_once(where: str) -> None:
    # a damaged count made tnefparse loop for minutes or grow a list until the machine killed the collect (CI)
    huge = 0xFFFFFFFF
    props = {
        "properties": (huge).to_bytes(4, "little"),
        "values": (1).to_bytes(4, "little") + bytes.fromhex("1e00 0737") + huge.to_bytes(4, "little"),
        "multi-values": (1).to_bytes(4, "little") + bytes.fromhex("0310 0b37") + huge.to_bytes(4, "little"),
    }[where]
    stream = winmail([]) + attribute(ATTACHMENT, ATT_ATTACH_REND_DATA, bytes(14)) + attribute(
        ATTACHMENT, ATT_ATTACHMENT, props + bytes(64))
    assert tnef_attachments(stream) == []           # read at once; an attachment without bytes is no member


def _with_properties(props: bytes) -> bytes:
    """A winmail.dat of one attachment whose attAttachment holds `props` (its bytes and 8.3 name are beside)."""
    return (winmail([]) + attribute(ATTACHMENT, ATT_ATTACH_REND_DATA, bytes(14))
            + attribute(ATTACHMENT, ATT_ATTACH_TITLE, b"BAOCAO~1.XLS\0")
            + attribute(ATTACHMENT, ATT_ATTACH_DATA, b"PK\x03\x04" + bytes(40))
            + attribute(ATTACHMENT, ATT_ATTACHMENT, props))


_TWO = winmail([("Báo cáo.xlsx", XLSX_TYPE, b"PK\x03\x04" + bytes(100)), ("b.xlsx", XLSX_TYPE, bytes(50))])


@pytest.mark.parametrize(("damage", "expected"), [
    (_TWO + b"\r\n", [("Báo cáo.xlsx", 104), ("b.xlsx", 50)]),          # a mail program's line end after it
    (_TWO + bytes(16), [("Báo cáo.xlsx", 104), ("b.xlsx", 50)]),
    (_TWO[:-10], [("Báo cáo.xlsx", 104), ("b.xlsx", 50)]),                 # cut inside the last properties
    (_with_properties((0xFFFFFFFF).to_bytes(4, "little")), [("BAOCAO~1.XLS", 44)]),   # a damaged count
    (_with_properties(b""), [("BAOCAO~1.XLS", 44)]),
    (_with_properties((1).to_bytes(4, "little") + bytes.fromhex("0100 3412 00000000")), [("BAOCAO~1.XLS", 44)]),
])
def test_damage_costs_only_what_it_touches(damage: bytes, expected: list[tuple[str, int]]) -> None:
    # as tnefparse reads them: padding ignored, a cut stream keeps what came before, a property Outlook did not
    # write as expected (PT_NULL here) leaves the attachment's bytes and 8.3 name
    members = tnef_attachments(damage)
    assert members is not None and [(name, len(data)) for name, _, data in members] == expected


def test_a_winmail_dat_with_nothing_readable_is_named(ws: Workspace, tmp_path: Path) -> None:
    message = mail(STP, "Báo cáo", [])
    message.add_attachment(winmail([]), maintype="application", subtype="ms-tnef", filename="winmail.dat")
    files, (note,) = collect(ws, save(tmp_path, "rong.eml", message))
    assert files == [] and note["unread"] == ["winmail.dat"]


# --- damaged containers never crash the reading ---

_MSG = msg_bytes(Msg("Báo cáo", "Sở Tư pháp", "stp@thainguyen.gov.vn", datetime(2024, 12, 4, tzinfo=VN_TZ),
                     [MsgAttachment("a.xlsx", b"PK\x03\x04" + bytes(5000), XLSX_TYPE)]))
_TNEF = winmail([("a.xlsx", XLSX_TYPE, bytes(3000))])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_MSG) - 1), st.integers(0, 255)), min_size=1, max_size=40))
def test_a_damaged_msg_is_refused_not_crashed(changes: list[tuple[int, int]]) -> None:
    data = bytearray(_MSG)
    for position, value in changes:
        data[position] = value
    try:
        message = read_msg(bytes(data))
    except ValueError as exc:
        assert str(exc)                         # a reason to show the office
    else:
        # read as a message; a byte that breaks the attachment's own storage leaves the text alone (the collect
        # then says the mail has no readable workbook, never that it read one)
        assert message.get_content_type() in ("multipart/mixed", "text/plain")


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_TNEF) - 1), st.integers(0, 255)), min_size=1, max_size=40),
       st.integers(6, len(_TNEF)))
def test_a_damaged_winmail_dat_is_refused_not_crashed(changes: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(_TNEF)
    for position, value in changes:
        data[position] = value
    members = tnef_attachments(bytes(data[:cut]))
    assert members is None or all(isinstance(member[2], bytes) for member in members)
