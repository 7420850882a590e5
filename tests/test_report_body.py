"""The report's body as a provincial office's reviewer reads it: the basis cited, units named only where the data
sets them apart, each figure once, an assessment that assesses, proposals addressed, words not numbers — and a
length a leader signs (measured by rendering with LibreOffice)."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest
import python_calamine
from click.testing import CliRunner

from planreports.cli import cli
from planreports.config import Config, PeriodSettings, RequestLetter
from planreports.consolidation.compare import Previous
from planreports.consolidation.frames import Consolidation, consolidate, consolidate_data
from planreports.consolidation.workbook import write_consolidated
from planreports.findings import Verdict
from planreports.intake.submission import Submission, TaskAnswer
from planreports.ledger import Receipt
from planreports.progress.history import TaskHistory
from planreports.report.appendices import tasks_table
from planreports.report.assessment import assessment, next_period, proposals, unaddressed
from planreports.report.content import Gap, blank, gather, introduction, leadership
from planreports.report.render import render_report, report_notices
from planreports.report.results import results, standouts
from planreports.report.wording import by_theme, compact, first_sentences, grouped, names, rate
from planreports.testing.synthetic import synthetic_answers
from planreports.vn.numerals import format_number
from planreports.workspace import Workspace
from tests.libreoffice import convert, needs_libreoffice


def _receipt(ws: Workspace, agency: str, statuses: dict[str, str], figures: dict[str, float],
             result: str = "Đã thực hiện.", proposal: str = "", period: str = "2024", difficulty: str = "") -> Receipt:
    plan = ws.plan_for(ws.period(period))
    answers = [TaskAnswer(a.task.id, a.role, statuses.get(a.task.id, "Hoàn thành"), result, difficulty, proposal)
               for a in plan.assignments(agency)]
    data = Submission(agency, period, {}, answers, figures, {}).to_dict()
    when = f"{period}-12-01T09:00:00+07:00"
    return Receipt(sha256=agency, file_name=f"{agency}.xlsx", source="x", source_kind="file", received_at=when,
                   collected_at=when, agency=agency, period=period, verdict=Verdict.ACCEPTED, late=False,
                   issues=(), data=data, stored_path="", sender=None, subject=None, message_id=None)


def _data(ws: Workspace, receipts: list[Receipt], period: str = "2024", **kwargs: object) -> Consolidation:
    return consolidate_data(ws.plan_for(ws.period(period)), ws.period(period), receipts, **kwargs)  # type: ignore[arg-type]


def _body(ws: Workspace, receipts: list[Receipt], config: Config | None = None, period: str = "2024",
          **kwargs: object) -> str:
    data = _data(ws, receipts, period, **kwargs)
    facts = gather(data, config or ws.config_for(ws.period(period)))
    sections = (introduction, leadership, results, assessment, next_period, proposals)
    return "\n".join(b.text for section in sections for b in section(facts))


FIVE = ("STP", "SNV", "STC", "SYT", "SCT")


@pytest.fixture
def small(ws: Workspace) -> str:
    """Five units report: four finished task 1.2, one has not started it; their figures are close."""
    receipts = [
        _receipt(ws, "STP", {}, {"HN_SO": 5}, proposal="Đề nghị bố trí kinh phí riêng."),
        _receipt(ws, "SNV", {}, {"HN_SO": 6}, proposal="đề nghị bố trí kinh phí riêng"),
        _receipt(ws, "STC", {}, {"HN_SO": 4}),
        _receipt(ws, "SCT", {}, {"HN_SO": 5}),
        _receipt(ws, "SYT", {"1.2": "Chưa thực hiện"}, {"HN_SO": 7}),
    ]
    return _body(ws, receipts)


def test_a_rate_of_the_lead_units(ws: Workspace, small: str) -> None:
    leads = len(ws.plan_for(ws.period("2024")).agencies_for(ws.plan.task_by_id["1.2"], "Chủ trì"))
    assert f"4/{leads} đơn vị chủ trì đã hoàn thành ({rate(4, leads, 'x').split('đạt ')[1]})" in small
    assert "chưa thực hiện: Sở Y tế" in small


def test_close_figures_name_nobody(small: str) -> None:
    assert "nhiều nhất" not in small


def test_standouts_are_strict_leaders_with_a_gap() -> None:
    crowd = {f"U{n}": 3.0 for n in range(20)}
    assert standouts(crowd) == []                                       # 27 units tie at 3: nobody
    assert standouts({**crowd, "TOP": 4.0}) == []                       # ahead, but not by a gap worth stating
    assert standouts({**crowd, "TOP": 20.0}) == ["TOP"]
    assert standouts({**crowd, "A": 20.0, "B": 18.0}) == []             # two close leaders: no ranking
    assert standouts({**crowd, "A": 20.0, "B": 20.0}) == []             # a tie at the top names nobody
    assert standouts({**crowd, "A": 249.0, "B": 225.0}) == []           # two press agencies far above the rest
    assert standouts({**crowd, "A": 40.0, "B": 18.0}) == ["A"]          # a strict leader by a clear gap
    assert standouts({"A": 20.0, "B": 1.0, "C": 1.0}) == []             # too few units to single one out
    assert standouts({**crowd, "TOP": 20.0}, frozenset({"TOP"})) == []  # never one that did not start a task


def test_a_clear_leader_is_named_unless_it_did_not_start_a_task(ws: Workspace) -> None:
    receipts = [_receipt(ws, code, {}, {"HN_SO": 2}) for code in FIVE[1:]]
    leader = _receipt(ws, "STP", {}, {"HN_SO": 12})
    assert "Đơn vị có hội nghị phổ biến, quán triệt về truyền thông chính sách đã tổ chức nhiều nhất: Sở Tư pháp " \
           "(12 hội nghị)." in _body(ws, [*receipts, leader])
    lagging = _receipt(ws, "STP", {"1.2": "Chưa thực hiện"}, {"HN_SO": 12})
    assert "nhiều nhất" not in _body(ws, [*receipts, lagging])


def test_names_are_few_or_counted() -> None:
    units = ["Sở Y tế", "Ủy ban nhân dân phường Bắc Kạn", "Ủy ban nhân dân phường Bách Quang",
             "Ủy ban nhân dân xã Chợ Rã"]
    assert compact(units) == "Sở Y tế, UBND phường Bắc Kạn, UBND phường Bách Quang và UBND xã Chợ Rã"
    # a long list is counted: its first names would be picked by the list's order
    assert names([f"Ủy ban nhân dân xã {n}" for n in "ABCDEFGH"]) == "8 đơn vị"
    assert names(units) == compact(units) and ";" not in compact(units)


def test_the_basis_cites_the_directive_and_the_request_letter(ws: Workspace) -> None:
    receipts = [_receipt(ws, "STP", {}, {})]
    without = _body(ws, receipts)
    assert without.startswith("Thực hiện Chỉ thị số 07/CT-TTg ngày 21/3/2023 của Thủ tướng Chính phủ về việc tăng "
                              f"cường công tác truyền thông chính sách; {blank(Gap.REQUEST)}, Ủy ban nhân dân tỉnh "
                              "Thái Nguyên báo cáo kết quả thực hiện năm 2024")
    assert without.split("\n")[0].endswith("như sau:")
    config = ws.config_for(ws.period("2024"))
    letter = RequestLetter("1234/VPCP-KGVX", date(2024, 10, 15), "Văn phòng Chính phủ",
                           subject="về việc báo cáo tình hình thực hiện Chỉ thị số 07/CT-TTg")
    settings = dataclasses.replace(config.period_settings(ws.period("2024")), request=letter)
    asked = dataclasses.replace(config, periods={**config.periods, "2024": settings})
    body = _body(ws, receipts, asked)
    assert ("; Công văn số 1234/VPCP-KGVX ngày 15/10/2024 của Văn phòng Chính phủ về việc báo cáo tình hình thực "
            "hiện Chỉ thị số 07/CT-TTg, Ủy ban nhân dân tỉnh Thái Nguyên báo cáo") in body
    assert blank(Gap.REQUEST) not in body
    # the closing matches the title and the addressees
    assert body.endswith("Trên đây là kết quả thực hiện Chỉ thị số 07/CT-TTg ngày 21/3/2023 của Thủ tướng Chính phủ "
                         "trên địa bàn tỉnh Thái Nguyên năm 2024, Ủy ban nhân dân tỉnh Thái Nguyên báo cáo Văn phòng "
                         "Chính phủ và Bộ Thông tin và Truyền thông./.")
    assert body.count("báo cáo Văn phòng") == 1


def test_the_request_letter_is_read_from_the_settings(ws: Workspace) -> None:
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(text + '\n[periods.2024.request]\nnumber = "99/VPCP-KGVX"\ndate = 2024-10-01\n'
                                     'issuer = "Văn phòng Chính phủ"\n', encoding="utf-8")
    letter = Workspace(ws.root).config.period_settings(ws.period("2024")).request
    assert letter is not None and letter.cited() == "Công văn số 99/VPCP-KGVX ngày 1/10/2024 của Văn phòng Chính phủ"


def test_tasks_are_cited_by_number_and_short_name(ws: Workspace, small: str) -> None:
    assert "Nhiệm vụ 1.2 (Phổ biến, tuyên truyền về truyền thông chính sách): đang thực hiện" in small
    assert "…)" not in small.replace("……)", "")               # no title cut mid-word
    assert "Tiếp tục thực hiện các nhiệm vụ thường xuyên" in small and "1.2, 2.1" not in small


def test_done_late_and_recurring_wording(ws: Workspace, tmp_path: Path) -> None:
    """2.3 is due "Trong năm 2023": first reported done in the 2024 report, it is done late, not "đúng hạn";
    6.3 (due before June 2024) done in 2024 is on time; a recurring task done is "đã thực hiện trong năm"."""
    leads = [_receipt(ws, code, {}, {}) for code in ("STP", "SNV")]
    data = _data(ws, leads)
    labels = {t.task_id: (t.overall, t.overall_label) for t in data.task_lines()}
    assert labels["2.3"] == ("done_late", "Hoàn thành quá hạn")
    assert labels["6.3"] == ("done", "Hoàn thành đúng hạn")
    assert labels["2.1"] == ("done", "Đã thực hiện trong năm")
    later = _data(ws, [_receipt(ws, "STP", {}, {}, period="2025")], "2025",
                  history=TaskHistory(ws.period("2025"), {"2.3": ws.period("2024"), "6.3": ws.period("2024")}))
    facts = gather(later, ws.config_for(ws.period("2025")))
    rows = {r["id"]: r for r in tasks_table(facts).rows}
    assert rows["2.3"]["overall"] == "Hoàn thành quá hạn (năm 2024)"
    assert rows["6.3"]["overall"] == "Hoàn thành đúng hạn (năm 2024)"
    # a task done in an earlier period is not reported on again: no counts, not "chưa báo cáo = 1"
    assert {rows["2.3"][k] for k in ("leads", "done", "no_report")} == {"—"}
    assert rows["2.1"]["no_report"] != "—"
    # the staff workbook says the same (pandas 3 turned "not done earlier" into NaN, and every row into "—")
    sheet = openpyxl.load_workbook(write_consolidated(tmp_path / "th.xlsx", later), read_only=True)["Tổng hợp nhiệm vụ"]
    counts = {row[0]: row[4:10] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert set(counts["2.3"]) == {"—"} and all(isinstance(n, int) for n in counts["2.1"]) and counts["2.1"][0] >= 1


def test_tasks_with_a_deadline_and_recurring_ones_are_counted_apart(ws: Workspace, small: str) -> None:
    assert "Kế hoạch có 24 nhiệm vụ: 5 nhiệm vụ có thời hạn (" in small
    assert "; 19 nhiệm vụ thường xuyên, hằng năm (" in small


def _previous(ws: Workspace, totals: dict[str, float]) -> Previous:
    return Previous(ws.period("2023"), 5, 34, totals, {}, {})


def test_rises_are_merits_falls_and_shares_undone_are_limitations(ws: Workspace) -> None:
    figures = {"HN_SO": 10, "TIN_BAI": 50, "TINGIA_PHATHIEN": 10, "TINGIA_XULY": 6}
    receipts = [_receipt(ws, code, {}, figures) for code in FIVE]
    before = _previous(ws, {"HN_SO": 40, "TIN_BAI": 300, "TINGIA_PHATHIEN": 50, "TINGIA_XULY": 30})
    body = _body(ws, receipts, previous=before)
    merits = body[body.index("1. Ưu điểm"):body.index("2. Hạn chế")]
    limits = body[body.index("2. Hạn chế"):body.index("3. Nguyên nhân")]
    # figures rose or fell are named, their changes said once, in section II
    assert "Tăng so với năm 2023 (số liệu tại Mục II): hội nghị phổ biến, quán triệt về truyền thông chính sách " \
        "đã tổ chức." in merits and "25%" not in merits
    assert "Giảm so với năm 2023 (số liệu tại Mục II): tin, bài, phóng sự về chính sách đã đăng, phát trên báo " \
        "chí." in limits and "tin, bài, phóng sự" not in merits
    # the share of detected fake news handled: 30 of 50, as the year before
    assert "Tin giả, tin xấu độc đã xử lý, đề nghị gỡ bỏ mới bằng 60% số tin giả, tin xấu độc được phát hiện (năm " \
        "2023: 60%)." in limits
    # more handled but a smaller share is no merit; more detected is context, neither merit nor limitation
    worse = _body(ws, receipts, previous=_previous(ws, {"TINGIA_PHATHIEN": 20, "TINGIA_XULY": 20}))
    merits = worse[worse.index("1. Ưu điểm"):worse.index("2. Hạn chế")]
    assert "tin giả" not in merits.lower() and "(năm 2023: 100%)" in worse
    # a task nobody started is a limitation
    idle = _body(ws, [_receipt(ws, "SNGV", {"5.5": "Chưa thực hiện"}, {})])
    assert "nhiệm vụ 5.5 (" in idle[idle.index("2. Hạn chế"):idle.index("3. Nguyên nhân")]


def test_small_changes_are_neither_merits_nor_limitations(ws: Workspace) -> None:
    receipts = [_receipt(ws, code, {}, {"HN_SO": 10, "TIN_BAI": 50}) for code in FIVE]      # 50 and 250
    before = dataclasses.replace(_previous(ws, {"HN_SO": 49, "TIN_BAI": 200}), reported=7)  # +2%, +25%
    body = _body(ws, receipts, previous=before)
    intro = body[body.index("III. ĐÁNH GIÁ CHUNG"):body.index("1. Ưu điểm")]
    merits = body[body.index("1. Ưu điểm"):body.index("2. Hạn chế")]
    assert "tin, bài, phóng sự" in merits and "hội nghị" not in body[body.index("III. ĐÁNH GIÁ"):]
    assert ("Các chỉ tiêu tăng, giảm từ 5% trở lên so với năm 2023 được nêu dưới đây; các chỉ tiêu khác có số liệu "
            "cả hai năm thay đổi không đáng kể.") in intro
    # fewer units reported than the year before: the comparison is said to be relative
    assert ("Số liệu so sánh giữa hai năm chỉ mang tính tương đối: năm 2024 có 5 cơ quan, đơn vị, địa phương báo "
            "cáo, năm 2023 có 7.") in intro
    same = _body(ws, receipts, previous=_previous(ws, {"HN_SO": 49, "TIN_BAI": 245}))
    assert "Các chỉ tiêu có số liệu cả hai năm thay đổi không đáng kể so với năm 2023 (tăng, giảm dưới 5%)." in same
    assert "Tăng so với" not in same and "tương đối" not in same
    # an indicator left out of merits and limitations (detected fake news: context) that changed much: "the
    # others changed little" would be untrue, so only the rule is said
    context = [_receipt(ws, code, {}, {"HN_SO": 10, "TINGIA_PHATHIEN": 10}) for code in FIVE]
    told = _body(ws, context, previous=_previous(ws, {"HN_SO": 49, "TINGIA_PHATHIEN": 20}))
    assert "không đáng kể" not in told


def test_each_figure_is_stated_once(ws: Workspace) -> None:
    """A figure claimed by two groups (CONG_TTDT: 4 and 5) is stated in the first; the assessment cites changes."""
    receipts = [_receipt(ws, code, {}, {"CONG_TTDT": 1234, "TIN_BAI": 777}) for code in FIVE]
    body = _body(ws, receipts, previous=_previous(ws, {"CONG_TTDT": 5000}))
    assert body.count("6.170 tin, bài") == 1 and body.count("3.885 tin, bài") == 1
    paragraphs = [p for p in body.split("\n") if len(p) > 40]
    assert len(paragraphs) == len(set(paragraphs))         # no paragraph twice


def test_proposals_are_addressed_and_not_counted(ws: Workspace) -> None:
    receipts = [
        _receipt(ws, "STP", {}, {}, proposal="Đề nghị ban hành hướng dẫn định mức chi cho truyền thông."),
        _receipt(ws, "SNV", {}, {}, proposal="Đề nghị cơ quan chuyên môn của tỉnh tổ chức tập huấn kỹ năng."),
        _receipt(ws, "STC", {}, {}, proposal="Đề nghị tăng cường phối hợp cung cấp thông tin."),
    ]
    config = dataclasses.replace(ws.config_for(ws.period("2024")), proposal_addressees={
        "Kinh phí": ("Bộ Tài chính", "Bộ Văn hóa, Thể thao và Du lịch"), "Kỹ năng, nghiệp vụ": ()})
    body = _body(ws, receipts, config)
    upward = body[body.index("V. ĐỀ XUẤT"):]
    assert ("1. Đề nghị Bộ Tài chính và Bộ Văn hóa, Thể thao và Du lịch: ban hành hướng dẫn định mức chi cho "
            "truyền thông.") in upward
    assert f"2. Đề nghị {blank(Gap.ADDRESSEE)}: tăng cường phối hợp cung cấp thông tin." in upward
    assert "tập huấn" not in upward and "đơn vị đề xuất" not in body
    directions = body[body.index("IV. PHƯƠNG HƯỚNG"):body.index("V. ĐỀ XUẤT")]
    assert "cơ quan chuyên môn của tỉnh tổ chức tập huấn kỹ năng" in directions
    # a single proposal is not numbered
    single = _body(ws, receipts[:1], config)
    assert "\nĐề nghị Bộ Tài chính và Bộ Văn hóa" in single and "1. Đề nghị" not in single


def test_an_overdue_task_is_carried_over_with_a_new_deadline_or_a_blank(ws: Workspace) -> None:
    receipts = [_receipt(ws, code, {"6.2": "Đang thực hiện"}, {}, period="2025")
                for code in ("STP", "SNV")]
    body = _body(ws, receipts, period="2025")
    directions = body[body.index("IV. PHƯƠNG HƯỚNG"):body.index("V. ĐỀ XUẤT")]
    # one pair of brackets; a group of leads in lower case after the colon
    assert ("- Chuyển sang năm 2026 nhiệm vụ 6.2 (Phân công cán bộ phụ trách truyền thông chính sách; chủ trì: các "
            "sở, ban, ngành") in directions and ") (" not in directions
    assert f"thời hạn hoàn thành: {blank(Gap.NEW_DEADLINE)}" in directions and "tháng 12/2024" not in directions
    config = ws.config_for(ws.period("2025"))
    settings = dataclasses.replace(config.period_settings(ws.period("2025")), new_deadlines={"6.2": "Quý I năm 2026"})
    given = _body(ws, receipts, dataclasses.replace(config, periods={**config.periods, "2025": settings}),
                  period="2025")
    assert "thời hạn hoàn thành: Quý I năm 2026." in given


def test_the_reorganization_is_said_in_the_period_it_happened(ws: Workspace) -> None:
    receipts = [_receipt(ws, "SVHTTDL", {}, {}, period="2025")]
    body = _body(ws, receipts, period="2025")
    said = body[body.index("Do sắp xếp tổ chức bộ máy"):]
    assert said.startswith("Do sắp xếp tổ chức bộ máy, từ ngày 01/3/2025, các nhiệm vụ 2.2 (hoàn thiện văn bản về "
                           "báo chí, truyền thông), 2.4 (")
    assert ("7.2 (phát hiện, ngăn chặn tin giả, tin xấu độc) của Sở Thông tin và Truyền thông do Sở Văn hóa, Thể thao "
            "và Du lịch thực hiện, nhiệm vụ 5.4 (ứng dụng công nghệ trong quản trị thông tin) do Sở Khoa học và Công "
            "nghệ thực hiện") in said
    assert "từ ngày 01/7/2025, nhiệm vụ của UBND các huyện, thành phố do UBND các xã, phường thực hiện" in said
    assert "Do sắp xếp" not in _body(ws, [_receipt(ws, "SVHTTDL", {}, {}, period="2026")], period="2026")


def test_the_reporting_is_said_precisely(ws: Workspace, small: str) -> None:
    assert "5/34 cơ quan, đơn vị, địa phương đã gửi báo cáo" in small
    assert "chưa gửi báo cáo" in small and "chưa gửi hoặc chưa đạt" not in small
    assert not re.search(r"(?<![\d.])0 đơn vị", small) and "0/0" not in small


def test_wording_helpers() -> None:
    assert rate(25, 30, "đơn vị chủ trì đã hoàn thành") == "25/30 đơn vị chủ trì đã hoàn thành, đạt 83,3%"
    assert first_sentences("Một. Hai. Ba.") == "Một. Hai…"
    assert grouped(["A b.", "a B", "c"], lambda t: t, lambda t: t)[0][1] == ["A b.", "a B"]
    themes = by_theme([("X", "Thiếu kinh phí."), ("Y", "Kinh phí ít"), ("Z", "Cán bộ kiêm nhiệm"), ("W", "Mưa"),
                       ("V", "Chưa có kế hoạch truyền thông chính sách")])
    assert themes == [("Kinh phí", 2, "Thiếu kinh phí."), ("Nhân lực, cán bộ", 1, "Cán bộ kiêm nhiệm"),
                      ("Khác", 2, "Mưa")]


# ---------------------------------------------------------------- the length a leader signs

def _pages(docx: Path, out: Path) -> tuple[int, int, str]:
    """(the page of the signature, the number of pages, the text) of the document rendered by LibreOffice."""
    pdf = convert(docx, "pdf", out)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = text.rstrip("\f").split("\f")
    return next(n for n, page in enumerate(pages, start=1) if "Nơi nhận:" in page), len(pages), text


@needs_libreoffice
def test_the_examples_upward_report_is_short_and_says_each_thing_once(example: Workspace, tmp_path: Path) -> None:
    """The 2026 round (110 units): body at most 8 pages, whole document at most 20; the 2024 one likewise."""
    ws = example
    for period in ("2024", "2026"):
        result = CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--period", period])
        assert result.exit_code == 1, result.output      # the example's rejected files
        signature, pages, text = _pages(ws.report_path(ws.period(period)), tmp_path / period)
        assert signature <= 8 and pages <= 20, (period, signature, pages)
        assert "đơn vị đề xuất)" not in text and "cảnh báo" not in text
    document = docx.Document(str(ws.report_path(ws.period("2026"))))
    texts = [p.text for p in document.paragraphs]
    body = "\n".join(texts[:next(i for i, t in enumerate(texts) if t.startswith("Trên đây"))])
    data = consolidate(ws, ws.period("2026"))
    for total in data.total_lines():                       # each province total once in the body
        assert body.count(f"{format_number(total.total)} {total.unit}") == 1, total.code
    assert "Ủy ban nhân dân phường" not in body and "Phụ lục III" not in text
    paragraphs = [t for t in body.split("\n") if len(t) > 40]
    assert len(paragraphs) == len(set(paragraphs))
    page = ws.status_page_path(ws.period("2026")).read_text(encoding="utf-8")
    assert "Báo cáo còn để trống để văn phòng điền" in page and "nguyên nhân chủ quan" in page
    # every unit's own words, left out of the upward report, are in the staff workbook
    detail = python_calamine.CalamineWorkbook.from_path(str(ws.consolidated_path(ws.period("2026"))))
    cells = {str(v) for row in detail.get_sheet_by_name("Chi tiết đơn vị").to_python() for v in row}
    results = [line.result for line in data.answer_lines() if line.result]
    assert len(results) > 1000 and all(result in cells for result in results)


def _synthetic_receipts(ws: Workspace, period: str) -> list[Receipt]:
    """Every reporting unit answers, as the example's generator would have it (no files: straight to receipts)."""
    plan = ws.plan_for(ws.period(period))
    out = []
    for agency in plan.reporting_agencies:
        answers = synthetic_answers(plan, agency, int(period[:4]), seed=7)
        roles = {a.task.id: a.role for a in plan.assignments(agency.code)}
        tasks = [TaskAnswer(task_id, roles[task_id], values["status"] or "", values["result"] or "",
                            values["difficulty"] or "", values["proposal"] or "")
                 for task_id, values in answers.tasks.items()]
        figures = {code: float(v) for code, v in answers.figures.items()}
        data = Submission(agency.code, period, {}, tasks, figures, {}).to_dict()
        when = f"{period[:4]}-11-20T09:00:00+07:00"
        out.append(Receipt(sha256=agency.code, file_name="f.xlsx", source="x", source_kind="file", received_at=when,
                           collected_at=when, agency=agency.code, period=period, verdict=Verdict.ACCEPTED,
                           late=False, issues=(), data=data, stored_path="", sender=None, subject=None,
                           message_id=None))
    return out


@needs_libreoffice
def test_the_body_stays_short_for_a_larger_province(ws: Workspace, tmp_path: Path) -> None:
    """150 reporting units (the seed's 110 and 40 more communes): the body is still at most 8 pages."""
    path = ws.input_dir / "don-vi.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Đơn vị"]
    columns = {c.value: c.column for c in sheet[1]}
    for n in range(40):
        sheet.append([f"XTHEM{n:02d}", f"Ủy ban nhân dân xã Thêm Số {n}", f"UBND xã Thêm {n}", "xa-phuong", "", "Có"])
        sheet.cell(sheet.max_row, columns["Hiệu lực từ"]).value = "01/07/2025"
    book.save(path)
    ws = Workspace(ws.root)
    period = ws.period("2026")
    assert len(ws.plan_for(period).reporting_agencies) == 150
    data = consolidate_data(ws.plan_for(period), period, _synthetic_receipts(ws, "2026"))
    out, left = render_report(ws.report_template, data, ws.config_for(period), tmp_path / "bao-cao.docx")
    signature, pages, _ = _pages(out, tmp_path)
    assert signature <= 8 and pages <= 20
    assert any("nguyên nhân chủ quan" in item for item in left)


def test_period_settings_default_has_no_request(ws: Workspace) -> None:
    assert PeriodSettings(date(2026, 11, 20)).request is None


def test_a_province_that_grew_is_not_compared_with_its_smaller_self(example: Workspace) -> None:
    """2025: Bắc Kạn's communes joined Thái Nguyên; 37 of 110 units descend from no unit of 2024, so province and
    bloc totals are not compared with 2024 (a rise of 242% would be the merger, not the work)."""
    ws = example
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "run", "--period", "2025"])
    assert result.exit_code in (0, 1), result.output
    data = consolidate(ws, ws.period("2025"))
    assert data.previous is not None and len(data.previous.new_units) == 37 and data.previous.totals == {}
    text = "\n".join(p.text for p in docx.Document(str(ws.report_path(ws.period("2025")))).paragraphs)
    assert "không so sánh với năm 2024 do phạm vi báo cáo thay đổi: 37 cơ quan, đơn vị, địa phương" in text
    assert "so với năm 2024" not in text.replace("không so sánh với năm 2024", "")
    tables = docx.Document(str(ws.report_path(ws.period("2025")))).tables
    assert not any("Năm 2024" in cell.text for table in tables for cell in table.rows[0].cells)
    assert data.summary()["indicator_changes"] == {}
    # 2026 against 2025: the same province, compared
    assert consolidate(ws, ws.period("2026")).previous.totals                # type: ignore[union-attr]


def test_a_body_asked_in_section_v_is_sent_the_report(ws: Workspace) -> None:
    """Proposals to Bộ Tài chính in a report neither addressed nor sent to it are said before signing."""
    receipts = [_receipt(ws, code, {}, {}, proposal="Bố trí kinh phí riêng cho truyền thông chính sách.")
                for code in FIVE]
    data = _data(ws, receipts)
    config = ws.config_for(data.period)
    assert unaddressed(gather(data, config)) == []                       # the seed sends it to Bộ Tài chính
    alone = dataclasses.replace(config, recipients=("Thường trực Tỉnh ủy (b/c)",))
    assert unaddressed(gather(data, alone)) == ["Bộ Tài chính"]
    (notice,) = report_notices(data, alone)
    assert "Mục V đề nghị Bộ Tài chính" in notice and "recipients" in notice


def test_causes_are_the_units_words_quoted(ws: Workspace) -> None:
    receipts = [_receipt(ws, "STP", {}, {}, difficulty="Kinh phí cho công tác truyền thông còn hạn chế."),
                _receipt(ws, "SNV", {}, {}, difficulty="Kinh phí cho công tác truyền thông còn hạn chế."),
                _receipt(ws, "STC", {}, {}, difficulty="Cán bộ chủ yếu kiêm nhiệm.")]
    causes = _body(ws, receipts)
    causes = causes[causes.index("3. Nguyên nhân"):causes.index("IV. PHƯƠNG HƯỚNG")]
    # quoted: the units' words, not the province's (a unit's "Sở Tài chính chưa …" keeps its capital)
    assert ("- Khách quan: theo phản ánh của các cơ quan, đơn vị, khó khăn, vướng mắc chủ yếu là: “Kinh phí cho công "
            "tác truyền thông còn hạn chế”; “Cán bộ chủ yếu kiêm nhiệm”.") in causes
