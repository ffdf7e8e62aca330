"""The build cache: what a second build (or a rebuild in `serve`) need not compute again.

Three things are remembered, each keyed by a hash of everything it was made from:

- rendered Markdown bodies (the most expensive step), with the links each one resolved, so a
  cached body is used only while every link it shows still resolves the same way;
- charts (inline SVG), keyed by their inputs;
- page fingerprints: a hash of a page's template, context and view model, with the hash of the
  bytes written. An unchanged page is carried over from the previous output after its bytes are
  checked against that hash, so nothing stale or tampered with is ever published.

On disk it lives in `.stratdocs-cache/` (ignored by git) as JSON (never pickle: a cache is
data, not code). A different stratdocs or Python version, a corrupt file or a hash mismatch
simply misses.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from pathlib import Path

from stratdocs import __version__
from stratdocs.render.markdown import Rendered

CACHE_DIR = ".stratdocs-cache"
GRAPH = "*graph*"  # a pseudo-id: "the links between items", read by pages such as the matrices
FORMAT = 2


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def stamp() -> str:
    """What a cache is only valid for: this format, stratdocs version and Python."""
    return f"{FORMAT}/{__version__}/{platform.python_implementation()}-{platform.python_version()}"


class BuildCache:
    """In-memory cache, optionally loaded from and saved to a project's cache folder."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        self.bodies: dict[str, list] = {}
        self.charts: dict[str, str] = {}
        self.pages: dict[str, list[str]] = {}
        self.hits = {"bodies": 0, "charts": 0, "pages": 0, "skipped": 0}
        # Kept in memory only, for rebuilds within one process (the preview server):
        self.states: dict[str, tuple] | None = None   # entity id -> everything a page may show of it
        self.reads: dict[str, tuple[str, frozenset, frozenset]] = {}  # page -> (context, ids read, ids shown)
        self.item_refs: dict = {}                       # entity id -> how a reference to it looks
        self.docs: dict = {}                            # search documents by entity
        self.rows: dict = {}                            # KPI rows (scorecard, objective pages) by entity
        self.env = None                                 # (theme and config, Jinja environment)
        self.body_html: dict[str, str] = {}             # entity id -> rendered body
        self.used_bodies: set[str] = set()              # body keys the current build asked for
        if folder is not None:
            self._load()

    @property
    def path(self) -> Path | None:
        return self.folder / "build.json" if self.folder else None

    def _load(self) -> None:
        try:
            raw = self.path.read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError):
            return
        if not isinstance(data, dict) or data.get("stamp") != stamp():
            return
        payload = json.dumps(data.get("content"), sort_keys=True, ensure_ascii=False)
        if data.get("checksum") != digest(payload):
            return  # corrupt or edited by hand: start afresh
        content = data["content"]
        if isinstance(content, dict):
            self.bodies = {k: v for k, v in content.get("bodies", {}).items() if _valid_body(v)}
            self.charts = {k: v for k, v in content.get("charts", {}).items() if isinstance(v, str)}
            self.pages = {k: v for k, v in content.get("pages", {}).items()
                          if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)}

    def save(self) -> None:
        if self.folder is None:
            return
        content = {"bodies": self.bodies, "charts": self.charts, "pages": self.pages}
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False)
        data = {"stamp": stamp(), "checksum": digest(payload), "content": content}
        self.folder.mkdir(parents=True, exist_ok=True)
        ignore = self.folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# stratdocs build cache: safe to delete\n*\n", encoding="utf-8")
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".build.", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, sort_keys=True, ensure_ascii=False)
        os.replace(tmp, self.path)

    # -- bodies ------------------------------------------------------------------------------

    def body(self, key: str) -> Rendered | None:
        entry = self.bodies.get(key)
        if entry is None:
            return None
        html, deps = entry
        return Rendered(html, tuple(tuple(d) for d in deps))

    def put_body(self, key: str, rendered: Rendered) -> None:
        self.bodies[key] = [rendered.html, [list(d) for d in rendered.deps]]

    # -- charts ------------------------------------------------------------------------------

    def chart(self, key: str, make) -> str:
        svg = self.charts.get(key)
        if svg is None:
            svg = str(make())
            self.charts[key] = svg
        else:
            self.hits["charts"] += 1
        return svg

    # -- pages -------------------------------------------------------------------------------

    def page(self, rel: str) -> tuple[str, str] | None:
        entry = self.pages.get(rel)
        return (entry[0], entry[1]) if entry else None

    def put_page(self, rel: str, fingerprint: str, data: bytes) -> None:
        self.pages[rel] = [fingerprint, hashlib.sha256(data).hexdigest()]

    def changed_bodies(self, bodies: dict[str, Rendered]) -> set[str]:
        """Ids whose rendered body differs from the previous build's in this process (a body shows
        other items' titles and page paths, so it can change while its own file did not)."""
        previous, self.body_html = self.body_html, {key: r.html for key, r in bodies.items()}
        return {key for key, html in self.body_html.items() if previous.get(key) != html}

    def ref_changes(self, item_refs: dict) -> set[str]:
        """Ids whose reference (id, title, kind, page, health) looks different from last time."""
        previous, self.item_refs = self.item_refs, item_refs
        changed = {key for key, ref in item_refs.items() if previous.get(key) != ref}
        return changed | (previous.keys() - item_refs.keys())

    def changes(self, states: dict[str, tuple]) -> set[str] | None:
        """Ids whose state differs from the previous build's (None on the first build), plus the
        token GRAPH when any link was added, removed or retargeted. Remembers `states`."""
        previous, self.states = self.states, states
        if previous is None:
            return None
        changed = {key for key, state in states.items() if previous.get(key) != state}
        removed = previous.keys() - states.keys()
        changed |= removed
        if removed or list(previous) != list(states) or any(
                key not in previous or previous[key][-2:] != states[key][-2:] for key in changed):
            changed.add(GRAPH)  # links or the order of items changed
        return changed

    def prune(self, bodies: set[str], charts: set[str], pages: set[str]) -> None:
        """Forget what this build did not use, so the cache does not grow without bound."""
        self.bodies = {k: v for k, v in self.bodies.items() if k in bodies}
        self.charts = {k: v for k, v in self.charts.items() if k in charts}
        self.pages = {k: v for k, v in self.pages.items() if k in pages}


def _valid_body(entry) -> bool:
    return (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and isinstance(entry[1], list)
            and all(isinstance(d, list) and len(d) == 3 and all(isinstance(x, str) for x in d) for d in entry[1]))


def clear(root: Path) -> None:
    shutil.rmtree(root / CACHE_DIR, ignore_errors=True)


def for_project(root: Path) -> BuildCache:
    return BuildCache(root / CACHE_DIR)
