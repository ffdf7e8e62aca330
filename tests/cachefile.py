"""Reading and planting the build cache (`.stratdocs-cache/build.json` and its part files) in tests."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from stratdocs import cache as cache_mod


def read(path: Path) -> dict:
    """The cache file as {"stamp", "checksum", "content"}: its header line, and its content with
    the charts and the item views (files of their own beside it) put back in as
    content["charts"] and content["views"]."""
    head, _, payload = path.read_bytes().partition(b"\n")
    main, _, _ = payload.partition(b"\n")
    parts = {}
    for part, name in cache_mod.PARTS.items():
        file = path.parent / name
        parts[part] = json.loads(file.read_bytes()) if file.exists() else {}
    return {**json.loads(head), "content": {**json.loads(main), **parts}}


def write(path: Path, data: dict, *, signed: bool) -> None:
    """Write `data` back as the cache files: the main one re-signed with this user's key (as if
    stratdocs had written it), or with the checksum it holds (planted: not ours)."""
    content = dict(data["content"])
    digests = {}
    for part, name in cache_mod.PARTS.items():
        raw = json.dumps(content.pop(part, {}), sort_keys=True, ensure_ascii=False).encode("utf-8")
        (path.parent / name).write_bytes(raw)
        digests[part] = hashlib.sha256(raw).hexdigest()
    payload = b"\n".join(json.dumps(line, sort_keys=True, ensure_ascii=False).encode("utf-8")
                         for line in (content, digests))
    checksum = cache_mod.sign_bytes(payload) if signed else data["checksum"]
    path.write_bytes(json.dumps({"stamp": data["stamp"], "checksum": checksum}).encode("ascii") + b"\n" + payload)
