"""What an agency reported, once validated: plain data stored in the ledger as JSON and consolidated."""

from __future__ import annotations

from dataclasses import dataclass, field
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
        # by hand: dataclasses.asdict deep-copies every value and showed up in profiles of large batches
        return {"agency": self.agency, "period": self.period, "info": dict(self.info),
                "answers": [{"task_id": a.task_id, "role": a.role, "status": a.status, "result": a.result,
                             "difficulty": a.difficulty, "proposal": a.proposal} for a in self.answers],
                "figures": dict(self.figures), "figure_notes": dict(self.figure_notes)}
