"""Hostile mail: attachment names are never paths, nesting is bounded, broken MIME never stops a batch."""

from __future__ import annotations

import json
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.intake.sources import from_message, parse_message, safe_name
from planreports.workspace import Workspace
from tests.test_mail_imap import XLSX, forwarded, mail, zipped

WHEN = parse_message(b"Date: Wed, 04 Dec 2024 09:00:00 +0700\r\n\r\n")


@pytest.mark.parametrize(("raw", "shown"), [
    ("../../x.xlsx", "x.xlsx"),
    ("/etc/cron.d/evil.xlsx", "evil.xlsx"),
    ("C:\\Windows\\System32\\a.xlsx", "a.xlsx"),
    ("..\\..\\b.xlsx", "b.xlsx"),
    ("bao\x00cao.xlsx", "baocao.xlsx"),
    ("", "tep-dinh-kem"),
    ("..", "tep-dinh-kem"),
])
def test_safe_names(raw: str, shown: str) -> None:
    assert safe_name(raw) == shown


def test_very_long_name_is_bounded() -> None:
    name = safe_name("Báo cáo " * 40 + ".xlsx")
    assert len(name) <= 120 and name.endswith(".xlsx")


def _collect(ws: Workspace, path: Path) -> list[dict]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "collect", str(path), "--period", "2024", "--json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return json.loads(result.output)


def test_traversal_names_never_become_paths(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = fill("STP").read_bytes()
    inbox = tmp_path / "thu"
    inbox.mkdir()
    names = ["../../pwned.xlsx", "/tmp/pwned-abs.xlsx", "a\x00b.xlsx", "X" * 300 + ".xlsx"]
    message = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "tên tệp lạ", [])
    for n, name in enumerate(names):
        message.add_attachment(data + bytes(n), maintype="application", subtype=XLSX, filename=name)
    (inbox / "la.eml").write_bytes(bytes(message))
    items = _collect(ws, inbox)
    assert [i["file"] for i in items][:3] == ["pwned.xlsx", "pwned-abs.xlsx", "ab.xlsx"]
    assert len(items[3]["file"]) <= 120
    assert not (tmp_path / "pwned.xlsx").exists() and not Path("/tmp/pwned-abs.xlsx").exists()
    stored = sorted(p.name for p in (ws.archive_dir / "files").rglob("*") if p.is_file())
    assert len(stored) == 4 and all(len(p.split(".")[0]) == 64 for p in stored)


def test_fifty_attachments(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = fill("STP").read_bytes()
    message = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "50 tệp", [])
    for n in range(50):
        message.add_attachment(data + b" " * n, maintype="application", subtype=XLSX, filename=f"tệp {n}.xlsx")
    path = tmp_path / "nhieu.eml"
    path.write_bytes(bytes(message))
    items = _collect(ws, path)
    files = [i for i in items if i["kind"] == "file"]
    assert len(files) == 50 and {i["agency"] for i in files} == {"STP"}
    (note,) = [i for i in items if i["kind"] == "mail"]       # fifty versions of one agency: the last counts
    assert note["issues"][0]["code"] == "mail-versions" and "dùng bản “tệp 49.xlsx”" in note["issues"][0]["message"]


def test_malformed_mime_does_not_stop_the_batch(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    inbox = tmp_path / "thu"
    inbox.mkdir()
    (inbox / "a-hong-1.eml").write_bytes(b'Content-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
                                         b"Content-Type: application/vnd.ms-excel; name=\"x.xls\"\r\n"
                                         b"Content-Transfer-Encoding: base64\r\n\r\n!!!not base64!!!")
    (inbox / "a-hong-2.eml").write_bytes(b"\xff\xfe\x00 garbage \r\n\r\n\x00\x01" * 100)
    (inbox / "a-hong-3.eml").write_bytes(b"Subject: =?UTF-8?B?@@@?=\r\nFrom: =?bogus?Q?x?=\r\n"
                                         b"Content-Type: multipart/mixed\r\n\r\nno boundary at all")
    good = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "tốt", [("tot.xlsx", fill("STP").read_bytes())])
    (inbox / "z-tot.eml").write_bytes(bytes(good))
    items = _collect(ws, inbox)
    assert [i["agency"] for i in items if i["kind"] == "file" and i["verdict"] != "rejected"] == ["STP"]


def _nest(depth: int, inner: EmailMessage) -> EmailMessage:
    message = inner
    for level in range(depth):
        message = forwarded(f"chuyen{level}@thainguyen.gov.vn", message)
    return message


def test_forwarded_ten_deep_is_found(fill) -> None:  # type: ignore[no-untyped-def]
    inner = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "gốc", [("goc.xlsx", fill("STP").read_bytes())])
    items, note = from_message(parse_message(bytes(_nest(10, inner))), "x", "eml", WHEN.get("Date").datetime)
    assert [i.name for i in items] == ["goc.xlsx"] and note is None


def test_nesting_beyond_the_bound_is_ignored_not_fatal(fill) -> None:  # type: ignore[no-untyped-def]
    inner = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "gốc", [("goc.xlsx", fill("STP").read_bytes())])
    items, note = from_message(parse_message(bytes(_nest(40, inner))), "x", "eml", WHEN.get("Date").datetime)
    assert items == [] and note is not None


def test_a_winmail_dat_of_a_hundred_thousand_attachments_is_passed_on(ws: Workspace, tmp_path: Path) -> None:
    from tests.tneffile import ATT_ATTACH_DATA, ATT_ATTACH_REND_DATA, ATTACHMENT, attribute, winmail

    # a valid stream followed by 100,000 empty attachments (tnefparse copied the rest of the stream for each
    # object it read: hours): more attachments than any mail carries, so not read; the winmail.dat named and kept
    empty = attribute(ATTACHMENT, ATT_ATTACH_REND_DATA, b"") + attribute(ATTACHMENT, ATT_ATTACH_DATA, b"")
    stream = winmail([]) + empty * 100_000
    message = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "winmail", [])
    message.add_attachment(stream, maintype="application", subtype="ms-tnef", filename="winmail.dat")
    path = tmp_path / "tnef.eml"
    path.write_bytes(bytes(message))
    items = _collect(ws, path)
    (item,) = items                                  # named and kept, not silently dropped
    assert item["file"] == "winmail.dat" and item["verdict"] == "rejected"


def test_an_archive_inside_a_zip_is_named(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.archives import rar5

    inner = rar5("Báo cáo.xlsx", fill("STP").read_bytes())
    message = mail("Sở Tư pháp <stp@thainguyen.gov.vn>", "nén hai lần", [])
    message.add_attachment(zipped("bao-cao.rar", inner), maintype="application", subtype="zip", filename="bc.zip")
    path = tmp_path / "long.eml"
    path.write_bytes(bytes(message))
    (item,) = _collect(ws, path)
    assert item["file"] == "bc.zip/bao-cao.rar" and [i["code"] for i in item["issues"]] == ["file-archive-unread"]


def _multiparts(depth: int) -> bytes:
    """A MIME body nested `depth` multiparts deep (deeper than Python's parser can follow at 1,000)."""
    body = b"Content-Type: text/plain\n\nhi\n"
    for level in range(depth):
        mark = b"b%d" % level
        body = (b"Content-Type: multipart/mixed; boundary=" + mark + b"\n\n--" + mark + b"\n" + body + b"\n--" + mark
                + b"--\n")
    return body


@pytest.mark.parametrize("wrapping", ["plain", "base64"])
def test_a_message_nested_past_the_parser_is_named_not_a_crash(ws: Workspace, tmp_path: Path, wrapping: str) -> None:
    import base64

    deep = b"From: stp@thainguyen.gov.vn\nSubject: Long\n" + _multiparts(1500)
    if wrapping == "base64":     # hidden from the first parse, met when the forwarded message is decoded
        deep = (b"From: vanthu@thainguyen.gov.vn\nSubject: Fwd\nMIME-Version: 1.0\nContent-Type: multipart/mixed; "
                b"boundary=OUT\n\n--OUT\nContent-Type: message/rfc822\nContent-Transfer-Encoding: base64\n\n"
                + base64.encodebytes(deep) + b"\n--OUT--\n")
    path = tmp_path / "sau.eml"
    path.write_bytes(deep)
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "collect", str(path), "--period", "2024", "--json"])
    assert result.exit_code == 0 and result.exception is None, result.output
    (note,) = json.loads(result.output)
    assert note["kind"] == "mail" and "lồng nhau quá nhiều tầng" in note["issues"][0]["message"]
