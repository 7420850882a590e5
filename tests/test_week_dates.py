"""The mistakes of an ordinary week, dates: `remind --until` a day already past, before the period's deadline,
or that does not exist is refused before anything is written, in Vietnamese, with the dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from planreports.cli import cli
from planreports.errors import UsageError
from planreports.mail.reminders import new_deadline, remind
from planreports.vn.dates import VN_TZ, format_date, parse_date
from planreports.workspace import Workspace


def invoke(ws: Workspace, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["-w", str(ws.root), *args])
    return result.exit_code, result.output


def reminders_written(ws: Workspace) -> list[Path]:
    return sorted(ws.output_dir.rglob("nhac-nho/*"))


def test_a_day_that_does_not_exist_is_said_so_in_vietnamese(ws: Workspace) -> None:
    code, out = invoke(ws, "remind", "--period", "2024", "--until", "31/11/2026")
    assert code == 2
    assert "không có ngày 31/11/2026 (tháng 11/2026 chỉ có 30 ngày)" in out
    assert "%" not in out and "does not match" not in out
    assert reminders_written(ws) == [] and not ws.ledger_path.exists()


@pytest.mark.parametrize(("typed", "words"), [
    ("29/02/2026", "không có ngày 29/02/2026 (tháng 2/2026 chỉ có 28 ngày)"),
    ("05/13/2026", "không có ngày 05/13/2026 (tháng ghi từ 1 đến 12, đứng sau ngày)"),
    ("mai", "“mai” không phải là ngày; ghi theo dạng ngày/tháng/năm, ví dụ 30/11/2026"),
])
def test_every_date_option_speaks_vietnamese(ws: Workspace, typed: str, words: str) -> None:
    for args in (("remind", "--period", "2024", "--until", typed),
                 ("collect", str(ws.root / "input"), "--period", "2024", "--since", typed)):
        code, out = invoke(ws, *args)
        assert code == 2 and words in out and "%d" not in out, (args, out)
    assert not ws.ledger_path.exists()


def test_parse_date_reads_both_ways_of_writing() -> None:
    assert parse_date("5/12/2026") == parse_date("2026-12-05") == date(2026, 12, 5)
    assert parse_date("29/02/2028") == date(2028, 2, 29)


def test_until_already_past_is_refused_with_both_dates(ws: Workspace) -> None:
    past = datetime.now(VN_TZ).date() - timedelta(days=6)
    code, out = invoke(ws, "remind", "--period", "2024", "--until", format_date(past))
    assert code == 2
    today = format_date(datetime.now(VN_TZ).date())
    assert f"Hạn gửi mới (--until) ngày {format_date(past)} đã qua" in out
    assert f"công văn đôn đốc lập hôm nay ({today})" in out
    assert reminders_written(ws) == []


def test_until_today_is_refused(ws: Workspace) -> None:
    today = format_date(datetime.now(VN_TZ).date())
    code, out = invoke(ws, "remind", "--period", "2024", "--until", today)
    assert code == 2 and f"ngày {today} là hôm nay" in out
    assert reminders_written(ws) == []


def test_until_before_the_deadline_is_refused(ws: Workspace) -> None:
    period = ws.period("2024")                       # deadline 10/12/2024
    with pytest.raises(UsageError) as refused:
        remind(ws, period, until=date(2024, 12, 5), now=datetime(2024, 12, 1, 9, 0, tzinfo=VN_TZ))
    assert refused.value.exit_code == 2
    assert ("Hạn gửi mới (--until) ngày 05/12/2024 sớm hơn hạn nộp của kỳ (10/12/2024): công văn đôn đốc không "
            "rút ngắn thời hạn đã giao") in refused.value.message
    assert reminders_written(ws) == []


def test_the_default_new_deadline_is_never_before_the_period_deadline() -> None:
    deadline = date(2024, 12, 10)
    assert new_deadline(None, date(2024, 12, 1), deadline, 5) == deadline
    assert new_deadline(None, date(2024, 12, 16), deadline, 5) == date(2024, 12, 21)
    assert new_deadline(date(2024, 12, 10), date(2024, 12, 1), deadline, 5) == deadline
