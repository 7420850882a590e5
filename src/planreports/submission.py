"""What an agency reported, once validated: plain data stored in the ledger as JSON and consolidated."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class TaskAnswer:
    task_id: str
    role: str
    status: str          # one of schema.STATUSES, or "" when a supporting agency left it empty
    result: str
    difficulty: str
    proposal: str


@dataclass
class Submission:
    agency: str
    period: str
    info: dict[str, str] = field(default_factory=dict)
    answers: list[TaskAnswer] = field(default_factory=list)
    figures: dict[str, float | None] = field(default_factory=dict)
    figure_notes: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Submission:
        answers = [TaskAnswer(**a) for a in data.get("answers", [])]
        return cls(data["agency"], data["period"], dict(data.get("info", {})), answers,
                   dict(data.get("figures", {})), dict(data.get("figure_notes", {})))
