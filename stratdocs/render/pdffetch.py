"""The deny-by-default fetcher of PDF documents (see `pdf`), and the fonts it serves.

Only files inside the allowed folders (content/assets and the theme) and `data:` URIs; every
refused URL is recorded for a located `blocked-fetch` warning. WOFF2 fonts are served
decompressed, each once per process (the decompression is WeasyPrint's own, fontTools's), so
the parts of a document rendered in parallel do not each spend a second per font family on it,
and kept decompressed in this user's cache folder for the next run.
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
from pathlib import Path
from typing import Iterable
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from stratdocs.theme import Theme, static_files


class BlockedFetch(ValueError):
    """A URL the document may not use; WeasyPrint reports it and renders without it."""


class Fetcher(URLFetcher):
    """Deny by default: files inside the allowed folders and `data:` URIs, nothing else.

    Every refused URL is recorded in `blocked` (in request order) for located warnings.
    """

    def __init__(self, allowed: Iterable[str | Path]):
        super().__init__(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False)
        self.allowed = tuple(Path(p).resolve() for p in allowed)
        self.blocked: list[str] = []

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        path = self.allowed_file(url) if scheme == "file" else None
        if path is None:
            self.blocked.append(url)
            raise BlockedFetch(f"refused to fetch {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix.lower() == ".woff2":
            return URLFetcherResponse(url, _decompressed(path), {"Content-Type": "font/ttf"})
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})

    def allowed_file(self, url: str) -> Path | None:
        """The file a `file:` URL names, if it is a file inside an allowed folder."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        raw = unquote(parts.path)
        if ".." in raw.replace("\\", "/").split("/"):
            return None
        try:
            path = Path(url2pathname(parts.path)).resolve(strict=True)
        except (OSError, RuntimeError, ValueError):
            return None
        if not path.is_file():
            return None
        return path if any(root in path.parents for root in self.allowed) else None


#: WOFF2 fonts decompressed once per process: (path, size, mtime) -> the font's sfnt bytes.
_FONTS: dict[tuple[str, int, int], bytes] = {}


def _decompressed(path: Path) -> bytes:
    """A WOFF2 font as WeasyPrint would decompress it (a second per font family on every render),
    from this user's cache folder when it was decompressed before (`_kept`)."""
    stat = path.stat()
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _FONTS:
        raw = path.read_bytes()
        font = _kept(raw)
        if font is None:
            return raw  # not a valid font: WeasyPrint reports and skips it as before
        _FONTS[key] = font
    return _FONTS[key]


def _kept(raw: bytes) -> bytes | None:
    """The sfnt bytes of the WOFF2 font `raw` (None when it is not one), kept between runs in this
    user's cache folder (`fonts/`, outside every project) under a hash of the font and fontTools'
    version, signed with this user's key like every cache (`cache.write_signed`): decompressing
    the default theme's six fonts takes two seconds, reading them back a few milliseconds."""
    import fontTools
    from fontTools.ttLib import woff2

    from stratdocs import cache as cache_mod
    from stratdocs.userkey import user_folder

    folder = user_folder()
    name = hashlib.sha256(fontTools.version.encode("ascii") + b"\0" + raw).hexdigest()[:40]
    kept = folder / "fonts" / f"{name}.ttf" if folder is not None else None
    font = cache_mod.read_signed(kept) if kept is not None else None
    if font is not None:
        return font
    out = io.BytesIO()
    try:
        woff2.decompress(io.BytesIO(raw), out)
    except Exception:
        return None
    if kept is not None:
        try:
            cache_mod.write_signed(kept, out.getvalue())
        except OSError:
            pass  # decompressed again next time
    return out.getvalue()


def warm_fonts(theme: Theme) -> None:
    """Decompress the theme's WOFF2 fonts in this process, before workers are forked."""
    for rel, path in sorted(static_files(theme).items()):
        if path.suffix.lower() == ".woff2":
            _decompressed(path)
