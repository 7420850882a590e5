"""The archive of received files and the ledger of receipts (SQLite, standard library).

Every received file is stored unchanged under archive/files/<sha[:2]>/<sha256><ext>, written to a temporary
file and renamed, before its receipt is committed: a crash leaves at worst a stored file without a receipt,
which the next run records. Identical bytes are received once ("duplicate" afterwards).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planreports.errors import LockedError
from planreports.files import atomic_path

SCHEMA = """
CREATE TABLE IF NOT EXISTS receipts (
    id            INTEGER PRIMARY KEY,
    sha256        TEXT NOT NULL UNIQUE,
    file_name     TEXT NOT NULL,
    source        TEXT NOT NULL,
    source_kind   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    collected_at  TEXT NOT NULL,
    agency        TEXT,
    period        TEXT,
    verdict       TEXT NOT NULL,
    late          INTEGER NOT NULL DEFAULT 0,
    issues        TEXT NOT NULL,
    data          TEXT,
    stored_path   TEXT NOT NULL,
    sender        TEXT,
    subject       TEXT,
    message_id    TEXT
);
CREATE INDEX IF NOT EXISTS receipts_agency_period ON receipts (period, agency);
CREATE TABLE IF NOT EXISTS mail_seen (
    mailbox      TEXT NOT NULL,
    uidvalidity  TEXT NOT NULL,
    uid          TEXT NOT NULL,
    message_id   TEXT,
    PRIMARY KEY (mailbox, uidvalidity, uid)
);
CREATE TABLE IF NOT EXISTS sent (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,          -- feedback | reminder | reminder-letter
    agency      TEXT,
    period      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    path        TEXT NOT NULL,
    transport   TEXT NOT NULL,          -- file | smtp
    message_id  TEXT,
    ref         TEXT                    -- the receipt (sha256) a feedback answers
);
"""


ARCHIVE_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
INTERNAL_ERROR = "internal-error"   # the finding of a check that failed inside the program


def archive_relative(sha256: str, suffix: str) -> str:
    """Where the original with this digest lives, relative to the archive folder (never the sender's name)."""
    safe = suffix.lower() if suffix.lower() in ARCHIVE_SUFFIXES else ".bin"
    return f"files/{sha256[:2]}/{sha256}{safe}"


def store_file(archive_dir: Path, relative: str, data: bytes) -> None:
    """Write the original atomically unless an identical-size copy is already there (idempotent, so the
    worker that checks a file and the main process may both call it)."""
    target = archive_dir / relative
    try:
        if target.stat().st_size == len(data):
            return
    except FileNotFoundError:
        pass
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


@dataclass(frozen=True)
class Receipt:
    id: int
    sha256: str
    file_name: str
    source: str
    source_kind: str
    received_at: str
    collected_at: str
    agency: str | None
    period: str | None
    verdict: str
    late: bool
    issues: list[dict[str, Any]]
    data: dict[str, Any] | None
    stored_path: str
    sender: str | None
    subject: str | None
    message_id: str | None

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Receipt:
        values = dict(row)
        values["late"] = bool(values["late"])
        values["issues"] = json.loads(values["issues"])
        values["data"] = json.loads(values["data"]) if values["data"] else None
        return cls(**values)


class Ledger:
    def __init__(self, archive_dir: Path) -> None:
        self.archive_dir = archive_dir
        archive_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(archive_dir / "ledger.sqlite", timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known_digests(self, digests: list[str]) -> set[str]:
        """Which of these digests were received and checked before: one query per batch instead of one per file.

        A file whose check failed inside the program (internal-error) does not count: collecting it again after
        an upgrade checks it again and replaces its receipt."""
        found: set[str] = set()
        for start in range(0, len(digests), 500):
            chunk = digests[start:start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in self.db.execute(
                f"SELECT sha256 FROM receipts WHERE sha256 IN ({marks}) AND issues NOT LIKE ?",
                [*chunk, f'%"{INTERNAL_ERROR}"%']))
        return found

    def known(self, sha256: str) -> Receipt | None:
        row = self.db.execute("SELECT * FROM receipts WHERE sha256 = ?", (sha256,)).fetchone()
        return Receipt.from_row(row) if row else None

    def store(self, sha256: str, data: bytes, suffix: str) -> str:
        """Keep the original bytes; returns the path relative to the archive folder."""
        relative = archive_relative(sha256, suffix)
        store_file(self.archive_dir, relative, data)
        return relative

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group receipts: one commit per batch instead of one per file (a killed batch is simply redone)."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def record(self, values: dict[str, Any]) -> int:
        """Insert a receipt; one for the same bytes exists only when its check failed (see known_digests),
        and is replaced."""
        columns = ", ".join(values)
        marks = ", ".join("?" for _ in values)
        updates = ", ".join(f"{c} = excluded.{c}" for c in values if c != "sha256")
        cursor = self.db.execute(f"INSERT INTO receipts ({columns}) VALUES ({marks}) "
                                 f"ON CONFLICT(sha256) DO UPDATE SET {updates}", tuple(values.values()))
        return int(cursor.lastrowid or 0)

    def seen_mail(self, mailbox: str) -> set[tuple[str, str]]:
        rows = self.db.execute("SELECT uidvalidity, uid FROM mail_seen WHERE mailbox = ?", (mailbox,))
        return {(r["uidvalidity"], r["uid"]) for r in rows}

    def mark_mail(self, mailbox: str, uidvalidity: str, uid: str, message_id: str | None) -> None:
        self.db.execute("INSERT OR IGNORE INTO mail_seen VALUES (?, ?, ?, ?)", (mailbox, uidvalidity, uid, message_id))

    def record_sent(self, kind: str, agency: str | None, period: str, created_at: str, path: str, transport: str,
                    message_id: str | None, ref: str | None = None) -> None:
        self.db.execute("INSERT INTO sent (kind, agency, period, created_at, path, transport, message_id, ref) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (kind, agency, period, created_at, path, transport, message_id, ref))

    def sent(self, period: str) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM sent WHERE period = ? ORDER BY id", (period,)).fetchall()
        return [dict(r) for r in rows]

    def receipts(self, period: str | None = None) -> list[Receipt]:
        if period is None:
            rows = self.db.execute("SELECT * FROM receipts ORDER BY received_at, id").fetchall()
        else:
            rows = self.db.execute("SELECT * FROM receipts WHERE period = ? ORDER BY received_at, id",
                                   (period,)).fetchall()
        return [Receipt.from_row(r) for r in rows]

    def latest_accepted(self, period: str) -> dict[str, Receipt]:
        """Per agency, the latest non-rejected receipt of the period: resubmissions supersede."""
        out: dict[str, Receipt] = {}
        for receipt in self.receipts(period):
            if receipt.agency and receipt.verdict != "rejected":
                out[receipt.agency] = receipt
        return out


@contextmanager
def workspace_lock(archive_dir: Path) -> Iterator[None]:
    """One collecting process per workspace: a lock file created exclusively (portable, no fcntl)."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    lock = archive_dir / "collect.lock"
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        if _stale(lock):
            lock.unlink(missing_ok=True)
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        else:
            raise LockedError(
                "Một lệnh collect khác đang chạy trên không gian làm việc này. Chờ lệnh đó xong rồi chạy lại. "
                f"Nếu chắc chắn không còn lệnh nào chạy, xoá tệp {lock}."
            ) from None
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield
    finally:
        lock.unlink(missing_ok=True)


def _stale(lock: Path) -> bool:
    """A lock whose process is gone (killed run) does not block the next run."""
    try:
        pid = int(lock.read_text(encoding="ascii").strip() or "0")
    except (OSError, ValueError):
        return True
    return pid <= 0 or not _process_alive(pid)


def _process_alive(pid: int) -> bool:
    if os.name == "nt":
        import ctypes  # Windows: OpenProcess succeeds only for a live process

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
