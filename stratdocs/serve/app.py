"""Wiring of the preview: one session, one server, one watcher."""

from __future__ import annotations

import html
import shutil
import signal
import tempfile
import threading
import webbrowser
from pathlib import Path
from typing import Callable

from stratdocs.errors import UsageError
from stratdocs.numbers import plural
from stratdocs.render.writer import InPlaceWriter
from stratdocs.serve.server import LOCAL_HOSTS, Broadcaster, make_server
from stratdocs.serve.session import Outcome, Session, watched_paths
from stratdocs.serve.settler import Settler
from stratdocs.theme import BUILTIN


def describe(outcome: Outcome) -> str:
    if not outcome.ok:
        return ("\n".join(outcome.errors) + "\nThe plan has errors: fix them and save. Until then the preview "
                "shows the last good version, or the errors if there is none yet.")
    warn = f", {plural(outcome.warnings, 'warning')}" if outcome.warnings else ""
    later = f"; {plural(outcome.deferred, 'other page')} brought up to date next" if outcome.deferred else ""
    return (f"Rebuilt in {outcome.seconds:.2f} s: {plural(outcome.reread, 'file')} re-read, "
            f"{plural(len(outcome.changed), 'output file')} changed{warn}{later}.")


def _error_page(writer: InPlaceWriter, errors: list[str]) -> None:
    """Before any good build exists, a bare page that shows the errors and reloads when fixed."""
    writer.copy("static/livereload.js", BUILTIN / "static" / "livereload.js")
    body = html.escape("\n".join(errors))
    page = (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Plan errors</title></head>"
            f"<body><h1>The plan has errors</h1><pre>{body}</pre>"
            f"<script src=\"/static/livereload.js\"></script></body></html>\n")
    for name in ("index.html", "404.html"):
        writer.write(name, page)
    writer.abort()  # the next good build replaces these (its own round of claims)


def run(root: Path, host: str, port: int, open_browser: bool, echo: Callable[[str], None],
        allow_hosts: tuple[str, ...] = (), quiet: bool = False) -> None:
    """Serve the preview until interrupted.

    :param echo: prints one line for the user (stderr).
    :param allow_hosts: more Host names to answer (for colleagues on the network).
    :param quiet: print only problems (no line per rebuild).
    """
    folder = Path(tempfile.mkdtemp(prefix="stratdocs-serve-"))
    session = Session(root, folder / "site", live_reload=True)
    broadcaster = Broadcaster()
    try:
        first = session.rebuild()
        if not (quiet and first.ok):
            echo(describe(first))
        if not first.ok:
            _error_page(session.writer, first.errors)
            broadcaster.errors = first.errors
        try:
            server = make_server(host, port, session.output, broadcaster, allow_hosts, session.fresh)
        except OSError as exc:
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}; "
                             "choose another --port") from None
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        settler = Settler(session, _failed(echo, broadcaster))
        settler.start()
        shown = f"[{host}]" if ":" in host else host
        url = f"http://{shown}:{server.server_address[1]}/"
        if host not in LOCAL_HOSTS:
            names = ", ".join(("localhost", host, *allow_hosts))
            echo(f"Warning: listening on {host}, so other machines can reach this preview; it is not meant "
                 f"to be published. Only requests addressed to {names} are answered: add --allow-host NAME "
                 "for the name or address colleagues use.")
        echo(f"Serving {url} — watching for changes (Ctrl+C to stop)")
        if open_browser:
            webbrowser.open(url)
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())  # clean up on kill, too
        try:
            _watch(root, session, broadcaster, settler, stop, echo, quiet)
        finally:
            signal.signal(signal.SIGTERM, previous)
            settler.stop()
            broadcaster.close()
            server.shutdown()
            server.server_close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _failed(echo: Callable[[str], None], broadcaster: Broadcaster) -> Callable[[list[str]], None]:
    """What the settling thread does with a page that cannot be made: say so, and show it in the page."""
    def report(errors: list[str]) -> None:
        echo("\n".join(errors))
        broadcaster.publish(errors)
    return report


def _watch(root: Path, session: Session, broadcaster: Broadcaster, settler: Settler, stop: threading.Event,
           echo: Callable[[str], None], quiet: bool) -> None:
    """Rebuild on every change until `stop`: the edited items' pages, then the reload, then the rest."""
    import watchfiles

    config = (root / "stratdocs.yml").resolve()
    while not stop.is_set():
        # The watch list depends on the config (content_dir, theme): re-read it when the config changes.
        for changes in watchfiles.watch(*watched_paths(root), debounce=150, step=50, stop_event=stop,
                                        raise_interrupt=False):
            outcome = session.update(changes)
            if not (quiet and outcome.ok):
                echo(describe(outcome))
            broadcaster.publish([] if outcome.ok else outcome.errors)
            settler.poke()
            if any(Path(path).resolve() == config for _, path in changes):
                break
        else:
            break
