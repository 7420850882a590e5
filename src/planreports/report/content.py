"""What the report says, section by section: pure functions from the consolidation to blocks of text.

Sections follow the usual outline of an implementation report (báo cáo kết quả thực hiện):
I. leadership and direction; II. results by the plan's task groups; III. overall assessment;
IV. directions for the next period; V. proposals. Wording is Vietnamese administrative prose; figures use
Vietnamese number format; agency names are the registry's. Every sentence comes from the plan, the settings
or the submissions. Which indicator and which tasks speak of directing documents is data in planreports.toml
([report] leadership_indicator, leadership_tasks), not code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from planreports.config import Config
from planreports.consolidation.frames import Consolidation
from planreports.consolidation.records import AnswerLine, TaskLine, TotalLine, UnitLine
from planreports.plan.model import Plan, Role
from planreports.plan.periods import Period
from planreports.progress.rules import FINISHED, REPORTED_STATES, Overall, SubmissionState
from planreports.vn.numerals import format_number
from planreports.vn.text import fold


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
    leadership_notes: list[tuple[str, str]]    # (agency name, note) beside the leadership indicator
    leadership_reported: bool                  # some agency gave a figure for that indicator

    def figure(self, code: str) -> str:
        total = self.totals[code]
        return f"{format_number(total.total)} {total.unit}"


def gather(data: Consolidation, config: Config) -> Facts:
    code = config.leadership_indicator
    names = {u.agency: u.name for u in data.unit_lines()}
    notes = [(names.get(agency, agency), note) for agency, note in data.notes_of(code)] if code else []
    reported = bool(code) and bool((data.figures["code"] == code).any())
    return Facts(data.period, data.plan, config, data.task_lines(), data.answer_lines(), data.unit_lines(),
                 {t.code: t for t in data.total_lines()}, notes, reported)


def grouped(answers: Iterable[AnswerLine], text_of: Callable[[AnswerLine], str]) -> list[tuple[str, list[str]]]:
    """Identical texts (ignoring case, spacing, diacritics, final full stop) merged, with the agencies that
    wrote them, in first-seen order. Each distinct text is folded once."""
    keys: dict[str, str] = {}
    groups: dict[str, tuple[str, list[str]]] = {}
    for answer in answers:
        text = text_of(answer)
        if not text:
            continue
        key = keys.get(text)
        if key is None:
            key = keys[text] = fold(text).rstrip(" .;")
        if key in groups:
            groups[key][1].append(answer.agency_name)
        else:
            groups[key] = (text.strip().rstrip(" ;"), [answer.agency_name])
    return list(groups.values())


def sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", ":", ";")) else text + "."


def _lower_first(text: str) -> str:
    return text[0].lower() + text[1:] if text else ""


def introduction(facts: Facts) -> list[Block]:
    reported = sum(1 for u in facts.units if u.state in REPORTED_STATES)
    config, period = facts.config, facts.period
    return [Block("p", f"Thực hiện {config.plan_reference} về {_lower_first(config.plan_title)}, trên cơ sở báo cáo "
                       f"của {reported}/{len(facts.units)} cơ quan, đơn vị, địa phương, {config.issuer_name} báo cáo "
                       f"kết quả thực hiện {period.label} (số liệu tính {period.span}) như sau:")]


def leadership(facts: Facts) -> list[Block]:
    blocks = []
    if facts.leadership_reported:
        blocks.append(Block("p", f"Trong kỳ, các cơ quan, đơn vị, địa phương đã ban hành "
                                 f"{facts.figure(facts.config.leadership_indicator)} chỉ đạo, hướng dẫn, kế hoạch về "
                                 f"công tác truyền thông chính sách."))
    blocks += [Block("p", f"- {name}: {sentence(note)}") for name, note in facts.leadership_notes]
    planning = [a for a in facts.answers if a.task_id in facts.config.leadership_tasks and a.role is Role.LEAD]
    blocks += [Block("p", f"- {', '.join(names)}: {sentence(text)}") for text, names in grouped(planning, _result)]
    if not blocks:
        blocks.append(Block("p", "Chưa có cơ quan, đơn vị nào báo cáo văn bản chỉ đạo, kế hoạch đã ban hành trong "
                                 "kỳ."))
    return [Block("h1", "I. CÔNG TÁC LÃNH ĐẠO, CHỈ ĐẠO, TRIỂN KHAI THỰC HIỆN"), *blocks]


def _result(answer: AnswerLine) -> str:
    return answer.result


def _figure_sentence(facts: Facts, group_id: str) -> list[Block]:
    parts = [f"{i.name.lower()}: {facts.figure(i.code)}" for i in facts.plan.indicators
             if group_id in i.groups and facts.totals[i.code].total > 0]
    return [Block("p", "Kết quả cụ thể: " + "; ".join(parts) + ".")] if parts else []


def task_result(task: TaskLine, answers: list[AnswerLine]) -> list[Block]:
    leads = [a for a in answers if a.role is Role.LEAD]
    reported = [a for a in leads if a.status != ""]
    status = f"Chủ trì: {task.lead or ', '.join(a.agency_name for a in leads)}. Thời hạn: {task.deadline}. "
    if leads:
        status += (f"Đánh giá chung: {task.overall_label.lower()} ({len(reported)}/{len(leads)} đơn vị chủ trì đã "
                   f"báo cáo; {task.done} hoàn thành, {task.ongoing} đang thực hiện, {task.not_started} chưa thực "
                   f"hiện).")
    blocks = [Block("h3", f"Nhiệm vụ {task.task_id}. {task.text}"), Block("p", status)]
    blocks += [Block("p", f"- {', '.join(names)}: {sentence(text)}") for text, names in grouped(leads, _result)]
    support = [a for a in answers if a.role is not Role.LEAD]
    blocks += [Block("p", f"- {', '.join(names)} (phối hợp): {sentence(text)}")
               for text, names in grouped(support, _result)]
    return blocks


def results(facts: Facts) -> list[Block]:
    by_task: dict[str, list[AnswerLine]] = {}
    for answer in facts.answers:
        by_task.setdefault(answer.task_id, []).append(answer)
    lines = {t.task_id: t for t in facts.tasks}
    blocks = [Block("h1", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ")]
    for number, group in enumerate(facts.plan.task_groups, start=1):
        blocks.append(Block("h2", f"{number}. {group.title}"))
        for task in (t for t in facts.plan.tasks if t.group == group.id):
            blocks += task_result(lines[task.id], by_task.get(task.id, []))
        blocks += _figure_sentence(facts, group.id)
    return blocks


def _names(units: list[UnitLine]) -> str:
    return ", ".join(u.name for u in units)


def _strengths(facts: Facts) -> list[Block]:
    done = sum(1 for t in facts.tasks if t.overall in FINISHED)
    ongoing = sum(1 for t in facts.tasks if t.overall is Overall.IN_PROGRESS)
    blocks = [Block("h2", "1. Ưu điểm"),
              Block("p", f"Các cơ quan, đơn vị, địa phương cơ bản quan tâm triển khai các nhiệm vụ được giao tại "
                         f"{facts.config.plan_short}. Trong {len(facts.tasks)} nhiệm vụ của Kế hoạch, {done} nhiệm vụ "
                         f"đã hoàn thành, {ongoing} nhiệm vụ đang thực hiện.")]
    highlights = [f"{i.name.lower()}: {facts.figure(i.code)}" for i in facts.plan.indicators
                  if facts.totals[i.code].total > 0]
    if highlights:
        blocks.append(Block("p", "Một số kết quả nổi bật: " + "; ".join(highlights) + "."))
    return blocks


def _weaknesses(facts: Facts) -> list[Block]:
    blocks = [Block("h2", "2. Tồn tại, hạn chế và nguyên nhân")]
    overdue = [t.task_id for t in facts.tasks if t.overall is Overall.OVERDUE]
    if overdue:
        blocks.append(Block("p", f"- Còn {len(overdue)} nhiệm vụ chưa hoàn thành dù đã đến hạn: {', '.join(overdue)}."))
    missing = [u for u in facts.units if u.state in (SubmissionState.MISSING, SubmissionState.REJECTED)]
    late = [u for u in facts.units if u.state is SubmissionState.LATE]
    if missing:
        blocks.append(Block("p", f"- Còn {len(missing)} cơ quan, đơn vị chưa gửi báo cáo hoặc báo cáo chưa đạt yêu "
                                 f"cầu: {_names(missing)}."))
    if late:
        blocks.append(Block("p", f"- {len(late)} cơ quan, đơn vị gửi báo cáo chậm so với thời hạn: {_names(late)}."))
    difficulties = grouped(facts.answers, lambda a: a.difficulty)
    if difficulties:
        blocks.append(Block("p", "- Khó khăn, vướng mắc do các cơ quan, đơn vị phản ánh:"))
        blocks += [Block("p", f"+ {sentence(text)} ({', '.join(dict.fromkeys(names))})")
                   for text, names in difficulties]
    if len(blocks) == 1:
        blocks.append(Block("p", "Không có cơ quan, đơn vị nào phản ánh khó khăn, vướng mắc."))
    return blocks


def assessment(facts: Facts) -> list[Block]:
    return [Block("h1", "III. ĐÁNH GIÁ CHUNG"), *_strengths(facts), *_weaknesses(facts)]


def next_period(facts: Facts) -> list[Block]:
    recurring = [t.id for t in facts.plan.tasks if t.deadline.recurring]
    pending = [t for t in facts.tasks if t.overall not in (*FINISHED, Overall.NOT_APPLICABLE)
               and not facts.plan.task_by_id[t.task_id].deadline.recurring]
    blocks = [Block("h1", "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI")]
    blocks += [Block("p", f"- Khẩn trương hoàn thành nhiệm vụ {t.task_id} ({t.overall_label.lower()}; chủ trì: "
                          f"{t.lead}; thời hạn: {t.deadline}).") for t in pending]
    if recurring:
        blocks.append(Block("p", f"- Tiếp tục thực hiện thường xuyên, hằng năm các nhiệm vụ {', '.join(recurring)} "
                                 f"của Kế hoạch; nâng cao chất lượng, hiệu quả công tác truyền thông chính sách."))
    blocks.append(Block("p", "- Các cơ quan, đơn vị, địa phương gửi báo cáo đầy đủ, đúng thời hạn, đúng biểu mẫu."))
    return blocks


def proposals(facts: Facts) -> list[Block]:
    grouped_proposals = grouped(facts.answers, lambda a: a.proposal)
    blocks = [Block("h1", "V. ĐỀ XUẤT, KIẾN NGHỊ")]
    if not grouped_proposals:
        blocks.append(Block("p", "Không có đề xuất, kiến nghị."))
    blocks += [Block("p", f"- {sentence(text)} ({', '.join(dict.fromkeys(names))})")
               for text, names in grouped_proposals]
    blocks.append(Block("p", f"Trên đây là báo cáo kết quả thực hiện {facts.config.plan_short} {facts.period.label} "
                             f"của {facts.config.issuer_name}./."))
    return blocks


SECTIONS = (introduction, leadership, results, assessment, next_period, proposals)


def body(facts: Facts) -> list[Block]:
    return [block for section in SECTIONS for block in section(facts)]
