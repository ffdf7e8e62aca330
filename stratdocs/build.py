"""`stratdocs build`: load, refuse on errors, render the site (and PDFs), swap the output in."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import click

from stratdocs import cache as cache_mod
from stratdocs import project as project_mod
from stratdocs.findings import Severity
from stratdocs.render.writer import Writer, check_output_dir


class BuildError(click.ClickException):
    exit_code = 1


@dataclass(frozen=True)
class BuildResult:
    output: Path
    pages: int
    documents: tuple[str, ...]
    warnings: int


def git_commit(root: Path) -> str:
    """The commit the project is checked out at, or '' outside git (never touches the network)."""
    try:
        done = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                              text=True, timeout=5, env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def refuse_errors(project: project_mod.Project) -> None:
    """Nothing is published from a plan with errors; the previous output stays."""
    errors = [f for f in project.findings if f.severity is Severity.ERROR]
    if errors:
        raise BuildError(f"the plan has {len(errors)} error{'s' if len(errors) != 1 else ''} (first: "
                         f"{errors[0].text()}); run 'stratdocs check', fix them and build again. "
                         "The previous output was left as it was.")


def output_dir(project: project_mod.Project, out: Path | None) -> Path:
    if out is None:
        return project.config.output_path
    # -C DIR means "run as if started in DIR", so a relative --out is inside the project.
    return out if out.is_absolute() else project.root / out


def build(project: project_mod.Project, out: Path | None = None, *, pdf: bool = True,
          documents: tuple[str, ...] | None = None, use_cache: bool = True,
          progress: Callable[[str], None] | None = None) -> BuildResult:
    """Build the whole output; on any failure the previous output stays as it was."""
    refuse_errors(project)
    target = output_dir(project, out)
    check_output_dir(target, project.root, project.config.content_path)
    from stratdocs.render.site import write_site

    commit = git_commit(project.root)
    cache = cache_mod.for_project(project.root) if use_cache else cache_mod.BuildCache()
    writer = Writer(target)
    pages = 0

    def count(rel: str) -> None:
        nonlocal pages
        pages += rel.endswith(".html")
        if progress:
            progress(rel)
    written_docs: tuple[str, ...] = ()
    try:
        views = write_site(project, writer, commit=commit, cache=cache, progress=count)
        if pdf:
            from stratdocs.render.pdf import write_documents

            written_docs = write_documents(project, views, writer, only=documents, commit=commit)
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    try:
        cache.save()
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
    warnings = sum(1 for f in project.findings if f.severity is Severity.WARNING)
    return BuildResult(target, pages, written_docs, warnings)


def is_interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")
