"""`collect`, `consolidate`, `report`, `run` and `status` as the commands run them: each writes its outputs under
output/P/, and every one of them ends by rewriting the period's status page (tinh-hinh-P.html), so the page
always shows the ledger as it stands. `check` stores nothing and writes no page."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from planreports.consolidation.frames import Consolidation, consolidate
from planreports.consolidation.status import (
    AgencyStatus,
    MailWithoutForm,
    UnidentifiedFile,
    mails_without_forms,
    period_status,
    unidentified_files,
)
from planreports.consolidation.workbook import write_consolidated, write_summary
from planreports.errors import NothingToReportError, PlanreportsError
from planreports.files import write_text_atomic
from planreports.intake.collect import CollectResult, MailOptions, Progress, Source, collect
from planreports.intake.inbox import pending, pending_warning, period_inbox, waiting_warning
from planreports.page.build import build_page
from planreports.page.render import render_page
from planreports.plan.periods import Period
from planreports.progress.rules import REPORTED_STATES
from planreports.report.render import Review, render_report, report_blanks, report_review
from planreports.vn.dates import VN_TZ
from planreports.workspace import Workspace


@dataclass
class StageResult:
    consolidation: Consolidation
    outputs: list[Path] = field(default_factory=list)
    collected: CollectResult | None = None
    warnings: list[str] = field(default_factory=list)   # what the office should complete (Vietnamese)
    earlier: list[tuple[Period, CollectResult]] = field(default_factory=list)   # earlier periods' inboxes
    read: list[Path] = field(default_factory=list)       # what `run` collected: the period's inbox
    refused: str | None = None     # `run` with no accepted submission: why no workbook or report was written


@dataclass
class CollectStage:
    collected: CollectResult
    page: Path
    page_error: OSError | None = None   # why the page could not be written (the receipts are committed)
    read: list[Path] = field(default_factory=list)       # the folders and files read (the default inbox)
    warnings: list[str] = field(default_factory=list)    # files left unread directly in input/inbox/


@dataclass
class StatusResult:
    statuses: list[AgencyStatus]
    page: Path
    page_error: OSError | None = None   # why the page could not be written
    unidentified: list[UnidentifiedFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)    # files waiting to be collected
    mails: list[MailWithoutForm] = field(default_factory=list)   # mails that brought no workbook


def write_status_page(ws: Workspace, data: Consolidation, now: datetime | None = None,
                      statuses: Sequence[AgencyStatus] | None = None, blanks: Sequence[str] | None = None) -> Path:
    """Write output/P/tinh-hinh-P.html from the consolidation (last: it links to the files written before it);
    `now` is the time the page describes (default: the clock, in Vietnam time). It lists what the report leaves
    for the office to fill (`blanks`, when the caller has them already)."""
    if blanks is None:
        blanks = report_blanks(data, ws.config_for(data.period)) if ws.report_template.exists() else []
    page = build_page(ws, data, now or datetime.now(VN_TZ), statuses, list(blanks))
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
    committed, a page that cannot be written is only said: see CollectStage.page_error). Without sources, the
    period's inbox (see intake/inbox.py), saying what is left unread in input/inbox/."""
    chosen: list[Source] = list(sources)
    warnings: list[str] = []
    if not chosen:
        inbox = period_inbox(ws, period)
        chosen = list(inbox.sources) or [inbox.folder]
        warnings = [w for w in [waiting_warning(ws, period, inbox)] if w]
    collected = collect(ws, chosen, period, progress, mail)
    read = [Path(s) for s in chosen if isinstance(s, Path | str) and Path(s).exists()]
    problem = try_status_page(ws, consolidate(ws, period), now)
    return CollectStage(collected, ws.status_page_path(period), problem, read, warnings)


def run_status(ws: Workspace, period: Period, now: datetime | None = None) -> StatusResult:
    """`status`: each expected agency's status, the files no agency could be identified from, and the status
    page rewritten (days left, feedback links); what waits in the inbox uncollected is said, and a page that
    cannot be written does not stop the status from being shown (StatusResult.page_error)."""
    statuses = period_status(ws, period)
    problem = try_status_page(ws, consolidate(ws, period), now, statuses)
    warnings = [w for w in [pending_warning(ws, period, pending(ws, period))] if w]
    return StatusResult(statuses, ws.status_page_path(period), problem, unidentified_files(ws, period), warnings,
                        mails_without_forms(ws, period))


def write_outputs(ws: Workspace, data: Consolidation, now: datetime | None, workbook: bool,
                  report: bool, review: Review | None = None) -> list[Path]:
    """What a stage writes from one consolidation, in this order: the workbook and summary.json, the report,
    and always the status page last (it links the others)."""
    period, outputs = data.period, []
    if workbook:
        outputs += [write_consolidated(ws.consolidated_path(period), data),
                    write_summary(ws.summary_path(period), data)]
    if report:
        outputs.append(write_report(ws, data))
    return [*outputs, write_status_page(ws, data, now, blanks=review.blanks if review else None)]


def refusal(data: Consolidation, waiting: str | None, written: str) -> str | None:
    """Why a workbook and report of nothing are not written: no accepted submission at all (None when there
    is one)."""
    if data.agencies_in(*REPORTED_STATES):
        return None
    period = data.period
    return (f"Chưa có báo cáo đạt yêu cầu nào của kỳ {period.id} (0/{len(data.submissions)} đơn vị): không lập "
            f"bảng tổng hợp và báo cáo rỗng{written}." + (f" {waiting}" if waiting else "")
            + " Nếu vẫn muốn lập (ví dụ để xem trước), thêm tuỳ chọn --allow-empty.")


def _checked(ws: Workspace, period: Period, allow_empty: bool) -> tuple[Consolidation, list[str]]:
    """The consolidation, and what waits uncollected; NothingToReportError (nothing written) when no agency
    has an accepted submission, unless `allow_empty`."""
    data = consolidate(ws, period)
    waiting = pending_warning(ws, period, pending(ws, period))
    refused = None if allow_empty else refusal(data, waiting, ", không ghi tệp nào")
    if refused is not None:
        raise NothingToReportError(refused)
    return data, [waiting] if waiting else []


def run_consolidate(ws: Workspace, period: Period, now: datetime | None = None,
                    allow_empty: bool = False) -> StageResult:
    data, warnings = _checked(ws, period, allow_empty)
    return StageResult(data, write_outputs(ws, data, now, workbook=True, report=False), warnings=warnings)


def write_report(ws: Workspace, data: Consolidation) -> Path:
    path, _ = render_report(ws.report_template, data, ws.config_for(data.period), ws.report_path(data.period))
    return path


def report_warnings(review: Review) -> list[str]:
    """What the office must fill in the report before the leader signs (highlighted in the document), and what
    it should look at."""
    left = review.blanks
    blanks = [f"Báo cáo còn {len(left)} chỗ để trống (tô vàng trong tệp Word), văn phòng điền trước khi trình ký:"
              + "".join(f"\n  - {item}" for item in left)] if left else []
    return blanks + review.notices


def run_report(ws: Workspace, period: Period, now: datetime | None = None, allow_empty: bool = False
               ) -> StageResult:
    ws.check_settings(period)
    data, warnings = _checked(ws, period, allow_empty)
    review = report_review(data, ws.config_for(period))
    return StageResult(data, write_outputs(ws, data, now, workbook=False, report=True, review=review),
                       warnings=[*warnings, *report_warnings(review)])


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
            now: datetime | None = None, allow_empty: bool = False) -> StageResult:
    """The main job: bring the ledger up to date (earlier periods' inboxes first: a task done in 2024 is not
    asked again in 2026), collect the period's inbox, consolidate, report, and the status page. With no
    accepted submission at all only the status page is written (`refused` says why), unless `allow_empty`."""
    ws.check_settings(period)        # refused before anything is collected: the report would be wrong
    earlier = [(p, collect(ws, [folder], p)) for p, folder in earlier_inboxes(ws, period)]
    inbox = period_inbox(ws, period)
    collected = collect(ws, inbox.sources, period, progress) if inbox.sources else CollectResult()
    data = consolidate(ws, period)
    waiting = waiting_warning(ws, period, inbox)
    refused = None if allow_empty else refusal(data, waiting, "")
    write = refused is None
    review = report_review(data, ws.config_for(period)) if write else None
    result = StageResult(data, write_outputs(ws, data, now, workbook=write, report=write, review=review), collected,
                         earlier=earlier, read=inbox.sources, refused=refused)
    result.warnings = [*([waiting] if waiting and write else []), *(report_warnings(review) if review else [])]
    return result
