"""planreports.toml checked against the lists: every code the settings name must exist in the period it holds.

The settings name agencies, indicators and tasks by code (the coordinator, the leadership indicator and tasks,
new deadlines). A code that is not in the lists of that period would otherwise be printed raw into every
template and letter ("gửi về SVHTT") or silently empty a section of the report; the commands that make
documents refuse instead, naming the key, the period and the codes allowed. A blank workspace's «placeholders»
left unfilled are refused the same way; the seed province's own values beside another plan's lists are warned
about.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable
from typing import Any

from planreports.config import CONFIG_NAME, Config
from planreports.errors import ConfigError
from planreports.plan.model import Plan
from planreports.plan.periods import Period
from planreports.plan.seed_lists import seed_text

SHOWN_CODES = 12     # allowed codes listed in a message before "…"


def _key(config: Config, period: Period, section: str, name: str, attribute: str) -> str:
    """Where a value comes from: the period's own section when it overrides it, else the workspace default."""
    overrides = config.period_settings(period).overrides
    return f"periods.{period.id}.{section}.{name}" if attribute in overrides else f"{section}.{name}"


def _allowed(codes: Iterable[str]) -> str:
    ordered = sorted(codes)
    shown = ", ".join(ordered[:SHOWN_CODES])
    return shown + (f" … ({len(ordered)} mã)" if len(ordered) > SHOWN_CODES else "") if ordered else "(chưa có mã nào)"


def settings_problems(config: Config, plan: Plan, period: Period) -> list[str]:
    """Every mistake of the settings for `period`, each naming the key, the period and what is allowed.
    `plan` is the lists as they stand in the period (Workspace.plan_for)."""
    if config.unfilled:
        return [f"{CONFIG_NAME} còn {len(config.unfilled)} chỗ «…» chưa điền: {', '.join(config.unfilled)}. Thay "
                "mỗi chỗ bằng giá trị của tỉnh, của kế hoạch (bỏ cả dấu « »), rồi chạy lại."]
    held = config.for_period(period)
    problems = []
    if held.coordinator not in plan.agency_by_code:
        problems.append(
            f"“{_key(config, period, 'issuer', 'coordinator', 'coordinator')} = \"{held.coordinator}\"”: không có đơn "
            f"vị mã này trong danh mục đơn vị của kỳ {period.id} (input/don-vi.xlsx). Ghi mã của đơn vị đầu mối, "
            f"một trong: {_allowed(a.code for a in plan.agencies)}.")
    indicators = {i.code for i in plan.indicators}
    if held.leadership_indicator and held.leadership_indicator not in indicators:
        problems.append(
            f"“{_key(config, period, 'report', 'leadership_indicator', 'leadership_indicator')} = "
            f"\"{held.leadership_indicator}\"” (kỳ {period.id}): không có chỉ tiêu mã này trong input/chi-tieu.xlsx. "
            f"Ghi một trong: {_allowed(indicators)}, hoặc \"\" nếu không dùng.")
    tasks = set(plan.task_by_id)
    unknown = [t for t in held.leadership_tasks if t not in tasks]
    if unknown:
        problems.append(
            f"“{_key(config, period, 'report', 'leadership_tasks', 'leadership_tasks')}” (kỳ {period.id}) có mã "
            f"nhiệm vụ không có trong input/ke-hoach.xlsx ở kỳ này: {', '.join(unknown)}. Các mã: {_allowed(tasks)}.")
    late = [t for t in config.period_settings(period).new_deadlines if t not in tasks]
    if late:
        problems.append(
            f"“periods.{period.id}.new_deadlines” có mã nhiệm vụ không có trong input/ke-hoach.xlsx ở kỳ này: "
            f"{', '.join(late)}. Các mã: {_allowed(tasks)}.")
    return problems


def check_settings(config: Config, plan: Plan, period: Period) -> None:
    """Refuse to make documents for a period whose settings name what the lists do not hold."""
    problems = settings_problems(config, plan, period)
    if problems:
        raise ConfigError(f"{CONFIG_NAME} chưa khớp với danh mục (kỳ {period.id}), cần sửa trước khi lập biểu mẫu, "
                          "báo cáo:\n" + "\n".join(f"  - {p}" for p in problems))


@functools.cache
def _seed() -> tuple[dict[str, Any], dict[str, str]]:
    """The seed's settings and its tasks' texts (read once: `periods` asks for every period)."""
    tasks = {t["id"]: t["text"] for t in tomllib.loads(seed_text("plan.toml"))["tasks"]}
    return tomllib.loads(seed_text(CONFIG_NAME)), tasks


def seed_values_warning(config: Config, plan: Plan) -> list[str]:
    """The seed province's name, plan and mail identity kept beside lists of another plan: said once."""
    seed, seed_tasks = _seed()
    own_lists = {t.id: t.text for t in plan.everything.tasks} != seed_tasks
    kept = [key for key, value, seeded in (
        ("issuer.province", config.province, seed["issuer"]["province"]),
        ("plan.reference", config.plan_reference, seed["plan"]["reference"]),
        ("mail.from_address", config.mail.from_address, seed["mail"]["from_address"])) if value == seeded]
    if not own_lists or not kept:
        return []
    return [f"Danh mục nhiệm vụ trong input/ là của kế hoạch khác, nhưng {CONFIG_NAME} vẫn ghi giá trị của dữ liệu "
            f"mẫu ({', '.join(kept)}: {seed['issuer']['province']}, {seed['plan']['short']}). Sửa các mục [issuer], "
            "[plan], [report], [mail] cho đúng tỉnh và kế hoạch của mình, nếu không biểu mẫu và báo cáo sẽ mang "
            "tên tỉnh mẫu."]
