"""`consolidate`, `report` and `run`: the stages after collect, each writing its outputs under output/P/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planreports.consolidation.frames import Consolidation, consolidate
from planreports.consolidation.workbook import write_consolidated, write_summary
from planreports.errors import PlanreportsError
from planreports.intake.collect import CollectResult, Progress, collect
from planreports.plan.periods import Period
from planreports.report.render import render_report
from planreports.workspace import Workspace


@dataclass
class StageResult:
    consolidation: Consolidation
    outputs: list[Path] = field(default_factory=list)
    collected: CollectResult | None = None
    warnings: list[str] = field(default_factory=list)   # what the office should complete (Vietnamese)
    earlier: list[tuple[Period, CollectResult]] = field(default_factory=list)   # earlier periods' inboxes


def run_consolidate(ws: Workspace, period: Period) -> StageResult:
    data = consolidate(ws, period)
    return StageResult(data, [write_consolidated(ws.consolidated_path(period), data),
                              write_summary(ws.summary_path(period), data)])


def write_report(ws: Workspace, data: Consolidation) -> Path:
    return render_report(ws.report_template, data, ws.config_for(data.period), ws.report_path(data.period))


def report_warnings(ws: Workspace, period: Period) -> list[str]:
    if ws.config_for(period).signer_name:
        return []
    return [f"Chưa có họ tên người ký của kỳ {period.id} (khoá name trong [signer] hoặc [periods.{period.id}.signer] "
            f"của planreports.toml): dòng họ tên trong báo cáo để trống để văn phòng điền."]


def run_report(ws: Workspace, period: Period) -> StageResult:
    data = consolidate(ws, period)
    return StageResult(data, [write_report(ws, data)], warnings=report_warnings(ws, period))


def earlier_inboxes(ws: Workspace, period: Period) -> list[tuple[Period, Path]]:
    """The inbox folders of periods before `period` (input/inbox/2024/ …), oldest first."""
    if not ws.inbox.is_dir():
        return []
    found = []
    for folder in ws.inbox.iterdir():
        try:
            earlier = ws.period(folder.name)
        except PlanreportsError:   # any other folder is not a period's inbox
            continue
        if folder.is_dir() and earlier.end < period.end:
            found.append((earlier, folder))
    return sorted(found, key=lambda pair: pair[0].end)


def run_all(ws: Workspace, period: Period, progress: Progress | None = None) -> StageResult:
    """The main job: bring the ledger up to date (earlier periods' inboxes first: a task done in 2024 is not
    asked again in 2026), collect the period's inbox, consolidate, report."""
    earlier = [(p, collect(ws, [folder], p)) for p, folder in earlier_inboxes(ws, period)]
    inbox = ws.inbox_for(period)
    collected = collect(ws, [inbox], period, progress) if inbox.exists() else CollectResult()
    result = run_consolidate(ws, period)
    result.outputs.append(write_report(ws, result.consolidation))
    result.collected, result.earlier = collected, earlier
    result.warnings = report_warnings(ws, period)
    return result
