"""Section II of the report: the results of each group of the plan's tasks, summarised.

Per group: its tasks and their overall status; for a task led by many units the rate of those that finished
it and the units not started named; for a task led by one named agency that agency's own result, cut to its
first sentences; the province totals of the group's figures (which figure belongs to which group is data:
chi-tieu.xlsx, column "Nhóm nhiệm vụ"), compared with the previous period where it can be; at most three
units named as examples, chosen by the group's main figure or, without one, by the most detailed results.
Tasks done in an earlier period are listed together once.
"""

from __future__ import annotations

from planreports.consolidation.records import AnswerLine, TaskLine
from planreports.plan.model import Indicator, Role, Status, TaskGroup
from planreports.plan.periods import parse_period
from planreports.progress.rules import Overall
from planreports.report.content import Block, Facts, state
from planreports.report.wording import first_sentences, first_words, names, rate
from planreports.vn.numerals import format_number

EXAMPLES = 3


def _earlier(facts: Facts) -> list[Block]:
    """Tasks done in an earlier period, in one sentence."""
    by_period: dict[str, list[str]] = {}
    for task in facts.tasks:
        if task.done_in is not None and task.done_in != facts.period.id:
            by_period.setdefault(task.done_in, []).append(task.task_id)
    if not by_period:
        return []
    said = "; ".join(f"{', '.join(ids)} ({parse_period(p).label})" for p, ids in sorted(by_period.items()))
    return [Block("p", f"Các nhiệm vụ đã hoàn thành trong các kỳ trước, không phải báo cáo lại: {said} (chi tiết "
                       f"tại Phụ lục I).")]


def _many_leads(task: TaskLine, leads: list[AnswerLine]) -> str:
    finished = rate(task.done, task.leads, "đơn vị chủ trì đã hoàn thành")
    parts = [finished]
    if task.ongoing:
        parts.append(f"{task.ongoing} đơn vị đang thực hiện")
    not_started = [a.agency_name for a in leads if a.status == Status.NOT_STARTED]
    if not_started:
        parts.append(f"{len(not_started)} đơn vị chưa thực hiện ({names(not_started)})")
    if task.no_report:
        parts.append(f"{task.no_report} đơn vị chưa báo cáo")
    return "; ".join(parts)


def _task(task: TaskLine, answers: list[AnswerLine]) -> str:
    head = f"Nhiệm vụ {task.task_id} ({first_words(task.text)}): {state(task)}"
    leads = [a for a in answers if a.role is Role.LEAD]
    if task.leads > 1:
        return f"- {head}; {_many_leads(task, leads)}."
    said = next((a for a in leads if a.result), None)
    if said is None:
        return f"- {head} ({task.lead}{', chưa báo cáo kết quả' if task.overall is Overall.NO_REPORT else ''})."
    return f"- {head}. {said.agency_name}: {first_sentences(said.result)}"


def _main_indicator(facts: Facts, group: TaskGroup) -> Indicator | None:
    return next((i for i in facts.plan.indicators if group.id in i.groups and facts.totals[i.code].total > 0), None)


def _examples(facts: Facts, group: TaskGroup, answers: list[AnswerLine]) -> list[Block]:
    indicator = _main_indicator(facts, group)
    if indicator is not None:
        ranked = sorted(((values.get(indicator.code, 0.0), agency) for agency, values in facts.figures.items()
                         if values.get(indicator.code, 0.0) > 0), key=lambda pair: (-pair[0], pair[1]))
        named = [f"{facts.name.get(a, a)} ({format_number(v)} {indicator.unit})" for v, a in ranked[:EXAMPLES]]
        what = f"có {indicator.name.lower()} nhiều nhất"
    else:
        detailed = sorted((a for a in answers if a.role is Role.LEAD and a.result),
                          key=lambda a: (-len(a.result), a.agency_name))
        named = list(dict.fromkeys(a.agency_name for a in detailed))[:EXAMPLES]
        what = "báo cáo kết quả cụ thể, chi tiết"
    if len(facts.figures) <= EXAMPLES or not named:   # naming "the best" among three units says nothing
        return []
    return [Block("p", f"Một số đơn vị {what}: {', '.join(named)}.")]


def _figures(facts: Facts, group: TaskGroup) -> list[Block]:
    parts = [f"{i.name.lower()}: {facts.figure(i.code)}" for i in facts.plan.indicators
             if group.id in i.groups and facts.totals[i.code].total > 0]
    return [Block("p", "Kết quả cụ thể: " + "; ".join(parts) + ".")] if parts else []


def _group(facts: Facts, number: int, group: TaskGroup, by_task: dict[str, list[AnswerLine]]) -> list[Block]:
    lines = {t.task_id: t for t in facts.tasks}
    tasks = [lines[t.id] for t in facts.plan.tasks if t.group == group.id and t.id in lines
             and (lines[t.id].done_in in (None, facts.period.id))]
    blocks = [Block("h2", f"{number}. {group.title}")]
    blocks += [Block("p", _task(task, by_task.get(task.task_id, []))) for task in tasks]
    answers = [a for task in tasks for a in by_task.get(task.task_id, [])]
    blocks += _figures(facts, group) + _examples(facts, group, answers)
    return blocks if len(blocks) > 1 else [*blocks, Block("p", "Các nhiệm vụ của nhóm đã hoàn thành trong các kỳ "
                                                                "trước.")]


def results(facts: Facts) -> list[Block]:
    by_task: dict[str, list[AnswerLine]] = {}
    for answer in facts.answers:
        by_task.setdefault(answer.task_id, []).append(answer)
    blocks = [Block("h1", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ"), *_earlier(facts)]
    for number, group in enumerate(facts.plan.task_groups, start=1):
        blocks += _group(facts, number, group, by_task)
    blocks.append(Block("p", "Kết quả của từng cơ quan, đơn vị đối với từng nhiệm vụ tại Phụ lục IV; số liệu của "
                             "từng cơ quan, đơn vị tại Phụ lục II."))
    return blocks
