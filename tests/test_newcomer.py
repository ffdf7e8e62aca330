"""A new user's first hour (issue 9), through the real entry point: where commands look for the
project, what they print, the exit codes, and the located messages for the usual first mistakes."""

from __future__ import annotations

import datetime as dt
import http.client
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import PlanProject, run_module, runner as cli_runner
from stratdocs.cli import cli
from stratdocs.serve import server as server_mod
from stratdocs.serve.server import Broadcaster, make_server

NOT_A_PROJECT = "not a stratdocs project (run `stratdocs init` or use -C)"


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))


# --------------------------------------------------------------------------- finding the project


def test_new_in_a_subfolder_writes_into_the_projects_content(plan_project):
    here = plan_project.path("content/objectives")
    proc = run_module("new", "kpi", "K9", cwd=here)
    assert proc.returncode == 0, proc.stderr
    assert plan_project.path("content/kpis/K9.md").is_file()
    assert not (here / "content").exists()


@pytest.mark.parametrize("args", [("new", "kpi", "K1"), ("check",), ("build", "--no-pdf"), ("build",)])
def test_outside_a_project_commands_say_so_and_write_nothing(tmp_path, args):
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = run_module(*args, cwd=empty)
    assert proc.returncode == 2
    assert NOT_A_PROJECT in proc.stderr
    assert tree(empty) == []


def test_global_options_after_the_command(plan_project, tmp_path):
    quiet = run_module("build", "-q", "--no-pdf", cwd=plan_project.root)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert plan_project.path("site/index.html").is_file()
    checked = run_module("check", "-C", "plan", cwd=plan_project.root.parent)
    assert checked.returncode == 0 and "No problems found" in checked.stdout + checked.stderr


# --------------------------------------------------------------------------- init


@pytest.mark.parametrize("target", ["plans/new", "with space", "."])
def test_the_next_command_init_prints_works_from_where_the_user_stands(tmp_path, target):
    here = tmp_path / "here"
    here.mkdir()
    proc = run_module("init", target, cwd=here)
    assert proc.returncode == 0, proc.stderr
    match = re.search(r"Next: (stratdocs .+)$", proc.stderr.strip(), re.MULTILINE)
    assert match, proc.stderr
    words = shlex.split(match[1])
    assert words[0] == "stratdocs"
    follow = run_module(*words[1:], cwd=here)
    assert follow.returncode == 0, follow.stdout + follow.stderr


class _Future(dt.date):
    """`date` whose today() is ten years ahead."""

    @classmethod
    def today(cls):
        return cls(2036, 6, 1)


def test_the_init_project_stays_clean_as_time_passes(tmp_path, monkeypatch):
    from stratdocs.config import parser

    monkeypatch.setattr(parser, "date", _Future)
    runner = cli_runner()
    assert runner.invoke(cli, ["init", str(tmp_path / "p")]).exit_code == 0
    assert "as_of:" in (tmp_path / "p" / "stratdocs.yml").read_text(encoding="utf-8")
    result = runner.invoke(cli, ["-C", str(tmp_path / "p"), "check", "--strict"])
    assert result.exit_code == 0, result.output
    # Positive control: without its as_of, the example is judged as of 2036 and goes stale.
    config = tmp_path / "p" / "stratdocs.yml"
    config.write_text(re.sub(r"(?m)^as_of:.*$", "", config.read_text(encoding="utf-8")), encoding="utf-8")
    stale = runner.invoke(cli, ["-C", str(tmp_path / "p"), "check", "--strict"])
    assert stale.exit_code == 1 and "stale-kpi" in stale.output


def test_the_init_project_ignores_a_future_source_date_epoch(tmp_path):
    assert run_module("init", str(tmp_path / "p")).returncode == 0
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(int(dt.datetime(2036, 6, 1).timestamp()))}
    proc = subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(tmp_path / "p"), "check", "--strict"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# --------------------------------------------------------------------------- build, serve


def test_build_no_pdf_keeps_the_pdfs_and_says_so(plan_project):
    assert plan_project.run("build").exit_code == 0
    pdfs = sorted(p.name for p in plan_project.path("site/pdf").glob("*.pdf"))
    assert pdfs
    before = {name: plan_project.path(f"site/pdf/{name}").read_bytes() for name in pdfs}
    result = plan_project.run("build", "--no-pdf")
    assert result.exit_code == 0
    assert re.search(r"Kept \d+ PDF documents? from an earlier build, not rebuilt \(--no-pdf\)", result.stderr)
    assert {name: plan_project.path(f"site/pdf/{name}").read_bytes() for name in pdfs} == before


def _serve_lines(root: Path, *args: str) -> str:
    """Run `serve` with ARGS, save one edit, wait for the page to change, stop; its stderr."""
    proc = subprocess.Popen([sys.executable, "-m", "stratdocs", "-C", str(root), "serve", "--port", "0", *args],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines: list[str] = []
    try:
        port = None
        deadline = time.time() + 60
        while time.time() < deadline and port is None:
            line = proc.stderr.readline()
            lines.append(line)
            match = re.search(r"Serving http://127\.0\.0\.1:(\d+)/", line)
            port = int(match[1]) if match else None
        assert port, "".join(lines)
        so1 = root / "content/objectives/SO1.md"
        original = so1.read_text(encoding="utf-8")
        deadline = time.time() + 30
        while time.time() < deadline and b"Live edit" not in _get(port, "/objectives/SO1.html", "localhost")[1]:
            so1.write_text(original.replace("title: ", "title: Live edit ", 1), encoding="utf-8")
            time.sleep(1)
        assert b"Live edit" in _get(port, "/objectives/SO1.html", "localhost")[1]
    finally:
        proc.terminate()
        rest = proc.communicate(timeout=20)[1]
    return "".join(lines) + rest


def test_quiet_silences_the_rebuild_lines_of_serve(plan_project):
    assert "Rebuilt in" in _serve_lines(plan_project.root)  # positive control
    assert "Rebuilt in" not in _serve_lines(plan_project.root, "-q")


def _get(port: int, path: str, host: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    conn.putrequest("GET", path, skip_host=True, skip_accept_encoding=True)
    conn.putheader("Host", host)
    conn.endheaders()
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


class _LoopbackServer(server_mod.PreviewServer):
    """The preview server as `--host 0.0.0.0` configures it, but bound to loopback for the test."""

    def __init__(self, address, *rest):
        super().__init__(("127.0.0.1", 0), *rest)


def test_allow_host_answers_that_name_and_refuses_others(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>home</h1>", encoding="utf-8")
    monkeypatch.setattr(server_mod, "PreviewServer", _LoopbackServer)
    srv = make_server("0.0.0.0", 8000, site, Broadcaster(), ("plans.corp.example",))
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        port = srv.server_address[1]
        assert srv.server_address[0] == "127.0.0.1"
        assert _get(port, "/", f"plans.corp.example:{port}") == (200, b"<h1>home</h1>")
        assert _get(port, "/", "PLANS.corp.example")[0] == 200
        assert _get(port, "/", "localhost")[0] == 200
        for foreign in ("evil.example", f"evil.example:{port}", "plans.corp.example.evil.example"):
            assert _get(port, "/", foreign)[0] == 400
    finally:
        srv.shutdown()
        srv.server_close()


# --------------------------------------------------------------------------- exit codes


def _break(project: PlanProject, how: str) -> tuple[str, ...]:
    """Make the project fail in one way; the command arguments to run."""
    if how == "content":
        project.write("content/pages/bad.md", "---\ntitle: [broken\n---\n")
    elif how == "config":
        project.write("stratdocs.yml", "title: x\nas_of: 2026-11-15\nthem: corp\n")
    elif how == "usage":
        return ("check", "--format", "yaml")
    return ("check",)


@pytest.mark.parametrize("how, code", [("clean", 0), ("content", 1), ("config", 2), ("usage", 2)])
def test_exit_codes_are_the_same_with_and_without_verbose(plan_project, how, code):
    args = _break(plan_project, how)
    plain = run_module("-C", str(plan_project.root), *args)
    verbose = run_module("-C", str(plan_project.root), "-v", *args)
    assert (plain.returncode, verbose.returncode) == (code, code), plain.stderr + verbose.stderr
    assert "Traceback" not in plain.stderr


def test_export_to_an_unwritable_path_is_a_clear_message(plan_project):
    target = plan_project.path("stratdocs.yml") / "out.json"  # a file is not a folder
    proc = run_module("-C", str(plan_project.root), "export", "-o", str(target))
    assert proc.returncode == 1
    assert f"cannot write {target}" in proc.stderr
    assert "internal error" not in proc.stderr and "Traceback" not in proc.stderr


def test_pdf_of_an_unknown_document_lists_the_documents(plan_project):
    plan_project.write("stratdocs.yml", "title: T\nas_of: 2026-11-15\ndocuments:\n"
                       "  - {id: board-pack, title: Board pack, sections: [cover, plan]}\n"
                       "  - {id: ops-pack, title: Ops, sections: [operations]}\n")
    proc = run_module("-C", str(plan_project.root), "pdf", "board-pak")
    assert proc.returncode == 2
    assert "no document 'board-pak'" in proc.stderr and "board-pack, ops-pack" in proc.stderr
    assert not plan_project.path("site/pdf").exists()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_github_annotations_name_paths_from_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    project = PlanProject(repo / "plan")
    project.edit("content/objectives/SO1.md", "owner: CEO\n", "")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for cwd in (repo / "plan", repo / "plan" / "content" / "objectives"):
        proc = run_module("check", "--format", "github", cwd=cwd)
        assert proc.returncode == 0
        assert proc.stdout.startswith("::warning file=plan/content/objectives/SO1.md,line=1,col=1,title=no-owner::")
    from_repo = run_module("-C", "plan", "check", "--format", "github", cwd=repo)
    assert from_repo.stdout.startswith("::warning file=plan/content/objectives/SO1.md,")


# --------------------------------------------------------------------------- first mistakes, located


README_COPY = """\
# content/operations/emea/sales-dach.md
title: Sales DACH operational plan 2026
function: sales
period: 2026
"""


def test_front_matter_without_dashes_is_an_error_not_a_page(plan_project):
    plan_project.write("content/operations/sales-dach.md", README_COPY)
    plan_project.write("content/pages/bare.md", "title: Bare\nsummary: no dashes\n")
    result = plan_project.check()
    assert result.exit_code == 1
    found = sorted((f["file"], f["line"], f["col"], f["code"]) for f in result.findings)
    assert found == [("content/operations/sales-dach.md", 2, 1, "yaml"), ("content/pages/bare.md", 1, 1, "yaml")]
    assert all("front matter must start with a line '---'" in f["message"] for f in result.findings)


@pytest.mark.parametrize("body", ["# A heading\n\nNote: prose that starts like a key.\n",
                                  "Summary: one line of prose\nand another.\n", "plain text\n"])
def test_markdown_without_front_matter_is_still_a_page(plan_project, body):
    plan_project.write("content/pages/plain.md", body)
    codes = plan_project.check().codes()
    assert "yaml" not in codes


def test_an_empty_owner_is_reported_at_its_line(plan_project):
    plan_project.edit("content/objectives/SO1.md", "owner: CEO", "owner:")
    finding = plan_project.check().only("no-owner")
    assert (finding["file"], finding["line"], finding["col"]) == ("content/objectives/SO1.md", 5, 1)


def test_an_unclosed_list_is_reported_where_it_was_opened(plan_project):
    plan_project.write("content/pages/broken.md", "---\ntitle: [broken\nsummary: more\n---\nBody\n")
    finding = plan_project.check().only("yaml")
    assert (finding["file"], finding["line"], finding["col"]) == ("content/pages/broken.md", 2, 8)
    assert "'[' opened here is not closed" in finding["message"] and "gave up on line 3" in finding["message"]


def test_an_unclosed_mapping_in_the_config_is_located(plan_project):
    plan_project.write("stratdocs.yml", "title: T\nas_of: 2026-11-15\nstatus: {green: 0.9\nchecks: {}\n")
    result = plan_project.run("check")
    assert result.exit_code == 2
    assert "stratdocs.yml:3:9: error: invalid YAML: the mapping '{' opened here is not closed" in result.stderr


@pytest.mark.parametrize("where", ["content/pages/about.md", "stratdocs.yml"])
def test_a_five_thousand_digit_number_is_a_located_error(plan_project, where):
    if where == "stratdocs.yml":
        plan_project.write(where, "title: T\nas_of: 2026-11-15\nx-big: " + "7" * 5000 + "\n")
        result = plan_project.run("check")
        assert result.exit_code == 2
        assert "stratdocs.yml:3:8: error: a number of 5000 digits is over the limit" in result.stderr
    else:
        plan_project.write(where, "---\ntitle: About\nx-big: " + "7" * 5000 + "\n---\n")
        result = plan_project.check()
        assert result.exit_code == 1
        finding = result.only("yaml")
        assert (finding["file"], finding["line"], finding["col"]) == (where, 3, 8)
        assert "quote it" in finding["message"]
    assert "internal error" not in result.stderr


def test_stale_kpi_says_how_to_fix_it(plan_project):
    plan_project.edit("stratdocs.yml", "as_of: 2026-11-15", "as_of: 2027-03-01")
    stale = {f["file"]: f for f in plan_project.check().findings if f["code"] == "stale-kpi"}
    finding = stale["content/kpis/K-OPS.md"]
    assert (finding["line"], finding["col"]) == (9, 1)
    assert "add an actual dated 2026-12-29 or later under 'actuals:'" in finding["message"]
    assert "waive: {stale-kpi: reason}" in finding["message"]


def test_no_execution_says_how_to_fix_it(plan_project):
    plan_project.write("content/objectives/SO2.md", "---\ntitle: Second\nperspective: customer\n"
                       "period: {start: 2026, end: 2028}\nowner: CMO\n---\n")
    finding = [f for f in plan_project.check().findings if f["code"] == "no-execution"][0]
    assert (finding["file"], finding["line"], finding["col"]) == ("content/objectives/SO2.md", 1, 1)
    assert "add 'supports: [SO2]' to the work that serves it" in finding["message"]
    assert "waive: {no-execution: reason}" in finding["message"]


@pytest.mark.parametrize("text, line, name", [("date;value;note\n2026-11-01;9;x\n", 1, "semicolons (;)"),
                                               ("date,value\n2026-11-01;9\n", 2, "semicolons (;)"),
                                               ("date\tvalue\n2026-11-01\t9\n", 1, "tabs")])
def test_a_csv_with_another_separator_is_named_as_such(plan_project, text, line, name):
    plan_project.write("content/data/ops.csv", text)
    plan_project.edit("content/kpis/K-OPS.md", "actuals:\n  - {date: 2026-11-01, value: 9}\n", "data: ops.csv\n")
    finding = plan_project.check().only("csv")
    assert (finding["file"], finding["line"], finding["col"]) == ("content/data/ops.csv", line, 1)
    assert f"separated by {name}, not commas" in finding["message"]


# --------------------------------------------------------------------------- lowest dependency versions


REPO = Path(__file__).resolve().parents[1]


def _bounds() -> dict[str, str]:
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    bounds = {}
    for requirement in [*project["dependencies"], *project["optional-dependencies"]["test"]]:
        name, _, version = requirement.partition(">=")
        assert version, f"'{requirement}' in pyproject.toml has no lower bound"
        bounds[name.strip().lower()] = version.strip()
    return bounds


def _pins() -> dict[str, str]:
    lines = (REPO / "constraints-min.txt").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("==") for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip().lower(): version.strip() for name, version in pairs}


def test_every_lower_bound_is_pinned_in_constraints_min():
    def norm(version: str) -> tuple[int, ...]:
        parts = [int(p) for p in version.split(".")]
        while parts and parts[-1] == 0:
            parts.pop()
        return tuple(parts)
    assert {k: norm(v) for k, v in _pins().items()} == {k: norm(v) for k, v in _bounds().items()}


@pytest.mark.skipif(os.environ.get("STRATDOCS_MIN_VERSIONS") != "1",
                    reason="installs the lowest versions in a fresh venv; set STRATDOCS_MIN_VERSIONS=1")
def test_the_lowest_versions_install_and_run(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "-c", str(REPO / "constraints-min.txt"),
                              str(REPO)], capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    project = tmp_path / "plan"
    for args in (["init", str(project)], ["-C", str(project), "check", "--strict"],
                 ["-C", str(project), "build"], ["-C", str(project), "export", "-o", str(tmp_path / "x.xlsx")]):
        proc = subprocess.run([str(python), "-m", "stratdocs", *args], capture_output=True, text=True, timeout=300,
                              cwd=tmp_path)
        assert proc.returncode == 0, (args, proc.stderr[-3000:])
    assert (project / "site" / "pdf" / "board-pack.pdf").is_file()
