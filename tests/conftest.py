"""Shared fixtures: a small valid plan written into tmp_path, and ways to run the real CLI on it.

`plan_project` gives a project that checks with no findings at all. A test changes one thing
(`write`, `remove`), runs `check` and asserts the exact file, line, column, code and exit status
of what that one change provokes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import hypothesis.configuration
import pytest
from click.testing import CliRunner
from hypothesis import settings

from stratdocs.cli import cli

EXAMPLE_ROOT = Path(__file__).resolve().parents[1]

# Property tests keep no example database and write their caches outside the repository.
hypothesis.configuration.set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "stratdocs-hypothesis")
settings.register_profile("stratdocs", database=None)
settings.load_profile("stratdocs")

#: A second strategic objective, valid on its own (tests add it to provoke one finding at a time).
SECOND_OBJECTIVE = """\
---
title: Second objective
perspective: customer
period: {start: 2026, end: 2028}
owner: CMO
---
"""

#: The minimal valid plan: one of every kind, all linked, healthy and owned, as of 2026-11-15.
VALID_PLAN = {
    "stratdocs.yml": """\
        title: Test plan
        as_of: 2026-11-15
        """,
    "content/plan.md": """\
        ---
        title: Test plan 2026–2028
        vision: Be the trusted choice
        mission: Help customers decide
        values: [Trust, Care]
        period: {start: 2026, end: 2028}
        strategy: focus
        owner: CEO
        ---

        # Where we stand

        Our headline objective is [[SO1]].
        """,
    "content/objectives/SO1.md": """\
        ---
        title: Grow revenue
        perspective: financial
        period: {start: 2026, end: 2028}
        owner: CEO
        status: active
        ---

        Why growth matters.
        """,
    "content/initiatives/I1.md": """\
        ---
        title: Enter new markets
        supports: [SO1]
        owner: COO
        start: 2026-01-01
        end: 2027-12-31
        budget: 250000
        currency: EUR
        ---

        The programme.
        """,
    "content/operations/ops.md": """\
        ---
        title: Sales operations 2026
        function: sales
        period: 2026
        owner: Head of Sales
        supports: [I1]
        objectives:
          - id: OO1
            title: Sign ten partners
            owner: Head of Partnerships
            kpis: [K-OPS]
        tasks:
          - id: T1
            title: Publish the partner terms
            owner: Alice
            due: 2026-12-01
            status: doing
            supports: [OO1]
        ---

        How sales carries out [[I1]].
        """,
    "content/kpis/K-REV.md": """\
        ---
        title: Revenue
        level: strategic
        measures: [SO1]
        owner: CFO
        unit: EUR m
        direction: up
        frequency: monthly
        baseline: {value: 10, date: 2025-12-31}
        target: {value: 20, date: 2026-12-31}
        actuals:
          - {date: 2026-09-30, value: 17}
          - {date: 2026-10-31, value: 19}
        ---
        """,
    "content/kpis/K-OPS.md": """\
        ---
        title: Partners signed
        level: operational
        drives: [K-REV]
        owner: Head of Partnerships
        direction: up
        frequency: monthly
        thresholds: {green: 8, amber: 5}
        actuals:
          - {date: 2026-11-01, value: 9}
        ---
        """,
    "content/reviews/R1.md": """\
        ---
        title: Q3 review
        date: 2026-10-01
        about: [SO1, K-REV]
        author: Strategy Office
        decisions:
          - Keep going
        ---

        # Findings

        All good.
        """,
    "content/pages/about.md": """\
        ---
        title: About this plan
        ---

        Read [[SO1]] first, then [[I1|the programme]].
        """,
}


@dataclass
class CheckResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def findings(self) -> list[dict]:
        """The findings of a `--format json` run."""
        return json.loads(self.stdout)

    @property
    def lines(self) -> list[str]:
        return [line for line in self.stdout.splitlines() if line]

    def codes(self) -> set[str]:
        return {f["code"] for f in self.findings}

    def only(self, code: str) -> dict:
        """The single finding with `code`, failing if there is not exactly one."""
        found = [f for f in self.findings if f["code"] == code]
        assert len(found) == 1, f"expected one '{code}' finding, got {self.findings}"
        return found[0]


class PlanProject:
    """A plan project in a temporary folder, with helpers to edit files and run the CLI."""

    def __init__(self, root: Path, files: dict[str, str] | None = None):
        self.root = root
        for rel, text in (VALID_PLAN if files is None else files).items():
            self.write(rel, text)

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, text: str | bytes) -> Path:
        """Write a file (text is dedented; bytes are written as they are)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8", newline="\n")
        return path

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> Path:
        """Replace exactly one occurrence of `old` in a file."""
        text = self.read(rel)
        assert text.count(old) == 1, f"'{old}' is not unique in {rel}"
        return self.write(rel, text.replace(old, new).encode("utf-8"))

    def remove(self, rel: str) -> None:
        (self.root / rel).unlink()

    def run(self, *args: str) -> CheckResult:
        """Run `stratdocs -C ROOT ARGS` through click's test runner."""
        result = runner().invoke(cli, ["-C", str(self.root), *args], catch_exceptions=False)
        return CheckResult(result.exit_code, result.stdout, result.stderr)

    def check(self, *args: str) -> CheckResult:
        """`check --format json` (the findings as data); pass `--format text` etc. to override."""
        if "--format" not in args:
            args = (*args, "--format", "json")
        return self.run("check", *args)

    def export(self) -> dict:
        """The JSON export (exit 1 when the plan has errors: it still exports the plan as it is)."""
        result = self.run("export", "--format", "json")
        assert result.exit_code in (0, 1), result.stderr
        return json.loads(result.stdout)


def runner() -> CliRunner:
    """Click's test runner with stdout and stderr apart (click 8.1 mixes them unless told not to;
    8.2 always keeps them apart and has no such option). The suite runs on both: see constraints-min.txt."""
    try:
        return CliRunner(mix_stderr=False)
    except TypeError:
        return CliRunner()


def run_module(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `python -m stratdocs ARGS` in a real subprocess (the real entry point and exit codes)."""
    return subprocess.run([sys.executable, "-m", "stratdocs", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=60, encoding="utf-8")


@pytest.fixture
def plan_project(tmp_path: Path) -> PlanProject:
    """A small valid plan that checks with no findings."""
    return PlanProject(tmp_path / "plan")


@pytest.fixture
def make_project(tmp_path: Path):
    """A factory for projects from an explicit {path: text} mapping (no defaults)."""
    counter = iter(range(1000))

    def make(files: dict[str, str]) -> PlanProject:
        return PlanProject(tmp_path / f"p{next(counter)}", files)

    return make


#: Modules whose tests are end-to-end runs: a real browser, WeasyPrint, a wheel build, the preview
#: server. `python -m pytest -m "not slow"` checks a change in seconds; CI runs everything.
SLOW_MODULES = {"test_browser", "test_pdf", "test_pdf_fonts", "test_packaging", "test_serve", "test_accessibility"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.rsplit(".", 1)[-1] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _english_interface_between_tests():
    """A build sets the interface language for the rest of its process (`interface.use`; the CLI
    runs one build per process). In-process tests build plans in several languages one after the
    other: each test starts in English, as a fresh process would."""
    from stratdocs.render.views import interface

    interface.use(interface.ENGLISH)
    yield
    interface.use(interface.ENGLISH)
