"""A PDF document carried over from the previous output when nothing it prints changed (issue #15).

A build renders every PDF again, and WeasyPrint takes seconds where the site takes a fraction
of one. A document is a pure function of what WeasyPrint is given and may read: its jobs (the
HTML of the document or of its parts, their base URL, allowed folders and options), the files
its fetcher may serve (the theme folders and `content/assets`: nothing else is ever served,
`pdffetch.Fetcher`), and the code that renders it (stratdocs, in the build cache's stamp;
WeasyPrint, pydyf, pikepdf and fontTools, by version). Their digest is the document's `key`;
the build cache keeps, per document, the key it was rendered under, the sha256 of the file it
wrote, its page count and the URLs its fetcher refused. When the key is the same, the previous
file is carried into the new output by the writer, which checks its bytes against that sha256
(as for pages: nothing stale or tampered with is published), and the refused URLs are reported
again as they were. The served folders are compared by each file's path and `stat` (size,
modification and change time, inode), as the build cache compares carried pages: a change
time cannot be set back by a user. System fonts WeasyPrint may fall back to are not an input
here (the default theme ships its fonts; a byte-identical build assumes the same fonts too).
"""

from __future__ import annotations

import hashlib
import json
import os
from importlib import metadata
from typing import Iterable, Sequence

#: The libraries whose version is part of a document's key.
LIBRARIES = ("weasyprint", "pydyf", "pikepdf", "fonttools")


def key(jobs: dict | list[dict], folders: dict | None = None) -> str:
    """The digest of everything a document's PDF is made from (see the module docstring).

    :param folders: allowed folders -> their `folders_state`, shared by the documents of a build
        (they are walked once, not once per document).
    """
    parts = jobs if isinstance(jobs, list) else [jobs]
    digest = hashlib.sha256()
    for name in LIBRARIES:
        digest.update(f"{name} {_version(name)}\n".encode())
    for part in parts:
        shown = {k: v for k, v in part.items() if k != "whole_html"}  # the whole is in every part: once
        digest.update(json.dumps(shown, sort_keys=True).encode("utf-8", "surrogatepass"))
    if isinstance(jobs, list):
        digest.update(parts[0]["whole_html"].encode("utf-8", "surrogatepass"))
    allowed = tuple(parts[0]["allowed"])
    folders = {} if folders is None else folders
    if allowed not in folders:
        folders[allowed] = folders_state(allowed)
    digest.update(folders[allowed].encode())
    return digest.hexdigest()


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "none"


def folders_state(folders: Iterable[str]) -> str:
    """A digest of every file under the folders, by path and `stat` (links are not followed:
    the fetcher serves a file only where it resolves inside an allowed folder)."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"folder {folder}\n".encode("utf-8", "surrogatepass"))
        for top, dirs, files in os.walk(folder):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(top, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{path} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino}\n"
                              .encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def carried(cache, writer, doc_id: str, document_key: str) -> tuple[int, list[str]] | None:
    """(page count, refused URLs) of the document carried over from the previous output, or
    None when it must be rendered (another key, or the previous file is not what was written)."""
    entry = cache.documents.get(doc_id)
    if entry is None or entry[0] != document_key or not writer.keep(f"pdf/{doc_id}.pdf", entry[1]):
        return None
    return entry[2], list(entry[3])


def record(cache, doc_id: str, document_key: str, data: bytes, pages: int, blocked: Sequence[str]) -> None:
    """Remember the document as rendered now, for the next build."""
    cache.documents[doc_id] = [document_key, hashlib.sha256(data).hexdigest(), pages, list(blocked)]
