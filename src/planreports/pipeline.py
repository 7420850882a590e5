"""`consolidate`, `report` and `run`: the stages after collect, each writing its outputs under output/P/."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planreports.consolidation.frames import Consolidation, consolidate
from planreports.consolidation.workbook import write_consolidated, write_summary
from planreports.intake.collect import CollectResult, Progress, collect
from planreports.plan.periods import Period
from planreports.report.render import render_report
from planreports.workspace import Workspace


@dataclass
class StageResult:
    consolidation: Consolidation
    outputs: list[Path] = field(default_factory=list)
    collected: CollectResult | None = None


def run_consolidate(ws: Workspace, period: Period) -> StageResult:
    data = consolidate(ws, period)
    return StageResult(data, [write_consolidated(ws.consolidated_path(period), data),
                              write_summary(ws.summary_path(period), data)])


def write_report(ws: Workspace, data: Consolidation) -> Path:
    return render_report(ws.report_template, data, ws.config_for(data.period), ws.report_path(data.period))


def run_report(ws: Workspace, period: Period) -> StageResult:
    data = consolidate(ws, period)
    return StageResult(data, [write_report(ws, data)])


def run_all(ws: Workspace, period: Period, progress: Progress | None = None) -> StageResult:
    """The main job: collect input/inbox, consolidate, report."""
    collected = collect(ws, [ws.inbox], period, progress) if ws.inbox.exists() else CollectResult()
    result = run_consolidate(ws, period)
    result.outputs.append(write_report(ws, result.consolidation))
    result.collected = collected
    return result
