"""Themes as a user writes them: the search path, extending the built-in template of the same
name, and located errors for a user's template mistakes (never "internal error")."""

from __future__ import annotations

import pytest

from conftest import PlanProject


def with_theme(project: PlanProject, files: dict[str, str]) -> None:
    project.write("stratdocs.yml", project.read("stratdocs.yml") + "theme: corp\n")
    for rel, text in files.items():
        project.write(f"themes/corp/templates/{rel}", text)


def test_a_theme_base_extends_the_default_base_of_the_same_name(plan_project):
    with_theme(plan_project, {"base.html": '{% extends "default/base.html" %}'
                                           '{% block head %}{{ super() }}<meta name="corp" content="yes">'
                                           '{% endblock %}'})
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    page = (plan_project.root / "site" / "objectives" / "SO1.html").read_text(encoding="utf-8")
    assert '<meta name="corp" content="yes">' in page
    assert "Grow revenue" in page  # the default layout and content are all there


def test_a_theme_overrides_one_template_and_keeps_the_rest(plan_project):
    with_theme(plan_project, {"404.html": '{% extends "base.html" %}{% block content %}<p>Gone, sorry.</p>'
                                          '{% endblock %}'})
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    assert "Gone, sorry." in (plan_project.root / "site" / "404.html").read_text(encoding="utf-8")
    assert "Grow revenue" in (plan_project.root / "site" / "objectives" / "SO1.html").read_text(encoding="utf-8")


def test_a_missing_theme_is_a_config_error_in_check_and_build(plan_project):
    plan_project.write("stratdocs.yml", plan_project.read("stratdocs.yml") + "theme: nosuch\n")
    for result in (plan_project.check(), plan_project.run("check"), plan_project.run("build", "--no-pdf")):
        assert result.exit_code == 2
    finding = plan_project.check().findings[0] if plan_project.check().findings else None
    assert finding is None or finding["code"] == "config"
    text = plan_project.run("check").stderr
    assert "stratdocs.yml:3:8: error: theme 'nosuch' not found" in text


@pytest.mark.parametrize("template, line, words", [
    ("<p>\n{{ x </p>\n", 2, "does not compile"),
    ("<p>{{ undefined_name }}</p>\n", 1, "undefined_name"),
    ('{% extends "nosuch.html" %}\n', 1, "nosuch.html"),
])
def test_a_template_mistake_is_located_and_never_an_internal_error(plan_project, template, line, words):
    with_theme(plan_project, {"objective.html": template})
    result = plan_project.run("build", "--no-pdf")
    assert result.exit_code == 1, result.stderr
    assert f"themes/corp/templates/objective.html:{line}" in result.stderr
    assert words in result.stderr and "internal error" not in result.stderr
    assert not (plan_project.root / "site").exists()  # nothing published
    checked = plan_project.check()
    assert checked.exit_code == 1
    assert [(f["file"], f["line"], f["code"]) for f in checked.findings] == [
        ("themes/corp/templates/objective.html", line, "template")]


@pytest.mark.parametrize("name", ["style.css", "pdf.css"])
def test_the_default_stylesheets_parse_without_errors(name):
    """A rule left open (a merge, a typo) silently swallows every rule after it: parse both
    stylesheets as a browser would (tinycss2, WeasyPrint's parser), nested blocks included."""
    import tinycss2
    from stratdocs.theme import BUILTIN

    text = (BUILTIN / "static" / name).read_text(encoding="utf-8")
    problems = []

    def walk(nodes):
        for node in nodes:
            if node.type == "error":
                problems.append((node.source_line, node.message))
            elif node.type == "at-rule" and node.content is not None and node.lower_at_keyword in ("media", "supports"):
                walk(tinycss2.parse_rule_list(node.content, skip_whitespace=True, skip_comments=True))
            elif node.type == "qualified-rule" and "{" in tinycss2.serialize(node.content):
                problems.append((node.source_line, "a rule holds another rule: one was left open above it"))

    walk(tinycss2.parse_stylesheet(text, skip_whitespace=True, skip_comments=True))
    assert problems == []
