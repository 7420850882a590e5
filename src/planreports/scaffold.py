"""`planreports init`: a new workspace with the seed plan, registry, indicators, config and Word templates."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from planreports.config import CONFIG_NAME
from planreports.errors import UsageError
from planreports.files import write_text_atomic
from planreports.plan.periods import parse_period
from planreports.plan.seed_lists import seed_text, write_seed_lists
from planreports.report.default_template import build_reminder_template, build_report_template
from planreports.workspace import Workspace


def init_workspace(target: Path, force: bool = False, blank: bool = False) -> list[Path]:
    """Create a workspace at `target`; the files written, in order. `blank`: for another province or plan, the
    lists empty but for one example row each, the settings with a «placeholder» for every value of its own."""
    ws = Workspace(target)
    if ws.config_path.exists() and not force:
        raise UsageError(f"{target} đã là không gian làm việc (có {CONFIG_NAME}). Dùng --force để ghi đè "
                         "bằng dữ liệu mẫu (các tệp danh mục đã sửa sẽ mất).")
    today = date.today()
    inbox = ws.period_inbox(parse_period(str(today.year + (today > date(today.year, 12, 14)))))  # the round under way
    for folder in (ws.inbox, inbox, ws.output_dir, ws.templates_dir):
        folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(ws.config_path, seed_text(f"blank/{CONFIG_NAME}" if blank else CONFIG_NAME))
    return [ws.config_path, *write_seed_lists(ws.input_dir, blank), build_report_template(ws.report_template),
            build_reminder_template(ws.reminder_template), inbox]
