"""The library API: the main job without the command line, as the README shows it."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

import planreports
from planreports.errors import LedgerError
from planreports.ledger import MIGRATIONS, SCHEMA_VERSION, Ledger, migrate
from planreports.workspace import Workspace


def test_the_main_job_through_the_library(example: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(example.root.parent)   # "input/inbox" is found in the workspace, not the current folder
    ws = planreports.open_workspace(example.root)
    results = planreports.collect(ws, ["input/inbox"], period="2024")   # the folders of 2025, 2026 are left
    mails = list((example.inbox / "2024").glob("*.eml"))
    assert len(results) == len(mails) and {r.to_dict()["verdict"] for r in results} >= {"accepted", "rejected"}
    assert sum(r.verdict == "rejected" for r in results) == 2
    cons = planreports.consolidate(ws, period="2024")
    summary = cons.summary()
    assert summary["period"] == "2024" and len(summary["agencies_expected"]) == 34
    assert summary["agencies_missing"] == ["SGTVT", "HVN"]     # a rejected file, and no answer at all
    path = planreports.render_report(ws, period="2024")
    assert path == example.root / "output" / "2024" / "bao-cao-2024.docx" and path.stat().st_size > 10_000
    written = planreports.write_consolidated(ws, "2024")
    assert json.loads(written[1].read_text(encoding="utf-8")) == json.loads(json.dumps(summary))


def test_the_api_is_declared() -> None:
    assert {"open_workspace", "collect", "consolidate", "render_report"} <= set(planreports.__all__)
    assert all(callable(getattr(planreports, name)) for name in planreports.__all__ if name != "__version__")


def test_a_ledger_of_this_version_opens_after_a_migration(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        ledger.db.execute("INSERT INTO mail_seen VALUES ('m', '1', '2', NULL)")
    db = sqlite3.connect(tmp_path / "ledger.sqlite", isolation_level=None)
    step = {**MIGRATIONS, SCHEMA_VERSION: ("ALTER TABLE receipts ADD COLUMN note TEXT",)}
    migrate(db, step, SCHEMA_VERSION + 1)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert "note" in {row[1] for row in db.execute("PRAGMA table_info(receipts)")}
    assert db.execute("SELECT uid FROM mail_seen").fetchall() == [("2",)]
    db.close()
    with pytest.raises(LedgerError, match="phiên bản planreports mới hơn"):
        Ledger(tmp_path)


def test_a_ledger_from_before_versions_is_taken_as_version_one(tmp_path: Path) -> None:
    with Ledger(tmp_path) as ledger:
        ledger.db.execute("PRAGMA user_version = 0")
    with Ledger(tmp_path) as ledger:
        assert ledger.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_the_workspace_knows_where_every_output_goes(ws: Workspace) -> None:
    period = ws.period("2024")
    outputs = [ws.template_dir(period), ws.consolidated_path(period), ws.summary_path(period),
               ws.report_path(period), ws.status_page_path(period), ws.feedback_path(period, "STP"),
               ws.reminder_mail_path(period, "STP"), ws.reminder_letter_path(period)]
    assert all(path.is_relative_to(ws.period_dir(period)) for path in outputs)
