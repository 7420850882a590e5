"""collect/check/status: archive, ledger, duplicates, resubmissions, lateness, formats, saved e-mails."""

from __future__ import annotations

import json
import os
import shutil
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.ledger import Ledger
from planreports.progress.rules import latest_accepted
from planreports.workspace import Workspace
from tests.libreoffice import convert, needs_libreoffice


def run(ws: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), *args])
    return result.exit_code, result.output


def set_mtime(path: Path, day: str) -> Path:
    moment = datetime.fromisoformat(f"{day}T09:00:00+07:00").timestamp()
    os.utime(path, (moment, moment))
    return path


def inbox_file(ws: Workspace, source: Path, name: str, day: str = "2024-12-05") -> Path:
    target = ws.inbox / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(source, target)
    return set_mtime(target, day)


def collect_json(ws: Workspace, *paths: str) -> tuple[int, list[dict]]:
    code, out = run(ws, "collect", *paths, "--period", "2024", "--json")
    return code, json.loads(out)


def test_collect_json_shape_and_archive(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    inbox_file(ws, fill("STP"), "stp.xlsx")
    code, items = collect_json(ws)
    assert code == 0
    (item,) = items
    assert item["agency"] == "STP" and item["period"] == "2024" and item["verdict"] == "accepted"
    assert len(item["sha256"]) == 64 and item["issues"] == [] and item["file"] == "stp.xlsx"
    stored = list((ws.archive_dir / "files").rglob("*.xlsx"))
    assert [p.read_bytes() for p in stored] == [(ws.inbox / "stp.xlsx").read_bytes()]


def test_bad_file_does_not_stop_the_batch_and_is_kept(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    inbox_file(ws, fill("STP"), "a-stp.xlsx")
    (ws.inbox / "b-hong.xlsx").write_bytes(b"PK\x03\x04 broken")
    inbox_file(ws, fill("BTN"), "c-btn.xlsx")
    code, items = collect_json(ws)
    assert code == 1
    assert [i["verdict"] for i in items] == ["accepted", "rejected", "accepted"]
    assert items[1]["issues"][0]["code"] == "file-corrupt"
    with Ledger(ws.archive_dir) as ledger:
        receipts = ledger.receipts("2024")
    assert len(receipts) == 3
    broken = next(r for r in receipts if r.file_name == "b-hong.xlsx")
    assert broken.verdict == "rejected"
    assert (ws.archive_dir / broken.stored_path).read_bytes() == b"PK\x03\x04 broken"


def test_rerun_is_idempotent_and_duplicates_change_nothing(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    inbox_file(ws, fill("STP"), "stp.xlsx")
    collect_json(ws)
    shutil.copy(ws.inbox / "stp.xlsx", ws.inbox / "stp-ban-sao.xlsx")
    code, items = collect_json(ws)
    assert code == 0 and {i["verdict"] for i in items} == {"duplicate"}
    with Ledger(ws.archive_dir) as ledger:
        assert len(ledger.receipts()) == 1


def test_a_duplicate_says_what_its_first_copy_was_taken_for(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    """Two copies in one batch, then both again: every copy after the first names the agency and period."""
    inbox_file(ws, fill("STP"), "a.xlsx")
    shutil.copy(ws.inbox / "a.xlsx", ws.inbox / "b.xlsx")
    _, first = collect_json(ws)
    _, again = collect_json(ws)
    assert [i["verdict"] for i in first + again] == ["accepted", "duplicate", "duplicate", "duplicate"]
    assert {(i["agency"], i["period"]) for i in first + again} == {("STP", "2024")}


def test_resubmission_supersedes_but_keeps_the_earlier(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first = inbox_file(ws, fill("STP", name="v1.xlsx"), "v1.xlsx", day="2024-12-01")

    def better(answers) -> None:  # type: ignore[no-untyped-def]
        answers.tasks["1.1"]["result"] = "Đã tổ chức 03 hội nghị"

    inbox_file(ws, fill("STP", better, name="v2.xlsx"), "v2.xlsx", day="2024-12-08")
    collect_json(ws)
    with Ledger(ws.archive_dir) as ledger:
        assert len(ledger.receipts("2024")) == 2
        latest = latest_accepted(ledger.receipts("2024"))["STP"]
    assert latest.file_name == "v2.xlsx"
    assert latest.data is not None and latest.data["answers"][0]["result"] == "Đã tổ chức 03 hội nghị"
    assert first.exists()


def test_late_submission_is_flagged_not_rejected(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    inbox_file(ws, fill("STP"), "stp.xlsx", day="2024-12-12")
    code, (item,) = collect_json(ws)
    assert code == 0 and item["late"] and item["verdict"] == "warning"
    assert "Nộp muộn: nhận ngày 12/12/2024, hạn gửi ngày 10/12/2024" in item["issues"][0]["message"]


def test_status_lists_who_is_missing(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    inbox_file(ws, fill("STP"), "stp.xlsx")
    inbox_file(ws, fill("SNV", lambda a: a.tasks["6.1"].update(status="???")), "snv.xlsx")
    collect_json(ws)
    code, out = run(ws, "status", "--period", "2024", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["STP"]["submitted"] and data["STP"]["verdict"] == "accepted"
    assert data["STP"]["received_at"].startswith("2024-12-05")
    assert not data["SNV"]["submitted"] and data["SNV"]["verdict"] == "rejected" and data["SNV"]["issues"] == 1
    assert not data["BTN"]["submitted"] and data["BTN"]["verdict"] is None
    code, out = run(ws, "status", "--period", "2024")
    assert "Đã nộp 1/34 đơn vị" in out and "Báo Thái Nguyên" in out


def test_text_output_names_file_sheet_cell(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    inbox_file(ws, fill("STP", lambda a: a.figures.update(HN_SO="khoảng 20")), "stp.xlsx")
    code, out = run(ws, "collect", "--period", "2024")
    assert code == 1
    assert "stp.xlsx" in out and "sheet “Số liệu”, ô D3" in out and "(value-not-a-number)" in out
    assert "Traceback" not in out


def test_check_stores_nothing(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    path = fill("STP")
    code, out = run(ws, "check", str(path), "--json")
    assert code == 0 and json.loads(out)[0]["verdict"] == "accepted"
    assert not ws.archive_dir.exists()


def _eml(attachments: list[tuple[str, bytes]], sender: str, date: str, subject: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "stttt@thainguyen.gov.vn"
    message["Subject"] = subject
    message["Date"] = date
    message["Message-ID"] = f"<{abs(hash(subject))}@thainguyen.gov.vn>"
    message.set_content("Kính gửi Sở TT&TT, đơn vị gửi báo cáo kèm theo.")
    for name, data in attachments:
        message.add_attachment(data, maintype="application",
                               subtype="vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename=name)
    return bytes(message)


def test_saved_emails_are_collected_with_their_date(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    ws.inbox.mkdir(parents=True, exist_ok=True)
    (ws.inbox / "stp.eml").write_bytes(_eml([("Báo cáo Sở Tư pháp.xlsx", fill("STP").read_bytes())],
                                            "Sở Tư pháp <stp@thainguyen.gov.vn>", "Wed, 04 Dec 2024 10:00:00 +0700",
                                            "Báo cáo Chỉ thị 07"))
    (ws.inbox / "khong-dinh-kem.eml").write_bytes(_eml([], "a@b.vn", "Wed, 04 Dec 2024 10:00:00 +0700", "Hỏi"))
    code, out = run(ws, "collect", "--period", "2024")
    assert code == 0 and "Báo cáo Sở Tư pháp.xlsx" in out
    assert "Thư “Hỏi” của a@b.vn" in out and "Thư không có tệp bảng tính nào đọc được" in out
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.sender == "Sở Tư pháp <stp@thainguyen.gov.vn>" and receipt.source_kind == "eml"
    assert receipt.received_at.startswith("2024-12-04T10:00")


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory, seed_templates: Path) -> dict[str, Path]:
    """A filled STP form re-saved by LibreOffice as .xls and .ods (what Excel 2003 / Calc users send)."""
    from planreports.testing.filling import fill_template
    from planreports.workspace import Workspace as W
    from tests.conftest import ON_TIME, complete_answers, filled_on

    out = tmp_path_factory.mktemp("lo")
    ws = W(seed_templates.parents[2])
    answers = complete_answers(ws, "STP")
    answers.figures["KINH_PHI"] = 12.5
    source = fill_template(seed_templates / "STP.xlsx", answers, out / "stp-filled.xlsx")
    return {fmt: filled_on(convert(source, fmt, out), ON_TIME) for fmt in ("xls", "ods")}


@needs_libreoffice
@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_xls_and_ods_are_read(ws: Workspace, converted: dict[str, Path], fmt: str) -> None:
    code, out = run(ws, "check", str(converted[fmt]), "--json", "--period", "2024")
    (item,) = json.loads(out)
    assert code == 0 and item["verdict"] == "accepted", item["issues"]
    assert item["agency"] == "STP"


def test_check_and_collect_give_the_same_verdict(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    """Late submission and an unexpected sender are part of the file's validation, wherever it is checked."""
    ws.inbox.mkdir(parents=True, exist_ok=True)
    mail = ws.inbox / "stp.eml"
    mail.write_bytes(_eml([("stp.xlsx", fill("STP").read_bytes())], "Ai đó <ai.do@gmail.com>",
                          "Fri, 13 Dec 2024 10:00:00 +0700", "Báo cáo muộn"))
    _, checked = run(ws, "check", str(mail), "--period", "2024", "--json")
    _, collected = collect_json(ws)
    (first,), (second,) = json.loads(checked), collected
    assert first["verdict"] == second["verdict"] == "warning" and first["late"] and second["late"]
    assert [i["code"] for i in first["issues"]] == [i["code"] for i in second["issues"]] == [
        "submission-late", "sender-mismatch"]
