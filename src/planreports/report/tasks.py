"""One task in the report's words: its number with its short name, its state, and what its lead agencies did.

A task is cited as "nhiệm vụ 2.2 (Hoàn thiện văn bản về báo chí, truyền thông)" — the short name from the lists
("Tên ngắn"), never a title cut mid-word. A recurring task is "đã thực hiện trong năm" or "đang thực hiện",
never "đúng hạn" or "trong hạn": it has no due point. A task led by many units gives the share that finished it
and names those not started; one led by a few names each lead's answer; one led by a single agency gives its own
result.
"""

from __future__ import annotations

from planreports.consolidation.records import AnswerLine, TaskLine
from planreports.plan.model import Role, Status, Task
from planreports.progress.rules import Overall
from planreports.report.wording import NAMES_SHOWN, compact, first_sentences, lower_first, names, percent, upper_first

FEW_LEADS = 3           # up to this many lead agencies are named with their answers, not counted


def cite(task: Task, note: str = "") -> str:
    """"nhiệm vụ 2.2 (Hoàn thiện văn bản về báo chí, truyền thông)"; the text itself when no short name is given.
    A note goes inside the same brackets ("…; chủ trì: Sở Tư pháp"), never in a second pair after them."""
    return f"nhiệm vụ {task.id} ({task.name.rstrip('.')}{'; ' + note if note else ''})"


def lead_phrase(lead: str) -> str:
    """A lead inside a sentence: a name keeps its capital ("Sở Tư pháp"), a group does not ("các sở, ban, ngành")."""
    return lead[0].lower() + lead[1:] if lead.startswith("Các ") else lead


def deadline_note(task: TaskLine) -> str:
    """"thời hạn: trong năm 2023": the deadline an overdue task missed, as the plan words it (the report period
    holding the due point would mislead: "Trong năm 2023" falls in the report period 2024)."""
    return f"thời hạn: {lower_first(task.deadline)}" if task.deadline else ""


def since(task: TaskLine) -> str:
    """"(thời hạn: trong năm 2023)", for after a status."""
    note = deadline_note(task)
    return f"({note})" if note else ""


def state(line: TaskLine) -> str:
    """The task's overall status in running text, from its label ("đã thực hiện trong năm", "quá hạn chưa hoàn
    thành từ năm 2024")."""
    if line.overall is Overall.OVERDUE:
        return f"quá hạn chưa hoàn thành {since(line)}".rstrip()
    return lower_first(line.overall_label)


def _counted(line: TaskLine, leads: list[AnswerLine]) -> str:
    parts = [f"{line.done}/{line.leads} đơn vị chủ trì đã hoàn thành ({percent(line.done, line.leads)})"]
    if line.ongoing:
        parts.append(f"{line.ongoing} đơn vị đang thực hiện")
    not_started = [a.agency_name for a in leads if a.status == Status.NOT_STARTED]
    if len(not_started) > NAMES_SHOWN:
        parts.append(f"{len(not_started)} đơn vị chưa thực hiện")
    elif not_started:
        parts.append(f"chưa thực hiện: {names(not_started)}")
    if line.no_report:
        parts.append(f"{line.no_report} đơn vị chưa báo cáo")
    return "; ".join(parts)


def _named(leads: list[AnswerLine]) -> str:
    """A few leads, each with its answer: "hoàn thành: Sở A; đang thực hiện: Công an tỉnh"; only the names
    when they all answered alike (the state already says it)."""
    by_status: dict[str, list[str]] = {}
    for answer in leads:
        said = lower_first(answer.status) if answer.reported and answer.status else "chưa báo cáo"
        by_status.setdefault(said, []).append(answer.agency_name)
    if len(by_status) == 1:
        return compact(next(iter(by_status.values())))
    return "; ".join(f"{said}: {compact(who)}" for said, who in by_status.items())


def task_sentence(task: Task, line: TaskLine, answers: list[AnswerLine]) -> str:
    """"- Nhiệm vụ 1.2 (…): đang thực hiện; 64/108 đơn vị chủ trì đã hoàn thành (59,3%); …"."""
    head = f"- {upper_first(cite(task))}: {state(line)}"
    leads = [a for a in answers if a.role is Role.LEAD]
    if len(leads) > FEW_LEADS:
        return f"{head}; {_counted(line, leads)}."
    if len(leads) > 1:
        return f"{head} ({_named(leads)})."
    who = leads[0].agency_name if leads else line.lead
    if not leads or not leads[0].reported:
        return f"- {upper_first(cite(task))}: chưa có báo cáo của {who}."
    if leads[0].status == Status.NOT_STARTED:
        return f"- {upper_first(cite(task))}: {who} chưa thực hiện."
    if not leads[0].result:
        return f"{head} ({who} chưa nêu kết quả cụ thể)."
    return f"{head}. {who}: {lower_first(first_sentences(leads[0].result))}"
