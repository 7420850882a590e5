"""What the report says: the facts every section reads, and the opening and section I.

The report is the one a province sends upward (Văn phòng Chính phủ, the ministry): it opens with its basis (the
directive and the letter asking for the report), then I. leadership and organisation (the province's own
documents, who took over the plan's tasks when the organization changed, the planning tasks, the reporting of the
units); II. results by task group (results.py); III. assessment, IV. directions, V. proposals (assessment.py).
Every figure is stated once, in the section it belongs to; every sentence comes from the plan, the settings or
the submissions. What only the office knows is a marked blank — "(…… văn phòng bổ sung … ……)" — highlighted
in the document and listed by `report` and the status page (blanks()).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from typing import NamedTuple

from planreports.config import Config, PeriodSettings
from planreports.consolidation.compare import Previous, change_phrase
from planreports.consolidation.frames import Consolidation
from planreports.consolidation.records import AnswerLine, TaskLine, TotalLine, UnitLine
from planreports.plan.model import Indicator, Plan, Role, Status, Task
from planreports.plan.periods import Period
from planreports.progress.history import previous_of
from planreports.progress.rules import REPORTED_STATES, SubmissionState
from planreports.report.tasks import task_sentence
from planreports.report.wording import joined, lower_first, names, percent, sentence
from planreports.vn.numerals import format_number

BLANK_MARK = re.compile(r"\(…… ([^()]+?) ……\)")


class Gap(StrEnum):
    """What only the office can write: each is a marked, highlighted blank in the document."""

    REQUEST = "văn phòng bổ sung số, ngày, cơ quan ban hành văn bản đề nghị báo cáo"
    DOCUMENTS = "văn phòng bổ sung văn bản chỉ đạo, kế hoạch ban hành trong kỳ"
    MERITS = "văn phòng bổ sung đánh giá ưu điểm"
    LIMITATIONS = "văn phòng bổ sung hạn chế, tồn tại"
    CAUSES = "văn phòng bổ sung nguyên nhân chủ quan"
    NEW_DEADLINE = "văn phòng bổ sung thời hạn mới"
    ADDRESSEE = "văn phòng xác định cơ quan nhận đề xuất"
    PROPOSALS = "văn phòng bổ sung đề xuất, kiến nghị"


# where a blank can be filled once for every later run ({p}: the period), else it is written in the document
GAP_HINTS = {
    Gap.REQUEST: "văn bản đề nghị báo cáo: ghi mục [periods.{p}.request] (number, date, issuer) trong "
                 "planreports.toml",
    Gap.DOCUMENTS: "văn bản UBND tỉnh ban hành trong kỳ: ghi documents = [\"…\"] trong mục [periods.{p}]",
    Gap.NEW_DEADLINE: "thời hạn mới của nhiệm vụ quá hạn: ghi mục [periods.{p}.new_deadlines], ví dụ \"1.1\" = "
                      "\"Quý I năm 2027\"",
    Gap.ADDRESSEE: "cơ quan nhận đề xuất: ghi chủ đề vào [report.proposal_addressees]",
    Gap.CAUSES: "nguyên nhân chủ quan: điền trong tệp Word",
    Gap.MERITS: "đánh giá ưu điểm: điền trong tệp Word",
    Gap.LIMITATIONS: "hạn chế, tồn tại: điền trong tệp Word",
    Gap.PROPOSALS: "đề xuất, kiến nghị của tỉnh: điền trong tệp Word",
}


def blank(gap: Gap) -> str:
    """A marked blank for the office: "(…… văn phòng bổ sung nguyên nhân chủ quan ……)"."""
    return f"(…… {gap} ……)"


class Block(NamedTuple):
    """One paragraph of the body; `kind` picks its style in the Word template (h1, h2, h3, p)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Facts:
    """Everything the sections read, gathered once per report."""

    period: Period
    plan: Plan                                      # the plan as it stands on the period's last day
    config: Config
    settings: PeriodSettings
    tasks: list[TaskLine]
    answers: list[AnswerLine]
    units: list[UnitLine]
    totals: dict[str, TotalLine]
    figures: dict[str, dict[str, float]]            # agency -> indicator -> value
    documents: list[tuple[str, str]]                # (agency, what it wrote beside the leadership indicator)
    previous: Previous | None
    given: frozenset[str]                           # indicators someone gave a figure for (Consolidation.given)

    # read inside the sections' loops: made once
    @cached_property
    def reported(self) -> list[UnitLine]:
        return [u for u in self.units if u.state in REPORTED_STATES]

    @cached_property
    def name(self) -> dict[str, str]:
        return {u.agency: u.name for u in self.units}

    @cached_property
    def line(self) -> dict[str, TaskLine]:
        return {t.task_id: t for t in self.tasks}

    @cached_property
    def by_task(self) -> dict[str, list[AnswerLine]]:
        out: dict[str, list[AnswerLine]] = {}
        for answer in self.answers:
            out.setdefault(answer.task_id, []).append(answer)
        return out

    @cached_property
    def not_started(self) -> frozenset[str]:
        """Agencies that said "Chưa thực hiện" of a task they lead: never held up as an example."""
        return frozenset(a.agency for a in self.answers if a.role is Role.LEAD and a.status == Status.NOT_STARTED)

    def given_total(self, code: str) -> float | None:
        """The province total of an indicator, None when nobody gave it (a total of nobody's figures is 0)."""
        return self.totals[code].total if code in self.given and code in self.totals else None

    def change(self, code: str) -> str | None:
        """"tăng 12,5% so với năm 2025", or None when there is nothing to compare with."""
        now, before = self.given_total(code), self.previous
        if now is None or before is None or code not in before.totals:
            return None
        return change_phrase(now, before.totals[code], self.totals[code].unit, before.period.label)

    def rate(self, indicator: Indicator) -> tuple[float, float] | None:
        """(part, whole) for an indicator that is a part of another ("đã xử lý" of "được phát hiện")."""
        part, whole = self.given_total(indicator.code), self.given_total(indicator.part_of) if indicator.part_of \
            else None
        return (part, whole) if part is not None and whole else None

    def figure(self, indicator: Indicator) -> str:
        """"1.234 tin, bài (tăng 12,5% so với năm 2025)": the province total, compared where it can be."""
        total = self.totals[indicator.code]
        notes = []
        rate = self.rate(indicator)
        if rate is not None:
            whole = next(i for i in self.plan.indicators if i.code == indicator.part_of)
            notes.append(f"bằng {percent_of(*rate)} số {lower_first(whole.name)}")
        change = self.change(indicator.code)
        if change:
            notes.append(change)
        return f"{format_number(total.total)} {total.unit}" + (f" ({'; '.join(notes)})" if notes else "")

    def task(self, task_id: str) -> Task:
        return self.plan.task_by_id[task_id]

    def task_sentence(self, task_id: str) -> str:
        return task_sentence(self.task(task_id), self.line[task_id], self.by_task.get(task_id, []))


def percent_of(part: float, whole: float) -> str:
    return f"{format_number(round(part / whole * 100, 1))}%"


def gather(data: Consolidation, config: Config) -> Facts:
    code = config.leadership_indicator
    return Facts(data.period, data.plan, config, config.period_settings(data.period), data.task_lines(),
                 data.answer_lines(), data.unit_lines(), {t.code: t for t in data.total_lines()},
                 data.current_figures(), data.notes_of(code) if code else [], data.previous, frozenset(data.given()))


def directive_name(config: Config) -> str:
    """The directive without what it is about: "Chỉ thị số … ngày … của Thủ tướng Chính phủ"."""
    return config.directive.split(" về ", 1)[0]


def area(config: Config) -> str:
    """"tỉnh X", from the issuer "Ủy ban nhân dân tỉnh X"; else the province as configured."""
    for prefix in ("Ủy ban nhân dân ", "UBND "):
        if config.issuer_name.startswith(prefix):
            return config.issuer_name[len(prefix):]
    return config.province


def introduction(facts: Facts) -> list[Block]:
    """The basis: the directive and the letter asking for the report, then "… báo cáo như sau:"."""
    config, period, request = facts.config, facts.period, facts.settings.request
    asked = request.cited() if request else blank(Gap.REQUEST)
    return [Block("p", f"Thực hiện {config.directive}; {asked}, {config.issuer_name} báo cáo kết quả thực hiện "
                       f"{period.label} (số liệu tính từ ngày {period.start:%d/%m/%Y} đến ngày "
                       f"{period.end:%d/%m/%Y}) như sau:")]


def _own_documents(facts: Facts) -> list[Block]:
    config = facts.config
    blocks = [Block("p", f"{config.plan_reference} về {lower_first(config.plan_title)} đã giao "
                         f"{len(facts.plan.everything.task_by_id)} nhiệm vụ cho các cơ quan, đơn vị, địa phương.")]
    if facts.settings.documents:
        said = "; ".join(d.rstrip(" .;") for d in facts.settings.documents)
        blocks.append(Block("p", f"Trong {facts.period.label}, {config.issuer_name} đã ban hành: {said}."))
    own = [note for agency, note in facts.documents if agency == config.coordinator]
    if own:
        who = facts.name.get(config.coordinator, facts.plan.name_of(config.coordinator))
        blocks.append(Block("p", f"{who} (cơ quan thường trực) đã ban hành: {sentence(own[0])}"))
    if not facts.settings.documents and not own:
        blocks.append(Block("p", f"Trong {facts.period.label}, {config.issuer_name} đã ban hành: "
                                 f"{blank(Gap.DOCUMENTS)}."))
    return blocks


def _tasks_phrase(plan: Plan, task_ids: list[str]) -> str:
    """"các nhiệm vụ 2.2 (hoàn thiện văn bản về báo chí), 2.4 (…)": numbers with their short names."""
    shown = [f"{t} ({lower_first(plan.task_by_id[t].name)})" if t in plan.task_by_id else t for t in task_ids]
    return f"{'các nhiệm vụ' if len(task_ids) > 1 else 'nhiệm vụ'} {', '.join(shown)}"


def _day(day: date) -> str:
    """"01/3/2025": the body's dates as the decree's examples write them (day with two digits, month without)."""
    return f"{day:%d}/{day.month}/{day.year}"


def _changes_in(plan: Plan, start: date, end: date) -> list[str]:
    """Clauses saying how the plan's assignments changed between two days (both included), from the lists: an
    ended agency's tasks and who took each over (the leads a dated row adds), a group that changed members."""
    full, clauses = plan.everything, []
    moved: dict[tuple[date, str], dict[tuple[str, ...], list[str]]] = {}
    for change in full.reassignments:
        begins, planned = change.valid.start, full.task_by_id[change.task].lead_codes
        heirs = tuple(code for code in change.lead_codes if code not in planned)
        if begins is None or not start <= begins <= end or not heirs:
            continue
        for code in planned:
            ended = full.agency_by_code.get(code)
            if ended is not None and ended.valid.end is not None and ended.valid.end < begins:
                moved.setdefault((begins, code), {}).setdefault(heirs, []).append(change.task)
    for (begins, code), by_heirs in sorted(moved.items()):
        ranked = sorted(by_heirs.items(), key=lambda item: -len(item[1]))
        parts = [f"{_tasks_phrase(full, ids)}{f' của {full.agency_by_code[code].name}' if n == 0 else ''} do "
                 f"{joined([plan.name_of(h) for h in heirs])} thực hiện" for n, (heirs, ids) in enumerate(ranked)]
        clauses.append(f"từ ngày {_day(begins)}, {', '.join(parts)}")
    for group in full.agency_groups:
        begins = group.valid.start
        before = next((g for g in full.agency_groups if g.code == group.code and g.valid.end is not None
                       and begins is not None and g.valid.end == begins - timedelta(days=1)), None)
        if before is not None and begins is not None and start <= begins <= end:
            clauses.append(f"từ ngày {_day(begins)}, nhiệm vụ của {before.name} do {group.name} thực hiện")
    return clauses


def _reorganization(facts: Facts) -> list[Block]:
    """One sentence on how the plan's assignments changed, only in the report where that is news: changes after
    the previous period's end, up to this period's end."""
    after = previous_of(facts.period).end + timedelta(days=1)
    clauses = _changes_in(facts.plan, after, facts.period.end)
    if not clauses:
        return []
    return [Block("p", f"Do sắp xếp tổ chức bộ máy, {'; '.join(clauses)}.")]


def _planning_tasks(facts: Facts) -> list[Block]:
    """The tasks of planning and following the plan (settings: [report] leadership_tasks), here, not in II."""
    tasks = [Block("p", facts.task_sentence(t)) for t in facts.config.leadership_tasks if t in facts.line]
    return [Block("p", "Việc xây dựng, hướng dẫn và theo dõi thực hiện kế hoạch:"), *tasks] if tasks else []


def _directing_documents(facts: Facts) -> list[Block]:
    code = facts.config.leadership_indicator
    indicator = next((i for i in facts.plan.indicators if i.code == code), None)
    if indicator is None or facts.given_total(code) is None or not facts.reported:
        return []
    issued = [u for u in facts.reported if facts.figures.get(u.agency, {}).get(code, 0) > 0]
    share = percent(len(issued), len(facts.reported))
    who = (f"Tất cả {len(issued)} cơ quan, đơn vị, địa phương gửi báo cáo đều đã ban hành"
           if len(issued) == len(facts.reported) > 1 else
           f"{len(issued)}/{len(facts.reported)} cơ quan, đơn vị, địa phương gửi báo cáo ({share}) đã ban hành")
    return [Block("p", f"{who} kế hoạch, văn bản chỉ đạo, hướng dẫn về công tác này, tổng số "
                       f"{facts.figure(indicator)}.")]


def _reporting(facts: Facts) -> list[Block]:
    """Who reported, named where they did not: "Sở Xây dựng gửi báo cáo chưa đạt yêu cầu, chưa gửi lại; …"."""
    of = {state: [u.name for u in facts.units if u.state is state] for state in SubmissionState}
    late = f" ({names(of[SubmissionState.LATE])} gửi muộn so với thời hạn)" if of[SubmissionState.LATE] else ""
    parts = [f"{len(facts.reported)}/{len(facts.units)} cơ quan, đơn vị, địa phương đã gửi báo cáo đạt yêu cầu{late}"]
    if of[SubmissionState.REJECTED]:
        parts.append(f"{names(of[SubmissionState.REJECTED])} gửi báo cáo chưa đạt yêu cầu, chưa gửi lại")
    if of[SubmissionState.MISSING]:
        parts.append(f"{names(of[SubmissionState.MISSING])} chưa gửi báo cáo")
    deadline = facts.settings.deadline
    return [Block("p", f"Về chế độ báo cáo (hạn gửi ngày {deadline:%d/%m/%Y}): {'; '.join(parts)}.")]


def leadership(facts: Facts) -> list[Block]:
    return [Block("h1", "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN"), *_own_documents(facts),
            *_reorganization(facts), *_directing_documents(facts), *_planning_tasks(facts), *_reporting(facts)]


def blanks(blocks: list[Block]) -> list[Gap]:
    """What the office must still write in the body, in order, each once."""
    found = (m.group(1) for b in blocks for m in BLANK_MARK.finditer(b.text))
    return list(dict.fromkeys(Gap(text) for text in found if text in Gap._value2member_map_))

