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

import traceback
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from stratdocs.errors import ConfigError, StratdocsError
from stratdocs.findings import Finding, error

#: Where the built-in themes live in the installed package.
BUILTIN_THEMES = Path(str(resources.files("stratdocs.themes")))
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


class _ProjectLoader(jinja2.FileSystemLoader):
    """A loader for the project's theme folders that refuses templates linked from outside it."""

    def __init__(self, theme: Theme):
        super().__init__([str(d / "templates") for d in theme.dirs])
        self._theme = theme

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        resolved = Path(filename).resolve()
        if self._theme.root not in resolved.parents and BUILTIN_THEMES not in resolved.parents:
            raise TemplateError(f"{self._theme.shown(filename)}: template '{template}' leaves the project "
                                "(a link to elsewhere); copy it into the theme")
        return source, filename, uptodate


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, remembering its verdict per (type, attribute): the verdict
    depends on nothing else, and a site asks it a quarter of a million times."""

    def __init__(self, **options):
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj, attr, value) -> bool:
        key = (type(obj), attr)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = super().is_safe_attribute(obj, attr, value)
        return verdict


def environment(theme: Theme) -> jinja2.Environment:
    """The Jinja environment for HTML and PDF templates of this theme.

    A theme with templates of the project's own renders in Jinja's immutable sandbox: they are
    contributor input. Without any, every template is stratdocs' own code, read only from the
    built-in themes (the loader looks nowhere else, so a template added to the project later is
    not found by it, never run unsandboxed), and renders without the sandbox's check of every
    attribute and call (a sixth of a cold build's time at 10,000 entities). Either way
    autoescape is on, so content is text, never markup or template code.
    """
    builtin = jinja2.FileSystemLoader(str(BUILTIN / "templates"))
    if not template_files(theme):  # no template of the project's own
        ours = [str(d / "templates") for d in theme.dirs if d == BUILTIN_THEMES or BUILTIN_THEMES in d.parents]
        loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(ours), jinja2.PrefixLoader({DEFAULT_PREFIX: builtin})])
        return jinja2.Environment(loader=loader, **_OPTIONS)
    loader = jinja2.ChoiceLoader([_ProjectLoader(theme), jinja2.PrefixLoader({DEFAULT_PREFIX: builtin})])
    return _Sandbox(loader=loader, **_OPTIONS)


_OPTIONS = dict(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                keep_trailing_newline=True)


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


def check_templates(theme: Theme, env: jinja2.Environment) -> list[Finding]:
    """A located error for every template of the project's theme that does not compile, so that
    `check` refuses what `build` would refuse."""
    findings = []
    for name, path in template_files(theme):
        try:
            env.parse(path.read_text(encoding="utf-8"), name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            findings.append(error(theme.shown(path), exc.lineno or 1, 1, "template",
                                  f"template does not compile: {exc.message}"))
        except (OSError, UnicodeDecodeError) as exc:
            findings.append(error(theme.shown(path), 1, 1, "template", f"cannot read template: {exc}"))
    return findings


def template_error(exc: Exception, theme: Theme) -> TemplateError:
    """A Jinja failure (syntax, undefined name, missing template, sandbox refusal) as one
    message naming the theme file and line where it happened, with that place as a finding."""
    if isinstance(exc, TemplateError):
        return exc
    file, line = "", 1
    if isinstance(exc, jinja2.TemplateSyntaxError) and exc.filename:
        file, line = theme.shown(exc.filename), exc.lineno or 1
    else:
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename.endswith((".html", ".xml", ".txt", ".css", ".svg")) and "/templates/" in frame.filename:
                file, line = theme.shown(frame.filename), frame.lineno or 1
                break
    detail = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, jinja2.TemplateNotFound):
        detail = f"template '{exc.name}' not found in the theme"
    elif isinstance(exc, jinja2.exceptions.SecurityError):
        detail = f"not allowed in a theme template: {detail}"
    message = f"{type(exc).__name__}: {detail}; fix the template"
    finding = error(file or "stratdocs.yml", line, 1, "template", message)
    return TemplateError(f"{file}:{line}: {message}" if file else message, [finding])
