"""`collect`, `consolidate`, `report`, `run` and `status` as the commands run them: each writes its outputs under
output/P/, and every one of them ends by rewriting the period's status page (tinh-hinh-P.html), so the page
always shows the ledger as it stands. `check` stores nothing and writes no page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from planreports.consolidation.frames import Consolidation, consolidate
from planreports.consolidation.status import AgencyStatus, period_status
from planreports.consolidation.workbook import write_consolidated, write_summary
from planreports.errors import PlanreportsError
from planreports.files import write_text_atomic
from planreports.intake.collect import CollectResult, MailOptions, Progress, Source, collect
from planreports.page.build import build_page
from planreports.page.render import render_page
from planreports.plan.periods import Period
from planreports.report.render import render_report, report_blanks
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace


@dataclass
class StageResult:
    consolidation: Consolidation
    outputs: list[Path] = field(default_factory=list)
    collected: CollectResult | None = None
    warnings: list[str] = field(default_factory=list)   # what the office should complete (Vietnamese)
    earlier: list[tuple[Period, CollectResult]] = field(default_factory=list)   # earlier periods' inboxes


@dataclass
class CollectStage:
    collected: CollectResult
    page: Path
    page_error: OSError | None = None   # why the page could not be written (the receipts are committed)


@dataclass
class StatusResult:
    statuses: list[AgencyStatus]
    page: Path
    page_error: OSError | None = None   # why the page could not be written


def write_status_page(ws: Workspace, data: Consolidation, now: datetime | None = None,
                      statuses: Sequence[AgencyStatus] | None = None) -> Path:
    """Write output/P/tinh-hinh-P.html from the consolidation (last: it links to the files written before it);
    `now` is the time the page describes (default: the clock, in Vietnam time). It lists what the report leaves
    for the office to fill."""
    blanks = report_blanks(data, ws.config_for(data.period)) if ws.report_template.exists() else []
    page = build_page(ws, data, now or datetime.now(VN_TZ), statuses, blanks)
    path = ws.status_page_path(data.period)
    write_text_atomic(path, render_page(page))
    return path


def try_status_page(ws: Workspace, data: Consolidation, now: datetime | None = None,
                    statuses: Sequence[AgencyStatus] | None = None) -> OSError | None:
    """Write the status page; what stops the machine from writing it (a full disk, a read-only folder) is
    returned, not raised: it must not hide what the command did before, nor its results."""
    try:
        write_status_page(ws, data, now, statuses)
    except OSError as exc:
        return exc
    return None


def run_collect(ws: Workspace, sources: Iterable[Source], period: Period, progress: Progress | None = None,
                mail: MailOptions | None = None, now: datetime | None = None) -> CollectStage:
    """`collect`: check, archive and record new files, then rewrite the status page (once the receipts are
    committed, a page that cannot be written is only said: see CollectStage.page_error)."""
    collected = collect(ws, sources, period, progress, mail)
    problem = try_status_page(ws, consolidate(ws, period), now)
    return CollectStage(collected, ws.status_page_path(period), problem)


def run_status(ws: Workspace, period: Period, now: datetime | None = None) -> StatusResult:
    """`status`: each expected agency's status, and the status page rewritten (days left, feedback links);
    a page that cannot be written does not stop the status from being shown (StatusResult.page_error)."""
    statuses = period_status(ws, period)
    problem = try_status_page(ws, consolidate(ws, period), now, statuses)
    return StatusResult(statuses, ws.status_page_path(period), problem)


def write_outputs(ws: Workspace, data: Consolidation, now: datetime | None, workbook: bool,
                  report: bool) -> list[Path]:
    """What a stage writes from one consolidation, in this order: the workbook and summary.json, the report,
    and always the status page last (it links the others)."""
    period, outputs = data.period, []
    if workbook:
        outputs += [write_consolidated(ws.consolidated_path(period), data),
                    write_summary(ws.summary_path(period), data)]
    if report:
        outputs.append(write_report(ws, data))
    return [*outputs, write_status_page(ws, data, now)]


def run_consolidate(ws: Workspace, period: Period, now: datetime | None = None) -> StageResult:
    data = consolidate(ws, period)
    return StageResult(data, write_outputs(ws, data, now, workbook=True, report=False))


def write_report(ws: Workspace, data: Consolidation) -> Path:
    path, _ = render_report(ws.report_template, data, ws.config_for(data.period), ws.report_path(data.period))
    return path


def report_warnings(ws: Workspace, data: Consolidation) -> list[str]:
    """What the office must fill in the report before the leader signs (highlighted in the document)."""
    left = report_blanks(data, ws.config_for(data.period))
    if not left:
        return []
    return [f"Báo cáo còn {len(left)} chỗ để trống (tô vàng trong tệp Word), văn phòng điền trước khi trình ký:"
            + "".join(f"\n  - {item}" for item in left)]


def run_report(ws: Workspace, period: Period, now: datetime | None = None) -> StageResult:
    ws.check_settings(period)
    data = consolidate(ws, period)
    return StageResult(data, write_outputs(ws, data, now, workbook=False, report=True),
                       warnings=report_warnings(ws, data))


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


def run_all(ws: Workspace, period: Period, progress: Progress | None = None,
            now: datetime | None = None) -> StageResult:
    """The main job: bring the ledger up to date (earlier periods' inboxes first: a task done in 2024 is not
    asked again in 2026), collect the period's inbox, consolidate, report, and the status page."""
    ws.check_settings(period)        # refused before anything is collected: the report would be wrong
    earlier = [(p, collect(ws, [folder], p)) for p, folder in earlier_inboxes(ws, period)]
    inbox = ws.inbox_for(period)
    collected = collect(ws, [inbox], period, progress) if inbox.exists() else CollectResult()
    data = consolidate(ws, period)
    result = StageResult(data, write_outputs(ws, data, now, workbook=True, report=True))
    result.collected, result.earlier = collected, earlier
    result.warnings = report_warnings(ws, data)
    return result
