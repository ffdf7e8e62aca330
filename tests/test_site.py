"""The website: link integrity over the whole example site, traceability on pages, XSS, atomic
and reproducible output, themes, and the wheel carrying the theme."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path | None = None, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "stratdocs", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "CI": "1"})
    if check and done.returncode != 0:
        raise AssertionError(f"stratdocs {' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done


def copy_example(dest: Path) -> Path:
    shutil.copytree(REPO / "content", dest / "content")
    shutil.copy(REPO / "stratdocs.yml", dest / "stratdocs.yml")
    return dest


@pytest.fixture(scope="module")
def example_site(tmp_path_factory) -> Path:
    project = copy_example(tmp_path_factory.mktemp("example"))
    run("-C", str(project), "build", "--no-pdf")
    return project / "site"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []   # (tag, attribute, url)
        self.scripts: list[dict] = []
        self.event_attrs: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append((tag, name, attrs[name]))
        if tag == "script":
            self.scripts.append(attrs)
        for name in attrs:
            if name.lower().startswith("on"):
                self.event_attrs.append((tag, name))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_every_internal_link_and_anchor_resolves(example_site: Path):
    pages = sorted(example_site.rglob("*.html"))
    assert len(pages) > 50
    parsed = {p: parse(p) for p in pages}
    problems = []
    checked = 0
    for page, doc in parsed.items():
        for tag, attr, url in doc.links:
            parts = urlsplit(url)
            if tag == "link" and attr == "href" and parts.scheme == "https":
                continue  # the canonical link to base_url is for search engines, never fetched
            if parts.scheme in ("http", "https"):
                if tag != "a":
                    problems.append(f"{page}: loads {url} from outside the site")
                continue
            if parts.scheme == "mailto":
                continue
            if tag == "base" and page.name == "404.html":
                continue  # a server sends 404.html at any depth: its links start from the site's path
            assert not parts.scheme and not url.startswith("/"), f"{page}: non-relative link {url}"
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if example_site.resolve() not in target.parents and target != example_site.resolve():
                problems.append(f"{page}: {url} leaves the site")
                continue
            if not target.is_file():
                problems.append(f"{page}: {url} -> missing {target}")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append(f"{page}: {url} -> no anchor #{parts.fragment}")
            checked += 1
    assert not problems, "\n".join(problems[:20])
    assert checked > 1000
    broken = [p for p in pages if 'class="broken-link' in p.read_text(encoding="utf-8")]
    assert broken == []  # every [[ID]], relative link and image in the example resolved
    assert '<img alt="Northwind logo" src="assets/logo.svg"' in (example_site / "index.html").read_text()


def test_site_layout_matches_the_spec(example_site: Path):
    for rel in ("index.html", "objectives/index.html", "objectives/SO1.html", "objectives/SO8.html",
                "operations/emea/sales-dach.html", "kpis/K-CHURN.html", "scorecard.html", "alignment.html",
                "search.html", "search-index.json", "404.html", "matrices/objectives-operations.html",
                "matrices/objectives-operations.csv", "matrices/objectives-kpis.csv", "matrices/kpi-linkage.html",
                "static/style.css", "static/search.js", "assets/logo.svg"):
        assert (example_site / rel).is_file(), rel


def test_pages_show_traceability_both_ways(example_site: Path):
    so2 = (example_site / "objectives/SO2.html").read_text(encoding="utf-8")
    traced_from = so2[so2.index("Traced from"):]
    # I2 supports SO2 directly; the DACH sales plan supports I2, so it traces to SO2 indirectly.
    assert re.search(r'href="../initiatives/I2.html"[^>]*>.*?</a> <span class="tag direct">', traced_from, re.S)
    assert re.search(r'href="../operations/emea/sales-dach.html"[^>]*>.*?</a> <span class="tag indirect">',
                     traced_from, re.S)
    sales = (example_site / "operations/emea/sales-dach.html").read_text(encoding="utf-8")
    traces_to = sales[sales.index("Traces to"):sales.index("Traced from")]
    chain = re.findall(r'<code class="entity-id">([^<]+)</code>', traces_to)
    assert chain[:3] == ["sales-dach", "I2", "SO2"], chain
    assert 'id="T-SALES-1"' in sales and 'id="OO-SALES-1"' in sales
    assert re.search(r'<tr id="T-SALES-4" class="overdue">', sales)


def test_health_is_a_word_not_only_a_colour(example_site: Path):
    churn = (example_site / "kpis/K-CHURN.html").read_text(encoding="utf-8")
    assert '<span class="badge health-red">Red</span>' in churn
    assert "<svg" in churn and "Gross revenue churn" in churn
    scorecard = (example_site / "scorecard.html").read_text(encoding="utf-8")
    for word in ("Green", "Amber", "Red"):
        assert f">{word}</span>" in scorecard
    assert scorecard.count('class="sparkline"') >= 15


def test_matrix_page_marks_gaps_and_writes_csv(example_site: Path):
    html = (example_site / "matrices/objectives-operations.html").read_text(encoding="utf-8")
    assert '<tr class="depth-0 uncovered"><th class="row-head" scope="row"><a href="../objectives/SO8.html">' in html
    assert "via I2" in html and 'class="cell cell-direct' not in html.split("<tbody>")[0]
    csv_text = (example_site / "matrices/objectives-operations.csv").read_text(encoding="utf-8")
    header = csv_text.splitlines()[0].split(",")
    assert header[:2] == ["id", "title"] and "sales-dach" in header and header[-1] == "total"
    so8 = next(line for line in csv_text.splitlines() if line.startswith("SO8,"))
    assert so8.endswith(",0")


def test_alignment_report_groups_findings_and_lists_waivers(example_site: Path):
    html = (example_site / "alignment.html").read_text(encoding="utf-8")
    assert "Missing link between planning and execution" in html
    assert "no-execution" in html and "SO8" in html
    waivers = html[html.index("Accepted gaps"):]
    assert "SO7" in waivers and "annual employee survey" in waivers


def test_search_index_lists_every_item(example_site: Path):
    import json

    docs = json.loads((example_site / "search-index.json").read_text(encoding="utf-8"))["docs"]
    ids = {d["id"] for d in docs}
    assert {"SO1", "K-CHURN", "T-SALES-1", "swot"} <= ids
    task = next(d for d in docs if d["id"] == "T-SALES-1")
    assert task["href"] == "operations/emea/sales-dach.html#T-SALES-1"
    js = (example_site / "search-index.js").read_text(encoding="utf-8")
    assert js.startswith("window.STRATDOCS_SEARCH = ")


def test_page_size_does_not_grow_with_the_plan(example_site: Path):
    # The navigation lists sections, not every item: a page's markup is bounded.
    nav = re.search(r'<nav class="site-nav".*?</nav>', (example_site / "pages/swot.html").read_text(), re.S)[0]
    assert nav.count("<li>") <= 18  # kinds and reports, never items


XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


def xss_project(root: Path) -> Path:
    quoted = '"' + XSS.replace('"', '\\"') + '"'
    write(root, "stratdocs.yml", "title: 'Plan <script>alert(0)</script>'\nas_of: 2026-11-15\n")
    write(root, "content/plan.md", f"""\
        ---
        title: {quoted}
        vision: {quoted}
        mission: {quoted}
        values: [{quoted}]
        owner: {quoted}
        ---

        {XSS}

        [click](javascript:alert(3)) <a href="javascript:alert(4)">x</a> <div onclick="alert(5)">d</div>
        <iframe src="https://evil.example"></iframe><style>body{{display:none}}</style>
        [[SO1|<b onmouseover=alert(6)>t</b>]] {{: onclick="alert(7)" }}
        """)
    write(root, "content/objectives/SO1.md", f"""\
        ---
        title: {quoted}
        summary: {quoted}
        owner: {quoted}
        tags: [{quoted}]
        status: {quoted}
        perspective: financial
        ---

        # heading {{: onload="alert(8)" }}

        ![img](javascript:alert(9))
        """)
    write(root, "content/kpis/K1.md", f"""\
        ---
        title: {quoted}
        measures: [SO1]
        level: strategic
        unit: {quoted}
        owner: {quoted}
        source: {quoted}
        baseline: {{value: 1, date: 2026-01-01}}
        target: {{value: 2, date: 2026-12-31}}
        data: k1.csv
        ---
        """)
    write(root, "content/data/k1.csv", f'date,value,note\n2026-06-30,1.5,"{XSS.replace(chr(34), chr(39))}"\n')
    write(root, "content/reviews/R1.md", f"""\
        ---
        title: {quoted}
        about: [SO1]
        decisions: [{quoted}]
        ---
        """)
    return root


@pytest.mark.parametrize("raw_html", ["sanitize", "escape"])
def test_no_contributor_markup_reaches_the_site(tmp_path: Path, raw_html: str):
    root = xss_project(tmp_path)
    with (root / "stratdocs.yml").open("a") as fh:
        fh.write(f"raw_html: {raw_html}\n")
    run("-C", str(root), "build", "--no-pdf")
    site = root / "site"
    # The only inline script is the theme's own, in the 404 page of a site without base_url:
    # exactly the text of the built-in template, so nothing a contributor wrote can be one.
    template = (Path(__file__).parents[1] / "themes/default/templates/404.html").read_text(encoding="utf-8")
    theirs = template.split("<script>", 1)[1].split("</script>", 1)[0].strip()
    for page in site.rglob("*.html"):
        doc = parse(page)
        inline = [s for s in doc.scripts if not s.get("src")]
        assert all(s.get("src", "").endswith(("static/search.js", "search-index.js"))
                   for s in doc.scripts if s.get("src")), page
        if inline:
            text = page.read_text(encoding="utf-8")
            assert page.name == "404.html" and len(inline) == 1, page
            assert text.split("<script>", 1)[1].split("</script>", 1)[0].strip() == theirs, page
        assert not doc.event_attrs, (page, doc.event_attrs)
        for tag, attr, url in doc.links:
            assert not url.lower().lstrip().startswith(("javascript:", "data:text")), (page, url)
            assert tag != "iframe", page
        assert "<style>body" not in page.read_text(encoding="utf-8")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in home  # shown as text, not run
    index_js = (site / "search-index.js").read_text(encoding="utf-8")
    assert "</script" not in index_js.lower()


def test_build_is_byte_identical(tmp_path: Path):
    root = copy_example(tmp_path)
    run("-C", str(root), "build", "--no-pdf", "--out", "a")
    run("-C", str(root), "build", "--no-pdf", "--out", "b")
    a = {p.relative_to(root / "a"): p.read_bytes() for p in (root / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(root / "b"): p.read_bytes() for p in (root / "b").rglob("*") if p.is_file()}
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


def test_failed_build_leaves_previous_output_and_deleted_pages_disappear(tmp_path: Path):
    root = copy_example(tmp_path)
    run("-C", str(root), "build", "--no-pdf")
    before = (root / "site/index.html").read_bytes()
    so6 = next((root / "content/objectives").glob("SO6*.md"))
    original = so6.read_text(encoding="utf-8")
    so6.write_text(original.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    done = run("-C", str(root), "build", "--no-pdf", check=False)
    assert done.returncode == 1
    assert so6.name in done.stderr and "Traceback" not in done.stderr
    assert (root / "site/index.html").read_bytes() == before
    assert (root / "site/objectives/SO6.html").is_file()
    assert not [p for p in root.iterdir() if p.name.startswith(".site.")]  # no temp folders left behind
    so6.unlink()
    for path in root.joinpath("content").rglob("*.md"):  # drop references to the deleted objective
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"\bSO6\b", "SO5", text), encoding="utf-8")
    run("-C", str(root), "build", "--no-pdf")
    assert not (root / "site/objectives/SO6.html").exists()


@pytest.mark.parametrize("out", [".", "content", "content/site"])
def test_refuses_an_output_dir_that_would_hold_the_content(tmp_path: Path, out: str):
    root = copy_example(tmp_path)
    done = run("-C", str(root), "build", "--no-pdf", "--out", str(root / out), check=False)
    assert done.returncode == 1 and "content" in done.stderr.lower() or "project" in done.stderr.lower()
    assert (root / "content/plan.md").is_file()


def test_refuses_to_replace_a_folder_it_did_not_build(tmp_path: Path):
    root = copy_example(tmp_path)
    (root / "docs").mkdir()
    (root / "docs/important.txt").write_text("keep me")
    done = run("-C", str(root), "build", "--no-pdf", "--out", "docs", check=False)
    assert done.returncode == 1 and "not built by stratdocs" in done.stderr
    assert (root / "docs/important.txt").read_text() == "keep me"


def test_project_theme_overrides_one_template_and_adds_css(tmp_path: Path):
    root = copy_example(tmp_path)
    with (root / "stratdocs.yml").open("a") as fh:
        fh.write("theme: corporate\n")
    write(root, "themes/corporate/templates/404.html",
          '{% extends "base.html" %}{% block content %}<h1>Lost? Ask the PMO</h1>{% endblock %}\n')
    write(root, "themes/corporate/static/extra.css", ".site-header { background: #400; }\n")
    run("-C", str(root), "build", "--no-pdf")
    assert "Lost? Ask the PMO" in (root / "site/404.html").read_text()
    home = (root / "site/index.html").read_text()
    assert 'href="static/extra.css"' in home and 'href="static/style.css"' in home
    assert (root / "site/static/extra.css").read_text().startswith(".site-header")


def test_an_item_named_index_is_refused_before_it_could_overwrite_a_folder_index(tmp_path: Path):
    root = copy_example(tmp_path)
    write(root, "content/objectives/index.md", "---\ntitle: Index objective\nowner: CEO\n---\n")
    done = run("-C", str(root), "check", check=False)
    assert done.returncode == 1
    assert "content/objectives/index.md:1:1: error: 'index' cannot be an id" in done.stdout
