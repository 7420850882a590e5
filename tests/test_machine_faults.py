"""Faults of the machine, made for real: a disk that fills up, a folder that refuses writes, a ledger another
program holds. Each is told in Vietnamese (what happened, where, what to do), never as an English OSError inside
"Lỗi không mong đợi"; nothing is lost; and once the fault is gone a re-run gives what a clean run gives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports import ledger
from planreports.cli import cli
from planreports.workspace import Workspace
from tests.machinefaults import (
    archive_consistent,
    clean_run,
    grow,
    needs_mount,
    planreports,
    pristine,
    read_only,
    receipt_facts,
    small_disk,
    tree_digest,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="the faults are made the POSIX way")
GENERIC = ("Lỗi không mong đợi", "Traceback", "Errno", "OSError")


def no_generic_error(stderr: str) -> None:
    assert not [word for word in GENERIC if word in stderr], stderr


@posix_only
@needs_mount
def test_archive_disk_fills_up(example: Workspace, tmp_path: Path) -> None:
    """The archive is on a 256 KiB tmpfs: ENOSPC while the 34 originals of 2024 are stored."""
    inbox, twin = example.inbox_for(example.period("2024")), pristine(example, tmp_path)
    before = tree_digest(inbox)
    with small_disk(example.archive_dir, 256) as disk:
        run = planreports(example, "collect", str(inbox), "--period", "2024")
        assert run.returncode == 1
        assert f"Ổ đĩa {disk} đã đầy" in run.stderr, run.stderr
        assert f"hãy giải phóng dung lượng trên ổ {disk}".lower() in run.stderr.lower()
        no_generic_error(run.stderr)
        assert tree_digest(inbox) == before                       # the originals are untouched
        archive_consistent(example, temp_ok=True)                  # no receipt without its whole file
        assert len(receipt_facts(example)) < len(before)           # the fault really stopped it
        grow(disk)                                                 # space freed: the same run again
        again = planreports(example, "collect", str(inbox), "--period", "2024")
        assert again.returncode == 1, again.stderr                 # two files of the example are rejected
        archive_consistent(example)
        assert receipt_facts(example) == clean_run(twin, inbox)
        assert example.status_page_path(example.period("2024")).is_file()


@posix_only
def test_file_size_limit_on_the_status_page(example: Workspace) -> None:
    """RLIMIT_FSIZE of 40 KiB on `status` (the ledger's 32 KiB -shm index fits): the 60 KiB status page is
    refused with EFBIG, the real way a write runs out of room that needs no mount permission. The JSON is
    printed all the same, the old page is kept whole, and the next status writes it."""
    inbox, period = example.inbox_for(example.period("2024")), example.period("2024")
    assert planreports(example, "collect", str(inbox), "--period", "2024").returncode == 1   # two rejected
    page = example.status_page_path(period)
    old, old_file, recorded = page.read_bytes(), page.stat().st_ino, receipt_facts(example)
    run = planreports(example, "status", "--period", "2024", "--json", limit_file_size=40960)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["SGTVT"]["state"] == "rejected"
    assert f"Lưu ý: chưa ghi được trang tình hình {page}. Không ghi được {page}: tệp vượt quá kích thước lớn nhất" \
        in run.stderr, run.stderr
    no_generic_error(run.stderr)
    assert page.read_bytes() == old and not list(page.parent.glob(".*.tmp"))
    assert receipt_facts(example) == recorded
    again = planreports(example, "status", "--period", "2024", "--json")
    assert again.returncode == 0 and again.stderr == "" and again.stdout == run.stdout
    assert page.stat().st_ino != old_file    # renamed into place: written anew


def _refusal(how: str, folder: Path) -> str:
    if how == "bind-ro":
        return f"Thư mục {folder} chỉ đọc (ổ {folder} đang được gắn ở chế độ chỉ đọc)"
    return f"Không có quyền ghi vào thư mục {folder}"


@posix_only
def test_read_only_output_folder(ws: Workspace, fill, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """collect and status --json print their results; the status page they cannot write is a warning."""
    inbox = fill("STP").parent
    fill("SNV"), fill("STC")
    page, twin = ws.status_page_path(ws.period("2024")), pristine(ws, tmp_path)
    with read_only(page.parent) as how:
        run = planreports(ws, "collect", str(inbox), "--period", "2024", "--json")
        assert run.returncode == 0, run.stderr                     # the results' code: all three accepted
        assert sorted((o["agency"], o["verdict"]) for o in json.loads(run.stdout)) == [
            ("SNV", "accepted"), ("STC", "accepted"), ("STP", "accepted")]
        assert f"Lưu ý: chưa ghi được trang tình hình {page} (các tệp trên đã được nhận" in run.stderr
        assert _refusal(how, page.parent) in run.stderr, run.stderr
        no_generic_error(run.stderr)
        assert len(receipt_facts(ws)) == 3                         # committed before the page was tried
        status = planreports(ws, "status", "--period", "2024", "--json")
        assert status.returncode == 0, status.stderr
        assert json.loads(status.stdout)["STP"]["submitted"] is True
        assert f"Lưu ý: chưa ghi được trang tình hình {page}." in status.stderr
        shown = planreports(ws, "status", "--period", "2024")
        assert shown.returncode == 0 and "Đã nộp 3/" in shown.stdout and "Đã ghi" not in shown.stdout
        assert not page.exists()
    after = planreports(ws, "status", "--period", "2024", "--json")
    assert after.returncode == 0 and after.stderr == "" and page.is_file()
    archive_consistent(ws)
    assert receipt_facts(ws) == clean_run(twin, inbox)


@posix_only
def test_read_only_archive(example: Workspace, tmp_path: Path) -> None:
    inbox, twin = example.inbox_for(example.period("2024")), pristine(example, tmp_path)
    before = tree_digest(inbox)
    with read_only(example.archive_dir) as how:
        run = planreports(example, "collect", str(inbox), "--period", "2024")
        assert run.returncode == 1
        assert _refusal(how, example.archive_dir) in run.stderr, run.stderr
        assert "collect.lock" in run.stderr                        # the first file it could not write
        no_generic_error(run.stderr)
    assert tree_digest(inbox) == before and receipt_facts(example) == []
    again = planreports(example, "collect", str(inbox), "--period", "2024")
    assert again.returncode == 1, again.stderr
    archive_consistent(example)
    assert receipt_facts(example) == clean_run(twin, inbox)


HOLD_LEDGER = """
import sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")      # as a database browser or a backup holding the ledger for writing
print("held", flush=True)
sys.stdin.read()                   # until the test lets go
"""


def test_ledger_held_by_another_program(ws: Workspace, fill, monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
                                        tmp_path: Path) -> None:
    """Another process holds the ledger's write lock past the wait (shortened to 1 s): exit 75, try later."""
    runner, twin = CliRunner(), pristine(ws, tmp_path)
    first = fill("STP")
    assert runner.invoke(cli, ["-w", str(ws.root), "collect", str(first), "--period", "2024"]).exit_code == 0
    more = [fill("SNV"), fill("STC")]
    recorded = receipt_facts(ws)
    monkeypatch.setattr(ledger, "LEDGER_WAIT_SECONDS", 1.0)
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LEDGER, str(ws.ledger_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        result = runner.invoke(cli, ["-w", str(ws.root), "collect", *map(str, more), "--period", "2024"])
        assert result.exit_code == 75, result.output
        assert f"Một chương trình khác đang giữ sổ theo dõi {ws.ledger_path}: đã chờ 1 giây" in result.output
        assert "thử lại sau" in result.output
        no_generic_error(result.output)
    finally:
        holder.communicate(b"", timeout=30)
    assert receipt_facts(ws) == recorded and all(p.is_file() for p in [first, *more])
    archive_consistent(ws, temp_ok=True)
    again = runner.invoke(cli, ["-w", str(ws.root), "collect", str(first.parent), "--period", "2024", "--json"])
    assert again.exit_code == 0, again.output
    assert sorted(o["verdict"] for o in json.loads(again.output)) == ["accepted", "accepted", "duplicate"]
    archive_consistent(ws)
    assert receipt_facts(ws) == clean_run(twin, first, first.parent)


def test_atomic_write_names_the_file_the_user_knows(tmp_path: Path) -> None:
    """An error while writing names the target, not the hidden temporary file; an error about another file (a
    template that is missing) keeps that file's name."""
    from planreports.files import atomic_path

    blocker = tmp_path / "output"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    with pytest.raises(OSError) as caught, atomic_path(tmp_path / "page.html") as tmp:
        tmp.write_bytes(b"x")
        os.replace(tmp, blocker / "x")          # fails on the temporary file's name (ENOTDIR)
    assert caught.value.filename == str(tmp_path / "page.html")
    missing = tmp_path / "mau.docx"
    with pytest.raises(FileNotFoundError) as other, atomic_path(tmp_path / "bao-cao.docx") as tmp:
        tmp.write_bytes(missing.read_bytes())
    assert other.value.filename == str(missing)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["output"]
