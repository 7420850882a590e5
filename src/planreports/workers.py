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
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from planreports.config import Limits
from planreports.findings import make_issue
from planreports.model import Plan
from planreports.validate import Validation, validate_bytes

_STATE: dict[str, Any] = {}


@dataclass(frozen=True)
class Job:
    index: int
    name: str
    data: bytes


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


def _init(plan: Plan, limits: Limits, period: str | None) -> None:
    _STATE.update(plan=plan, limits=limits, period=period)
    _cap_memory(limits.max_memory_mb)


def _check(name: str, data: bytes) -> Validation:
    try:
        return validate_bytes(data, name, _STATE["plan"], _STATE["limits"], _STATE["period"])
    except MemoryError:
        result = Validation(name)
        result.issues.append(make_issue("file-too-large", file=name, detail="vượt giới hạn bộ nhớ khi đọc"))
        return result


def worker_count(limits: Limits) -> int:
    if limits.workers:
        return int(limits.workers)
    return max(1, min(4, os.cpu_count() or 1))


def _timeout(job: Job, limits: Limits) -> Validation:
    result = Validation(job.name)
    result.issues.append(make_issue("file-timeout", file=job.name, detail=f"{limits.max_seconds:g} giây"))
    return result


class _Pool:
    def __init__(self, plan: Plan, limits: Limits, period: str | None) -> None:
        self.args = (plan, limits, period)
        self.size = worker_count(limits)
        self.pool: Pool | None = None

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


def validate_jobs(jobs: Iterable[Job], plan: Plan, limits: Limits, period: str | None
                  ) -> Iterator[tuple[Job, Validation]]:
    """Results in the order of the jobs, each within limits.max_seconds of its start."""
    pool = _Pool(plan, limits, period)
    pending: deque[Job] = deque(jobs)
    running: dict[int, tuple[Job, AsyncResult[Validation], float]] = {}
    finished: dict[int, tuple[Job, Validation]] = {}
    order = [job.index for job in pending]
    position = 0
    try:
        while position < len(order):
            while pending and len(running) < pool.size:
                job = pending.popleft()
                running[job.index] = (job, pool.get().apply_async(_check, (job.name, job.data)), time.monotonic())
            _collect_ready(running, finished, limits, pool, pending)
            while position < len(order) and order[position] in finished:
                yield finished.pop(order[position])
                position += 1
    finally:
        if running:
            pool.kill()
        else:
            pool.close()


def _collect_ready(running: dict[int, tuple[Job, AsyncResult[Validation], float]],
                   finished: dict[int, tuple[Job, Validation]], limits: Limits, pool: _Pool,
                   pending: deque[Job]) -> None:
    oldest = min(running.values(), key=lambda item: item[2])
    oldest[1].wait(min(0.05, max(0.0, limits.max_seconds - (time.monotonic() - oldest[2]))))
    now = time.monotonic()
    for index, (job, result, started) in list(running.items()):
        if result.ready():
            del running[index]
            try:
                finished[index] = (job, result.get())
            except Exception as exc:  # a worker that raised: keep the batch going
                failed = Validation(job.name)
                failed.issues.append(make_issue("file-corrupt", file=job.name, detail=f"{type(exc).__name__}"))
                finished[index] = (job, failed)
        elif now - started > limits.max_seconds:
            del running[index]
            finished[index] = (job, _timeout(job, limits))
            # the stuck worker cannot be stopped alone: replace the pool, run the others again
            for other, _, _ in running.values():
                pending.appendleft(other)
            running.clear()
            pool.kill()
            return
