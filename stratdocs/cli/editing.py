"""Commands for writing the plan and its theme: init, new, schema, lsp, messages."""

from __future__ import annotations

from pathlib import Path

import click

from stratdocs.cli.base import Options, _shell_word, command
from stratdocs.errors import UsageError
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
    """Create a new entity file of KIND (objective, initiative, strategy, operation, kpi, review, risk, page)."""
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




@command()
@click.option("--language", "-l", metavar="LANG", help="The language (default: the plan's `language`).")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.po",
              help="Write a catalog of every message, with the translations the language already has, "
                   "to complete and save as the theme's locales/LANG.po.")
def messages(opts: Options, language: str | None, out: Path | None) -> None:
    """The interface messages the plan's language has no translation for (see docs/themes.md)."""
    from stratdocs import config as config_mod
    from stratdocs import i18n
    from stratdocs import messages as messages_mod
    from stratdocs.theme import resolve

    cfg = config_mod.load(opts.root())
    theme = resolve(cfg)
    language = language or cfg.language
    if not i18n.locale_names(language):
        raise UsageError(f"'{language}' is not a language Babel knows; use a code like de, fr or de-AT")
    if out is not None:
        catalog = messages_mod.catalog_for(theme, language)
        target = out if out.is_absolute() else opts.start / out
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            messages_mod.write_catalog(catalog, target)
        except OSError as exc:
            raise UsageError(f"cannot write '{out}': {exc.strerror or exc}") from None
        opts.say(f"Wrote {plural(len(catalog), 'message')} for '{language}' into {out}")
        return
    total = len(messages_mod.source_messages(theme))
    if i18n.locale_names(language)[0] == i18n.SOURCE_LANGUAGE:
        opts.say(f"English is the language the interface is written in: all {plural(total, 'message')} read as written.")
        return
    lacking = messages_mod.missing(theme, language)
    for m in lacking:
        click.echo(f"{m.places[0]}: {m.msgid}" + (f" [{m.context}]" if m.context else ""))
    opts.say(f"{len(lacking)} of {plural(total, 'message')} have no '{language}' translation"
             + ("; they are shown in English." if lacking else "."))
