"""Issue #11, the pack's words and untuned organisations: a board pack that speaks to a board
(no paths, rule ids or YAML advice), configurable perspectives, a neutral generic-strategy text,
a strategy map readable in print, sub-objectives under their parent, reviews newest first.

Everything runs through the real CLI on real content; PDFs are read back with pypdf.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from stratdocs.findings import ERROR_CODES, WARNING_CODES
from stratdocs.render.views.board import EDITOR_CODES, SERIOUSNESS

from conftest import EXAMPLE_ROOT, VALID_PLAN, PlanProject, run_module

pytestmark = pytest.mark.slow

#: Front-matter advice a board must never read.
YAML_ADVICE = ("drives:", "serves:", "supports:", "measures:", "actuals:", "waive:", "add '", "review_by",
               "stratdocs review", "stratdocs check")


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in reader.pages)


def _outline(reader: PdfReader) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title))
    walk(reader.outline, 0)
    return out


def _section_text(reader: PdfReader, heading: str, after: str | None = None) -> str:
    """The text of the pages from the one starting with `heading` to the one starting `after`."""
    pages = [p.extract_text() for p in reader.pages]
    start = next(i for i, t in enumerate(pages) if t.lstrip().startswith(heading))
    end = next((i for i, t in enumerate(pages) if i > start and after and t.lstrip().startswith(after)), len(pages))
    return re.sub(r"(\w)-\n(\w)", r"\1\2", "\n".join(pages[start:end]))  # words hyphenated at line ends


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The example plan built by the real CLI: site and both PDFs."""
    out = tmp_path_factory.mktemp("example") / "site"
    done = subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(EXAMPLE_ROOT), "build", "--out", str(out)],
                          capture_output=True, text=True, timeout=600, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def board(example) -> PdfReader:
    return PdfReader(example / "pdf" / "board-pack.pdf")


@pytest.fixture(scope="module")
def example_findings() -> list[dict]:
    done = run_module("-C", str(EXAMPLE_ROOT), "check", "--format", "json")
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- 1. the pack's words

def test_board_pack_has_no_paths_rule_ids_or_yaml_advice(board, example):
    for reader in (board, PdfReader(example / "pdf" / "ops-sales.pdf")):
        text = _text(reader)
        assert "content/" not in text and "Source: content" not in text
        for code in (*ERROR_CODES, *WARNING_CODES, "config"):
            # hyphenated codes are never English; every code is never printed as a bracketed id
            if "-" in code:
                assert not re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text), code
            assert f"[{code}]" not in text
        for advice in YAML_ADVICE:
            assert advice not in text, advice


def test_alignment_section_lists_the_most_serious_finding_first(board, example_findings):
    text = " ".join(_section_text(board, "14  Alignment report").split())
    assert "the most serious first" in text
    shown = [f for f in example_findings if f["severity"] == "warning" and f["code"] not in EDITOR_CODES]
    assert shown, "the example plan should have findings to order"
    rank = {f["entity"]: SERIOUSNESS.index(f["code"]) for f in shown}
    order = [m for m in re.findall(r"\(([A-Za-z0-9._-]+), p\.|\(([A-Za-z0-9._-]+)\) ", text) for m in m if m]
    order = [i for i in order if i in rank]
    assert order[0] == min(rank, key=rank.get) == "SO8"  # no-execution is the most serious here
    assert [rank[i] for i in order] == sorted(rank[i] for i in order)
    # the first sentence is a plain sentence about SO8, without the fix
    first = text[text.index("the most serious first"):]
    assert re.search(r"Prepare a North American market entry for 2028\s*\(SO8, p\.\s*\d+\)\s*is not executed", first)


def test_site_alignment_page_keeps_the_editor_details(example):
    html = (example / "alignment.html").read_text(encoding="utf-8")
    editor = re.findall(r'<details class="editor">(.*?)</details>', html, re.S)
    assert any("no-execution" in d and "content/objectives/SO8-north-america.md" in d
               and "supports: [SO8]" in d for d in editor)
    # the reader's sentence stays outside the details
    outside = re.sub(r'<details class="editor">.*?</details>', "", html, flags=re.S)
    assert "is not executed" in outside and "no-execution" not in outside.split("<main", 1)[1]


def test_entity_alignment_notes_are_reader_sentences(board):
    text = _section_text(board, "5  Strategic objectives", "6  Strategic initiatives")
    notes = text[text.index("Alignment notes"):]
    assert "is not executed: no initiative, strategy or operational plan supports it" in notes
    assert "waive it" not in notes


# --------------------------------------------------------------------------- 5, 7. order

def test_sub_objectives_are_bookmarked_under_their_parent(board):
    marks = _outline(board)
    so1 = next(i for i, (_, t) in enumerate(marks) if t.startswith("SO1 ·"))
    level = marks[so1][0]
    assert [(lv - level, t.split(" ·")[0]) for lv, t in marks[so1:so1 + 3]] == [(0, "SO1"), (1, "SO2"), (1, "SO3")]
    assert marks[so1 + 3][0] == level  # the next top-level objective is back at SO1's level


def test_sub_objectives_follow_their_parent_on_site_and_in_matrices(example):
    index = (example / "objectives" / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr class="depth-(\d)"><td>.*?objectives/(SO\d)\.html', index)
    assert [r[1] for r in rows][:3] == ["SO1", "SO2", "SO3"] and [r[0] for r in rows][:3] == ["0", "1", "1"]
    scorecard = (example / "scorecard.html").read_text(encoding="utf-8")
    groups = re.findall(r'<tr class="group-row depth-(\d)">.*?(SO\d)', scorecard)
    assert groups[:3] == [("0", "SO1"), ("1", "SO2"), ("1", "SO3")]
    matrix = list(csv.reader(io.StringIO((example / "matrices" / "objectives-kpis.csv").read_text(encoding="utf-8"))))
    assert [r[0] for r in matrix[1:4]] == ["SO1", "SO2", "SO3"]
    page = (example / "matrices" / "objectives-kpis.html").read_text(encoding="utf-8")
    heads = re.findall(r'<tr class="depth-(\d)[^"]*"><th class="row-head" scope="row">(?:<span[^>]*>↳ </span>)?'
                       r'<a href="../objectives/(SO\d)\.html">', page)
    assert heads[:4] == [("0", "SO1"), ("1", "SO2"), ("1", "SO3"), ("0", "SO4")]


def test_pdf_scorecard_lists_sub_objectives_under_their_parent_by_perspective(board):
    text = _section_text(board, "3  KPI scorecard", "4  Roadmap")
    flat = " ".join(text.split())
    assert flat.index("FINANCIAL") < flat.index("SO1 Double") < flat.index("↳ SO2") < flat.index("↳ SO3") \
        < flat.index("CUSTOMER") < flat.index("SO4 Be the") < flat.index("INTERNAL PROCESSES")


def test_the_contents_of_the_example_pack_fit_its_one_page(board):
    """The board reads the contents on one page: the page after it opens the first section."""
    contents, following = board.pages[1].extract_text(), board.pages[2].extract_text()
    assert "Contents" in contents and "Alignment report" in contents
    assert "Contents" not in following and "Executive summary" in following


def test_reviews_are_newest_first_in_the_pdf_as_on_the_site(board, example):
    text = _section_text(board, "10  Reviews and decisions", "11  Open actions")
    assert text.index("review-2026-q3 ·") < text.index("review-2026-q2 ·")
    site = (example / "reviews" / "index.html").read_text(encoding="utf-8")
    assert site.index("review-2026-q3.html") < site.index("review-2026-q2.html")


# --------------------------------------------------------------------------- 4. the strategy map

def _mult(m, n):
    return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]]


def test_strategy_map_fits_one_page_with_its_heading_and_prints_at_8pt(board):
    pages = [p for p in board.pages if p.extract_text().lstrip().startswith("Strategy map")]
    assert len(pages) == 1
    page = pages[0]
    text = page.extract_text()
    for oid in ("SO1", "SO2", "SO3", "SO4", "SO5", "SO6", "SO7", "SO8", "contributes to", "enables"):
        assert oid in text  # every card and the legend on the heading's page
    sizes: dict[str, float] = {}

    def visit(chunk, cm, tm, font, size):
        word = chunk.strip()
        if word:
            m = _mult(tm, cm)
            sizes[word] = min(sizes.get(word, 99.0), size * abs(m[0] * m[3] - m[1] * m[2]) ** 0.5)
    page.extract_text(visitor_text=visit)
    map_words = [w for w in sizes if re.fullmatch(r"SO\d|GREEN|AMBER|RED|NO DATA|Green|Amber|Red|No data|"
                                                 r"contributes to|enables|Financial|Customer", w)]
    assert len(map_words) >= 10
    assert min(sizes[w] for w in map_words) >= 8.0, {w: sizes[w] for w in map_words}


def test_strategy_map_draws_cause_and_effect_apart_from_sub_objective_links(example):
    home = (example / "index.html").read_text(encoding="utf-8")
    svg = home[home.index('class="sd-chart sd-strategy-map"'):home.index("</svg>", home.index("sd-strategy-map"))]
    causes = re.findall(r'<path[^>]*class="sd-link sd-cause"[^>]*>', svg)
    assert len(causes) == 7  # SO4>SO3, SO5>SO4, SO5>SO2, SO6>SO4, SO7>SO5, SO7>SO6 and the legend's
    assert all('stroke-dasharray="5 3"' in c for c in causes)  # a line style, not only a colour
    solid = re.findall(r'<path[^>]*class="sd-link"[^>]*>', svg)
    assert solid and not any("dasharray" in s for s in solid)
    assert "SO7 enables SO5" in svg and "SO2 contributes to SO1" in svg


def test_enables_must_name_objectives(plan_project):
    plan_project.write("content/objectives/SO2.md", "---\ntitle: Second\nperspective: customer\nowner: CMO\n"
                       "period: {start: 2026, end: 2028}\nenables: [SO1, K-REV, NOPE]\n---\n")
    found = plan_project.check().findings
    wrong = [f for f in found if f["code"] == "wrong-kind"]
    broken = [f for f in found if f["code"] == "broken-ref"]
    assert wrong and wrong[0]["file"] == "content/objectives/SO2.md" and wrong[0]["line"] == 6
    assert broken and "NOPE" in broken[0]["message"]


# --------------------------------------------------------------------------- 2, 3. untuned organisations

HOSPITAL = {
    "stratdocs.yml": """\
        title: St Mary's Hospital
        organisation: St Mary's Hospital Trust
        as_of: 2026-11-15
        perspectives:
          patients: Patients and families
          quality: Safe, high-quality care
          people: Our staff
          finance: Sustainable finances
        documents:
          - {id: board, title: Board report, sections: [cover, contents, plan, scorecard, objectives, kpis]}
        """,
    "content/plan.md": """\
        ---
        title: Hospital plan 2026–2029
        vision: Care we would choose for our own families
        period: {start: 2026, end: 2029}
        strategy: differentiation
        owner: Chief Executive
        ---
        """,
    "content/objectives/P1.md": """\
        ---
        title: Shorter waits for planned care
        perspective: patients
        period: {start: 2026, end: 2029}
        owner: Chief Operating Officer
        ---
        """,
    "content/objectives/F1.md": """\
        ---
        title: Break even every year
        perspective: finance
        enables: [P1]
        period: {start: 2026, end: 2029}
        owner: Finance Director
        ---
        """,
    "content/objectives/S1.md": """\
        ---
        title: Keep nurse vacancies below 5%
        perspective: people
        enables: [P1]
        period: {start: 2026, end: 2029}
        owner: Chief Nurse
        ---
        """,
    "content/initiatives/I1.md": """\
        ---
        title: Theatre productivity programme
        supports: [P1, F1, S1]
        owner: Chief Operating Officer
        ---
        """,
    "content/kpis/K-WAIT.md": """\
        ---
        title: Patients waiting over 18 weeks
        level: strategic
        measures: [P1]
        owner: Chief Operating Officer
        unit: "%"
        direction: down
        frequency: monthly
        baseline: {value: 40, date: 2025-12-31}
        target: {value: 20, date: 2026-12-31}
        actuals:
          - {date: 2026-10-31, value: 24}
        ---
        """,
}


@pytest.fixture(scope="module")
def hospital(tmp_path_factory) -> tuple[PlanProject, Path]:
    project = PlanProject(tmp_path_factory.mktemp("hospital") / "plan", HOSPITAL)
    out = project.root / "site"
    result = project.run("build")
    assert result.exit_code in (0, 1) and (out / "index.html").exists(), result.stderr + result.stdout
    return project, out


def test_hospital_perspectives_name_and_order_everything(hospital):
    project, out = hospital
    home = (out / "index.html").read_text(encoding="utf-8")
    label = re.search(r'sd-strategy-map"[^>]*aria-label="([^"]*)"', home).group(1)
    assert label.index("Patients and families: P1") < label.index("Our staff: S1") \
        < label.index("Sustainable finances: F1")  # the config's order; a band without objectives is left out
    assert "F1 enables P1" in label and "S1 enables P1" in label
    for page in ("index.html", "scorecard.html", "objectives/P1.html", "objectives/index.html"):
        text = (out / page).read_text(encoding="utf-8")
        assert "Customer" not in text and "Financial" not in text, page
    assert "Patients and families" in (out / "objectives" / "P1.html").read_text(encoding="utf-8")
    assert '<tr class="group-row perspective-row"><th scope="colgroup" colspan="7">Patients and families</th></tr>' \
        in (out / "scorecard.html").read_text(encoding="utf-8")
    search = json.loads((out / "search-index.json").read_text(encoding="utf-8"))
    docs = search if isinstance(search, list) else search.get("docs", search.get("documents", []))
    p1 = next(d for d in docs if d["id"] == "P1")
    assert p1["kind_label"] == "Strategic objective · Patients and families"
    pdf = " ".join(_text(PdfReader(out / "pdf" / "board.pdf")).split()).upper()  # kickers print in capitals
    assert "PATIENTS AND FAMILIES" in pdf and "SUSTAINABLE FINANCES" in pdf and "CUSTOMER" not in pdf
    assert "STRATEGIC OBJECTIVE · PATIENTS AND FAMILIES" in pdf


def test_a_perspective_outside_the_config_is_a_located_error(make_project):
    files = {**HOSPITAL}
    files["content/objectives/P1.md"] = files["content/objectives/P1.md"].replace("perspective: patients",
                                                                                  "perspective: customer")
    result = make_project(files).check()
    assert result.exit_code == 1
    found = result.only("schema")
    assert found["file"] == "content/objectives/P1.md" and found["line"] == 3
    assert "patients, quality, people, finance" in found["message"]


@pytest.mark.parametrize("value, line, words", [
    ("perspectives: [Patients, Staff]", 2, "maps each perspective's key to its name"),
    ("perspectives: {Patients: Patients}", 2, "must be lower-case letters"),
    ("perspectives: {patients: '  '}", 2, "needs a name readers see"),
    ("perspectives:\n  patients: [a, b]", 3, "must be text"),
])
def test_bad_perspectives_are_located_config_errors(make_project, value, line, words):
    files = {**VALID_PLAN, "stratdocs.yml": f"title: Test plan\n{value}\n"}
    result = make_project(files).run("check")
    assert result.exit_code == 2
    assert re.search(rf"stratdocs\.yml:{line}:\d+: .*{re.escape(words)}", result.stdout + result.stderr)


def test_generic_strategy_is_neutral_and_replaceable(hospital, make_project):
    project, out = hospital
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Generic strategy: Differentiation" in home and "charging for it" not in home
    assert "Offer something those we serve value" in home
    themes = Path(__file__).resolve().parents[1]
    for folder in ("themes", "stratdocs"):
        for path in (themes / folder).rglob("*"):
            if path.suffix in (".py", ".html", ".md"):
                assert "charging for it" not in path.read_text(encoding="utf-8"), path
    own = dict(HOSPITAL)
    own["content/plan.md"] = own["content/plan.md"].replace(
        "strategy: differentiation\n", "strategy: differentiation\n        strategy_text: We win on outcomes patients can see.\n")
    built = make_project(own)
    assert built.run("build", "--no-pdf").exit_code in (0, 1)
    home = (built.root / "site" / "index.html").read_text(encoding="utf-8")
    assert "We win on outcomes patients can see." in home and "Offer something those we serve" not in home


def test_strategy_text_must_be_text(make_project):
    files = {**VALID_PLAN}
    files["content/plan.md"] = files["content/plan.md"].replace("strategy: focus\n",
                                                                "strategy: focus\n        strategy_text: [a, b]\n")
    found = make_project(files).check().only("schema")
    assert found["file"] == "content/plan.md" and found["line"] == 8 and "strategy_text" in found["message"]
