"""The `stratdocs` command line's base: the group, global options, user errors and exit codes.
The commands live in the sibling modules (`plan`, `publish`, `editing`).

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
from stratdocs.numbers import plural

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


def _shell_word(text: str) -> str:
    import shlex

    return shlex.quote(text)



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
            self._show(f"PDF {name}: {plural(pages, 'page')} done")

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

