"""The website holds real content (issue 12): measured in Chromium at 1366, 1024 and 390 px, in
print media, with the keyboard, on the example plan and on a plan with long values."""

from __future__ import annotations

import pytest

from web_fixtures import PLANS, WIDTHS, chromium, served  # noqa: F401  (fixtures)

CASES = [(plan, width) for plan in PLANS for width in WIDTHS]

#: Every visible id chip, date and one-line fact value that wraps onto a second line.
WRAPPED = r"""() => [...document.querySelectorAll('main .entity-id, main .date, main dd.nowrap, main .badge')]
  .filter(e => e.offsetParent !== null && e.getClientRects().length > 1
          || e.offsetParent !== null && e.getClientRects().length === 1
             && e.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(e).fontSize))
  .map(e => e.textContent)
  .concat([...(function* () {  // and every ISO date in running text
    const walk = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (!n.parentElement.checkVisibility()) continue;
      for (const m of n.data.matchAll(/\d{4}-\d{2}-\d{2}/g)) {
        const r = document.createRange(); r.setStart(n, m.index); r.setEnd(n, m.index + 10);
        if (new Set([...r.getClientRects()].map(b => Math.round(b.top))).size > 1) yield m[0];
      }
    }
  })()])"""

#: Text in the visible charts drawn smaller than 10 CSS px.
SMALL_CHART_TEXT = """() => [...document.querySelectorAll('main svg.sd-kpi-chart text, main svg.sd-strategy-map text, main svg.sd-roadmap text')]
  .filter(t => t.closest('svg').getBoundingClientRect().width > 0)
  .map(t => [t.textContent, parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a])
  .filter(([_, px]) => px < 9.95)"""


def _open(chromium, url, width, scheme="light"):
    context = chromium.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.goto(url)
    return context, page


@pytest.mark.parametrize("plan,width", CASES)
def test_no_overflow_no_wrapped_ids_legible_charts(served, chromium, plan, width):
    _, base = served[plan]
    context, page = _open(chromium, base, width)
    try:
        for rel in PLANS[plan]:
            page.goto(base + rel)
            page.wait_for_load_state("load")
            over = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
            assert over <= 0, f"{rel} at {width}px scrolls sideways by {over}px"
            assert page.evaluate(WRAPPED) == [], f"{rel} at {width}px wraps an id or date"
            assert page.evaluate(SMALL_CHART_TEXT) == [], f"{rel} at {width}px has chart text under 10px"
    finally:
        context.close()


@pytest.mark.parametrize("plan", PLANS)
def test_scorecard_is_one_table_with_the_owner_under_the_kpi(served, chromium, plan):
    site, base = served[plan]
    context, page = _open(chromium, base + "scorecard.html", 1366)
    try:
        # the KPIs in one table (the Initiatives table follows it, issue #14)
        assert page.locator("main table.scorecard-all").count() == 1
        assert page.locator("main tr.group-row").count() >= 2
        first = page.locator("main table.scorecard-all tbody tr:not(.group-row)").first
        assert page.locator("main table.scorecard-all thead th").count() == 7  # no owner column: it is under the name
        assert first.locator("td").first.locator(".kpi-owner").inner_text().strip()
    finally:
        context.close()


@pytest.mark.parametrize("plan", PLANS)
def test_404_at_a_nested_missing_url_is_styled_with_working_links(served, chromium, plan):
    _, base = served[plan]
    context = chromium.new_context()
    page = context.new_page()
    try:
        response = page.goto(base + "objectives/objectives/deeper/missing.html")
        assert response.status == 404
        assert page.locator("h1").inner_text() == "Page not found"
        # Styled: the stylesheet loaded (the header has its dark brand colour, the nav is a column).
        assert page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor") \
            not in ("rgba(0, 0, 0, 0)", "transparent")
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        assert hrefs and all(h.startswith(base) for h in hrefs), hrefs
        for href in set(h.split("#")[0] for h in hrefs):
            assert page.request.get(href).status == 200, href
    finally:
        context.close()


def test_404_without_base_url_finds_the_site_root_under_any_sub_path(chromium, tmp_path):
    """No base_url: the intranet serves the site under /strategy/ and sends 404.html's bytes at a
    nested missing URL; the page finds the root itself, so it is styled and its links work."""
    import functools
    import shutil
    import threading
    from http.server import ThreadingHTTPServer

    from web_fixtures import MOUNT, IntranetHandler, build, example_project

    project = example_project(tmp_path / "plan")
    config = project / "stratdocs.yml"
    config.write_text("\n".join(ln for ln in config.read_text(encoding="utf-8").splitlines()
                                if not ln.startswith("base_url:")) + "\n", encoding="utf-8")
    docroot = tmp_path / "www"
    shutil.copytree(build(project), docroot / MOUNT.strip("/"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(IntranetHandler, directory=str(docroot)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}{MOUNT}"
    context = chromium.new_context()
    page = context.new_page()
    try:
        response = page.goto(base + "objectives/objectives/deeper/missing.html")
        assert response.status == 404
        page.wait_for_function("document.querySelector('base').getAttribute('href') !== '/'", timeout=10_000)
        page.wait_for_function("getComputedStyle(document.querySelector('.site-header')).backgroundColor"
                               " !== 'rgba(0, 0, 0, 0)'", timeout=10_000)
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)")
        assert hrefs and all(h.startswith(base) for h in hrefs), hrefs
        for href in set(h.split("#")[0] for h in hrefs):
            assert page.request.get(href).status == 200, href
    finally:
        context.close()
        server.shutdown()


PRINT_OVERLAPS = """() => {
  const boxes = sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null)
      .map(e => [e, e.getBoundingClientRect()]);
  const bad = [];
  // Table cells and fact values whose content runs out of their box overprint their neighbour.
  for (const [e, r] of boxes('main td, main th, main dd, main .card, main .panel')) {
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
      bad.push('overflows: ' + e.textContent.trim().slice(0, 60));
    if (r.right > document.documentElement.clientWidth + 1) bad.push('cut at the page edge: ' + e.textContent.trim().slice(0, 60));
  }
  // Blocks of the page (and facts, figures, cards) must not sit on each other.
  for (const sel of ['main > *', 'main .facts > *', 'main .cards > *', 'main .kpi-figures > *']) {
    const list = boxes(sel).filter(([e, r]) => r.height > 0 && getComputedStyle(e).position !== 'absolute');
    for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) {
      const a = list[i][1], b = list[j][1];
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
        bad.push('overlap: ' + list[i][0].className + ' / ' + list[j][0].className);
    }
  }
  return bad;
}"""


@pytest.mark.parametrize("plan", PLANS)
def test_printing_has_no_overlaps_or_cut_columns(served, chromium, plan):
    _, base = served[plan]
    context = chromium.new_context(viewport={"width": 720, "height": 1000})  # A4 less margins at 96 dpi
    page = context.new_page()
    page.emulate_media(media="print")
    try:
        for rel in PLANS[plan]:
            if rel.startswith("documents/"):
                continue  # a document's twin is printed as its PDF (test_pdf*.py), not from the browser
            page.goto(base + rel)
            assert page.evaluate(PRINT_OVERLAPS) == [], rel
            assert page.locator(".site-nav, .nav-menu, .search-box").evaluate_all(
                "els => els.filter(e => e.offsetParent !== null).length") == 0
    finally:
        context.close()


#: Number every link a reader can see, in document order.
NUMBER_LINKS = """() => {
  const links = [...document.querySelectorAll('a[href]')].filter(a => a.checkVisibility({visibilityProperty: true}));
  links.forEach((a, i) => a.dataset.tabTest = i);
  return links.length;
}"""
FOCUS_SHOWN = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return [e.tagName, e.dataset ? (e.dataset.tabTest ?? null) : null, e.outerHTML.slice(0, 80),
          (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'
          || s.backgroundColor === 'rgb(255, 221, 0)'];
}"""


@pytest.mark.parametrize("rel", ["index.html", "objectives/SO2.html", "scorecard.html", "alignment.html"])
@pytest.mark.parametrize("width", [1366, 390])
def test_every_link_is_reached_by_tab_in_order_with_visible_focus(served, chromium, rel, width):
    _, base = served["example"]
    context, page = _open(chromium, base + rel, width)
    try:
        count = page.evaluate(NUMBER_LINKS)
        reached = []
        for _ in range(count + 60):
            page.keyboard.press("Tab")
            tag, number, html, shown = page.evaluate(FOCUS_SHOWN)
            if tag == "BODY" or (number is not None and int(number) in reached):
                break  # round the page and back to the start
            assert shown, f"no visible focus on {html}"
            if number is not None:
                reached.append(int(number))
        assert reached == list(range(count)), f"{count} links, reached {len(reached)}: order or gaps differ"
    finally:
        context.close()


def test_mobile_navigation_is_collapsed_and_opens_without_javascript(served, chromium):
    _, base = served["example"]
    context = chromium.new_context(viewport={"width": 390, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(base + "objectives/SO2.html")
        assert page.locator(".site-nav").is_hidden()
        assert page.locator(".nav-menu a", has_text="KPI scorecard").is_hidden()
        assert page.locator("main h1").bounding_box()["y"] < 320  # content first, not twelve pills
        page.locator(".nav-menu summary").click()
        page.locator(".nav-menu a", has_text="KPI scorecard").click()
        page.wait_for_url("**/scorecard.html")
    finally:
        context.close()


def test_home_cards_fill_the_width_narrative_first_logo_shown(served, chromium):
    _, base = served["example"]
    context, page = _open(chromium, base + "index.html", 1366)
    try:
        for grid in page.locator(".cards").all():
            row = grid.bounding_box()
            cards = [c.bounding_box() for c in grid.locator(".card").all()]
            last = max(c["x"] + c["width"] for c in cards)
            assert last >= row["x"] + row["width"] - 2, "cards leave the row's width empty"
        narrative = page.locator(".plan-narrative").bounding_box()["y"]
        assert narrative < page.locator(".strategy-map").bounding_box()["y"]
        assert narrative < page.locator(".cards").first.bounding_box()["y"]
        assert page.locator(".site-header img.brand-logo").evaluate("i => i.complete && i.naturalWidth > 0")
    finally:
        context.close()


def test_long_plan_pages_read_well(served, chromium):
    site, base = served["long"]
    context, page = _open(chromium, base + "kpis/K-LONG-6.html", 1366)
    try:
        badges = page.locator(".header-badges").inner_text()
        assert "no data yet" in badges and "stale" not in badges
        page.goto(base + "kpis/K-LONG-2.html")  # only reviewed: no "nothing serves" above "Reviewed in"
        traced = page.locator("section.traced-from").inner_text()
        assert "Reviewed in" in traced and "Nothing serves" not in traced
        page.goto(base + "kpis/index.html")
        heads = page.locator("main thead th").all_inner_texts()
        assert "Target" in heads and "Status" not in heads
        page.goto(base + "matrices/objectives-kpis.html")
        clipped = page.eval_on_selector_all("th.row-head", "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).length")
        assert clipped == 0
        page.goto(base + "reviews/review-q3.html")  # an "About" of 11 links: one row, wide value column
        about = page.locator(".fact-about dd").bounding_box()
        assert about["width"] > 0.5 * page.locator("main").bounding_box()["width"]
        rows = page.eval_on_selector_all(".facts > .fact", "els => els.map(e => e.getBoundingClientRect().x)")
        assert len(set(rows)) == 1  # key/value rows, one under another: no boxes beside a tall one
        page.goto(base + "objectives/SO1.html")  # 19 items trace to it: compact columns, not one long one
        xs = page.eval_on_selector_all(".traced-from .refs-grid li", "els => els.map(e => Math.round(e.getBoundingClientRect().x))")
        assert len(xs) >= 19 and len(set(xs)) >= 2
        page.goto(base + "kpis/K-LONG-1.html")  # the chart uses the panel's width
        chart = page.locator(".kpi-chart svg:visible").bounding_box()["width"]
        assert chart > 0.9 * page.locator(".kpi-now").bounding_box()["width"] - 60
        page.goto(base + "alignment.html")
        first = page.locator(".finding").first
        assert ".md:" not in first.locator(".finding-text").inner_text()
        assert first.locator("details.editor").count() == 1
    finally:
        context.close()


def test_search_text_has_no_space_before_punctuation():
    from stratdocs.render.views.words import plain_text
    assert plain_text("<p>Churn is <strong>red</strong>. See <a href='x'>I4</a>, then <em>act</em>!</p>") \
        == "Churn is red. See I4, then act!"


def test_findings_split_into_the_readers_sentence_and_the_editors_fix():
    from stratdocs.render.views.words import reader_words
    assert reader_words("task 'T-1' serves no strategic objective; link it with 'supports:'", "T-1") \
        == ("serves no strategic objective", "Link it with 'supports:'")
    assert reader_words("strategic objective 'SO9' has no KPI: add a KPI that 'measures: [SO9]'", "SO9") \
        == ("has no KPI", "Add a KPI that 'measures: [SO9]'")
    assert reader_words("KPI 'K1' is stale: latest actual 2026-06-30 is old", "") \
        == ("KPI &#39;K1&#39; is stale: latest actual <span class=\"date\">2026-06-30</span> is old", "")
