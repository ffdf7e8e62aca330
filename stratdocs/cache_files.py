"""The load cache: each content file's validated result, kept between runs of `check` and `build`.

Reading a file (YAML into positioned nodes, then the schema) is most of what `check` does. A
file's result — its entities and the findings it produced, warnings and located errors alike —
depends only on its bytes, its path and kind, the CSV files it reads, how the config says files
are written (`read_options`), and stratdocs' own code; so it is kept under a key made of exactly
those, and a file whose key is unchanged is not parsed again. An edited file, an edited CSV it
reads, or another config for reading misses and is read again.

The results are data, never pickle (`stratdocs.cache_codec`), in `.stratdocs-cache/files.json`
beside the build cache, signed the same way (`stratdocs.cache`): an HMAC with this user's key
kept outside every project, under a stamp of the format, stratdocs version, code and Python, so
a cache written anywhere else (committed, planted in a pull request) or by other code misses as
a whole; a cache folder that is a symlink or tracked by git is neither read nor written. The
HMAC covers the file's bytes after its first line, so checking it costs one pass over them.

The file is a first line ``{"stamp": ..., "checksum": ...}``, then a line per content file:
``["path", "key", [[csv, state], ...]]`` and, after a tab, the result as codec JSON (JSON never
holds a raw tab or newline, so the lines split safely).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from stratdocs import cache as cache_mod, cache_codec
from stratdocs.yamlnodes import Node

FILE_NAME = "files.json"
#: The entry of the config's parsed nodes (no content file has this path: it is not in the content folder).
CONFIG_ENTRY = "stratdocs.yml"


def file_state(root: Path, rel: str, resolved: Path | None = None) -> str:
    """What a file a result read (a CSV) is now: a hash of its bytes, or 'missing', or 'outside'
    when it (through a symlink) leaves the project; any change makes the result miss.

    :param resolved: `root` resolved, when the caller already has it.
    """
    path = root / rel
    try:
        if (resolved or root.resolve()) not in path.resolve().parents:
            return "outside"
        return hashlib.sha256(path.read_bytes()).hexdigest()[:32]
    except OSError:
        return "missing"


class LoadCache:
    """Per-file results by path, loaded from and saved to a project's cache folder.

    :param folder: the cache folder (`.stratdocs-cache`); None: nothing is read or written
        (`--no-cache`), and every file is read.
    """

    def __init__(self, folder: Path | None):
        self.folder = folder if folder is not None and cache_mod.usable(folder) else None
        #: path -> (key, [(csv, state)], result as codec JSON) of the cache as loaded
        self.entries: dict[str, tuple[str, list, str]] = {}
        #: what this run keeps: the entries it used and the ones it made
        self.kept: dict[str, tuple[str, list, str]] = {}
        self.hits = 0
        self.misses = 0
        self._resolved: dict[Path, Path] = {}  # project root -> resolved (once per run, not per CSV)
        if self.folder is not None:
            self._load()

    @property
    def path(self) -> Path | None:
        return self.folder / FILE_NAME if self.folder else None

    def _load(self) -> None:
        payload = cache_mod.read_signed(self.path)
        if payload is None:
            return  # missing, corrupt, edited, or written by someone else: every file is read
        for line in payload.decode("utf-8", "surrogatepass").split("\n"):
            meta, tab, entry = line.partition("\t")
            if not tab:
                continue
            try:
                rel, key, deps = json.loads(meta)
            except (ValueError, TypeError):
                continue
            if isinstance(rel, str) and isinstance(key, str) and _valid_deps(deps):
                self.entries[rel] = (key, deps, entry)

    def get(self, root: Path, rel: str, key: str) -> str | None:
        """The kept result of `rel` as codec JSON when it was made under `key` and every CSV it
        read is as it was then; None otherwise (a miss)."""
        entry = self.entries.get(rel)
        if entry is None or entry[0] != key:
            return None
        if entry[1]:
            resolved = self._resolved.get(root) or self._resolved.setdefault(root, root.resolve())
            if any(file_state(root, csv, resolved) != state for csv, state in entry[1]):
                return None
        self.kept[rel] = entry
        return entry[2]

    def put(self, rel: str, key: str, deps: list, encoded: str) -> None:
        """Keep the result (codec JSON) of `rel`, made under `key`, having read the CSVs `deps`
        ([csv, state] pairs)."""
        self.kept[rel] = (key, deps, encoded)

    def sources(self) -> dict[str, str]:
        """File -> a digest of the key and CSV states its kept result was made under (what
        `project.Project.sources` holds): the files this run read or took from the cache."""
        return {rel: cache_mod.digest(key, repr(deps)) for rel, (key, deps, _) in self.kept.items()
                if rel != CONFIG_ENTRY}

    def parsed_config(self, root: Path, text: str, parse):
        """`parse(text)`, the node tree of the config's `text`, kept under a key of the text (so a
        run whose config is as the last one's neither parses it nor imports PyYAML); a text that
        does not parse raises as `parse` does and is not kept."""
        key = cache_mod.digest(CONFIG_ENTRY, text)
        kept = self.get(root, CONFIG_ENTRY, key)
        if kept is not None:
            value = decoded(kept)
            if isinstance(value, tuple) and len(value) == 1 and (value[0] is None or isinstance(value[0], Node)):
                return value[0]
            self.forget(CONFIG_ENTRY)
        node = parse(text)
        if (entry := encoded((node,))) is not None:
            self.put(CONFIG_ENTRY, key, [], entry)
        return node

    def forget(self, rel: str) -> None:
        """A kept entry did not decode (it is not used again)."""
        self.kept.pop(rel, None)

    @property
    def changed(self) -> bool:
        return self.kept != self.entries

    def save(self) -> None:
        """Write what this run kept (only when it differs from what was loaded)."""
        if self.folder is None or not self.changed or not cache_mod.usable(self.folder):
            return
        lines = [json.dumps([rel, key, deps], ensure_ascii=False) + "\t" + entry
                 for rel, (key, deps, entry) in sorted(self.kept.items())]
        payload = "\n".join(lines).encode("utf-8", "surrogatepass")
        cache_mod.write_signed(self.path, payload)
        self.entries = dict(self.kept)


def encoded(value: object) -> str | None:
    """`value` as the text of a kept entry (codec JSON); None for a value the codec does not know."""
    try:
        data = cache_codec.encode(value)
    except cache_codec.Uncacheable:
        return None
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def decoded(text: str) -> object:
    """The value a kept entry's text holds; None when it is not what `encoded` writes."""
    try:
        return cache_codec.decode(json.loads(text))
    except (ValueError, RecursionError):  # Uncacheable is a ValueError
        return None


def _valid_deps(deps: object) -> bool:
    return isinstance(deps, list) and all(
        isinstance(d, list) and len(d) == 2 and all(isinstance(x, str) for x in d) for d in deps)


def read_options(cfg) -> str:
    """A digest of what the config says about reading a file (all `project.read_file` passes
    the schema besides the file): the content folder, perspectives, status words and CSV format."""
    return cache_mod.digest(cfg.content_dir, repr(tuple(cfg.perspectives)), repr(sorted(dict(cfg.statuses).items())),
                            repr(cfg.csv))


def key(options: str, rel: str, kind: str, raw: bytes) -> str:
    """The key of a file's result: the reading config (`read_options`), its path and kind, and
    a hash of its bytes (stratdocs' version and code are the cache file's stamp)."""
    return cache_mod.digest(options, rel, kind, hashlib.sha256(raw).hexdigest())


def for_project(root: Path) -> LoadCache:
    return LoadCache(root / cache_mod.CACHE_DIR)
