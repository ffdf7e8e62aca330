"""The preview's writer: `render.writer.InPlaceWriter` with the per-file costs of a rebuild that
changes a few files out of thousands taken out (issue 15).

- An output path's parts and file are worked out once per path for the session (`claim`
  refuses a path outside the output the first time), not once per rebuild; two outputs on one
  path are refused every round, and every folder written to is resolved once a round, as the
  base writer does, so a folder that became a link out of the output is still refused.
- A static file copied in an earlier round whose source has the `stat` it had then (settled,
  as `render.writer.SETTLED_NS` asks) is not read and hashed again: the theme's 700 KB of
  scripts, styles and fonts on every save.
- `commit` removes the files this round did not produce from what this writer knows it wrote,
  instead of listing the whole folder: the folder is the preview's own temporary one, and
  every file in it was written by this writer (the first round, and any round after the writer
  lost track of a file, still lists the folder).
"""

from __future__ import annotations

import os
import time
from pathlib import Path, PurePosixPath

from stratdocs.render.writer import (MARKER, MARKER_TEXT, SETTLED_NS, InPlaceWriter, OutputError, _signature,
                                     _writing, claim)


class PreviewWriter(InPlaceWriter):
    """An in-place writer for a folder only the preview writes to."""

    def __init__(self, output: Path):
        super().__init__(output, prune=True)
        self._paths: dict[str, tuple[str, Path, Path, str]] = {}  # rel -> (claim key, file, its folder
        # and that folder as a string), found by `claim`
        self._listed = False  # whether a round listed the folder since the writer last lost track
        self._folders: set[str] = set()  # `_inside` as strings (cheaper to look up), this round
        self._copied: dict[str, tuple[str, tuple, str]] = {}  # rel -> (source, its stat, sha256) of a copy

    def _claim(self, rel: str) -> Path:
        known = self._paths.get(rel)
        if known is None:
            path = super()._claim(rel)
            self._paths[rel] = (PurePosixPath(rel).as_posix().lower(), path, path.parent, str(path.parent))
            self._folders.add(str(path.parent))
            return path
        key, path, parent, folder = known
        if key in self.written:
            claim(rel, self.written)  # raises the writer's own message: two outputs on one path
        self.written.add(key)
        if folder not in self._folders:  # each folder resolved once a round, as the base writer does
            real = parent.resolve()
            if real != self.output and self.output not in real.parents:
                raise OutputError(f"refusing to write '{rel}': '{parent}' leaves the output folder")
            self._inside.add(parent)
            self._folders.add(folder)
        return path

    def copy(self, rel: str, source: Path) -> None:
        """Publish the file `source` as `rel`; not read again while it has the `stat` it had when
        it was last copied (and had had long enough for the `stat` to stand for its bytes)."""
        try:
            st = os.stat(source)
        except OSError:
            st = None
        made = self._copied.get(rel)
        if st is not None and made is not None and made[:2] == (str(source), _signature(st)) \
                and self.known.get(rel) == made[2] and rel in self._paths:
            self._claim(rel)
            return
        super().copy(rel, source)
        if st is not None and st.st_mtime_ns < time.time_ns() - SETTLED_NS and rel in self.known:
            self._copied[rel] = (str(source), _signature(st), self.known[rel])

    def keep(self, rel: str, sha256: str) -> bool:
        """Keep the file at `rel` when it holds `sha256`. A file this writer wrote or kept in its
        last round is there still (nothing else writes to the folder: see the module's
        docstring), so only one it never claimed is looked for on disk."""
        if self.known.get(rel) != sha256 or rel not in self._paths and not os.path.exists(self.output / rel):
            return False
        self._claim(rel)
        return True

    def keep_all(self, pairs: list[tuple[str, str]]) -> list[str]:
        """`keep` each (rel, sha256); the paths kept."""
        known, paths, kept = self.known, self._paths, []
        for rel, sha256 in pairs:
            if known.get(rel) == sha256 and rel in paths:  # `keep`, inlined: thousands per rebuild
                self._claim(rel)
                kept.append(rel)
            elif self.keep(rel, sha256):
                kept.append(rel)
        return kept

    def abort(self) -> None:
        super().abort()
        self._folders = set()

    def commit(self) -> None:
        self._folders = set()
        if not self._listed:
            super().commit()
            self._listed = True
            return
        with _writing(f"the output folder {self.output}"):
            if not (self.output / MARKER).exists():
                (self.output / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
            for rel in [rel for rel in self.known if rel.lower() not in self.written]:
                path = self.output / rel
                try:
                    path.unlink()
                except FileNotFoundError:
                    pass
                self.known.pop(rel)
                self.changed.append(rel)
                self._prune_folders(path.parent)
        self.written = set()
        self._inside = set()

    def _prune_folders(self, folder: Path) -> None:
        """Remove the folders a removed file leaves empty, up to the output folder."""
        while folder != self.output and self.output in folder.parents:
            try:
                folder.rmdir()
            except OSError:  # not empty (or gone): stop here
                return
            self._inside.discard(folder)
            self._folders.discard(str(folder))
            self._paths = {rel: known for rel, known in self._paths.items() if folder not in known[1].parents}
            folder = folder.parent


__all__ = ["OutputError", "PreviewWriter"]
