"""The mistakes of an ordinary week, the inbox: a file saved beside the period's folder is read (or named, never
silently left), "nothing new" says where it looked, and a workbook or report of nothing is not written while
files wait uncollected."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from planreports.intake.inbox import pending, period_inbox
from planreports.intake.sources import Incoming, iter_sources
from planreports.plan.periods import parse_period
from planreports.workspace import Workspace
from tests.conftest import copy_example
from tests.weekhelp import PDF, digest, invoke, receipts, small_example

SEP = os.sep


def test_init_and_templates_make_the_periods_inbox(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from planreports.cli import cli

    today = date.today()
    current = str(today.year + (today > date(today.year, 12, 14)))
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "ws")])
    assert result.exit_code == 0 and (tmp_path / "ws" / "input" / "inbox" / current).is_dir()
    assert str(tmp_path / "ws" / "input" / "inbox" / current) in result.output
    made = CliRunner().invoke(cli, ["-w", str(tmp_path / "ws"), "templates", "--period", "2024", "--agency", "STP"])
    assert made.exit_code == 0 and (tmp_path / "ws" / "input" / "inbox" / "2024").is_dir()


def test_a_file_saved_beside_the_period_folder_is_read(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd")
    (ws.inbox / "2026" / "sxd.eml").rename(ws.inbox / "sxd.eml")      # saved one folder too high
    result = invoke(ws, "collect", "--period", "2026")
    assert result.exit_code == 1, result.output                       # SXD's file is rejected, as in its folder
    assert "Báo cáo CT07 năm 2026 - Sở Xây dựng.xlsx" in result.output
    assert {r.agency for r in receipts(ws)} == {"STP", "SXD", "SYT"}
    assert "Lưu ý" not in result.output                               # nothing left unread


def test_files_of_another_period_or_unknown_are_named_not_read(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd")
    source = copy_example(tmp_path / "nguon").inbox / "2025" / "cat.eml"
    (ws.inbox / "cat-2025.eml").write_bytes(source.read_bytes())        # the 2025 round's file
    (ws.inbox / "bao-cao.pdf").write_bytes(PDF)
    result = invoke(ws, "collect", "--period", "2026")
    assert result.exit_code == 1, result.output
    said = (f"Lưu ý: 2 tệp nằm ngay trong input{SEP}inbox{SEP} (ngoài thư mục input{SEP}inbox{SEP}2026{SEP}) không "
            "được đọc cho kỳ 2026 vì không xác định được là báo cáo kỳ 2026: bao-cao.pdf, cat-2025.eml.")
    assert said in result.output
    assert f"chuyển vào input{SEP}inbox{SEP}2026{SEP} rồi chạy lại lệnh" in result.output
    stored = {r.sha256 for r in receipts(ws)}
    assert digest(PDF) not in stored and len(stored) == 3               # only the period's folder was read
    inbox = period_inbox(ws, parse_period("2026"))
    assert [p.name for p in inbox.waiting] == ["bao-cao.pdf", "cat-2025.eml"] and inbox.loose == ()


def test_nothing_new_says_which_folder_it_read(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd", keep=())
    result = invoke(ws, "collect", "--period", "2026")
    assert result.exit_code == 0
    assert f"Không có tệp mới nào để nhận trong input{SEP}inbox{SEP}2026{SEP}." in result.output
    assert receipts(ws) == []


def test_report_of_nothing_is_refused_while_files_wait(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd")
    for command in ("report", "consolidate"):
        result = invoke(ws, command, "--period", "2026")
        assert result.exit_code == 1, result.output
        assert "Chưa có báo cáo đạt yêu cầu nào của kỳ 2026 (0/110 đơn vị)" in result.output
        assert "không ghi tệp nào" in result.output and "--allow-empty" in result.output
        assert f"Còn 3 tệp trong input{SEP}inbox{SEP}2026{SEP} chưa được nhận" in result.output
        assert "planreports collect --period 2026" in result.output
    assert not ws.output_dir.exists() and not ws.archive_dir.exists()    # nothing was written


def test_allow_empty_writes_it_and_still_says_what_waits(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd")
    result = invoke(ws, "report", "--period", "2026", "--allow-empty")
    assert result.exit_code == 0, result.output
    assert (ws.output_dir / "2026" / "bao-cao-2026.docx").is_file()
    assert f"Lưu ý: Còn 3 tệp trong input{SEP}inbox{SEP}2026{SEP} chưa được nhận" in result.output


def test_a_report_with_submissions_warns_of_the_files_still_waiting(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd")
    assert invoke(ws, "collect", str(ws.inbox / "2026" / "stp.eml"), "--period", "2026").exit_code == 0
    result = invoke(ws, "consolidate", "--period", "2026")
    assert result.exit_code == 0, result.output
    assert f"Lưu ý: Còn 2 tệp trong input{SEP}inbox{SEP}2026{SEP} chưa được nhận" in result.output
    assert (ws.output_dir / "2026" / "tong-hop-2026.xlsx").is_file()
    status = invoke(ws, "status", "--period", "2026")
    assert "Còn 2 tệp trong" in status.output                            # status says it too
    assert pending(ws, parse_period("2026")).in_folder == 2


def test_run_with_nothing_accepted_writes_only_the_status_page(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd", keep=("sxd.eml",))                # one file, rejected
    result = invoke(ws, "run", "--period", "2026")
    assert result.exit_code == 1, result.output
    assert "Chưa có báo cáo đạt yêu cầu nào của kỳ 2026 (0/110 đơn vị)" in result.output
    written = sorted(p.name for p in (ws.output_dir / "2026").iterdir())
    assert written == ["tinh-hinh-2026.html"]
    assert [r.agency for r in receipts(ws)] == ["SXD"]                   # what it collected is kept
    again = invoke(ws, "run", "--period", "2026", "--allow-empty")
    assert again.exit_code == 1                                            # SXD's file is still rejected
    assert (ws.output_dir / "2026" / "bao-cao-2026.docx").is_file()


def test_pending_counts_workbooks_not_yet_received(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd")
    period = parse_period("2026")
    items = [i for i in iter_sources([ws.inbox / "2026"]) if isinstance(i, Incoming)]
    assert pending(ws, period).in_folder == len(items) == 3
    invoke(ws, "collect", "--period", "2026")
    assert pending(ws, period).count == 0


def test_without_a_folder_per_period_the_inbox_is_input_inbox(ws: Workspace) -> None:
    for folder in ws.inbox.iterdir():
        folder.rmdir()                                                     # the empty folder init made
    inbox = period_inbox(ws, parse_period("2024"))
    assert inbox.folder == ws.inbox and inbox.sources == [ws.inbox] and inbox.waiting == ()
