"""Time limits: a file that takes too long to parse or render fails with its name instead of
hanging the build (SPEC §12)."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from stratdocs.errors import TooSlow

__all__ = ["FILE_SECONDS", "TooSlow", "time_limit"]

#: Seconds one file may take to parse, or one Markdown body to render.
FILE_SECONDS = 20.0


@contextmanager
def time_limit(seconds: float, what: str):
    """Raise `TooSlow` naming `what` if the block runs longer than `seconds`.

    Uses a real-time interval timer, so it works only in the main thread of a process (the CLI,
    the preview server's rebuild loop and each worker process); elsewhere it does nothing.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise TooSlow(f"{what} took longer than {seconds:g} s; simplify it (very deep nesting or huge tables "
                      "are the usual cause)")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
