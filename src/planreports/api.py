"""The library API: the main job without the command line. The CLI calls these same functions.

    import planreports
    ws = planreports.open_workspace("path/to/workspace")
    results = planreports.collect(ws, ["input/inbox"], period="2024")   # per-file results, as --json prints
    cons = planreports.consolidate(ws, period="2024")                    # the frames; .summary() as summary.json
    path = planreports.render_report(ws, period="2024")                  # the .docx path
    page = planreports.write_status_page(ws, period="2024")              # output/2024/tinh-hinh-2024.html

`collect`, `write_consolidated`, `render_report` and `run` rewrite the period's status page as the commands do;
`check`, `consolidate` and `status` write nothing.

Periods are given as text ("2024", "2024-H1") or as Period objects; relative source paths that do not exist
from the current folder are taken relative to the workspace.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path

from planreports.consolidation.frames import Consolidation
from planreports.consolidation.frames import consolidate as _consolidate
from planreports.consolidation.status import AgencyStatus, period_status
from planreports.form.batch import generate_templates
from planreports.intake.collect import MailOptions, Outcome, Progress, Source, check_files
from planreports.pipeline import StageResult, run_all, run_collect, run_consolidate, run_report
from planreports.pipeline import write_status_page as _write_status_page
from planreports.plan.periods import Period, parse_period
from planreports.workspace import Workspace, open_workspace

__all__ = ["check", "collect", "consolidate", "open_workspace", "render_report", "run", "status",
           "write_consolidated", "write_status_page", "write_templates"]


def _period(period: str | Period) -> Period:
    return period if isinstance(period, Period) else parse_period(period)


def collect(ws: Workspace, sources: Iterable[Source], period: str | Period, *, mail: MailOptions | None = None,
            progress: Progress | None = None) -> list[Outcome]:
    """Check, archive and record new files; one result per file (`.to_dict()` is the --json element). The
    status page is written afterwards; a page the machine refuses to write (a full disk, a read-only folder)
    does not undo the collect (`pipeline.run_collect` says why in `page_error`)."""
    return run_collect(ws, sources, _period(period), progress, mail).collected.outcomes


def check(ws: Workspace, sources: Iterable[Source], period: str | Period | None = None) -> list[Outcome]:
    """Check files without storing anything."""
    return check_files(ws, sources, _period(period) if period is not None else None).outcomes


def consolidate(ws: Workspace, period: str | Period) -> Consolidation:
    """The period's consolidation (pandas frames); `.summary()` is summary.json."""
    return _consolidate(ws, _period(period))


def write_consolidated(ws: Workspace, period: str | Period, *, allow_empty: bool = False) -> list[Path]:
    """Write tong-hop-P.xlsx, summary.json and the status page; their paths. With no accepted submission at
    all, NothingToReportError and nothing written, unless `allow_empty`."""
    return run_consolidate(ws, _period(period), allow_empty=allow_empty).outputs


def render_report(ws: Workspace, period: str | Period, *, allow_empty: bool = False) -> Path:
    """Write the period's report (bao-cao-P.docx) and the status page; the report's path. With no accepted
    submission at all, NothingToReportError and nothing written, unless `allow_empty`."""
    return run_report(ws, _period(period), allow_empty=allow_empty).outputs[0]


def run(ws: Workspace, period: str | Period, *, allow_empty: bool = False) -> StageResult:
    """The main job: collect the period's inbox, consolidate, report, status page (with no accepted submission
    at all, only the page: `refused` says why, unless `allow_empty`)."""
    return run_all(ws, _period(period), allow_empty=allow_empty)


def status(ws: Workspace, period: str | Period) -> list[AgencyStatus]:
    """Each expected agency's status (nothing is written)."""
    return period_status(ws, _period(period))


def write_status_page(ws: Workspace, period: str | Period, now: datetime | None = None) -> Path:
    """Write the status page output/P/tinh-hinh-P.html as the ledger stands; `now` (default: the clock) is the
    time the page describes, for its "days left"."""
    return _write_status_page(ws, _consolidate(ws, _period(period)), now)


def write_templates(ws: Workspace, period: str | Period, agencies: Sequence[str] = ()) -> list[Path]:
    """One workbook per agency in output/P/bieu-mau/; the period's inbox input/inbox/P/ is made for what comes
    back."""
    chosen = _period(period)
    paths = generate_templates(ws, chosen, agencies)
    ws.period_inbox(chosen).mkdir(parents=True, exist_ok=True)
    return paths
