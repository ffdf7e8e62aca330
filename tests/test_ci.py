"""The ready-made integrations, run for real: the GitHub Actions workflow `init` writes and the
pre-commit hook at the repository root.

The workflow is parsed with pyyaml and each of its `run:` commands runs in bash (as Actions
runs them: `bash -eo pipefail`) on an `init` project in a git repository cloned from one with
a `main` branch, on a feature branch that changes the plan, with the variables GitHub sets for
a pull request. `stratdocs` is this checkout's `python -m stratdocs` (a shim on PATH).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None,
                                reason="needs git and bash")

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": os.devnull}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env={**os.environ, **GIT_ENV}, capture_output=True,
                          text=True, check=True)
    return done.stdout


def shim(folder: Path) -> Path:
    """A `stratdocs` command on PATH that runs this checkout's `python -m stratdocs`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "stratdocs"
    path.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}${{PYTHONPATH:+:$PYTHONPATH}}" exec "{sys.executable}" '
                    '-m stratdocs "$@"\n', encoding="utf-8")
    path.chmod(0o755)
    return folder


def pull_request(tmp_path: Path, change) -> Path:
    """A clone of a repository whose `main` holds an `init` project, checked out on a feature
    branch where `change(project)` was committed."""
    upstream = tmp_path / "upstream"
    upstream.mkdir()
    git(upstream, "init", "-q", "-b", "main")
    done = subprocess.run([sys.executable, "-m", "stratdocs", "init", str(upstream), "-q"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "the plan")
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", str(upstream), str(work))
    git(work, "checkout", "-q", "-b", "feature")
    change(work)
    git(work, "commit", "-qam", "a change to the plan")
    return work


def run_step(work: Path, command: str, summary: Path, bin_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **GIT_ENV, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "CI": "true",
           "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request", "GITHUB_BASE_REF": "main",
           "GITHUB_HEAD_REF": "feature", "GITHUB_REF": "refs/pull/7/merge", "GITHUB_WORKSPACE": str(work),
           "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_REPOSITORY": "example/plan"}
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command], cwd=work,
                          env=env, capture_output=True, text=True, timeout=300)


def workflow_steps(work: Path) -> list[dict]:
    workflow = yaml.safe_load((work / ".github/workflows/stratdocs.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # pyyaml reads the key `on` as True
    return workflow["jobs"]["plan"]["steps"]


def new_actual(work: Path) -> None:
    """A department manager reports a KPI figure with its commentary and hands an initiative to a new owner."""
    kpi = work / "content/kpis/K1.md"
    kpi.write_text(kpi.read_text().replace("  - {date: 2026-06-30, value: 2190}",
                                           "  - {date: 2026-06-30, value: 2190}\n"
                                           "  - {date: 2026-07-10, value: 2050}")
                   .replace("commentary:\n", "commentary:\n  - {period: 2026-Q3, author: CFO, analysis: "
                            "Two renewals lost in July., recommendation: Review the renewal pipeline.}\n"))
    initiative = work / "content/initiatives/I1.md"
    text = initiative.read_text()
    owner = re.search(r"^owner: .*$", text, re.M).group(0)
    initiative.write_text(text.replace(owner, "owner: Jane Doe"))


def test_every_command_of_the_workflow_runs_on_a_pull_request(tmp_path: Path):
    work = pull_request(tmp_path, new_actual)
    summary, bin_dir = tmp_path / "summary.md", shim(tmp_path / "bin")
    steps = workflow_steps(work)
    commands = [step["run"] for step in steps if "run" in step]
    assert any("check --format github" in c for c in commands)
    assert any("--since" in c and "GITHUB_STEP_SUMMARY" in c for c in commands)
    assert any(step.get("uses", "").startswith("actions/upload-artifact") and step["with"]["path"] == "site/"
               for step in steps)
    for command in commands:
        if command.startswith("python -m pip install"):
            assert command.split()[-1] == "stratdocs"  # installing from PyPI is not run here
            continue
        done = run_step(work, command, summary, bin_dir)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    assert (work / "site/index.html").is_file() and list((work / "site/pdf").glob("*.pdf"))
    report = summary.read_text(encoding="utf-8")
    assert report.startswith("### What this change does to the plan — ✅ passes")
    assert "KPI `K1`" in report and "2026-07-10 2050" in report
    assert "owner" in report and "Jane Doe" in report


def test_the_summary_step_fails_on_a_new_warning_and_says_why(tmp_path: Path):
    def unexecuted_objective(work: Path) -> None:
        (work / "content/objectives/SO2.md").write_text(
            "---\ntitle: Keep customers\nperspective: customer\nperiod: {start: 2026, end: 2028}\n"
            "owner: COO\n---\n", encoding="utf-8")
        git(work, "add", "-A")

    work = pull_request(tmp_path, unexecuted_objective)
    summary, bin_dir = tmp_path / "summary.md", shim(tmp_path / "bin")
    steps = {step.get("name", step.get("uses")): step for step in workflow_steps(work)}
    annotate = run_step(work, steps["Check the plan (annotations on the changed files)"]["run"], summary, bin_dir)
    assert annotate.returncode == 0, annotate.stderr  # warnings only: the plain check passes
    assert "::warning file=content/objectives/SO2.md" in annotate.stdout
    report_step = steps["What this pull request does to the plan"]
    assert "pull_request" in report_step["if"] and "!cancelled()" in report_step["if"]
    done = run_step(work, report_step["run"], summary, bin_dir)
    assert done.returncode == 1, done.stderr
    report = summary.read_text(encoding="utf-8")
    assert "❌ fails" in report and "`no-execution`" in report and "`no-kpi`" in report
    assert "| added | strategic objective `SO2` | Keep customers |" in report


def test_the_pre_commit_hook_runs_check(tmp_path: Path):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    hook = next(h for h in hooks if h["id"] == "stratdocs-check")
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    assert re.search(hook["files"], "content/objectives/SO1.md") and re.search(hook["files"], "plan/stratdocs.yml")
    assert not re.search(hook["files"], "README.md")
    project, bin_dir = tmp_path / "plan", shim(tmp_path / "bin")
    subprocess.run([sys.executable, "-m", "stratdocs", "init", str(project), "-q"], cwd=ROOT, check=True)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(["bash", "-c", hook["entry"]], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    kpi = project / "content/kpis/K2.md"
    kpi.write_text(kpi.read_text().replace("drives: [K1]", "drives: [K9]"))
    done = subprocess.run(["bash", "-c", hook["entry"]], cwd=project, env=env, capture_output=True, text=True)
    assert done.returncode == 1 and "content/kpis/K2.md" in done.stdout and "broken-ref" in done.stdout


def gitlab_jobs() -> dict:
    """The `.gitlab-ci.yml` of docs/ci.md."""
    text = (ROOT / "docs/ci.md").read_text(encoding="utf-8").split("## GitLab CI", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", text, re.S).group(1)
    return yaml.safe_load(block)


def test_the_gitlab_ci_jobs_of_the_docs_run_on_a_merge_request(tmp_path: Path):
    work = pull_request(tmp_path, new_actual)
    git(work, "commit", "-q", "--allow-empty", "-m", "later work on the branch")
    bin_dir = shim(tmp_path / "bin")
    base = git(work, "merge-base", "origin/main", "HEAD").strip()
    env = {**os.environ, **GIT_ENV, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "GITLAB_CI": "true",
           "CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
           "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main", "CI_DEFAULT_BRANCH": "main",
           "CI_PROJECT_DIR": str(work)}
    jobs = gitlab_jobs()
    assert set(jobs) == {"stratdocs-build", "stratdocs-report"}
    for name, job in jobs.items():
        lines = [line for line in job["script"] + job.get("after_script", [])
                 if not line.startswith("python -m pip install")]
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(lines)],
                              cwd=work, env=env, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
        if name == "stratdocs-report":
            assert "actuals | KPI `K1`" in done.stdout and "✅ passes" in done.stdout
    assert (work / "site/index.html").is_file() and (work / "stratdocs-report.md").is_file()


def test_the_docs_show_the_workflow_init_writes():
    text = (ROOT / "docs/ci.md").read_text(encoding="utf-8").split("## GitHub Actions", 1)[1]
    shown = yaml.safe_load(re.search(r"```yaml\n(.*?)```", text, re.S).group(1))
    written = yaml.safe_load((ROOT / "stratdocs/scaffold/init/_github/workflows/stratdocs.yml").read_text(
        encoding="utf-8"))
    assert shown == written
