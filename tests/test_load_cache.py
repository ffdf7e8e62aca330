"""Issue 15 (speed), the load cache: `check` and `build` with a warm cache skip parsing unchanged
files (`stratdocs.cache_files`) and report exactly what a cold run reports; an edited file or CSV
is read again; `--no-cache` reads and writes no cache; a cache not signed by this user is ignored."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings, strategies as st

from stratdocs import cache as cache_mod, cache_codec, config as config_mod, pipeline, project as project_mod, sources
from stratdocs.cache import CACHE_DIR
from stratdocs.cache_files import FILE_NAME
from stratdocs.model import Period, Point

from conftest import run_module
from test_serve import REPO, copy_example, edit, full_build, tree

#: A KPI with warnings (no owner, an unknown key) reading a CSV, and a file with a located error.
KPI = """\
---
title: Net revenue retention
level: strategic
measures: [SO1]
unit: "%"
baseline: {value: 95, date: 2025-12-31}
target: {value: 110, date: 2026-12-31}
data: nrr.csv
colour: blue
---
Retention of last year's revenue.
"""
BROKEN = """\
---
title: Broken objective
perspective: finance
review_by: 2026-13-01
---
"""


@pytest.fixture
def parses(monkeypatch):
    """Counts the content files parsed (YAML to nodes) in this process; workers off."""
    monkeypatch.setenv("STRATDOCS_WORKERS", "1")
    seen: list[str] = []
    original = sources.parse_bytes

    def parse_bytes(rel, kind, raw):
        seen.append(rel)
        return original(rel, kind, raw)

    monkeypatch.setattr(sources, "parse_bytes", parse_bytes)
    return seen


def _with_problems(plan_project):
    plan_project.write("content/kpis/K-NRR.md", KPI)
    plan_project.write("content/data/nrr.csv", "date,value\n2026-06-30,101\n2026-09-30,104\n")
    plan_project.write("content/objectives/SO9.md", BROKEN)
    return plan_project


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_warm_check_prints_what_a_cold_one_prints_without_parsing(plan_project, parses, fmt):
    project = _with_problems(plan_project)
    cold = project.run("check", "--format", fmt, "--no-cache")
    assert cold.exit_code == 1 and "K-NRR" in cold.stdout and "SO9" in cold.stdout
    assert "unknown-key" in cold.stdout and "no-owner" in cold.stdout and "schema" in cold.stdout
    assert not (project.root / CACHE_DIR).exists()  # --no-cache wrote nothing
    listed = len(parses)
    first = project.run("check", "--format", fmt)  # reads every file, writes the cache
    assert (project.root / CACHE_DIR / FILE_NAME).is_file()
    parses.clear()
    warm = project.run("check", "--format", fmt)
    assert parses == []  # nothing parsed again
    assert (warm.exit_code, warm.stdout, warm.stderr) == (cold.exit_code, cold.stdout, cold.stderr)
    assert (first.stdout, first.stderr) == (cold.stdout, cold.stderr) and listed > 5


def test_an_edited_file_or_csv_is_read_again(plan_project, parses):
    project = _with_problems(plan_project)
    project.run("check")
    parses.clear()
    project.edit("content/objectives/SO9.md", "2026-13-01", "2026-12-01")
    after = project.check()
    assert parses == ["content/objectives/SO9.md"]
    assert after.findings == project.check("--no-cache").findings
    assert not [f for f in after.findings if "2026-13-01" in f["message"]]
    assert [f["line"] for f in after.findings if f["code"] == "schema"] == [3]  # the perspective, still wrong
    parses.clear()
    project.write("content/data/nrr.csv", "date,value\n2026-06-30,101\n2026-09-30,oops\n")
    after = project.check()
    assert parses == ["content/kpis/K-NRR.md"]  # the KPI that reads the CSV, nothing else
    assert after.only("csv")["file"] == "content/data/nrr.csv"
    parses.clear()
    project.remove("content/data/nrr.csv")
    assert "does not exist" in project.check().only("csv")["message"] and parses == ["content/kpis/K-NRR.md"]


def test_another_reading_config_reads_every_file_again(plan_project, parses):
    project = _with_problems(plan_project)
    project.run("check")
    parses.clear()
    project.write("stratdocs.yml", project.read("stratdocs.yml") + "csv: {separator: ';', decimal: ','}\n")
    after = project.check()
    assert len(parses) > 5
    assert after.findings == project.check("--no-cache").findings


@pytest.fixture
def config_parses(monkeypatch):
    """Counts the config texts parsed (YAML to nodes) in this process."""
    from stratdocs import yamlnodes

    seen: list[str] = []
    original = yamlnodes.parse
    monkeypatch.setattr(yamlnodes, "parse", lambda text, line_offset=0: seen.append(text) or original(text, line_offset))
    return seen


def test_the_config_is_parsed_again_only_when_its_text_changed(plan_project, config_parses):
    """The load cache keeps the config's nodes by its text: a warm run does not parse it (nor
    import PyYAML: `tests/test_speed.py`); an edit, and a config broken after a good one, are
    read as written."""
    project = _with_problems(plan_project)
    cold = project.run("check", "--format", "json", "--no-cache")
    project.run("check")
    config_parses.clear()
    warm = project.run("check", "--format", "json")
    assert config_parses == [] and (warm.exit_code, warm.stdout) == (cold.exit_code, cold.stdout)
    assert any(f["code"] == "no-owner" for f in project.check().findings)
    project.write("stratdocs.yml", project.read("stratdocs.yml") + "checks: {no-owner: false}\n")
    edited = project.check()
    assert len(config_parses) == 1 and not any(f["code"] == "no-owner" for f in edited.findings)
    assert edited.findings == project.check("--no-cache").findings
    project.write("stratdocs.yml", project.read("stratdocs.yml") + "colour: [\n")
    broken = project.run("check")
    assert broken.exit_code == 2 and "stratdocs.yml:" in broken.stdout + broken.stderr
    again = project.run("check", "--no-cache")
    assert (broken.stdout, broken.stderr) == (again.stdout, again.stderr)


def test_build_uses_the_cache_check_wrote_and_the_other_way_round(plan_project, parses):
    project = _with_problems(plan_project)
    project.remove("content/objectives/SO9.md")  # build refuses errors
    project.run("check")
    parses.clear()
    result = project.run("build", "--no-pdf")
    assert result.exit_code == 0, result.stderr
    assert parses == []
    project.edit("content/kpis/K-NRR.md", "Net revenue retention", "Net retention")
    project.run("build", "--no-pdf")
    parses.clear()
    assert project.run("check").exit_code == 0 and parses == []


def test_no_cache_neither_reads_nor_writes(plan_project, parses):
    project = _with_problems(plan_project)
    project.run("check")
    path = project.root / CACHE_DIR / FILE_NAME
    before = path.read_bytes()
    project.edit("content/objectives/SO9.md", "Broken objective", "Still broken")
    parses.clear()
    project.run("check", "--no-cache")
    assert len(parses) > 5 and path.read_bytes() == before
    project.run("build", "--no-pdf", "--no-cache")
    assert path.read_bytes() == before


def _plant(path: Path, rel: str, title: str, sign: bool) -> None:
    """Change the title of `rel`'s kept result in the cache file, re-signed with this user's key or not."""
    head, _, payload = path.read_bytes().partition(b"\n")
    lines = payload.decode("utf-8").split("\n")
    for number, line in enumerate(lines):
        meta, _, entry = line.partition("\t")
        if json.loads(meta)[0] == rel:
            lines[number] = meta + "\t" + entry.replace('"Net revenue retention"', json.dumps(title), 1)
            assert lines[number] != line
    payload = "\n".join(lines).encode("utf-8")
    header = json.loads(head)
    if sign:
        header["checksum"] = cache_mod.sign_bytes(payload)
    path.write_bytes(json.dumps(header).encode("ascii") + b"\n" + payload)


@pytest.mark.parametrize("sign", [False, True])
def test_a_planted_cache_changes_nothing_unless_signed_with_this_users_key(plan_project, sign):
    project = _with_problems(plan_project)
    project.run("check")
    _plant(project.root / CACHE_DIR / FILE_NAME, "content/kpis/K-NRR.md", "Planted title", sign)
    plan = pipeline.check(project.root).project.plan
    titles = {e.id: e.title for e in plan}
    # Unsigned (committed, from a pull request): ignored. Signed by this very user: it is their own
    # cache, and that it is then used shows the test above checks a cache that is really read.
    assert titles["K-NRR"] == ("Planted title" if sign else "Net revenue retention")


def test_a_cache_folder_tracked_by_git_is_neither_read_nor_written(plan_project, parses):
    project = _with_problems(plan_project)
    project.run("check")
    subprocess.run(["git", "init", "-q", str(project.root)], check=True)
    subprocess.run(["git", "-C", str(project.root), "add", "-f", f"{CACHE_DIR}/{FILE_NAME}"], check=True)
    parses.clear()
    project.run("check")
    assert len(parses) > 5


def _results(root: Path) -> list[project_mod.FileResult]:
    cfg = config_mod.load(root)
    listed, _ = sources.discover(cfg.root, cfg.content_dir, dict(cfg.folders))
    return [project_mod.read_file(cfg, rel, kind) for rel, kind in listed]


@pytest.mark.parametrize("plan", ["example", "generated"])
def test_every_file_of_a_plan_comes_back_equal_with_the_same_repr(tmp_path: Path, plan: str):
    """The codec knows every value the schema builds (a new one would silently make its files
    uncacheable), and what it reads back is the same value, type for type."""
    if plan == "example":
        root = copy_example(tmp_path / "example")
    else:
        root = tmp_path / "generated"
        subprocess.run([sys.executable, str(REPO / "benchmarks/generate.py"), "--entities", "400", "--out",
                        str(root)], check=True, capture_output=True)
    for result in _results(root):
        encoded = project_mod._encoded(result)
        assert encoded is not None, result.rel
        back = project_mod._decoded(result.rel, encoded)
        assert back == result and repr(back) == repr(result), result.rel


_PLAIN = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                   st.text(max_size=8))
_POINTS = st.lists(st.builds(Point, st.dates(), st.floats(allow_nan=False) | st.integers(-100, 100),
                             st.sampled_from(["", "estimate"]), st.integers(0, 40),
                             st.sampled_from(["", "content/data/k.csv"])), max_size=5).map(tuple)
_PERIODS = st.lists(st.builds(Period, st.dates(), st.dates(), st.text(max_size=6)), max_size=3).map(tuple)
_POSITIONS = st.dictionaries(st.text(max_size=6), st.lists(_PLAIN, max_size=3).map(tuple), max_size=4)


@settings(max_examples=300, deadline=None)
@given(st.one_of(_POINTS, _PERIODS, _POSITIONS, _POSITIONS.map(MappingProxyType),
                 st.lists(st.one_of(_POINTS, _POSITIONS), max_size=3).map(tuple)))
def test_rows_and_plain_tuple_mappings_come_back_equal_with_the_same_repr(value):
    """The row form of a tuple of points or periods and the compact form of a mapping of plain
    tuples (an entity's key positions) decode to the same values, through real JSON."""
    back = cache_codec.decode(json.loads(json.dumps(cache_codec.encode(value))))
    assert back == value and repr(back) == repr(value) and type(back) is type(value)


def test_the_compact_forms_are_the_ones_written():
    points = (Point(date(2026, 1, 31), 1.0), Point(date(2026, 2, 28), 2.5, "estimate", 4, "k.csv"))
    assert cache_codec.encode(points) == ["R", "Point", [0], ["2026-01-31", 1.0],
                                          ["2026-02-28", 2.5, "estimate", 4, "k.csv"]]
    assert cache_codec.encode(MappingProxyType({"id": (2, 1)})) == ["K", "id", [2, 1]]
    # one point alone, or a point beside another kind, is written the general way
    assert cache_codec.encode(points[:1])[0] == "t"
    assert cache_codec.encode((points[0], Period(date(2026, 1, 1), date(2026, 3, 31), "Q1")))[0] == "t"


def test_the_codec_refuses_what_it_does_not_know():
    for data in (["R", "Point", [0], ["2026-01-31", 1.0]],            # one row is never written
                 ["R", "Point", [-1], ["2026-01-31", 1.0], ["2026-02-28", 1.0]],
                 ["R", "Point", [0], ["2026-01-31", 1.0], ["2026-02-28", ["l"]]],
                 ["R", "Point", [0], ["2026-01-31", 1.0], "2026-02-28"],
                 ["R", "Point", [1], ["2026-01-31", 1.0], ["2026-02-28", 1.0]],
                 ["R", "Popen", [], ["ls"], ["ls"]],
                 ["K", "id", [2, 1], "title"], ["K", "id", [2, ["l"]]], ["K", ["l"], [1]], ["k", "id", 2]):
        with pytest.raises(cache_codec.Uncacheable):
            cache_codec.decode(data)
    for data in (["c", "Popen", "ls"], ["x", 1], [], ["d", "not a date"], {"a": 1}, ["e", "Severity", "fatal"]):
        with pytest.raises(cache_codec.Uncacheable):
            cache_codec.decode(data)
    with pytest.raises(cache_codec.Uncacheable):
        cache_codec.encode(Path("/etc/passwd"))


@pytest.mark.parametrize("path, old, new", [
    ("content/kpis/K-NEW-LOGOS.md", "title:", "title: Renamed —"),
    # only the CSV changes: the page digests take an item as its file's source, CSV states included
    ("content/data/kpi-arr.csv", "Summer slowdown in DACH", "Summer holidays in DACH and the Nordics"),
])
def test_a_warm_build_from_the_load_cache_writes_what_a_cold_build_writes(tmp_path: Path, path, old, new):
    root = copy_example(tmp_path / "project")
    done = run_module("-C", str(root), "check", "-q")
    assert done.returncode == 0, done.stderr
    done = run_module("-C", str(root), "build", "--no-pdf", "-q")
    assert done.returncode == 0, done.stderr
    before = (root / "site/kpis/K-ARR.html").read_bytes()
    edit(root / path, old, new)
    done = run_module("-C", str(root), "build", "--no-pdf", "-q")
    assert done.returncode == 0, done.stderr
    assert tree(root / "site") == full_build(root, tmp_path / "cold")
    assert ((root / "site/kpis/K-ARR.html").read_bytes() != before) == path.endswith(".csv")
    shutil.rmtree(root / "site")
