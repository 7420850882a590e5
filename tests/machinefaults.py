"""Real faults of the machine for the tests: a small file system that fills up, a folder that refuses writes,
a process's children.

A full disk is a tmpfs of a few hundred KiB mounted on the folder (root with mount permission, as in CI);
`mount_allowed()` says whether this machine lets the tests mount. A read-only folder is, in order of what works
here: chmod 0o555 for an ordinary user; for root (whom chmod does not stop) a read-only bind mount of the
folder on itself, else `chattr +i`. Each is checked to really refuse a write before a test relies on it.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from planreports.ledger import Ledger
from planreports.workspace import Workspace

REFUSED = (errno.EROFS, errno.EACCES, errno.EPERM)


def _run(*command: str) -> bool:
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


@functools.cache
def mount_allowed() -> bool:
    """Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN, Linux, `mount` installed)."""
    if not shutil.which("mount") or os.name != "posix" or os.geteuid() != 0:
        return False
    with tempfile.TemporaryDirectory() as probe:
        if not _run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", probe):
            return False
        _run("umount", probe)
    return True


needs_mount = pytest.mark.skipif(not mount_allowed(), reason="this machine does not let the tests mount a tmpfs")


@contextlib.contextmanager
def small_disk(folder: Path, size_kib: int) -> Iterator[Path]:
    """`folder` becomes a file system of `size_kib` KiB; `grow(folder)` frees space later (the data stays)."""
    folder.mkdir(parents=True, exist_ok=True)
    assert _run("mount", "-t", "tmpfs", "-o", f"size={size_kib}k,mode=0755", "tmpfs", str(folder))
    try:
        yield folder
    finally:
        assert _run("umount", "-l", str(folder))


def grow(folder: Path, size_kib: int = 65536) -> None:
    """Free space on a small_disk: the same tmpfs, larger, with everything written on it kept."""
    assert _run("mount", "-o", f"remount,size={size_kib}k", str(folder))


def refuses_writes(folder: Path) -> bool:
    probe = folder / ".probe"
    try:
        probe.write_bytes(b"x")
    except OSError as exc:
        return exc.errno in REFUSED
    probe.unlink()
    return False


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[str]:
    """`folder` refuses every write for the duration; yields how ("chmod", "bind-ro" or "chattr")."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name != "posix":
        pytest.skip("read-only folders are made the POSIX way here")
    if os.geteuid() != 0:
        folder.chmod(0o555)
        with _undo(lambda: folder.chmod(0o755), folder, "chmod") as how:
            yield how
    elif mount_allowed() and _run("mount", "--bind", str(folder), str(folder)):
        _run("mount", "-o", "remount,ro,bind", str(folder))
        with _undo(lambda: _run("umount", str(folder)), folder, "bind-ro") as how:
            yield how
    elif shutil.which("chattr") and _run("chattr", "+i", str(folder)):
        with _undo(lambda: _run("chattr", "-i", str(folder)), folder, "chattr") as how:
            yield how
    else:
        pytest.skip("no way to make a folder read-only for root here (no mount, no chattr)")


@contextlib.contextmanager
def _undo(restore: Any, folder: Path, how: str) -> Iterator[str]:
    try:
        assert refuses_writes(folder), f"{folder} still takes writes after {how}"
        yield how
    finally:
        restore()
    assert not refuses_writes(folder)


def planreports(ws: Workspace, *args: str, limit_file_size: int | None = None) -> subprocess.CompletedProcess[str]:
    """The real command in a process of its own; `limit_file_size` caps the size of any file it (or one of its
    workers) writes (RLIMIT_FSIZE: a larger write fails with EFBIG; Python ignores SIGXFSZ)."""
    def limit() -> None:
        import resource  # POSIX only

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_file_size, limit_file_size))
    return subprocess.run([sys.executable, "-m", "planreports", "-w", str(ws.root), *args], capture_output=True,
                          text=True, timeout=300, check=False, preexec_fn=limit if limit_file_size else None)


def pristine(ws: Workspace, tmp_path: Path) -> Workspace:
    """A copy of the workspace as it is now, for a clean run to compare with after the fault."""
    twin = tmp_path / "twin"
    shutil.copytree(ws.root, twin)
    return Workspace(twin)


def clean_run(twin: Workspace, *sources: Path) -> list[tuple[object, ...]]:
    """The receipts of a run untouched by any fault, collecting `sources` (the very same paths) in turn."""
    for source in sources:
        assert planreports(twin, "collect", str(source), "--period", "2024").returncode in (0, 1)
    return receipt_facts(twin)


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file below `folder` by relative path, with the SHA-256 of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def receipt_facts(ws: Workspace) -> list[tuple[Any, ...]]:
    """Everything the ledger holds about the received files except when collect ran and the row ids."""
    if not ws.ledger_path.exists():
        return []
    with Ledger(ws.archive_dir) as ledger:
        receipts = ledger.receipts()
    return sorted((r.sha256, r.file_name, r.source, r.received_at, r.agency, r.period, str(r.verdict), r.late,
                   tuple(i.code for i in r.issues), r.stored_path, repr(r.data), r.sender, r.subject)
                  for r in receipts)


def archive_consistent(ws: Workspace, temp_ok: bool = False) -> None:
    """Every receipt's original is stored whole under its digest; no temporary file is left (`temp_ok`: right
    after a fault, a worker killed while writing may leave one, which the next collect removes)."""
    with Ledger(ws.archive_dir) as ledger:
        assert ledger.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        receipts = ledger.receipts()
    for receipt in receipts:
        stored = (ws.archive_dir / receipt.stored_path).read_bytes()
        assert hashlib.sha256(stored).hexdigest() == receipt.sha256
    assert temp_ok or not list(ws.archive_dir.rglob(".*.tmp"))


def children(pid: int) -> dict[int, str]:
    """The live child processes of `pid` (Linux /proc), each with its start time (tells a reused pid)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                found[int(stat.parent.name)] = fields[19]
    return found


def still_running(processes: dict[int, str]) -> list[int]:
    """Which of these processes still run (a zombie waiting to be reaped has ended)."""
    running = []
    for pid, started in processes.items():
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            if fields[19] == started and fields[0] != "Z":
                running.append(pid)
    return running
