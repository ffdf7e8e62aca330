"""Themes: one ordered search path, project theme first, the built-in default last (SPEC §11).

`theme: corporate` names `themes/corporate/` in the project, then a built-in theme of that name;
a path to a folder inside the project works too. A project theme overrides single templates or
static files of `default`; anything it does not have comes from `default`. A template may also
extend the built-in template of the same name through the `default/` prefix, as Pelican's
`!simple/` does: ``{% extends "default/base.html" %}`` in `themes/corp/templates/base.html`.

Templates are contributor input, so they render in Jinja's immutable sandbox: no attribute that
starts with `_`, no function call that changes data, nothing of Python beyond what the view
models offer (see docs/threat-model.md). Autoescape is on and undefined names fail loudly.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import stratdocs.themes
from stratdocs.errors import ConfigError, StratdocsError
from stratdocs.findings import error

#: Where the built-in themes live in the installed package.
BUILTIN_THEMES = Path(stratdocs.themes.__path__[0])  # not importlib.resources: 4 ms of imports a run
BUILTIN = BUILTIN_THEMES / "default"
#: The prefix under which the built-in default's templates stay reachable from a theme.
DEFAULT_PREFIX = "default"


class TemplateError(StratdocsError):
    """A theme template that does not compile or fails while rendering, located at its line."""

    exit_code = 1


@dataclass(frozen=True)
class Theme:
    """The folders of a project's theme, in search order (the built-in default last)."""

    #: theme folders, each with optional `templates/`, `static/` and `new/` subfolders
    dirs: tuple[Path, ...]
    #: the project folder, to show theme files relative to it
    root: Path

    @property
    def own_dirs(self) -> tuple[Path, ...]:
        """The theme folders that come from the project (not built into stratdocs)."""
        return tuple(d for d in self.dirs if d != BUILTIN)

    def shown(self, path: str | Path) -> str:
        """A theme file's path as a message shows it: relative to the project when inside it."""
        path = Path(path)
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except (ValueError, OSError):
            try:
                return "stratdocs:" + path.resolve().relative_to(BUILTIN_THEMES).as_posix()
            except (ValueError, OSError):
                return path.as_posix()


def _config_finding(config, message: str) -> ConfigError:
    line, col = config.position("theme")
    return ConfigError([error("stratdocs.yml", line, col, "config", message)])


def resolve(config) -> Theme:
    """The theme search path of `config`; a `ConfigError` (exit 2) when the theme is missing
    or leaves the project."""
    root = config.root.resolve()
    dirs: list[Path] = []
    name = config.theme
    if name not in ("", "default"):
        candidate = Path(name)
        if not candidate.is_absolute():
            named = config.root / "themes" / name
            candidate = named if named.is_dir() else config.root / name
        builtin = BUILTIN_THEMES / name
        if not candidate.is_dir() and "/" not in name and builtin.is_dir():
            candidate = builtin
        if not candidate.is_dir():
            raise _config_finding(config, f"theme '{name}' not found: expected a folder themes/{name}/ "
                                          "or a path to a theme folder")
        resolved = candidate.resolve()
        if BUILTIN_THEMES not in resolved.parents and root not in resolved.parents:
            raise _config_finding(config, f"theme '{name}' is outside the project; copy it into themes/")
        dirs.append(resolved)
    else:
        local = config.root / "themes" / "default"
        if local.is_dir():
            resolved = local.resolve()
            if root not in resolved.parents:
                raise _config_finding(config, "themes/default leaves the project (a link to elsewhere); "
                                              "copy the theme into themes/default")
            dirs.append(resolved)
    if BUILTIN not in dirs:
        dirs.append(BUILTIN)
    return Theme(tuple(dirs), root)


def theme_dirs(config) -> list[Path]:
    """Theme folders in search order: the project's theme (if any), then the built-in default."""
    return list(resolve(config).dirs)


def static_files(theme: Theme) -> dict[str, Path]:
    """Relative path -> file of every static asset; a project theme's file wins over default's.
    Files linked from outside the project are left out."""
    files: dict[str, Path] = {}
    for directory in reversed(theme.dirs):
        static = directory / "static"
        if not static.is_dir():
            continue
        for path in sorted(static.rglob("*")):
            if path.is_file() and _inside(path, theme):
                files[path.relative_to(static).as_posix()] = path
    return files


def inside(path: Path, theme: Theme) -> bool:
    """Whether a theme file really is in the project or the built-in themes (not linked from elsewhere)."""
    return _inside(path, theme)


def _inside(path: Path, theme: Theme) -> bool:
    resolved = path.resolve()
    return theme.root in resolved.parents or BUILTIN_THEMES in resolved.parents


def template_files(theme: Theme) -> list[tuple[str, Path]]:
    """(template name, file) of every template in the project's own theme folders."""
    out = []
    for directory in theme.own_dirs:
        templates = directory / "templates"
        for path in sorted(templates.rglob("*")) if templates.is_dir() else ():
            if path.is_file() and path.suffix in (".html", ".xml", ".txt", ".css", ".svg"):
                out.append((path.relative_to(templates).as_posix(), path))
    return out


def __getattr__(name: str):
    """`environment`, `check_templates` and `template_error` live in `stratdocs.theme_env`, with
    Jinja: imported when first asked for, so `check` of a theme with nothing of the project's
    own never imports Jinja."""
    if name in ("environment", "check_templates", "template_error"):
        from stratdocs import theme_env

        return getattr(theme_env, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
