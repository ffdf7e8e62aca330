"""An incremental build session: re-reads only changed files, re-renders only changed pages and
writes only changed files. Its output is byte-identical to a full build of the same content."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from stratdocs import config as config_mod
from stratdocs import project as project_mod
from stratdocs import sources
from stratdocs.build import git_commit
from stratdocs.cache import BuildCache
from stratdocs.findings import Severity
from stratdocs.render.site import write_site
from stratdocs.render.writer import InPlaceWriter


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


@dataclass
class Outcome:
    ok: bool
    seconds: float
    reread: int = 0
    changed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: int = 0


class Session:
    """Keeps parsed files, rendered bodies, charts and page fingerprints between rebuilds."""

    def __init__(self, root: Path, output: Path, *, live_reload: bool = False):
        self.root = root.resolve()
        self.output = output
        self.writer = InPlaceWriter(output)
        self.cache = BuildCache()
        self.files: dict[str, tuple[tuple, project_mod.FileResult]] = {}
        self.config_stamp = None
        self.extra = {"live_reload": live_reload}
        self.commit = git_commit(self.root)
        self.builds = 0
        self.last_error: list[str] = []

    def _key(self, cfg, rel: str, kind: str, previous: project_mod.FileResult | None) -> tuple:
        deps = previous.data_files if previous else ()
        root = str(cfg.root)
        return (kind, _stat(os.path.join(root, rel)), tuple((d, _stat(os.path.join(root, d))) for d in deps))

    def load(self) -> tuple[project_mod.Project, int]:
        cfg = config_mod.load(self.root)
        config_mod.validate_references(cfg)
        stamp = _stat(str(self.root / config_mod.CONFIG_FILE))
        if stamp != self.config_stamp:  # config decides how files are read: start afresh
            self.files = {}
            self.config_stamp = stamp
        listed, discovery = sources.discover(cfg.root, cfg.content_dir, dict(cfg.folders))
        results, reread, kept = [], 0, {}
        for rel, kind in listed:
            previous = self.files.get(rel)
            key = self._key(cfg, rel, kind, previous[1] if previous else None)
            if previous is not None and previous[0] == key:
                result = previous[1]
            else:
                result = project_mod.read_file(cfg, rel, kind)
                key = self._key(cfg, rel, kind, result)
                reread += 1
            kept[rel] = (key, result)
            results.append(result)
        self.files = kept
        return project_mod.combine(cfg, discovery, results), reread

    def rebuild(self) -> Outcome:
        """Bring the output up to date. On content errors the last good site stays as it is."""
        start = time.perf_counter()
        try:
            project, reread = self.load()
        except config_mod.ConfigError as exc:
            self.last_error = exc.message.split("\n")
            return Outcome(False, time.perf_counter() - start, errors=self.last_error)
        errors = [f.text() for f in project.findings if f.severity is Severity.ERROR]
        if errors:
            self.last_error = errors
            return Outcome(False, time.perf_counter() - start, reread, errors=errors)
        self.writer.changed = []
        try:
            write_site(project, self.writer, commit=self.commit, cache=self.cache, extra_context=self.extra)
            self.writer.commit()
        except Exception as exc:  # a template or output problem: keep serving the last good site
            self.writer.abort()
            self.last_error = [f"build failed: {type(exc).__name__}: {exc}"]
            return Outcome(False, time.perf_counter() - start, reread, errors=self.last_error)
        self.builds += 1
        self.last_error = []
        warnings = sum(1 for f in project.findings if f.severity is Severity.WARNING)
        return Outcome(True, time.perf_counter() - start, reread, list(self.writer.changed), [], warnings)


def watched_paths(root: Path) -> list[Path]:
    """What the preview watches: the content, the config and the theme folders."""
    from stratdocs.theme import theme_dirs

    cfg = config_mod.load(root)
    paths = [cfg.content_path, root / config_mod.CONFIG_FILE]
    paths += [d for d in theme_dirs(cfg)]
    themes = root / "themes"
    if themes.is_dir():
        paths.append(themes)
    return [p for p in dict.fromkeys(paths) if p.exists()]

