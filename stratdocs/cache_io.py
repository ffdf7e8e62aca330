"""The cache folders' files as plain files: read without following a link, replaced atomically.

Shared by the build cache (`stratdocs.cache`), the load cache and the user's cache folder; what
is signed, and how, is `stratdocs.cache`'s.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def read_plain(path: Path | str) -> tuple[bytes, os.stat_result] | None:
    """The bytes and `stat` of the plain file at `path`; None for a link (never followed:
    O_NOFOLLOW refuses it), anything else, or a file that cannot be read."""
    try:
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), "rb") as fh:
            st = os.fstat(fh.fileno())
            return (fh.read(), st) if stat.S_ISREG(st.st_mode) else None
    except OSError:
        return None


def replace(path: Path, data: bytes) -> None:
    """Write `data` as the cache file `path` through a temporary file in the same folder, so a
    reader sees the old file or the new one."""
    prepare(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
        raise


def prepare(folder: Path) -> None:
    """Make the cache folder, with a `.gitignore` so that git never tracks it."""
    folder.mkdir(parents=True, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# stratdocs build cache: safe to delete\n*\n", encoding="utf-8")
