"""Finding and reading content files: bytes to front-matter nodes and a Markdown body.

Everything that can go wrong with a file as a file (not UTF-8, binary, too big, front matter
never closed, YAML syntax) becomes a located finding here; nothing raises.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from stratdocs import yamlnodes
from stratdocs.findings import Finding, error
from stratdocs.limits import FILE_SECONDS, TooSlow, time_limit
from stratdocs.model import FOLDER_KINDS

MAX_FILE_BYTES = 8 * 1024 * 1024
#: Folders under content/ that hold no entities.
RESOURCE_FOLDERS = frozenset(("assets", "data"))
_ID_LINE = re.compile(rb"^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]*)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file read: its front-matter nodes and its Markdown body."""

    path: str                           # project-relative posix path
    kind: str                           # from its folder; front matter may override
    meta: yamlnodes.Mapping | None      # front matter nodes, None when unreadable
    body: str
    body_line: int                      # file line where the body starts
    digest: str                         # sha256 of the bytes, for caches


def discover(root: Path, content_dir: str, folders: dict[str, str]) -> tuple[list[tuple[str, str]], list[Finding]]:
    """List (relative path, kind) of every Markdown file under the content dir, sorted."""
    findings: list[Finding] = []
    base = root / content_dir
    kinds = dict(FOLDER_KINDS)
    kinds.update(folders)
    found: list[tuple[str, str]] = []
    if not base.is_dir():
        return found, [error(content_dir, 1, 1, "schema", f"content folder '{content_dir}' does not exist; "
                             "create it with 'stratdocs init' or set content_dir in stratdocs.yml")]
    root_resolved = root.resolve()
    if leaves_project(root, base):
        return found, [error(content_dir, 1, 1, "schema", f"content folder '{content_dir}' is a symlink that points "
                             "outside the project; refused (move or copy the content into the project)")]
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in [d for d in dirnames if leaves_project(root, here / d)]:
            findings.append(error(_rel(root, here / name), 1, 1, "schema",
                                  "folder is a symlink that points outside the project; refused"))
            dirnames.remove(name)
        rel_dir = here.relative_to(base).parts
        top = rel_dir[0] if rel_dir else ""
        if top in RESOURCE_FOLDERS:
            dirnames[:] = []
            continue
        if rel_dir and top not in kinds:
            rel = _rel(root, here)
            findings.append(error(rel, 1, 1, "schema",
                                  f"unknown content folder '{top}'; use one of {', '.join(sorted(kinds))} "
                                  "or map it to a kind under 'folders:' in stratdocs.yml"))
            dirnames[:] = []
            continue
        prefix = _rel(root, here) + "/"  # str paths: a Path per file is most of the listing's time
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(".md"):
                continue
            rel = prefix + name
            if os.path.islink(os.path.join(dirpath, name)) and not _inside((here / name).resolve(), root_resolved):
                findings.append(error(rel, 1, 1, "schema", "symlink points outside the project; refused"))
                continue
            if not rel_dir:
                if name != "plan.md":
                    findings.append(error(rel, 1, 1, "schema",
                                          f"'{name}' is at the top of {content_dir}/; only plan.md belongs there "
                                          "(move it to pages/ or another folder)"))
                    continue
                found.append((rel, "plan"))
            else:
                found.append((rel, kinds[top]))
    return found, findings


def read(root: Path, rel: str, kind: str) -> tuple[SourceFile | None, list[Finding]]:
    """Read one file. Returns the parsed source (None if unusable) and its findings."""
    path = root / rel
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(rel, 1, 1, "encoding", f"cannot read file: {exc.strerror or exc}")]
    return parse_bytes(rel, kind, raw)


def guess_id(root: Path, rel: str) -> str:
    """The id an unparseable file most likely declares (its `id:` line, else its file stem).

    References to it are then not reported as broken on top of the file's own error.
    """
    try:
        with open(root / rel, "rb") as handle:
            head = handle.read(65536)
    except OSError:
        head = b""
    match = _ID_LINE.search(head)
    return match[1].decode("ascii") if match else PurePosixPath(rel).stem


def parse_bytes(rel: str, kind: str, raw: bytes) -> tuple[SourceFile | None, list[Finding]]:
    """Parse the bytes `raw` of the file `rel` (project-relative) whose folder gives `kind`.

    Returns the source (None if unusable) and its findings.
    """
    digest = hashlib.sha256(raw).hexdigest()
    if len(raw) > MAX_FILE_BYTES:
        mb = len(raw) / 1024 / 1024
        return None, [error(rel, 1, 1, "encoding", f"file is {mb:.1f} MB, over the {MAX_FILE_BYTES // 1024 // 1024} MB "
                            "limit; split it or move data to a CSV under content/data")]
    if b"\x00" in raw[:8192]:
        return None, [error(rel, 1, 1, "encoding", "binary file; only UTF-8 Markdown belongs here "
                            "(put images and files under content/assets)")]
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [error(rel, line, col, "encoding", "file is not valid UTF-8; save it as UTF-8")]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return None, [error(rel, 1, 1, "schema", "empty file; add front matter with at least a title")]

    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        bare = _bare_front_matter(lines)
        if bare is not None:
            return None, [error(rel, bare, 1, "yaml", "front matter must start with a line '---' and end with "
                                "another; this file starts with 'key: value' lines without them, so add '---' "
                                "above and below the keys")]
        # No front matter: a plain Markdown page, titled by its first heading.
        return SourceFile(rel, kind, yamlnodes.Mapping(1, 1, {}), text, 1, digest), []
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        return None, [error(rel, 1, 1, "yaml", "front matter opened on line 1 is never closed; "
                            "add a line with '---' after it")]
    front = "\n".join(lines[1:close])
    try:
        with time_limit(FILE_SECONDS, f"reading the front matter of {rel}"):
            meta = yamlnodes.parse(front, line_offset=1)
    except yamlnodes.YamlError as exc:
        return None, [error(rel, exc.line, exc.col, "yaml", exc.message)]
    except TooSlow as exc:
        return None, [error(rel, 1, 1, "yaml", exc.message)]
    if meta is None:
        meta = yamlnodes.Mapping(2, 1, {})
    if not isinstance(meta, yamlnodes.Mapping):
        return None, [error(rel, meta.line, meta.col, "schema", "front matter must be 'key: value' lines, "
                            "not a single value or a list")]
    body = "\n".join(lines[close + 1:])
    return SourceFile(rel, kind, meta, body, close + 2, digest), []


_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?:[ \t]|$)")


def _bare_front_matter(lines: list[str]) -> int | None:
    """The line of the first key when a file opens with front-matter keys but no '---' line, else None.

    Such a file is what the README's examples give when copied as shown: maybe a `# content/...`
    comment, then `key: value` lines. It is not a page titled by that comment. It looks like front
    matter when, after comment lines, it opens with two key lines of which one is a key we know.
    """
    from stratdocs.schema.keys import COMMON_KEYS, KIND_KEYS  # here: the schema package imports this module

    known = frozenset(COMMON_KEYS).union(*KIND_KEYS.values())
    start = 0
    while start < len(lines) and (not lines[start].strip() or lines[start].startswith("#")):
        start += 1
    keys = [_KEY_LINE.match(line) for line in lines[start:start + 2]]
    if len(keys) == 2 and all(keys) and any(m[1] in known for m in keys):
        return start + 1
    return None


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def leaves_project(root: Path, path: Path) -> bool:
    """Whether `path` (under `root`) is, or passes through, a symlink that leads outside the project."""
    return not _inside(path.resolve(), root.resolve())


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents
