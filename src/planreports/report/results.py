"""Section II of the report: the results of each group of the plan's tasks, summarised.

Per group: each task with its short name and its state (the planning tasks are in section I); the province
totals of the group's figures — each figure once, in the first group that claims it (chi-tieu.xlsx, column
"Nhóm nhiệm vụ") — compared with the previous period where it can be; and a unit named only where the data sets
it clearly apart (standouts). Tasks done in an earlier period are listed together once.
"""

from __future__ import annotations

import statistics

from planreports.plan.model import Indicator, TaskGroup
from planreports.plan.periods import parse_period
from planreports.report.content import Block, Facts
from planreports.report.tasks import cite
from planreports.report.wording import joined, lower_first, names
from planreports.vn.numerals import format_number

MIN_UNITS = 5           # fewer units than this: nobody is singled out
LEAD_OVER_NEXT = 1.5    # a unit named is ahead of the next by at least this factor ...
LEAD_OVER_MEDIAN = 2.0  # ... and of the typical unit by this one


def standouts(values: dict[str, float], excluded: frozenset[str] = frozenset()) -> list[str]:
    """The one unit the data sets clearly apart on one figure: a strict leader, ahead of the next unit by
    LEAD_OVER_NEXT and of the median by LEAD_OVER_MEDIAN. A tie at the top, two close leaders (a ranking), or a
    crowd at 2 to 4 names nobody; a unit in `excluded` (it did not start a task it leads) is never held up."""
    ranked = sorted(values.items(), key=lambda pair: (-pair[1], pair[0]))
    if len(ranked) < MIN_UNITS:
        return []
    (leader, top), (_, second) = ranked[0], ranked[1]
    median = statistics.median(v for _, v in ranked)
    clear = top > second and top >= LEAD_OVER_NEXT * second and top >= LEAD_OVER_MEDIAN * median
    return [leader] if clear and leader not in excluded else []


def _earlier(facts: Facts) -> list[Block]:
    """Tasks done in an earlier period, in one sentence."""
    by_period: dict[str, list[str]] = {}
    for task in facts.tasks:
        if task.done_in is not None and task.done_in != facts.period.id:
            by_period.setdefault(task.done_in, []).append(cite(facts.task(task.task_id)))
    if not by_period:
        return []
    said = "; ".join(f"{joined(cited)} hoàn thành {parse_period(p).label}" for p, cited in
                     sorted(by_period.items()))
    return [Block("p", f"Các nhiệm vụ đã hoàn thành trong các kỳ trước: {said}.")]


def _figures(facts: Facts, indicators: list[Indicator]) -> list[Block]:
    parts = [f"{lower_first(i.name)}: {facts.figure(i)}" for i in indicators]
    return [Block("p", "Kết quả cụ thể: " + "; ".join(parts) + ".")] if parts else []


def _standout_sentences(facts: Facts, indicators: list[Indicator]) -> list[Block]:
    blocks = []
    for indicator in indicators:
        values = {agency: figures[indicator.code] for agency, figures in facts.figures.items()
                  if indicator.code in figures}
        named = standouts(values, facts.not_started)
        if named:
            shown = [f"{facts.name.get(a, a)} ({format_number(values[a])} {indicator.unit})" for a in named]
            blocks.append(Block("p", f"Đơn vị có {lower_first(indicator.name)} nhiều nhất: {names(shown)}."))
    return blocks


def _claimed(facts: Facts) -> dict[str, list[Indicator]]:
    """Group id -> the indicators stated in it: each in the first group of its list, the documents indicator in
    section I, and only indicators someone gave a figure for."""
    out: dict[str, list[Indicator]] = {}
    order = [g.id for g in facts.plan.task_groups]
    for indicator in facts.plan.indicators:
        groups = [g for g in order if g in indicator.groups]
        if groups and indicator.code != facts.config.leadership_indicator and facts.given_total(indicator.code):
            out.setdefault(groups[0], []).append(indicator)
    return out


def _group(facts: Facts, number: int, group: TaskGroup, indicators: list[Indicator]) -> list[Block]:
    task_ids = [t.id for t in facts.plan.tasks if t.group == group.id and t.id in facts.line
                and facts.line[t.id].done_in in (None, facts.period.id)
                and t.id not in facts.config.leadership_tasks]
    blocks = [Block("h2", f"{number}. {group.title}")]
    blocks += [Block("p", facts.task_sentence(t)) for t in task_ids]
    blocks += _figures(facts, indicators) + _standout_sentences(facts, indicators)
    if len(blocks) == 1:
        return []
    return blocks


def results(facts: Facts) -> list[Block]:
    intro = ("Tình hình thực hiện từng nhiệm vụ của Kế hoạch chi tiết tại Phụ lục I; số liệu kết quả theo từng "
             "khối cơ quan, đơn vị tại Phụ lục II kèm theo.")
    before = facts.previous
    if before is not None and before.new_units:
        intro += (f" Số liệu {facts.period.label} không so sánh với {before.period.label} do phạm vi báo cáo thay "
                  f"đổi: {len(before.new_units)} cơ quan, đơn vị, địa phương không có đơn vị tiền thân trong danh "
                  f"mục {before.period.label}.")
    blocks = [Block("h1", "II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ"), Block("p", intro), *_earlier(facts)]
    claimed, number = _claimed(facts), 0
    for group in facts.plan.task_groups:
        section = _group(facts, number + 1, group, claimed.get(group.id, []))
        if section:
            number += 1
            blocks += section
    return blocks
