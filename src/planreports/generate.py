"""`planreports templates`: one workbook per reporting agency, for one period."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from planreports.errors import UsageError
from planreports.periods import Period
from planreports.template import content_for, write_templates
from planreports.workspace import Workspace


def template_dir(ws: Workspace, period: Period) -> Path:
    return ws.period_dir(period) / "bieu-mau"


def generate_templates(ws: Workspace, period: Period, agency_codes: Sequence[str] = ()) -> list[Path]:
    plan, config = ws.plan, ws.config
    unknown = [c for c in agency_codes if c not in plan.agency_by_code]
    if unknown:
        raise UsageError("Không có đơn vị mã " + ", ".join(f"“{c}”" for c in unknown)
                         + " trong input/don-vi.xlsx.")
    agencies = [plan.agency_by_code[c] for c in agency_codes] if agency_codes else plan.reporting_agencies
    deadline = config.period_settings(period).deadline
    coordinator = plan.agency_by_code.get(config.coordinator)
    coordinator_name = coordinator.name if coordinator else config.coordinator
    contents = [content_for(plan, a, period, deadline, config.plan_short, coordinator_name) for a in agencies]
    return write_templates(template_dir(ws, period), contents)
