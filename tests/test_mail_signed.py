"""Mail signed with an agency's digital certificate (S/MIME), made by openssl as a mail program makes it.

Signed in clear (multipart/signed) the parts stay readable; signed whole ("opaque", smime.p7m) the workbook is
inside the signature, DER or the BER that streaming signers write; encrypted, only the recipient's key opens it,
and the mail is received as its smime.p7m, named and kept."""

from __future__ import annotations

import email
import hashlib
import shutil
import subprocess
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from planreports.cli import cli
from planreports.intake.smime import Wrapped, unwrap
from planreports.workspace import Workspace
from tests.libreoffice import REQUIRED
from tests.test_mail_formats import STP, XLSX_TYPE, codes, collect, save

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None and not REQUIRED, reason="openssl is not installed")

HEADERS = b"From: =?utf-8?q?S=E1=BB=9F_T=C6=B0_ph=C3=A1p?= <stp@thainguyen.gov.vn>\n" \
          b"To: vp@thainguyen.gov.vn\nSubject: =?utf-8?q?B=C3=A1o_c=C3=A1o?=\n" \
          b"Date: Wed, 04 Dec 2024 09:15:00 +0700\n"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The agency's key and self-signed certificate (a real one comes from the government CA; the format is
    the same)."""
    folder = tmp_path_factory.mktemp("cert")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=So Tu phap",
                    "-keyout", str(key), "-out", str(cert), "-days", "3650"], check=True, capture_output=True)
    return key, cert


def entity(attachments: list[tuple[str, str, bytes]]) -> bytes:
    """The MIME entity a mail program signs: the letter and its attachments, without the envelope headers."""
    message = EmailMessage()
    message.set_content("Kính gửi Văn phòng UBND tỉnh, Sở Tư pháp gửi báo cáo.")
    for name, kind, data in attachments:
        maintype, subtype = kind.split("/")
        message.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    del message["MIME-Version"]
    return bytes(message)


def openssl(tmp_path: Path, body: bytes, *args: str) -> bytes:
    """A mail made by `openssl smime|cms …` from the entity, with the sender's headers on top."""
    source, out = tmp_path / "entity.txt", tmp_path / "out.eml"
    source.write_bytes(body)
    command, *options = args          # the recipient's certificate, if any, must stay last
    subprocess.run(["openssl", command, "-in", str(source), "-out", str(out), *options], check=True,
                   capture_output=True)
    return HEADERS + out.read_bytes()


def signed(tmp_path: Path, certificate: tuple[Path, Path], body: bytes, how: str) -> bytes:
    key, cert = certificate
    common = ["-binary", "-signer", str(cert), "-inkey", str(key)]
    if how == "clear":
        return openssl(tmp_path, body, "smime", "-sign", *common)
    if how == "opaque":
        return openssl(tmp_path, body, "smime", "-sign", "-nodetach", *common)
    return openssl(tmp_path, body, "cms", "-sign", "-nodetach", "-stream", *common)     # BER, streamed


@pytest.mark.parametrize("how", ["clear", "opaque", "streamed"])
def test_a_signed_mail_gives_its_workbook(ws: Workspace, fill, tmp_path: Path,  # type: ignore[no-untyped-def]
                                          certificate: tuple[Path, Path], how: str) -> None:
    body = entity([("Báo cáo STP.xlsx", XLSX_TYPE, fill("STP").read_bytes())])
    raw = signed(tmp_path, certificate, body, how)
    assert (b"smime.p7m" in raw) == (how != "clear")
    (item,), notes = collect(ws, save(tmp_path, "ky-so.eml", raw))
    assert item["file"] == "Báo cáo STP.xlsx" and item["agency"] == "STP" and item["verdict"] == "accepted"
    assert item["sender"] == STP and item["received_at"].startswith("2024-12-04T09:15") and notes == []


def test_the_signature_of_a_clear_signed_mail_is_not_called_an_attachment(
        ws: Workspace, tmp_path: Path, certificate: tuple[Path, Path]) -> None:
    raw = signed(tmp_path, certificate, entity([]), "clear")
    files, (note,) = collect(ws, save(tmp_path, "chi-ky.eml", raw))
    assert files == [] and note["unread"] == [] and "không có tệp đính kèm" in note["issues"][0]["message"]


def test_an_encrypted_mail_is_received_named_and_kept(ws: Workspace, fill, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                      certificate: tuple[Path, Path]) -> None:
    _, cert = certificate
    body = entity([("Báo cáo STP.xlsx", XLSX_TYPE, fill("STP").read_bytes())])
    raw = openssl(tmp_path, body, "smime", "-encrypt", "-binary", "-aes256", str(cert))
    (item,), notes = collect(ws, save(tmp_path, "ma-hoa.eml", raw))
    assert item["file"] == "smime.p7m" and item["verdict"] == "rejected" and notes == []
    assert codes(item) == ["file-encrypted-mail"] and item["sender"] == STP
    status = CliRunner().invoke(cli, ["-w", str(ws.root), "status", "--period", "2024"])
    shown = " ".join(status.stdout.split())
    assert "- smime.p7m: nhận 04/12/2024 09:15, từ Sở Tư pháp <stp@thainguyen.gov.vn> — địa chỉ của Sở Tư pháp" in shown
    assert "(file-encrypted-mail)" in shown                          # in sight on status, with who sent it
    assert "không giải mã" in item["issues"][0]["message"]
    payload = email.message_from_bytes(raw).get_payload(decode=True)
    assert isinstance(payload, bytes) and unwrap(payload)[0] is Wrapped.ENCRYPTED
    digest = hashlib.sha256(payload).hexdigest()
    assert (ws.archive_dir / "files" / digest[:2] / f"{digest}.bin").read_bytes() == payload     # kept, unchanged


def test_a_mail_signed_twice_is_opened_twice(ws: Workspace, fill, tmp_path: Path,  # type: ignore[no-untyped-def]
                                             certificate: tuple[Path, Path]) -> None:
    # a mail gateway that signs again what the agency signed: the workbook is two signatures deep
    body = entity([("Báo cáo STP.xlsx", XLSX_TYPE, fill("STP").read_bytes())])
    once = signed(tmp_path, certificate, body, "opaque")
    inner = once[once.index(b"MIME-Version"):]
    twice = signed(tmp_path, certificate, inner, "opaque")
    (item,), _ = collect(ws, save(tmp_path, "hai-lan.eml", twice))
    assert item["file"] == "Báo cáo STP.xlsx" and item["verdict"] == "accepted"


def test_a_signed_workbook_file_is_read_as_the_workbook(ws: Workspace, fill, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        certificate: tuple[Path, Path]) -> None:
    # a signing tool's "Báo cáo STP.xlsx.p7m": the workbook itself inside the signature (DER), not a mail
    key, cert = certificate
    workbook = tmp_path / "stp.xlsx"
    workbook.write_bytes(fill("STP").read_bytes())
    signed_file = tmp_path / "stp.xlsx.p7m"
    subprocess.run(["openssl", "smime", "-sign", "-nodetach", "-binary", "-outform", "DER", "-in", str(workbook),
                    "-signer", str(cert), "-inkey", str(key), "-out", str(signed_file)],
                   check=True, capture_output=True)
    message = EmailMessage()
    message["From"], message["Subject"], message["Date"] = STP, "Báo cáo", "Wed, 04 Dec 2024 09:15:00 +0700"
    message.set_content("Gửi kèm báo cáo đã ký số.")
    message.add_attachment(signed_file.read_bytes(), maintype="application", subtype="pkcs7-mime",
                           filename="Báo cáo STP.xlsx.p7m")
    (item,), notes = collect(ws, save(tmp_path, "tep-ky.eml", message))
    assert item["file"] == "Báo cáo STP.xlsx" and item["verdict"] == "accepted" and notes == []


def streamed(content: bytes, piece: int) -> bytes:
    """A SignedData as a streaming signer writes it (indefinite lengths, the content in pieces of `piece`
    bytes), without certificates or signer infos: what unwrap walks through."""
    def tlv(tag: int, value: bytes) -> bytes:
        size = len(value)
        return bytes([tag]) + (bytes([size]) if size < 0x80 else bytes([0x84]) + size.to_bytes(4, "big")) + value

    pieces = b"".join(tlv(0x04, content[i:i + piece]) for i in range(0, len(content), piece))
    encapsulated = (b"\x30\x80" + tlv(0x06, bytes.fromhex("2a864886f70d010701")) + b"\xa0\x80\x24\x80" + pieces
                    + b"\0\0" * 3)
    signed_data = b"\x30\x80" + tlv(0x02, b"\x01") + tlv(0x31, b"") + encapsulated + tlv(0x31, b"") + b"\0\0"
    return b"\x30\x80" + tlv(0x06, bytes.fromhex("2a864886f70d010702")) + b"\xa0\x80" + signed_data + b"\0\0" * 2


def test_a_streamed_signature_of_tiny_pieces_is_walked_once() -> None:
    # asn1crypto took minutes on such a file (joining pieces one by one, re-parsing every level)
    content = b"Content-Type: text/plain\n\n" + b"x" * 200_000
    assert unwrap(streamed(content, 1)) == (Wrapped.SIGNED, content)
    assert unwrap(streamed(content, 1000)) == (Wrapped.SIGNED, content)
    # more pieces than any signer writes: not read, named
    assert unwrap(streamed(b"x" * 1_100_000, 1)) == (Wrapped.UNKNOWN, b"")


@pytest.fixture(scope="module")
def p7m(certificate: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> bytes:
    raw = signed(tmp_path_factory.mktemp("p7m"), certificate, entity([("a.xlsx", XLSX_TYPE, bytes(500))]), "opaque")
    payload = email.message_from_bytes(raw).get_payload(decode=True)
    assert isinstance(payload, bytes) and unwrap(payload)[0] is Wrapped.SIGNED
    return payload


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_a_damaged_smime_p7m_is_refused_not_crashed(p7m: bytes, data: st.DataObject) -> None:
    damaged = bytearray(p7m)
    for _ in range(data.draw(st.integers(1, 30))):
        damaged[data.draw(st.integers(0, len(damaged) - 1))] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(1, len(damaged)))
    wrapped, content = unwrap(bytes(damaged[:cut]))
    assert (wrapped is Wrapped.SIGNED) == bool(content)
