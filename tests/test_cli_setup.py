"""CLI for init and templates: Vietnamese messages, exit codes, no tracebacks."""

from __future__ import annotations

from pathlib import Path

import openpyxl
from click.testing import CliRunner

from planreports.cli import cli
from planreports.workspace import Workspace


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_init_then_templates(tmp_path: Path) -> None:
    code, out = run("init", str(tmp_path / "ws"))
    assert code == 0 and "Đã tạo không gian làm việc" in out
    code, out = run("-w", str(tmp_path / "ws"), "templates", "--period", "2024", "--agency", "STP",
                    "--agency", "BTN")
    assert code == 0 and "Đã tạo 2 biểu mẫu" in out
    assert (tmp_path / "ws" / "output" / "2024" / "bieu-mau" / "BTN.xlsx").exists()


def test_init_refuses_to_overwrite(ws: Workspace) -> None:
    code, out = run("init", str(ws.root))
    assert code == 2 and "--force" in out


def test_bad_period_is_a_usage_error(ws: Workspace) -> None:
    code, out = run("-w", str(ws.root), "templates", "--period", "năm nay")
    assert code == 2 and "Kỳ báo cáo “năm nay” không hợp lệ" in out


def test_unknown_agency_is_a_usage_error(ws: Workspace) -> None:
    code, out = run("-w", str(ws.root), "templates", "--period", "2024", "--agency", "XYZ")
    assert code == 2 and "“XYZ”" in out


def test_no_workspace(tmp_path: Path) -> None:
    code, out = run("-w", str(tmp_path), "templates", "--period", "2024")
    assert code == 2 and f"Thư mục {tmp_path.resolve()} không phải là không gian làm việc" in out


def test_broken_list_gives_located_message_and_exit_1(ws: Workspace) -> None:
    path = ws.input_dir / "ke-hoach.xlsx"
    book = openpyxl.load_workbook(path)
    sheet = book["Nhiệm vụ"]
    lead_codes = next(c.column_letter for c in sheet[1] if c.value == "Mã chủ trì")
    sheet[f"{lead_codes}5"] = "KHONG_CO"
    book.save(path)
    code, out = run("-w", str(ws.root), "templates", "--period", "2024")
    assert code == 1
    assert f"input/ke-hoach.xlsx, sheet “Nhiệm vụ”, ô {lead_codes}5" in out and "KHONG_CO" in out
    assert "Traceback" not in out


def test_broken_config_message(ws: Workspace) -> None:
    (ws.root / "planreports.toml").write_text("[issuer\nname = 1", encoding="utf-8")
    code, out = run("-w", str(ws.root), "templates", "--period", "2024")
    assert code == 1 and "sai cú pháp" in out


def test_help_is_vietnamese() -> None:
    code, out = run("--help")
    assert code == 0 and "Thu thập, kiểm tra, tổng hợp" in out
    code, out = run("templates", "--help")
    assert code == 0 and "Kỳ báo cáo" in out


def test_help_headings_and_usage_errors_are_vietnamese() -> None:
    code, out = run("templates", "--help")
    assert "Cách dùng:" in out and "Tùy chọn:" in out and "Hiện hướng dẫn này và thoát." in out
    assert "Show this message" not in out
    code, out = run("templates")
    assert code == 2 and "Lỗi cách dùng: Thiếu tùy chọn '-p' / '--period'." in out


def test_console_entry_point_exit_codes(ws: Workspace) -> None:
    import subprocess
    import sys

    def entry(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "planreports", *args], capture_output=True, text=True,
                              encoding="utf-8", check=False)

    missing = entry("-w", str(ws.root), "templates")
    assert missing.returncode == 2 and "Lỗi cách dùng" in missing.stderr
    assert entry("--khong-co").returncode == 2
    assert entry("-w", str(ws.root), "status", "--period", "2024").returncode == 0
    assert "Traceback" not in missing.stderr
