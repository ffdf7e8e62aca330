"""The plans the open files belong to: one loaded project per plan folder, re-loaded with the
editor's unsaved text as overrides and a `project.FileMemo` (only changed files are re-read)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from stratdocs import config as config_mod, project as project_mod
from stratdocs.errors import ConfigError
from stratdocs.findings import Finding


def find_root(path: Path) -> Path | None:
    """The plan folder of the file at `path`: the nearest folder up with `stratdocs.yml` (as the
    CLI finds it), else one with `content/plan.md`; None outside any plan."""
    folders = list(path.parents)
    for folder in folders:
        if (folder / config_mod.CONFIG_FILE).is_file():
            return folder
    return next((f for f in folders if (f / "content" / "plan.md").is_file()), None)


@dataclass
class Loaded:
    """The latest load of one plan: the project (None while the config is broken) and the
    findings about `stratdocs.yml` when it is."""

    project: project_mod.Project | None
    config_findings: tuple[Finding, ...] = ()


@dataclass
class Plan:
    """One plan folder: its file memo and latest load. `load` runs in one worker thread at a time."""

    root: Path
    memo: project_mod.FileMemo = field(default_factory=project_mod.FileMemo)
    latest: Loaded | None = None
    lock: threading.Lock = field(default_factory=threading.Lock)

    def rel(self, path: Path) -> str:
        """The project-relative posix path of `path` (a file of this plan)."""
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def load(self, overrides: dict[str, str]) -> Loaded:
        """Load the plan with `overrides` (relative path -> unsaved text) as `check` would.

        A broken `stratdocs.yml` gives its findings instead of a project.
        """
        with self.lock:
            try:
                loaded = Loaded(project_mod.load(self.root, files=self.memo, overrides=overrides))
            except ConfigError as exc:
                loaded = Loaded(None, tuple(exc.findings))
            self.latest = loaded
            return loaded


class Plans:
    """The plans of the open files, by folder."""

    def __init__(self) -> None:
        self.plans: dict[Path, Plan] = {}

    def of(self, path: Path) -> Plan | None:
        """The plan holding the file at `path` (created on first use), or None outside any plan."""
        root = find_root(path.resolve())
        if root is None:
            return None
        return self.plans.setdefault(root, Plan(root))
