"""The `stratdocs` command line (SPEC §8). The only module that exits the process."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import click

from stratdocs import __version__
from stratdocs import project as project_mod
from stratdocs.errors import ConfigError, StratdocsError
from stratdocs.findings import Severity, format_findings, has_errors, summary


class _Failed(click.ClickException):
    """A `StratdocsError` as click shows it: a config error bare, others after 'Error: '."""

    def __init__(self, exc: StratdocsError):
        super().__init__(exc.message)
        self.exit_code = exc.exit_code
        self.bare = isinstance(exc, ConfigError)

    def show(self, file=None) -> None:
        click.echo(self.message if self.bare else f"Error: {self.message}", err=True)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except StratdocsError as exc:
            raise _Failed(exc) from exc


@dataclass(frozen=True)
class Options:
    root: Path
    quiet: bool
    verbose: bool

    def load(self) -> project_mod.Project:
        if not self.root.is_dir():
            raise click.UsageError(f"project folder '{self.root}' does not exist")
        return project_mod.load(self.root)

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="stratdocs")
@click.option("-C", "project_dir", default=".", metavar="DIR", type=click.Path(file_okay=False, path_type=Path),
              help="Run as if started in DIR (the project folder).")
@click.option("-q", "--quiet", is_flag=True, help="Print only problems.")
@click.option("-v", "--verbose", is_flag=True, help="More detail; tracebacks for internal errors.")
@click.pass_context
def cli(ctx: click.Context, project_dir: Path, quiet: bool, verbose: bool) -> None:
    """Publish strategic and operational plans as code."""
    ctx.obj = Options(project_dir, quiet, verbose)


@cli.command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.pass_obj
def check(opts: Options, strict: bool, fmt: str) -> None:
    """Validate the plan and report every problem with its file and line."""
    try:
        project = opts.load()
    except ConfigError as exc:
        if fmt == "text":
            raise
        click.echo(exc.message, err=True)  # for the person reading the CI log
        click.echo(format_findings(list(exc.findings), fmt))  # and parseable for the machine
        sys.exit(2)
    findings = list(project.findings)
    text = format_findings(findings, fmt)
    if text:
        click.echo(text)
    if fmt == "text":
        opts.say(summary(findings))
    failed = has_errors(findings) or (strict and any(f.severity is Severity.WARNING for f in findings))
    sys.exit(1 if failed else 0)


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="json", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
@click.pass_obj
def export(opts: Options, fmt: str, output: Path | None) -> None:
    """Export the model, health and matrices for spreadsheets and BI tools."""
    from stratdocs import export as export_mod

    project = opts.load()
    if fmt == "xlsx":
        if output is None:
            raise click.UsageError("xlsx is binary: give a file with -o plan.xlsx")
        export_mod.write_xlsx(project, output)
        opts.say(f"Wrote {output}")
        return
    text = export_mod.to_json(project) if fmt == "json" else export_mod.to_csv(project)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        opts.say(f"Wrote {output}")


@cli.command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.pass_obj
def init(opts: Options, directory: Path) -> None:
    """Create a new plan project with a small working example."""
    from stratdocs import scaffold

    target = directory if directory.is_absolute() else opts.root / directory
    written = scaffold.init(target)
    opts.say(f"Created a plan project in {target} ({len(written)} files). Next: stratdocs -C {directory} check")


@cli.command()
@click.argument("kind")
@click.argument("entity_id", metavar="ID")
@click.option("--title", help="The title (default: the id).")
@click.pass_obj
def new(opts: Options, kind: str, entity_id: str, title: str | None) -> None:
    """Create a new entity file of KIND (objective, initiative, strategy, operation, kpi, review, page)."""
    from stratdocs import scaffold

    project = opts.load()
    path = scaffold.new(project, kind, entity_id, title or entity_id)
    click.echo(path.relative_to(project.root).as_posix())


@cli.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site).")
@click.option("--no-pdf", is_flag=True, help="Build the website only.")
@click.option("--clean", is_flag=True, help="Ignore and clear the build cache.")
@click.pass_obj
def build(opts: Options, out: Path | None, no_pdf: bool, clean: bool) -> None:
    """Build the website and every PDF document into the output folder."""
    from stratdocs import build as build_mod

    from stratdocs import cache as cache_mod

    project = opts.load()
    if clean:
        cache_mod.clear(project.root)
    progress = _progress(opts)
    result = build_mod.build(project, out, pdf=not no_pdf, progress=progress)
    if progress:
        click.echo("\r\033[K", nl=False, err=True)
    docs = f" and {len(result.documents)} PDF document{'s' if len(result.documents) != 1 else ''}" \
        if result.documents else ""
    warn = f" ({result.warnings} warning{'s' if result.warnings != 1 else ''}: see stratdocs check)" \
        if result.warnings else ""
    opts.say(f"Built {result.pages} pages{docs} into {result.output}{warn}")


@cli.command()
@click.argument("documents", nargs=-1, metavar="[DOC]...")
@click.pass_obj
def pdf(opts: Options, documents: tuple[str, ...]) -> None:
    """Write only the named PDF documents (all configured ones when none is named)."""
    from stratdocs import build as build_mod
    from stratdocs.render.pdf import write_documents_in_place

    project = opts.load()
    build_mod.refuse_errors(project)
    written = write_documents_in_place(project, documents or None, commit=build_mod.git_commit(project.root))
    for path in written:
        opts.say(f"Wrote {path}")


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port (0: any free one).")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@click.pass_obj
def serve(opts: Options, host: str, port: int, open_browser: bool) -> None:
    """Preview the site with live reload; rebuilds only what an edit affects."""
    from stratdocs.serve.app import run

    if not opts.root.is_dir():
        raise click.UsageError(f"project folder '{opts.root}' does not exist")
    run(opts.root, host, port, open_browser, lambda message: click.echo(message, err=True))


@cli.command(name="diff")
@click.argument("rev")
@click.argument("other", required=False, metavar="[REV]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_obj
def diff_command(opts: Options, rev: str, other: str | None, fmt: str) -> None:
    """What changed in the plan between two git revisions (or REV and the working tree)."""
    import json

    from stratdocs.diff import diff

    if not opts.root.is_dir():
        raise click.UsageError(f"project folder '{opts.root}' does not exist")
    changes, described = diff(opts.root, rev, other)
    if fmt == "json":
        click.echo(json.dumps({"range": described, "changes": [c.as_dict() for c in changes]}, indent=2,
                              ensure_ascii=False))
        return
    for change in changes:
        click.echo(change.text())
    opts.say(f"{len(changes)} change{'s' if len(changes) != 1 else ''} in the plan, {described}.")


def _progress(opts: Options):
    """A one-line counter on an interactive terminal; nothing in CI or with -q."""
    from stratdocs.build import is_interactive

    if opts.quiet or not is_interactive():
        return None
    state = {"n": 0}

    def tick(rel: str) -> None:
        state["n"] += 1
        if state["n"] % 25 == 0:
            click.echo(f"\r\033[KWriting {state['n']} files… {rel[:60]}", nl=False, err=True)
    return tick


def main() -> None:
    """Entry point: a bug shows one line (a traceback with -v), never a raw traceback by default."""
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.UsageError as exc:
        exc.show()
        sys.exit(2)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        sys.exit(130)
    except Exception as exc:  # a traceback is a bug: say so, briefly, unless -v
        if "-v" in sys.argv or "--verbose" in sys.argv:
            raise
        click.echo(f"stratdocs: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback "
                   "and please report it)", err=True)
        sys.exit(3)
