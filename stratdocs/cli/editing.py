"""Commands for writing the plan: init, new, schema, lsp."""

from __future__ import annotations

from pathlib import Path

import click

from stratdocs.cli.base import Options, _shell_word, command
from stratdocs.numbers import plural


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
    opts.say(f"Created a plan project in {target} ({len(written)} files, with a .gitignore, a GitHub "
             f"Actions workflow and VS Code settings that validate stratdocs.yml). Next: {step}")


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


@command(name="schema")
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="Write stratdocs.schema.json and KIND.schema.json for each kind into DIR. "
                   "Default: print one combined schema (each under $defs) to stdout.")
def schema_command(opts: Options, out: Path | None) -> None:
    """JSON Schema for stratdocs.yml and each kind's front matter, from check's own schema."""
    from stratdocs import jsonschema

    if out is None:
        click.echo(jsonschema.dumps(jsonschema.combined()), nl=False)
    else:
        opts.say(f"Wrote {plural(len(jsonschema.write(out)), 'schema')} into {out}")


@command()
def lsp(opts: Options) -> None:
    """A language server on stdio: check's findings while typing, id completion, go to definition."""
    from stratdocs.lsp.server import serve
    serve()


