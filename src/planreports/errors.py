"""The one exception hierarchy of planreports.

Data problems found while validating files are *findings* (see findings.py), collected and never raised.
Exceptions are for conditions that stop a command: a missing workspace, an unreadable config, lists that do
not load. cli.py maps every PlanreportsError to its Vietnamese message and exit code in one place.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planreports.findings import Issue


class PlanreportsError(Exception):
    """Base class: `message` is the Vietnamese text shown to the user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(PlanreportsError):
    """The command was called wrongly (bad period, missing workspace): exit code 2."""

    exit_code = 2


class WorkspaceError(UsageError):
    """No workspace here, or it is incomplete."""


class ConfigError(PlanreportsError):
    """planreports.toml is missing, unreadable or has wrong values."""


class DataFilesError(PlanreportsError):
    """The edited lists (plan, registry, indicators) have mistakes; carries every finding."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        lines = [f"Danh mục trong input/ có {len(self.issues)} lỗi, cần sửa trước khi tiếp tục:"]
        lines += [f"  - {issue.location()}: {issue.message}" for issue in self.issues]
        super().__init__("\n".join(lines))


class NothingToReportError(PlanreportsError):
    """No agency has an accepted submission for the period: a workbook or report of nothing is not written
    unless asked for (--allow-empty)."""


class TemplateError(PlanreportsError):
    """The Word report template cannot be used (missing field, broken tag)."""


class LockedError(PlanreportsError):
    """Another planreports process is working on the same workspace: try again later (EX_TEMPFAIL)."""

    exit_code = 75


class LedgerError(PlanreportsError):
    """The ledger cannot be used by this version (made by a newer one)."""


class MailError(PlanreportsError):
    """A mail server cannot be used: no connection, TLS or its certificate fails, login refused, the mailbox
    folder cannot be opened. Not wrong usage: the same command may work once the network or the server is fine
    (exit code 1)."""


def network_reason(exc: BaseException) -> str:
    """Why a connection failed, in Vietnamese, for MailError messages (the system's English text only as a
    last resort)."""
    if isinstance(exc, ConnectionRefusedError):
        return "máy chủ không nhận kết nối: sai tên máy, sai cổng, hoặc máy chủ chưa chạy"
    if isinstance(exc, TimeoutError):
        return "quá thời gian chờ máy chủ trả lời: kiểm tra mạng, tường lửa"
    if isinstance(exc, socket.gaierror):
        return "không tìm thấy máy chủ theo tên: kiểm tra tên máy chủ và kết nối mạng"
    if isinstance(exc, ConnectionError | EOFError):
        return "máy chủ đã ngắt kết nối"
    if isinstance(exc, ssl.SSLError):
        return f"không thiết lập được kết nối bảo mật TLS ({exc.reason or exc})"
    return f"lỗi mạng: {getattr(exc, 'strerror', None) or exc}"
