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
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PlanProject
from stratdocs import pipeline
from stratdocs.cache import CACHE_DIR
from stratdocs.errors import OutputError
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
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data["content"]["bodies"].values():
        entry[0] += f"<script>alert('{CANARY}')</script><p>{CANARY}</p>"
    import hashlib
    payload = json.dumps(data["content"], sort_keys=True, ensure_ascii=False)
    data["checksum"] = hashlib.sha256(payload.encode() + b"\0").hexdigest()
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_a_planted_cache_never_changes_the_output(plan_project):
    _planted_cache(plan_project)
    assert build(plan_project).exit_code == 0
    assert CANARY not in site_text(plan_project)


def test_a_planted_cache_with_a_valid_signature_still_cannot_add_script(plan_project, monkeypatch):
    """Even a cache signed with this machine's key (written by a process we do not trust, say)
    cannot add script: cached HTML is sanitised again where it re-enters a page."""
    from stratdocs import cache as cache_mod

    path = _planted_cache(plan_project)
    data = json.loads(path.read_text(encoding="utf-8"))
    payload = json.dumps(data["content"], sort_keys=True, ensure_ascii=False)
    data["checksum"] = cache_mod._sign(payload)
    path.write_text(json.dumps(data), encoding="utf-8")
    assert build(plan_project).exit_code == 0
    text = site_text(plan_project)
    assert "<script>alert" not in text
    assert CANARY in text  # positive control: the cache was used, only its script was dropped


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
