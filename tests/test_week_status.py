"""The mistakes of an ordinary week, the terminal: `status` fits 100 columns, and a command typed in a folder that
is not a workspace says where to `cd` (or to run `init`)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.vn.dates import VN_TZ, format_date
from planreports.workspace import installed_beside, not_a_workspace
from tests.weekhelp import invoke, small_example

LONG = ("p05443.eml", "x05830.eml", "stp.eml", "sxd.eml")   # the longest name, the longest sender, a rejection


def test_status_fits_100_columns_with_every_column_filled(tmp_path: Path) -> None:
    ws = small_example(tmp_path / "vd", keep=LONG)
    assert invoke(ws, "collect", "--period", "2026").exit_code == 1
    assert invoke(ws, "notify", "--period", "2026").exit_code == 0
    until = format_date(datetime.now(VN_TZ).date() + timedelta(days=10))
    assert invoke(ws, "remind", "--period", "2026", "--until", until).exit_code == 0
    result = invoke(ws, "status", "--period", "2026")
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stdout.splitlines() if not line.startswith("Đã ghi ")]
    assert max(len(line) for line in lines) <= 100, "\n".join(line for line in lines if len(line) > 100)
    assert lines[0].split() == ["Mã", "Đơn", "vị", "Tình", "hình", "Ngày", "nhận", "Phát", "hiện", "Nguồn",
                                "Phản", "hồi", "Đã", "nhắc"]
    x05830 = next(line for line in lines if line.startswith("X05830"))
    assert "Đúng hạn" in x05830 and "x05830@…" in x05830                    # the long address is cut
    sxd = next(line for line in lines if line.startswith("SXD"))
    assert "Không đạt" in sxd
    assert "Chưa nộp hoặc bị từ chối: 107 đơn vị (xem cột Tình hình)." in result.stdout
    full = json.loads(invoke(ws, "status", "--period", "2026", "--json").stdout)
    assert full["X05830"]["sender"].endswith("<x05830@example.thainguyen.gov.vn>")   # whole in --json
    assert full["P05443"]["name"] == "UBND phường Phan Đình Phùng"


def test_a_folder_that_is_not_a_workspace_says_where_to_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "Documents"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    result = CliRunner().invoke(cli, ["status", "--period", "2026"])
    assert result.exit_code == 2
    assert f"Thư mục {elsewhere} không phải là không gian làm việc (không có tệp planreports.toml" in result.output
    home = installed_beside()
    if home is not None and (home / "planreports.toml").is_file():       # this program's environment's folder
        assert f"gõ “cd {home}” rồi chạy lại lệnh" in result.output
    else:
        assert "planreports init THƯ_MỤC" in result.output
    assert "Traceback" not in result.output


def test_the_three_answers_outside_a_workspace(tmp_path: Path) -> None:
    workspace, fresh, other = tmp_path / "CT07", tmp_path / "moi", tmp_path / "khac"
    for folder in (workspace, fresh, other):
        folder.mkdir()
    shutil.copy(Path(__file__).resolve().parents[1] / "planreports.toml", workspace / "planreports.toml")
    said = not_a_workspace(other, workspace)
    assert f"Không gian làm việc của bản cài đặt này là {workspace}: gõ “cd {workspace}”" in said
    assert f"“-w {workspace}”" in said
    said = not_a_workspace(fresh, fresh)                      # installed here, no workspace made yet
    assert "Tạo không gian làm việc tại đây bằng lệnh “planreports init .”" in said
    said = not_a_workspace(other, None)                       # not run from an environment
    assert "Gõ “cd” đến thư mục làm việc" in said and "planreports init THƯ_MỤC" in said


def test_the_installed_program_run_by_its_full_path_from_another_folder(tmp_path: Path) -> None:
    program = Path(sys.prefix) / ("Scripts" if sys.platform == "win32" else "bin") / "planreports"
    assert program.exists(), "pip install -e . makes the console script"
    done = subprocess.run([str(program), "status", "--period", "2026"], cwd=tmp_path, capture_output=True,
                          text=True, encoding="utf-8", check=False)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"Thư mục {tmp_path.resolve()} không phải là không gian làm việc" in done.stderr
