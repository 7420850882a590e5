"""Check files in worker processes: both cores used, and every file bounded in time and memory.

A file's clock starts when its worker starts it, never while it waits its turn: a batch of large, slow but
legitimate files runs to the end without a false "file-timeout". A file still running limits.max_seconds
after it started gets "file-timeout"; a worker that dies under a file (a crash in a native parser, a kill)
gives that file "file-crashed" at once. Only that worker is replaced; the files queued to it go back to the
queue and the batch goes on, results in input order. On Linux each worker also caps its address space
(limits.max_memory_mb above what it started with), so a bomb that slips past the size checks fails with
MemoryError ("file-too-large") instead of exhausting the machine. Portable: the worker functions are top
level so Windows' spawn start method can import them. The scheduling, and how workers end when the main
process is stopped, are in intake/supervisor.py.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from planreports.findings import IssueCode, make_issue
from planreports.intake.arrival import Arrival
from planreports.intake.supervisor import Failure, Supervisor, work
from planreports.intake.validate import Rules, Validation, internal_error, validate_bytes
from planreports.ledger import store_file

_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class Job:
    index: int
    name: str
    data: bytes
    arrival: Arrival = field(default_factory=Arrival)
    store_to: str | None = None     # archive path (relative) where the worker keeps the original first


def _cap_memory(extra_mb: float) -> None:
    try:
        import resource  # POSIX only; Windows workers run without an address-space cap
    except ImportError:
        return
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return
    limit = current + int(extra_mb * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _init(rules: Rules, archive_dir: Path | None) -> None:
    _STATE.update(rules=rules, archive_dir=archive_dir)
    _cap_memory(rules.limits.max_memory_mb)


def serve(jobs: Connection, results: Connection, rules: Rules, archive_dir: Path | None) -> None:
    """A worker process: for each file say that it starts (its clock starts there), then what was found.
    None, or the end of the pipe, ends it."""
    _init(rules, archive_dir)
    work(jobs, results, _check)


def _check(job: Job) -> Validation:
    try:
        if job.store_to is not None:
            # the original is kept before it is even parsed; writing here spreads the I/O over the workers
            store_file(_STATE["archive_dir"], job.store_to, job.data)
        result = validate_bytes(job.data, job.name, _STATE["rules"], job.arrival)
    except MemoryError:
        result = Validation(job.name, issues=[make_issue(IssueCode.FILE_TOO_LARGE, file=job.name,
                                                         detail="vượt giới hạn bộ nhớ khi đọc")])
    except Exception as exc:  # our failure (the disk, a bug), not the file's: said so, the batch goes on
        return internal_error(job.name, exc)
    result.stored = job.store_to is not None
    return result


class WorkerPool:
    """Worker processes kept for a whole run (starting them per batch cost more than the checking).

    Use as a context manager; `validate` may be called for several batches."""

    def __init__(self, rules: Rules, archive_dir: Path | None = None) -> None:
        self.limits = rules.limits
        self.supervisor: Supervisor[Job, Validation] = Supervisor(
            serve, (rules, archive_dir), rules.limits.processes(), rules.limits.max_seconds, self.failed)

    @property
    def spawned(self) -> int:
        """Worker processes started so far: the pool's size, plus one for each file that hung or crashed."""
        return self.supervisor.spawned

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if kind is None:
            self.close()
        else:   # stopped (Ctrl-C, SIGTERM) or failed (a full disk): no file is worth waiting for
            self.supervisor.kill()

    def validate(self, jobs: Iterable[Job]) -> Generator[tuple[Job, Validation], None, None]:
        """Results in the order of the jobs; every file bounded by limits.max_seconds from its start."""
        all_jobs = list(jobs)
        for position, outcome in self.supervisor.run(all_jobs):
            yield all_jobs[position], outcome

    def failed(self, job: Job, failure: Failure) -> Validation:
        """The finding for a file that a worker gave no result for."""
        if failure.kind == "timeout":
            issue = make_issue(IssueCode.FILE_TIMEOUT, file=job.name, detail=f"{self.limits.max_seconds:g} giây")
        elif failure.kind == "crash":
            issue = make_issue(IssueCode.FILE_CRASHED, file=job.name, detail=failure.detail)
        else:
            return internal_error(job.name, RuntimeError(
                f"tiến trình kiểm tra dừng trước khi bắt đầu đọc tệp ({failure.detail})"))
        return Validation(job.name, issues=[issue])

    def close(self) -> None:
        self.supervisor.close()


def validate_jobs(jobs: Iterable[Job], rules: Rules, archive_dir: Path | None = None
                  ) -> Iterator[tuple[Job, Validation]]:
    """One batch with a pool of its own (see WorkerPool to keep one for several batches)."""
    with WorkerPool(rules, archive_dir) as pool:
        yield from pool.validate(jobs)
