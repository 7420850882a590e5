"""The plan as data: task groups, tasks, agencies, agency groups, indicators — over the years.

Agencies, groups, kinds and tasks carry the dates they are valid (Hiệu lực từ / Hiệu lực đến): the province
of 2024 had districts and a Sở TT&TT, the province of 2026 has communes and wards. `Plan` holds every year;
`Plan.at(day)` is the plan as it stands on one day (a period's last day): only what exists then, groups
under their names of the time, and the duties of an abolished agency passed to its successors (Kế thừa).
Loading and checking the lists is plan/lists.py's job.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from functools import cached_property

from planreports.plan.deadlines import Deadline


@dataclass(frozen=True, slots=True)
class Validity:
    """The days something exists: from `start` to `end`, both included; None is open."""

    start: date | None = None
    end: date | None = None

    def covers(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


ALWAYS = Validity()


@dataclass(frozen=True, slots=True)
class TaskGroup:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    group: str
    text: str
    lead: str              # the plan's own wording, or the names of the time in a dated view
    support: str
    lead_codes: tuple[str, ...]
    support_codes: tuple[str, ...]
    form: str
    deadline: Deadline
    note: str = ""
    valid: Validity = ALWAYS
    short: str = ""        # a few words naming the task in running text ("Tên ngắn"); "" when not given

    @property
    def name(self) -> str:
        """The task's short name, or its text when the lists give none."""
        return self.short or self.text


@dataclass(frozen=True, slots=True)
class Reassignment:
    """Who leads (and supports) a task from a day on, when that differs from the plan: a split agency's tasks
    each go to the successor that took that function ("Phân công theo thời gian"). Empty codes keep the plan's."""

    task: str
    lead_codes: tuple[str, ...]
    support_codes: tuple[str, ...]
    valid: Validity
    note: str = ""


@dataclass(frozen=True, slots=True)
class SplitDuty:
    """A task whose lead or support still names an agency that split, so it goes to several successors without
    the lists saying so (a warning: usually each successor took only part of the work)."""

    task: str
    role: Role
    agency: str
    successors: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgencyKind:
    code: str
    name: str
    bloc: str              # aggregation bloc for indicators: "Sở, ngành", "Địa phương", "Báo chí", ...
    valid: Validity = ALWAYS


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    short: str
    kind: str
    email: str
    reports: bool = True
    valid: Validity = ALWAYS
    successors: tuple[str, ...] = ()   # who took over its work when it ended (Kế thừa)
    note: str = ""


@dataclass(frozen=True, slots=True)
class AgencyGroup:
    code: str
    name: str
    members: tuple[str, ...]   # agency codes, kind codes or other group codes
    valid: Validity = ALWAYS   # a group may have several rows: its name and members in each time


class Role(StrEnum):
    """An agency's part in a task."""

    LEAD = "Chủ trì"
    SUPPORT = "Phối hợp"


class Status(StrEnum):
    """What an agency says of a task: the dropdown of column "Tình trạng"."""

    DONE = "Hoàn thành"
    ONGOING = "Đang thực hiện"
    NOT_STARTED = "Chưa thực hiện"
    NOT_APPLICABLE = "Không phát sinh"


class NumberType(StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"


class Aggregate(StrEnum):
    """How the province's total of an indicator is made from the agencies' figures."""

    SUM = "sum"
    MAX = "max"


@dataclass(frozen=True, slots=True)
class Indicator:
    code: str
    name: str
    unit: str
    type: NumberType
    aggregate: Aggregate
    groups: tuple[str, ...] = ()   # task groups whose results this figure illustrates
    note: str = ""
    part_of: str = ""              # the indicator this one is a part of ("handled" of "detected"): a rate


@dataclass(frozen=True, slots=True)
class Assignment:
    task: Task
    role: Role


@dataclass(frozen=True)
class Plan:
    """Everything loaded from input/, already checked, so groups resolve without errors.

    `on` is None for the plan over all years, or the day a dated view (Plan.at) describes; `history` is then
    the plan over all years, where agencies that no longer exist can still be looked up."""

    task_groups: tuple[TaskGroup, ...]
    tasks: tuple[Task, ...]
    kinds: tuple[AgencyKind, ...]
    agencies: tuple[Agency, ...]
    agency_groups: tuple[AgencyGroup, ...]
    indicators: tuple[Indicator, ...]
    reassignments: tuple[Reassignment, ...] = ()
    on: date | None = None
    history: Plan | None = field(default=None, repr=False, compare=False)
    _resolved: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)
    _views: dict[date, Plan] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def agency_by_code(self) -> dict[str, Agency]:
        return {a.code: a for a in self.agencies}

    @cached_property
    def kind_by_code(self) -> dict[str, AgencyKind]:
        return {k.code: k for k in self.kinds}

    @cached_property
    def group_by_code(self) -> dict[str, AgencyGroup]:
        return {g.code: g for g in self.agency_groups}

    @cached_property
    def task_by_id(self) -> dict[str, Task]:
        return {t.id: t for t in self.tasks}

    @cached_property
    def reporting_agencies(self) -> tuple[Agency, ...]:
        return tuple(a for a in self.agencies if a.reports)

    @property
    def everything(self) -> Plan:
        """The plan over all years (this plan when it is not a dated view)."""
        return self.history or self

    def at(self, day: date) -> Plan:
        """The plan as it stands on `day` (made once per day: workers check many files of one period)."""
        full = self.everything
        if day not in full._views:
            full._views[day] = full._view(day)
        return full._views[day]

    def _view(self, day: date) -> Plan:
        view = Plan(self.task_groups, (), tuple(k for k in self.kinds if k.valid.covers(day)),
                    tuple(a for a in self.agencies if a.valid.covers(day)),
                    tuple(g for g in self.agency_groups if g.valid.covers(day)), self.indicators,
                    self.reassignments, day, self)
        tasks = tuple(view._dated(self._assigned(t, day)) for t in self.tasks if t.valid.covers(day))
        return replace(view, tasks=tasks, _resolved={}, _views={})

    def reassignment(self, task_id: str, day: date) -> Reassignment | None:
        """The dated lead of a task that holds on `day`, if the lists give one."""
        return next((r for r in self.everything.reassignments if r.task == task_id and r.valid.covers(day)), None)

    def _assigned(self, task: Task, day: date) -> Task:
        """A task with the lead and support the lists give it on `day` (the plan's when none is given)."""
        change = self.reassignment(task.id, day)
        if change is None:
            return task
        return replace(task, lead_codes=change.lead_codes or task.lead_codes,
                       support_codes=change.support_codes or task.support_codes)

    def split_duties(self) -> list[SplitDuty]:
        """On this view's day: the tasks still given to an agency that split into several successors, where the
        lists do not say how (no dated lead for the task). Successors already named beside it do not count."""
        if self.on is None:
            return []
        out = []
        for task in self.tasks:
            if self.reassignment(task.id, self.on) is not None:
                continue
            for role, codes in ((Role.LEAD, task.lead_codes), (Role.SUPPORT, task.support_codes)):
                for code in codes:
                    if code in self.agency_by_code:
                        continue
                    others = {a for other in codes if other != code for a in self.resolve(other)}
                    successors = tuple(s for s in self.successors_of(code)
                                       if s not in others and self.agency_by_code[s].reports)
                    if len(successors) > 1:
                        out.append(SplitDuty(task.id, role, code, successors))
        return out

    def _dated(self, task: Task) -> Task:
        """A task as shown on this view's day: the plan's wording while it still describes the organization,
        the names of the time once an agency or a group it names has changed or the task was given to others."""
        planned = self.everything.task_by_id.get(task.id, task)
        lead, support = task.lead, task.support
        # the lists' "Chủ trì"/"Phối hợp" wording may be left empty: the codes' names say it then
        if not lead or task.lead_codes != planned.lead_codes or not all(map(self._unchanged, task.lead_codes)):
            lead = self.names(task.lead_codes)
        if not support or task.support_codes != planned.support_codes or not all(
                map(self._unchanged, task.support_codes)):
            support = self.names(task.support_codes)
        return task if (lead, support) == (task.lead, task.support) else replace(task, lead=lead, support=support)

    def _unchanged(self, code: str) -> bool:
        if code in self.agency_by_code or code in self.kind_by_code:
            return True
        group = self.group_by_code.get(code)
        first = next((g for g in self.everything.agency_groups if g.code == code), None)
        return group is not None and group == first

    def name_of(self, code: str) -> str:
        """What an agency, group or kind code is called on this view's day (successors for an ended agency)."""
        if code in self.agency_by_code:
            return self.agency_by_code[code].name
        if code in self.group_by_code:
            return self.group_by_code[code].name
        if code in self.kind_by_code:
            return self.kind_by_code[code].name
        return self.names(self.successors_of(code)) if self.successors_of(code) else code

    def bloc_of(self, agency_code: str) -> str:
        """The bloc an agency's figures are totalled in ("" when its kind is not in this view)."""
        kind = self.kind_by_code.get(self.agency_by_code[agency_code].kind)
        return kind.bloc if kind else ""

    def names(self, codes: tuple[str, ...]) -> str:
        return "; ".join(dict.fromkeys(self.name_of(code) for code in codes))

    def successors_of(self, code: str, seen: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The agencies existing on this view's day that took over an ended agency's work (Kế thừa, followed
        through later mergers)."""
        ended = self.everything.agency_by_code.get(code)
        if ended is None or code in seen:
            return ()
        out: list[str] = []
        for successor in ended.successors:
            if successor in self.agency_by_code:
                out.append(successor)
            else:
                out += self.successors_of(successor, (*seen, code))
        return tuple(dict.fromkeys(out))

    def resolve(self, code: str) -> frozenset[str]:
        """Agency codes a code stands for: an agency (or its successors once it ended), a kind, or a group
        (recursively)."""
        if code not in self._resolved:
            self._resolved[code] = frozenset(self._resolve(code, ()))
        return self._resolved[code]

    def _resolve(self, code: str, seen: tuple[str, ...]) -> set[str]:
        if code in self.agency_by_code:
            return {code}
        if code in self.kind_by_code:
            return {a.code for a in self.agencies if a.kind == code}
        group = self.group_by_code.get(code)
        if group is None:
            return set(self.successors_of(code)) if self.on is not None else set()
        if code in seen:
            return set()
        out: set[str] = set()
        for member in group.members:
            out |= self._resolve(member, (*seen, code))
        return out

    def assignments(self, agency_code: str) -> list[Assignment]:
        """The tasks an agency leads or supports, in plan order; leading wins over supporting."""
        out = []
        for task in self.tasks:
            if any(agency_code in self.resolve(c) for c in task.lead_codes):
                out.append(Assignment(task, Role.LEAD))
            elif any(agency_code in self.resolve(c) for c in task.support_codes):
                out.append(Assignment(task, Role.SUPPORT))
        return out

    def agencies_for(self, task: Task, role: Role) -> list[str]:
        codes = task.lead_codes if role == Role.LEAD else task.support_codes
        found: set[str] = set()
        for c in codes:
            found |= self.resolve(c)
        if role == Role.SUPPORT:
            found -= set(self.agencies_for(task, Role.LEAD))
        return [a.code for a in self.agencies if a.code in found and a.reports]
