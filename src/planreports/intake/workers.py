"""Check files in worker processes: both cores used, and every file bounded in time and memory.

A file that takes longer than limits.max_seconds (a parser stuck on hostile input, or a worker that died)
gets a "file-timeout" finding; the pool is replaced and the rest of the batch goes on. On Linux each worker
also caps its address space (limits.max_memory_mb above what it started with), so a bomb that slips past
the size checks fails with MemoryError instead of exhausting the machine. Portable: no signals, and the
worker functions are top level so Windows' spawn start method can import them.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from collections import deque
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import Pool
from pathlib import Path
from typing import Any

from planreports.config import Limits
from planreports.findings import IssueCode, make_issue
from planreports.intake.arrival import Arrival
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


def _check_chunk(jobs: list[Job]) -> list[Validation]:
    return [_check(job) for job in jobs]


def _check(job: Job) -> Validation:
    if job.store_to is not None:
        # the original is kept before it is even parsed; writing here spreads the I/O over the workers
        store_file(_STATE["archive_dir"], job.store_to, job.data)
    try:
        result = validate_bytes(job.data, job.name, _STATE["rules"], job.arrival)
    except MemoryError:
        result = Validation(job.name, issues=[make_issue(IssueCode.FILE_TOO_LARGE, file=job.name,
                                                         detail="vượt giới hạn bộ nhớ khi đọc")])
    result.stored = job.store_to is not None
    return result


def _timeout(job: Job, limits: Limits) -> Validation:
    return Validation(job.name, issues=[make_issue(IssueCode.FILE_TIMEOUT, file=job.name,
                                                   detail=f"{limits.max_seconds:g} giây")])


class WorkerPool:
    """Worker processes kept for a whole run (starting them per batch cost more than the checking).

    Use as a context manager; `validate` may be called for several batches."""

    def __init__(self, rules: Rules, archive_dir: Path | None = None) -> None:
        self.args = (rules, archive_dir)
        self.limits = rules.limits
        self.size = rules.limits.processes()
        self.pool: Pool | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def validate(self, jobs: Iterable[Job]) -> Generator[tuple[Job, Validation], None, None]:
        return _validate(self, jobs)

    def get(self) -> Pool:
        if self.pool is None:
            self.pool = multiprocessing.get_context().Pool(self.size, initializer=_init, initargs=self.args)
        return self.pool

    def kill(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None


IN_FLIGHT_PER_WORKER = 8  # chunks queued per worker, so no worker idles while the main process records
CHUNK_FILES = 16          # files per task: one task per file costs more in messaging than in checking


@dataclass
class _Chunk:
    jobs: list[Job]
    started: float = 0.0


def validate_jobs(jobs: Iterable[Job], rules: Rules, archive_dir: Path | None = None
                  ) -> Iterator[tuple[Job, Validation]]:
    """One batch with a pool of its own (see WorkerPool to keep one for several batches)."""
    with WorkerPool(rules, archive_dir) as pool:
        yield from pool.validate(jobs)


def _validate(pool: WorkerPool, jobs: Iterable[Job]) -> Generator[tuple[Job, Validation], None, None]:
    """Results in the order of the jobs; every file is bounded by limits.max_seconds.

    Files go to the workers in small chunks. A chunk still running max_seconds after dispatch is suspect:
    the pool is replaced and its files are tried again one by one, so only the file that really hangs (or
    kills its worker) gets a "file-timeout" finding. Workers report through callbacks into a queue: the main
    process sleeps until a result arrives or the earliest deadline passes — no polling."""
    limits = pool.limits
    all_jobs = list(jobs)
    pending: deque[_Chunk] = deque(_Chunk(all_jobs[i:i + CHUNK_FILES]) for i in range(0, len(all_jobs), CHUNK_FILES))
    running: dict[int, _Chunk] = {}
    finished: dict[int, Validation] = {}
    done: queue.SimpleQueue[tuple[int, int, list[Validation] | BaseException]] = queue.SimpleQueue()
    generation, serial, position = 0, 0, 0
    try:
        while position < len(all_jobs):
            while pending and len(running) < pool.size * IN_FLIGHT_PER_WORKER:
                chunk = pending.popleft()
                chunk.started, serial = time.monotonic(), serial + 1
                running[serial] = chunk
                _dispatch(pool, chunk, serial, generation, done)
            if running:
                deadline = min(c.started for c in running.values()) + limits.max_seconds
                try:
                    gen, key, outcome = done.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    generation += 1
                    _expire(running, finished, pending, limits, pool)
                else:
                    if gen == generation and key in running:
                        chunk = running.pop(key)
                        for job, validation in zip(chunk.jobs, _as_validations(chunk, outcome), strict=True):
                            finished[job.index] = validation
            while position < len(all_jobs) and all_jobs[position].index in finished:
                job = all_jobs[position]
                yield job, finished.pop(job.index)
                position += 1
    finally:
        if running:  # abandoned midway (an exception, or the caller stopped reading): results would mix
            pool.kill()


def _dispatch(pool: WorkerPool, chunk: _Chunk, key: int, generation: int,
              done: queue.SimpleQueue[tuple[int, int, list[Validation] | BaseException]]) -> None:
    pool.get().apply_async(_check_chunk, (chunk.jobs,),
                           callback=lambda result: done.put((generation, key, result)),
                           error_callback=lambda error: done.put((generation, key, error)))


def _as_validations(chunk: _Chunk, outcome: list[Validation] | BaseException) -> list[Validation]:
    if isinstance(outcome, list):
        return outcome
    # a worker that raised is our failure, not the file's: every file of the chunk says so, the batch goes on
    return [internal_error(job.name, outcome) for job in chunk.jobs]


def _expire(running: dict[int, _Chunk], finished: dict[int, Validation], pending: deque[_Chunk],
            limits: Limits, pool: WorkerPool) -> None:
    """Overdue chunks: a single file times out; a larger chunk is split to find the culprit. The stuck
    worker cannot be stopped alone, so the pool is replaced and the other unfinished chunks run again."""
    now = time.monotonic()
    for chunk in running.values():
        if now - chunk.started < limits.max_seconds:
            pending.appendleft(_Chunk(chunk.jobs))
        elif len(chunk.jobs) == 1:
            finished[chunk.jobs[0].index] = _timeout(chunk.jobs[0], limits)
        else:
            pending.extendleft(_Chunk([job]) for job in reversed(chunk.jobs))
    running.clear()
    pool.kill()
