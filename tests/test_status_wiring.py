"""The status page from real data: the example workspace's round of 2026, written by the commands that change
what it shows, and opened in a real browser."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote

import pytest
from click.testing import CliRunner, Result

import planreports
from planreports.cli import cli
from planreports.vn.dates import VN_TZ
from tests import browser
from tests.conftest import copy_example
from tests.test_status_page import Page

PAGE = Path("output") / "2026" / "tinh-hinh-2026.html"
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=VN_TZ)


def invoke(root: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-w", str(root), *args])


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The example after `run --period 2026` (its page kept aside), then `notify` and `status`."""
    root = copy_example(tmp_path_factory.mktemp("example") / "ws").root
    result = invoke(root, "run", "--period", "2026")
    assert result.exit_code == 1, result.output          # two example files are rejected on purpose
    assert f"Đã ghi {root / PAGE}" in result.output
    from_run = (root / PAGE).read_text(encoding="utf-8")
    assert invoke(root, "notify", "--period", "2026").exit_code == 0
    status = invoke(root, "status", "--period", "2026")
    assert status.exit_code == 0 and f"Đã ghi {root / PAGE}" in status.output
    return root, from_run


def _files(page: Page) -> list[str]:
    """The links to files (not the page's own anchors or its empty icon)."""
    return [u for u in page.urls if u != "data:," and not u.startswith("#")]


def _states(root: Path) -> dict[str, str]:
    result = invoke(root, "status", "--period", "2026", "--json")
    assert result.exit_code == 0
    return {code: row["state"] for code, row in json.loads(result.stdout).items() if not code.startswith("_")}


def test_run_writes_the_page_with_every_unit_and_links_to_what_it_wrote(example: tuple[Path, str]) -> None:
    root, from_run = example
    page = Page(from_run)
    states = _states(root)
    assert len(states) == 110
    assert {r["data-unit"]: r["data-state"] for r in page.rows} == states
    assert [r["data-unit"] for r in page.rows] == list(states)        # the office's order
    assert Counter(states.values()) == {"on_time": 107, "late": 1, "rejected": 1, "missing": 1}
    assert _files(page) == ["bao-cao-2026.docx", "tong-hop-2026.xlsx"]
    assert "Ngày 20/11/2026 — " in from_run and "Năm 2026 (từ ngày 15/12/2025 đến ngày 14/12/2026)" in from_run
    assert "Kết quả năm 2025" in from_run          # the previous year's figures, for comparison


def test_status_refreshes_the_page_with_the_feedback_written_since(example: tuple[Path, str]) -> None:
    root, _ = example
    page = Page((root / PAGE).read_text(encoding="utf-8"))
    feedback = [u for u in _files(page) if u.startswith("phan-hoi/")]
    assert len(feedback) == 109 and "phan-hoi/SXD.eml" in feedback        # every unit that sent a file
    assert "phan-hoi/X05716.eml" not in feedback                             # Võ Nhai never answered
    for url in _files(page):
        assert (root / PAGE).parent.joinpath(unquote(url)).is_file(), url
    rejected = next(r for r in page.rows if r["data-unit"] == "SXD")
    assert "sheet “Số liệu”, ô D4" in (rejected["text"] or "") and "khoảng 200" in (rejected["text"] or "")
    late = next(r for r in page.rows if r["data-state"] == "late")
    assert late["data-unit"] == "X05908" and "24/11/2026" in (late["text"] or "")


def test_in_chromium_every_unit_with_its_state_and_nothing_loaded_from_elsewhere(
        example: tuple[Path, str], tmp_path: Path) -> None:
    chromium = browser.require_chromium()
    root, _ = example
    states = _states(root)
    html = (root / PAGE).read_bytes()
    shot = tmp_path / "tinh-hinh-2026.png"
    with browser.serve({"/tinh-hinh-2026.html": html}) as server:
        dom = browser.run(chromium, server, "/tinh-hinh-2026.html", tmp_path / "p1", "--dump-dom")
        browser.run(chromium, server, "/tinh-hinh-2026.html", tmp_path / "p2", f"--screenshot={shot}",
                    "--window-size=1280,1600")
    assert server.page_requests() == ["GET /tinh-hinh-2026.html"] * 2
    browser.keep(shot)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    rows = Page(dom).rows
    assert {r["data-unit"]: r["data-state"] for r in rows} == states
    assert 'data-enhanced="1"' in dom                                       # the page's script ran
    assert "Bảng 2. Tình hình nộp báo cáo của từng đơn vị (110 đơn vị)" in dom


def test_each_command_that_changes_the_page_rewrites_it_and_check_writes_nothing(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "ws").root
    page = root / "output" / "2024" / "tinh-hinh-2024.html"
    one = sorted((root / "input" / "inbox" / "2024").glob("*.eml"))[0]
    assert invoke(root, "check", str(one), "--period", "2024").exit_code in (0, 1)
    assert not (root / "output" / "2024").exists()
    collected = invoke(root, "collect", "--period", "2024")
    assert collected.exit_code == 1 and f"Đã ghi {page}" in collected.output and page.is_file()
    for command in ("consolidate", "report", "status"):
        page.unlink()
        assert invoke(root, command, "--period", "2024").exit_code == 0 and page.is_file(), command
    page.unlink()
    as_json = invoke(root, "status", "--period", "2024", "--json")
    shown = json.loads(as_json.stdout)                                   # nothing but JSON on stdout
    assert len(shown) == 34 + 2 and shown["_unidentified"] == shown["_mail_notes"] == [] and page.is_file()
    page.unlink()
    ws = planreports.open_workspace(root)
    planreports.collect(ws, [one], period="2024")
    assert page.is_file()


def test_the_same_ledger_and_time_give_the_same_page(example: tuple[Path, str], tmp_path: Path) -> None:
    root, _ = example
    other = tmp_path / "copy"
    shutil.copytree(root, other)
    first = planreports.write_status_page(planreports.open_workspace(root), "2026", now=NOW).read_bytes()
    again = planreports.write_status_page(planreports.open_workspace(other), "2026", now=NOW).read_bytes()
    assert first == again
    text = first.decode()
    assert "đã quá hạn 5 ngày" in text and "Số liệu cập nhật lúc</dt><dd>25/11/2026 08:00" in text
    assert not re.search(r"/(tmp|home|work)/", text)         # no absolute path of the machine it was made on
