"""The status page's data from a period's real data: the consolidation, each expected unit's status, the
deadline, and which generated files exist to link to.

`page_data` works on plain data only (no files, no clock): the time `now` is passed in, so the same ledger and
the same `now` always give the same page. `build_page` gathers those inputs from a workspace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from planreports.consolidation.compare import change_words
from planreports.consolidation.frames import Consolidation
from planreports.consolidation.status import (
    AgencyStatus,
    MailWithoutForm,
    UnidentifiedFile,
    mails_without_forms,
    period_status,
    unidentified_files,
)
from planreports.findings import VERDICT_LABELS, Issue
from planreports.page.data import (
    GroupProgress,
    IndicatorLine,
    PageData,
    PageFinding,
    PageMail,
    PageUnidentified,
    PageUnit,
    UnitState,
)
from planreports.progress.rules import OVERALL_LABELS, SUBMISSION_LABELS, Overall, SubmissionState
from planreports.vn.dates import VN_TZ, format_date, format_datetime
from planreports.vn.numerals import format_number
from planreports.workspace import Workspace

REPORT_LINK = "Báo cáo kết quả thực hiện Kế hoạch (tệp Word .docx)"
WORKBOOK_LINK = "Bảng tổng hợp số liệu của các đơn vị (tệp Excel .xlsx)"


@dataclass(frozen=True)
class PageInputs:
    """What the page needs beside the consolidation and the statuses, as plain data."""

    plan_short: str                          # "Kế hoạch số 45/KH-UBND"
    deadline: date                           # the agencies' submission deadline
    now: datetime                            # the time the page describes (aware, or Vietnam time)
    links: tuple[tuple[str, str], ...] = ()  # (label, href relative to the page's folder)
    feedback: Mapping[str, str] | None = None   # agency code -> href of its feedback e-mail, when written
    blanks: tuple[str, ...] = ()             # what the office must still fill in the report
    unidentified: tuple[UnidentifiedFile, ...] = ()   # received files no agency could be identified from
    mails: tuple[MailWithoutForm, ...] = ()           # received mails that brought no workbook


def days_left(deadline: date, now: datetime) -> int:
    """Whole days from `now` (in Vietnam) to the deadline: 0 on the day itself, negative once it passed."""
    today = now.astimezone(VN_TZ).date() if now.tzinfo is not None else now.date()
    return (deadline - today).days


def _page_findings(issues: Sequence[Issue]) -> tuple[PageFinding, ...]:
    return tuple(PageFinding(str(i.severity), str(i.code), i.sheet, i.cell, i.message) for i in issues)


def _findings(status: AgencyStatus | None) -> tuple[PageFinding, ...]:
    return () if status is None else _page_findings(status.issues)


def unidentified_rows(files: Sequence[UnidentifiedFile]) -> tuple[PageUnidentified, ...]:
    return tuple(PageUnidentified(f.file, format_datetime(f.received_at), f.sender,
                                  f"{f.agency_name} ({f.agency})" if f.agency else None, _page_findings(f.issues))
                 for f in files)


def _unit(code: str, name: str, bloc: str, state: SubmissionState, status: AgencyStatus | None,
          feedback: Mapping[str, str]) -> PageUnit:
    received = format_datetime(status.received_at) if status is not None else ""
    verdict = status.verdict if status is not None else None
    return PageUnit(code, name, bloc, UnitState(str(state)), received or None,
                    VERDICT_LABELS[verdict] if verdict is not None else None, _findings(status),
                    feedback.get(code))


def unit_rows(data: Consolidation, statuses: Sequence[AgencyStatus],
              feedback: Mapping[str, str]) -> tuple[PageUnit, ...]:
    """Every expected unit in the office's order: its state from the consolidation, what came from the
    status (when, verdict, findings of the file in use, else of the latest rejected one)."""
    by_code = {s.code: s for s in statuses}
    return tuple(_unit(line.agency, line.name, line.bloc, line.state, by_code.get(line.agency), feedback)
                 for line in data.unit_lines())


def task_progress(data: Consolidation) -> tuple[GroupProgress, ...]:
    """Per group of the plan (plan order), how many of its tasks stand in each overall status."""
    counted: dict[str, dict[Overall, int]] = {}
    for task in data.task_lines():
        group = counted.setdefault(task.group, dict.fromkeys(Overall, 0))
        group[task.overall] += 1
    titles = {g.id: g.title for g in data.plan.task_groups}
    order = [g.id for g in data.plan.task_groups if g.id in counted] + [g for g in counted if g not in titles]
    return tuple(GroupProgress(g, titles.get(g, ""), tuple((str(k), n) for k, n in counted[g].items()))
                 for g in order)


def indicator_lines(data: Consolidation) -> tuple[IndicatorLine, ...]:
    """The province's total of each indicator and, where the previous period has one, that total and the
    change."""
    before = data.previous.totals if data.previous is not None else {}
    lines, given = [], data.given()
    for total in data.total_lines():
        previous = before.get(total.code) if total.code in given else None
        lines.append(IndicatorLine(
            total.code, total.name, total.unit, format_number(total.total),
            format_number(previous) if previous is not None else None,
            change_words(total.total, previous, total.unit) if previous is not None else None))
    return tuple(lines)


def page_data(data: Consolidation, statuses: Sequence[AgencyStatus], inputs: PageInputs) -> PageData:
    """The status page of `data.period` from plain data."""
    period = data.period
    return PageData(
        title=f"Tình hình báo cáo thực hiện {inputs.plan_short} {period.label}",
        period_label=period.label,
        period_span=period.span,
        deadline=format_date(inputs.deadline),
        days_left=days_left(inputs.deadline, inputs.now),
        generated_at=format_datetime(inputs.now),
        units=unit_rows(data, statuses, inputs.feedback or {}),
        state_labels=tuple((UnitState(str(s)), label) for s, label in SUBMISSION_LABELS.items()),
        overall_labels=tuple((str(k), label) for k, label in OVERALL_LABELS.items()),
        task_groups=task_progress(data),
        indicators=indicator_lines(data),
        previous_period_label=data.previous.period.label if data.previous is not None and data.previous.totals
        else None,
        links=inputs.links,
        blanks=inputs.blanks,
        unidentified=unidentified_rows(inputs.unidentified),
        mails=tuple(PageMail(format_datetime(m.received_at), m.sender,
                             f"{m.agency_name} ({m.agency})" if m.agency else None, m.subject, m.what)
                    for m in inputs.mails),
    )


def _href(target: Path, page: Path) -> str:
    return target.relative_to(page.parent).as_posix()


def build_page(ws: Workspace, data: Consolidation, now: datetime,
               statuses: Sequence[AgencyStatus] | None = None, blanks: Sequence[str] = ()) -> PageData:
    """The page of `data.period` from the workspace: the statuses from the ledger (unless given), the
    deadline from planreports.toml, and links to the report, the workbook and each feedback e-mail that
    exist beside the page."""
    period = data.period
    page = ws.status_page_path(period)
    config = ws.config_for(period)
    statuses = period_status(ws, period) if statuses is None else statuses
    files = ((REPORT_LINK, ws.report_path(period)), (WORKBOOK_LINK, ws.consolidated_path(period)))
    links = tuple((label, _href(path, page)) for label, path in files if path.is_file())
    feedback = {s.code: _href(path, page) for s in statuses
                if (path := ws.feedback_path(period, s.code)).is_file()}
    inputs = PageInputs(config.plan_short, config.period_settings(period).deadline, now, links, feedback,
                        tuple(blanks), tuple(unidentified_files(ws, period)),
                        tuple(mails_without_forms(ws, period)))
    return page_data(data, statuses, inputs)
