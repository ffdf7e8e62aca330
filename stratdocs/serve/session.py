"""An incremental build session: re-reads only changed files, re-renders only changed pages and
writes only changed files. Its output is byte-identical to a full build of the same content.

It runs the same pipeline as `stratdocs build` (`pipeline.preview`), keeping between rebuilds
the parsed files (`project.FileMemo`), the dependency tracking (`render.memory.Memory`) and
the in-place writer's knowledge of what it wrote.

`update` makes the pages of the items an edit changed and leaves every other output that must
be made (twins, reports, owner pages, indexes, search index) in a `render.deferred.Deferred`;
`settle` makes those, and `fresh` makes a pending one before the server reads it. One lock
orders all three, so a request never reads a page while it is stale or being written.
`rebuild` is `update` then `settle`: the output is then byte-identical to a full build.

`update` is told what the watcher saw: after a save of content files the last rebuild read,
the content folder is not listed again and only those files are looked at (`saved_files`,
`project.FileMemo.edited`); the whole-plan passes after it take over from the last rebuild
whatever their inputs leave the same (`itemmemo`, `render.reuse`). Anything else (a file
created or deleted, config, theme, data) takes the full path.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from stratdocs import config as config_mod
from stratdocs import pipeline
from stratdocs.cache import BuildCache
from stratdocs.errors import ConfigError, ContentError, StratdocsError
from stratdocs.project import FileMemo
from stratdocs.render.deferred import Deferred, Interrupted
from stratdocs.render.memory import Memory
from stratdocs.workers import collector_paused
from stratdocs.serve.writer import PreviewWriter


@dataclass
class Outcome:
    ok: bool
    seconds: float
    reread: int = 0
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: int = 0
    #: outputs left for after the reload (`Session.update`; 0 after `rebuild`)
    deferred: int = 0


class Session:
    """Keeps parsed files, rendered bodies, charts and page fingerprints between rebuilds."""

    def __init__(self, root: Path, output: Path, *, live_reload: bool = False):
        self.root = root.resolve()
        self.output = output
        self.writer = PreviewWriter(output)
        self.files = FileMemo()
        self.files.watched = True  # `update` says which files were saved
        self.memory = Memory()
        self.cache = BuildCache()
        self.extra = {"live_reload": live_reload}
        #: what the last good `update` left for after the reload
        self.pending = Deferred()
        #: whether the garbage of the last update was collected (once settled)
        self.collected = True
        #: orders rebuilds, settling and the server's reads of the output
        self.lock = threading.RLock()
        self._waiters = 0  # updates and requests waiting for the lock (`waiting_for_lock`)
        self._counter = threading.Lock()

    def rebuild(self) -> Outcome:
        """Bring the whole output up to date (`update`, then `settle`). On errors the last good
        site stays as it is."""
        start = time.perf_counter()
        with self.lock:
            outcome = self.update()
            if outcome.ok:
                try:
                    self.settle()
                except StratdocsError as exc:
                    return Outcome(False, time.perf_counter() - start, outcome.reread,
                                   errors=[f"build failed: {exc.message}"])
                outcome.changed, outcome.deferred = list(self.writer.changed), 0
            outcome.seconds = time.perf_counter() - start
            return outcome

    def update(self, changes: Iterable[tuple[object, str]] | None = None) -> Outcome:
        """Re-read what changed and make the pages of the items it changed; every other output
        to make waits in `pending` (see `settle`, `fresh`). On errors the last good site stays,
        with what was pending for it.

        :param changes: what the watcher saw, (change, path) pairs: when they are only saves of
            content files the last rebuild read, only those are looked at (`saved_files`);
            None (or anything else: a file created or deleted, config, theme, data) looks at all.
        """
        start = time.perf_counter()
        with self._ahead():  # a page the settling thread is making is given up for this
            self.files.edited(saved_files(self.root, changes) if changes is not None else None)
            self.writer.changed = []
            deferred = Deferred()
            try:
                with collector_paused():  # and then frozen: collected once settled (`_collect`)
                    checked = pipeline.preview(self.root, self.writer, self.files, self.cache, self.memory,
                                               self.extra, deferred)
            except ConfigError as exc:
                return Outcome(False, time.perf_counter() - start, errors=[f.text() for f in exc.findings])
            except ContentError as exc:
                return Outcome(False, time.perf_counter() - start, self.files.reread,
                               errors=[f.text() for f in exc.findings])
            except StratdocsError as exc:  # a template or output problem: keep serving the last good site
                self.writer.abort()
                return Outcome(False, time.perf_counter() - start, self.files.reread,
                               errors=[f"build failed: {exc.message}"])
            self.pending, self.collected = deferred, False
            return Outcome(True, time.perf_counter() - start, self.files.reread, list(self.writer.changed), [],
                           len(checked.warnings), len(deferred))

    def settle(self) -> None:
        """Make every output the last `update` left for later.

        :raises StratdocsError: when one cannot be made (a template error); it is not retried.
        """
        while self.settle_one():
            pass

    def settle_one(self, yielding: bool = False) -> bool:
        """Make the next pending output; whether one was made (False: the output is settled, or
        with `yielding` the page was given up because an update or a request is waiting for
        the lock: it stays pending). Once none is left, the garbage of the rebuild is collected, once (see
        `_collect`)."""
        with self.lock:
            try:
                if self.pending.make(stop=self.waiting if yielding else None) is not None:
                    return True
            except Interrupted:
                return False
            if not self.collected:
                _collect()
                self.collected = True
            return False

    def waiting(self) -> bool:
        """Whether an update or a request waits for the lock (the settling thread then gives up
        the page it is making)."""
        return self._waiters > 0

    @contextmanager
    def waiting_for_lock(self) -> Iterator[None]:
        """While this holds, `waiting` says yes."""
        with self._counter:
            self._waiters += 1
        try:
            yield
        finally:
            with self._counter:
                self._waiters -= 1

    @contextmanager
    def _ahead(self) -> Iterator[None]:
        """The lock, taken ahead of the settling thread's next piece of work."""
        with self.waiting_for_lock():
            self.lock.acquire()
        try:
            yield
        finally:
            self.lock.release()

    @contextmanager
    def fresh(self, rel: str) -> Iterator[str | None]:
        """Hold the output still while the server reads `rel`, made first if it was pending.
        Yields None, or the message of the error that kept `rel` from being made (the server
        answers with it instead of the stale file)."""
        with self._ahead():
            if rel in self.pending:
                try:
                    self.pending.make(rel)
                except StratdocsError:
                    pass  # kept in `failed`
            yield self.pending.failed.get(rel)


def saved_files(root: Path, changes: Iterable[tuple[object, str]]) -> set[str] | None:
    """The project-relative paths of the Markdown files the watcher saw saved, or None when it saw
    anything else. A file deleted and written again (an editor's atomic save) counts as saved if
    it is a plain file now; whether each was read by the last rebuild is `FileMemo.edited`'s to say.
    """
    rels = set()
    for _, path in changes:
        full = Path(path)
        if full.suffix != ".md" or full.is_symlink() or not full.is_file():
            return None
        try:
            rel = full.relative_to(root)
        except ValueError:
            try:
                rel = Path(os.path.realpath(full.parent)).relative_to(root) / full.name
            except ValueError:
                return None
        rels.add(rel.as_posix())
    return rels


def _collect() -> None:
    """Collect the garbage of the rebuild while the preview is idle, then set what is left aside.

    A plan of 10,000 items is millions of objects; a full collection that Python starts by itself
    in the middle of a rebuild scans them all (about a second at 10,000 items), so the reload would
    wait for it. Collected here, after settling, and then frozen (`gc.freeze`), the next rebuild's
    collections scan only what it allocated; the frozen objects are collected here next time. An
    update runs with the collector paused and freezes what it made (`workers.collector_paused`),
    so the reload waits for no collection at all, not even the one the collector would start as
    soon as it is on again: its garbage is collected here too.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def watched_paths(root: Path) -> list[Path]:
    """What the preview watches: the content, the config, the review lock and the theme folders."""
    from stratdocs.theme import theme_dirs

    paths = [root / config_mod.CONFIG_FILE, root / "stratdocs.lock"]  # the lock: `stratdocs review`
    themes = root / "themes"
    if themes.is_dir():
        paths.append(themes)
    try:
        cfg = config_mod.load(root)
    except ConfigError:
        return [p for p in dict.fromkeys(paths + [root / "content"]) if p.exists()]
    paths.append(cfg.content_path)
    try:
        paths += theme_dirs(cfg)
    except ConfigError:
        pass
    return [p for p in dict.fromkeys(paths) if p.exists()]
