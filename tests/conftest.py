from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from planreports.scaffold import init_workspace
from planreports.workspace import Workspace


@pytest.fixture(scope="session")
def seed_workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A freshly initialised workspace, built once; tests copy it before changing anything."""
    root = tmp_path_factory.mktemp("seed") / "ws"
    init_workspace(root)
    return root


@pytest.fixture
def ws(seed_workspace: Path, tmp_path: Path) -> Workspace:
    root = tmp_path / "ws"
    shutil.copytree(seed_workspace, root)
    return Workspace(root)


from planreports.form.batch import generate_templates  # noqa: E402
from planreports.testing.filling import Answers, fill_template  # noqa: E402


@pytest.fixture(scope="session")
def seed_templates(seed_workspace: Path) -> Path:
    """Templates of every agency for period 2024, generated once in the seed workspace."""
    ws = Workspace(seed_workspace)
    paths = generate_templates(ws, ws.period("2024"))
    return paths[0].parent


def complete_answers(ws: Workspace, agency: str, period: str = "2024") -> Answers:
    """A fully and correctly filled form: the baseline each quirk test changes in one place."""
    answers = Answers(info={"reporter": "Nguyễn Thị Hoa", "position": "Chuyên viên", "phone": "0208 3855 123",
                            "email": "hoa@thainguyen.gov.vn"})
    for assignment in ws.plan_for(ws.period(period)).assignments(agency):
        answers.tasks[assignment.task.id] = {
            "status": "Hoàn thành",
            "result": f"Đã triển khai nhiệm vụ {assignment.task.id} theo Kế hoạch; ban hành 01 văn bản hướng dẫn.",
            "difficulty": "", "proposal": "",
        }
    answers.figures = {i.code: 3 for i in ws.plan.indicators}
    return answers


@pytest.fixture
def fill(ws: Workspace, seed_templates: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    """fill(agency, change=None, name=None) -> path of a filled copy of the agency's template."""

    def _fill(agency: str = "STP", change=None, name: str | None = None) -> Path:  # type: ignore[no-untyped-def]
        answers = complete_answers(ws, agency)
        if change is not None:
            change(answers)
        path = fill_template(seed_templates / f"{agency}.xlsx", answers, tmp_path / "in" / (name or f"{agency}.xlsx"))
        return filled_on(path, ON_TIME)

    return _fill


ON_TIME = "2024-12-05"   # a day inside period 2024, before its deadline (10/12/2024)


def filled_on(path: Path, day: str) -> Path:
    """A received file's time is its modification time: set it as if the agency saved it on `day`."""
    moment = datetime.fromisoformat(f"{day}T09:00:00+07:00").timestamp()
    os.utime(path, (moment, moment))
    return path




REPO = Path(__file__).resolve().parents[1]


def copy_example(root: Path) -> Path:
    """The repository's example workspace (planreports.toml, input/ with the saved e-mails, templates/), copied
    to `root`."""
    root.mkdir(parents=True)
    shutil.copy2(REPO / "planreports.toml", root / "planreports.toml")
    for folder in ("input", "templates"):
        shutil.copytree(REPO / folder, root / folder)
    return root
