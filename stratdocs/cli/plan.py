"""Commands that read the plan: check (and check --since), export, diff, review."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from stratdocs import owners as _owners
from stratdocs.cli.base import Options, command
from stratdocs.numbers import plural
from stratdocs.errors import ConfigError, UsageError
from stratdocs.findings import Severity, format_findings, has_errors, summary


@command()
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "markdown"]), default="text",
              show_default=True, help="markdown: the --since report for a pull request or job summary.")
@click.option("--since", metavar="REV", help="Report what the working tree changes against git revision REV: "
              "new and fixed findings, health changes, plan changes.")
@click.option("--fail-on", type=click.Choice(["new", "any"]), help="With --since: fail on the findings the "
              "change introduced (new, the default) or on any finding (any, as without --since).")
@click.option("--owner", metavar="NAME", help="Only the findings about items NAME owns (the 'owner:' text, "
              "ignoring case and spacing).")
@click.option("--no-cache", is_flag=True, help="Read every file again; neither read nor write .stratdocs-cache/.")
def check(opts: Options, strict: bool, fmt: str, since: str | None, fail_on: str | None, owner: str | None,
          no_cache: bool) -> None:
    """Validate the plan and report every problem with its file and line."""
    from stratdocs import git, pipeline

    root = opts.root()
    if since is None and (fail_on or fmt == "markdown"):
        raise UsageError(f"{'--fail-on' if fail_on else '--format markdown'} needs --since REV")
    prefix = git.prefix(root) if fmt in ("github", "markdown") else ""
    try:
        if since is not None:
            _check_since(opts, root, since, fail_on or "new", strict, fmt, prefix, owner, not no_cache)
        checked = pipeline.check(root, use_cache=not no_cache)
    except ConfigError as exc:
        if fmt in ("text", "markdown"):
            raise
        click.echo(exc.message, err=True)  # for the person reading the CI log
        click.echo(format_findings(list(exc.findings), fmt, prefix))  # and parseable for the machine
        sys.exit(2)
    findings, whose = list(checked.findings), ""
    if owner is not None:
        chosen = _owner(checked, owner)
        findings, whose = _owners.findings_for(chosen, findings, checked.project.plan), f"{chosen.name}: "
    text = format_findings(findings, fmt, prefix)
    if text:
        click.echo(text)
    warned = any(f.severity is Severity.WARNING for f in findings)
    if fmt == "text":
        opts.say(whose + summary(findings))
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
        click.echo(f"stratdocs: the plan has {plural(errors, 'error')}; the export shows the plan as it is "
                   "(run 'stratdocs check')", err=True)
        sys.exit(1)


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
    opts.say(f"{plural(len(changes), 'change')} in the plan, {described}.")


def _owner(checked, name: str):
    """The owner called `name` among the checked plan's owners (a usage error if none is)."""
    project = checked.project
    return _owners.select(_owners.collect(project.plan, checked.findings, project.health_of), name)


def _check_since(opts: Options, root: Path, rev: str, fail_on: str, strict: bool, fmt: str, prefix: str,
                 owner: str | None = None, use_cache: bool = True) -> None:
    """`check --since REV`: what the working tree changes against REV (`stratdocs.since`); exits.
    With `owner`, only what concerns the items that owner has now."""
    from stratdocs import pipeline, since, since_format

    chosen = _owner(pipeline.check(root, probe=False, use_cache=use_cache), owner) if owner is not None else None
    report = since.since(root, rev, use_cache)
    if chosen is not None:
        report = since.narrowed(report, chosen.items)
    output = since_format.render(report, fmt, prefix, fail_on, strict)
    if output:
        click.echo(output, nl=not output.endswith("\n"))
    if report.base_problem:
        click.echo(f"stratdocs: {report.base_problem}", err=True)
    if fmt != "json":
        opts.say(since_format.headline(report))
    sys.exit(1 if report.failed(fail_on, strict) else 0)


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


