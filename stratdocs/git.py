"""Every call stratdocs makes to git, in one place. Git is never asked to reach the network.

Outside a git checkout (or without git installed) the questions that only decorate the output
(the commit a PDF was built from) get an empty answer; the ones a command depends on
(`diff REV`) raise `UsageError`.
"""

from __future__ import annotations

import io
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Mapping

from stratdocs.errors import UsageError

#: No lock files, no pager, no prompts, no system or user config that could run a program.
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat",
        "GIT_CONFIG_NOSYSTEM": "1"}


def run(root: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess | None:
    """`git -C root ARGS` with its output captured as bytes; None when git cannot be run.

    :param root: the folder git runs in.
    :param args: git's arguments.
    :param timeout: seconds before the call is given up.
    """
    try:
        return subprocess.run(["git", "-C", str(root), *args], capture_output=True, timeout=timeout,
                              env={**os.environ, **_ENV})
    except (OSError, subprocess.SubprocessError):
        return None


#: What `commit` appends when the project's inputs differ from the commit (as `git describe --dirty`).
DIRTY = "+dirty"


def commit(root: Path, inputs: tuple[str, ...] = (".",)) -> str:
    """The short hash of the commit the project is checked out at, '' outside git, with
    `DIRTY` appended when any of `inputs` has uncommitted changes (untracked files included).

    :param root: the project folder.
    :param inputs: the paths, relative to `root`, the build reads (so an untracked output
        folder or cache does not count as a change).
    """
    done = run(root, "rev-parse", "--short=12", "HEAD", timeout=5)
    if done is None or done.returncode != 0:
        return ""
    head = done.stdout.decode().strip()
    return head + DIRTY if _status(root, inputs) else head


def toplevel(root: Path) -> Path:
    """The top of the git checkout that holds `root`; `UsageError` outside one."""
    done = run(root, "rev-parse", "--show-toplevel")
    if done is None:
        raise UsageError("cannot run git; install git to compare revisions")
    if done.returncode != 0:
        raise UsageError(f"{root} is not in a git repository; diff compares git revisions")
    return Path(done.stdout.decode().strip()).resolve()


def prefix(root: Path) -> str:
    """The folder of `root` within its git checkout, as a path prefix (`plan/`), or '' (also
    outside git)."""
    done = run(root, "rev-parse", "--show-prefix", timeout=5)
    if done is None or done.returncode != 0:
        return ""
    return done.stdout.decode().strip()


def _place(root: Path) -> tuple[Path, str]:
    """The top of the checkout holding `root`, and `root`'s folder within it ('.' at the top)."""
    top = toplevel(root)
    return top, root.resolve().relative_to(top).as_posix()


def is_revision(root: Path, rev: str) -> bool:
    """Whether `rev` names a commit of the repository holding `root`."""
    done = run(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return done is not None and done.returncode == 0


def export(root: Path, rev: str, into: Path) -> Path:
    """Write the project folder `root` as it was at `rev` into `into`; returns its copy there.

    :param root: the project folder, inside a git checkout.
    :param rev: a commit, tag or branch.
    :param into: an empty folder to extract into.
    """
    top, inside = _place(root)
    if not rev or rev.startswith("-") or not is_revision(root, rev):
        raise UsageError(f"'{rev}' is not a revision of this repository")
    args = ["archive", "--format=tar", rev, *([inside] if inside != "." else [])]
    archive = run(top, *args)
    if archive is None or archive.returncode != 0:
        detail = archive.stderr.decode(errors="replace").strip() if archive is not None else "git did not run"
        raise UsageError(f"git archive {rev} failed: {detail}")
    import tarfile  # only `since`/`diff` read an old revision: not imported by every command

    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        members = [m for m in tar.getmembers() if (m.isfile() or m.isdir())
                   and ".." not in PurePosixPath(m.name).parts and not m.name.startswith("/")]
        if not hasattr(tarfile, "data_filter"):  # pragma: no cover - Python < 3.11.4
            raise UsageError("comparing revisions needs Python 3.11.4 or later (tarfile's data filter)")
        tar.extractall(into, members=members, filter="data")
    project_root = into / inside if inside != "." else into
    if not project_root.is_dir():
        raise UsageError(f"the project did not exist at {rev}")
    return project_root


def has_folder(root: Path, rev: str) -> bool:
    """Whether the project folder `root` existed at `rev` (a revision git knows; see `is_revision`).

    :param root: the project folder, inside a git checkout.
    :param rev: a commit, tag or branch.
    """
    top, inside = _place(root)
    done = run(top, "rev-parse", "--verify", "--quiet", f"{rev}:{'' if inside == '.' else inside}")
    return done is not None and done.returncode == 0


@dataclass(frozen=True, slots=True)
class Change:
    """The last commit that changed a file."""

    date: str     #: the commit date (committer's), YYYY-MM-DD
    author: str   #: the author's name
    commit: str   #: the commit's short hash


def history(root: Path, folder: str) -> dict[str, Change]:
    """The last commit of every file under `folder` that git has seen, from one `git log` pass
    (newest first, so the first sighting of a path wins); empty outside git.

    Dates are commit dates, never file times, so the answer is the same on every checkout.

    :param root: the project folder.
    :param folder: the folder to look at, relative to `root` (the content folder).
    :returns: project-relative posix path -> `Change`.
    """
    done = run(root, "log", "-z", "--name-only", "--relative", "--no-renames",
               "--format=%x1e%cI%x1f%an%x1f%h", "--", folder)
    if done is None or done.returncode != 0:
        return {}
    out: dict[str, Change] = {}
    for chunk in done.stdout.decode("utf-8", errors="replace").split("\x1e")[1:]:
        header, _, names = chunk.partition("\0")
        fields = header.split("\x1f")
        if len(fields) != 3:
            continue
        change = Change(fields[0][:10], fields[1].strip(), fields[2])
        for name in names.lstrip("\n").split("\0"):
            if name and name not in out:
                out[name] = change
    return out


def uncommitted(root: Path, paths: tuple[str, ...] = (".",)) -> frozenset[str]:
    """Files under `paths` that differ from the checked-out commit: changed, staged, new or
    deleted (not ignored ones), as project-relative posix paths; empty outside git.

    :param root: the project folder.
    :param paths: folders or files relative to `root`.
    """
    inside = prefix(root) if (names := _status(root, paths)) else ""
    return frozenset(name[len(inside):] if name.startswith(inside) else name for name in names)


def _status(root: Path, paths: tuple[str, ...]) -> list[str]:
    """`git status` of `paths`: the changed files' paths from the top of the checkout."""
    done = run(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *paths, timeout=30)
    if done is None or done.returncode != 0:
        return []
    names, skip = [], False
    for entry in done.stdout.decode("utf-8", errors="replace").split("\0"):
        if skip or len(entry) < 4:
            skip = False
            continue
        skip = entry[0] in "RC"  # a rename or copy is followed by its original path
        names.append(entry[3:])
    return names


def user_name(root: Path) -> str:
    """`git config user.name` in the checkout holding `root`, or '' when unset or outside git."""
    done = run(root, "config", "user.name", timeout=5)
    return done.stdout.decode("utf-8", errors="replace").strip() if done is not None and done.returncode == 0 else ""


@dataclass(frozen=True)
class Checkout:
    """What git says about the files a build reads; empty outside git."""

    commit: str = ""                    #: the commit stamp (`0123456789ab`, or `0123456789ab+dirty`)
    prefix: str = ""                    #: the project's folder within the checkout (`plan/`), or ''
    history: Mapping[str, Change] = field(default_factory=dict)  #: project-relative file -> last change
    uncommitted: frozenset[str] = frozenset()  #: project-relative files with uncommitted changes

    @property
    def head(self) -> str:
        """The commit's hash without the dirty mark."""
        return self.commit.removesuffix(DIRTY)

    @property
    def dirty(self) -> bool:
        return self.commit.endswith(DIRTY)

    @property
    def last_change(self) -> Change | None:
        """The newest change of any file in `history`."""
        return max(self.history.values(), key=lambda c: c.date, default=None)


def checkout(root: Path, inputs: tuple[str, ...], folder: str) -> Checkout:
    """The `Checkout` of the project at `root`, in at most five git processes whatever its size.

    :param root: the project folder.
    :param inputs: paths relative to `root` the build reads (config, content, theme, lock).
    :param folder: the content folder, whose files' history pages show.
    """
    stamp = commit(root, inputs)
    inside = prefix(root)  # edit links need it even before the first commit
    if not stamp:
        return Checkout(prefix=inside)
    dirty = stamp.endswith(DIRTY)
    return Checkout(stamp, inside, MappingProxyType(history(root, folder)),
                    uncommitted(root, (folder,)) if dirty else frozenset())


class CheckoutMemo:
    """`checkout` for the preview, which asks again on every rebuild: a handful of git processes
    each time (`git log` of the content folder and `git status` of every input: 70 ms at 10,000
    items), although between two saves of content files nothing git knows has changed but
    whether those files differ from the commit.

    While the state git keeps in its folder (HEAD, the branch it names, packed refs, the index:
    their `stat`) is what it was at the last full answer, and the rebuild is for saves of known
    content files only, the last answer is kept and only the saved files are asked about (one
    `git status` of them): the history is the same commits', the other inputs are as clean or
    dirty as they were. Anything else (a commit, `git add`, a checkout, a theme or config
    edit, a file created or deleted) asks git everything again. Outside git the answer is kept
    while only content files are saved (a `git init` meanwhile shows after a full rebuild).
    """

    def __init__(self) -> None:
        self._dirs: tuple[str, str] | None = None   # the git folder and the common one (worktrees)
        #: (state, inputs, folder, the checkout, whether inputs outside the content folder are
        #: dirty: None while not known)
        self._last: tuple | None = None

    def checkout(self, root: Path, inputs: tuple[str, ...], folder: str, saved: set[str] | None) -> Checkout:
        """`checkout(root, inputs, folder)`; `saved`: the project-relative content files saved
        since the last call, and nothing else changed (None: anything may have)."""
        state = self._state(root)
        last = self._last
        if saved is not None and last is not None and last[:3] == (state, inputs, folder):
            kept = last[3]
            if not kept.head:
                return kept  # outside git, or before the first commit: nothing to ask
            names = _status(root, tuple(sorted(saved))) if saved else []
            inside = kept.prefix
            now = (kept.uncommitted - saved) | {n[len(inside):] if n.startswith(inside) else n for n in names}
            others = last[4]
            if others is None and not now:  # the content is clean now: is anything else dirty?
                rest = tuple(i for i in inputs if i != folder)
                others = bool(rest) and bool(_status(root, rest))  # no paths would be the whole tree
            dirty = bool(now) or bool(others)
            made = Checkout(kept.head + DIRTY if dirty else kept.head, inside, kept.history,
                            frozenset(now) if dirty else frozenset())
            self._last = (*last[:3], made, others)
            return made
        made = checkout(root, inputs, folder)
        # Whether the inputs outside the content folder are dirty: known when the content is
        # clean (then they are the dirt) or nothing is; asked only when a save needs it.
        others = None if made.dirty and made.uncommitted else made.dirty
        self._last = (state, inputs, folder, made, others)
        return made

    def _state(self, root: Path) -> tuple:
        """The `stat` of the files in git's folder whose change means a commit, checkout or
        staging happened (None for each one missing)."""
        if self._dirs is None:
            done = run(root, "rev-parse", "--absolute-git-dir", "--git-common-dir", timeout=5)
            lines = done.stdout.decode().splitlines() if done is not None and done.returncode == 0 else []
            self._dirs = (lines[0], os.path.join(root, lines[1])) if len(lines) == 2 else ("", "")
        here, common = self._dirs
        if not here:
            return ()
        try:
            with open(os.path.join(here, "HEAD"), encoding="utf-8", errors="replace") as fh:
                head = fh.read().strip()
        except OSError:
            head = ""
        ref = head[5:].strip() if head.startswith("ref: ") else ""
        files = [os.path.join(here, "HEAD"), os.path.join(here, "index"), os.path.join(common, "packed-refs")]
        if ref.startswith("refs/") and ".." not in ref.split("/"):  # a branch inside git's folder, nothing else
            files += [os.path.join(common, ref), os.path.join(here, ref)]
        return (head, *(_file_state(path) for path in files))


def _file_state(path: str) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns
