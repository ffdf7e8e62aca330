"""The shipped catalogs are complete and current: every message of the templates and view
models has a German and a French translation, and no catalog keeps a message the source no
longer has. `stratdocs messages` lists what a language lacks and writes a catalog to fill in."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from stratdocs import i18n, messages
from stratdocs.theme import BUILTIN, Theme

SHIPPED = ("de", "fr")
THEME = Theme((BUILTIN,), BUILTIN.parent)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_has_a_translation(language):
    lacking = messages.missing(THEME, language)
    assert not lacking, f"{len(lacking)} messages have no '{language}' translation, e.g. " + "; ".join(
        f"{m.places[0]}: {m.msgid}" for m in lacking[:10]) + f" (run: stratdocs messages -l {language} -o " \
        f"themes/default/locales/{language}.po)"


@pytest.mark.parametrize("language", SHIPPED)
def test_no_catalog_keeps_messages_the_source_no_longer_has(language):
    source = messages.source_messages(THEME)
    files = i18n.catalog_files(THEME, language)
    assert files, f"no '{language}' catalog is shipped"
    seen: dict = {}
    for path in files:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for m in catalog:
            if not m.id:
                continue
            key = (m.context or "", m.id[0] if isinstance(m.id, tuple) else m.id)
            assert key in source, f"{path.name} has a message no template or view uses: {key[1]!r}"
            if key in seen:  # kept in two parts of the catalog: they must agree
                assert seen[key][1] == m.string, f"{key[1]!r} is translated differently in {seen[key][0]} and {path.name}"
            seen[key] = (path.name, m.string)


PAGE = '{% extends "default/search.html" %}{% block content %}<p>{{ _("Plan of the city") }}</p>' \
       '<p>{{ _("Districts") }}</p>{% endblock %}\n'


def test_messages_lists_what_a_language_lacks_and_writes_a_catalog(plan_project):
    plan_project.edit("stratdocs.yml", "as_of:", "theme: city\nlanguage: nl\nas_of:")
    plan_project.write("themes/city/templates/search.html", PAGE)
    result = plan_project.run("messages")
    assert result.exit_code == 0
    assert "templates/search.html:1: Plan of the city" in result.stdout
    assert "have no 'nl' translation" in result.stdout + result.stderr
    result = plan_project.run("messages", "-o", "themes/city/locales/nl.po")
    assert result.exit_code == 0, result.stderr
    written = plan_project.read("themes/city/locales/nl.po")
    assert 'msgid "Plan of the city"' in written and 'msgid "Districts"' in written
    plan_project.write("themes/city/locales/nl.po", written.replace(
        'msgid "Plan of the city"\nmsgstr ""', 'msgid "Plan of the city"\nmsgstr "Plan van de stad"'))
    result = plan_project.run("messages")
    assert "Plan of the city" not in result.stdout and "Districts" in result.stdout
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    assert "<p>Plan van de stad</p><p>Districts</p>" in plan_project.read("site/search.html")
    # writing again keeps the translation
    assert plan_project.run("messages", "-o", "themes/city/locales/nl.po").exit_code == 0
    assert 'msgstr "Plan van de stad"' in plan_project.read("themes/city/locales/nl.po")


def test_messages_refuses_a_language_babel_does_not_know(plan_project):
    result = plan_project.run("messages", "--language", "klingon-xx")
    assert result.exit_code == 2
    assert "not a language Babel knows" in result.stdout + result.stderr


def test_every_kind_label_is_marked_for_translation():
    from stratdocs.model import KIND_LABELS
    from stratdocs.render.views import interface
    assert {w for pair in KIND_LABELS.values() for w in pair} <= set(interface._KIND_WORDS)
