"""Crash safety: collect killed with SIGKILL at random points, stopped by Ctrl-C or SIGTERM, its main process
killed alone, two collects at once, atomic outputs."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from filelock import FileLock

from planreports.cli import cli
from planreports.ledger import Ledger
from planreports.workspace import Workspace
from tests.machinefaults import children, clean_run, pristine, receipt_facts, still_running

posix_only = pytest.mark.skipif(os.name == "nt", reason="SIGKILL of a process group is POSIX")
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="worker processes are seen in /proc")


@pytest.fixture
def big_inbox(ws: Workspace, fill) -> Path:  # type: ignore[no-untyped-def]
    """160 distinct filled forms (and one duplicate) from several agencies."""
    agencies = ["STP", "SNV", "STC", "BTN", "HDT", "CAT", "SYT", "SXD"]
    inbox = ws.root / "lo-lon"
    inbox.mkdir()
    for n in range(160):
        agency = agencies[n % len(agencies)]
        path = fill(agency, lambda a, n=n: a.figures.update(HN_SO=n), name=f"{n:03d}-{agency}.xlsx")
        path.rename(inbox / path.name)
    (inbox / "160-dup.xlsx").write_bytes((inbox / "000-STP.xlsx").read_bytes())
    return inbox


def _start(ws: Workspace, inbox: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "planreports", "-w", str(ws.root), "collect", str(inbox),
                             "--period", "2024", "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)


def _consistent(ws: Workspace, inbox: Path) -> None:
    with sqlite3.connect(ws.ledger_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Ledger(ws.archive_dir) as ledger:
        receipts = ledger.receipts()
    distinct = {hashlib.sha256(p.read_bytes()).hexdigest() for p in inbox.iterdir()}
    assert sorted(r.sha256 for r in receipts) == sorted(distinct)          # every file exactly once
    for receipt in receipts:
        stored = (ws.archive_dir / receipt.stored_path).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == receipt.sha256          # none lost, none half-written
    assert not list(ws.archive_dir.rglob("*.tmp"))
    FileLock(ws.archive_dir / "collect.lock").acquire(timeout=0)            # no lock outlives its process


@posix_only
def test_sigkill_at_random_points_then_rerun(ws: Workspace, big_inbox: Path) -> None:
    rng = random.Random(7)
    killed = 0
    for _ in range(5):
        process = _start(ws, big_inbox)
        time.sleep(rng.uniform(0.05, 0.6))   # start-up takes ~0.3 s and the whole batch under 1 s
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            killed += 1
        process.wait(timeout=60)
    process = _start(ws, big_inbox)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    assert killed >= 1
    _consistent(ws, big_inbox)


def _midway(process: subprocess.Popen[bytes], ws: Workspace) -> dict[int, str]:
    """Wait until the workers run and have archived a first original (the batch is under way); the workers."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = children(process.pid)
        files = ws.archive_dir / "files"
        if workers and files.is_dir() and any(files.rglob("*.xlsx")):
            return workers
        assert process.poll() is None, "collect ended before it could be stopped"
        time.sleep(0.005)
    raise AssertionError("collect did not start its workers")


def _gone(workers: dict[int, str], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while still_running(workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    return still_running(workers)


def _rerun_is_clean(ws: Workspace, inbox: Path, twin: Workspace) -> None:
    process = _start(ws, inbox)
    _, err = process.communicate(timeout=300)
    assert process.returncode == 0, err.decode()
    _consistent(ws, inbox)
    assert receipt_facts(ws) == clean_run(twin, inbox)


@linux_only
@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_stopped_from_outside(ws: Workspace, big_inbox: Path, tmp_path: Path, stop: str) -> None:
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) or SIGTERM to the main process alone
    (a service manager, `kill`, a script's timeout): "Đã dừng.", exit 130 or 143, no traceback from any
    process, every worker ended, the caller's pipes closed; nothing half-recorded, and a re-run is a clean run."""
    twin = pristine(ws, tmp_path)
    process = _start(ws, big_inbox)
    workers = _midway(process, ws)
    if stop == "ctrl-c":
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGTERM)
    out, err = process.communicate(timeout=60)      # returns only once no process holds the pipes
    text = err.decode()
    assert process.returncode == (130 if stop == "ctrl-c" else 143), text
    assert text.strip().endswith("Đã dừng.") and "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert out == b""                               # no results: the batch was not recorded
    assert _gone(workers, 5.0) == []
    assert receipt_facts(ws) == []
    _rerun_is_clean(ws, big_inbox, twin)


@linux_only
def test_workers_end_when_the_main_process_is_killed_alone(ws: Workspace, big_inbox: Path,
                                                           tmp_path: Path) -> None:
    """SIGKILL to the main process only (no handler can run): the workers notice their parent has gone and
    end within a second, letting go of the caller's pipes, instead of living on with parent 1."""
    twin = pristine(ws, tmp_path)
    process = _start(ws, big_inbox)
    workers = _midway(process, ws)
    os.kill(process.pid, signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert _gone(workers, 5.0) == []
    _rerun_is_clean(ws, big_inbox, twin)


@posix_only
def test_two_collects_at_once(ws: Workspace, big_inbox: Path) -> None:
    first, second = _start(ws, big_inbox), _start(ws, big_inbox)
    outputs = [p.communicate(timeout=300) for p in (first, second)]       # drain pipes while they run
    results = [(p.returncode, err.decode()) for p, (_, err) in zip((first, second), outputs, strict=True)]
    codes = sorted(code for code, _ in results)
    assert codes in ([0, 0], [0, 75])
    if codes == [0, 75]:
        refused = next(err for code, err in results if code == 75)
        assert "Một lệnh collect khác" in refused and "Traceback" not in refused
    _consistent(ws, big_inbox)


def test_live_lock_refuses_with_a_clear_message(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    """A second collect on a busy workspace exits 75 (EX_TEMPFAIL: try again later) and names the owner."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(ws.archive_dir)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == b"held"
        result = CliRunner().invoke(cli, ["-w", str(ws.root), "collect", str(fill("STP")), "--period", "2024"])
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 75, result.output
    assert "Một lệnh collect khác" in result.output and f"tiến trình {holder.pid}" in result.output


HOLD_LOCK = """
import sys, time
from pathlib import Path
from planreports.ledger import workspace_lock
with workspace_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def test_stale_lock_of_a_dead_process_is_taken_over(ws: Workspace, fill) -> None:  # type: ignore[no-untyped-def]
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    ws.archive_dir.mkdir(parents=True)
    (ws.archive_dir / "collect.lock").write_text(str(dead.pid), encoding="ascii")
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "collect", str(fill("STP")), "--period", "2024"])
    assert result.exit_code == 0, result.output


def test_outputs_are_renamed_into_place(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash while writing leaves the previous output intact and no partial file under the real name."""
    from planreports import files

    target = ws.output_dir / "2024" / "summary.json"
    files.write_text_atomic(target, '{"old": true}\n')

    def crash(src: object, dst: object) -> None:
        raise OSError("máy tắt đột ngột")

    monkeypatch.setattr(files.os, "replace", crash)
    with pytest.raises(OSError):
        files.write_text_atomic(target, '{"new": true}\n')
    assert target.read_text(encoding="utf-8") == '{"old": true}\n'
    assert not list(target.parent.glob(".*.tmp"))
