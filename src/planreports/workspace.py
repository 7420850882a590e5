"""A workspace: the folder with planreports.toml, input/, output/, templates/ and the archive.

    planreports.toml          configuration (issuer, signer, periods, limits)
    input/                    the plan's lists (Excel) and inbox/ for received files
    output/<P>/               per period:
        bieu-mau/<MÃ>.xlsx      the agencies' templates to send
        tong-hop-<P>.xlsx       the consolidated workbook, and summary.json
        bao-cao-<P>.docx        the report
        tinh-hinh-<P>.html      the status page
        phan-hoi/<MÃ>.eml       feedback e-mails
        nhac-nho/               reminder e-mails and the công văn đôn đốc
    templates/                the Word templates (report, reminder letter), editable in Word
    archive/                  every received file, unchanged, and the ledger (SQLite)

Only this module knows these names: every stage asks the Workspace where its files go.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from planreports.config import CONFIG_NAME, Config, load_config
from planreports.errors import WorkspaceError
from planreports.plan.lists import load_plan, split_warnings
from planreports.plan.model import Plan
from planreports.plan.periods import Period, parse_period
from planreports.settings import check_settings, seed_values_warning, settings_problems


@dataclass
class Workspace:
    root: Path

    # ---------------------------------------------------------------- what the office keeps
    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def input_dir(self) -> Path:
        return self.root / "input"

    @property
    def inbox(self) -> Path:
        return self.input_dir / "inbox"

    def period_inbox(self, period: Period) -> Path:
        """input/inbox/<P>/: where the period's received files are saved (`init` and `templates` make it)."""
        return self.inbox / period.id

    def inbox_for(self, period: Period) -> Path:
        """Where received files of a period wait: input/inbox/<P>/ when the office keeps one folder per
        period, else input/inbox/."""
        folder = self.period_inbox(period)
        return folder if folder.is_dir() else self.inbox

    def shown(self, path: Path) -> str:
        """A path as the office reads it: relative to the workspace when inside it (input/inbox/2026/)."""
        try:
            relative = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return str(path)
        return str(relative) + (os.sep if path.is_dir() else "")

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def report_template(self) -> Path:
        return self.templates_dir / "bao-cao.docx"

    @property
    def reminder_template(self) -> Path:
        return self.templates_dir / "don-doc.docx"

    @property
    def archive_dir(self) -> Path:
        return self.root / "archive"

    @property
    def ledger_path(self) -> Path:
        return self.archive_dir / "ledger.sqlite"

    # ---------------------------------------------------------------- what the program writes per period
    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    def period_dir(self, period: Period) -> Path:
        return self.output_dir / period.id

    def template_dir(self, period: Period) -> Path:
        return self.period_dir(period) / "bieu-mau"

    def agency_template(self, period: Period, agency: str) -> Path:
        return self.template_dir(period) / f"{agency}.xlsx"

    def consolidated_path(self, period: Period) -> Path:
        return self.period_dir(period) / f"tong-hop-{period.id}.xlsx"

    def summary_path(self, period: Period) -> Path:
        return self.period_dir(period) / "summary.json"

    def report_path(self, period: Period) -> Path:
        return self.period_dir(period) / f"bao-cao-{period.id}.docx"

    def status_page_path(self, period: Period) -> Path:
        return self.period_dir(period) / f"tinh-hinh-{period.id}.html"

    def feedback_path(self, period: Period, name: str) -> Path:
        return self.period_dir(period) / "phan-hoi" / f"{name}.eml"

    def reminder_mail_path(self, period: Period, agency: str) -> Path:
        return self.period_dir(period) / "nhac-nho" / f"{agency}.eml"

    def reminder_letter_path(self, period: Period) -> Path:
        return self.period_dir(period) / "nhac-nho" / f"cong-van-don-doc-{period.id}.docx"

    # ---------------------------------------------------------------- loaded on first use
    @cached_property
    def config(self) -> Config:
        return load_config(self.root)

    @cached_property
    def plan(self) -> Plan:
        """The plan over all years, as the lists in input/ hold it."""
        return load_plan(self.input_dir)

    def plan_for(self, period: Period) -> Plan:
        """The plan as it stands on the period's last day: the agencies, groups and tasks of that time."""
        return self.plan.at(period.end)

    def config_for(self, period: Period) -> Config:
        """The settings that hold in a period: the workspace's, with its [periods.P] overrides."""
        return self.config.for_period(period)

    def period_warnings(self, period: Period) -> list[str]:
        """What the settings and the lists leave unsaid for a period (the command goes on; said once)."""
        return [*self.config.period_warnings(period), *split_warnings(self.plan_for(period)),
                *seed_values_warning(self.config, self.plan)]

    def check_lists(self) -> Plan:
        """Load the lists, raising DataFilesError with every mistake (the check of `periods`)."""
        return self.plan

    def settings_problems(self, period: Period) -> list[str]:
        """What in planreports.toml the lists of the period do not hold (documents are not made)."""
        return settings_problems(self.config, self.plan_for(period), period)

    def check_settings(self, period: Period) -> None:
        """Raise ConfigError, naming every key, when the settings name what the lists do not hold."""
        check_settings(self.config, self.plan_for(period), period)

    def resolve(self, configured: str) -> Path | None:
        """A path from planreports.toml: relative to the workspace, "" for none."""
        return self.root / configured if configured else None

    def period(self, text: str) -> Period:
        return parse_period(text)


def installed_beside() -> Path | None:
    """The folder holding the Python environment this program runs from (C:\\CT07 for C:\\CT07\\.venv), as the
    guide installs it: the office's workspace, or where it will be made. None outside an environment."""
    if sys.prefix == sys.base_prefix:
        return None
    return Path(sys.prefix).resolve().parent


def not_a_workspace(start: Path, home: Path | None) -> str:
    """What to do when `start` and its parents hold no planreports.toml, in the words of the guide."""
    said = f"Thư mục {start} không phải là không gian làm việc (không có tệp {CONFIG_NAME} ở đó hay ở thư mục cha)."
    if home is not None and (home / CONFIG_NAME).is_file():
        return (f"{said} Không gian làm việc của bản cài đặt này là {home}: gõ “cd {home}” rồi chạy lại lệnh "
                f"(hoặc thêm “-w {home}” ngay sau planreports).")
    if home is not None and home == start:
        return f"{said} Tạo không gian làm việc tại đây bằng lệnh “planreports init .” (một lần), rồi chạy lại lệnh."
    return (f"{said} Gõ “cd” đến thư mục làm việc (thư mục có tệp {CONFIG_NAME}) rồi chạy lại lệnh, hoặc thêm "
            "“-w THƯ_MỤC” ngay sau planreports; chưa có thì tạo bằng “planreports init THƯ_MỤC”.")


def find_workspace(start: Path) -> Workspace:
    """The workspace at `start` or in one of its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return Workspace(folder)
    raise WorkspaceError(not_a_workspace(start, installed_beside()))


def open_workspace(path: str | Path = ".") -> Workspace:
    """The workspace at `path` or in one of its parents (the library's entry point)."""
    return find_workspace(Path(path))
