"""Accessibility, measured (issue 12): axe-core's WCAG 2.1 A and AA rules over every page kind in
light and dark mode, and the W3C Nu HTML checker over every built page, on the example plan and on
the long plan. axe-core and vnu-jar are npm test dependencies (`.ci/run` installs them and sets
STRATDOCS_NODE_MODULES); they are injected into the page under test, never copied into a site."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from web_fixtures import PLANS, chromium, need, node_modules, served  # noqa: F401  (fixtures)

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => v.id + ' (' + v.nodes.length + '): ' + v.nodes.slice(0, 3)
      .map(n => n.target.join(' ') + ' ' + n.failureSummary.replace(/\\s+/g, ' ').slice(0, 160)).join(' | '));
}"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    folder = node_modules()
    need(folder is not None, "axe-core is not installed (npm install axe-core; set STRATDOCS_NODE_MODULES)")
    return (folder / "axe-core" / "axe.min.js").read_text(encoding="utf-8")


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("plan", PLANS)
def test_axe_finds_no_wcag_violations(served, chromium, axe_source, plan, scheme):
    _, base = served[plan]
    context = chromium.new_context(viewport={"width": 1366, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    problems = []
    try:
        for rel in PLANS[plan]:
            page.goto(base + rel)
            page.wait_for_load_state("load")
            if rel.startswith("search.html"):
                page.locator("#search-results li").first.wait_for()
            page.add_script_tag(content=axe_source)
            problems += [f"{rel}: {v}" for v in page.evaluate(RUN_AXE, TAGS)]
    finally:
        context.close()
    assert problems == []


@pytest.mark.parametrize("plan", PLANS)
def test_nu_html_checker_finds_no_errors(served, plan):
    folder = node_modules()
    jar = folder / "vnu-jar" / "build" / "dist" / "vnu.jar" if folder else None
    need(jar is not None and jar.is_file(), "vnu-jar is not installed (npm install vnu-jar)")
    java = shutil.which("java")
    need(java is not None, "java is not installed (apt-get install default-jre-headless)")
    site, _ = served[plan]
    result = subprocess.run([java, "-jar", str(jar), "--errors-only", "--skip-non-html", str(site)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[:4000]
