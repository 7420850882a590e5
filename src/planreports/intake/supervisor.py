"""Run items through worker processes, each item bounded in time from the moment a worker starts it.

Each worker has its own two pipes. Items go in through a feeder thread of the main process, so the main loop
never waits on a worker busy with a large item (a full pipe blocks only that thread, and no pipe is shared,
so a worker killed at any moment cannot leave a lock held for the others). For every item the worker
says "started" (the clock starts when that arrives here: time spent queued never counts), then sends the
result, with the start of the next item in the same message when that item is already waiting. The main
loop sleeps in one `wait` on the result pipes and the workers' process sentinels until a
message, a death or the earliest deadline, and then:

- an item still running max_seconds after its start: that worker alone is killed, the item fails as timed
  out, the items queued to it go back to the queue, and a new worker takes its place;
- a worker that died (exit code, signal): its item fails as crashed at once, same recovery;
- a worker that died before starting anything (it could not even start): its items are queued again; after
  a few in a row without progress the first of them fails, so a batch always ends.

Each worker is given only as many items ahead as keep it busy for QUEUED_SECONDS (measured on the run), so a
batch of slow files does not end with one worker idle while another still has a queue. Results are handed out
in input order. The process functions are top level: Windows' spawn works.

Stopping: Ctrl-C reaches every process of the terminal's group, but the workers ignore it (they are started with
it blocked, so even one being born does not print a KeyboardInterrupt traceback); the main process unwinds and
kills them. A worker whose main process has gone (killed, or ended without unwinding) exits within
PARENT_POLL seconds: with fork each worker also holds the other workers' pipe ends, so the end of its own
pipe alone would never come, and it would live on holding the ledger and its caller's output.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import connection
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, Generic, Literal, TypeVar

T = TypeVar("T")
R = TypeVar("R")

QUEUED_SECONDS = 0.05   # work queued ahead to each worker, so none idles while the main process records
MAX_AHEAD = 8           # items queued to one worker at most (beyond the one it runs)
FIRST_GUESS = 0.01      # seconds per item until some were measured
STILLBORN_LIMIT = 3     # workers in a row dying before starting an item: the next item fails
PARENT_POLL = 0.5       # seconds between a worker's checks that the main process is still there


@dataclass(frozen=True)
class Failure:
    """Why a worker gave no result for an item: "timeout", "crash" (detail: how it ended) or "no-start"."""

    kind: Literal["timeout", "crash", "no-start"]
    detail: str = ""


def ending(exitcode: int | None) -> str:
    """How a process ended, in Vietnamese: "mã thoát 3", "tín hiệu 9"."""
    if exitcode is None:
        return "không rõ mã thoát"
    return f"tín hiệu {-exitcode}" if exitcode < 0 else f"mã thoát {exitcode}"


def work(items: Connection, results: Connection, handle: Callable[[Any], Any]) -> None:
    """The loop of a worker process: `handle` each item until None (or the end of the pipe). Each message is
    (finished, started): the position and result of the item just done, and the position of the item it
    starts now, its clock's start. When the next item is already waiting, both go in one message."""
    try:
        item = items.recv()
        if item is not None:
            results.send((None, item[0]))
        while item is not None:
            position, payload = item
            outcome = handle(payload)
            waiting = items.poll()
            item = items.recv() if waiting else None
            results.send(((position, outcome), item[0] if item is not None else None))
            if not waiting:
                item = items.recv()
                if item is not None:
                    results.send((None, item[0]))
    except EOFError:  # the main process has gone
        return


def _child(target: Callable[..., None], *args: Any) -> None:
    """A worker process: Ctrl-C is left to the main process, and the worker ends if the main process goes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):   # POSIX: born with Ctrl-C blocked (see _interrupt_blocked)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if os.name == "posix":   # on Windows each worker holds only its own pipes: their end ends it
        threading.Thread(target=_watch_parent, args=(os.getppid(),), name="planreports-parent", daemon=True).start()
    target(*args)


def _watch_parent(parent: int) -> None:
    """A thread of a worker: once its parent has gone (the worker is adopted by another process), end."""
    while os.getppid() == parent:
        time.sleep(PARENT_POLL)
    os._exit(1)


@contextmanager
def _interrupt_blocked() -> Iterator[None]:
    """Ctrl-C blocked in this thread while a worker is started: the worker inherits the mask and unblocks it
    only once it ignores Ctrl-C. A Ctrl-C meanwhile reaches the main process as soon as this ends."""
    if not hasattr(signal, "pthread_sigmask"):   # Windows
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _feed(outbox: queue.SimpleQueue[tuple[int, Any] | None], pipe: Connection) -> None:
    """A thread of the main process: hands one worker its items. Ends after sending None (the worker then
    exits), or when the worker has gone (broken pipe)."""
    try:
        while True:
            item = outbox.get()
            pipe.send(item)
            if item is None:
                break
    except OSError:
        pass
    finally:
        pipe.close()


@dataclass
class _Worker:
    process: BaseProcess
    outbox: queue.SimpleQueue[tuple[int, Any] | None]
    results: Connection
    feeder: threading.Thread
    assigned: deque[tuple[int, Any]] = field(default_factory=deque)  # sent, unfinished, in the order it runs them
    started: float | None = None   # when it said it started assigned[0] (this process's clock)
    gone: bool = False             # its result pipe has ended: it has exited or is exiting


def _spawn(context: Any, target: Callable[..., None], args: tuple[Any, ...]) -> _Worker:
    """A worker process and its (not yet started) feeder thread."""
    item_reader, item_writer = context.Pipe(duplex=False)
    result_reader, result_writer = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(target, item_reader, result_writer, *args), daemon=True,
                              name="planreports-worker")
    with _interrupt_blocked():
        process.start()
    # the child's ends are closed here, so its death reads as end of file or a broken pipe, never a hang
    item_reader.close()
    result_writer.close()
    outbox: queue.SimpleQueue[tuple[int, Any] | None] = queue.SimpleQueue()
    feeder = threading.Thread(target=_feed, args=(outbox, item_writer), name="planreports-feeder", daemon=True)
    return _Worker(process, outbox, result_reader, feeder)


class Supervisor(Generic[T, R]):
    """Worker processes kept across runs; `run` may be called for several batches."""

    def __init__(self, target: Callable[..., None], args: tuple[Any, ...], size: int, max_seconds: float,
                 failed: Callable[[T, Failure], R]) -> None:
        self.target, self.args, self.size, self.max_seconds, self.failed = target, args, size, max_seconds, failed
        self.context = multiprocessing.get_context()
        self.workers: list[_Worker] = []
        self.spawned = 0

    def staffed(self) -> list[_Worker]:
        new = [_spawn(self.context, self.target, self.args) for _ in range(self.size - len(self.workers))]
        for worker in new:   # threads started after the forks: a process is best forked with one thread
            worker.feeder.start()
        self.workers += new
        self.spawned += len(new)
        return self.workers

    def retire(self, worker: _Worker, grace: float = 0.0) -> None:
        """Stop one worker: asked to finish (grace seconds), else killed. Its queued items are the caller's."""
        worker.outbox.put(None)
        worker.process.join(grace)
        if worker.process.is_alive():
            worker.process.kill()
            worker.process.join()
        worker.feeder.join(5.0)        # ends at the broken pipe; a daemon thread in any case
        worker.results.close()
        worker.process.close()
        self.workers.remove(worker)

    def kill(self) -> None:
        for worker in list(self.workers):
            self.retire(worker)

    def close(self) -> None:
        for worker in self.workers:
            worker.outbox.put(None)       # all finish at once, then each is joined
        for worker in list(self.workers):
            self.retire(worker, grace=10.0)

    def run(self, items: list[T]) -> Generator[tuple[int, R], None, None]:
        """(position, result) for every item, in input order."""
        batch = _Batch(self, items)
        try:
            for position in range(len(items)):
                batch.step(block=False)   # take what has arrived and keep the workers fed
                while position not in batch.finished:
                    batch.step(block=True)
                yield position, batch.finished.pop(position)
        finally:
            if batch.outstanding():  # abandoned midway (an exception, or the caller stopped reading)
                self.kill()


class _Batch(Generic[T, R]):
    def __init__(self, supervisor: Supervisor[T, R], items: list[T]) -> None:
        self.supervisor = supervisor
        self.pending: deque[tuple[int, T]] = deque(enumerate(items))
        self.finished: dict[int, R] = {}
        self.seconds_per_item = FIRST_GUESS
        self.stillborn = 0

    def outstanding(self) -> bool:
        return bool(self.pending) or any(w.assigned for w in self.supervisor.workers)

    def step(self, block: bool) -> None:
        workers = self.supervisor.staffed()
        self.assign(workers)
        watched: list[Any] = [w.results for w in workers] + [w.process.sentinel for w in workers]
        ready = connection.wait(watched, self.wait_seconds() if block else 0)
        for worker in list(workers):
            if worker in self.supervisor.workers and (worker.results in ready or worker.process.sentinel in ready):
                self.receive(worker)
        self.expire()

    def assign(self, workers: list[_Worker]) -> None:
        ahead = 1 + min(MAX_AHEAD, int(QUEUED_SECONDS / max(self.seconds_per_item, 1e-4)))
        for worker in sorted(workers, key=lambda w: len(w.assigned)):
            while self.pending and len(worker.assigned) < ahead:
                item = self.pending.popleft()
                worker.assigned.append(item)
                worker.outbox.put(item)

    def wait_seconds(self) -> float | None:
        starts = [w.started for w in self.supervisor.workers if w.started is not None]
        if not starts:
            return None           # nothing is running yet: the next message or death wakes us
        return max(0.0, min(starts) + self.supervisor.max_seconds - time.monotonic())

    def receive(self, worker: _Worker) -> None:
        """Everything the worker has sent; then, if it has ended, what that means for its items."""
        self.drain(worker)
        if worker.gone or not worker.process.is_alive():
            worker.process.join(5.0)
            self.drain(worker)    # all it wrote before it ended
            self.died(worker)

    def drain(self, worker: _Worker) -> None:
        try:
            while not worker.gone and worker.results.poll():
                finished, started = worker.results.recv()
                now = time.monotonic()
                if finished is not None:
                    position, outcome = finished
                    worker.assigned.popleft()
                    if worker.started is not None:
                        self.seconds_per_item = 0.8 * self.seconds_per_item + 0.2 * (now - worker.started)
                    self.finished[position], worker.started, self.stillborn = outcome, None, 0
                if started is not None:
                    worker.started = now
        except (EOFError, OSError):  # its end of the pipe closed: it has exited or is exiting
            worker.gone = True

    def died(self, worker: _Worker) -> None:
        detail = ending(worker.process.exitcode)
        if worker.assigned and worker.started is not None:
            position, item = worker.assigned.popleft()
            self.finished[position] = self.supervisor.failed(item, Failure("crash", detail))
        elif worker.assigned:
            self.stillborn += 1
            if self.stillborn >= STILLBORN_LIMIT:
                position, item = worker.assigned.popleft()
                self.finished[position] = self.supervisor.failed(item, Failure("no-start", detail))
        self.requeue(worker)

    def expire(self) -> None:
        now = time.monotonic()
        for worker in list(self.supervisor.workers):
            if worker.started is None or now - worker.started < self.supervisor.max_seconds:
                continue
            self.receive(worker)   # it may have just finished: a result already here counts
            if worker in self.supervisor.workers and worker.started is not None:
                position, item = worker.assigned.popleft()
                self.finished[position] = self.supervisor.failed(item, Failure("timeout"))
                self.requeue(worker)

    def requeue(self, worker: _Worker) -> None:
        """Retire the worker; the items it had not started go back to the front of the queue."""
        self.pending.extendleft(reversed(worker.assigned))
        worker.assigned.clear()
        worker.started = None
        self.supervisor.retire(worker)
