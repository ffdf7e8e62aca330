"""The build cache: what a second build (or a rebuild in `serve`) need not compute again.

These are remembered, each keyed by a hash of everything it was made from:

- rendered Markdown bodies (the most expensive step), with the links each one resolved, so a
  cached body is used only while every link it shows still resolves the same way;
- charts (inline SVG), keyed by their inputs;
- page fingerprints: a hash of a page's template, context and view model, with the hash of the
  bytes written. An unchanged page is carried over from the previous output after its bytes are
  checked against that hash, so nothing stale or tampered with is ever published;
- the read sets of the previous build (`render.memory.Memory.snapshot`): for each page the
  items its view model read, and a digest of each item's state, so a warm build skips the view
  model of a page none of whose items changed (and then still checks the bytes it carries over);
- the item views the HTML twins used (`render.viewmemo`), with their read sets, as codec JSON;
- per PDF document, the key it was rendered under and the sha256 of its file (`render.pdfreuse`).

On disk it lives in `.stratdocs-cache/` (ignored by git) as JSON (never pickle: a cache is
data, not code). `build.json` holds a first line with the stamp and the checksum of the rest,
then the content on one line and, on another, the sha256 of each of two files of their own:
the charts (`build-charts.json`) and the twins' item views (`build-views.json`), each read
only when first asked for and used only when its bytes have the recorded hash (a warm build
that remakes no chart and changes nothing a twin shows reads neither: at 10,000 items they are
116 MB of the 136). A different stratdocs or Python version, a corrupt file or a hash mismatch
simply misses.

A cache is contributor-controlled input when it comes from the repository, so it can never
change the output (SPEC §13 "Trust"): its checksum is an HMAC with a key kept outside the project
(in the user's cache folder), so a cache written anywhere else — committed to git, planted in a
pull request — simply misses; a cache folder that is a symlink or tracked by git is neither read
nor written; and cached HTML is sanitised again where it re-enters a page (`stratdocs.render.site`).

Beside it, `output.json` records the `stat` of each page the last build wrote or carried over
(`render.seen`), and `files.json` each content file's validated result (`stratdocs.cache_files`,
the load cache of `check` and `build`), signed with the same key. What the preview remembers
between rebuilds in one process lives in `stratdocs.render.memory`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import platform
import shutil
from pathlib import Path

from stratdocs import __version__, git
from stratdocs.cache_io import read_plain, replace
from stratdocs.userkey import sign_bytes

CACHE_DIR = ".stratdocs-cache"
FORMAT = 8
#: The parts of the build cache kept in files of their own, each read only when first asked for
#: and vouched for by its sha256 in the signed main file (`BuildCache.save`).
PARTS = {"charts": "build-charts.json", "views": "build-views.json"}
#: A cached body: (html, deps) as plain data, read back into `render.markdown.Rendered`.
CachedBody = tuple[str, tuple[tuple[str, str, str], ...]]


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _code_digest() -> str:
    """A hash of stratdocs' own code and built-in themes: a cache made by other code never applies.
    A file counts by its path, size and modification time, as for Python's own bytecode cache."""
    if not _CODE:
        from stratdocs.theme import BUILTIN_THEMES

        h = hashlib.sha256()
        for package in (Path(__file__).parent, BUILTIN_THEMES):
            for rel, st in sorted(_code_files(str(package), "")):
                h.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogatepass"))
        _CODE.append(h.hexdigest()[:16])
    return _CODE[0]


def _code_files(folder: str, prefix: str):
    with os.scandir(folder) as entries:  # (path below the package, stat) of each code or theme file
        for entry in entries:
            if entry.is_dir(follow_symlinks=False) and entry.name != "__pycache__":
                yield from _code_files(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith((".py", ".html", ".css", ".js", ".svg")) and entry.is_file():
                yield prefix + entry.name, entry.stat()


_CODE: list[str] = []


def stamp() -> str:
    """What a cache is only valid for: this format, stratdocs version and code, and Python."""
    return (f"{FORMAT}/{__version__}/{_code_digest()}/"
            f"{platform.python_implementation()}-{platform.python_version()}")


class BuildCache:
    """In-memory cache, optionally loaded from and saved to a project's cache folder."""

    def __init__(self, folder: Path | None = None):
        """:param folder: the cache folder to load from and save to; None keeps it in memory."""
        self.folder = folder if folder is not None and usable(folder) else None
        self.bodies: dict[str, list] = {}
        #: the charts (None: not read yet; see `charts`) and the keys they had when read
        self._charts: dict[str, str] | None = {}
        self._charts_loaded: frozenset[str] = frozenset()
        self._by_svg: dict[str, str] = {}  # SVG -> key of each chart `chart` gave
        #: the keys of the charts `chart` made in this process, in order (a worker sends back only
        #: those it made: `render.pages`)
        self.made_charts: list[str] = []
        self.pages: dict[str, list[str]] = {}
        #: PDF document id -> [key, sha256, pages, refused URLs] as rendered (`render.pdfreuse`)
        self.documents: dict[str, list] = {}
        #: the previous build's read sets and item digests (`render.memory.Memory.snapshot`),
        #: validated where it is restored
        self.memory: dict | None = None
        #: item view models the HTML twins used, with their read sets (`render.viewmemo`):
        #: {"guard": ..., "items": {id: [ids read, ids shown, view as codec JSON]}} (None: not
        #: read yet, see `views`), and what they were when read
        self._views: dict | None = {}
        self._views_loaded: dict | None = None
        #: part -> the sha256 of its file (`PARTS`) as the signed main file records it ("": none)
        self._digests = dict.fromkeys(PARTS, "")
        self.hits = {"bodies": 0, "charts": 0, "pages": 0, "skipped": 0}
        self.used_bodies: set[str] = set()              # body keys the current build asked for
        #: body keys whose HTML this process rendered or sanitised (never read from disk as such)
        self.clean_bodies: set[str] = set()
        self._saved: object = None  # the content as last read or written (not written again)
        if self.folder is not None:
            self._load()

    @property
    def path(self) -> Path | None:
        return self.folder / "build.json" if self.folder else None

    def _load(self) -> None:
        payload = read_signed(self.path)
        if payload is None:
            return  # missing, corrupt, edited by hand, or written by someone else: start afresh
        main, _, parts = payload.partition(b"\n")
        try:
            content, digests = json.loads(main), json.loads(parts)
        except ValueError:
            return
        self._saved = content
        if isinstance(digests, dict):
            self._digests = {part: digests[part] if isinstance(digests.get(part), str) else "" for part in PARTS}
        self._charts = self._views = None  # read when first asked for
        if isinstance(content, dict):
            self.bodies = {k: v for k, v in content.get("bodies", {}).items() if _valid_body(v)}
            self.pages = {k: v for k, v in content.get("pages", {}).items()
                          if isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v)}
            memory, documents = content.get("memory"), content.get("documents")
            self.memory = memory if isinstance(memory, dict) else None
            self.documents = {k: v for k, v in _dict(documents).items() if _valid_document(v)}

    def _part(self, part: str) -> dict:
        """The part's file as the main file recorded it (its sha256), parsed; {} for anything else."""
        digest = self._digests[part]
        read = read_plain(self.folder / PARTS[part]) if digest and self.folder is not None else None
        data = read[0] if read is not None else None
        try:
            value = json.loads(data) if data is not None and hashlib.sha256(data).hexdigest() == digest else None
        except ValueError:
            value = None
        if not isinstance(value, dict):
            self._digests[part] = ""  # gone or not what was recorded: written afresh on saving
            return {}
        return value

    @property
    def views(self) -> dict:
        """The twins' item views (see `__init__`), read on first use: at 10,000 items they are
        36 MB, and a build that changed nothing leaves their file as it is."""
        if self._views is None:
            self._views = self._views_loaded = self._part("views")
        return self._views

    @property
    def charts(self) -> dict[str, str]:
        """Chart key -> SVG. A warm build that remakes no chart never reads them (at 10,000
        items they are 80 MB, four times the rest of the cache): they are read on first use."""
        if self._charts is None:
            self._charts = {k: v for k, v in self._part("charts").items() if isinstance(v, str)}
            self._charts_loaded = frozenset(self._charts)
        return self._charts

    @charts.setter
    def charts(self, value: dict[str, str]) -> None:
        self._charts = value

    @property
    def views_read(self) -> bool:
        """Whether the item views were asked for (else their file stays as it is)."""
        return self._views is not None

    @property
    def charts_read(self) -> bool:
        """Whether the charts were asked for (else their file stays as it is)."""
        return self._charts is not None

    def save(self) -> None:
        """Write the cache: the charts and the item views each to a file of their own where they
        changed, then the main file, signed (`write_signed`), with the content as JSON on one
        line and the sha256 of each part's file on another; nothing when all are as loaded."""
        if self.folder is None:
            return
        content = {"bodies": self.bodies, "pages": self.pages, "memory": self.memory, "documents": self.documents}
        # A chart's key is a hash of its inputs, so the same keys are the same charts.
        charts_same = self._charts is None or bool(self._digests["charts"]) and frozenset(self._charts) == \
            self._charts_loaded
        # The item views are only ever replaced whole (`keep_views`); equal ones are the same file.
        views_same = self._views is None or bool(self._digests["views"]) and self._views == self._views_loaded
        if content == self._saved and charts_same and views_same or not usable(self.folder):
            return  # compared as values (what JSON would write the same), without writing JSON
        digests = dict(self._digests)
        if not charts_same:
            digests["charts"] = _write_part(self.folder / PARTS["charts"], self._charts)
        if not views_same:
            digests["views"] = _write_part(self.folder / PARTS["views"], self._views)
        main = _line(content)
        write_signed(self.path, main + b"\n" + _line(digests))  # last: it vouches for the parts
        self._saved = {k: dict(v) if isinstance(v, dict) else v for k, v in content.items()}  # entries are replaced
        self._digests = digests
        self._charts_loaded = frozenset(self._charts or ())
        self._views_loaded = self._views

    # -- bodies ------------------------------------------------------------------------------

    def body(self, key: str) -> CachedBody | None:
        """A cached body as (html, deps), or None."""
        entry = self.bodies.get(key)
        if entry is None:
            return None
        html, deps = entry
        return html, tuple(tuple(d) for d in deps)

    def put_body(self, key: str, html: str, deps) -> None:
        """Remember a rendered (sanitised) body under `key` (a hash of everything it was made from)."""
        self.bodies[key] = [html, [list(d) for d in deps]]
        self.clean_bodies.add(key)

    # -- charts ------------------------------------------------------------------------------

    def chart(self, key: str, make) -> str:
        svg = self.charts.get(key)
        if svg is None:
            svg = str(make())
            self.charts[key] = svg
            self.made_charts.append(key)
        else:
            self.hits["charts"] += 1
        self._by_svg.setdefault(svg, key)
        return svg

    def chart_key(self, svg: str) -> str | None:
        """The key of a chart `chart` gave in this process, by its SVG (a kept view stores its
        charts as their keys: `render.viewmemo`)."""
        return self._by_svg.get(svg)

    # -- pages -------------------------------------------------------------------------------

    def page(self, rel: str) -> tuple[str, str] | None:
        entry = self.pages.get(rel)
        return (entry[0], entry[1]) if entry else None

    def put_page(self, rel: str, fingerprint: str, data: bytes) -> str:
        """Remember the page written at `rel`; the sha256 of its bytes."""
        sha256 = hashlib.sha256(data).hexdigest()
        self.pages[rel] = [fingerprint, sha256]
        return sha256

    # -- item views ----------------------------------------------------------------------

    def kept_views(self, guard: str) -> dict:
        """The item views kept under `guard` (another theme, site context or config: none)."""
        from stratdocs.render.viewmemo import valid_entry  # rendering's own shape check

        items = self.views.get("items") if self.views.get("guard") == guard else None
        if not isinstance(items, dict):
            return {}
        return {key: entry for key, entry in items.items() if isinstance(key, str) and valid_entry(entry)}

    def keep_views(self, guard: str, items: dict) -> None:
        self._views = {"guard": guard, "items": items}

    def prune(self, bodies: set[str], charts: set[str] | None, pages: set[str]) -> None:
        """Forget what this build did not use, so the cache does not grow without bound
        (`charts` None: keep them all)."""
        self.bodies = {k: v for k, v in self.bodies.items() if k in bodies}
        if charts is not None:
            self.charts = {k: v for k, v in self.charts.items() if k in charts}
        self.pages = {k: v for k, v in self.pages.items() if k in pages}


def _line(value: object, ascii: bool = False) -> bytes:
    """`value` as one line of the cache file (JSON never holds a raw newline); `ascii`: as ASCII."""
    return json.dumps(value, sort_keys=True, ensure_ascii=ascii).encode("utf-8", "surrogatepass")


def _write_part(path: Path, value: object) -> str:
    """Write `value` as the part file `path` (ASCII JSON: charts and item views are mostly ASCII,
    and read twice as fast with the rest escaped); the sha256 of its bytes."""
    data = _line(value, ascii=True)
    replace(path, data)
    return hashlib.sha256(data).hexdigest()


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _valid_document(entry) -> bool:
    return (isinstance(entry, list) and len(entry) == 4 and all(isinstance(x, str) for x in entry[:2])
            and type(entry[2]) is int and isinstance(entry[3], list) and all(isinstance(u, str) for u in entry[3]))


def _valid_body(entry) -> bool:
    return (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str) and isinstance(entry[1], list)
            and all(isinstance(d, list) and len(d) == 3 and all(isinstance(x, str) for x in d) for d in entry[1]))


def read_signed(path: Path) -> bytes | None:
    """What a cache file holds after its first line ``{"stamp": ..., "checksum": ...}``, when the
    stamp is this stratdocs' and the checksum this user's HMAC of the rest; None for a missing
    file, another stamp, or anything not signed here (it is then not trusted at all)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    head, _, payload = raw.partition(b"\n")
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("stamp") != stamp():
        return None
    checksum = header.get("checksum")
    if not isinstance(checksum, str) or not hmac.compare_digest(checksum, sign_bytes(payload)):
        return None
    return payload


def write_signed(path: Path, payload: bytes) -> None:
    """Write `payload` as the cache file `path` with its signed first line (`read_signed`),
    atomically: through a temporary file in the same folder, so a reader sees old or new."""
    head = json.dumps({"stamp": stamp(), "checksum": sign_bytes(payload)}).encode("ascii")
    replace(path, head + b"\n" + payload)


def usable(folder: Path) -> bool:
    """A cache folder stratdocs may read and write: not a symlink (which could lead outside the
    project), and not tracked by git (a committed cache is contributor input)."""
    if folder.is_symlink() or folder.parent.is_symlink():
        return False
    if folder.exists() and not folder.is_dir():
        return False
    tracked = git.run(folder.parent, "ls-files", "--", folder.name, timeout=10)
    return tracked is None or tracked.returncode != 0 or not tracked.stdout.strip()


def clear(root: Path) -> None:
    """Remove the project's cache folder (`build --clean`); a symlink is removed, not followed."""
    path = root / CACHE_DIR
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


def for_project(root: Path) -> BuildCache:
    return BuildCache(root / CACHE_DIR)
