"""A workspace: the folder with planreports.toml, input/, output/, templates/ and the archive.

    planreports.toml     configuration (issuer, signer, periods, limits)
    input/               the plan's lists (Excel) and inbox/ for received files
    output/<period>/     templates to send, consolidated workbook, summary.json, the report
    templates/           the Word template of the report, editable in Word
    archive/             every received file, unchanged, and the ledger (SQLite)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from planreports.config import CONFIG_NAME, Config, load_config
from planreports.errors import UsageError, WorkspaceError
from planreports.files import write_text_atomic
from planreports.plan.lists import load_plan, seed_text, write_seed_lists
from planreports.plan.model import Plan
from planreports.plan.periods import Period, parse_period

REPORT_TEMPLATE = "bao-cao.docx"
REMINDER_TEMPLATE = "don-doc.docx"


@dataclass
class Workspace:
    root: Path

    @property
    def input_dir(self) -> Path:
        return self.root / "input"

    @property
    def inbox(self) -> Path:
        return self.input_dir / "inbox"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    @property
    def report_template(self) -> Path:
        return self.templates_dir / REPORT_TEMPLATE

    @property
    def reminder_template(self) -> Path:
        return self.templates_dir / REMINDER_TEMPLATE

    @property
    def archive_dir(self) -> Path:
        return self.root / "archive"

    @property
    def ledger_path(self) -> Path:
        return self.archive_dir / "ledger.sqlite"

    def period_dir(self, period: Period) -> Path:
        return self.output_dir / period.id

    @cached_property
    def config(self) -> Config:
        return load_config(self.root)

    @cached_property
    def plan(self) -> Plan:
        return load_plan(self.input_dir)

    def resolve(self, configured: str) -> Path | None:
        """A path from planreports.toml: relative to the workspace, "" for none."""
        return self.root / configured if configured else None

    def period(self, text: str) -> Period:
        return parse_period(text)


def find_workspace(start: Path) -> Workspace:
    """The workspace at `start` or in one of its parents."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return Workspace(folder)
    raise WorkspaceError(
        f"Không tìm thấy không gian làm việc (tệp {CONFIG_NAME}) tại {start} hoặc thư mục cha. "
        "Chạy “planreports init THƯ_MỤC” rồi “cd THƯ_MỤC”, hoặc dùng tuỳ chọn --workspace."
    )


def init_workspace(target: Path, force: bool = False) -> list[Path]:
    """Create a workspace with the seed plan, registry, indicators, config and report template."""
    if (target / CONFIG_NAME).exists() and not force:
        raise UsageError(f"{target} đã là không gian làm việc (có {CONFIG_NAME}). Dùng --force để ghi đè "
                         "bằng dữ liệu mẫu (các tệp danh mục đã sửa sẽ mất).")
    ws = Workspace(target)
    for folder in (ws.inbox, ws.output_dir, ws.templates_dir):
        folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target / CONFIG_NAME, seed_text(CONFIG_NAME))
    from planreports.report.default_template import build_reminder_template, build_report_template  # python-docx

    return [target / CONFIG_NAME, *write_seed_lists(ws.input_dir), build_report_template(ws.report_template),
            build_reminder_template(ws.reminder_template)]
