"""PDF jobs in worker processes: at most one busy process per core, each with a time limit.

A job is a whole document or a part of one (`pdfrun`). A *held* part (`pdfheld`) is a
process that lays its part out, sends the measure and waits, holding its layout, for the print
job the whole document's measures give it (`groups`): the processes of a held document all start
together, and while they wait they leave their cores to the other jobs.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import threading
import time
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping, Sequence

import weasyprint

from stratdocs import workers as workers_mod
from stratdocs.errors import StratdocsError, TooSlow
from stratdocs.render.pdffetch import Fetcher

Result = tuple[bytes, list[str], int]
#: A held document: its parts' (name, job) pairs, and the function giving each its print job
#: (name -> job) from their measures (name -> measure).
Group = tuple[Sequence[tuple[str, dict]], Callable[[Mapping[str, tuple]], Mapping[str, dict]]]


def render_pdf(job: dict, exchange: Callable[[tuple], dict] | None = None) -> Result:
    """HTML -> PDF bytes, refused URLs and page count, with WeasyPrint and the document's
    fetcher (runs in a worker; `exchange`: a held part's, see `_held_worker`)."""
    logging.getLogger("weasyprint").propagate = False  # refused fetches are reported as findings
    fetcher = Fetcher(job["allowed"])
    if "part" in job:  # one part of a document rendered in parts (pdfrun)
        from stratdocs.render import pdfrun

        result = pdfrun.run_task(job, fetcher, finish, exchange)
        return result, fetcher.blocked, result[0] if job["part"] == "measure" else result[3]
    document = weasyprint.HTML(string=job["html"], base_url=job["base_url"], url_fetcher=fetcher).render()
    options = {"pdf_tags": True, **job["options"]}
    return document.write_pdf(finisher=finish, **options), fetcher.blocked, len(document.pages)


def finish(document, pdf) -> None:
    """Open the PDF with its bookmarks shown, and label pages as the footers number them."""
    import pydyf

    pdf.catalog["PageMode"] = "/UseOutlines"
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([0, pydyf.Dictionary({"S": "/D"})])})


def _worker(conn, job: dict) -> None:
    _reply(conn, lambda: render_pdf(job))


def _held_worker(conn, job: dict) -> None:
    """A held part: its measure sent, its print job received, its PDF printed from one layout."""
    def exchange(measure: tuple) -> dict:
        conn.send(("measured", measure, [], 0))
        return conn.recv()
    _reply(conn, lambda: render_pdf(job, exchange))


def _reply(conn, work: Callable[[], Result]) -> None:
    """The worker's result sent to the parent, or its error (reported with the document's name)."""
    try:
        data, blocked, pages = work()
        conn.send(("ok", data, blocked, pages))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}", [], 0))
    finally:
        conn.close()


def _context():
    """`fork` is cheap (WeasyPrint is already imported) but unsafe with threads running (the
    preview server), where a fresh `spawn`ed interpreter is used instead."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def in_process(timeout: float | None) -> bool:
    """Whether jobs render in this process (no time limit, or a daemon, which may not have
    children): then no part can be held."""
    return timeout is None or multiprocessing.current_process().daemon


@dataclass
class _Running:
    name: str
    process: multiprocessing.process.BaseProcess
    deadline: float
    group: int | None = None
    busy: bool = True  #: False while a held part waits for its print job


def run_jobs(jobs: Sequence[tuple[str, dict]], timeout: float | None,
             progress: Callable[[str, int], None] | None = None, groups: Sequence[Group] = ()) -> dict[str, Result]:
    """Render (name, job) pairs and the parts of held documents (`groups`), one worker process
    each, at most one busy process per core at a time (a held document's parts start together).

    :param timeout: seconds each process may take (a held part: to measure, and again to print);
        None renders in this process, unbounded (no groups then).
    :param progress: called with (name, pages) as each job is finished.
    """
    if in_process(timeout):
        if groups:
            raise ValueError("held parts need worker processes")
        results = {}
        for name, job in jobs:
            results[name] = render_pdf(job)
            if progress:
                progress(name, results[name][2])
        return results
    pool = _Pool(groups, timeout)
    pending, waiting = list(jobs), list(range(len(groups)))
    try:
        while pending or pool.running or waiting:
            if waiting and pool.busy() < pool.workers:
                pool.start_group(waiting.pop(0))
            while pending and pool.busy() < pool.workers:
                pool.start(*pending.pop(0))
            for name, result in pool.wait():
                if progress:
                    progress(name, result[2])
    finally:
        pool.stop()
    return pool.results


class _Pool:
    """The running worker processes, by the parent's end of their pipes."""

    def __init__(self, groups: Sequence[Group], timeout: float):
        self.ctx, self.workers = _context(), workers_mod.count(fork=False)
        self.groups, self.timeout = groups, timeout
        self.running: dict = {}
        self.measures: dict[int, dict[str, tuple]] = {}
        self.results: dict[str, Result] = {}

    def busy(self) -> int:
        return sum(entry.busy for entry in self.running.values())

    def start(self, name: str, job: dict, group: int | None = None) -> None:
        here, there = self.ctx.Pipe(duplex=group is not None)
        process = self.ctx.Process(target=_worker if group is None else _held_worker, args=(there, job),
                                   daemon=True, name=f"stratdocs-pdf-{name}")
        process.start()
        there.close()
        self.running[here] = _Running(name, process, time.monotonic() + self.timeout, group)

    def start_group(self, group: int) -> None:
        self.measures[group] = {}
        for name, job in self.groups[group][0]:
            self.start(name, job, group)

    def wait(self) -> Iterator[tuple[str, Result]]:
        """The jobs finished until one is or a time limit passes; a held document's print jobs are
        sent as its last part reports its measure."""
        wait = max(0.0, min(entry.deadline for entry in self.running.values()) - time.monotonic())
        for conn in multiprocessing.connection.wait(list(self.running), timeout=wait):
            entry = self.running[conn]
            status, payload, blocked, pages = _receive(conn, entry)
            if status == "measured":
                entry.busy = False
                measured = self.measures[entry.group]
                measured[entry.name] = payload
                tasks, numbers = self.groups[entry.group]
                if len(measured) == len(tasks):
                    self._send_print_jobs(entry.group, numbers(measured))
                continue
            del self.running[conn]
            conn.close()
            entry.process.join()
            self.results[entry.name] = (payload, blocked, pages)
            yield entry.name, self.results[entry.name]
        now = time.monotonic()
        for entry in self.running.values():
            if now >= entry.deadline:
                raise TooSlow(
                    f"document '{shown(entry.name)}' took longer than {self.timeout:g} s to render and was stopped; "
                    "make it smaller (fewer sections, a filter) or look for a huge table or image")

    def _send_print_jobs(self, group: int, jobs: Mapping[str, dict]) -> None:
        """Every part of a held document gets its print job, and a new time limit to print it."""
        for conn, entry in self.running.items():
            if entry.group == group:
                conn.send(jobs[entry.name])
                entry.busy, entry.deadline = True, time.monotonic() + self.timeout

    def stop(self) -> None:
        for conn, entry in self.running.items():
            entry.process.kill()
            entry.process.join()
            conn.close()


def _receive(conn, entry: _Running) -> tuple:
    try:
        status, payload, blocked, pages = conn.recv()
    except EOFError:
        entry.process.join()
        raise StratdocsError(f"document '{shown(entry.name)}': the PDF renderer stopped unexpectedly "
                             f"(exit status {entry.process.exitcode})") from None
    if status == "error":
        raise StratdocsError(f"document '{shown(entry.name)}' could not be rendered: {payload}")
    return status, payload, blocked, pages


def shown(task: str) -> str:
    """The document a task renders ("board-pack#2", its third part, is "board-pack")."""
    return task.split("#", 1)[0]
