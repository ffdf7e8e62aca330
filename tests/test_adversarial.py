"""Attacks a pull request could carry, each proven to fail (docs/threat-model.md).

Contributors are untrusted: they control content/, stratdocs.yml, themes/, a committed cache
and any other file. Every probe here runs the real build or check on a project that carries the
attack and asserts that it failed — and, where a probe could pass by accident (nothing was
built, say), a positive control shows that the probe would have seen the attack succeed.
A future change cannot weaken one of these promises without a test failing here.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment

from conftest import PlanProject
import cachefile
from stratdocs import pipeline
from stratdocs.cache import CACHE_DIR
from stratdocs.errors import OutputError
from stratdocs.links import external
from stratdocs.spreadsheet import csv_cell

CANARY = "stratdocs-canary-3f1a"


def build(project: PlanProject, *args: str):
    """`stratdocs build --no-pdf` through the CLI."""
    return project.run("build", "--no-pdf", *args)


def site_text(project: PlanProject) -> str:
    return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted((project.root / "site").rglob("*")) if p.is_file())


def with_config(project: PlanProject, extra: str) -> None:
    project.write("stratdocs.yml", project.read("stratdocs.yml") + extra)


# --------------------------------------------------------------------------- theme templates


SANDBOX_ESCAPES = [
    "{{ cycler.__init__.__globals__.os.popen('touch CANARY').read() }}",
    "{{ self.__init__.__globals__.__builtins__.open('CANARY', 'w') }}",
    "{{ joiner.__init__.__globals__['os'].system('touch CANARY') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ lipsum.__globals__['os'].popen('touch CANARY') }}",
    "{% set x = site.nav.append(1) %}",
]


@pytest.mark.parametrize("payload", SANDBOX_ESCAPES)
def test_a_theme_template_cannot_run_code(plan_project, payload):
    with_config(plan_project, "theme: corp\n")
    canary = plan_project.root / "CANARY"
    plan_project.write("themes/corp/templates/home.html", payload.replace("CANARY", str(canary)))
    result = build(plan_project)
    assert not canary.exists()
    assert result.exit_code == 1, result.stderr
    assert "themes/corp/templates/home.html" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize("where", ["themes/corp/templates/home.html", "themes/corp/templates/partials/x.html",
                                   "themes/default/templates/home.html"])
def test_any_template_of_the_projects_own_puts_the_whole_theme_in_the_sandbox(plan_project, where):
    """Only a theme whose templates are all stratdocs' own renders unsandboxed (it is our code)."""
    from stratdocs import config as config_mod
    from stratdocs.theme import environment, resolve

    def made() -> jinja2.Environment:
        return environment(resolve(config_mod.load(plan_project.root)))
    if where.startswith("themes/corp"):
        with_config(plan_project, "theme: corp\n")
        plan_project.write("themes/corp/static/corp.css", "body { color: navy; }\n")
    assert not isinstance(made(), SandboxedEnvironment)  # no templates of its own yet
    before = made()
    plan_project.write(where, "<p>{{ site.title }}</p>")
    assert isinstance(made(), SandboxedEnvironment)
    # An environment made before the template arrived does not find it (it reads only ours).
    if where.endswith("home.html"):
        assert "{{ site.title }}" not in before.loader.get_source(before, "home.html")[0]


def test_positive_control_a_theme_template_does_render(plan_project):
    with_config(plan_project, "theme: corp\n")
    plan_project.write("themes/corp/templates/home.html", "<p>{{ site.title }} " + CANARY + "</p>")
    assert build(plan_project).exit_code == 0
    assert CANARY in (plan_project.root / "site" / "index.html").read_text(encoding="utf-8")


def test_a_theme_linked_from_outside_the_project_is_refused(plan_project, tmp_path):
    outside = tmp_path / "elsewhere"
    (outside / "templates").mkdir(parents=True)
    (outside / "templates" / "home.html").write_text(CANARY)
    (plan_project.root / "themes").mkdir()
    (plan_project.root / "themes" / "corp").symlink_to(outside)
    with_config(plan_project, "theme: corp\n")
    result = build(plan_project)
    assert result.exit_code == 2 and "outside the project" in result.stderr
    assert not (plan_project.root / "site").exists()
    assert plan_project.check().exit_code == 2  # check refuses it too


def test_a_template_or_static_file_linked_from_outside_is_not_read(plan_project, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text(CANARY)
    (plan_project.root / "themes" / "corp" / "templates").mkdir(parents=True)
    (plan_project.root / "themes" / "corp" / "static").mkdir(parents=True)
    (plan_project.root / "themes" / "corp" / "static" / "leak.css").symlink_to(secret)
    (plan_project.root / "themes" / "corp" / "templates" / "search.html").symlink_to(secret)
    with_config(plan_project, "theme: corp\n")
    result = build(plan_project)
    assert result.exit_code == 1 and "leaves the project" in result.stderr
    plan_project.remove("themes/corp/templates/search.html")
    assert build(plan_project).exit_code == 0
    assert CANARY not in site_text(plan_project)
    assert not (plan_project.root / "site" / "static" / "leak.css").exists()


# --------------------------------------------------------------------------- the build cache


def _planted_cache(project: PlanProject) -> Path:
    """Build once, then put a script into every cached body, with a freshly computed sha256."""
    assert build(project).exit_code == 0
    path = project.root / CACHE_DIR / "build.json"
    data = cachefile.read(path)
    for entry in data["content"]["bodies"].values():
        entry[0] += f"<script>alert('{CANARY}')</script><p>{CANARY}</p>"
    cachefile.write(path, data, signed=False)  # the old checksum: it no longer matches
    return path


def test_a_planted_cache_never_changes_the_output(plan_project):
    _planted_cache(plan_project)
    assert build(plan_project).exit_code == 0
    assert CANARY not in site_text(plan_project)


def test_a_planted_cache_with_a_valid_signature_still_cannot_add_script(plan_project, monkeypatch):
    """Even a cache signed with this machine's key (written by a process we do not trust, say)
    cannot add script: cached HTML is sanitised again where it re-enters a page."""
    path = _planted_cache(plan_project)
    cachefile.write(path, cachefile.read(path), signed=True)
    assert build(plan_project).exit_code == 0
    text = site_text(plan_project)
    assert "<script>alert" not in text
    assert CANARY in text  # positive control: the cache was used, only its script was dropped


def test_a_signed_cache_cannot_add_script_through_a_kept_view(plan_project):
    """The twins' kept item views (`render.viewmemo`) are data: even signed with this machine's
    key, markup in a view is taken only when it is a chart of the chart cache, and a view only
    with its body as rendered (and sanitised) now. (The load cache's file results hold no
    markup: titles and bodies from it are escaped and sanitised like content.)"""
    assert build(plan_project).exit_code == 0
    path = plan_project.root / CACHE_DIR / "build.json"
    data = cachefile.read(path)
    planted = 0
    for entry in data["content"]["views"]["items"].values():
        # a chart is kept as its key in the chart cache: put markup of its own there instead
        text = re.sub(r'\["s","Markup","[^"]*"\]', f'["s","Markup","<svg><script>alert(\'{CANARY}\')</script></svg>"]',
                      entry[2])
        text = text.replace('"<p>', f'"<script>{CANARY}</script><p>')
        planted += text != entry[2]
        entry[2] = text
    assert planted  # the plan's twins keep views with charts and bodies
    cachefile.write(path, data, signed=True)
    plan_project.write("content/assets/note.txt", "A new asset: the twins are remade, every item as it was.\n")
    assert build(plan_project).exit_code == 0
    text = site_text(plan_project)
    assert f"<script>alert('{CANARY}')" not in text and f"<script>{CANARY}" not in text


def test_a_symlinked_cache_is_neither_read_nor_written(plan_project, tmp_path):
    outside = tmp_path / "outside-cache"
    outside.mkdir()
    (plan_project.root / CACHE_DIR).symlink_to(outside)
    assert build(plan_project).exit_code == 0
    assert list(outside.iterdir()) == []


def test_a_cache_committed_to_git_is_ignored(plan_project):
    assert build(plan_project).exit_code == 0
    git = ["git", "-C", str(plan_project.root)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-f", CACHE_DIR], check=True)
    _planted_cache(plan_project)
    before = (plan_project.root / CACHE_DIR / "build.json").read_bytes()
    assert build(plan_project).exit_code == 0
    assert (plan_project.root / CACHE_DIR / "build.json").read_bytes() == before  # not rewritten either
    assert CANARY not in site_text(plan_project)


# --------------------------------------------------------------------------- published assets


ACTIVE_ASSETS = {
    "content/assets/evil.html": "<script>alert(1)</script>",
    "content/assets/evil.js": "alert(1)",
    "content/assets/evil.xhtml": "<html xmlns='http://www.w3.org/1999/xhtml'><script>alert(1)</script></html>",
    "content/assets/onload.svg": "<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
    "content/assets/script.svg": "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
    "content/assets/link.svg": ("<svg xmlns='http://www.w3.org/2000/svg' xmlns:x='http://www.w3.org/1999/xlink'>"
                                "<a x:href='javascript:alert(1)'><text>x</text></a></svg>"),
    "content/assets/foreign.svg": ("<svg xmlns='http://www.w3.org/2000/svg'><foreignObject><div>"
                                   "</div></foreignObject></svg>"),
    "content/assets/entity.svg": "<!DOCTYPE svg [<!ENTITY a 'b'>]><svg xmlns='http://www.w3.org/2000/svg'/>",
    "content/assets/remote.svg": "<svg xmlns='http://www.w3.org/2000/svg'><image href='http://evil/x.png'/></svg>",
}


@pytest.mark.parametrize("rel", sorted(ACTIVE_ASSETS))
def test_assets_that_can_run_script_are_not_published(plan_project, rel):
    plan_project.write(rel, ACTIVE_ASSETS[rel])
    plan_project.write("content/assets/ok.svg", "<svg xmlns='http://www.w3.org/2000/svg'><rect width='1' "
                                                "height='1'/></svg>")
    plan_project.write("content/assets/ok.png", b"\x89PNG\r\n\x1a\n")
    result = plan_project.check()
    warned = [f for f in result.findings if f["code"] == "asset"]
    assert [(f["file"], f["severity"]) for f in warned] == [(rel, "warning")]
    assert build(plan_project).exit_code == 0
    published = plan_project.root / "site" / "assets"
    assert not (published / Path(rel).name).exists()
    assert (published / "ok.svg").is_file() and (published / "ok.png").is_file()  # positive control


def test_switching_the_asset_warning_off_still_does_not_publish(plan_project):
    plan_project.write("content/assets/evil.html", "<script>alert(1)</script>")
    with_config(plan_project, "checks: {asset: false}\n")
    assert plan_project.check().findings == []
    assert build(plan_project).exit_code == 0
    assert not (plan_project.root / "site" / "assets" / "evil.html").exists()


def test_a_link_to_an_unpublished_asset_is_a_located_error(plan_project):
    plan_project.write("content/assets/evil.html", "<script>alert(1)</script>")
    plan_project.edit("content/pages/notes.md" if plan_project.path("content/pages/notes.md").exists()
                      else "content/objectives/SO1.md", "Why growth matters.",
                      "Why growth matters. [see](../assets/evil.html)")
    finding = plan_project.check().only("broken-ref")
    assert "not published" in finding["message"]


# --------------------------------------------------------------------------- spreadsheets


FORMULAS = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(formula):
    assert csv_cell(formula) == "'" + formula
    assert csv_cell("Grow revenue") == "Grow revenue" and csv_cell(-5) == -5  # data passes unchanged


def test_formulas_in_titles_never_reach_a_spreadsheet_as_formulas(plan_project, tmp_path):
    plan_project.edit("content/objectives/SO1.md", "title: Grow revenue", "title: '=HYPERLINK(\"http://e\",\"x\")'")
    plan_project.edit("content/operations/ops.md", "title: Publish the partner terms", "title: '@SUM(1+1)'")
    assert build(plan_project).exit_code == 0
    matrix = (plan_project.root / "site" / "matrices" / "objectives-operations.csv").read_text(encoding="utf-8")
    cells = [cell for row in csv.reader(io.StringIO(matrix)) for cell in row]
    assert "'=HYPERLINK(\"http://e\",\"x\")" in cells and not any(c.startswith("=") for c in cells)
    exported = plan_project.run("export", "--format", "csv").stdout
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert "'@SUM(1+1)" in cells and not any(c.startswith(("=", "@", "+")) for c in cells)
    from openpyxl import load_workbook

    out = tmp_path / "plan.xlsx"
    assert plan_project.run("export", "--format", "xlsx", "-o", str(out)).exit_code == 0
    book = load_workbook(out)
    values = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    formulas = [c for c in values if c.data_type == "f"]
    assert formulas == []
    assert any(c.value == "=HYPERLINK(\"http://e\",\"x\")" for c in values)  # visible text kept


# --------------------------------------------------------------------------- output folder


def test_temporary_folders_of_a_killed_build_are_removed(plan_project):
    parent = plan_project.root
    stale = parent / ".site.tmp-killed"
    stale.mkdir()
    (stale / ".stratdocs-build-pid").write_text("999999999")
    (stale / "index.html").write_text("half")
    old = parent / ".site.old-killed"
    old.mkdir()
    assert build(plan_project).exit_code == 0
    assert not stale.exists() and not old.exists()
    assert sorted(p.name for p in parent.iterdir() if p.name.startswith(".site")) == []


def test_a_running_build_keeps_its_temporary_folder(plan_project):
    busy = plan_project.root / ".site.tmp-busy"
    busy.mkdir()
    (busy / ".stratdocs-build-pid").write_text(str(os.getppid()))  # a live process
    assert build(plan_project).exit_code == 0
    assert busy.exists()


def test_a_full_disk_is_a_clear_message_and_the_site_stays(plan_project, monkeypatch):
    assert build(plan_project).exit_code == 0
    index = (plan_project.root / "site" / "index.html").read_bytes()
    real = Path.write_bytes

    def full(self, data):
        if ".site.tmp-" in str(self) and self.name.endswith(".html"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, data)
    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match="no space left on device while writing"):
        pipeline.build(plan_project.root, pdf=False, use_cache=False)
    monkeypatch.undo()
    assert (plan_project.root / "site" / "index.html").read_bytes() == index
    result = subprocess.run([sys.executable, "-c", "import sys; from stratdocs.cli import main; main()",
                             "-C", str(plan_project.root), "build", "--no-pdf"], capture_output=True, text=True)
    assert result.returncode == 0


# --------------------------------------------------------------------------- stratdocs.yml: Markdown extensions


def _canary_module(project: PlanProject) -> Path:
    """A Python module in the project that leaves a canary when imported."""
    canary = project.root / "CANARY"
    project.write("evilmod.py", f"open({str(canary)!r}, 'w').write('ran')\n")
    return canary


EXTENSION_ATTACKS = {
    "popen": "markdown:\n  extensions: ['subprocess:Popen']\n  options: {'subprocess:Popen': {args: 'touch CANARY', "
             "shell: true}}\n",
    "os": "markdown: {extensions: [os]}\n",
    "missing": "markdown: {extensions: [no_such_ext]}\n",
    "project-module": "markdown: {extensions: [evilmod]}\n",
    "prefixed-module": "markdown: {extensions: [markdown.extensions.evilmod]}\n",
    "dotted-path": "markdown: {extensions: ['markdown.extensions.toc:TocExtension']}\n",
    "relative": "markdown: {extensions: ['..evilmod']}\n",
    "codehilite": "markdown: {extensions: [codehilite]}\n",
    "not-text": "markdown: {extensions: [{os: 1}]}\n",
    "options-only": "markdown: {options: {evilmod: {x: 1}}}\n",
    "extension-configs": "markdown: {options: {toc: {extension_configs: {evilmod: {}}}}}\n",
    "callable-option": "markdown: {options: {toc: {slugify: 'os:system'}}}\n",
    "option-type": "markdown: {extensions: [smarty], options: {smarty: {smart_dashes: [1]}}}\n",
    "option-mapping": "markdown: {options: {footnotes: {BACKLINK_TEXT: {a: 1}}}}\n",
    "option-range": "markdown: {options: {toc: {baselevel: 99}}}\n",
    "options-not-enabled": "markdown: {options: {smarty: {smart_dashes: true}}}\n",
}


@pytest.mark.parametrize("name", sorted(EXTENSION_ATTACKS))
def test_markdown_extensions_come_only_from_the_allow_list(plan_project, name):
    canary = _canary_module(plan_project)
    with_config(plan_project, EXTENSION_ATTACKS[name].replace("CANARY", str(canary)))
    for result in (plan_project.check("--format", "text"), build(plan_project)):
        assert result.exit_code == 2, result.stdout + result.stderr
        assert "stratdocs.yml:" in result.stdout + result.stderr
        assert "internal error" not in result.stderr
    assert not canary.exists()
    assert not (plan_project.root / "site").exists()


def test_positive_control_allowed_extensions_and_options_work(plan_project):
    canary = _canary_module(plan_project)
    with_config(plan_project, "markdown:\n  extensions: [markdown.extensions.abbr, smarty]\n"
                              "  options: {smarty: {smart_dashes: true}, toc: {permalink: true}}\n")
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.",
                      "## Why\n\nWhy HTML growth matters -- now.\n\n*[HTML]: Hypertext")
    assert plan_project.check().findings == []
    assert build(plan_project).exit_code == 0
    page = (plan_project.root / "site" / "objectives" / "SO1.html").read_text(encoding="utf-8")
    assert "<abbr" in page and ("&ndash;" in page or "\u2013" in page)
    assert 'class="headerlink"' in page
    assert not canary.exists()


def test_the_renderer_itself_refuses_an_extension_outside_the_allow_list(tmp_path):
    """Defence in depth: a Config made in code (not read from stratdocs.yml) cannot import one either."""
    from stratdocs.errors import ContentError
    from stratdocs.render.markdown import MarkdownRenderer

    with pytest.raises(ContentError, match="not allowed"):
        MarkdownRenderer(("subprocess",), {}, "sanitize", {}, {}, "content", frozenset())


# --------------------------------------------------------------------------- stratdocs.yml: base_url


BAD_BASE_URLS = ["javascript:alert(1)//", "JavaScript:alert(1)", "data:text/html,<script>x</script>",
                 "vbscript:msgbox(1)", "//evil.example/", "http://", "https:/no-host", "ftp://host/",
                 "https://host/\"><script>", " https://host/", "file:///etc/passwd"]


@pytest.mark.parametrize("url", BAD_BASE_URLS)
def test_base_url_must_be_http_or_https_with_a_host(plan_project, url):
    with_config(plan_project, f"base_url: {json.dumps(url)}\n")
    for result in (plan_project.check("--format", "text"), build(plan_project)):
        assert result.exit_code == 2
        assert "stratdocs.yml:3:" in result.stdout + result.stderr and "base_url" in result.stdout + result.stderr
    assert not (plan_project.root / "site").exists()


def test_positive_control_an_https_base_url_is_the_canonical_link(plan_project):
    with_config(plan_project, "base_url: https://intranet.example.com/strategy\n")
    assert build(plan_project).exit_code == 0
    assert "https://intranet.example.com/strategy/" in (plan_project.root / "site" / "index.html").read_text()


# --------------------------------------------------------------------------- what a reader's browser loads


TRACKER = "tracker.example"
#: Ways a body could make a reader's browser fetch from outside the site; `True`: an image
#: the check reports (`external-image`), `False`: markup the sanitiser drops without a word.
OUTSIDE_FETCHES = {
    "markdown": ("![pixel](https://tracker.example/p.png)", True),
    "titled": ("![pixel](<https://tracker.example/p.png> \"t\")", True),
    "reference": ("![pixel][t]\n\n[t]: https://tracker.example/p.png", True),
    "shortcut-reference": ("![T]\n\n[t]: //tracker.example/p.png", True),
    "protocol-relative": ("![pixel](//tracker.example/p.png)", True),
    "raw-img": ("<img src=\"https://tracker.example/p.png\" alt=\"x\">", True),
    "raw-img-unquoted": ("<IMG SRC=https://tracker.example/p.png>", True),
    "picture": ("<picture><source srcset=\"https://tracker.example/p.png\"><img src=\"https://tracker.example/"
                "q.png\"></picture>", True),
    "tab-in-scheme": ("<img src=\"ht\ttps://tracker.example/p.png\">", True),
    "entity-in-scheme": ("<img src=\"&#104;ttps://tracker.example/p.png\">", True),
    "leading-space": ("<img src=\" //tracker.example/p.png\">", True),
    "srcset": ("<img srcset=\"https://tracker.example/p.png 2x\" src=\"../assets/ok.png\">", False),
    "style": ("<span style=\"background:url(https://tracker.example/p.png)\">x</span>", False),
    "svg-image": ("<svg><image href=\"https://tracker.example/p.png\"/></svg>", False),
    "video-poster": ("<video poster=\"https://tracker.example/p.png\"></video>", False),
    "input-image": ("<input type=\"image\" src=\"https://tracker.example/p.png\">", False),
    "stylesheet": ("<link rel=\"stylesheet\" href=\"https://tracker.example/p.css\">", False),
    "iframe": ("<iframe src=\"https://tracker.example/\"></iframe>", False),
    "object": ("<object data=\"https://tracker.example/p.swf\"></object>", False),
    "background": ("<table background=\"https://tracker.example/p.png\"><tr><td>x</td></tr></table>", False),
}


def _outside_references(html: str) -> list[tuple[str, str]]:
    """(tag, attribute) of every attribute in `html` that names the tracker, other than a link's href."""
    from html.parser import HTMLParser

    found = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, name) for name, value in attrs
                         if TRACKER in (value or "") and (tag, name) != ("a", "href")
                         and ((tag, name) != ("img", "src") or external(value)))

    Scan().feed(html)
    return found


def _so1_page(project: PlanProject) -> str:
    return (project.root / "site" / "objectives" / "SO1.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(OUTSIDE_FETCHES))
def test_nothing_in_a_body_loads_from_outside_the_site(plan_project, name):
    markup, warned = OUTSIDE_FETCHES[name]
    plan_project.write("content/assets/ok.png", b"\x89PNG\r\n\x1a\n")
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.", "Why growth matters.\n\n" + markup)
    result = plan_project.check()
    assert result.exit_code == 0
    images = [f for f in result.findings if f["code"] == "external-image"]
    assert bool(images) == warned, result.findings
    assert all(f["file"] == "content/objectives/SO1.md" and f["line"] >= 11 for f in images)
    assert build(plan_project).exit_code == 0
    page = _so1_page(plan_project)
    assert _outside_references(page) == []
    if warned and name != "tab-in-scheme":  # Markdown turns that tab into spaces: a relative path then
        assert re.search(r'<a href="\s*(https:)?//' + TRACKER, page)  # kept, as a plain link


def test_positive_control_a_published_image_stays_an_image(plan_project):
    plan_project.write("content/assets/ok.png", b"\x89PNG\r\n\x1a\n")
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.",
                      "![chart](../assets/ok.png) <img src=\"https://tracker.example/p.png\">")
    assert build(plan_project).exit_code == 0
    page = _so1_page(plan_project)
    assert '<img src="../assets/ok.png" alt="chart">' in page or 'src="../assets/ok.png"' in page
    assert _outside_references('<img src="https://tracker.example/p.png">') == [("img", "src")]  # the scan sees one


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "vbscript:msgbox(1)",
                                  "data:text/html;base64,PHNjcmlwdD4=", "java\tscript:alert(1)"])
def test_links_with_script_schemes_lose_their_target(plan_project, href):
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.",
                      f"[md]({href}) <a href=\"{href}\">raw</a> [ok](https://example.com/)")
    assert build(plan_project).exit_code == 0
    page = _so1_page(plan_project)
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert not [h for h in hrefs if h.lower().replace("\t", "").startswith(("javascript", "vbscript", "data"))]
    assert "https://example.com/" in hrefs  # positive control


CLOBBERING = {
    "raw-id": "<div id=\"STRATDOCS_SEARCH\">x</div>",
    "raw-class": "<p class=\"page-header site-nav\">x</p>",
    "attr-list": "A paragraph.\n{: #STRATDOCS_SEARCH .page-header }",
    "heading-attr": "## Heading {#STRATDOCS_SEARCH .page-header}",
    "anchor-name": "<a name=\"STRATDOCS_SEARCH\">x</a>",
    "img-name": "<img name=\"STRATDOCS_SEARCH\" src=\"../assets/ok.png\">",
    "form": "<form id=\"STRATDOCS_SEARCH\" name=\"STRATDOCS_SEARCH\"><input name=\"q\"></form>",
    "admonition-class": "!!! page-header \"Title\"\n    spoof",
    "legacy-attrs": "Text {@id=STRATDOCS_SEARCH} {@class=page-header}",
    "md-in-html": "<div markdown=\"1\" id=\"STRATDOCS_SEARCH\" class=\"page-header\">*x*</div>",
}


@pytest.mark.parametrize("name", sorted(CLOBBERING))
def test_contributor_ids_and_classes_cannot_clobber_or_spoof_the_theme(plan_project, name):
    with_config(plan_project, "markdown: {extensions: [legacy_attrs, md_in_html]}\n")
    plan_project.write("content/assets/ok.png", b"\x89PNG\r\n\x1a\n")
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.", "Why growth matters.\n\n" + CLOBBERING[name])
    assert build(plan_project).exit_code == 0
    page = _so1_page(plan_project)
    body = page[page.index("Why growth matters."):]
    assert "STRATDOCS_SEARCH" not in page
    assert not re.search(r'class="[^"]*(page-header|site-nav)', body)


def test_attribute_syntax_cannot_add_handlers_or_styles(plan_project):
    with_config(plan_project, "markdown: {extensions: [legacy_attrs]}\n")
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.",
                      "Why growth matters. {@onclick=alert(1)}\n{: onmouseover=\"alert(1)\" "
                      "style=\"background:url(https://tracker.example/p.png)\" }")
    assert build(plan_project).exit_code == 0
    page = _so1_page(plan_project)
    assert "alert(1)" not in page.replace("{@onclick=alert(1)}", "") and TRACKER not in page


def test_positive_control_generated_anchors_stay(plan_project):
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.",
                      "## Market size\n\nText[^1] and [[SO1]].\n\n!!! note\n    n\n\n[^1]: This is a footnote.")
    assert plan_project.check().findings == []  # a footnote is not a broken link (issue 10, item 13)
    assert build(plan_project).exit_code == 0
    page = _so1_page(plan_project)
    for generated in ('id="market-size"', 'id="fn:1"', 'href="#fn:1"', 'id="fnref:1"', 'class="footnote-ref"',
                      'class="admonition note"', "wikilink"):
        assert generated in page, generated


# --------------------------------------------------------------------------- inputs that crash or hang


HEAVY_BODIES = {
    "underscores": "_" * 50000 + "x" + "_" * 50000,
    "stars": "*" * 50000 + "x" + "*" * 50000,
    "nested-emphasis": "*a " * 3000 + "b" + " a*" * 3000,
    "open-links": "[a](" * 30000,
    "brackets": "[" * 100000,
    "images": "![" * 50000,
    "quotes": ">" * 100000 + " x",
    "html": "<div>" * 50000,
    "lists": "".join(" " * (2 * i) + "- x\n" for i in range(400)),
    "entities": "&#x41;" * 50000,
    "escapes": "\\" * 100000,
    "huge-body": "word " * 420000,
}


@pytest.mark.parametrize("name", sorted(HEAVY_BODIES))
def test_a_body_that_would_crash_or_hang_the_renderer_is_a_located_error_in_check_and_build(plan_project, name):
    import time

    plan_project.edit("content/objectives/SO1.md", "Why growth matters.", "Why growth matters.\n\n" + HEAVY_BODIES[name])
    for command in (lambda: plan_project.check("--format", "text"), lambda: build(plan_project)):
        started = time.perf_counter()
        result = command()
        assert time.perf_counter() - started < 10
        assert result.exit_code == 1, result.stdout + result.stderr
        located = re.search(r"content/objectives/SO1\.md:(\d+):\d+: error", result.stdout + result.stderr)
        assert located and int(located[1]) >= (8 if name == "huge-body" else 11)  # in the body, not its heading
        assert "internal error" not in result.stderr
    assert not (plan_project.root / "site").exists()


HEAVY_BUT_FINE = {
    "hr-and-blanks": "Name: ________________________\n\n" + "_" * 300 + "\n\n" + "*" * 300,
    "many-links": " ".join(f"[link {i}](https://example.com/{i})" for i in range(3000)),
    "snake-case": " ".join(["a_long_snake_case_name"] * 3000) + " 2 * 3 * 4 " * 300,
    "bold-list": "\n".join(f"* **item {i}** with *emphasis* and `code [`" for i in range(3000)),
    "long-heading-line": "# Title" + " " * 50000 + "x",
    "big-table": "| a | b |\n|---|---|\n" + "".join(f"| *x{i}* | [[SO1]] & `c` |\n" for i in range(3000)),
    "code": "```\n" + "[" * 50000 + "\n" + "_" * 5000 + "x" + "_" * 5000 + "\n```\n\n`" + "*" * 30000 + "`",
}


@pytest.mark.parametrize("name", sorted(HEAVY_BUT_FINE))
def test_positive_control_large_ordinary_bodies_still_build(plan_project, name):
    plan_project.edit("content/objectives/SO1.md", "Why growth matters.", "Why growth matters.\n\n" + HEAVY_BUT_FINE[name])
    assert [f for f in plan_project.check().findings if f["severity"] == "error"] == []
    assert build(plan_project).exit_code == 0


def test_the_renderer_turns_recursion_into_a_located_error():
    """Defence in depth behind the check: whatever still recurses names its file, not a traceback."""
    from stratdocs.config import DEFAULT_EXTENSIONS
    from stratdocs.errors import ContentError
    from stratdocs.render.markdown import MarkdownRenderer

    renderer = MarkdownRenderer(DEFAULT_EXTENSIONS, {}, "sanitize", {}, {}, "content", frozenset())
    with pytest.raises(ContentError, match="content/x.md: the Markdown body is nested too deeply"):
        renderer.render("*" * 5000 + "x" + "*" * 5000, "content/x.md")


def test_a_number_too_large_for_a_float_is_a_located_error(plan_project):
    plan_project.edit("content/kpis/K-OPS.md", "value: 9}", "value: 9e999}")
    finding = plan_project.check().only("schema")
    assert (finding["file"], finding["line"]) == ("content/kpis/K-OPS.md", 10)
    assert "too large" in finding["message"]


@pytest.mark.parametrize("where", ["config", "front matter"])
def test_a_5000_digit_integer_is_a_located_error(plan_project, where):
    big = "9" * 5000
    if where == "config":
        with_config(plan_project, f"status: {{green: {big}}}\n")
    else:
        plan_project.edit("content/objectives/SO1.md", "owner: CEO", f"owner: CEO\nx-big: {big}")
    result = plan_project.check("--format", "text")
    assert result.exit_code in (1, 2) and "internal error" not in result.stderr
    assert ("stratdocs.yml:3" if where == "config" else "content/objectives/SO1.md:6:8") in result.stdout + result.stderr


# --------------------------------------------------------------------------- content and config symlinks


def _outside_copy(tmp_path: Path) -> PlanProject:
    """A valid plan outside the project whose pages carry the canary (what a link would leak)."""
    outside = PlanProject(tmp_path / "outside")
    outside.edit("content/pages/about.md", "Read [[SO1]] first", f"{CANARY} Read [[SO1]] first")
    return outside


def test_positive_control_content_with_the_canary_is_published(tmp_path):
    outside = _outside_copy(tmp_path)
    assert build(outside).exit_code == 0 and CANARY in site_text(outside)


def test_a_content_folder_linked_from_outside_is_refused(plan_project, tmp_path):
    outside = _outside_copy(tmp_path)
    os.rename(plan_project.path("content"), tmp_path / "moved")
    plan_project.path("content").symlink_to(outside.path("content"))
    result = plan_project.check()
    assert result.exit_code == 1
    refused = [f for f in result.findings if "outside the project" in f["message"]]
    assert [(f["file"], f["line"], f["code"]) for f in refused] == [("content", 1, "schema")]
    assert build(plan_project).exit_code == 1
    assert not plan_project.path("site").exists()


def test_a_content_subfolder_linked_from_outside_is_refused(plan_project, tmp_path):
    outside = _outside_copy(tmp_path)
    plan_project.path("content/pages/more").symlink_to(outside.path("content/pages"))
    result = plan_project.check()
    assert result.exit_code == 1
    finding = result.only("schema")
    assert (finding["file"], finding["line"]) == ("content/pages/more", 1)
    assert "symlink that points outside the project" in finding["message"]


def test_a_content_folder_linked_inside_the_project_still_works(plan_project):
    os.rename(plan_project.path("content"), plan_project.path("src"))
    plan_project.path("content").symlink_to("src")
    assert plan_project.check().exit_code == 0


@pytest.mark.parametrize("target", ["secret.yml", "missing.yml"])
def test_a_config_linked_from_outside_is_refused(plan_project, tmp_path, target):
    secret = tmp_path / "secret.yml"
    secret.write_text(f"title: {CANARY}\nas_of: 2026-11-15\n", encoding="utf-8")
    plan_project.remove("stratdocs.yml")
    plan_project.path("stratdocs.yml").symlink_to(tmp_path / target)
    result = plan_project.check("--format", "text")
    assert result.exit_code == 2
    assert "stratdocs.yml:1:1: error: stratdocs.yml is a symlink that points outside the project" in result.stderr
    assert CANARY not in result.stdout + result.stderr
    assert build(plan_project).exit_code == 2 and not plan_project.path("site").exists()


def test_positive_control_the_same_config_inside_is_read(plan_project):
    plan_project.write("stratdocs.yml", f"title: {CANARY}\nas_of: 2026-11-15\n")
    assert build(plan_project).exit_code == 0 and CANARY in site_text(plan_project)


@pytest.mark.parametrize("name", ["../../outside", "..", "/etc/passwd", "index", "C:\\\\Windows\\\\x", "%2e%2e%2fup",
                                  "　", "owner"])
def test_an_owner_name_cannot_write_outside_the_owners_pages(plan_project, name):
    """Owner names become file names of owner pages: they stay ASCII slugs inside site/owners/,
    never the owners index's path, never a path of their own choosing."""
    plan_project.edit("content/initiatives/I1.md", "owner: COO", f"owner: {json.dumps(name)}")
    out = plan_project.root / "site"
    result = plan_project.run("build", "--no-pdf", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    outside = [p for p in plan_project.root.rglob("*.html") if out not in p.parents]
    assert outside == []
    pages = sorted(p.relative_to(out).as_posix() for p in (out / "owners").iterdir())
    assert all(re.fullmatch(r"owners/[a-z0-9-]+\.html", p) for p in pages), pages
    assert "<h1>Owners</h1>" in (out / "owners/index.html").read_text(encoding="utf-8")
    holding = [p for p in pages if p != "owners/index.html" and
               'href="../initiatives/I1.html"' in (out / p).read_text(encoding="utf-8")]
    assert len(holding) == (1 if name.strip() else 0), holding  # a blank name is no owner
