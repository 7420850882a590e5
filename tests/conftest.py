from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from planreports.workspace import Workspace, init_workspace


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
