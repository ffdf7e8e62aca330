"""Themes: one ordered search path, project theme first, the built-in default last (SPEC §11).

A project theme (`theme: corporate` -> `themes/corporate/`, or a path) overrides single
templates or static files of `default`; anything it does not have comes from `default`.
Autoescape is on everywhere and undefined names fail loudly.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click
import jinja2

BUILTIN = Path(str(resources.files("stratdocs") / "themes" / "default"))


def theme_dirs(config) -> list[Path]:
    """Theme folders in search order: the project's theme (if any), then the built-in default."""
    dirs: list[Path] = []
    if config.theme not in ("", "default"):
        candidate = Path(config.theme)
        if not candidate.is_absolute():
            named = config.root / "themes" / config.theme
            candidate = named if named.is_dir() else config.root / config.theme
        if not candidate.is_dir():
            raise click.ClickException(f"stratdocs.yml: theme '{config.theme}' not found: expected a folder "
                                       f"themes/{config.theme}/ or a path to a theme folder")
        resolved = candidate.resolve()
        if config.root not in resolved.parents and resolved != config.root:
            raise click.ClickException(f"stratdocs.yml: theme '{config.theme}' is outside the project; "
                                       "copy it into themes/")
        dirs.append(resolved)
    else:
        local = config.root / "themes" / "default"
        if local.is_dir():
            dirs.append(local.resolve())
    dirs.append(BUILTIN)
    return dirs


def environment(config) -> jinja2.Environment:
    """The Jinja environment for HTML and PDF templates of this project's theme."""
    loader = jinja2.FileSystemLoader([str(d / "templates") for d in theme_dirs(config)])
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


def static_files(config) -> dict[str, Path]:
    """Relative path -> file of every static asset; a project theme's file wins over default's."""
    files: dict[str, Path] = {}
    for directory in reversed(theme_dirs(config)):
        static = directory / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    files[path.relative_to(static).as_posix()] = path
    return files
