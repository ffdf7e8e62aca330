"""Every call stratdocs makes to git, in one place. Git is never asked to reach the network.

Outside a git checkout (or without git installed) the questions that only decorate the output
(the commit a PDF was built from) get an empty answer; the ones a command depends on
(`diff REV`) raise `UsageError`.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
from pathlib import Path, PurePosixPath

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


def commit(root: Path) -> str:
    """The short hash of the commit the project is checked out at, or '' outside git."""
    done = run(root, "rev-parse", "--short=12", "HEAD", timeout=5)
    return done.stdout.decode().strip() if done is not None and done.returncode == 0 else ""


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
    top = toplevel(root)
    inside = root.resolve().relative_to(top).as_posix()
    if not rev or rev.startswith("-") or not is_revision(root, rev):
        raise UsageError(f"'{rev}' is not a revision of this repository")
    args = ["archive", "--format=tar", rev, *([inside] if inside != "." else [])]
    archive = run(top, *args)
    if archive is None or archive.returncode != 0:
        detail = archive.stderr.decode(errors="replace").strip() if archive is not None else "git did not run"
        raise UsageError(f"git archive {rev} failed: {detail}")
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
    top = toplevel(root)
    inside = root.resolve().relative_to(top).as_posix()
    done = run(top, "rev-parse", "--verify", "--quiet", f"{rev}:{'' if inside == '.' else inside}")
    return done is not None and done.returncode == 0
