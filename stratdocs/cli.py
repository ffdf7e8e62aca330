"""The `stratdocs` command line (SPEC §8). The only module that prints, exits or imports click.

Exit codes (one table, docs/reference.md): 0 ok; 1 content problems (or warnings with
``--strict``), an output that cannot be written, a theme template that fails; 2 usage or config;
3 a bug in stratdocs. The same code with or without ``-v``.
"""

from __future__ import annotations

import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

import click

from stratdocs import __version__
from stratdocs.errors import ConfigError, StratdocsError, UsageError
from stratdocs.findings import Severity, format_findings, has_errors, summary

NOT_A_PROJECT = "not a stratdocs project (run `stratdocs init` or use -C)"


@dataclass
class Options:
    start: Path = Path(".")
    quiet: bool = False
    verbose: bool = False

    def root(self) -> Path:
        """The project folder: the nearest folder holding `stratdocs.yml`, walking up from `-C DIR`
        (or the current folder) as git finds `.git`; a config-less folder with `content/plan.md`
        counts too."""
        if not self.start.is_dir():
            raise UsageError(f"project folder '{self.start}' does not exist")
        start = self.start.resolve()
        for folder in (start, *start.parents):
            if (folder / "stratdocs.yml").is_file():
                return folder
        if (start / "content" / "plan.md").is_file():
            return start
        raise UsageError(NOT_A_PROJECT)

    def say(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def warn(self, findings) -> None:
        """Warnings found while rendering (blocked fetches): printed even with -q."""
        for finding in findings:
            click.echo(finding.text(), err=True)

    def timings(self, timings) -> None:
        if self.verbose:
            for stage, seconds in timings:
                click.echo(f"  {seconds:7.3f} s  {stage}", err=True)


def _set_start(ctx: click.Context, _param, value):
    if value is not None:
        ctx.ensure_object(Options).start = value
    return value


def _set_flag(name: str):
    def callback(ctx: click.Context, _param, value):
        if value:
            setattr(ctx.ensure_object(Options), name, True)
        return value
    return callback


def global_options(func):
    """-C, -q and -v, accepted before or after the command (`stratdocs build -q`)."""
    func = click.option("-C", "project_dir", metavar="DIR", expose_value=False, is_eager=True,
                        type=click.Path(file_okay=False, path_type=Path), callback=_set_start,
                        help="Run as if started in DIR (the project folder).")(func)
    func = click.option("-q", "--quiet", is_flag=True, expose_value=False, callback=_set_flag("quiet"),
                        help="Print only problems.")(func)
    func = click.option("-v", "--verbose", is_flag=True, expose_value=False, callback=_set_flag("verbose"),
                        help="Timings per stage; tracebacks for internal errors.")(func)
    return func


def command(*args, **kwargs):
    """A subcommand with the global options."""
    def decorate(func):
        return cli.command(*args, **kwargs)(global_options(click.pass_obj(func)))
    return decorate


class UserError(click.ClickException):
    """A `StratdocsError` on its way out: its message, and its exit code (SPEC §8)."""

    def __init__(self, error: StratdocsError):
        super().__init__(error.message)
        self.exit_code = error.exit_code
        self.error = error

    def show(self, file=None) -> None:
        if isinstance(self.error, ConfigError):
            click.echo(self.message, err=True)  # already one located line a problem
        else:
            super().show(file)


class Group(click.Group):
    """Turns user errors raised by any command into `UserError`."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except StratdocsError as exc:
            if _verbose():
                traceback.print_exc()
            raise UserError(exc) from exc


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="stratdocs")
@global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Publish strategic and operational plans as code."""
    ctx.ensure_object(Options)


@command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
def check(opts: Options, strict: bool, fmt: str) -> None:
    """Validate the plan and report every problem with its file and line."""
    from stratdocs import git, pipeline

    root = opts.root()
    prefix = git.prefix(root) if fmt == "github" else ""
    try:
        checked = pipeline.check(root)
    except ConfigError as exc:
        if fmt == "text":
            raise
        click.echo(exc.message, err=True)  # for the person reading the CI log
        click.echo(format_findings(list(exc.findings), fmt, prefix))  # and parseable for the machine
        sys.exit(2)
    findings = list(checked.findings)
    text = format_findings(findings, fmt, prefix)
    if text:
        click.echo(text)
    warned = any(f.severity is Severity.WARNING for f in findings)
    if fmt == "text":
        opts.say(summary(findings))
        if strict and warned and not has_errors(findings):
            opts.say("--strict turned the warnings into a failure.")
    sys.exit(1 if has_errors(findings) or (strict and warned) else 0)


EXPORT_FORMATS = {".json": "json", ".csv": "csv", ".xlsx": "xlsx"}


@command()
@click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default=None,
              help="json: everything (entities with health and traces, matrices, findings, waivers); "
                   "csv: one row per item with its health and traces; xlsx: a workbook with a sheet each. "
                   "Default: from the -o file's extension, else json.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to FILE instead of stdout.")
def export(opts: Options, fmt: str | None, output: Path | None) -> None:
    """Export the model, health and matrices for spreadsheets and BI tools."""
    from stratdocs import export as export_mod
    from stratdocs import project as project_mod
    from stratdocs.errors import OutputError

    implied = EXPORT_FORMATS.get(output.suffix.lower()) if output is not None else None
    if fmt and implied and fmt != implied:
        raise UsageError(f"--format {fmt} does not match the file name {output.name}; use a .{fmt} file "
                         "or leave out --format")
    fmt = fmt or implied or "json"
    if fmt == "xlsx" and output is None:
        raise UsageError("xlsx is binary: give a file with -o plan.xlsx")
    project = project_mod.load(opts.root())
    try:
        if fmt == "xlsx":
            export_mod.write_xlsx(project, output)
        else:
            text = export_mod.to_json(project) if fmt == "json" else export_mod.to_csv(project)
            if output is None:
                click.echo(text, nl=False)
            else:
                output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None
    if output is not None:
        opts.say(f"Wrote {output}")
    errors = sum(1 for f in project.findings if f.severity is Severity.ERROR)
    if errors:
        click.echo(f"stratdocs: the plan has {_count(errors, 'error')}; the export shows the plan as it is "
                   "(run 'stratdocs check')", err=True)
        sys.exit(1)


@command()
@click.argument("directory", default=".", type=click.Path(file_okay=False, path_type=Path))
def init(opts: Options, directory: Path) -> None:
    """Create a new plan project with a small working example."""
    from stratdocs import scaffold

    import os

    target = directory if directory.is_absolute() else opts.start / directory
    written = scaffold.init(target)
    where = os.path.relpath(target.resolve(), Path.cwd())
    step = "stratdocs check" if where == "." else f"stratdocs -C {_shell_word(where)} check"
    opts.say(f"Created a plan project in {target} ({len(written)} files, with a .gitignore and a GitHub "
             f"Actions workflow). Next: {step}")


@command()
@click.argument("kind")
@click.argument("entity_id", metavar="ID")
@click.option("--title", help="The title (default: the id).")
def new(opts: Options, kind: str, entity_id: str, title: str | None) -> None:
    """Create a new entity file of KIND (objective, initiative, strategy, operation, kpi, review, page)."""
    from stratdocs import project as project_mod
    from stratdocs import scaffold

    project = project_mod.load(opts.root())
    path = scaffold.new(project, kind, entity_id, title or entity_id)
    click.echo(path.relative_to(project.root).as_posix())


@command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), help="Output folder (default: site).")
@click.option("--no-pdf", is_flag=True, help="Build the website only.")
@click.option("--clean", is_flag=True, help="Ignore and clear the build cache.")
def build(opts: Options, out: Path | None, no_pdf: bool, clean: bool) -> None:
    """Build the website and every PDF document into the output folder."""
    from stratdocs import cache as cache_mod
    from stratdocs import pipeline

    root = opts.root()
    if clean:
        cache_mod.clear(root)
    progress = _Progress(opts)
    try:
        result = pipeline.build(root, out, pdf=not no_pdf, progress=progress.file, pdf_progress=progress.document)
    finally:
        progress.clear()
    opts.warn(f for f in result.warnings if f.code == "blocked-fetch")
    opts.timings(result.timings)
    docs = f" and {_count(len(result.documents), 'PDF document')}" if result.documents else ""
    warnings = len(result.warnings)
    warn = f" ({_count(warnings, 'warning')}: see stratdocs check)" if warnings else ""
    opts.say(f"Built {result.pages} pages{docs} into {result.output}{warn}")
    if result.kept:
        opts.say(f"Kept {_count(len(result.kept), 'PDF document')} from an earlier build, not rebuilt "
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


@command(name="diff")
@click.argument("rev")
@click.argument("other", required=False, metavar="[REV]")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def diff_command(opts: Options, rev: str, other: str | None, fmt: str) -> None:
    """What changed in the plan between two git revisions (or REV and the working tree)."""
    import json

    from stratdocs.diff import diff

    changes, described = diff(opts.root(), rev, other)
    if fmt == "json":
        click.echo(json.dumps({"range": described, "changes": [c.as_dict() for c in changes]}, indent=2,
                              ensure_ascii=False))
        return
    for change in changes:
        click.echo(change.text())
    opts.say(f"{_count(len(changes), 'change')} in the plan, {described}.")


@command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--all", "everything", is_flag=True, help="Re-confirm every link (records the first baseline).")
@click.option("--by", metavar="NAME", help="Who re-confirms (default: git's user.name).")
def review(opts: Options, ids: tuple[str, ...], everything: bool, by: str | None) -> None:
    """Re-confirm items made suspect by a change to what they serve or measure (stratdocs.lock)."""
    from datetime import date

    from stratdocs import git, pipeline, suspect

    checked = pipeline.check(opts.root(), probe=False)
    pipeline.refuse_errors(checked)
    root = checked.project.root
    done = suspect.confirm(checked.project.index, root, ids, everything, by or git.user_name(root),
                           date.today().isoformat())
    for line in done.report():
        opts.say(line)


def _shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


class _Progress:
    """A one-line counter on an interactive terminal; nothing in CI or with -q."""

    def __init__(self, opts: Options):
        from stratdocs.pipeline import is_interactive

        self.on = not opts.quiet and is_interactive()
        self.files = 0
        self.shown = False

    def file(self, rel: str) -> None:
        self.files += 1
        if self.on and self.files % 25 == 0:
            self._show(f"Writing {self.files} files… {rel[:60]}")

    def document(self, name: str, pages: int) -> None:
        if self.on:
            self._show(f"PDF {name}: {_count(pages, 'page')} done")

    def _show(self, text: str) -> None:
        click.echo(f"\r\033[K{text}", nl=False, err=True)
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", nl=False, err=True)


def _verbose() -> bool:
    return any(arg in ("-v", "--verbose") for arg in sys.argv[1:])


def main() -> None:
    """Entry point: user errors are one message with their exit code; a bug is one line (a
    traceback with -v) and exit 3."""
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
        if _verbose():
            traceback.print_exc()
        else:
            click.echo(f"stratdocs: internal error: {type(exc).__name__}: {exc} (run with -v for the traceback "
                       "and please report it)", err=True)
        sys.exit(3)
