"""PDF plan documents: read the PDFs back with pypdf and check what a board member and SPEC §10/§12
promise — cover, contents, bookmarks, running header and footer, internal links, landscape and
split matrices, filters, the draft watermark, no embedded files, the deny-by-default fetcher,
the time limit and byte-identical output."""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pypdf import PdfReader

from stratdocs import project as project_mod
from stratdocs.errors import StratdocsError
from stratdocs.render import pdf
from stratdocs.render.pdfviews import DocumentViews, select
from stratdocs.render.writer import MARKER, Writer

from conftest import EXAMPLE_ROOT, PlanProject

COMMIT = "0123456789ab"


# --------------------------------------------------------------------------- helpers


def load(root: Path):
    project = project_mod.load(root)
    return project, pdf.document_views(project, COMMIT)


def render(root: Path, *ids: str, timeout: float | None = pdf.DEFAULT_TIMEOUT):
    """{id: (PdfReader, findings, bytes)} for the named documents (all when none is named)."""
    project, views = load(root)
    docs = pdf.chosen_documents(project, ids or None)
    out = pdf.render_documents(project, views, docs, commit=COMMIT, timeout=timeout)
    return {k: (PdfReader(io.BytesIO(data)), findings, data) for k, (data, findings) in out.items()}


def outline(reader: PdfReader) -> list[tuple[int, str]]:
    """The bookmarks as (level, title), depth first."""
    out: list[tuple[int, str]] = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title))
    walk(reader.outline, 0)
    return out


_TEXTS: dict[int, list[str]] = {}


def texts(reader: PdfReader) -> list[str]:
    """The text of every page, whitespace collapsed (extracted once per reader: it is slow)."""
    if id(reader) not in _TEXTS:
        _TEXTS[id(reader)] = [" ".join((page.extract_text() or "").split()) for page in reader.pages]
    return _TEXTS[id(reader)]


def links(reader: PdfReader) -> list[dict]:
    found = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                found.append(annot)
    return found


def landscape(page) -> bool:
    box = page.mediabox
    return float(box.width) > float(box.height)


def small_plan(root: Path, documents: str, extra: dict[str, str] | None = None) -> PlanProject:
    """The conftest plan with these `documents:` (YAML) in its config."""
    plan = PlanProject(root)
    plan.write("stratdocs.yml", "title: Test plan\nas_of: 2026-11-15\n" + textwrap.dedent(documents))
    for rel, text in (extra or {}).items():
        plan.write(rel, text)
    return plan


def big_plan(root: Path, objectives: int = 200, operations: int = 60, documents: str = "") -> Path:
    """A generated plan: many objectives, operations that each support four of them."""
    c = root / "content"
    for folder in ("objectives", "operations"):
        (c / folder).mkdir(parents=True, exist_ok=True)
    (root / "stratdocs.yml").write_text("title: Big plan\nas_of: 2026-11-15\n" + documents, encoding="utf-8")
    (c / "plan.md").write_text("---\ntitle: Big plan\nvision: Grow\nmission: Serve\nowner: CEO\n---\n\nBody.\n",
                               encoding="utf-8")
    for i in range(1, objectives + 1):
        (c / "objectives" / f"SO{i:03d}.md").write_text(
            f"---\ntitle: Strategic objective number {i}\nperspective: financial\nowner: Exec\n---\n\nWhy.\n",
            encoding="utf-8")
    for j in range(1, operations + 1):
        supports = ", ".join(f"SO{(j * 7 + k * 13) % objectives + 1:03d}" for k in range(4))
        (c / "operations" / f"op-{j:02d}.md").write_text(
            f"---\ntitle: Operational plan {j}\nfunction: {'sales' if j % 2 else 'finance'}\nperiod: 2026\n"
            f"owner: Manager {j}\nsupports: [{supports}]\ntasks:\n  - id: T{j:02d}\n    title: Task of plan {j}\n"
            f"    owner: Someone\n    due: 2026-06-30\n    status: doing\n---\n\nHow.\n", encoding="utf-8")
    return root


# --------------------------------------------------------------------------- the example board pack


@pytest.fixture(scope="module")
def example():
    """Both documents of the example plan, rendered once (in worker processes, as in a build)."""
    return render(EXAMPLE_ROOT)


@pytest.fixture(scope="module")
def board(example):
    return example["board-pack"]


def test_cover_has_title_dates_confidentiality_and_commit(board):
    reader, findings, _ = board
    cover = texts(reader)[0]
    assert "Northwind Analytics Strategic Plan" in cover
    assert "Board pack".upper() in cover.upper() and "Strategic plan review, Q4 2026" in cover
    assert "15 November 2026" in cover
    assert "Confidential — Board of Directors" in cover
    assert COMMIT in cover
    assert findings == []


def test_every_page_has_a_running_header_and_page_x_of_y(board):
    reader = board[0]
    pages = texts(reader)
    total = len(pages)
    assert total > 20
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {total}" in text
        assert "Confidential — Board of Directors" in text
    assert "Page 1 of" in pages[0]
    # the running header names the document and the current section
    scorecard = next(t for t in pages if "KPI scorecard" in t and "grouped by the strategic objective" in t)
    assert "Board pack 3 KPI scorecard" in scorecard


def test_bookmarks_mirror_the_configured_sections(board):
    reader = board[0]
    marks = outline(reader)
    top = [title for level, title in marks if level == 0]
    assert top == ["Cover", "Contents", "1 Executive summary", "2 Strategic plan", "3 KPI scorecard", "4 Roadmap",
                   "5 Strategic objectives", "6 Strategic initiatives", "7 Strategic objectives × operational plans",
                   "8 Strategic objectives × KPIs", "9 KPIs", "10 Reviews and decisions", "11 Open actions",
                   "12 Risk register", "13 Strategic objectives × risks", "14 Alignment report"]
    children = [title for level, title in marks if level == 1]
    assert "SO1 · Double our market share in European mid-market analytics" in children
    assert any(t.startswith("K-ARR · ") for t in children)
    assert any(t.startswith("I2 · ") for t in children)


def test_contents_lists_sections_with_page_numbers(board):
    reader = board[0]
    contents = texts(reader)[1]
    assert "Contents" in contents
    # a leader and the page where the section starts, found via its bookmark
    marks = {item.title: reader.get_destination_page_number(item) + 1
             for item in reader.outline if not isinstance(item, list)}
    match = re.search(r"KPI scorecard[ .]*(\d+)", contents)
    assert match and int(match[1]) == marks["3 KPI scorecard"]
    assert re.search(r"SO1 · Double our market share.*?(\d+)", contents)


def test_internal_links_jump_inside_the_document(board):
    reader = board[0]
    names = set(reader.named_destinations)
    annots = links(reader)
    assert len(annots) > 100
    for annot in annots:
        if "/Dest" in annot:
            assert annot["/Dest"] in names
        else:  # only web links from content may leave the document
            action = annot["/A"]
            assert action["/S"] == "/URI" and str(action["/URI"]).startswith(("http://", "https://", "mailto:"))
    assert {"e-SO1", "e-K-ARR", "e-I2", "s-scorecard"} <= names
    # operations are not part of the board pack: no anchor, and nothing links there
    assert "e-sales-dach" not in names


def test_matrices_are_on_landscape_pages(board):
    reader = board[0]
    starts = {item.title: reader.get_destination_page_number(item)
              for item in reader.outline if not isinstance(item, list)}
    for title in ("7 Strategic objectives × operational plans", "8 Strategic objectives × KPIs"):
        assert landscape(reader.pages[starts[title]])
        assert title in texts(reader)[starts[title]]
    portrait = [i for i, page in enumerate(reader.pages) if not landscape(page)]
    assert starts["9 KPIs"] in portrait and 0 in portrait and starts["2 Strategic plan"] in portrait


def test_health_is_always_a_word(board):
    pages = texts(board[0])
    scorecard = next(t for t in pages if "grouped by the strategic objective" in t)
    for word in ("Green", "Amber", "Red", "No data"):
        assert word in scorecard


def test_no_embedded_files_and_reproducible_metadata(board):
    reader, _, data = board
    assert not reader.attachments
    assert b"/EmbeddedFiles" not in data
    meta = reader.metadata
    assert meta["/CreationDate"] == "D:20261115" and meta["/ModDate"] == "D:20261115"
    assert "as of 2026-11-15" in meta["/Subject"] and COMMIT in meta["/Subject"]


def test_filter_shows_only_the_sales_operations_and_their_kpis(example):
    reader = example["ops-sales"][0]
    marks = outline(reader)
    entities = [title.split(" · ")[0] for level, title in marks if level == 1]
    assert entities == ["sales-dach", "sales-nordics", "K-NEW-LOGOS", "K-NORDIC-LOGOS"]
    text = " ".join(texts(reader))
    assert "overdue" in text.lower()  # task tables mark overdue work
    names = set(reader.named_destinations)
    assert {"e-T-SALES-1", "e-OO-SALES-1"} <= names  # nested tasks and objectives have anchors
    assert not any(n.startswith(("e-OO-MKT", "e-T-MKT", "e-OO-CS", "e-T-CS", "e-marketing")) for n in names)


def test_filter_rule(tmp_path: Path):
    project, views = load(EXAMPLE_ROOT)
    sales = select(views, {"function": ("Sales",)})
    assert {"sales-dach", "sales-nordics", "T-SALES-1", "OO-SALES-1", "K-NEW-LOGOS"} <= sales
    assert "marketing-emea" not in sales and "K-ARR" not in sales
    assert {"I2", "SO2"} <= sales  # context: what the sales plans serve
    only_kpis = select(views, {"kind": ("kpi",), "tag": ("finance",)})
    assert only_kpis and all(project.plan.entities[i].kind == "kpi" for i in only_kpis)
    assert select(views, {}) is None


def test_links_to_items_outside_the_document_are_plain_text():
    project, views = load(EXAMPLE_ROOT)
    spec = next(d for d in project.config.documents if d.id == "ops-sales")
    links_ = DocumentViews(views, spec, EXAMPLE_ROOT / "content" / "assets").links
    assert links_.href("operations/emea/sales-dach.html") == "#e-sales-dach"
    assert links_.href("operations/emea/sales-dach.html#T-SALES-2") == "#e-T-SALES-2"
    assert links_.href("operations/marketing-emea.html") is None
    assert links_.href("objectives/SO1.html") is None          # objectives are not a section here
    assert links_.href("scorecard.html") is None
    body = links_.body('<a href="@@stratdocs/initiatives/I2.html">I2</a>')
    assert "href" not in body and "I2" in body


# --------------------------------------------------------------------------- reproducibility


_RENDER_ONE = """
import sys
from pathlib import Path
from stratdocs import project
from stratdocs.render import pdf
p = project.load(Path(sys.argv[1]))
out = pdf.render_documents(p, pdf.document_views(p, "abc"), pdf.chosen_documents(p, ["ops-sales"]))
sys.stdout.buffer.write(out["ops-sales"][0])
"""


def test_same_input_gives_byte_identical_pdfs(example):
    """Two fresh interpreters with different hash seeds produce the same bytes."""
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", _RENDER_ONE, str(EXAMPLE_ROOT)], capture_output=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, timeout=120, cwd=EXAMPLE_ROOT)
        assert done.returncode == 0, done.stderr.decode()
        outputs.append(done.stdout)
    assert outputs[0][:5] == b"%PDF-"
    assert outputs[0] == outputs[1]


# --------------------------------------------------------------------------- small plans


def test_draft_watermark_letter_paper_logo_and_writer(tmp_path: Path):
    plan = small_plan(tmp_path / "p", """\
        paper: letter
        logo: logo.svg
        documents:
          - id: pack
            title: Draft pack
            sections: [cover, contents, plan, scorecard, objectives, kpis]
            draft: true
        """, {"content/assets/logo.svg": '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
                                         '<rect width="40" height="20" fill="#123456"/></svg>'})
    project, views = load(plan.root)
    writer = Writer(plan.root / "site")
    try:
        assert pdf.write_documents(project, views, writer, commit=COMMIT) == (("pack",), [], ())
        writer.commit()
    except BaseException:
        writer.abort()
        raise
    data = (plan.root / "site" / "pdf" / "pack.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(data))
    for text in texts(reader):
        assert "DRAFT" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert b"/Subtype /Image" in data or b"/Subtype/Image" in data or b"/XObject" in data  # the logo


def test_blocked_fetches_are_refused_and_reported(tmp_path: Path, monkeypatch):
    plan = small_plan(tmp_path / "p", """\
        documents:
          - id: pack
            sections: [cover, plan]
        """)
    # Content images that leave the site never reach the fetcher: they are plain links (and an
    # `external-image` warning in check). A theme stylesheet can still ask for a URL: refused.
    plan.edit("content/plan.md", "Our headline objective is [[SO1]].",
              "Our headline objective is [[SO1]].\n\n![x](http://example.com/x.png)\n\n"
              '<img src="file:///etc/passwd" alt="p">')
    plan.write("stratdocs.yml", plan.read("stratdocs.yml") + "theme: corp\n")
    plan.write("themes/corp/static/pdf.css", 'h1 { color: navy; }\n'
               'body { background: url("http://example.com/track.png"); }\n')
    connects = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, *a: connects.append(a) or 1 / 0)
    result = render(plan.root, timeout=None)["pack"]   # in this process, so the socket guard applies
    reader, findings, data = result
    assert connects == []
    blocked = [f for f in findings if f.code == "blocked-fetch" and "example.com" in f.message]
    assert len(blocked) == 1, findings
    assert (blocked[0].file, blocked[0].line) == ("themes/corp/static/pdf.css", 2)
    assert b"root:" not in data


@pytest.mark.parametrize("url, allowed", [
    ("assets/ok.png", True),
    ("theme", True),
    ("file:///etc/passwd", False),
    ("http://example.com/x.png", False),
    ("https://example.com/x.css", False),
    ("ftp://example.com/x", False),
    ("assets/../secret.txt", False),
    ("assets/link.png", False),              # a symlink leaving the allowed folders
    ("data:text/plain,hello", True),
])
def test_fetcher_denies_by_default(tmp_path: Path, url: str, allowed: bool):
    assets = tmp_path / "content" / "assets"
    assets.mkdir(parents=True)
    (assets / "ok.png").write_bytes(b"png")
    (tmp_path / "content" / "secret.txt").write_text("secret")
    (assets / "link.png").symlink_to(tmp_path / "content" / "secret.txt")
    from stratdocs.theme import BUILTIN as theme
    fetcher = pdf.Fetcher([assets, theme])
    if url.startswith("assets/"):
        url = assets.as_uri() + url[len("assets"):]
    elif url == "theme":
        url = (theme / "static" / "pdf.css").as_uri()
    if allowed:
        response = fetcher(url)
        assert response.read()
        assert fetcher.blocked == []
    else:
        with pytest.raises(pdf.BlockedFetch):
            fetcher(url)
        assert fetcher.blocked == [url]


def test_unknown_document_names_the_known_ones():
    project, _ = load(EXAMPLE_ROOT)
    with pytest.raises(StratdocsError, match="board-pack, ops-sales"):
        pdf.chosen_documents(project, ["board"])


def test_a_document_that_takes_too_long_fails_with_its_name(tmp_path: Path):
    plan = small_plan(tmp_path / "p", "documents:\n  - id: slow\n    sections: [cover, objectives]\n")
    with pytest.raises(StratdocsError, match="document 'slow' took longer than 0.01 s"):
        render(plan.root, timeout=0.01)


def test_pdf_command_writes_in_place_and_leaves_the_site(tmp_path: Path):
    plan = small_plan(tmp_path / "p", "documents:\n  - id: one\n    sections: [cover, kpis]\n"
                                      "  - id: two\n    sections: [cover, operations]\n")
    project = project_mod.load(plan.root)
    written, _ = pdf.write_documents_in_place(project, only=["two"], commit=COMMIT)
    site = plan.root / "site"
    assert written == [site / "pdf" / "two.pdf"] and (site / MARKER).exists()
    (site / "index.html").write_text("kept")
    pdf.write_documents_in_place(project)
    assert sorted(p.name for p in (site / "pdf").iterdir()) == ["one.pdf", "two.pdf"]
    assert (site / "index.html").read_text() == "kept"
    foreign = plan.root / "foreign"
    foreign.mkdir()
    (foreign / "x.txt").write_text("not ours")
    plan.write("stratdocs.yml", plan.read("stratdocs.yml") + "output_dir: foreign\n")
    with pytest.raises(StratdocsError, match="not built by stratdocs"):
        pdf.write_documents_in_place(project_mod.load(plan.root))


def test_pdf_variant_is_passed_to_weasyprint(tmp_path: Path):
    plan = small_plan(tmp_path / "p", "pdf_variant: pdf/a-3b\ndocuments:\n  - id: a\n    sections: [cover]\n")
    reader = render(plan.root)["a"][0]
    xmp = reader.xmp_metadata
    assert xmp is not None and b"pdfaid" in xmp.stream.get_data()


# --------------------------------------------------------------------------- a big matrix


def test_a_200_by_60_matrix_is_split_into_readable_column_groups(tmp_path: Path):
    root = big_plan(tmp_path / "big", documents=(
        "documents:\n  - id: m\n    title: Matrix\n    sections: [cover, contents, matrix:objectives-operations]\n"))
    reader = render(root)["m"][0]
    pages = texts(reader)
    matrix = [i for i, t in enumerate(pages) if "Strategic objectives × operational plans" in t and i > 1]
    assert len(matrix) >= 6
    assert all(landscape(reader.pages[i]) for i in matrix)
    joined = " ".join(pages)
    for group in ("Columns 1–20 of 60", "Columns 21–40 of 60", "Columns 41–60 of 60"):
        assert group in joined
    # every page of the matrix repeats the column header next to its row labels
    rows = [i for i in matrix if re.search(r"SO\d{3} Strategic objective number", pages[i])]
    assert len(rows) >= 6
    for i in rows:
        assert re.search(r"op-\d\d", pages[i])
    marks = [t for level, t in outline(reader) if level == 1]
    assert marks == ["Columns 1–20 of 60", "Columns 21–40 of 60", "Columns 41–60 of 60"]


# --------------------------------------------------------------------------- looks


@pytest.mark.skipif(shutil.which("pdftoppm") is None and not os.environ.get("STRATDOCS_REQUIRE_BROWSER"),
                    reason="poppler-utils not installed")
def test_first_page_renders_to_png(board, tmp_path: Path):
    source = tmp_path / "pack.pdf"
    source.write_bytes(board[2])
    subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(source), str(tmp_path / "page")],
                   check=True, timeout=60)
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 2000
