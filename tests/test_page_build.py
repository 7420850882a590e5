"""The status page's data built from plain data: a small province, a few receipts, a previous year."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from planreports.consolidation.compare import Previous
from planreports.consolidation.frames import consolidate_data
from planreports.consolidation.status import statuses_from
from planreports.findings import Issue, IssueCode, Severity, Verdict
from planreports.intake.submission import Submission, TaskAnswer
from planreports.ledger import Receipt
from planreports.page import GroupProgress, IndicatorLine, PageData, PageFinding, UnitState, render_page
from planreports.page.build import PageInputs, days_left, page_data
from planreports.plan.deadlines import parse_deadline
from planreports.plan.model import (
    Agency,
    AgencyKind,
    Aggregate,
    Indicator,
    NumberType,
    Plan,
    Task,
    TaskGroup,
)
from planreports.plan.periods import parse_period
from planreports.vn.dates import VN_TZ

P2026 = parse_period("2026")
NOW = datetime(2026, 11, 25, 8, 30, tzinfo=VN_TZ)
LATE = Issue(IssueCode.SUBMISSION_LATE, Severity.WARNING, "Nộp muộn: nhận ngày 24/11/2026, hạn gửi ngày 20/11/2026.")
NOT_A_NUMBER = Issue(IssueCode.VALUE_NOT_A_NUMBER, Severity.ERROR, "“Giá trị” ghi “khoảng 200”, không phải là số.",
                     "x.xlsx", "Số liệu", "D4")


def _plan() -> Plan:
    """Two departments and two communes; two task groups; two indicators."""
    kinds = (AgencyKind("so", "Sở", "Sở, ngành"), AgencyKind("xa", "Xã", "Địa phương"))
    agencies = (Agency("SA", "Sở Văn hóa", "Sở VH", "so", ""), Agency("SB", "Sở Y tế", "Sở YT", "so", ""),
                Agency("X1", "Ủy ban nhân dân xã Một", "UBND xã Một", "xa", ""),
                Agency("X2", "Ủy ban nhân dân xã Hai", "UBND xã Hai", "xa", ""))
    groups = (TaskGroup("1", "Nâng cao nhận thức"), TaskGroup("2", "Tổ chức thực hiện"))
    tasks = (Task("1.1", "1", "Tuyên truyền", "Sở Văn hóa", "", ("SA",), (), "", parse_deadline("Thường xuyên")),
             Task("1.2", "1", "Hội nghị", "Sở Y tế", "", ("SB",), (), "", parse_deadline("Hằng năm")),
             Task("2.1", "2", "Báo cáo", "UBND các xã", "", ("xa",), (), "", parse_deadline("Hằng năm")))
    indicators = (Indicator("HN_SO", "Hội nghị đã tổ chức", "hội nghị", NumberType.INTEGER, Aggregate.SUM),
                  Indicator("KINH_PHI", "Kinh phí", "triệu đồng", NumberType.DECIMAL, Aggregate.SUM))
    return Plan(groups, tasks, kinds, agencies, (), indicators)


def _receipt(plan: Plan, agency: str, when: str, verdict: Verdict = Verdict.ACCEPTED, late: bool = False,
             issues: tuple[Issue, ...] = (), status: str = "Hoàn thành", figures: dict[str, float | None] | None = None
             ) -> Receipt:
    answers = [TaskAnswer(a.task.id, str(a.role), status, "Đã làm.", "", "") for a in plan.assignments(agency)]
    data = Submission(agency, "2026", {}, answers, figures or {"HN_SO": 2.0, "KINH_PHI": 1.5}).to_dict()
    return Receipt(sha256=agency + when, file_name=f"{agency}.xlsx", source="x", source_kind="file",
                   received_at=when, collected_at=when, agency=agency, period="2026", verdict=verdict, late=late,
                   issues=issues, data=None if verdict is Verdict.REJECTED else data, stored_path="", sender=None,
                   subject=None, message_id=None)


def _page(feedback: dict[str, str] | None = None, previous: bool = True) -> PageData:
    plan = _plan().at(P2026.end)
    receipts = [
        _receipt(plan, "SA", "2026-11-02T07:45:00+07:00"),
        _receipt(plan, "X1", "2026-11-24T15:10:00+07:00", Verdict.WARNING, late=True, issues=(LATE,),
                 status="Đang thực hiện", figures={"HN_SO": 3.0, "KINH_PHI": None}),
        _receipt(plan, "SB", "2026-11-03T03:45:00+07:00", Verdict.REJECTED, issues=(NOT_A_NUMBER,)),
    ]
    before = Previous(parse_period("2025"), 2, 4, {"HN_SO": 4.0}, {}, {}) if previous else None
    data = consolidate_data(plan, P2026, receipts, previous=before)
    statuses = statuses_from([(a.code, a.short) for a in plan.reporting_agencies], receipts, [])
    links = (("Báo cáo (tệp Word .docx)", "bao-cao-2026.docx"),)
    return page_data(data, statuses, PageInputs("Kế hoạch số 129/KH-UBND", date(2026, 11, 20), NOW, links,
                                                feedback or {}))


def test_the_header_says_the_period_the_deadline_and_the_time() -> None:
    page = _page()
    assert page.title == "Tình hình báo cáo thực hiện Kế hoạch số 129/KH-UBND năm 2026"
    assert (page.period_label, page.period_span) == ("năm 2026", "từ ngày 15/12/2025 đến ngày 14/12/2026")
    assert (page.deadline, page.days_left, page.generated_at) == ("20/11/2026", -5, "25/11/2026 08:30")
    assert page.links == (("Báo cáo (tệp Word .docx)", "bao-cao-2026.docx"),)
    assert dict(page.state_labels)[UnitState.REJECTED] == "Không đạt, chưa gửi lại"
    assert [key for key, _ in page.overall_labels] == ["done", "done_late", "in_progress", "not_started",
                                                       "overdue", "not_applicable", "no_report"]


def test_every_expected_unit_in_the_offices_order_with_what_came() -> None:
    units = _page(feedback={"SA": "phan-hoi/SA.eml", "SB": "phan-hoi/SB.eml"}).units
    assert [(u.code, u.name, u.bloc, u.state) for u in units] == [
        ("SA", "Sở Văn hóa", "Sở, ngành", UnitState.ON_TIME), ("SB", "Sở Y tế", "Sở, ngành", UnitState.REJECTED),
        ("X1", "Ủy ban nhân dân xã Một", "Địa phương", UnitState.LATE),
        ("X2", "Ủy ban nhân dân xã Hai", "Địa phương", UnitState.MISSING)]
    sa, sb, x1, x2 = units
    assert (sa.received_at, sa.verdict_label, sa.findings, sa.feedback_href) == (
        "02/11/2026 07:45", "Đạt", (), "phan-hoi/SA.eml")
    assert (sb.verdict_label, sb.feedback_href) == ("Không đạt", "phan-hoi/SB.eml")
    assert sb.findings == (PageFinding("error", "value-not-a-number", "Số liệu", "D4", NOT_A_NUMBER.message),)
    assert (x1.received_at, x1.verdict_label, x1.feedback_href) == ("24/11/2026 15:10", "Đạt, có cảnh báo", None)
    assert x1.findings == (PageFinding("warning", "submission-late", "", "", LATE.message),)
    assert (x2.received_at, x2.verdict_label, x2.findings, x2.feedback_href) == (None, None, (), None)


def test_tasks_are_counted_by_group_of_the_plan() -> None:
    groups = _page().task_groups
    zero = dict.fromkeys(("done", "done_late", "in_progress", "not_started", "overdue", "not_applicable",
                          "no_report"), 0)
    # 1.1: its lead reported done; 1.2: its lead's file was rejected; 2.1: one commune of two is under way
    assert groups == (
        GroupProgress("1", "Nâng cao nhận thức", tuple({**zero, "done": 1, "no_report": 1}.items())),
        GroupProgress("2", "Tổ chức thực hiện", tuple({**zero, "in_progress": 1}.items())))


def test_indicators_with_the_previous_year_where_it_has_a_figure() -> None:
    page = _page()
    assert page.previous_period_label == "năm 2025"
    assert page.indicators == (IndicatorLine("HN_SO", "Hội nghị đã tổ chức", "hội nghị", "5", "4", "tăng 25%"),
                               IndicatorLine("KINH_PHI", "Kinh phí", "triệu đồng", "1,5", None, None))
    without = _page(previous=False)
    assert without.previous_period_label is None
    assert [(i.previous, i.change) for i in without.indicators] == [(None, None), (None, None)]


def test_same_data_and_time_same_page() -> None:
    assert _page() == _page()
    assert render_page(_page()).encode() == render_page(_page()).encode()


@pytest.mark.parametrize(("now", "left"), [
    (datetime(2026, 11, 20, 23, 59, tzinfo=VN_TZ), 0),
    (datetime(2026, 11, 19, 17, 30, tzinfo=UTC), 0),        # 00:30 on the 20th in Vietnam
    (datetime(2026, 11, 19, 16, 30, tzinfo=UTC), 1),
    (datetime(2026, 11, 21, 0, 0, tzinfo=timezone(timedelta(hours=7))), -1),
    (datetime(2026, 11, 6, 9, 0), 14),                                # naive: taken as Vietnam time
])
def test_days_left_count_whole_days_in_vietnam(now: datetime, left: int) -> None:
    assert days_left(date(2026, 11, 20), now) == left
