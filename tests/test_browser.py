"""A real browser (Debian's Chromium driven by Playwright) on the built example site: from file://
and from an intranet sub-path over HTTP, no console errors, search works, traceability links work."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

if not Path(CHROMIUM).exists():
    if os.environ.get("STRATDOCS_REQUIRE_BROWSER"):
        raise RuntimeError("chromium is required for the browser tests (apt-get install chromium)")
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api")

PAGES = ("index.html", "objectives/SO2.html", "kpis/K-CHURN.html", "operations/emea/sales-dach.html",
         "scorecard.html", "matrices/objectives-operations.html", "alignment.html", "search.html?q=dach",
         "pages/glossary.html")
# 404.html is not opened from file://: a web server sends it for missing URLs, and its links start
# from the site's path on that server (see test_layout_web.py, which serves it at a nested URL).


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("browser")
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "stratdocs.yml", project / "stratdocs.yml")
    subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(project), "build", "--no-pdf"], check=True,
                   capture_output=True)
    return project / "site"


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture()
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on("console", lambda msg: page.problems.append(f"console {msg.type}: {msg.text}")
            if msg.type == "error" else None)
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    # ERR_ABORTED is a request cut short by our own navigation (e.g. a click), not a broken link.
    page.on("requestfailed", lambda req: page.problems.append(f"request failed: {req.url} {req.failure}")
            if "ERR_ABORTED" not in (req.failure or "") else None)
    yield page
    context.close()


@pytest.fixture(scope="module")
def intranet(site, tmp_path_factory):
    """The site served over HTTP under a sub-path, as on an intranet: /intranet/strategy/."""
    docroot = tmp_path_factory.mktemp("www")
    shutil.copytree(site, docroot / "intranet" / "strategy")
    handler = functools.partial(_QuietHandler, directory=str(docroot))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/intranet/strategy/"
    server.shutdown()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_pages_load_from_file_url_without_console_errors(site: Path, page):
    for rel in PAGES:
        page.goto(site.as_uri() + "/" + rel)
        page.wait_for_load_state("load")
        assert page.locator("main#content h1").count() == 1, rel
    assert page.problems == []


def test_search_from_the_header_box_finds_and_opens_a_kpi(site: Path, page):
    page.goto((site / "index.html").as_uri())
    page.fill(".site-header input[name=q]", "churn")
    page.press(".site-header input[name=q]", "Enter")
    page.wait_for_url("**/search.html?q=churn")
    first = page.locator("#search-results li a").first
    first.wait_for()
    assert "churn" in page.locator("#search-status").inner_text().lower()
    assert "K-CHURN" in page.locator("#search-results").inner_text()
    page.locator("#search-results li a", has_text="K-CHURN").first.click()
    page.wait_for_url("**/kpis/K-CHURN.html")
    assert "Gross revenue churn" in page.locator("h1").inner_text()
    assert page.locator(".badge.health-red").first.inner_text() == "Red"
    assert page.problems == []


def test_search_typing_updates_results_and_finds_nested_tasks(site: Path, page):
    page.goto((site / "search.html").as_uri())
    page.fill("#search-input", "T-SALES-1")
    page.locator("#search-results li a").first.wait_for()
    link = page.locator("#search-results li a").first
    assert "T-SALES-1" in link.inner_text()
    link.click()
    page.wait_for_url("**/operations/emea/sales-dach.html#T-SALES-1")
    assert page.locator("tr#T-SALES-1").is_visible()
    assert page.problems == []


def test_following_traceability_links(site: Path, page):
    page.goto((site / "objectives/SO2.html").as_uri())
    traced_from = page.locator("section.panel", has=page.locator("h2", has_text="Traced from"))
    traced_from.locator("a[href='../initiatives/I2.html']").first.click()
    page.wait_for_url("**/initiatives/I2.html")
    traces_to = page.locator("section.panel", has=page.locator("h2", has_text="Traces to"))
    traces_to.locator("a[href='../objectives/SO1.html']").first.click()
    page.wait_for_url("**/objectives/SO1.html")
    assert "SO1" in page.locator(".kind-label").inner_text()
    assert page.problems == []


def test_matrix_headers_stay_visible_when_scrolled(site: Path, page):
    page.set_viewport_size({"width": 900, "height": 500})
    page.goto((site / "matrices/objectives-kpis.html").as_uri())
    wrap = page.locator(".matrix-wrap")
    head = page.locator("table.matrix thead th").nth(2)
    before = head.bounding_box()["y"]
    wrap.evaluate("el => { el.scrollTop = 200; el.scrollLeft = 300; }")
    assert abs(head.bounding_box()["y"] - before) < 2  # sticky header row
    first_row_head = page.locator("table.matrix tbody th.row-head").first
    assert first_row_head.bounding_box()["x"] < 400  # sticky row labels
    assert page.problems == []


def test_site_works_under_an_intranet_sub_path(intranet: str, page):
    for rel in ("index.html", "objectives/SO1.html", "search.html?q=nordics"):
        response = page.goto(intranet + rel)
        assert response.status == 200, rel
    page.locator("#search-results li a").first.wait_for()
    href = page.locator("#search-results li a").first.get_attribute("href")
    assert not href.startswith(("/", "http")), href  # relative: works under any sub-path
    page.locator("#search-results li a").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(intranet)
    assert page.problems == []


@pytest.fixture(scope="module")
def german_site(tmp_path_factory) -> Path:
    """The example with a page in German: a long compound word, an ß and an accent."""
    project = tmp_path_factory.mktemp("browser-de")
    shutil.copytree(REPO / "content", project / "content")
    shutil.copy(REPO / "stratdocs.yml", project / "stratdocs.yml")
    (project / "content/pages/kita.md").write_text(
        "---\ntitle: Maßnahme Kinderbetreuungsplatzausbauprogramm\nsummary: Mehr Plätze im Café-Viertel\n---\n\n"
        "Die Stadt baut Kitas aus.\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(project), "build", "--no-pdf"], check=True,
                   capture_output=True)
    return project / "site"


@pytest.mark.parametrize("query, marked", [
    ("massnahme", "Maßnahme"), ("MASSNAHME", "Maßnahme"), ("maßnahme", "Maßnahme"),
    ("kinderbetreuung", "Kinderbetreuung"), ("ausbauprogramm", "ausbauprogramm"),
    ("platze cafe", "Plätze"),
])
def test_search_folds_case_accents_and_sharp_s_and_finds_inside_compounds(german_site: Path, page, query, marked):
    page.goto((german_site / "search.html").as_uri())
    page.fill("#search-input", query)
    first = page.locator("#search-results li").first
    first.wait_for()
    assert "kita" in (first.locator("a").get_attribute("href") or "")
    assert marked in first.locator("mark").all_inner_texts()


def test_owners_are_found_by_search_and_linked_from_item_pages(site: Path, page):
    page.goto((site / "search.html").as_uri() + "?q=head%20of%20support")
    first = page.locator("#search-results li").first
    first.wait_for()
    assert "Head of Support" in first.inner_text() and "owner" in first.inner_text().lower()
    first.locator("a").click()
    page.wait_for_url("**/owners/head-of-support.html")
    assert page.locator("h1").inner_text() == "Head of Support"
    needs = page.locator("section.owner-needs li.finding")
    stale = needs.filter(has_text="K-SUPPORT-CSAT").first  # after the overdue review action they own
    assert "stale" in stale.inner_text()
    assert page.locator("table.owned-table tr.overdue").count() >= 1
    stale.locator("a.ref").first.click()
    page.wait_for_url("**/kpis/K-SUPPORT-CSAT.html")
    page.locator(".fact-owner a.owner").click()  # and back through the owner's name on the item page
    page.wait_for_url("**/owners/head-of-support.html")
    page.locator(".breadcrumbs a", has_text="Owners").click()
    page.wait_for_url("**/owners/index.html")
    assert page.locator("table.owners-table a.owner", has_text="Head of Support").is_visible()
    assert page.problems == []
