"""The archive of received files and the ledger of receipts (SQLite, standard library).

Every received file is stored unchanged under archive/files/<sha[:2]>/<sha256><ext>, written to a temporary
file and renamed, before its receipt is committed: a crash leaves at worst a stored file without a receipt,
which the next run records. Identical bytes are received once ("duplicate" afterwards).

The receipt is defined once, by the Receipt dataclass: its fields are the table's columns. The ledger carries
a schema version (PRAGMA user_version); MIGRATIONS bring an older ledger up to date when it is opened.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field, fields
from enum import StrEnum
from pathlib import Path
from typing import Any, NamedTuple

from filelock import FileLock, Timeout

from planreports.errors import LedgerError, LockedError
from planreports.files import SPREADSHEET_SUFFIXES, atomic_path, naming
from planreports.findings import Issue, IssueCode, Verdict

SQLITE_PARAMETERS = 500   # digests looked up per query, well under SQLite's limit on bound parameters
LEDGER_WAIT_SECONDS = 30.0   # how long a statement waits for another program's hold on the ledger to end


@dataclass(frozen=True)
class Receipt:
    """One received file: where from, when, what was found, and what it said (the submission as JSON)."""

    sha256: str = field(metadata={"sql": "TEXT NOT NULL UNIQUE"})
    file_name: str = field(metadata={"sql": "TEXT NOT NULL"})
    source: str = field(metadata={"sql": "TEXT NOT NULL"})
    source_kind: str = field(metadata={"sql": "TEXT NOT NULL"})
    received_at: str = field(metadata={"sql": "TEXT NOT NULL"})      # ISO, +07:00: receipts sort by it as text
    collected_at: str = field(metadata={"sql": "TEXT NOT NULL"})
    agency: str | None = field(metadata={"sql": "TEXT"})
    period: str | None = field(metadata={"sql": "TEXT"})
    verdict: Verdict = field(metadata={"sql": "TEXT NOT NULL"})
    late: bool = field(metadata={"sql": "INTEGER NOT NULL DEFAULT 0"})
    issues: tuple[Issue, ...] = field(metadata={"sql": "TEXT NOT NULL"})
    data: dict[str, Any] | None = field(metadata={"sql": "TEXT"})     # Submission.to_dict(); None when rejected
    stored_path: str = field(metadata={"sql": "TEXT NOT NULL"})
    sender: str | None = field(metadata={"sql": "TEXT"})
    subject: str | None = field(metadata={"sql": "TEXT"})
    message_id: str | None = field(metadata={"sql": "TEXT"})
    id: int | None = field(default=None, metadata={"sql": "INTEGER PRIMARY KEY"})

    @property
    def failed_inside(self) -> bool:
        """The check failed inside the program: nothing to tell the agency, check again after an upgrade."""
        return any(issue.code is IssueCode.INTERNAL_ERROR for issue in self.issues)

    def to_row(self) -> tuple[Any, ...]:
        # by hand, not dataclasses.astuple: that deep-copies the issues and the whole submission of every
        # receipt, a third of the main process's time in a large collect
        values = {column: getattr(self, column) for column in COLUMNS}
        values["verdict"] = str(self.verdict)
        values["late"] = int(self.late)
        values["issues"] = _json([issue.to_dict() for issue in self.issues])
        values["data"] = _json(self.data) if self.data is not None else None
        return tuple(values[c] for c in COLUMNS if c != "id")

    @classmethod
    def from_row(cls, row: sqlite3.Row) -> Receipt:
        values = dict(row)
        values["verdict"] = Verdict(values["verdict"])
        values["late"] = bool(values["late"])
        values["issues"] = tuple(Issue.from_dict(i) for i in json.loads(values["issues"]))
        values["data"] = json.loads(values["data"]) if values["data"] else None
        return cls(**values)


COLUMNS = tuple(f.name for f in fields(Receipt))


@dataclass(frozen=True)
class StoredNote:
    """A received mail that brought no workbook (no attachment, or none that could be read): kept so that it
    stays in sight on `status` after the collect that read it (a request for more time, a link instead of
    the file)."""

    period: str
    source: str
    received_at: str                  # ISO, +07:00
    sender: str | None
    subject: str | None
    unread: tuple[str, ...]           # the attachments it had that hold no workbook
    issues: tuple[Issue, ...]
    message_id: str | None = None

    @property
    def key(self) -> str:
        """One mail once, however it was saved (two file names, a copied workspace) or fetched (a folder and
        a mailbox): its Message-ID, else who sent what when."""
        return self.message_id.strip() if self.message_id and self.message_id.strip() else \
            json.dumps([self.sender, self.subject, self.received_at], ensure_ascii=False)


class Known(NamedTuple):
    """What a file received before was taken for (shown when the same bytes come again): its verdict, and the
    findings when it was rejected (what the agency must still fix)."""

    agency: str | None
    period: str | None
    late: bool
    verdict: Verdict | None = None
    issues: tuple[Issue, ...] = ()


class SentKind(StrEnum):
    FEEDBACK = "feedback"
    REMINDER = "reminder"
    REMINDER_LETTER = "reminder-letter"


class Transport(StrEnum):
    FILE = "file"      # written as .eml for the office to send
    SMTP = "smtp"      # sent


@dataclass(frozen=True)
class Sent:
    kind: SentKind
    agency: str | None
    period: str
    created_at: str
    path: str
    transport: Transport
    message_id: str | None
    ref: str | None = None     # the receipt (sha256) a feedback answers; the letter date a reminder belongs to


def _receipts_table() -> str:
    ordered = sorted(fields(Receipt), key=lambda f: f.name != "id")   # id first, as the table always had it
    columns = ",\n    ".join(f"{f.name} {f.metadata['sql']}" for f in ordered)
    return f"CREATE TABLE IF NOT EXISTS receipts (\n    {columns}\n);"


SCHEMA_VERSION = 2
_MAIL_NOTES = """
CREATE TABLE IF NOT EXISTS mail_notes (
    period       TEXT NOT NULL,
    key          TEXT NOT NULL,
    source       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    sender       TEXT,
    subject      TEXT,
    unread       TEXT NOT NULL,
    issues       TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    message_id   TEXT,
    PRIMARY KEY (period, key)
)"""
SCHEMA = _receipts_table() + """
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
    kind        TEXT NOT NULL,
    agency      TEXT,
    period      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    path        TEXT NOT NULL,
    transport   TEXT NOT NULL,
    message_id  TEXT,
    ref         TEXT
);
""" + _MAIL_NOTES + ";\n"
# version -> the SQL that brings a ledger of that version to the next one. Version 0 is a ledger made before
# versions existed: its tables are those of version 1, so it only needs the number.
MIGRATIONS: dict[int, tuple[str, ...]] = {0: (), 1: (_MAIL_NOTES,)}


def archive_relative(sha256: str, suffix: str) -> str:
    """Where the original with this digest lives, relative to the archive folder (never the sender's name)."""
    safe = suffix.lower() if suffix.lower() in SPREADSHEET_SUFFIXES else ".bin"
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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def migrate(db: sqlite3.Connection, migrations: dict[int, tuple[str, ...]], target: int) -> None:
    """Bring the ledger to `target`, one version per transaction: an interrupted upgrade resumes where it
    stopped."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > target:
        raise LedgerError(f"Sổ theo dõi {db_path(db)} được tạo bởi phiên bản planreports mới hơn (lược đồ "
                          f"{version}, phiên bản này đọc được đến {target}). Cập nhật planreports rồi chạy lại.")
    while version < target:
        db.execute("BEGIN IMMEDIATE")
        try:
            for statement in migrations.get(version, ()):
                db.execute(statement)
            version += 1
            db.execute(f"PRAGMA user_version = {version}")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def db_path(db: sqlite3.Connection) -> str:
    return str(db.execute("PRAGMA database_list").fetchone()[2])


class Ledger:
    def __init__(self, archive_dir: Path) -> None:
        self.archive_dir = archive_dir
        archive_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(archive_dir / "ledger.sqlite", timeout=LEDGER_WAIT_SECONDS, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        migrate(self.db, MIGRATIONS, SCHEMA_VERSION)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def known_digests(self, digests: list[str]) -> dict[str, Known]:
        """Which of these digests were received and checked before, and as what: one query per batch instead
        of one per file, reading only what a duplicate's outcome shows (the findings of rejected files only).

        A file whose check failed inside the program (internal-error) does not count: collecting it again after
        an upgrade checks it again and replaces its receipt."""
        found: dict[str, Known] = {}
        for start in range(0, len(digests), SQLITE_PARAMETERS):
            chunk = digests[start:start + SQLITE_PARAMETERS]
            marks = ",".join("?" * len(chunk))
            for sha256, agency, period, late, verdict, issues in self.db.execute(
                    f"SELECT sha256, agency, period, late, verdict, CASE WHEN verdict = ? THEN issues END "
                    f"FROM receipts WHERE sha256 IN ({marks}) AND issues NOT LIKE ?",
                    [str(Verdict.REJECTED), *chunk, f'%"{IssueCode.INTERNAL_ERROR}"%']):
                recalled = tuple(Issue.from_dict(i) for i in json.loads(issues)) if issues else ()
                found[sha256] = Known(agency, period, bool(late), Verdict(verdict), recalled)
        return found

    def accepted_agencies(self) -> set[tuple[str, str]]:
        """(agency, period) of every accepted file (with or without warnings): whose rejection was made good."""
        rows = self.db.execute("SELECT DISTINCT agency, period FROM receipts WHERE verdict IN (?, ?) AND agency "
                               "IS NOT NULL AND period IS NOT NULL AND data IS NOT NULL",
                               (str(Verdict.ACCEPTED), str(Verdict.WARNING)))
        return {(agency, period) for agency, period in rows}

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
            if self.db.in_transaction:   # SQLite has already rolled back after some errors (a full disk)
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def record(self, receipt: Receipt) -> None:
        """Insert a receipt; one for the same bytes exists only when its check failed (see known_digests),
        and is replaced."""
        columns = [c for c in COLUMNS if c != "id"]
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c != "sha256")
        self.db.execute(f"INSERT INTO receipts ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
                        f"ON CONFLICT(sha256) DO UPDATE SET {updates}", receipt.to_row())

    def seen_mail(self, mailbox: str) -> set[tuple[str, str]]:
        rows = self.db.execute("SELECT uidvalidity, uid FROM mail_seen WHERE mailbox = ?", (mailbox,))
        return {(r["uidvalidity"], r["uid"]) for r in rows}

    def mark_mail(self, mailbox: str, uidvalidity: str, uid: str, message_id: str | None) -> None:
        self.db.execute("INSERT OR IGNORE INTO mail_seen VALUES (?, ?, ?, ?)", (mailbox, uidvalidity, uid, message_id))

    def record_sent(self, item: Sent) -> None:
        self.db.execute("INSERT INTO sent (kind, agency, period, created_at, path, transport, message_id, ref) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", astuple(item))

    def sent(self, period: str) -> list[Sent]:
        rows = self.db.execute("SELECT kind, agency, period, created_at, path, transport, message_id, ref FROM sent "
                               "WHERE period = ? ORDER BY id", (period,)).fetchall()
        return [Sent(SentKind(r["kind"]), r["agency"], r["period"], r["created_at"], r["path"],
                     Transport(r["transport"]), r["message_id"], r["ref"]) for r in rows]

    def latest_accepted(self, period: str) -> dict[str, str]:
        """Agency -> when its latest accepted file (with or without warnings) of the period was received; read
        without decoding any submission."""
        rows = self.db.execute("SELECT agency, MAX(received_at) FROM receipts WHERE period = ? AND verdict IN (?, ?) "
                               "AND agency IS NOT NULL GROUP BY agency",
                               (period, str(Verdict.ACCEPTED), str(Verdict.WARNING)))
        return {agency: received for agency, received in rows}

    def unidentified(self, period: str) -> list[Receipt]:
        """The period's receipts no agency could be identified from, oldest first (only those rows are read)."""
        rows = self.db.execute("SELECT * FROM receipts WHERE period = ? AND agency IS NULL ORDER BY received_at, id",
                               (period,)).fetchall()
        return [Receipt.from_row(r) for r in rows]

    def record_note(self, note: StoredNote, collected_at: str) -> None:
        """Keep a mail that brought no workbook; the same mail read again is kept once."""
        self.db.execute("INSERT OR IGNORE INTO mail_notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (note.period, note.key, note.source, note.received_at, note.sender, note.subject,
                         _json(list(note.unread)), _json([issue.to_dict() for issue in note.issues]), collected_at,
                         note.message_id))

    def notes(self, period: str) -> list[StoredNote]:
        """The period's mails that brought no workbook, oldest first."""
        rows = self.db.execute("SELECT * FROM mail_notes WHERE period = ? ORDER BY received_at, source",
                               (period,)).fetchall()
        return [StoredNote(r["period"], r["source"], r["received_at"], r["sender"], r["subject"],
                           tuple(json.loads(r["unread"])), tuple(Issue.from_dict(i) for i in json.loads(r["issues"])),
                           r["message_id"]) for r in rows]

    def receipts(self, period: str | None = None) -> list[Receipt]:
        """Oldest first: every received_at is stored in Vietnam time (+07:00), so the text order is the time
        order, and the latest receipt of an agency is the last one."""
        if period is None:
            rows = self.db.execute("SELECT * FROM receipts ORDER BY received_at, id").fetchall()
        else:
            rows = self.db.execute("SELECT * FROM receipts WHERE period = ? ORDER BY received_at, id",
                                   (period,)).fetchall()
        return [Receipt.from_row(r) for r in rows]


def stored_receipts(archive_dir: Path) -> list[Receipt]:
    """Every receipt of the archive, oldest first; none (and no ledger made) before anything was collected."""
    if not (archive_dir / "ledger.sqlite").exists():
        return []
    with Ledger(archive_dir) as ledger:
        return ledger.receipts()


@contextmanager
def workspace_lock(archive_dir: Path) -> Iterator[None]:
    """One collecting process per workspace. The operating system holds the lock (fcntl/msvcrt through
    filelock) and releases it when the process ends, however it ends: a killed run never leaves a lock behind,
    and a live lock can never be mistaken for a stale one."""
    archive_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(archive_dir / "collect.lock")
    owner = archive_dir / "collect.owner"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        who = owner.read_text(encoding="ascii", errors="replace").strip() if owner.exists() else ""
        raise LockedError(
            f"Một lệnh collect khác{f' (tiến trình {who})' if who else ''} đang chạy trên không gian làm việc này. "
            "Chờ lệnh đó xong rồi chạy lại."
        ) from None
    try:
        try:
            owner.write_text(str(os.getpid()), encoding="ascii")
        except OSError as exc:    # a full disk fails the write, which names no file
            raise naming(exc, owner) from exc
        yield
    finally:
        owner.unlink(missing_ok=True)
        lock.release()
