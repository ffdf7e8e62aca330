"""The executive summary: one A4 page right after the contents for a plan of ten objectives, one
row per objective (sub-objectives under their parent), gaps in board language, the decisions the
board is asked for, and the same at the top of the home page."""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import EXAMPLE_ROOT, PlanProject
from web_fixtures import chromium, served  # noqa: F401  (fixtures)

OWNERS = ("Chief Executive Officer", "Chief Financial Officer", "Chief Revenue Officer", "Chief Operating Officer",
          "VP Customer Success")
PERSPECTIVES = ("financial", "customer", "internal", "learning")
#: (id, parent, title) of the ten objectives: three are sub-objectives.
OBJECTIVES = (
    ("SO01", "", "Double our share of the European mid-market for planning and analytics software"),
    ("SO02", "SO01", "Become a top-five vendor in DACH and the Nordics with local teams in every country"),
    ("SO03", "SO01", "Win 40 reference customers in regulated industries across the new markets"),
    ("SO04", "", "Grow annual recurring revenue to EUR 105m while keeping gross margin above 78%"),
    ("SO05", "", "Be the analytics vendor customers trust and recommend to their peers"),
    ("SO06", "SO05", "Cut gross revenue churn to 6% by retaining the mid-market core"),
    ("SO07", "", "Lead the market in explainable, sovereign analytics for European companies"),
    ("SO08", "", "Run a secure, certified and cost-disciplined operating model in three regions"),
    ("SO09", "", "Build a multilingual team with the skills to run a multi-country company"),
    ("SO10", "", "Prepare a North American market entry for 2028 with a partner-led model"),
)
COMMENT = ("Figures for the month are {state}; the regional teams explain the difference by the late start of "
           "the second hiring wave and the renewals that moved into the next quarter, which the plan did not expect.")


def _kpi(number: int, objective: str, values: tuple[float, float], commentary: bool) -> str:
    comment = (f"commentary:\n  - period: 2026-10\n    author: {OWNERS[number % 5]}\n"
               f"    analysis: {COMMENT.format(state='behind plan' if values[1] < 80 else 'on plan')}\n"
               "    recommendation: Keep the year-end target and report again in November.\n") if commentary else ""
    return (f"---\ntitle: Indicator {number} of the plan\nlevel: strategic\nmeasures: [{objective}]\n"
            f"owner: {OWNERS[number % 5]}\nunit: '%'\ndirection: up\nbaseline: {{value: 0, date: 2025-12-31}}\n"
            f"target: {{value: 100, date: 2026-12-31}}\nactuals:\n  - {{date: 2026-09-30, value: {values[0]}}}\n"
            f"  - {{date: 2026-10-31, value: {values[1]}}}\n{comment}---\n")


def ten_objectives(root: Path) -> PlanProject:
    """A plan of ten objectives (three of them sub-objectives), each measured and executed."""
    plan = PlanProject(root, {})
    plan.write("stratdocs.yml", "title: Ten objectives\nas_of: 2026-11-15\norganisation: Example AG\n"
               "documents:\n  - {id: pack, title: Board pack, sections: [cover, contents, summary, plan, scorecard]}\n")
    plan.write("content/plan.md", "---\ntitle: Strategic plan 2026–2028\nvision: Grow\nmission: Serve\n"
               "owner: Chief Executive Officer\n---\n\nThe plan.\n")
    ids = ", ".join(o[0] for o in OBJECTIVES)
    plan.write("content/initiatives/I1.md", f"---\ntitle: Growth programme\nsupports: [{ids}]\n"
               "owner: Chief Operating Officer\n---\n\nThe programme.\n")
    for n, (oid, parent, title) in enumerate(OBJECTIVES):
        parent_key = f"parent: {parent}\n" if parent else ""
        plan.write(f"content/objectives/{oid}.md",
                   f"---\nid: {oid}\ntitle: {title}\nperspective: {PERSPECTIVES[n % 4]}\n{parent_key}"
                   f"owner: {OWNERS[n % 5]}\ncommentary:\n  - period: 2026-10\n    author: {OWNERS[n % 5]}\n"
                   f"    analysis: {COMMENT.format(state='mixed')}\n---\n\nWhy {oid} matters.\n")
        # Planned: 74.8 at the end of September, 83.3 at the end of October. SO02 and SO10 stay
        # amber; SO06 falls from green to red (and with it its parent SO05); the rest stay green.
        values = (80.0, 60.0) if oid == "SO06" else (70.0, 68.0) if n % 4 == 1 else (75.0, 84.0)
        plan.write(f"content/kpis/M{n:02d}.md", _kpi(n, oid, values, commentary=n != 5))
    plan.write("content/reviews/R-2026-Q3.md", "---\ntitle: Q3 review\ndate: 2026-10-20\nabout: [SO01]\n"
               "decisions_requested:\n  - Approve the 2027 budget.\n  - Confirm the price book for 2027.\n---\n\nFindings.\n")
    plan.write("content/reviews/R-2026-Q2.md", "---\ntitle: Q2 review\ndate: 2026-07-20\nabout: [SO01]\n"
               "decisions_requested:\n  - An old request the board already decided.\n---\n\nFindings.\n")
    return plan


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("ten")
    plan = ten_objectives(root / "plan")
    out = root / "out"
    result = plan.run("build", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    return out


def _page_texts(reader: PdfReader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def _bookmarks(reader: PdfReader) -> dict[str, int]:
    """Top-level bookmark title -> page index."""
    return {item.title: reader.get_destination_page_number(item) for item in reader.outline
            if not isinstance(item, list)}


def test_the_summary_is_one_page_right_after_the_contents(built):
    reader = PdfReader(io.BytesIO((built / "pdf" / "pack.pdf").read_bytes()))
    marks = _bookmarks(reader)
    pages = _page_texts(reader)
    summary = marks["1 Executive summary"]
    assert pages[summary - 1].startswith("Contents")  # the contents, on the page before
    assert marks["2 Strategic plan"] == summary + 1              # exactly one page
    text = pages[summary]
    # One row per objective, in tree order: no gap names an objective here (all are executed and
    # worked on), so each id appears once, in the rows.
    found = re.findall(r"\bSO\d\d\b", text)
    assert found == [o for o, _, _ in (OBJECTIVES[0], OBJECTIVES[1], OBJECTIVES[2], *OBJECTIVES[3:])]
    assert "The board is asked to decide" in text
    assert "Approve the 2027 budget." in text and "An old request" not in text
    assert "Most serious gaps" in text


def test_summary_speaks_board_language(built):
    reader = PdfReader(io.BytesIO((built / "pdf" / "pack.pdf").read_bytes()))
    text = _page_texts(reader)[_bookmarks(reader)["1 Executive summary"]]
    gaps = text.split("Most serious gaps", 1)[1].split("The board is asked to decide", 1)[0]
    assert "is red" in gaps and "behind plan" in gaps
    assert "its latest figures have no commentary yet" in gaps  # M05 (of SO06) has none
    for editor_words in ("content/", ".md", "supports:", "waive", "stale-commentary", "red-unaddressed", "[", "'"):
        assert editor_words not in text, editor_words


class _Rows(HTMLParser):
    """The rows of the home page's summary table: (class, objective id)."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_summary = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "summary-table" in (attrs.get("class") or ""):
            self._in_summary = True
        elif tag == "tr" and self._in_summary and "summary-row" in (attrs.get("class") or ""):
            self.rows.append([attrs["class"]])

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_summary = False

    def handle_data(self, data):
        if self._in_summary and self.rows and re.fullmatch(r"SO\d\d", data.strip()) and len(self.rows[-1]) == 1:
            self.rows[-1].append(data.strip())


def test_home_page_opens_with_the_summary(built):
    page = (built / "index.html").read_text(encoding="utf-8")
    assert page.index("Executive summary") < page.index("<h2>Vision</h2>")
    parser = _Rows()
    parser.feed(page)
    assert [(row[1], row[0].split()[-1]) for row in parser.rows] == [
        ("SO01", "depth-0"), ("SO02", "depth-1"), ("SO03", "depth-1"), ("SO04", "depth-0"), ("SO05", "depth-0"),
        ("SO06", "depth-1"), ("SO07", "depth-0"), ("SO08", "depth-0"), ("SO09", "depth-0"), ("SO10", "depth-0")]
    briefing = page.split('class="panel briefing"', 1)[1].split("</section>", 1)[0]
    assert "Approve the 2027 budget." in briefing
    assert re.search(r'aria-hidden="true">↓</span> <span class="trend-word">Worsening</span>', briefing)


def test_example_board_pack_has_the_summary_after_the_contents():
    text = (EXAMPLE_ROOT / "stratdocs.yml").read_text(encoding="utf-8")
    assert "sections: [cover, contents, summary," in text
    from stratdocs.config.specs import DEFAULT_DOCUMENT
    assert DEFAULT_DOCUMENT.sections[:3] == ("cover", "contents", "summary")


def test_summary_and_trends_in_a_browser(served, chromium):
    """What a reader sees: the summary first on the home page, one block per objective on a phone
    without sideways scrolling, and trends that say their word (the arrow is hidden from screen
    readers), on the home page and the scorecard."""
    _, base = served["example"]
    for width in (1366, 390):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            page.goto(base + "index.html")
            briefing = page.locator("section.briefing")
            assert briefing.bounding_box()["y"] < page.locator("section.hero").bounding_box()["y"]
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            rows = page.locator("table.summary-table tr.summary-row")
            assert rows.count() == 8
            sub = page.locator("table.summary-table tr.depth-1 th a").first.bounding_box()
            top = page.locator("table.summary-table tr.depth-0 th a").first.bounding_box()
            assert sub["x"] > top["x"]  # indented under its parent
            assert page.locator("section.briefing .trend-arrow[aria-hidden='true']").count() >= 8
            assert "Improving" in rows.first.inner_text()
            page.goto(base + "scorecard.html")
            churn = page.locator("table.scorecard-all tr", has_text="K-CHURN")
            text = churn.inner_text()
            assert "Worsening" in text and "+0.3 points" in text  # churn rose: worse for a 'down' KPI
            assert page.evaluate("document.documentElement.scrollWidth") <= width
        finally:
            context.close()


def test_high_risks_overdue_actions_and_late_initiatives_reach_the_summary(plan_project):
    """Issue 14: the executive summary's gaps include what execution tracking finds."""
    plan_project.write("content/risks/RK1.md", "---\ntitle: The key supplier fails\nowner: CFO\nlikelihood: 5\n"
                                               "impact: 4\nthreatens: [SO1]\n---\n")
    plan_project.edit("content/reviews/R1.md", "  - Keep going\n", "  - Keep going\nactions:\n  - id: A1\n"
                      "    title: Call the partners\n    due: 2026-10-15\n")
    plan_project.edit("content/initiatives/I1.md", "currency: EUR\n", "currency: EUR\nprogress: 0.05\n")
    assert plan_project.run("build", "--no-pdf").exit_code == 0
    home = plan_project.read("site/index.html")
    gaps = home.split("Most serious gaps", 1)[1].split("The board is asked to decide", 1)[0]
    assert "is a high risk (likelihood 5 × impact 4 = 20) and nothing mitigates it." in gaps
    assert "is overdue: it was due on 15 October 2026 and nobody owns it." in gaps
    assert "is behind schedule: 5% done with" in gaps
    assert gaps.index("RK1") < gaps.index("I1") < gaps.index("A1")  # most serious first
