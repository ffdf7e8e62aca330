"""Reading and planting the build cache file (`.stratdocs-cache/build.json`) in tests."""

from __future__ import annotations

import json
from pathlib import Path

from stratdocs import cache as cache_mod


def read(path: Path) -> dict:
    """The cache file as {"stamp", "checksum", "content"}: its header line, and its content with
    the charts and the item views (lines of their own in the file) put back in as
    content["charts"] and content["views"]."""
    head, _, payload = path.read_bytes().partition(b"\n")
    main, charts, views = (payload.split(b"\n") + [b"", b""])[:3]
    return {**json.loads(head), "content": {**json.loads(main), "charts": json.loads(charts) if charts else {},
                                            "views": json.loads(views) if views else {}}}


def write(path: Path, data: dict, *, signed: bool) -> None:
    """Write `data` back as the cache file: re-signed with this user's key (as if stratdocs had
    written it), or with the checksum it holds (planted: not ours)."""
    content = dict(data["content"])
    lines = [content, content.pop("charts", {}), content.pop("views", {})]
    payload = b"\n".join(json.dumps(line, sort_keys=True, ensure_ascii=False).encode("utf-8") for line in lines)
    checksum = cache_mod.sign_bytes(payload) if signed else data["checksum"]
    path.write_bytes(json.dumps({"stamp": data["stamp"], "checksum": checksum}).encode("ascii") + b"\n" + payload)
