"""Mistakes in planreports.toml an office makes in an ordinary week, each told in Vietnamese with the fix."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from planreports.cli import cli
from planreports.config import Config, load_config
from planreports.plan.periods import parse_period
from planreports.workspace import Workspace
from tests.conftest import copy_example


def _periods(ws: Workspace) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "periods"])
    return result.exit_code, result.output


def test_a_day_first_date_without_quotes_says_how_to_write_it(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(text.replace("deadline = 2026-11-20", "deadline = 30/11/2026"), encoding="utf-8")
    code, out = _periods(ws)
    assert code == 1
    assert "deadline = 30/11/2026" in out and "2026-11-30" in out and '"30/11/2026"' in out and "dòng" in out
    assert "Invalid" not in out and "Traceback" not in out


def test_a_day_first_date_in_quotes_is_read(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(text.replace("deadline = 2026-11-20", 'deadline = "30/11/2026"'), encoding="utf-8")
    settings = load_config(ws.root).period_settings(parse_period("2026"))
    assert f"{settings.deadline:%d/%m/%Y}" == "30/11/2026"


def test_a_day_that_does_not_exist_is_named(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(text.replace("deadline = 2026-11-20", 'deadline = "31/11/2026"'), encoding="utf-8")
    code, out = _periods(ws)
    assert code == 1 and "31/11/2026" in out and "ngày có thật" in out and "%d" not in out


def test_a_file_saved_as_ansi_is_told_to_be_saved_as_utf8(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    ws.config_path.write_bytes(ws.config_path.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    code, out = _periods(ws)
    assert code == 1 and "UTF-8" in out and "Save As" in out and "Encoding" in out


def test_an_unknown_proposal_theme_names_the_themes(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    text = ws.config_path.read_text(encoding="utf-8")
    ws.config_path.write_text(text.replace('"Kỹ năng, nghiệp vụ" = []', '"Ky nang" = []', 1), encoding="utf-8")
    code, out = _periods(ws)
    assert code == 1 and "“Ky nang” không phải chủ đề" in out and "“Kỹ năng, nghiệp vụ”" in out


def test_the_proposal_themes_are_the_reports_themes() -> None:
    from planreports.config import PROPOSAL_THEMES
    from planreports.report.wording import OTHER_THEME, THEMES

    assert (*(theme for theme, _ in THEMES), OTHER_THEME) == PROPOSAL_THEMES


def test_a_half_year_without_deadline_is_hinted_in_june(example: Workspace) -> None:
    config: Config = example.config
    (warning,) = config.period_warnings(parse_period("2027-H1"))
    assert "deadline = 2027-06-10" in warning and "12-10" not in warning


def test_seed_values_beside_another_plan_are_warned(tmp_path: Path) -> None:
    ws = copy_example(tmp_path / "vd")
    import openpyxl

    book = openpyxl.load_workbook(ws.input_dir / "ke-hoach.xlsx")
    book["Nhiệm vụ"]["C2"] = "Ban hành kế hoạch cải cách hành chính"       # the office's own plan now
    book.save(ws.input_dir / "ke-hoach.xlsx")
    code, out = _periods(ws)
    assert code == 0 and "vẫn ghi giá trị của dữ liệu mẫu" in out and "issuer.province" in out
    assert "vẫn ghi giá trị của dữ liệu mẫu" not in _periods(copy_example(tmp_path / "seed"))[1]
