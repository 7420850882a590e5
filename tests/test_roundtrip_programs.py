"""A filled template saved again by LibreOffice and by Gnumeric, in every format each writes, reads as typed.

Two fillings of one agency's template: the template as written now (built-in number formats "#,##0" and
"#,##0.00"), and the same with the custom format "#,##0.##" on the figures, as templates written before carried
(an agency may still return one). Gnumeric stored that format under .xls id 50, which python-calamine takes for
an East Asian date: every figure was value-is-date. Gnumeric's .ods indents its XML: it was file-corrupt.
Each program converts each filling once per format (module-scoped fixtures).
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.form import schema
from planreports.intake import numformats
from planreports.intake.validate import Rules, Validation, validate_bytes
from planreports.plan.model import NumberType
from planreports.testing.filling import Answers, fill_template
from planreports.workspace import Workspace
from tests.conftest import ON_TIME, complete_answers, filled_on
from tests.gnumeric import needs_gnumeric, ssconvert
from tests.libreoffice import convert_many, needs_libreoffice

AGENCY = "STP"
FORMATS = ("xlsx", "ods", "xls")
FILLINGS = ("current", "custom-format")     # the template as written now; figures in "#,##0.##"
DECIMAL = 2500.75
VALUE_COLUMN = 1 + [c.key for c in schema.FIGURE_TABLE.columns].index("value")


def typed_answers(ws: Workspace) -> Answers:
    """Every indicator a different figure, thousands included; the decimal indicator a figure with decimals."""
    answers = complete_answers(ws, AGENCY)
    answers.figures = {}
    for n, indicator in enumerate(ws.plan.indicators):
        decimal = indicator.type is not NumberType.INTEGER
        answers.figures[indicator.code] = DECIMAL + n if decimal else 1_234_567 if n == 0 else 1001 * n + 7
    answers.tasks[next(iter(answers.tasks))]["difficulty"] = "Thiếu kinh phí; đề nghị hỗ trợ 02 lớp tập huấn."
    return answers


@pytest.fixture(scope="module")
def typed(seed_workspace: Path) -> Answers:
    return typed_answers(Workspace(seed_workspace))


@pytest.fixture(scope="module")
def fillings(tmp_path_factory: pytest.TempPathFactory, seed_templates: Path, typed: Answers) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("fillings")
    current = fill_template(seed_templates / f"{AGENCY}.xlsx", typed, out / "current.xlsx")
    book = openpyxl.load_workbook(current)
    figures = book[schema.SHEET_FIGURES]
    for row in figures.iter_rows(min_row=2, min_col=VALUE_COLUMN, max_col=VALUE_COLUMN):
        row[0].number_format = "#,##0.##"
    book.save(out / "custom-format.xlsx")
    return {"current": current, "custom-format": out / "custom-format.xlsx"}


@pytest.fixture(scope="module")
def libreoffice_copies(tmp_path_factory: pytest.TempPathFactory, fillings: dict[str, Path]) -> dict[str, Path]:
    """(filling, format) -> the filling saved by LibreOffice in that format; one LibreOffice start per format."""
    out = tmp_path_factory.mktemp("libreoffice")
    sources = [fillings[name] for name in FILLINGS]
    return {f"{path.stem}.{fmt}": path for fmt in FORMATS for path in convert_many(sources, fmt, out / fmt)}


@pytest.fixture(scope="module")
def gnumeric_copies(tmp_path_factory: pytest.TempPathFactory, fillings: dict[str, Path]) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("gnumeric")
    return {f"{name}.{fmt}": ssconvert(fillings[name], fmt, out / fmt) for fmt in FORMATS for name in FILLINGS}


def check(ws: Workspace, path: Path) -> Validation:
    return validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, "2024"))


def assert_read_as_typed(ws: Workspace, path: Path, typed: Answers) -> None:
    result = check(ws, path)
    assert result.verdict == "accepted" and result.issues == [], (path.name, result.issues)
    submission = result.submission
    assert submission is not None and submission.agency == AGENCY
    assert submission.figures == {code: float(value) for code, value in typed.figures.items()}, path.name
    assert any(value != int(value) for value in submission.figures.values())     # the decimal came through
    for answer in submission.answers:
        wanted = typed.tasks[answer.task_id]
        assert (answer.status, answer.result, answer.difficulty) == (
            wanted["status"], wanted["result"], wanted["difficulty"]), path.name
    assert submission.info["reporter"] == typed.info["reporter"]


@needs_libreoffice
@pytest.mark.parametrize("filling", FILLINGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_libreoffice_copy_reads_as_typed(ws: Workspace, libreoffice_copies: dict[str, Path], typed: Answers,
                                         filling: str, fmt: str) -> None:
    assert_read_as_typed(ws, libreoffice_copies[f"{filling}.{fmt}"], typed)


@needs_gnumeric
@pytest.mark.parametrize("filling", FILLINGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_gnumeric_copy_reads_as_typed(ws: Workspace, gnumeric_copies: dict[str, Path], typed: Answers,
                                      filling: str, fmt: str) -> None:
    assert_read_as_typed(ws, gnumeric_copies[f"{filling}.{fmt}"], typed)


@needs_gnumeric
def test_gnumeric_xls_of_the_template_needs_no_rewriting(gnumeric_copies: dict[str, Path]) -> None:
    """The template's formats survive Gnumeric's .xls as built-in ones: the reader reads the file as it is.
    The old custom format is what needed the rewrite (format 50, then pointed at General)."""
    current = gnumeric_copies["current.xls"].read_bytes()
    assert numformats.readable_xls(current) is current
    custom = gnumeric_copies["custom-format.xls"].read_bytes()
    rewritten = numformats.readable_xls(custom)
    assert rewritten != custom and len(rewritten) == len(custom)
    assert "#,##0.##" in numformats.scan_globals(_workbook_stream(custom)).codes.values()


def _workbook_stream(data: bytes) -> bytes:
    import olefile

    with olefile.OleFileIO(data) as ole:
        stream: bytes = ole.openstream("Workbook").read()
    return stream


def _figure_formats(path: Path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)[schema.SHEET_FIGURES]
    return {str(row[0].value): str(row[VALUE_COLUMN - 1].number_format)
            for row in sheet.iter_rows(min_row=2) if row[0].value}


@needs_libreoffice
@needs_gnumeric
@pytest.mark.filterwarnings("ignore:Workbook contains no default style")   # openpyxl, on Gnumeric's .xlsx
def test_template_number_formats_survive_both_programs(ws: Workspace, fillings: dict[str, Path],
                                                       libreoffice_copies: dict[str, Path],
                                                       gnumeric_copies: dict[str, Path]) -> None:
    wanted = {i.code: "#,##0" if i.type is NumberType.INTEGER else "#,##0.00" for i in ws.plan.indicators}
    for path in (fillings["current"], libreoffice_copies["current.xlsx"], gnumeric_copies["current.xlsx"]):
        assert _figure_formats(path) == wanted, path


@needs_libreoffice
@needs_gnumeric
def test_check_accepts_every_copy(ws: Workspace, libreoffice_copies: dict[str, Path],
                                  gnumeric_copies: dict[str, Path], tmp_path: Path) -> None:
    paths = []
    for program, copies in (("lo", libreoffice_copies), ("gn", gnumeric_copies)):
        for name, source in copies.items():
            target = tmp_path / f"{program}-{name}"
            target.write_bytes(source.read_bytes())
            paths.append(str(filled_on(target, ON_TIME)))
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "check", *paths, "--period", "2024", "--json"])
    assert result.exit_code == 0, result.output
    outcomes = json.loads(result.output)
    assert len(outcomes) == 12 and {(o["verdict"], o["agency"]) for o in outcomes} == {("accepted", AGENCY)}
