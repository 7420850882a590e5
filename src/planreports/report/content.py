"""What the report says: one pure function per section, from the consolidation to blocks of text.

The body summarises — totals, rates, a few named examples chosen by the data, the units lagging behind — and
stays the same length whatever the number of agencies; the detail (every unit's results, figures, documents,
submissions) is in the appendices it refers to. Sections follow the outline of an implementation report:
I. leadership and direction; II. results by task group (results.py); III. assessment; IV. directions for the
next period; V. proposals. Every sentence comes from the plan, the settings or the submissions; where the
data says nothing, a marked blank is left for the office.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from planreports.config import Config
from planreports.consolidation.compare import Previous, change_phrase
from planreports.consolidation.frames import Consolidation
from planreports.consolidation.records import AnswerLine, TaskLine, TotalLine, UnitLine
from planreports.plan.model import Plan, Role
from planreports.plan.periods import Period, parse_period
from planreports.progress.rules import FINISHED, OVERALL_LABELS, REPORTED_STATES, Overall, SubmissionState
from planreports.report.wording import by_theme, grouped, lower_first, names, percent, sentence
from planreports.vn.numerals import format_number

BLANK = "(…… văn phòng bổ sung ……)"     # where the data says nothing the office must say something
PROPOSALS_SHOWN = 8


class Block(NamedTuple):
    """One paragraph of the body; `kind` picks its style in the Word template (h1, h2, h3, p)."""

    kind: str
    text: str


@dataclass(frozen=True)
class Facts:
    """Everything the sections read, gathered once per report."""

    period: Period
    plan: Plan
    config: Config
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

    def figure(self, code: str) -> str:
        """"1.234 tin, bài (tăng 12,5% so với năm 2025)": the province total, compared where it can be."""
        total = self.totals[code]
        text = f"{format_number(total.total)} {total.unit}"
        before = self.previous
        if before is not None and code in before.totals and code in self.given:   # not from nobody's figure
            text += f" ({change_phrase(total.total, before.totals[code], total.unit, before.period.label)})"
        return text


def since(task: TaskLine) -> str:
    """"từ năm 2024": since when an overdue task is overdue."""
    return f"từ {parse_period(task.overdue_since).label}" if task.overdue_since else "trong kỳ"


def state(task: TaskLine) -> str:
    """A task's overall status in running text: "quá hạn chưa hoàn thành từ năm 2024", "đang thực hiện…"."""
    if task.overall is Overall.OVERDUE:
        return f"quá hạn chưa hoàn thành {since(task)}"
    return lower_first(OVERALL_LABELS[task.overall])


def gather(data: Consolidation, config: Config) -> Facts:
    code = config.leadership_indicator
    return Facts(data.period, data.plan, config, data.task_lines(), data.answer_lines(), data.unit_lines(),
                 {t.code: t for t in data.total_lines()}, data.current_figures(),
                 data.notes_of(code) if code else [], data.previous, frozenset(data.given()))


def introduction(facts: Facts) -> list[Block]:
    config, period, units = facts.config, facts.period, facts.units
    on_time = sum(1 for u in units if u.state is SubmissionState.ON_TIME)
    late = sum(1 for u in units if u.state is SubmissionState.LATE)
    missing = len(units) - on_time - late
    return [Block("p", f"Thực hiện {config.plan_reference} về {lower_first(config.plan_title)}, {config.issuer_name} "
                       f"báo cáo kết quả thực hiện {period.label} (số liệu tính {period.span}) như sau. Trong kỳ có "
                       f"{len(units)} cơ quan, đơn vị, địa phương có trách nhiệm báo cáo: {on_time} đơn vị gửi báo "
                       f"cáo đúng hạn, {late} đơn vị gửi muộn, {missing} đơn vị chưa gửi hoặc báo cáo chưa đạt yêu "
                       f"cầu (chi tiết tại Phụ lục III).")]


def leadership(facts: Facts) -> list[Block]:
    blocks = [Block("h1", "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN")]
    code = facts.config.leadership_indicator
    if code and code in facts.totals:
        issued = [u for u in facts.reported if facts.figures.get(u.agency, {}).get(code, 0) > 0]
        blocks.append(Block("p", f"{len(issued)}/{len(facts.reported)} cơ quan, đơn vị, địa phương gửi báo cáo "
                                 f"đã ban hành kế hoạch, văn bản chỉ đạo, hướng dẫn về công tác truyền thông chính "
                                 f"sách ({percent(len(issued), len(facts.reported))}), tổng số {facts.figure(code)} "
                                 f"(danh mục tại Phụ lục V)."))
    own = [note for agency, note in facts.documents if agency == facts.config.coordinator]
    if own:
        blocks.append(Block("p", f"{facts.name.get(facts.config.coordinator, facts.config.coordinator)} (cơ quan "
                                 f"đầu mối) đã ban hành: {sentence(own[0])}"))
    planning = [a for a in facts.answers if a.task_id in facts.config.leadership_tasks and a.role is Role.LEAD
                and a.result]
    if planning:
        tasks = ", ".join(sorted({a.task_id for a in planning}))
        blocks.append(Block("p", f"Thực hiện nhiệm vụ {tasks} của Kế hoạch, {len({a.agency for a in planning})} "
                                 f"cơ quan, đơn vị chủ trì đã báo cáo kết quả xây dựng kế hoạch, chương trình "
                                 f"truyền thông chính sách (chi tiết tại Phụ lục IV)."))
    if len(blocks) == 1:
        blocks.append(Block("p", "Chưa có cơ quan, đơn vị nào báo cáo văn bản chỉ đạo, kế hoạch đã ban hành trong "
                                 "kỳ."))
    return blocks


def _strengths(facts: Facts) -> list[Block]:
    finished = sum(1 for t in facts.tasks if t.overall in FINISHED)
    ongoing = sum(1 for t in facts.tasks if t.overall is Overall.IN_PROGRESS)
    tasks, reported, units = len(facts.tasks), len(facts.reported), len(facts.units)
    text = (f"{finished}/{tasks} nhiệm vụ của Kế hoạch đã hoàn thành ({percent(finished, tasks)}), {ongoing} nhiệm "
            f"vụ đang thực hiện trong hạn; {reported}/{units} cơ quan, đơn vị, địa phương đã gửi báo cáo "
            f"({percent(reported, units)}).")
    blocks = [Block("h2", "1. Ưu điểm"), Block("p", text)]
    highlights = [f"{i.name.lower()}: {facts.figure(i.code)}" for i in facts.plan.indicators
                  if facts.totals[i.code].total > 0]
    if highlights:
        blocks.append(Block("p", "Kết quả nổi bật: " + "; ".join(highlights) + "."))
    return blocks


def _weaknesses(facts: Facts, themes: list[tuple[str, int, str]]) -> list[Block]:
    blocks = [Block("h2", "2. Hạn chế, tồn tại")]
    overdue = [t for t in facts.tasks if t.overall is Overall.OVERDUE]
    if overdue:
        listed = ", ".join(f"{t.task_id} ({since(t)})" for t in overdue)
        blocks.append(Block("p", f"- Còn {len(overdue)} nhiệm vụ quá hạn chưa hoàn thành: {listed}."))
    late = [u.name for u in facts.units if u.state is SubmissionState.LATE]
    missing = [u.name for u in facts.units if u.state in (SubmissionState.MISSING, SubmissionState.REJECTED)]
    if missing:
        blocks.append(Block("p", f"- {len(missing)} cơ quan, đơn vị chưa gửi báo cáo hoặc báo cáo chưa đạt yêu cầu: "
                                 f"{names(missing)}."))
    if late:
        blocks.append(Block("p", f"- {len(late)} cơ quan, đơn vị gửi báo cáo chậm so với thời hạn: {names(late)}."))
    for theme, count, example in themes:
        blocks.append(Block("p", f"- {theme}: {count} cơ quan, đơn vị phản ánh khó khăn, vướng mắc (ví dụ: "
                                 f"“{sentence(example).rstrip('.')}”)."))
    if len(blocks) == 1:
        blocks.append(Block("p", "Không có nhiệm vụ quá hạn; các cơ quan, đơn vị không phản ánh khó khăn, vướng mắc."))
    return blocks


def _causes(themes: list[tuple[str, int, str]]) -> list[Block]:
    said = "; ".join(f"{theme.lower()} ({count} đơn vị)" for theme, count, _ in themes)
    text = (f"Theo phản ánh của các cơ quan, đơn vị, khó khăn chủ yếu về: {said}. " if themes else
            "Các cơ quan, đơn vị không phản ánh nguyên nhân của hạn chế. ")
    return [Block("h2", "3. Nguyên nhân"), Block("p", text + f"Nguyên nhân chủ quan, khách quan khác: {BLANK}")]


def assessment(facts: Facts) -> list[Block]:
    themes = by_theme((a.agency, a.difficulty) for a in facts.answers if a.difficulty)
    return [Block("h1", "III. ĐÁNH GIÁ CHUNG"), *_strengths(facts), *_weaknesses(facts, themes), *_causes(themes)]


def next_period(facts: Facts) -> list[Block]:
    recurring = [t.id for t in facts.plan.tasks if t.deadline.recurring]
    lines = {t.task_id: t for t in facts.tasks}
    open_tasks = [lines[t.id] for t in facts.plan.tasks if not t.deadline.recurring
                  and lines[t.id].overall not in (*FINISHED, Overall.NOT_APPLICABLE)]
    blocks = [Block("h1", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")]
    blocks += [Block("p", f"- Hoàn thành nhiệm vụ {t.task_id}, {state(t)}; chủ trì: {t.lead}; thời hạn: "
                          f"{t.deadline}.") for t in open_tasks]
    if recurring:
        blocks.append(Block("p", f"- Tiếp tục thực hiện các nhiệm vụ thường xuyên, hằng năm: {', '.join(recurring)}."))
    blocks.append(Block("p", "- Các cơ quan, đơn vị, địa phương gửi báo cáo đầy đủ, đúng thời hạn, đúng biểu mẫu."))
    return blocks


def proposals(facts: Facts) -> list[Block]:
    grouped_proposals = grouped((a for a in facts.answers if a.proposal), lambda a: a.proposal, lambda a: a.agency)
    blocks = [Block("h1", "V. ĐỀ XUẤT, KIẾN NGHỊ")]
    if not grouped_proposals:
        blocks.append(Block("p", f"Các cơ quan, đơn vị không có đề xuất, kiến nghị. Đề xuất của cơ quan đầu mối: "
                                 f"{BLANK}"))
    blocks += [Block("p", f"- {sentence(text).rstrip('.')} ({len(who)} đơn vị đề xuất).")
               for text, who in grouped_proposals[:PROPOSALS_SHOWN]]
    rest = grouped_proposals[PROPOSALS_SHOWN:]
    if rest:
        blocks.append(Block("p", f"- Và {len(rest)} đề xuất khác của {len({w for _, who in rest for w in who})} đơn "
                                 f"vị (chi tiết tại Phụ lục IV)."))
    blocks.append(Block("p", f"Trên đây là báo cáo kết quả thực hiện {facts.config.plan_short} {facts.period.label} "
                             f"của {facts.config.issuer_name}./."))
    return blocks
