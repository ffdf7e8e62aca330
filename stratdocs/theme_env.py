"""The Jinja side of themes (`stratdocs.theme`): the environment templates render in, and a
theme template's mistake as one located message. Imported only by what renders or compiles
templates, through `stratdocs.theme`'s names."""

from __future__ import annotations

import traceback
from pathlib import Path

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from stratdocs.findings import Finding, error
from stratdocs.theme import BUILTIN, BUILTIN_THEMES, DEFAULT_PREFIX, TemplateError, Theme, template_files


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


class _OwnBytecode(jinja2.BytecodeCache):
    """Compiled built-in templates, kept between runs in this user's cache folder (outside every
    project, beside the key that signs caches), like Python's own `.pyc` files: compiling the 86
    built-in templates takes most of a second, loading them a hundredth of it.

    Only the environment of the built-in templates uses it (a theme with templates of its own
    compiles them every run, in the sandbox). An entry is used only when it carries this user's
    HMAC of its bytes, under a key of stratdocs' code and version, Python, Jinja, the
    environment's settings that change compiled code, and the template's name and file; Jinja
    compares the source's checksum and its own version stamp on top. An entry that cannot be
    written or read only means compiling again."""

    def __init__(self, folder: Path):
        self.folder = folder

    def get_bucket(self, environment, name, filename, source):
        from stratdocs import cache as cache_mod

        settings = (type(environment).__qualname__, environment.sandboxed, sorted(environment.extensions),
                    getattr(environment, "newstyle_gettext", None), environment.finalize is None,
                    environment.is_async, environment.optimized, jinja2.__version__)
        key = cache_mod.digest(cache_mod.stamp(), repr(settings), name, filename or "")
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket) -> None:
        from stratdocs import cache as cache_mod

        data = cache_mod.read_signed(self.folder / f"{bucket.key}.jbc")
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja's own format; another Jinja or source: a miss

    def dump_bytecode(self, bucket) -> None:
        from stratdocs import cache as cache_mod

        try:  # the folder is made as every cache folder is (`cache_io.prepare`)
            cache_mod.write_signed(self.folder / f"{bucket.key}.jbc", bucket.bytecode_to_string())
        except OSError:
            pass  # compiled again next time


def _bytecode() -> _OwnBytecode | None:
    from stratdocs.userkey import user_folder

    folder = user_folder()
    return _OwnBytecode(folder / "templates") if folder is not None else None


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
        return jinja2.Environment(loader=loader, bytecode_cache=_bytecode(), **_OPTIONS)
    loader = jinja2.ChoiceLoader([_ProjectLoader(theme), jinja2.PrefixLoader({DEFAULT_PREFIX: builtin})])
    return _Sandbox(loader=loader, **_OPTIONS)


_OPTIONS = dict(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                keep_trailing_newline=True)


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
