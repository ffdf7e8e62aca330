"""Issue 15 (speed): the built-in templates, compiled once, are kept in this user's cache folder
(outside every project) and loaded by the next run instead of compiled again; an entry that is
not signed with this user's key is compiled afresh, and a theme with templates of its own never
uses the cache (its templates are contributor input: compiled every run, in the sandbox)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from stratdocs import theme_env, userkey
from stratdocs.pipeline import build
from stratdocs.render.environment import make_environment
from stratdocs.theme import resolve as resolve_theme

from conftest import PlanProject
from test_serve import tree


@pytest.fixture
def user_cache(tmp_path: Path, monkeypatch) -> Path:
    """A cache folder of this test's own, and a count of the templates Jinja compiles."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(userkey, "_SIGNING_KEY", [])
    return tmp_path / "user-cache" / "stratdocs" / "templates"


@pytest.fixture
def compiled(monkeypatch) -> list[str]:
    names: list[str] = []
    original = jinja2.Environment._compile

    def count(self, source, filename):
        names.append(filename)
        return original(self, source, filename)
    monkeypatch.setattr(jinja2.Environment, "_compile", count)
    return names


def _render_all(project: PlanProject) -> dict[str, str]:
    from stratdocs.config import load

    cfg = load(project.root)
    env = make_environment(resolve_theme(cfg), cfg.language)
    return {name: env.get_template(name).render.__qualname__ for name in env.list_templates()
            if name.endswith(".html")}


def test_the_built_in_templates_are_compiled_once_and_loaded_after(plan_project, user_cache, compiled,
                                                                   monkeypatch):
    first = _render_all(plan_project)
    assert len(compiled) > 40 and len(list(user_cache.glob("*.jbc"))) == len(compiled)
    compiled.clear()
    assert _render_all(plan_project) == first
    assert compiled == []  # every template came from the cache
    # and the site built from cached templates is the one built from freshly compiled ones
    build(plan_project.root, plan_project.root / "cached", pdf=False, use_cache=False)
    assert compiled == []
    monkeypatch.setattr(theme_env, "_bytecode", lambda: None)
    build(plan_project.root, plan_project.root / "compiled", pdf=False, use_cache=False)
    assert compiled and tree(plan_project.root / "cached") == tree(plan_project.root / "compiled")


def test_an_entry_not_signed_here_is_compiled_again(plan_project, user_cache, compiled):
    _render_all(plan_project)
    entry = sorted(user_cache.glob("*.jbc"))[0]
    head, _, body = entry.read_bytes().partition(b"\n")
    entry.write_bytes(head.replace(b'"checksum": "', b'"checksum": "0', 1) + b"\n" + body)
    compiled.clear()
    _render_all(plan_project)
    assert len(compiled) == 1  # that one, and only that one


def test_a_theme_with_templates_of_its_own_never_uses_the_cache(plan_project, user_cache, compiled):
    plan_project.write("stratdocs.yml", plan_project.read("stratdocs.yml") + "theme: corp\n")
    plan_project.write("themes/corp/templates/404.html",
                       '{% extends "base.html" %}{% block content %}<p>Gone.</p>{% endblock %}')
    from stratdocs.config import load

    cfg = load(plan_project.root)
    env = make_environment(resolve_theme(cfg), cfg.language)
    assert env.bytecode_cache is None and env.sandboxed
    env.get_template("404.html")
    assert not user_cache.exists() or not list(user_cache.glob("*.jbc"))
