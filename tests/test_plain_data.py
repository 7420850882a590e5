"""Core helpers on plain data: legacy encodings, Vietnamese numbers, deadlines, periods."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planreports.errors import UsageError
from planreports.plan.deadlines import DeadlineError, Rhythm, parse_deadline
from planreports.plan.periods import parse_period
from planreports.plan.seed_lists import seed_text
from planreports.vn.legacy import Encoding, detect_and_convert
from planreports.vn.numerals import NumberProblem, format_number, parse_number

WORDS = sorted(set(re.findall(r"\w+", seed_text("plan.toml") + seed_text("agencies.toml"))))


@pytest.mark.parametrize(("legacy", "unicode", "encoding"), [
    ("B¸o c¸o kÕt qu¶ thùc hiÖn ChØ thÞ sè 07/CT-TTg", "Báo cáo kết quả thực hiện Chỉ thị số 07/CT-TTg",
     Encoding.TCVN3),
    ("Baùo caùo keát quaû thöïc hieän Chæ thò soá 07/CT-TTg", "Báo cáo kết quả thực hiện Chỉ thị số 07/CT-TTg",
     Encoding.VNI),
    ("Kh«ng ph¸t sinh", "Không phát sinh", Encoding.TCVN3),
    ("Ñang thöïc hieän", "Đang thực hiện", Encoding.VNI),
    ("Së T­ ph¸p", "Sở Tư pháp", Encoding.TCVN3),
])
def test_legacy_text_is_converted(legacy: str, unicode: str, encoding: Encoding) -> None:
    assert detect_and_convert(legacy) == (unicode, encoding)


@pytest.mark.parametrize("text", ["Hoà bình, hoá học, hoãn", "25°C", "« trích dẫn »", "Müller", "kÕt", "OK"])
def test_non_legacy_text_is_left_alone(text: str) -> None:
    assert detect_and_convert(text) == (text, None)


@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30).map(" ".join))
def test_real_vietnamese_is_never_converted(text: str) -> None:
    assert detect_and_convert(text) == (text, None)


@pytest.mark.parametrize(("typed", "number", "problem"), [
    ("1.200", 1200.0, None), ("2,5", 2.5, None), ("1.234.567,5", 1234567.5, None), ("1 200", 1200.0, None),
    ("2.5", 2.5, NumberProblem.DOT_DECIMAL), ("khoảng 20", None, NumberProblem.NOT_A_NUMBER),
    ("-3", None, NumberProblem.NEGATIVE), (-0.5, None, NumberProblem.NEGATIVE), ("", None, NumberProblem.NOT_A_NUMBER),
    (True, None, NumberProblem.NOT_A_NUMBER), (float("nan"), None, NumberProblem.NOT_A_NUMBER),
])
def test_parse_vietnamese_numbers(typed: object, number: float | None, problem: NumberProblem | None) -> None:
    assert parse_number(typed) == (number, problem)


@given(st.integers(min_value=0, max_value=10**12))
def test_integers_print_and_parse_back(value: int) -> None:
    assert parse_number(format_number(value)) == (float(value), None)


def test_format_number() -> None:
    assert format_number(1234567.5) == "1.234.567,5"
    assert format_number(95.25, 2) == "95,25"
    assert format_number(0) == "0"


@pytest.mark.parametrize(("text", "rhythm", "due"), [
    ("Thường xuyên", Rhythm.CONTINUOUS, None),
    ("Hằng năm", Rhythm.ANNUAL, None),
    ("Hàng năm và đột xuất (khi có yêu cầu)", Rhythm.ANNUAL_ADHOC, None),
    ("Trong năm 2023", None, date(2023, 12, 31)),
    ("Năm 2023 – 2024", None, date(2024, 12, 31)),
    ("Năm 2023 - 2024", None, date(2024, 12, 31)),
    ("Hoàn thành trước tháng 12/2024", None, date(2024, 11, 30)),
    ("trước tháng 6/2024", None, date(2024, 5, 31)),
    ("Trước tháng 1/2025", None, date(2024, 12, 31)),
    ("2025", None, date(2025, 12, 31)),
])
def test_deadlines(text: str, rhythm: Rhythm | None, due: date | None) -> None:
    deadline = parse_deadline(text)
    assert (deadline.rhythm, deadline.due) == (rhythm, due)


@pytest.mark.parametrize("text", ["", "sớm", "trước tháng 13/2024", "Năm 2025 – 2023"])
def test_deadlines_not_understood(text: str) -> None:
    with pytest.raises(DeadlineError):
        parse_deadline(text)


def test_periods_follow_decree_09_2019() -> None:
    annual = parse_period("2024")
    assert (annual.start, annual.end, annual.label) == (date(2023, 12, 15), date(2024, 12, 14), "năm 2024")
    half = parse_period("2024-h1")
    assert (half.id, half.start, half.end) == ("2024-H1", date(2023, 12, 15), date(2024, 6, 14))
    second = parse_period("2024-H2")
    assert (second.start, second.end) == (date(2024, 6, 15), date(2024, 12, 14))
    with pytest.raises(UsageError):
        parse_period("24")
