"""`consolidate`, `report` and `run`: the stages after collect, each writing its outputs under output/P/."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planreports.consolidation.frames import Consolidation, consolidate
from planreports.consolidation.workbook import write_consolidated, write_summary
from planreports.intake.collect import CollectResult, collect
from planreports.plan.periods import Period
from planreports.report.render import render_report
from planreports.workspace import Workspace


@dataclass
class StageResult:
    consolidation: Consolidation
    outputs: list[Path] = field(default_factory=list)
    collected: CollectResult | None = None


def consolidated_paths(ws: Workspace, period: Period) -> tuple[Path, Path]:
    folder = ws.period_dir(period)
    return folder / f"tong-hop-{period.id}.xlsx", folder / "summary.json"


def report_path(ws: Workspace, period: Period) -> Path:
    return ws.period_dir(period) / f"bao-cao-{period.id}.docx"


def run_consolidate(ws: Workspace, period: Period) -> StageResult:
    data = consolidate(ws, period)
    workbook, summary = consolidated_paths(ws, period)
    return StageResult(data, [write_consolidated(workbook, data), write_summary(summary, data)])


def run_report(ws: Workspace, period: Period) -> StageResult:
    data = consolidate(ws, period)
    return StageResult(data, [render_report(ws.report_template, data, ws.config, report_path(ws, period))])


def run_all(ws: Workspace, period: Period,
            progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None) -> StageResult:
    """The main job: collect input/inbox, consolidate, report."""
    collected = collect(ws, [ws.inbox], period, progress) if ws.inbox.exists() else CollectResult()
    result = run_consolidate(ws, period)
    result.outputs.append(render_report(ws.report_template, result.consolidation, ws.config,
                                        report_path(ws, period)))
    result.collected = collected
    return result
