"""An incremental build session: re-reads only changed files, re-renders only changed pages and
writes only changed files. Its output is byte-identical to a full build of the same content.

It runs the same pipeline as `stratdocs build` (`pipeline.preview`), keeping between rebuilds
the parsed files (`project.FileMemo`), the dependency tracking (`render.memory.Memory`) and
the in-place writer's knowledge of what it wrote.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from stratdocs import config as config_mod
from stratdocs import pipeline
from stratdocs.cache import BuildCache
from stratdocs.errors import ConfigError, ContentError, StratdocsError
from stratdocs.project import FileMemo
from stratdocs.render.memory import Memory
from stratdocs.render.writer import InPlaceWriter


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
        self.files = FileMemo()
        self.memory = Memory()
        self.cache = BuildCache()
        self.extra = {"live_reload": live_reload}

    def rebuild(self) -> Outcome:
        """Bring the output up to date. On errors the last good site stays as it is."""
        start = time.perf_counter()
        self.writer.changed = []
        try:
            checked = pipeline.preview(self.root, self.writer, self.files, self.cache, self.memory,
                                       self.extra)
        except ConfigError as exc:
            return Outcome(False, time.perf_counter() - start, errors=[f.text() for f in exc.findings])
        except ContentError as exc:
            return Outcome(False, time.perf_counter() - start, self.files.reread,
                           errors=[f.text() for f in exc.findings])
        except StratdocsError as exc:  # a template or output problem: keep serving the last good site
            self.writer.abort()
            return Outcome(False, time.perf_counter() - start, self.files.reread,
                           errors=[f"build failed: {exc.message}"])
        return Outcome(True, time.perf_counter() - start, self.files.reread, list(self.writer.changed), [],
                       len(checked.warnings))


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
