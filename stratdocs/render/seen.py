"""What the output folder held after the last build: the `stat` of each page written or
carried over with its hash (`render.writer.Writer.seen`), in the signed `.stratdocs-cache/output.json`.

While a page's `stat` (device, inode, size, modification and change time) is the recorded one,
the next build links it into the new output without reading and hashing its bytes again (git's
index does the same). The record is signed like every cache file (`stratdocs.cache`), so one
planted in a repository is not read, and it is only for the output folder it names.
"""

from __future__ import annotations

import json
from pathlib import Path

from stratdocs import cache as cache_mod

FILE_NAME = "output.json"


def read(cache: cache_mod.BuildCache, output: Path) -> dict[str, list]:
    """rel -> [sha256, device, inode, size, mtime, ctime] of the pages in `output` after the previous build ({} when that was another
    folder, or nothing trustworthy was recorded)."""
    payload = cache_mod.read_signed(cache.folder / FILE_NAME) if cache.folder is not None else None
    try:
        record = json.loads(payload) if payload is not None else None
    except ValueError:
        return {}
    if not isinstance(record, dict) or record.get("output") != str(output) or not isinstance(record.get("files"), dict):
        return {}
    return {rel: entry for rel, entry in record["files"].items()
            if type(entry) is list and len(entry) == 6 and type(entry[0]) is str
            and all(type(n) is int for n in entry[1:])}


def save(cache: cache_mod.BuildCache, output: Path, files: dict[str, list]) -> None:
    """Record `files` (`Writer.seen`) as what `output` holds, for the next build."""
    if cache.folder is not None and cache_mod.usable(cache.folder):
        cache_mod.write_signed(cache.folder / FILE_NAME, json.dumps(
            {"output": str(output), "files": files}, sort_keys=True).encode("utf-8"))
