"""Commands that publish: build, pdf, serve."""

from __future__ import annotations

from pathlib import Path

import click

from stratdocs.cli.base import Options, _Progress, command
from stratdocs.numbers import plural


@command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site).")
@click.option("--no-pdf", is_flag=True, help="Build the website only.")
@click.option("--clean", is_flag=True, help="Ignore and clear the build cache.")
@click.option("--no-cache", is_flag=True, help="Neither read nor write .stratdocs-cache/ (the cache stays as it is).")
def build(opts: Options, out: Path | None, no_pdf: bool, clean: bool, no_cache: bool) -> None:
    """Build the website and every PDF document into the output folder."""
    from stratdocs import cache as cache_mod
    from stratdocs import pipeline

    root = opts.root()
    if clean:
        cache_mod.clear(root)
    progress = _Progress(opts)
    try:
        result = pipeline.build(root, out, pdf=not no_pdf, use_cache=not no_cache, progress=progress.file,
                                pdf_progress=progress.document)
    finally:
        progress.clear()
    opts.warn(f for f in result.warnings if f.code == "blocked-fetch")
    opts.timings(result.timings)
    docs = f" and {plural(len(result.documents), 'PDF document')}" if result.documents else ""
    warnings = len(result.warnings)
    warn = f" ({plural(warnings, 'warning')}: see stratdocs check)" if warnings else ""
    opts.say(f"Built {result.pages} pages{docs} into {result.output}{warn}")
    if result.carried:
        opts.say(f"Carried over {plural(len(result.carried), 'PDF document')} whose inputs did not change since the "
                 f"last build: {', '.join(result.carried)}")
    if result.kept:
        opts.say(f"Kept {plural(len(result.kept), 'PDF document')} from an earlier build, not rebuilt "
                 f"(--no-pdf): {', '.join(result.kept)}")


@command()
@click.argument("documents", nargs=-1, metavar="[DOC]...")
def pdf(opts: Options, documents: tuple[str, ...]) -> None:
    """Write only the named PDF documents (all configured ones when none is named)."""
    from stratdocs import pipeline

    progress = _Progress(opts)
    try:
        written, found = pipeline.pdf(opts.root(), documents or None, progress=progress.document)
    finally:
        progress.clear()
    opts.warn(found)
    for path in written:
        opts.say(f"Wrote {path}")


@command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.option("--allow-host", "allow_hosts", multiple=True, metavar="NAME",
              help="Also answer requests addressed to NAME (the name colleagues use; with --host 0.0.0.0).")
def serve(opts: Options, host: str, port: int, open_browser: bool, allow_hosts: tuple[str, ...]) -> None:
    """Preview the site with live reload; rebuilds only what an edit affects."""
    from stratdocs.serve.app import run

    run(opts.root(), host, port, open_browser, lambda message: click.echo(message, err=True),
        allow_hosts=allow_hosts, quiet=opts.quiet)


