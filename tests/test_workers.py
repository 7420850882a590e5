"""The worker processes: a file's time limit counts from when a worker starts it, a hanging or crashing file
costs only itself, results keep the input order, and the memory cap turns a runaway file into a finding.

The validator is replaced (before the workers are forked) by one whose behaviour the file name chooses, so
each case is exact and quick; real files go through the same pool in tests/test_hostile.py and test_collect.py.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time

import pytest

from planreports.intake import workers
from planreports.intake.validate import Rules, Validation
from planreports.workspace import Workspace

SLOW_SECONDS = 0.25


def scripted(data: bytes, file: str, rules: Rules, arrival: object = None) -> Validation:
    """Behaves as the file name says; answers with the worker's pid (in `agency`) so a test sees which
    process checked the file."""
    if file.startswith("slow"):
        time.sleep(SLOW_SECONDS)
    elif file.startswith("hang"):
        time.sleep(3600)
    elif file.startswith("crash"):
        os._exit(3)
    elif file.startswith("greedy"):
        hoard = bytearray(8 * 1024**3)   # far above the memory cap: MemoryError
        del hoard
    return Validation(file, agency=str(os.getpid()))


def rules(ws: Workspace, **limits: float) -> Rules:
    return Rules(ws.plan, dataclasses.replace(ws.config.limits, workers=2, **limits), "2024")


def run(ws: Workspace, names: list[str], **limits: float) -> tuple[list[tuple[str, Validation]], float, int]:
    """(file name, result) in the order returned, wall seconds, worker processes started."""
    jobs = [workers.Job(n, name, name.encode()) for n, name in enumerate(names)]
    start = time.perf_counter()
    with workers.WorkerPool(rules(ws, **limits)) as pool:
        results = [(job.name, validation) for job, validation in pool.validate(jobs)]
    return results, time.perf_counter() - start, pool.spawned


def codes(validation: Validation) -> list[str]:
    return [str(issue.code) for issue in validation.issues]


@pytest.fixture(autouse=True)
def _scripted_validator(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workers, "validate_bytes", scripted)


def test_a_long_queue_does_not_count_against_a_file(ws: Workspace) -> None:
    # 24 files of 0.25 s on 2 workers: the last starts about 3 s after it was queued, far past max_seconds
    names = [f"slow-{n:02d}.xlsx" for n in range(24)]
    results, seconds, spawned = run(ws, names, max_seconds=1.0)
    assert [name for name, _ in results] == names
    assert all(codes(v) == [] for _, v in results), [(n, codes(v)) for n, v in results if codes(v)]
    assert spawned == 2 and len({v.agency for _, v in results}) == 2   # no worker was replaced
    assert seconds < 24 * SLOW_SECONDS          # both workers ran: nothing was checked twice


def test_a_hanging_file_times_out_alone(ws: Workspace) -> None:
    names = [f"ok-{n:02d}.xlsx" for n in range(5)] + ["hang.xlsx"] + [f"ok-{n:02d}.xlsx" for n in range(5, 40)]
    results, seconds, spawned = run(ws, names, max_seconds=1.0)
    assert [name for name, _ in results] == names
    outcome = {name: codes(v) for name, v in results}
    assert outcome.pop("hang.xlsx") == ["file-timeout"]
    assert all(found == [] for found in outcome.values())
    message = dict(results)["hang.xlsx"].issues[0].message
    assert "vượt quá 1 giây" in message
    assert seconds < 6 and spawned == 3       # the stuck worker alone was replaced


def test_a_worker_killed_hard_costs_only_its_file(ws: Workspace) -> None:
    names = [f"ok-{n:02d}.xlsx" for n in range(10)] + ["crash.xlsx"] + [f"ok-{n:02d}.xlsx" for n in range(10, 30)]
    results, seconds, spawned = run(ws, names, max_seconds=60.0)
    assert [name for name, _ in results] == names
    outcome = {name: codes(v) for name, v in results}
    assert outcome.pop("crash.xlsx") == ["file-crashed"]
    assert all(found == [] for found in outcome.values())
    crashed = dict(results)["crash.xlsx"].issues[0]
    assert crashed.severity == "error" and "mã thoát 3" in crashed.message
    assert seconds < 10 and spawned == 3      # told at once, not after max_seconds


def test_several_bad_files_in_a_row(ws: Workspace) -> None:
    names = ["hang-1.xlsx", "crash-1.xlsx", "ok-1.xlsx", "hang-2.xlsx", "crash-2.xlsx", "ok-2.xlsx"]
    results, _, _ = run(ws, names, max_seconds=1.0)
    assert [(name, codes(v)) for name, v in results] == [
        ("hang-1.xlsx", ["file-timeout"]), ("crash-1.xlsx", ["file-crashed"]), ("ok-1.xlsx", []),
        ("hang-2.xlsx", ["file-timeout"]), ("crash-2.xlsx", ["file-crashed"]), ("ok-2.xlsx", [])]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the address-space cap is set on Linux only")
def test_a_file_that_needs_too_much_memory_is_too_large(ws: Workspace) -> None:
    results, _, spawned = run(ws, ["ok-1.xlsx", "greedy.xlsx", "ok-2.xlsx"], max_memory_mb=256)
    assert [(name, codes(v)) for name, v in results] == [
        ("ok-1.xlsx", []), ("greedy.xlsx", ["file-too-large"]), ("ok-2.xlsx", [])]
    assert "vượt giới hạn bộ nhớ" in dict(results)["greedy.xlsx"].issues[0].message
    assert spawned == 2                       # a MemoryError is a finding, the worker lives on


def test_several_batches_share_the_workers(ws: Workspace) -> None:
    with workers.WorkerPool(rules(ws, max_seconds=5.0)) as pool:
        first = [codes(v) for _, v in pool.validate([workers.Job(n, f"ok-{n}", b"") for n in range(7)])]
        second = [v.file for _, v in pool.validate([workers.Job(n, f"b-{n}", b"") for n in range(9)])]
        empty = list(pool.validate([]))
    assert first == [[]] * 7 and second == [f"b-{n}" for n in range(9)] and empty == []
    assert pool.spawned == 2


def test_a_batch_abandoned_midway_leaves_the_pool_usable(ws: Workspace) -> None:
    with workers.WorkerPool(rules(ws, max_seconds=5.0)) as pool:
        results = pool.validate([workers.Job(n, f"slow-{n}", b"") for n in range(12)])
        next(results)
        results.close()                        # the caller stopped reading: the rest is dropped
        again = [v.file for _, v in pool.validate([workers.Job(n, f"ok-{n}", b"") for n in range(3)])]
    assert again == ["ok-0", "ok-1", "ok-2"]
