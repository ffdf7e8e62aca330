"""Work spread over the cores: one function mapped over many items in forked worker processes.

Loading reads and validates every content file (`project.load`) and the site renders every page
(`render.site`); both are independent per item, so on a machine with more than one core they run
in worker processes forked from the command's own process. Forking means the workers start
with everything the parent had already loaded (the config, the plan, the compiled templates):
nothing is sent to them but the items, and only plain results come back. Results come back in
the order of the items, so the output is the same bytes whatever the number of workers.

Workers are used only where they pay: enough items, more than one core, `fork` available, and no
other thread running in the process (forking a threaded process, the preview server, is unsafe;
it then works in-process). `STRATDOCS_WORKERS=1` switches them off (benchmarks compare CPU and
wall time that way). An exception in a worker is raised again in the parent, so a user's mistake
found in a worker is reported exactly as if it had been found in-process; on Ctrl-C or any other
failure the workers are stopped before the exception goes on.
"""

from __future__ import annotations

import copyreg
import gc
import os
import signal
import threading
import types
from contextlib import contextmanager
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")

#: At most this many workers (the speed issue's machines have 2 cores; more rarely pays for I/O).
MAX_WORKERS = 8
#: Chunks per worker: small enough to balance uneven items, large enough to keep overhead low.
CHUNKS_PER_WORKER = 4

_TASK: list[Callable] = []



def _proxy(items: dict) -> types.MappingProxyType:
    return types.MappingProxyType(items)


# The model's read-only mappings travel between our own processes as the dicts they wrap.
copyreg.pickle(types.MappingProxyType, lambda proxy: (_proxy, (dict(proxy),)))


def count(fork: bool = True) -> int:
    """How many worker processes a map may use here (1: work in-process).

    :param fork: the workers are forked (`fork_map`): none while another thread runs. False:
        they are started another way where needed (the PDF renderer spawns them then).
    """
    setting = os.environ.get("STRATDOCS_WORKERS", "").strip()
    if setting.isdigit() and int(setting) >= 1:
        wanted = int(setting)
    else:
        try:
            wanted = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            wanted = os.cpu_count() or 1
    if wanted < 2:
        return 1
    import multiprocessing  # only where workers may start: 5 ms of imports (sockets among them)

    if fork and ("fork" not in multiprocessing.get_all_start_methods() or threading.active_count() > 1):
        return 1
    return min(wanted, MAX_WORKERS)


def _quiet() -> None:
    """A worker ignores Ctrl-C: the parent gets it and stops every worker (no traceback from each)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _run(chunk: Sequence) -> list:
    task = _TASK[-1]
    return [task(item) for item in chunk]


@contextmanager
def collector_paused(freeze: bool = True) -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a plan is loaded.

    Loading makes hundreds of thousands of long-lived objects (entities, points, findings) and
    no reference cycles; each of the collector's full passes walks every one of them, which at
    10,000 entities cost a third of a warm `check`. Reference counting still frees everything
    that is dropped. With `freeze` (a command that ends soon after: not the preview server),
    what was made is then moved out of the collector's sight for the rest of the process
    (`gc.freeze`), so later passes do not walk it either.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if enabled:
            gc.enable()


def _chunks(items: Sequence[T], count: int, alone: int = 0) -> list[Sequence[T]]:
    """`items` cut into about `count` parts of equal length, the first `alone` each a part of its own."""
    size = max(1, -(-(len(items) - alone) // count))
    return [items[i:i + 1] for i in range(min(alone, len(items)))] + [
        items[i:i + size] for i in range(alone, len(items), size)]


def fork_map(task: Callable[[T], R], items: Sequence[T], minimum: int, parts: int = CHUNKS_PER_WORKER) -> list[R]:
    """`[task(item) for item in items]`, in forked workers when there are `minimum` items or more.

    :param task: any callable (it is inherited by the forked workers, never pickled); its
        results must pickle.
    :param minimum: below this many items the work is done in-process (workers cost more).
    :param parts: how many chunks per worker the items are cut into (more: better balanced
        when items take very different times, at the cost of a message each).
    """
    return list(fork_imap(task, items, minimum, parts))


def fork_imap(task: Callable[[T], R], items: Sequence[T], minimum: int,
              parts: int = CHUNKS_PER_WORKER, ordered: bool = True, alone: int = 0,
              meanwhile: Callable[[], None] | None = None) -> Iterator[R]:
    """`fork_map`, its results given as soon as each part of them is there (the caller uses
    the first ones while the workers make the rest). The workers are stopped when the
    iteration ends, fails or is dropped.

    :param ordered: in the order of the items; False: in the order the parts are done (a
        result must then say which item it is for), so a long item does not hold back the
        results made after it.
    :param alone: the first this many items are each a part of its own (long items: a worker
        that takes one is not held up by the rest of a part behind it).
    :param meanwhile: work of this process's own, done once the workers have started (in-process:
        first), so the workers do not wait for it; it must not change what they inherit.
    """
    workers = count() if len(items) >= minimum else 1
    if workers < 2:
        if meanwhile is not None:
            meanwhile()
        yield from (task(item) for item in items)
        return
    chunks = _chunks(items, workers * parts, alone)
    _TASK.append(task)
    import multiprocessing  # imported by `count` already

    pool = multiprocessing.get_context("fork").Pool(workers, initializer=_quiet)
    try:
        results = (pool.imap if ordered else pool.imap_unordered)(_run, chunks)
        if meanwhile is not None:
            meanwhile()
        for part in results:
            yield from part
        pool.close()
    except BaseException:  # Ctrl-C, an error, or a caller that dropped the iterator (GeneratorExit)
        pool.terminate()  # no worker is left behind
        raise
    finally:
        pool.join()
        _TASK.pop()
