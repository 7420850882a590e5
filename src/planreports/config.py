"""The workspace configuration, planreports.toml (UTF-8 TOML, edited by the office).

Names of the issuer, the signer, recipients and the coordinating agency are data here, never code: the 2025
reorganization (Bộ/Sở TT&TT merged into KH&CN, district level abolished) is followed by editing this file.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from planreports.errors import ConfigError
from planreports.plan.periods import Period, parse_period

CONFIG_NAME = "planreports.toml"


@dataclass(frozen=True)
class PeriodSettings:
    deadline: date            # agencies' submission deadline
    number: str = ""          # report number, "" until the văn thư gives one
    report_date: date | None = None


@dataclass(frozen=True)
class Limits:
    """Bounds on what one received file may cost; each is reported by name when hit."""

    max_file_mb: float = 20.0          # size of the file as received
    max_unpacked_mb: float = 200.0     # total size of a zip package's parts once decompressed
    max_rows: int = 2000               # rows read per sheet
    max_sheets: int = 50
    max_cell_chars: int = 10000
    max_seconds: float = 60.0          # wall time to read and check one file (worker processes)
    max_memory_mb: float = 1024.0      # extra memory a worker may take for one file (Linux)
    workers: int = 0                   # processes checking files; 0 = one per CPU core (at most 4)

    def processes(self) -> int:
        """Worker processes to use (checking files, writing templates): the configured number, else one per
        core, at most four."""
        return int(self.workers) if self.workers else max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class MailSettings:
    from_name: str = ""
    from_address: str = ""
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_starttls: bool = True
    reminder_symbol: str = "UBND-KGVX"
    reminder_days: int = 5
    imap_cafile: str = ""          # CA bundle for a mail server with an internal certificate
    smtp_cafile: str = ""


@dataclass(frozen=True)
class Config:
    province: str
    issuer_name: str
    issuer_lines: tuple[str, ...]
    parent_line: str
    place: str
    coordinator: str
    symbol: str
    archive_mark: str
    plan_reference: str
    plan_short: str
    plan_title: str
    directive: str
    signer_authority: str
    signer_titles: tuple[str, ...]
    signer_name: str
    summary: str
    addressees: tuple[str, ...]
    recipients: tuple[str, ...]
    leadership_indicator: str = ""          # the indicator counting directing documents (report, section I)
    leadership_tasks: tuple[str, ...] = ()  # tasks whose lead results tell of plans issued (section I)
    periods: dict[str, PeriodSettings] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    mail: MailSettings = field(default_factory=MailSettings)

    def period_settings(self, period: Period) -> PeriodSettings:
        """Settings of a period; without an entry the deadline defaults to the period's last day."""
        return self.periods.get(period.id, PeriodSettings(deadline=period.end))


def _get(data: dict[str, Any], dotted: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
    node: Any = data
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            if default is ...:
                raise ConfigError(f"{CONFIG_NAME}: thiếu khoá “{dotted}”. Bổ sung theo tệp mẫu.")
            return default
        node = node[part]
    if not isinstance(node, kind):
        raise ConfigError(f"{CONFIG_NAME}: khoá “{dotted}” có giá trị không đúng kiểu ({node!r}).")
    return node


def _as_date(value: Any, key: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raise ConfigError(f"{CONFIG_NAME}: “{key}” phải là ngày dạng 2024-12-10 (năm-tháng-ngày), không phải {value!r}.")


def _strings(data: dict[str, Any], key: str, default: Any = ...) -> tuple[str, ...]:
    values = _get(data, key, list, default)
    if not all(isinstance(v, str) for v in values):
        raise ConfigError(f"{CONFIG_NAME}: “{key}” phải là danh sách các chuỗi văn bản.")
    return tuple(values)


def _periods(data: dict[str, Any]) -> dict[str, PeriodSettings]:
    out = {}
    for key, raw in _get(data, "periods", dict, {}).items():
        period = parse_period(str(key))
        if not isinstance(raw, dict):
            raise ConfigError(f"{CONFIG_NAME}: mục [periods.{key}] phải là một bảng.")
        deadline = _as_date(raw.get("deadline"), f"periods.{key}.deadline") or period.end
        out[period.id] = PeriodSettings(
            deadline=deadline,
            number=str(raw.get("number", "")),
            report_date=_as_date(raw.get("date"), f"periods.{key}.date"),
        )
    return out


def _limits(data: dict[str, Any]) -> Limits:
    raw = _get(data, "limits", dict, {})
    defaults = Limits()
    values: dict[str, Any] = {}
    for name in ("max_file_mb", "max_unpacked_mb", "max_rows", "max_sheets", "max_cell_chars", "max_seconds",
                 "max_memory_mb", "workers"):
        value = raw.get(name, getattr(defaults, name))
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (
                value == 0 and name != "workers"):
            raise ConfigError(f"{CONFIG_NAME}: “limits.{name}” phải là số dương.")
        values[name] = value
    return Limits(**values)


def _mail(data: dict[str, Any]) -> MailSettings:
    defaults = MailSettings()
    return MailSettings(
        from_name=_get(data, "mail.from_name", str, defaults.from_name),
        from_address=_get(data, "mail.from_address", str, defaults.from_address),
        smtp_host=_get(data, "mail.smtp_host", str, defaults.smtp_host),
        smtp_port=_get(data, "mail.smtp_port", int, defaults.smtp_port),
        smtp_user=_get(data, "mail.smtp_user", str, defaults.smtp_user),
        smtp_starttls=_get(data, "mail.smtp_starttls", bool, defaults.smtp_starttls),
        reminder_symbol=_get(data, "mail.reminder_symbol", str, defaults.reminder_symbol),
        reminder_days=_get(data, "mail.reminder_days", int, defaults.reminder_days),
        imap_cafile=_get(data, "mail.imap_cafile", str, defaults.imap_cafile),
        smtp_cafile=_get(data, "mail.smtp_cafile", str, defaults.smtp_cafile),
    )


def _summary(data: dict[str, Any]) -> str:
    summary: str = _get(data, "report.summary", str)
    try:
        summary.format(period="năm 2024")
    except (KeyError, IndexError, ValueError):
        raise ConfigError(f"{CONFIG_NAME}: “report.summary” chỉ được dùng chỗ trống {{period}}.") from None
    return summary


def load_config(root: Path) -> Config:
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(
            f"Không tìm thấy {path}. Chạy “planreports init THƯ_MỤC” để tạo không gian làm việc."
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{CONFIG_NAME} sai cú pháp: {exc}. Kiểm tra dấu ngoặc kép và dấu “=”.") from None
    return Config(
        province=_get(data, "issuer.province", str),
        issuer_name=_get(data, "issuer.name", str),
        issuer_lines=_strings(data, "issuer.header_lines"),
        parent_line=_get(data, "issuer.parent_line", str, ""),
        place=_get(data, "issuer.place", str),
        coordinator=_get(data, "issuer.coordinator", str),
        symbol=_get(data, "issuer.symbol", str, "BC-UBND"),
        archive_mark=_get(data, "issuer.archive_mark", str, "Lưu: VT."),
        plan_reference=_get(data, "plan.reference", str),
        plan_short=_get(data, "plan.short", str),
        plan_title=_get(data, "plan.title", str),
        directive=_get(data, "plan.directive", str),
        signer_authority=_get(data, "signer.authority", str, ""),
        signer_titles=_strings(data, "signer.titles"),
        signer_name=_get(data, "signer.name", str),
        summary=_summary(data),
        addressees=_strings(data, "report.addressees", []),
        recipients=_strings(data, "report.recipients"),
        leadership_indicator=_get(data, "report.leadership_indicator", str, ""),
        leadership_tasks=_strings(data, "report.leadership_tasks", []),
        periods=_periods(data),
        limits=_limits(data),
        mail=_mail(data),
    )
