"""Rendering documents on every core: whole documents and documents in parts (`pdfstitch`).

`render_all` takes, per document, either one whole job or the jobs of its parts, and runs them
through the caller's process runner in two rounds:

1. whole documents, and every part measured (page count, anchor pages);
2. every part printed with the whole document's page numbers into a temporary file, then
   stitched (`pdfjoin`).

A document short enough to keep its whole layout in memory (`HELD_CHARS`) is *held* instead: its
parts are measured in round 1 by processes that keep their layout and print from it as soon as
the document's last part is measured (`pdfheld`, `pdfprocs`), saving the print's parsing,
styling and most of its layout.

The parts' files are written in one temporary folder (`tempfile.mkdtemp`, in the system's
temporary folder, private to the user), removed with everything in it when `render_all` returns
or fails.

A part whose layout moved (its page count or an anchor's page differs from the measure) is
reported by its worker; the document is printed again with the new numbers (at most `ROUNDS`
times, then it is rendered whole), but only the parts those numbers change: the one that moved,
those after it when its page count changed, and those pointing at an anchor that moved. The
measure prints every page reference as wide as the document's page numbers will be, so moves are
rare.
"""

from __future__ import annotations

import itertools
import re
import shutil
import tempfile
from pathlib import Path
from typing import Callable, Mapping, Sequence

from stratdocs.render import pdfheld, pdfjoin, pdfparts

#: Printing rounds a document in parts may take before it is rendered whole instead.
ROUNDS = 3
#: A document of at most this many characters of HTML (about 125 pages) is *held*: each part is
#: measured and printed by one process from one layout, kept in memory between the rounds
#: (`pdfheld`), so the whole document's layout is in memory at once. A longer one is
#: measured and printed by separate processes, no more than one part per core in memory at a time.
HELD_CHARS = 1_000_000

Result = tuple[bytes, list[str], int]
#: Renders (name, job) pairs, and held documents' parts (`pdfprocs.Group`), in worker processes.
Runner = Callable[..., dict[str, tuple]]


def run_task(job: dict, fetcher, finisher, exchange: Callable[[tuple], dict] | None = None) -> tuple:
    """A part's task in a worker: `measure`, `print`, or both from one layout, `held` (which
    hands its measure to `exchange` for its print job; see `pdfparts`)."""
    if job["part"] == "measure":
        return pdfparts.measure(job, fetcher)
    if job["part"] == "held":
        return pdfheld.held(job, fetcher, exchange, lambda printing: _print_options(printing, finisher))
    return pdfparts.render_part(job, fetcher, job["offset"], job["total"], job["pages"], job["seeds"],
                                _print_options(job, finisher))


def _print_options(job: dict, finisher) -> dict:
    """WeasyPrint's `write_pdf` options for a part: every part is tagged."""
    return {**job["options"], "pdf_tags": True, "finisher": finisher}


def _seeds(measures: Sequence[tuple[int, Mapping[str, int]]]) -> tuple[list[int], int, dict[str, int]]:
    """Each part's first page offset, the total and every anchor's page (1-based, first wins)."""
    offsets, seeds, total = [], {}, 0
    for pages, anchors, *_ in measures:
        offsets.append(total)
        for name, index in anchors.items():
            seeds.setdefault(name, total + index + 1)
        total += pages
    return offsets, total, seeds


def _print_jobs(doc: str, parts: Sequence[dict], measures, keep: Mapping[int, tuple],
                files: Callable[[], str]) -> list[tuple[str, dict]]:
    """The print tasks of a document's parts, but for the parts in `keep` (already printed
    right); `files` names a new temporary file for each."""
    offsets, total, seeds = _seeds(measures)
    return [(f"{doc}#{i}", {**job, "part": "print", "offset": offsets[i], "total": total,
                            "pages": measures[i][0], "seeds": seeds, "out": files(), "strings": starts,
                            "cost": measures[i][3] if len(measures[i]) > 3 else 0.0})
            for i, (job, starts) in enumerate(zip(parts, _strings(measures))) if i not in keep]


def _group(doc: str, parts: Sequence[dict], files: Callable[[], str], measured: dict[str, list]) -> tuple:
    """A held document for the runner: its parts' jobs, and the function that, given their
    measures, records them in `measured` and returns each part's print job."""
    def numbers(measures: Mapping[str, tuple]) -> dict[str, dict]:
        measured[doc] = [measures[f"{doc}#{i}"] for i in range(len(parts))]
        return dict(_print_jobs(doc, parts, measured[doc], {}, files))
    return [(f"{doc}#{i}", {**part, "part": "held"}) for i, part in enumerate(parts)], numbers


def _longest_first(tasks: Sequence[tuple[str, dict]], cost: Callable[[dict], float]) -> list[tuple[str, dict]]:
    """The tasks in the order the workers should take them: the costliest first, so that the
    cores finish a round together instead of one waiting while the other prints a long part
    (the output does not depend on the order: results are kept by name)."""
    return sorted(tasks, key=lambda task: -cost(task[1]))


def _strings(measures) -> list[dict[str, str]]:
    """The named strings (CSS `string-set`) each part starts with: as the parts before leave them."""
    out, current = [], {}
    for measure in measures:
        out.append(dict(current))
        current.update(measure[2] if len(measure) > 2 else {})
    return out


_LINK = re.compile(r'href="#([^"]+)"')


def _still_right(parts: Sequence[dict], outputs: Sequence[tuple], before, after) -> dict[int, tuple]:
    """The printed parts that need no new print under the numbers `after` (the real ones) where
    they were printed with `before`: their own layout held, they start on the same page of a
    document as long, and no anchor they point at moved."""
    (offsets, total, seeds), (new_offsets, new_total, new_seeds) = _seeds(before), _seeds(after)
    kept = {}
    for i, (job, output) in enumerate(zip(parts, outputs)):
        payload = output[0]
        if payload[0] is None or offsets[i] != new_offsets[i] or total != new_total:
            continue
        if all(seeds.get(name) == new_seeds.get(name) for name in set(_LINK.findall(job["html"]))):
            kept[i] = output
    return kept


def render_all(jobs: Mapping[str, dict | list[dict]], run: Runner,
               progress: Callable[[str, int], None] | None = None, held: bool = False) -> dict[str, Result]:
    """Every document's (PDF bytes, refused URLs, page count).

    :param jobs: document id -> its whole job, or the list of its parts' jobs.
    :param run: renders (name, job) pairs in worker processes, returning name -> (payload,
        refused URLs, pages); with `groups=`, also the parts of held documents.
    :param held: whether documents of at most `HELD_CHARS` are held (the runner starts processes).
    """
    folder = tempfile.mkdtemp(prefix="stratdocs-pdf-")
    try:
        return _render_all(jobs, run, progress, folder, held)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _render_all(jobs, run: Runner, progress, folder: str, held: bool) -> dict[str, Result]:
    counter = itertools.count()

    def files() -> str:
        return str(Path(folder) / f"part-{next(counter)}.pdf")

    first, groups, measured = [], [], {}
    for doc, job in jobs.items():
        if isinstance(job, list) and held and sum(len(part["html"]) for part in job) <= HELD_CHARS:
            groups.append(_group(doc, job, files, measured))
        elif isinstance(job, list):
            first += [(f"{doc}#{i}", {**part, "part": "measure"}) for i, part in enumerate(job)]
        else:
            first.append((doc, job))
    done = run(_longest_first(first, lambda job: len(job["html"])), groups=groups)
    results: dict[str, Result] = {}
    pending: dict[str, list] = {}
    for doc, job in jobs.items():
        if doc in measured:
            pending[doc] = measured[doc]
        elif isinstance(job, list):
            pending[doc] = [done[f"{doc}#{i}"][0] for i in range(len(job))]
        else:
            results[doc] = done[doc]
            if progress:
                progress(doc, done[doc][2])
    kept: dict[str, dict[int, tuple]] = {doc: {} for doc in pending}
    for _ in range(ROUNDS):
        if not pending:
            break
        tasks = [task for doc, measures in pending.items() if doc not in measured
                 for task in _print_jobs(doc, jobs[doc], measures, kept[doc], files)]
        printed = run(_longest_first(tasks, lambda job: job["cost"])) if tasks else {}
        # A held document's first print came with its measure.
        printed.update((name, output) for name, output in done.items() if name.split("#")[0] in measured)
        done, measured = {}, {}
        for doc in list(pending):
            outputs = [kept[doc].get(i) or printed[f"{doc}#{i}"] for i in range(len(jobs[doc]))]
            if any(payload[0] is None for payload, _, _ in outputs):
                # Only the parts whose numbers changed are printed again.
                real = [(payload[3], payload[1], *measure[2:])  # the named strings as measured
                        for (payload, _, _), measure in zip(outputs, pending[doc])]
                kept[doc] = _still_right(jobs[doc], outputs, pending[doc], real)
                pending[doc] = real
                continue
            del pending[doc]
            data = pdfjoin.stitch([pdfjoin.Printed(payload[0], payload[1], payload[2], payload[4])
                                   for payload, _, _ in outputs])
            blocked = [url for _, urls, _ in outputs for url in urls]
            pages = sum(payload[3] for payload, _, _ in outputs)
            results[doc] = (data, blocked, pages)
            if progress:
                progress(doc, pages)
    if pending:  # the layout kept moving: render whole
        whole = {doc: {**jobs[doc][0], "html": jobs[doc][0]["whole_html"]} for doc in pending}
        for doc, result in run(list(whole.items())).items():
            results[doc] = result
            if progress:
                progress(doc, result[2])
    return results
