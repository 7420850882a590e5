"""Fuzzing with Hypothesis, bounded for CI (PLANREPORTS_FUZZ_EXAMPLES raises the count for a longer run).

- random cell values and random structural edits of a filled template: the validator never raises, every
  finding names a valid cell, and accepted values are what was typed;
- random byte mutations of a real workbook: the reader and validator never raise;
- random and mutated mail: the mail parser never raises and every attachment name is safe.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planreports.form import schema
from planreports.intake.sources import from_message, parse_message
from planreports.intake.validate import Rules, validate_bytes
from planreports.workspace import Workspace
from tests.test_mail_imap import mail

EXAMPLES = int(os.environ.get("PLANREPORTS_FUZZ_EXAMPLES", "40"))
CELL = re.compile(r"^([A-Z]{1,3}[1-9][0-9]*)?$")
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

values = st.one_of(
    st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=60).map(lambda t: "".join(ch for ch in t if ch.isprintable())),
    st.sampled_from(["Hoàn thành", "hoan thanh", "1.200", "2,5", "khoảng 20", "-3", "#REF!", "Hoµn thµnh",
                     "=1+1", "@x", "Ñaõ xong", "Không phát sinh"]),
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1)),
)
edits = st.lists(st.tuples(st.sampled_from(["delete", "swap", "duplicate", "insert", "cell"]),
                           st.integers(1, 40), st.integers(1, 10), values), max_size=6)


def _apply(sheet: openpyxl.worksheet.worksheet.Worksheet, kind: str, row: int, col: int, value: object) -> None:
    if kind == "delete":
        sheet.delete_rows(row)
    elif kind == "swap":
        for c in range(1, 9):
            a, b = sheet.cell(row, c), sheet.cell(row + 1, c)
            a.value, b.value = b.value, a.value
    elif kind == "duplicate":
        sheet.append([c.value for c in sheet[row]])
    elif kind == "insert":
        sheet.insert_rows(row)
        sheet.cell(row, col).value = value
    else:
        cell = sheet.cell(row, col)
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"


@FUZZ
@given(task_edits=edits, figure_edits=edits)
def test_validator_never_raises_and_cells_are_valid(ws: Workspace, fill, tmp_path: Path, task_edits: list,  # type: ignore[no-untyped-def]
                                                    figure_edits: list) -> None:
    path = fill("STP", name="fuzz.xlsx")
    book = openpyxl.load_workbook(path)
    for edit in task_edits:
        _apply(book[schema.SHEET_TASKS], *edit)
    for edit in figure_edits:
        _apply(book[schema.SHEET_FIGURES], *edit)
    book.save(path)
    typed = {r[0].value: r[3].value for r in openpyxl.load_workbook(path)[schema.SHEET_FIGURES].iter_rows(min_row=2)}
    result = validate_bytes(path.read_bytes(), path.name, Rules(ws.plan, ws.config.limits, "2024"))
    assert all(CELL.match(issue.cell) for issue in result.issues), [i.cell for i in result.issues]
    assert all(issue.message and issue.code for issue in result.issues)
    if result.submission is not None and result.verdict != "rejected":
        for code, value in result.submission.figures.items():
            if value is not None and isinstance(typed.get(code), int | float) and not isinstance(typed[code], bool):
                assert value == float(typed[code])


@pytest.fixture
def workbook_bytes(fill) -> bytes:  # type: ignore[no-untyped-def]
    return fill("STP", name="bytes.xlsx").read_bytes()


@FUZZ
@given(data=st.data())
def test_reader_survives_byte_mutations(ws: Workspace, workbook_bytes: bytes, data: st.DataObject) -> None:
    original = bytearray(workbook_bytes)
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(original) - 1))
        original[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(original)))
    blob = bytes(original[:cut] if data.draw(st.booleans()) else original)
    result = validate_bytes(blob, "mutated.xlsx", Rules(ws.plan, ws.config.limits, "2024"))
    assert result.verdict in ("accepted", "warning", "rejected")


@FUZZ
@given(blob=st.binary(max_size=4000))
def test_mail_parser_survives_random_bytes(blob: bytes) -> None:
    items, note = from_message(parse_message(blob), "x", "eml", datetime(2024, 12, 1))
    assert (note is None) == bool(items)          # either attachments or a note saying there were none
    assert all("/" not in i.name and "\\" not in i.name and "\x00" not in i.name for i in items)


@FUZZ
@given(data=st.data())
def test_mail_parser_survives_mutated_messages(data: st.DataObject) -> None:
    raw = bytearray(bytes(mail("a@b.vn", "Báo cáo", [("báo cáo.xlsx", b"PK\x03\x04" + b"x" * 300)])))
    for _ in range(data.draw(st.integers(1, 30))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    items, _ = from_message(parse_message(bytes(raw)), "x", "eml", datetime(2024, 12, 1))
    assert all(len(i.name) <= 121 for i in items)
