"""The workspace configuration, planreports.toml (UTF-8 TOML, edited by the office).

Names of the issuer, the signer, recipients and the coordinating agency are data here, never code. They change
over the years (the 2025 reorganization), so a period's section may override any of them:

    [periods.2024]                 # the period's own facts
    deadline = 2024-12-10
    [periods.2024.report]          # and, under the same names as above, what differed in that period
    addressees = ["Văn phòng Chính phủ", "Bộ Thông tin và Truyền thông"]

What a period does not set comes from the workspace defaults. Every key is checked against SCHEMA: a typo is
an error that names the key, not a setting silently ignored.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from planreports.config.values import (
    PROPOSAL_THEMES,
    as_addressee_map,
    as_count,
    as_day,
    as_flag,
    as_positive,
    as_text,
    as_texts,
    as_whole,
    placeholders,
    syntax_message,
)
from planreports.errors import ConfigError
from planreports.plan.periods import Period, parse_period

CONFIG_NAME = "planreports.toml"

__all__ = ["CONFIG_NAME", "PROPOSAL_THEMES", "Config", "Limits", "MailSettings", "PeriodSettings", "RequestLetter",
           "load_config", "parse_config"]


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
    reply_to: str = ""             # where agencies' answers should go, when not to from_address
    smtp_host: str = ""
    smtp_port: int = 587
    smtp_user: str = ""
    smtp_starttls: bool = True
    reminder_symbol: str = "UBND"
    reminder_days: int = 5
    imap_cafile: str = ""          # CA bundle for a mail server with an internal certificate
    smtp_cafile: str = ""


@dataclass(frozen=True)
class RequestLetter:
    """The letter asking for the report ([periods.P.request]): the report cites it as its basis."""

    number: str                    # "1234/VPCP-KGVX"
    day: date
    issuer: str                    # "Văn phòng Chính phủ"
    kind: str = "Công văn"
    subject: str = ""              # "về việc báo cáo …", optional

    def cited(self) -> str:
        """"Công văn số 1234/VPCP-KGVX ngày 15/10/2026 của Văn phòng Chính phủ về việc …"."""
        about = f" {self.subject}" if self.subject else ""
        day = f"{self.day.day}/{self.day.month}/{self.day.year}"
        return f"{self.kind} số {self.number} ngày {day} của {self.issuer}{about}"


@dataclass(frozen=True)
class PeriodSettings:
    deadline: date                 # agencies' submission deadline
    number: str = ""               # report number, "" until the văn thư gives one
    report_date: date | None = None
    configured: bool = True        # False: the period has no [periods.P] section
    has_deadline: bool = True      # False: the section does not say the deadline (the period's end is used)
    overrides: dict[str, Any] = field(default_factory=dict)   # Config attribute -> value in this period
    request: RequestLetter | None = None                       # the letter asking for the report
    documents: tuple[str, ...] = ()                            # the issuer's own documents of the period
    new_deadlines: dict[str, str] = field(default_factory=dict)   # task id -> deadline once carried over


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
    # theme of a proposal -> the bodies it is addressed to; an empty list: the province answers it itself
    proposal_addressees: dict[str, tuple[str, ...]] = field(default_factory=dict)
    periods: dict[str, PeriodSettings] = field(default_factory=dict)
    unfilled: tuple[str, ...] = ()          # keys still holding a «placeholder» of a blank workspace
    limits: Limits = field(default_factory=Limits)
    mail: MailSettings = field(default_factory=MailSettings)

    def period_settings(self, period: Period) -> PeriodSettings:
        """Settings of a period; without an entry the deadline defaults to the period's last day."""
        return self.periods.get(period.id, PeriodSettings(deadline=period.end, configured=False,
                                                          has_deadline=False))

    def for_period(self, period: Period) -> Config:
        """The settings that hold in `period`: the workspace's, with the period's own overrides applied."""
        overrides = dict(self.period_settings(period).overrides)
        mail = {k.removeprefix("mail."): overrides.pop(k) for k in list(overrides) if k.startswith("mail.")}
        return replace(self, **overrides, mail=replace(self.mail, **mail))

    def period_warnings(self, period: Period) -> list[str]:
        """What is missing for a period, said once, with where to add it."""
        settings = self.period_settings(period)
        if not settings.configured:
            return [f"Chưa có mục [periods.{period.id}] trong {CONFIG_NAME}: hạn nộp được coi là ngày cuối kỳ "
                    f"({period.end:%d/%m/%Y}), người ký, nơi nhận lấy theo mặc định. Thêm mục này (hạn nộp "
                    f"deadline = {period.end:%Y-%m}-10, số và ngày báo cáo) theo mẫu các kỳ khác."]
        if not settings.has_deadline:
            return [f"Mục [periods.{period.id}] trong {CONFIG_NAME} chưa ghi hạn nộp (deadline): dùng ngày cuối kỳ "
                    f"{period.end:%d/%m/%Y}. Thêm dòng deadline = {period.end:%Y-%m}-10 (năm-tháng-ngày)."]
        return []


# ---------------------------------------------------------------- the keys planreports.toml may hold

Parse = Callable[[Any], Any]
# section -> key -> (Config attribute, parser, required). Sections a period may override: all but limits.
SCHEMA: dict[str, dict[str, tuple[str, Parse, bool]]] = {
    "issuer": {"province": ("province", as_text, True), "name": ("issuer_name", as_text, True),
               "header_lines": ("issuer_lines", as_texts, True), "parent_line": ("parent_line", as_text, False),
               "place": ("place", as_text, True), "coordinator": ("coordinator", as_text, True),
               "symbol": ("symbol", as_text, False), "archive_mark": ("archive_mark", as_text, False)},
    "plan": {"reference": ("plan_reference", as_text, True), "short": ("plan_short", as_text, True),
             "title": ("plan_title", as_text, True), "directive": ("directive", as_text, True)},
    "signer": {"authority": ("signer_authority", as_text, False), "titles": ("signer_titles", as_texts, True),
               "name": ("signer_name", as_text, True)},
    "report": {"summary": ("summary", as_text, True), "addressees": ("addressees", as_texts, False),
               "recipients": ("recipients", as_texts, True),
               "leadership_indicator": ("leadership_indicator", as_text, False),
               "leadership_tasks": ("leadership_tasks", as_texts, False),
               "proposal_addressees": ("proposal_addressees", as_addressee_map, False)},
    "mail": {f.name: (f"mail.{f.name}", as_whole if f.type == "int" else as_flag if f.type == "bool" else as_text,
                      False) for f in fields(MailSettings)},
}
LIMIT_PARSERS: dict[str, Parse] = {f.name: (as_count if f.name == "workers" else as_positive) for f in fields(Limits)}
DEFAULTS = {"parent_line": "", "symbol": "BC-UBND", "archive_mark": "Lưu: VT.", "signer_authority": "",
            "addressees": ()}
PERIOD_KEYS = ("deadline", "number", "date", "documents", "request", "new_deadlines")
REQUEST_KEYS = ("number", "date", "issuer", "kind", "subject")


def _fail(where: str, message: str) -> ConfigError:
    return ConfigError(f"{CONFIG_NAME}: {where} {message}")


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise _fail(f"[{name}]", "phải là một mục (bảng), ví dụ [issuer].")
    return table


def _section(data: dict[str, Any], section: str, prefix: str, complete: bool) -> dict[str, Any]:
    """The Config attributes one section sets; unknown keys and wrong types are errors."""
    table = _table(data, section)
    schema = SCHEMA[section]
    out: dict[str, Any] = {}
    for key, value in table.items():
        if key not in schema:
            raise _fail(f"khoá “{prefix}{section}.{key}”", f"không có. Các khoá của [{section}]: {', '.join(schema)}.")
        attribute, parse, _ = schema[key]
        try:
            out[attribute] = parse(value)
        except TypeError as exc:
            raise _fail(f"“{prefix}{section}.{key}”", f"phải là {exc}, không phải {value!r}.") from None
    for key, (attribute, _, required) in schema.items():
        if complete and required and attribute not in out:
            raise _fail(f"thiếu khoá “{section}.{key}”.", "Bổ sung theo tệp mẫu.")
    return out


def _summary(summary: str) -> None:
    try:
        summary.format(period="năm 2024")
    except (KeyError, IndexError, ValueError):
        raise _fail("“report.summary”", "chỉ được dùng chỗ trống {period}.") from None


def _limits(data: dict[str, Any]) -> Limits:
    values: dict[str, Any] = {}
    for key, value in _table(data, "limits").items():
        if key not in LIMIT_PARSERS:
            raise _fail(f"khoá “limits.{key}”", f"không có. Các khoá của [limits]: {', '.join(LIMIT_PARSERS)}.")
        try:
            values[key] = LIMIT_PARSERS[key](value)
        except TypeError as exc:
            raise _fail(f"“limits.{key}”", f"phải là {exc}.") from None
    return Limits(**values)


def _period(key: str, raw: Any) -> PeriodSettings:
    try:
        period = parse_period(key)
    except Exception:
        raise _fail(f"mục [periods.{key}]:", "tên kỳ phải là năm (2024) hoặc nửa năm (2024-H1).") from None
    if not isinstance(raw, dict):
        raise _fail(f"[periods.{key}]", "phải là một mục (bảng).")
    overrides: dict[str, Any] = {}
    for name in raw:
        if name in SCHEMA:
            overrides.update(_section(raw, name, f"periods.{key}.", complete=False))
        elif name not in PERIOD_KEYS:
            raise _fail(f"khoá “periods.{key}.{name}”", f"không có. Một kỳ có: {', '.join(PERIOD_KEYS)} và các mục "
                        f"{', '.join(f'[periods.{key}.{s}]' for s in SCHEMA)}.")
    try:
        deadline, report_date = as_day(raw.get("deadline")), as_day(raw.get("date"))
    except TypeError as exc:
        shown = {name: raw.get(name) for name in ("deadline", "date") if raw.get(name) not in (None, "")}
        raise _fail(f"ngày trong [periods.{key}] ({', '.join(f'{k} = {v}' for k, v in shown.items())})",
                    f"phải là {exc}.") from None
    try:
        documents = as_texts(raw.get("documents", []))
    except TypeError as exc:
        raise _fail(f"“periods.{key}.documents”", f"phải là {exc}.") from None
    return PeriodSettings(deadline or period.end, str(raw.get("number", "")), report_date, True,
                          deadline is not None, overrides, _request(key, raw.get("request")), documents,
                          _new_deadlines(key, raw.get("new_deadlines", {})))


def _request(key: str, raw: Any) -> RequestLetter | None:
    """[periods.P.request]: the letter asking for the report; all of number, date and issuer, or nothing."""
    if raw is None:
        return None
    where = f"[periods.{key}.request]"
    if not isinstance(raw, dict):
        raise _fail(where, "phải là một mục (bảng) có number, date, issuer.")
    unknown = [k for k in raw if k not in REQUEST_KEYS]
    if unknown:
        raise _fail(f"khoá “periods.{key}.request.{unknown[0]}”", f"không có. Các khoá: {', '.join(REQUEST_KEYS)}.")
    missing = [k for k in ("number", "date", "issuer") if not raw.get(k)]
    if missing:
        raise _fail(where, f"thiếu {', '.join(missing)} (số, ngày, cơ quan ban hành văn bản đề nghị báo cáo).")
    try:
        day = as_day(raw["date"])
        texts = {k: as_text(raw.get(k, "")) for k in ("number", "issuer", "kind", "subject")}
    except TypeError as exc:
        raise _fail(where, f"có giá trị phải là {exc}.") from None
    return RequestLetter(texts["number"], day or date.min, texts["issuer"], texts["kind"] or "Công văn",
                         texts["subject"])


def _new_deadlines(key: str, raw: Any) -> dict[str, str]:
    """[periods.P.new_deadlines]: task id -> the deadline of an overdue task carried over to the next period."""
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise _fail(f"[periods.{key}.new_deadlines]", 'phải là một mục dạng "1.1" = "Quý I năm 2027".')
    return {str(task): value for task, value in raw.items()}


def parse_config(data: dict[str, Any]) -> Config:
    values: dict[str, Any] = dict(DEFAULTS)
    mail: dict[str, Any] = {}
    for section in SCHEMA:
        for attribute, value in _section(data, section, "", complete=section != "mail").items():
            if attribute.startswith("mail."):
                mail[attribute.removeprefix("mail.")] = value
            else:
                values[attribute] = value
    _summary(values["summary"])
    unknown = set(data) - {*SCHEMA, "limits", "periods"}
    if unknown:
        raise _fail(f"mục [{sorted(unknown)[0]}]", f"không có. Các mục: {', '.join([*SCHEMA, 'limits', 'periods'])}.")
    periods = {}
    for key, raw in _table(data, "periods").items():
        settings = _period(str(key), raw)
        _summary(settings.overrides.get("summary", "{period}"))
        periods[parse_period(str(key)).id] = settings
    return Config(**values, periods=periods, unfilled=tuple(placeholders(data)), limits=_limits(data),
                  mail=MailSettings(**mail))


def load_config(root: Path) -> Config:
    path = root / CONFIG_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(
            f"Không tìm thấy {path}. Chạy “planreports init THƯ_MỤC” để tạo không gian làm việc."
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} không được lưu bằng mã UTF-8 (có thể đã lưu dạng ANSI). Mở bằng Notepad, chọn "
                          "File > Save As, ở ô Encoding chọn UTF-8, rồi lưu đè.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(syntax_message(path, str(exc))) from None
    return parse_config(data)
