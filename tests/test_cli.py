"""The `check` command line: formats, ordering, exit statuses, global options, and the real entry point."""

from __future__ import annotations

import calendar
import json
import re
from datetime import date

import pytest

from conftest import EXAMPLE_ROOT, PlanProject, run_module
from stratdocs import __version__
from stratdocs.findings import Finding, Severity

TEXT_LINE = re.compile(r"(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning): "
                       r"(?P<message>.+) \[(?P<code>[a-z-]+)\]\Z")
GITHUB_LINE = re.compile(r"::(?P<severity>error|warning) file=(?P<file>[^,]+),line=(?P<line>\d+),"
                         r"col=(?P<col>\d+),title=(?P<code>[a-z-]+)::(?P<message>.+)\Z")


def broken(project: PlanProject) -> PlanProject:
    """Two broken files and two warnings in others: one run must report all of them."""
    project.edit("content/initiatives/I1.md", "budget: 250000", "budget: lots")
    project.edit("content/kpis/K-OPS.md", "drives: [K-REV]", "drives: [K-REV, SO1]")
    project.edit("content/operations/ops.md", "    due: 2026-12-01", "    dew: 2026-12-01")
    project.edit("content/objectives/SO1.md", "owner: CEO\n", "")
    return project


EXPECTED = [
    ("content/initiatives/I1.md", 7, 9, "error", "schema"),
    ("content/kpis/K-OPS.md", 4, 17, "error", "wrong-kind"),
    ("content/objectives/SO1.md", 1, 1, "warning", "no-owner"),
    ("content/operations/ops.md", 16, 5, "warning", "unknown-key"),
]


def keys(findings) -> list[tuple]:
    return [(f["file"], int(f["line"]), int(f["col"]), f["severity"], f["code"]) for f in findings]


# --- formats ----------------------------------------------------------------------------------

def test_text_format(plan_project):
    result = broken(plan_project).check("--format", "text")
    assert result.exit_code == 1
    parsed = [TEXT_LINE.match(line) for line in result.lines]
    assert all(parsed), result.lines
    assert keys(m.groupdict() for m in parsed) == EXPECTED
    assert "2 errors, 2 warnings." in result.stderr


def test_text_is_the_default_format(plan_project):
    broken(plan_project)
    assert plan_project.run("check").stdout == plan_project.check("--format", "text").stdout


def test_json_format(plan_project):
    result = broken(plan_project).check("--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    for item in data:
        assert {"file", "line", "col", "severity", "code", "message"} <= set(item)
        assert isinstance(item["line"], int) and isinstance(item["col"], int)
    assert keys(data) == EXPECTED
    assert result.stderr == ""  # no summary mixed into machine output


def test_github_format(plan_project):
    result = broken(plan_project).check("--format", "github")
    assert result.exit_code == 1
    parsed = [GITHUB_LINE.match(line) for line in result.lines]
    assert all(parsed), result.lines
    assert keys(m.groupdict() for m in parsed) == EXPECTED
    assert result.lines[2].startswith("::warning file=content/objectives/SO1.md,line=1,col=1,title=no-owner::")


def test_all_formats_give_the_same_findings(plan_project):
    broken(plan_project)
    as_json = plan_project.check("--format", "json").findings
    text = [TEXT_LINE.match(line).groupdict() for line in plan_project.check("--format", "text").lines]
    github = [GITHUB_LINE.match(line).groupdict() for line in plan_project.check("--format", "github").lines]
    assert [f["message"] for f in as_json] == [t["message"] for t in text] == [g["message"] for g in github]


def test_github_message_is_escaped():
    finding = Finding("a.md", 3, 2, Severity.ERROR, "yaml", "100% broken\nsecond line")
    assert finding.github() == "::error file=a.md,line=3,col=2,title=yaml::100%25 broken%0Asecond line"


def test_findings_are_sorted_by_file_then_line(plan_project):
    plan_project.write("content/pages/zz.md", "---\ntitle: Z\nonwer: a\nsumary: b\n---\n\n[[NOPE]]\n")
    plan_project.write("content/pages/aa.md", "---\ntitle: A\n---\n\n[[NOPE]]\n")
    found = plan_project.check().findings
    order = [(f["file"], f["line"]) for f in found]
    assert order == sorted(order)
    assert order == [("content/pages/aa.md", 5), ("content/pages/zz.md", 3), ("content/pages/zz.md", 4),
                     ("content/pages/zz.md", 7)]


def test_all_findings_are_reported_in_one_run(plan_project):
    plan_project.write("content/objectives/SO1.md", b"---\ntitle: Grow\nowner: Caf\xe9\n---\n")
    plan_project.edit("content/initiatives/I1.md", "budget: 250000", "budget: lots")
    plan_project.edit("content/reviews/R1.md", "date: 2026-10-01", "date: 2026-13-40")
    found = {(f["file"], f["code"]) for f in plan_project.check().findings if f["severity"] == "error"}
    assert found == {("content/objectives/SO1.md", "encoding"), ("content/initiatives/I1.md", "schema"),
                     ("content/reviews/R1.md", "schema")}


def test_quiet_drops_the_summary(plan_project):
    broken(plan_project)
    result = plan_project.run("-q", "check")
    assert result.exit_code == 1
    assert len(result.lines) == 4
    assert "errors" not in result.stderr


# --- exit statuses ----------------------------------------------------------------------------

def test_strict_fails_on_warnings_only(plan_project):
    plan_project.edit("content/objectives/SO1.md", "owner: CEO\n", "")
    assert plan_project.check().exit_code == 0
    assert plan_project.check("--strict").exit_code == 1


def test_strict_passes_a_clean_plan(plan_project):
    assert plan_project.check("--strict").exit_code == 0


@pytest.mark.parametrize("args", [
    ["check", "--format", "xml"],
    ["check", "--no-such-option"],
    ["no-such-command"],
    ["export", "--format", "xlsx"],  # binary output needs -o
])
def test_bad_usage_exits_2(plan_project, args):
    result = plan_project.run(*args)
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_missing_project_folder_exits_2(tmp_path):
    result = PlanProject(tmp_path, {}).run("-C", str(tmp_path / "nowhere"), "check")
    assert result.exit_code == 2
    assert "nowhere" in result.stderr and "does not exist" in result.stderr


def test_unknown_config_key_exits_2_with_line_and_suggestion(plan_project):
    plan_project.write("stratdocs.yml", "title: T\nas_of: 2026-11-15\ncheks:\n  horizon: false\n")
    result = plan_project.check("--format", "text")
    assert result.exit_code == 2
    assert "stratdocs.yml:3:1: error: unknown config key 'cheks'; did you mean 'checks'?" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["json", "github"])
def test_config_problems_stay_machine_readable(plan_project, fmt):
    plan_project.write("stratdocs.yml", "title: T\nas_of: 2026-11-15\ncheks:\n  horizon: false\n")
    result = plan_project.check("--format", fmt)
    assert result.exit_code == 2
    if fmt == "json":
        [finding] = json.loads(result.stdout)
        assert (finding["file"], finding["line"], finding["code"]) == ("stratdocs.yml", 3, "config")
        assert "did you mean 'checks'" in finding["message"]
    else:
        assert result.stdout.startswith("::error file=stratdocs.yml,line=3,col=1,title=config::")


def test_config_reports_every_problem_at_once(plan_project):
    plan_project.write("stratdocs.yml", "as_of: 2026-13-01\nstatus: {rolup: average}\nchecks: {horizn: false}\n")
    result = plan_project.check("--format", "text")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert [line.split(": error")[0] for line in lines] == ["stratdocs.yml:1:8", "stratdocs.yml:2:10",
                                                           "stratdocs.yml:3:10"]
    assert "did you mean 'rollup'" in lines[1]
    assert "did you mean 'horizon'" in lines[2]


def test_config_yaml_error_exits_2(plan_project):
    plan_project.write("stratdocs.yml", "title: [unclosed\n")
    result = plan_project.check("--format", "text")
    assert result.exit_code == 2
    assert result.stderr.startswith("stratdocs.yml:")
    assert "invalid YAML" in result.stderr


def test_config_with_duplicate_key_exits_2(plan_project):
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\ntitle: A\ntitle: B\n")
    result = plan_project.check()
    assert result.exit_code == 2
    assert "stratdocs.yml:3:1" in result.stderr and "duplicate key 'title'" in result.stderr


def test_config_bad_check_value_exits_2(plan_project):
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\nchecks: {horizon: maybe}\n")
    result = plan_project.check()
    assert result.exit_code == 2
    assert "stratdocs.yml:2:19" in result.stderr and "true or false" in result.stderr


def test_config_sets_health_cutoffs(plan_project):
    # K-REV is at 108% of planned progress: green by default, amber when green needs 110%.
    assert {e["id"]: e["health"] for e in plan_project.export()["entities"]}["K-REV"] == "green"
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\nstatus: {green: 1.1, amber: 0.5}\n")
    assert {e["id"]: e["health"] for e in plan_project.export()["entities"]}["K-REV"] == "amber"


# --- global options ---------------------------------------------------------------------------

def test_version(plan_project):
    result = plan_project.run("--version")
    assert result.exit_code == 0
    assert __version__ in result.stdout and "stratdocs" in result.stdout


def test_project_without_config_uses_defaults(plan_project, monkeypatch):
    plan_project.remove("stratdocs.yml")
    epoch = calendar.timegm(date(2026, 11, 15).timetuple())
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(epoch))
    assert plan_project.check("--strict").findings == []
    exported = plan_project.export()
    assert exported["as_of"] == "2026-11-15"
    assert exported["title"] == "Strategic plan"
    assert set(exported["matrices"]) == {"objectives-operations", "objectives-kpis", "kpi-linkage"}


def test_as_of_decides_staleness(plan_project):
    plan_project.write("stratdocs.yml", "as_of: 2027-06-30\n")
    stale = {f["file"] for f in plan_project.check().findings if f["code"] == "stale-kpi"}
    assert stale == {"content/kpis/K-REV.md", "content/kpis/K-OPS.md"}


# --- the real entry point ---------------------------------------------------------------------

def test_entry_point_clean_project_from_elsewhere(plan_project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = run_module("-C", str(plan_project.root), "check", cwd=elsewhere)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert "No problems found" in proc.stderr


def test_entry_point_relative_dash_c(plan_project):
    proc = run_module("-C", plan_project.root.name, "check", "--format", "json", cwd=plan_project.root.parent)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []


def test_entry_point_errors_exit_1(plan_project):
    broken(plan_project)
    proc = run_module("-C", str(plan_project.root), "check")
    assert proc.returncode == 1
    assert keys(TEXT_LINE.match(line).groupdict() for line in proc.stdout.splitlines()) == EXPECTED
    assert "Traceback" not in proc.stderr


def test_entry_point_strict_exit_1_on_warnings(plan_project):
    plan_project.edit("content/objectives/SO1.md", "owner: CEO\n", "")
    assert run_module("-C", str(plan_project.root), "check").returncode == 0
    proc = run_module("-C", str(plan_project.root), "check", "--strict", "--format", "github")
    assert proc.returncode == 1
    assert proc.stdout.startswith("::warning file=content/objectives/SO1.md,line=1,col=1,title=no-owner::")


def test_entry_point_bad_config_exits_2(plan_project):
    plan_project.write("stratdocs.yml", "titel: T\n")
    proc = run_module("-C", str(plan_project.root), "check")
    assert proc.returncode == 2
    assert "stratdocs.yml:1:1: error: unknown config key 'titel'; did you mean 'title'?" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_entry_point_bad_usage_exits_2(plan_project):
    proc = run_module("-C", str(plan_project.root), "check", "--format", "yaml")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_entry_point_version():
    proc = run_module("--version")
    assert proc.returncode == 0
    assert __version__ in proc.stdout


# --- the example plan -------------------------------------------------------------------------

EXAMPLE_WARNINGS = {
    ("content/kpis/K-NEW-LOGOS.md", "stale-commentary"),
    ("content/kpis/K-SEC-CONTROLS.md", "kpi-unlinked"),
    ("content/kpis/K-SUPPORT-CSAT.md", "stale-kpi"),
    ("content/objectives/SO8-north-america.md", "no-execution"),
    ("content/operations/emea/sales-nordics.md", "review-overdue"),
    ("content/operations/product-engineering.md", "orphan"),
    ("content/initiatives/I2-dach-nordics-entry.md", "milestone-overdue"),  # 30 DACH logos, due 2026-10-31
    ("content/initiatives/I5-trust-certification.md", "initiative-behind-schedule"),
    # issue 14: one of each execution warning
    ("content/reviews/review-2026-q3.md", "action-overdue"),
    ("content/reviews/review-2026-q3.md", "action-no-owner"),
    ("content/risks/R-NORDIC-HIRING.md", "risk-unmitigated"),
    ("content/risks/R-KEY-ACCOUNT-CHURN.md", "risk-review-overdue"),
}


def test_example_plan_reports_exactly_its_deliberate_warnings():
    proc = run_module("-C", str(EXAMPLE_ROOT), "check", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    findings = json.loads(proc.stdout)
    assert {f["severity"] for f in findings} == {"warning"}
    assert {(f["file"], f["code"]) for f in findings} == EXAMPLE_WARNINGS
    assert len(findings) == len(EXAMPLE_WARNINGS)


def test_example_plan_fails_strict():
    proc = run_module("-C", str(EXAMPLE_ROOT), "check", "--strict")
    assert proc.returncode == 1
    assert len(proc.stdout.splitlines()) == len(EXAMPLE_WARNINGS)


def test_example_plan_waiver_is_exported():
    proc = run_module("-C", str(EXAMPLE_ROOT), "export", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    waivers = json.loads(proc.stdout)["waivers"]
    assert [(w["entity"], w["code"]) for w in waivers] == [("SO7", "no-kpi")]

