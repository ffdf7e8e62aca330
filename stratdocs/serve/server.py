"""The preview HTTP server: serves only files inside the output dir, only to local Host names,
and pushes reload and error events to open pages (server-sent events)."""

from __future__ import annotations

import json
import threading
from contextlib import nullcontext
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, ContextManager
from urllib.parse import unquote, urlsplit

EVENTS = "/__stratdocs__/events"
LOCAL_HOSTS = frozenset(("localhost", "127.0.0.1", "::1", "[::1]"))
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".json": "application/json", ".svg": "image/svg+xml",
         ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
         ".webp": "image/webp", ".pdf": "application/pdf", ".csv": "text/csv; charset=utf-8",
         ".txt": "text/plain; charset=utf-8", ".ico": "image/x-icon"}


class Broadcaster:
    """The latest build state, and a condition open event streams wait on."""

    def __init__(self):
        self.version = 0
        self.errors: list[str] = []
        self.closed = False
        self._cond = threading.Condition()

    def publish(self, errors: list[str]) -> None:
        with self._cond:
            self.version += 1
            self.errors = list(errors)
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()

    def wait(self, seen: int, timeout: float) -> tuple[int, list[str], bool]:
        with self._cond:
            self._cond.wait_for(lambda: self.version != seen or self.closed, timeout=timeout)
            return self.version, list(self.errors), self.closed


def output_rel(root: Path, raw_path: str) -> str:
    """The output path a URL path names (as the writer spells it), '' for one `resolve` refuses;
    what the server asks the session to make first when it is pending."""
    path = unquote(urlsplit(raw_path).path)
    if "\\" in path or "\0" in path or not path.startswith("/"):
        return ""
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return ""
    if path.endswith("/") or not parts or root.joinpath(*parts).is_dir():
        parts.append("index.html")
    return "/".join(parts)


def resolve(root: Path, raw_path: str) -> Path | None:
    """The file a URL path names inside root, or None: no traversal, no symlink out, no tricks."""
    path = unquote(urlsplit(raw_path).path)
    if "\\" in path or "\0" in path or not path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    candidate = root.joinpath(*parts) if parts else root
    if path.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    try:
        real = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if root not in real.parents or not real.is_file():
        return None
    return real


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: what it serves, to whom, and where reload events come from."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, broadcaster: Broadcaster, allowed: set[str],
                 fresh: Callable[[str], ContextManager[str | None]] | None = None):
        super().__init__(address, Handler)
        #: the output folder served (nothing outside it is ever read)
        self.root = root
        #: reload and error events for open pages
        self.broadcaster = broadcaster
        #: Host names requests may carry
        self.allowed = allowed
        #: output path -> a context in which that file is up to date and stays so while it is
        #: read (`Session.fresh`); it yields an error message when the page could not be made
        self.fresh = fresh or (lambda rel: nullcontext())


class Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "stratdocs"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:  # the terminal shows builds, not requests
        pass

    def _host_ok(self) -> bool:
        header = (self.headers.get("Host") or "").strip().lower()
        if header.startswith("["):
            name = header[: header.find("]") + 1]
        else:
            name = header.rsplit(":", 1)[0] if header.count(":") == 1 else header
        return name in self.server.allowed

    def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8", head: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def do_HEAD(self) -> None:
        self.do_GET(head=True)

    def do_GET(self, head: bool = False) -> None:
        if not self._host_ok():
            self._send(HTTPStatus.BAD_REQUEST, b"Bad Host header: the preview answers only local names.\n",
                       head=head)
            return
        if urlsplit(self.path).path == EVENTS:
            self._events()
            return
        root = self.server.root
        with self.server.fresh(output_rel(root, self.path)) as problem:  # made first if it was pending
            target = resolve(root, self.path) if problem is None else None
            if target is None:
                with self.server.fresh("404.html"):
                    page = root / "404.html"
                    body = page.read_bytes() if page.is_file() else b"Not found\n"
                found = page.is_file()
            else:
                body = target.read_bytes()
        if problem is not None:
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, f"This page could not be made: {problem}\n".encode(), head=head)
        elif target is None:
            self._send(HTTPStatus.NOT_FOUND, body, TYPES[".html"] if found else TYPES[".txt"], head)
        else:
            self._send(HTTPStatus.OK, body, TYPES.get(target.suffix.lower(), "application/octet-stream"), head)

    def _events(self) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        broadcaster = self.server.broadcaster
        seen = broadcaster.version
        try:
            self._event("hello", seen, broadcaster.errors)
            while True:
                version, errors, closed = broadcaster.wait(seen, timeout=15)
                if closed:
                    return
                if version == seen:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                seen = version
                self._event("problems" if errors else "reload", version, errors)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            return

    def _event(self, name: str, version: int, errors: list[str]) -> None:
        data = json.dumps({"version": version, "errors": errors})
        self.wfile.write(f"event: {name}\ndata: {data}\n\n".encode("utf-8"))
        self.wfile.flush()


def make_server(host: str, port: int, root: Path, broadcaster: Broadcaster,
                allow_hosts: tuple[str, ...] = (), fresh=None) -> PreviewServer:
    """A server for the files under `root` on host:port.

    :param allow_hosts: Host names besides the local ones (and `host` itself) that requests may
        carry: the name colleagues use to reach the preview (`serve --allow-host NAME`).
    :param fresh: the session's `fresh` (pending outputs are made before they are read).
    """
    allowed = set(LOCAL_HOSTS) | {host.lower()} | {name.lower() for name in allow_hosts}
    return PreviewServer((host, port), root.resolve(), broadcaster, allowed, fresh)
