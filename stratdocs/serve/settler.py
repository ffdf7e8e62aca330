"""Bringing the preview's output up to date after the reload: a thread that makes, one at a time,
the outputs the last rebuild left for later (`Session.update`, `render.deferred`).

It starts a moment after each reload, so the reloaded page and its files are served first (a
pending page that is asked for is made by the request itself: `Session.fresh`), and takes the
session's lock for one output at a time. A new save does not wait for the output being made:
its template renders in pieces, and the page is given up (it stays pending) as soon as an update
or a request asks for the lock; only its view model, computed before the template renders, is
not cut short. After a request, settling goes on a moment later.
"""

from __future__ import annotations

import threading
from typing import Callable

from stratdocs.errors import StratdocsError

#: Seconds after a reload before settling starts: the browser's requests come first.
PAUSE = 0.3


class Settler(threading.Thread):
    """Settles the session in the background.

    :param session: the preview's `Session`.
    :param failed: called with the error messages of an output that could not be made.
    """

    def __init__(self, session, failed: Callable[[list[str]], None]):
        super().__init__(name="stratdocs-settle", daemon=True)
        self.session = session
        self.failed = failed
        self._wake = threading.Event()
        self._stop = threading.Event()

    def poke(self) -> None:
        """A rebuild left outputs for later: settle them (after `PAUSE`)."""
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()

    def run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait()
            self._wake.clear()
            if self._stop.wait(PAUSE):
                return
            while not self._stop.is_set() and not self._wake.is_set():  # a new rebuild pokes again
                try:
                    if self.session.settle_one(yielding=True):
                        continue
                except StratdocsError as exc:
                    self.failed([f"build failed: {exc.message}"])
                    continue
                if not self.session.pending:
                    break
                self._stop.wait(PAUSE)  # a request took the lock: let it (and the page's next ones) go first
