"""`planreports templates`: one workbook per reporting agency, for one period.

Many agencies (a ministry's thousands of units) are written by worker processes, one per core; a province's
few dozen are written in this process, where starting workers would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from planreports.errors import UsageError
from planreports.form.writer import content_for, write_template
from planreports.plan.model import Plan
from planreports.plan.periods import Period
from planreports.progress.history import history_of
from planreports.workspace import Workspace

PARALLEL_FROM = 200      # agencies; below this one process is faster
CHUNK = 50               # agencies per task given to a worker process


@dataclass(frozen=True)
class _Job:
    plan: Plan
    period: Period
    deadline: date
    plan_short: str
    coordinator: str
    out_dir: Path
    done: Mapping[str, str]      # tasks done in an earlier period: not asked again


_JOB: dict[str, _Job] = {}


def _init(job: _Job) -> None:
    _JOB["job"] = job


def _write(codes: list[str]) -> list[str]:
    job = _JOB["job"]
    paths = []
    for code in codes:
        content = content_for(job.plan, job.plan.agency_by_code[code], job.period, job.deadline, job.plan_short,
                              job.coordinator, job.done)
        paths.append(str(write_template(job.out_dir / f"{code}.xlsx", content)))
    return paths


def _check_codes(plan: Plan, period: Period, codes: Sequence[str]) -> None:
    unknown = [c for c in codes if c not in plan.everything.agency_by_code]
    if unknown:
        raise UsageError("Không có đơn vị mã " + ", ".join(f"“{c}”" for c in unknown)
                         + " trong input/don-vi.xlsx.")
    ended = [c for c in codes if c not in plan.agency_by_code]
    if ended:
        raise UsageError("Trong kỳ " + period.id + " không còn đơn vị " + "; ".join(
            f"{c} ({plan.everything.agency_by_code[c].name}, nay là: {plan.names(plan.successors_of(c)) or 'không có'})"
            for c in ended) + ". Xem cột “Hiệu lực đến” và “Kế thừa” trong input/don-vi.xlsx.")


def generate_templates(ws: Workspace, period: Period, agency_codes: Sequence[str] = ()) -> list[Path]:
    ws.check_settings(period)        # a coordinator code the lists lack would be printed into every form
    plan, config = ws.plan_for(period), ws.config_for(period)
    _check_codes(plan, period, agency_codes)
    codes = list(agency_codes) or [a.code for a in plan.reporting_agencies]
    job = _Job(plan, period, config.period_settings(period).deadline, config.plan_short,
               plan.name_of(config.coordinator), ws.template_dir(period),
               history_of(ws, period).markers(plan))
    chunks = [codes[i:i + CHUNK] for i in range(0, len(codes), CHUNK)]
    workers = config.limits.processes()
    if len(codes) < PARALLEL_FROM or workers < 2:
        _init(job)
        return [Path(p) for chunk in chunks for p in _write(chunk)]
    with multiprocessing.get_context().Pool(workers, initializer=_init, initargs=(job,)) as pool:
        return [Path(p) for written in pool.map(_write, chunks) for p in written]
