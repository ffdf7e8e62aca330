"""This user's secret for signing caches, and the folder it lives in: outside every project
(`~/.cache/stratdocs/`, or `$XDG_CACHE_HOME/stratdocs/`), so nothing in a repository can sign a
cache that stratdocs would trust (`stratdocs.cache`)."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path


def _key_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "stratdocs" / "cache-key"


def user_folder() -> Path | None:
    """This user's stratdocs cache folder (outside every project: where the signing key lives),
    or None when it is not a real folder of its own (a link, or not a folder)."""
    folder = _key_file().parent
    if folder.is_symlink() or folder.exists() and not folder.is_dir():
        return None
    return folder


def _key() -> bytes:
    """This user's secret for signing caches, kept outside every project (made on first use)."""
    path = _key_file()
    try:
        data = path.read_bytes()
        if len(data) >= 32:
            return data
    except OSError:
        pass
    key = secrets.token_hex(32).encode("ascii")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    except FileExistsError:
        return path.read_bytes()
    except OSError:
        pass  # no writable home: this process's key only, so nothing read from disk is trusted
    return key


_SIGNING_KEY: list[bytes] = []


def sign_bytes(payload: bytes) -> str:
    """The HMAC of `payload` with this user's key: what proves a cache file is ours."""
    if not _SIGNING_KEY:
        _SIGNING_KEY.append(_key())
    return hmac.new(_SIGNING_KEY[0], payload, hashlib.sha256).hexdigest()
