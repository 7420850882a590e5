"""Workbooks that are not the template are told what is true about them, never that they are corrupt."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.intake import validate, workers
from planreports.intake.validate import Rules, Validation, validate_bytes
from planreports.ledger import Ledger
from planreports.workspace import Workspace
from tests import foreign
from tests.libreoffice import convert_many, needs_libreoffice


def check(ws: Workspace, path: Path) -> Validation:
    return validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, "2024"))


def codes(result: Validation) -> set[str]:
    return {i.code for i in result.issues}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, seed_templates: Path) -> dict[str, Path]:
    """Every foreign workbook as .xlsx, and each also re-saved by LibreOffice as .xls and .ods."""
    from planreports.testing.filling import fill_template
    from tests.conftest import complete_answers

    out = tmp_path_factory.mktemp("foreign")
    ws = Workspace(seed_templates.parents[2])
    filled = fill_template(seed_templates / "STP.xlsx", complete_answers(ws, "STP"), out / "filled.xlsx")
    built = {name: build(filled, out / name) for name, build in foreign.CORPUS.items()}
    return built


@pytest.mark.parametrize("name", sorted(foreign.NOT_TEMPLATE))
def test_someone_elses_workbook_is_not_the_template(ws: Workspace, corpus: dict[str, Path], name: str) -> None:
    result = check(ws, corpus[name])
    assert result.verdict == "rejected" and codes(result) == {"form-not-template"}, result.issues
    message = result.issues[0].message
    assert "không bị hỏng" in message and "kỳ 2024" in message and "“Nhiệm vụ”" in message


def test_renamed_sheet_is_read_with_a_warning(ws: Workspace, corpus: dict[str, Path]) -> None:
    result = check(ws, corpus["renamed-sheet.xlsx"])
    assert result.verdict == "warning" and codes(result) == {"sheet-renamed"}
    issue = result.issues[0]
    assert issue.sheet == "Nhiem vu 2024" and "“Nhiệm vụ”" in issue.message
    expected = ws.plan_for(ws.period("2024")).assignments("STP")
    assert result.submission is not None and len(result.submission.answers) == len(expected)


def test_deleted_sheet_is_named(ws: Workspace, corpus: dict[str, Path]) -> None:
    result = check(ws, corpus["deleted-sheet.xlsx"])
    assert result.verdict == "rejected" and codes(result) == {"sheet-missing"}
    assert result.issues[0].sheet == "Số liệu" and "“Thông tin”" in result.issues[0].message


def test_extra_sheet_is_a_warning(ws: Workspace, corpus: dict[str, Path]) -> None:
    result = check(ws, corpus["extra-sheet.xlsx"])
    assert result.verdict == "warning" and codes(result) == {"sheet-extra"}


def test_1904_date_system_is_read(ws: Workspace, corpus: dict[str, Path]) -> None:
    result = check(ws, corpus["date-1904.xlsx"])
    assert result.verdict == "accepted", result.issues


@needs_libreoffice
def test_libreoffice_copies_get_the_same_findings(ws: Workspace, corpus: dict[str, Path], tmp_path: Path) -> None:
    wanted = {"one-sheet-openpyxl": {"form-not-template"}, "chart-sheet": {"form-not-template"},
              "renamed-sheet": {"sheet-renamed"}, "deleted-sheet": {"sheet-missing"}, "extra-sheet": {"sheet-extra"}}
    sources = [corpus[f"{name}.xlsx"] for name in wanted]
    for fmt in ("xls", "ods"):
        for path in convert_many(sources, fmt, tmp_path / fmt):
            result = check(ws, path)
            assert codes(result) == wanted[path.stem], (path.name, result.issues)


def test_a_failure_inside_the_checker_is_not_blamed_on_the_file(ws: Workspace, corpus: dict[str, Path],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, agency: object) -> list[object]:
        raise KeyError("bug")

    monkeypatch.setattr(validate.FormValidator, "tasks", broken)
    result = check(ws, corpus["extra-sheet.xlsx"])
    assert codes(result) == {"internal-error"}
    issue = result.issues[0]
    assert "không phải lỗi của đơn vị" in issue.message and "KeyError" in issue.message
    assert "Traceback" in issue.debug and "broken" in issue.debug


def test_a_worker_that_raises_reports_an_internal_error(ws: Workspace, corpus: dict[str, Path],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> Validation:
        raise RuntimeError("worker bug")

    monkeypatch.setattr(workers, "validate_bytes", explode)
    path = corpus["extra-sheet.xlsx"]
    jobs = [workers.Job(0, path.name, path.read_bytes())]
    ((_, result),) = workers.validate_jobs(jobs, Rules(ws.plan, ws.config.limits, "2024"))
    assert codes(result) == {"internal-error"} and "worker bug" in result.issues[0].message


def test_collect_keeps_the_file_and_checks_it_again_after_an_upgrade(
        ws: Workspace, corpus: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    ws.inbox.mkdir(parents=True, exist_ok=True)
    (ws.inbox / "stp.xlsx").write_bytes(corpus["extra-sheet.xlsx"].read_bytes())
    runner = CliRunner()

    def broken(self: object, agency: object) -> list[object]:
        raise KeyError("bug")

    with monkeypatch.context() as patch:
        patch.setattr(validate.FormValidator, "tasks", broken)
        first = runner.invoke(cli, ["-w", str(ws.root), "collect", "--period", "2024", "--json"])
        feedback = runner.invoke(cli, ["-w", str(ws.root), "notify", "--period", "2024"])
    assert first.exit_code == 1
    assert [i["code"] for i in json.loads(first.output)[0]["issues"]] == ["internal-error"]
    assert not (ws.period_dir(ws.period("2024")) / "phan-hoi" / "STP.eml").exists(), feedback.output
    with Ledger(ws.archive_dir) as ledger:
        (kept,) = ledger.receipts("2024")
    assert "Traceback" in kept.issues[0].debug
    assert (ws.archive_dir / kept.stored_path).read_bytes() == corpus["extra-sheet.xlsx"].read_bytes()
    again = runner.invoke(cli, ["-w", str(ws.root), "collect", "--period", "2024", "--json"])
    assert again.exit_code == 0 and json.loads(again.output)[0]["verdict"] == "warning"
    with Ledger(ws.archive_dir) as ledger:
        (receipt,) = ledger.receipts("2024")
    assert receipt.agency == "STP" and receipt.data is not None
