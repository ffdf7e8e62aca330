"""Message catalogs: a theme's `locales/LANG.po` translates `_()` in templates for the plan's
`language`; project themes override the built-in catalog, territories override languages,
fuzzy or missing entries stay English, and a broken or outside catalog is a located error."""

from __future__ import annotations

import os

import pytest

PAGE = """\
{% extends "default/search.html" %}
{#- "Read the plan" is a message no built-in catalog has, so what the test theme gives is what shows. -#}
{% block content %}<p class="probe">{{ _("Read the plan") }} · {{ ngettext("%(num)d leaf", "%(num)d leaves", 3) }}</p>{% endblock %}
"""


def po(entries: dict, fuzzy: tuple = ()) -> str:
    out = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=UTF-8\\n"',
           '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"', ""]
    for msgid, msgstr in entries.items():
        if msgid in fuzzy:
            out.append("#, fuzzy")
        if isinstance(msgid, tuple):
            out += [f'msgid "{msgid[0]}"', f'msgid_plural "{msgid[1]}"',
                    f'msgstr[0] "{msgstr[0]}"', f'msgstr[1] "{msgstr[1]}"', ""]
        else:
            out += [f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""]
    return "\n".join(out)


@pytest.fixture
def themed(plan_project):
    plan_project.edit("stratdocs.yml", "as_of:", "theme: corp\nlanguage: de\nas_of:")
    plan_project.write("themes/corp/templates/search.html", PAGE)
    return plan_project


def probe(project) -> str:
    html = project.path("site/search.html").read_text(encoding="utf-8")
    return html.split('<p class="probe">', 1)[1].split("</p>", 1)[0]


def build(project) -> None:
    result = project.run("build", "--no-pdf")
    assert result.exit_code == 0, result.stdout + result.stderr


def test_a_theme_catalog_translates_its_templates(themed):
    themed.write("themes/corp/locales/de.po", po({"Read the plan": "Den Plan durchsuchen",
                                                   ("%(num)d leaf", "%(num)d leaves"): ("%(num)d Blatt", "%(num)d Blätter")}))
    build(themed)
    assert probe(themed) == "Den Plan durchsuchen · 3 Blätter"


def test_without_a_catalog_the_interface_stays_english(themed):
    build(themed)
    assert probe(themed) == "Read the plan · 3 leaves"


def test_fuzzy_entries_stay_english_and_territories_override(themed):
    themed.write("themes/corp/locales/de.po", po({"Read the plan": "Plan durchsuchen",
                                                   ("%(num)d leaf", "%(num)d leaves"): ("%(num)d Blatt", "%(num)d Blätter")},
                                                  fuzzy=("Read the plan",)))
    build(themed)
    assert probe(themed) == "Read the plan · 3 Blätter"
    themed.edit("stratdocs.yml", "language: de", "language: de-AT")
    themed.write("themes/corp/locales/de_AT.po", po({"Read the plan": "Im Plan suchen"}))
    build(themed)
    assert probe(themed) == "Im Plan suchen · 3 Blätter"


def test_translations_are_escaped_like_every_text(themed):
    themed.write("themes/corp/locales/de.po", po({"Read the plan": "Suche &amp; <b>mehr</b>"}))
    build(themed)
    assert probe(themed) == "Suche &amp;amp; &lt;b&gt;mehr&lt;/b&gt; · 3 leaves"


def test_a_broken_catalog_is_a_located_error_in_check_and_build(themed):
    themed.write("themes/corp/locales/de.po", 'msgid "Read the plan"\nmsgstr "Suchen"\nmsgid\n')
    result = themed.check()
    assert result.exit_code == 1
    found = result.only("template")
    assert found["file"] == "themes/corp/locales/de.po" and found["line"] == 3
    result = themed.run("build", "--no-pdf")
    assert result.exit_code == 1 and "themes/corp/locales/de.po:3" in result.stdout + result.stderr


def test_a_catalog_linked_from_outside_the_project_is_refused(themed, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "de.po"
    outside.write_text(po({"Read the plan": "Gestohlen"}), encoding="utf-8")
    (themed.path("themes/corp/locales")).mkdir(parents=True)
    os.symlink(outside, themed.path("themes/corp/locales/de.po"))
    found = themed.check().only("template")
    assert "leaves the project" in found["message"]


def test_a_language_can_be_split_into_several_catalog_files(themed):
    themed.write("themes/corp/locales/de/search.po", po({"Read the plan": "Den Plan durchsuchen"}))
    themed.write("themes/corp/locales/de/counts.po",
                 po({("%(num)d leaf", "%(num)d leaves"): ("%(num)d Blatt", "%(num)d Blätter")}))
    build(themed)
    assert probe(themed) == "Den Plan durchsuchen · 3 Blätter"
