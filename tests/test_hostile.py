"""The hostile corpus, one test per case: a clear finding with a stable code, the batch goes on, the original
is kept in the archive, nothing is expanded, fetched or run."""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.intake.validate import Rules, Validation, validate_bytes
from planreports.ledger import Ledger
from planreports.workspace import Workspace
from tests import hostile


def check(ws: Workspace, path: Path) -> Validation:
    return validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, "2024"))


def codes(result: Validation) -> set[str]:
    return {i.code for i in result.issues}


@pytest.fixture
def filled(fill) -> Path:  # type: ignore[no-untyped-def]
    return fill("STP")


def timed(ws: Workspace, path: Path) -> tuple[Validation, float]:
    start = time.perf_counter()
    result = check(ws, path)
    return result, time.perf_counter() - start


def test_zip_bomb_is_refused_quickly(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    bomb = hostile.zip_bomb(filled, tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 10 * 1024 * 1024
    result, seconds = timed(ws, bomb)
    assert codes(result) == {"file-too-large"} and seconds < 5
    assert "sau giải nén" in result.issues[0].message


def test_zip_bomb_with_lying_headers(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result, seconds = timed(ws, hostile.lying_zip_bomb(filled, tmp_path / "lying.xlsx"))
    assert result.verdict == "rejected" and codes(result) <= {"file-too-large", "file-corrupt"} and seconds < 5


def test_billion_laughs_is_not_expanded(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result, seconds = timed(ws, hostile.billion_laughs(filled, tmp_path / "lol.xlsx"))
    assert codes(result) == {"file-unsafe-xml"} and seconds < 2
    assert "xl/worksheets/sheet3.xml" in result.issues[0].message


def test_xxe_reads_no_local_file(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    path = hostile.xxe(filled, tmp_path / "xxe.xlsx", tmp_path / "secret.txt")
    result = check(ws, path)
    assert codes(result) == {"file-unsafe-xml"}
    assert hostile.SECRET not in json.dumps([i.to_dict() for i in result.issues], ensure_ascii=False)


def test_encrypted(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    assert codes(check(ws, hostile.encrypted(filled, tmp_path / "enc.xlsx"))) == {"file-encrypted"}


def test_vba_project_is_read_never_run(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result = check(ws, hostile.with_macros(filled, tmp_path / "m.xlsm"))
    assert result.verdict == "warning" and codes(result) == {"file-macros"}


# the prefixed sheet goes through the streaming parser, which has tighter bounds than calamine's own reading
@pytest.mark.parametrize(("build", "max_seconds", "max_mb"), [(hostile.million_rows, 10, 300),
                                                            (hostile.prefixed_million_rows, 2, 50)])
def test_million_rows_bounded(ws: Workspace, filled: Path, tmp_path: Path, build: Callable[[Path, Path], Path],
                              max_seconds: float, max_mb: float) -> None:
    path = build(filled, tmp_path / "rows.xlsx")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result, seconds = timed(ws, path)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert codes(result) == {"file-too-large"} and "2000 dòng" in result.issues[0].message
    assert seconds < max_seconds and grown_mb < max_mb


def test_huge_cell(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result = check(ws, hostile.huge_cell(filled, tmp_path / "cell.xlsx"))
    issue = next(i for i in result.issues if i.code == "cell-too-long")
    assert issue.cell == "F2" and "vượt giới hạn 10000 ký tự" in issue.message


def test_five_thousand_sheets(ws: Workspace, tmp_path: Path) -> None:
    result, seconds = timed(ws, hostile.many_sheets(tmp_path / "sheets.xlsx"))
    assert codes(result) == {"file-too-many-sheets"} and seconds < 5


@pytest.mark.parametrize(("builder", "code"), [
    (lambda f, t: hostile.renamed_text(t), "file-not-spreadsheet"),
    (lambda f, t: hostile.empty(t), "file-empty"),
    (hostile.truncated, "file-corrupt"),
    (lambda f, t: hostile.word_document(t), "file-is-document"),
])
def test_not_a_workbook(ws: Workspace, filled: Path, tmp_path: Path, builder, code: str) -> None:  # type: ignore[no-untyped-def]
    assert codes(check(ws, builder(filled, tmp_path / "x.xlsx"))) == {code}


def test_layout_tricks_are_named(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result = check(ws, hostile.layout_tricks(filled, tmp_path / "layout.xlsx"))
    found = {(i.code, i.sheet, i.cell) for i in result.issues}
    assert ("cell-merged", "Nhiệm vụ", "F3") in found
    assert ("row-hidden", "Nhiệm vụ", "A5") in found
    assert ("column-hidden", "Nhiệm vụ", "G1") in found
    assert ("cell-formula-no-value", "Số liệu", "D3") in found
    assert ("sheet-extra", "Ghi chép riêng", "") in found
    assert result.verdict == "rejected"          # the figure without a value cannot be used


def test_mixed_encodings_in_one_file(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result = check(ws, hostile.mixed_encodings(filled, tmp_path / "enc.xlsx"))
    converted = {i.cell: i.message for i in result.issues if i.code == "text-legacy-encoding"}
    assert set(converted) == {"F2", "F3"}
    assert "TCVN3" in converted["F2"] and "VNI" in converted["F3"]
    results = [a.result for a in result.submission.answers[:3]]  # type: ignore[union-attr]
    assert results[:2] == ["Đã tổ chức 02 hội nghị phổ biến"] * 2 and results[2] == "Đã tổ chức 02 hội nghị phổ biến"


def test_formula_like_text_stays_text_everywhere(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    path = hostile.formula_text(filled, tmp_path / "formula.xlsx")
    runner = CliRunner()
    assert runner.invoke(cli, ["-w", str(ws.root), "collect", str(path), "--period", "2024"]).exit_code == 0
    assert runner.invoke(cli, ["-w", str(ws.root), "run", "--period", "2024"]).exit_code == 0
    sheet = openpyxl.load_workbook(ws.output_dir / "2024" / "tong-hop-2024.xlsx")["Chi tiết đơn vị"]
    cells = {row[6].value: row[6].data_type for row in sheet.iter_rows(min_row=2) if row[1].value == "STP"}
    for text in ('=HYPERLINK("http://evil.example/","bấm vào đây")', "+84 208 3855 123", "-10% so với năm trước",
                 "@SUM(1+1)", "=1+1"):
        assert cells[text] == "s", text
    report = docx.Document(str(ws.output_dir / "2024" / "bao-cao-2024.docx"))
    body = "\n".join(p.text for p in report.paragraphs)
    assert '=HYPERLINK("http://evil.example/","bấm vào đây")' in body
    assert "fldSimple" not in report.element.xml and "HYPERLINK" not in report.element.xml.split("<w:t")[0]


def test_batch_goes_on_and_every_original_is_kept(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    hostile.write_corpus(filled, corpus)
    (corpus / "secret.txt").unlink()
    (corpus / "zz-good.xlsx").write_bytes(filled.read_bytes())
    on_time = datetime(2024, 12, 1, 9, tzinfo=timezone(timedelta(hours=7))).timestamp()
    os.utime(corpus / "zz-good.xlsx", (on_time, on_time))
    result = CliRunner().invoke(cli, ["-w", str(ws.root), "collect", str(corpus), "--period", "2024", "--json"])
    assert result.exit_code == 1
    items = json.loads(result.output)
    assert len(items) == len(list(corpus.iterdir()))
    assert next(i for i in items if i["file"] == "zz-good.xlsx")["verdict"] == "accepted"
    assert all(i["issues"] for i in items if i["file"] != "zz-good.xlsx")
    assert all(i["issues"][0]["message"] for i in items if i["issues"])
    with Ledger(ws.archive_dir) as ledger:
        receipts = ledger.receipts()
    assert len(receipts) == len(items)
    for receipt in receipts:
        original = corpus / receipt.file_name
        assert (ws.archive_dir / receipt.stored_path).read_bytes() == original.read_bytes()


# ---- the same tricks in a sheet written with a namespace prefix (<x:worksheet xmlns:x="…main">, <x:row>, <x:c>)

def test_a_prefixed_sheet_reads_like_a_plain_one(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    plain = check(ws, filled)
    for sheet in ("Số liệu", "Nhiệm vụ"):
        result = check(ws, hostile.prefixed(filled, tmp_path / "p.xlsx", sheet))
        assert result.verdict == plain.verdict == "accepted" and result.submission == plain.submission, sheet


def test_prefixed_error_cell_is_named(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result = check(ws, hostile.prefixed_error_cell(filled, tmp_path / "err.xlsx"))
    found = {(i.code, i.sheet, i.cell) for i in result.issues}
    assert ("cell-error-value", "Số liệu", "D2") in found
    assert ("value-missing", "Số liệu", "D2") not in found
    assert result.verdict == "rejected"


def test_prefixed_hidden_row_is_named(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result = check(ws, hostile.prefixed_hidden_row(filled, tmp_path / "hidden.xlsx"))
    assert [(i.code, i.sheet, i.cell) for i in result.issues] == [("row-hidden", "Nhiệm vụ", "A5")]


def test_prefixed_merge_is_named(ws: Workspace, filled: Path, tmp_path: Path) -> None:
    result = check(ws, hostile.prefixed_merge(filled, tmp_path / "merge.xlsx"))
    found = {(i.code, i.sheet, i.cell) for i in result.issues}
    assert ("cell-merged", "Nhiệm vụ", "F3") in found
    assert "F3:F4" in next(i.message for i in result.issues if i.code == "cell-merged")
