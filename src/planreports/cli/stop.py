"""Stopping a command from outside: Ctrl-C (SIGINT) and SIGTERM end it the same orderly way.

Python turns Ctrl-C into KeyboardInterrupt, which unwinds the command: the batch's transaction is rolled back,
the worker processes are killed, the workspace lock is let go. SIGTERM (a service manager, `kill`, a script's
timeout) would end the process at once, leaving its workers running and holding the caller's pipes; here it
raises Stopped, a KeyboardInterrupt, so it unwinds the same way. A second SIGTERM ends the process at once. The
exit code says which signal stopped it: 128 + its number (130 for Ctrl-C, 143 for SIGTERM). The workers
themselves ignore Ctrl-C (intake/supervisor.py): stopping them is the main process's job.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType

INTERRUPTED = 128 + int(signal.SIGINT)   # 130: the shell's code for a command stopped by Ctrl-C


class Stopped(KeyboardInterrupt):
    """The command was asked to stop by a signal other than Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stop(signum: int, frame: FrameType | None) -> None:
    signal.signal(signum, signal.SIG_DFL)   # asked twice: end at once
    raise Stopped(signum)


def stop_on_terminate() -> None:
    """SIGTERM stops the command like Ctrl-C. Only the main thread may install handlers (the CLI runs there)."""
    terminate = getattr(signal, "SIGTERM", None)
    if terminate is not None and threading.current_thread() is threading.main_thread():
        signal.signal(terminate, _stop)


def exit_code(interrupt: BaseException) -> int:
    return 128 + interrupt.signum if isinstance(interrupt, Stopped) else INTERRUPTED
