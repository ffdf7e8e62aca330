"""Shared set-up of the browser tests that look at layout and accessibility (issue 12).

Two plans are built: the example (tuned by hand) and the long plan of `fixtures_long` (long titles,
long owner names, many links). Each is served from an intranet sub-path by a plain HTTP server that,
like nginx's `error_page 404`, sends 404.html's bytes for any missing URL.

Chromium, and for the accessibility tests axe-core and the Nu HTML checker (npm packages, test
dependencies only: never copied into a site), are found here; without them the tests skip,
except in CI (`STRATDOCS_REQUIRE_BROWSER=1`), where they must run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from fixtures_long import write_long_plan

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
REQUIRED = bool(os.environ.get("STRATDOCS_REQUIRE_BROWSER"))
#: Where the site is mounted on the test server, as on an intranet.
MOUNT = "/strategy/"
WIDTHS = (1366, 1024, 390)

#: One page of every kind, per plan (site paths; the 404 is asked for at a nested missing URL).
EXAMPLE_PAGES = (
    "index.html", "objectives/SO2.html", "initiatives/I2.html", "strategies/ST-MARKETING.html",
    "operations/emea/sales-dach.html", "kpis/K-CHURN.html", "reviews/review-2026-q3.html",
    "pages/glossary.html", "objectives/index.html", "kpis/index.html", "scorecard.html", "matrices/index.html",
    "matrices/objectives-operations.html", "matrices/objectives-kpis.html", "matrices/kpi-linkage.html",
    "alignment.html", "search.html?q=dach", "objectives/objectives/missing.html", "roadmap.html",
    "owners/index.html", "owners/head-of-sales-nordics.html", "owners/vp-customer-success.html",
    "documents.html", "documents/board-pack.html", "documents/ops-sales.html",
)
LONG_PAGES = (
    "index.html", "objectives/SO1.html", "objectives/SO7.html", "initiatives/I2.html", "operations/partners.html",
    "kpis/K-LONG-1.html", "kpis/K-LONG-6.html", "reviews/review-q3.html", "kpis/index.html", "scorecard.html",
    "matrices/index.html", "matrices/objectives-operations.html", "matrices/objectives-kpis.html",
    "matrices/kpi-linkage.html", "alignment.html", "search.html?q=partner", "objectives/objectives/missing.html",
    "roadmap.html", "documents.html", "documents/board-pack.html",
    "owners/index.html", "owners/senior-vice-president-global-customer-experience-and.html",
)
PLANS = {"example": EXAMPLE_PAGES, "long": LONG_PAGES}


def need(ok: bool, why: str) -> None:
    """Skip (or, in CI, fail) when a tool the test needs is missing."""
    if ok:
        return
    if REQUIRED:
        raise RuntimeError(f"{why} (required in CI)")
    pytest.skip(why)


def node_modules() -> Path | None:
    """The npm folder holding axe-core and vnu-jar: $STRATDOCS_NODE_MODULES, or ./node_modules."""
    for candidate in (os.environ.get("STRATDOCS_NODE_MODULES"), REPO / "node_modules"):
        if candidate and (Path(candidate) / "axe-core" / "axe.min.js").is_file():
            return Path(candidate)
    return None


def build(project: Path, base_url: str = "") -> Path:
    """Build `project` (no PDFs) into its site/ folder; with `base_url`, set it in stratdocs.yml."""
    if base_url:
        config = project / "stratdocs.yml"
        lines = [ln for ln in config.read_text(encoding="utf-8").splitlines() if not ln.startswith("base_url:")]
        config.write_text("\n".join(lines + [f"base_url: {base_url}"]) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(project), "build", "--no-pdf"], check=True,
                   capture_output=True)
    return project / "site"


def example_project(folder: Path) -> Path:
    shutil.copytree(REPO / "content", folder / "content")
    shutil.copy(REPO / "stratdocs.yml", folder / "stratdocs.yml")
    return folder


class IntranetHandler(SimpleHTTPRequestHandler):
    """A plain file server that answers a missing URL with the site's 404.html, at that URL."""

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / MOUNT.strip("/") / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def launch(playwright_api):
    """Chromium as the other browser tests start it."""
    return playwright_api.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-quic"])


@pytest.fixture(scope="session")
def served(tmp_path_factory):
    """plan name -> (site folder, its URL on the intranet server); both plans built with
    `base_url` pointing at the server, as an intranet would configure it."""
    need(Path(CHROMIUM).exists(), "Debian's chromium is not installed (apt-get install chromium)")
    docroots, servers, out = {}, [], {}
    for name in PLANS:
        docroot = tmp_path_factory.mktemp(f"www-{name}")
        # The port is known once the server runs: start it on an empty docroot, then build into it.
        # It runs as its own process (see intranet_server.py): a thread alive for the whole session
        # would keep stratdocs from forking its workers in every later test.
        server = subprocess.Popen([sys.executable, str(Path(__file__).with_name("intranet_server.py")), str(docroot)],
                                  stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent)
        servers.append(server)
        url = f"http://127.0.0.1:{server.stdout.readline().strip()}{MOUNT}"
        folder = tmp_path_factory.mktemp(name)
        project = example_project(folder) if name == "example" else write_long_plan(folder)
        site = build(project, base_url=url)
        shutil.copytree(site, docroot / MOUNT.strip("/"))
        docroots[name] = docroot
        out[name] = (site, url)
    yield out
    for server in servers:
        server.terminate()
        server.wait()


@pytest.fixture(scope="module")  # one Playwright at a time: test_browser.py starts its own
def chromium():
    api = pytest.importorskip("playwright.sync_api")
    with api.sync_playwright() as p:
        browser = launch(p)
        yield browser
        browser.close()
