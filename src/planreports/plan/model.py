"""The plan as data: task groups, tasks, agencies, agency groups, indicators.

Plain frozen dataclasses; loading and validating them is plandata.py's job, resolving groups is Plan's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from planreports.plan.deadlines import Deadline


@dataclass(frozen=True, slots=True)
class TaskGroup:
    id: str
    title: str


@dataclass(frozen=True, slots=True)
class Task:
    id: str
    group: str
    text: str
    lead: str              # the plan's own wording
    support: str
    lead_codes: tuple[str, ...]
    support_codes: tuple[str, ...]
    form: str
    deadline: Deadline
    note: str = ""


@dataclass(frozen=True, slots=True)
class AgencyKind:
    code: str
    name: str
    bloc: str              # aggregation bloc for indicators: "Sở, ngành", "Địa phương", "Báo chí", ...


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    short: str
    kind: str
    email: str
    reports: bool = True


@dataclass(frozen=True, slots=True)
class AgencyGroup:
    code: str
    name: str
    members: tuple[str, ...]   # agency codes, kind codes or other group codes


class Role(StrEnum):
    """An agency's part in a task."""

    LEAD = "Chủ trì"
    SUPPORT = "Phối hợp"


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


@dataclass(frozen=True, slots=True)
class Assignment:
    task: Task
    role: Role


@dataclass(frozen=True)
class Plan:
    """Everything loaded from input/: already validated, so groups resolve without errors."""

    task_groups: tuple[TaskGroup, ...]
    tasks: tuple[Task, ...]
    kinds: tuple[AgencyKind, ...]
    agencies: tuple[Agency, ...]
    agency_groups: tuple[AgencyGroup, ...]
    indicators: tuple[Indicator, ...]
    _resolved: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

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

    def resolve(self, code: str) -> frozenset[str]:
        """Agency codes a code stands for: an agency, a kind, or a group (recursively)."""
        if code not in self._resolved:
            self._resolved[code] = frozenset(self._resolve(code, ()))
        return self._resolved[code]

    def _resolve(self, code: str, seen: tuple[str, ...]) -> set[str]:
        if code in self.agency_by_code:
            return {code}
        if code in self.kind_by_code:
            return {a.code for a in self.agencies if a.kind == code}
        group = self.group_by_code.get(code)
        if group is None or code in seen:
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
