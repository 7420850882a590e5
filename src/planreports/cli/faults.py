"""Faults of the machine in Vietnamese: a full disk, a folder that cannot be written, a file or the ledger held
by another program.

The operating system says these in English (OSError, SQLite's errors) and names no drive; here each becomes what
happened, where (the file, its folder, the drive it is on) and what to do, with its exit code: 75 (EX_TEMPFAIL,
try again later) when another program holds what we need, 1 otherwise. The one place errnos are read: the CLI's
error mapping (`cli._fail`) and the warnings of a status page that could not be written both come here.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from planreports import ledger as ledger_module
from planreports.files import machine_fault

BUSY = 75   # EX_TEMPFAIL: the same command works once the other program lets go
# Windows error codes (OSError.winerror) that Python maps to a less telling errno
WINDOWS_DISK_FULL = {39, 112}            # ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL
WINDOWS_IN_USE = {32, 33}                # ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
WINDOWS_ACCESS_DENIED = {5}              # ERROR_ACCESS_DENIED
# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF)
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN = 5, 6, 8, 10, 13, 14
AGAIN = "Những gì đã lưu xong trước đó vẫn còn nguyên; chạy lại lệnh sẽ làm tiếp phần chưa xong."


@dataclass(frozen=True)
class Fault:
    message: str
    exit_code: int = 1


@dataclass(frozen=True)
class Place:
    """Where a fault happened, in the user's words: the file, its folder, the drive."""

    file: str
    folder: str
    drive: str

    @classmethod
    def of(cls, path: Path | None) -> Place:
        if path is None:   # an error that names no file: at least the drive of the current folder
            return cls("tệp đang ghi", "đang ghi", drive_of(Path.cwd()))
        folder = path if os.path.isdir(path) else path.parent   # os.path: never raises, unlike Path.is_dir
        return cls(str(path), str(folder), drive_of(path))


def drive_of(path: Path) -> str:
    """The drive a path is on, as the user knows it: "D:" (or the network share) on Windows, the mount point
    of its file system elsewhere ("/", "/mnt/usb")."""
    if os.name == "nt":
        return path.drive or str(path.anchor) or str(path)
    existing = _existing(path).resolve()
    mounted = [m for m in _mount_points() if existing.is_relative_to(m)]
    if mounted:   # Linux knows every mount, a folder mounted on its own file system's folder (bind) too
        return str(max(mounted, key=lambda m: len(m.parts)))
    try:          # elsewhere: the highest folder on the same device
        device = existing.stat().st_dev
        while existing.parent != existing and existing.parent.stat().st_dev == device:
            existing = existing.parent
    except OSError:
        pass
    return str(existing)


def _mount_points() -> list[Path]:
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as mounts:
            lines = mounts.read().splitlines()
    except OSError:
        return []
    # the table escapes a space in a folder's name as \040
    return [Path(line.split()[1].replace("\\040", " ")) for line in lines if len(line.split()) > 1]


def _existing(path: Path) -> Path:
    path = path.absolute()
    while not os.path.exists(path) and path.parent != path:
        path = path.parent
    return path


def _read_only_mount(path: Path | None) -> bool:
    statvfs = getattr(os, "statvfs", None)   # POSIX only
    try:
        return statvfs is not None and bool(statvfs(_existing(path or Path.cwd())).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def disk_full(at: Place) -> Fault:
    return Fault(f"Ổ đĩa {at.drive} đã đầy: không ghi được {at.file}. Hãy giải phóng dung lượng trên ổ {at.drive} "
                 f"(xoá hoặc chuyển bớt những tệp không cần) rồi chạy lại lệnh. {AGAIN}")


def quota_exceeded(at: Place) -> Fault:
    return Fault(f"Tài khoản đang chạy lệnh đã dùng hết hạn mức dung lượng (quota) trên ổ {at.drive}: không ghi "
                 f"được {at.file}. Hãy xoá bớt tệp của tài khoản này hoặc xin cấp thêm dung lượng, rồi chạy lại lệnh. "
                 f"{AGAIN}")


def too_large(at: Place) -> Fault:
    return Fault(f"Không ghi được {at.file}: tệp vượt quá kích thước lớn nhất mà hệ thống cho phép chương trình này "
                 f"ghi (giới hạn kích thước tệp của hệ điều hành, hoặc của ổ {at.drive}). Hãy nới giới hạn đó "
                 f"(lệnh ulimit -f) hoặc dùng ổ đĩa khác, rồi chạy lại lệnh. {AGAIN}")


def read_only(at: Place) -> Fault:
    return Fault(f"Thư mục {at.folder} chỉ đọc (ổ {at.drive} đang được gắn ở chế độ chỉ đọc): không ghi được "
                 f"{at.file}. Hãy gắn lại ổ đĩa ở chế độ cho phép ghi, hoặc chép không gian làm việc sang một thư "
                 "mục ghi được, rồi chạy lại lệnh.")


def no_permission(at: Place) -> Fault:
    # Windows refuses to replace a file another program has open with "access denied" too
    open_elsewhere = " Nếu tệp này đang mở trong Excel hoặc Word, hãy đóng nó." if os.name == "nt" else ""
    return Fault(f"Không có quyền ghi vào thư mục {at.folder}: không ghi được {at.file}. Thư mục chỉ đọc, hoặc tài "
                 "khoản đang chạy lệnh không được phép ghi vào đó. Hãy bỏ thuộc tính chỉ đọc hoặc cấp quyền ghi cho "
                 f"tài khoản này, rồi chạy lại lệnh.{open_elsewhere}")


def in_use(at: Place) -> Fault:
    return Fault(f"Tệp {at.file} đang được một chương trình khác mở hoặc giữ (ví dụ Excel, Word, phần mềm sao lưu). "
                 "Hãy đóng tệp đó (hoặc chờ chương trình kia xong) rồi thử lại sau.", BUSY)


def device_error(at: Place) -> Fault:
    return Fault(f"Lỗi đọc/ghi trên ổ {at.drive} khi ghi {at.file}: ổ đĩa có thể bị hỏng, bị rút ra hoặc mất kết "
                 f"nối mạng. Hãy kiểm tra ổ đĩa rồi chạy lại lệnh. {AGAIN}")


def ledger_busy(ledger: Path) -> Fault:
    waited = ledger_module.LEDGER_WAIT_SECONDS
    return Fault(f"Một chương trình khác đang giữ sổ theo dõi {ledger}: đã chờ {waited:g} giây mà sổ vẫn chưa được "
                 "nhả. Có thể một lệnh planreports khác đang ghi vào sổ, hoặc một phần mềm đang mở "
                 "tệp này (trình xem cơ sở dữ liệu, phần mềm sao lưu). Chờ chương trình đó xong hoặc đóng nó, rồi "
                 "thử lại sau.", BUSY)


def os_fault(exc: OSError) -> Fault | None:
    """The fault an OSError of the machine stands for; None for one that is not (a missing file, a bug)."""
    path = Path(os.fsdecode(exc.filename)) if exc.filename else None
    at, winerror = Place.of(path), getattr(exc, "winerror", None)
    if winerror in WINDOWS_IN_USE or exc.errno in (errno.EBUSY, errno.ETXTBSY):
        return in_use(at)
    if winerror in WINDOWS_DISK_FULL or exc.errno == errno.ENOSPC:
        return disk_full(at)
    if winerror in WINDOWS_ACCESS_DENIED or exc.errno in (errno.EACCES, errno.EPERM):
        return read_only(at) if _read_only_mount(path) else no_permission(at)
    known = {errno.EROFS: read_only, errno.EFBIG: too_large, errno.EIO: device_error}
    quota = getattr(errno, "EDQUOT", None)   # not on Windows
    if quota is not None:
        known[quota] = quota_exceeded
    make = known.get(exc.errno) if exc.errno is not None else None
    return make(at) if make is not None else None


def sqlite_fault(exc: sqlite3.Error, ledger: Path) -> Fault | None:
    """The fault behind an error of the ledger's database, which names neither the file nor the errno."""
    code, at = (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF, Place.of(ledger)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return ledger_busy(ledger)
    if code == SQLITE_FULL:
        return disk_full(at)
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN):
        return read_only(at) if _read_only_mount(ledger) else no_permission(at)
    if code == SQLITE_IOERR:
        return device_error(at)
    return None


def describe(exc: BaseException, ledger: Path) -> Fault | None:
    """What `exc` means when the machine is at fault (the disk, a folder, another program), else None.
    `ledger` is the workspace's ledger, which SQLite's errors do not name."""
    if isinstance(exc, sqlite3.Error):
        return sqlite_fault(exc, ledger)
    fault = machine_fault(exc)
    return os_fault(fault) if fault is not None else None
