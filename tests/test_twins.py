"""HTML twins of PDF documents and the Documents page (issue 11, SPEC §13): the real CLI on the
example plan, PDFs read back with pypdf, the preview compared byte for byte with a full build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from stratdocs.render.twins import pdf_page_count
from test_check_errors import assert_single_error
from test_serve import copy_example, edit, full_build, tree
from stratdocs.serve.session import Session

DOCUMENTS = ("board-pack", "ops-sales")


def stratdocs(root: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(root), *args], capture_output=True,
                            text=True, timeout=600, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    return result


class Page(HTMLParser):
    """The parts of a built page the tests read: section headings, ids, links, document cards."""

    def __init__(self, html: str):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.sections: list[str] = []
        self.pages: list[str] = []
        self._grab: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        classes = (attrs.get("class") or "").split()
        if "section-title" in classes or "document-pages" in classes:
            self._grab, self._text = ("sections" if "section-title" in classes else "pages"), ""

    def handle_data(self, data):
        if self._grab:
            self._text += data

    def handle_endtag(self, tag):
        if self._grab and tag in ("h1", "h2", "dd"):
            getattr(self, self._grab).append(" ".join(self._text.split()))
            self._grab = None


def read(site: Path, rel: str) -> Page:
    return Page((site / rel).read_text(encoding="utf-8"))


def top_outline(reader: PdfReader) -> list[str]:
    return [item.title for item in reader.outline if not isinstance(item, list)]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The example plan built once with its PDFs, through the real CLI."""
    root = copy_example(tmp_path_factory.mktemp("twins"))
    stratdocs(root, "build")
    return root


def test_each_document_has_a_twin_with_the_pdfs_sections_in_order(built):
    site = built / "site"
    for doc in DOCUMENTS:
        outline = [t for t in top_outline(PdfReader(site / "pdf" / f"{doc}.pdf")) if t not in ("Cover", "Contents")]
        twin = read(site, f"documents/{doc}.html")
        assert twin.sections == outline, doc
        assert len(outline) >= 2
        # The in-page contents jumps to each section and item on the page itself.
        fragments = [h[1:] for h in twin.hrefs if h.startswith("#")]
        assert {f"s-{k}" for k in ("summary", "scorecard", "objectives")} <= set(fragments) or doc != "board-pack"
        assert set(fragments) <= twin.ids, set(fragments) - twin.ids


def test_the_twin_has_the_cover_as_its_header_and_links_to_site_pages(built):
    html = (built / "site" / "documents" / "board-pack.html").read_text(encoding="utf-8")
    header = html.split('<nav class="twin-toc"')[0]
    for text in ("Board pack", "Strategic plan review, Q4 2026", "Northwind Analytics SE", "15 November 2026",
                 "Confidential — Board of Directors"):
        assert text in header, text
    twin = Page(html)
    # the PDF itself is linked from the Documents page, which knows whether it was built
    assert "../documents.html" in twin.hrefs and "../pdf/board-pack.pdf" not in twin.hrefs
    # Items link to their own site pages (which exist), never to files of the build machine.
    assert "../objectives/SO1.html" in twin.hrefs
    for href in twin.hrefs:
        assert not href.startswith("file:"), href
        if href.startswith("../") and not href.endswith(".pdf"):
            assert (built / "site" / "documents" / href.partition("#")[0]).is_file(), href
    assert "file:" not in html
    # A report the document contains stays on the page: the scorecard link jumps to its section.
    assert len(twin.ids) == len(set(twin.ids))


def test_documents_page_lists_each_document_with_its_pdfs_page_count(built):
    site = built / "site"
    page = read(site, "documents.html")
    counts = [len(PdfReader(site / "pdf" / f"{doc}.pdf").pages) for doc in DOCUMENTS]
    assert page.pages == [f"{n} pages" for n in counts]
    html = (site / "documents.html").read_text(encoding="utf-8")
    for doc, title in zip(DOCUMENTS, ("Board pack", "Sales operational plan")):
        assert f'href="pdf/{doc}.pdf"' in html and f'href="documents/{doc}.html"' in html
        assert title in html
    assert "15 November 2026" in html and "DACH and Nordics, 2026" in html
    # In the navigation of every page, and linked from the home page.
    assert 'href="documents.html"' in (site / "index.html").read_text(encoding="utf-8").split("</nav>")[0]
    assert "Documents</a> (the PDFs" in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="../documents.html"' in (site / "objectives" / "SO1.html").read_text(encoding="utf-8")


def test_no_pdf_keeps_the_counts_of_kept_pdfs_byte_for_byte(built, tmp_path):
    root = tmp_path / "again"
    shutil.copytree(built, root, ignore=shutil.ignore_patterns(".stratdocs-cache"))
    stratdocs(root, "build", "--no-pdf")
    assert (root / "site" / "documents.html").read_bytes() == (built / "site" / "documents.html").read_bytes()
    for doc in DOCUMENTS:
        assert (root / "site" / "documents" / f"{doc}.html").read_bytes() == \
            (built / "site" / "documents" / f"{doc}.html").read_bytes()


def test_no_pdf_on_a_fresh_output_says_pdf_not_built_and_links_no_pdf(tmp_path):
    root = copy_example(tmp_path)
    stratdocs(root, "build", "--no-pdf")
    site = root / "site"
    assert not (site / "pdf").exists()
    page = read(site, "documents.html")
    assert page.pages == ["PDF not built"] * len(DOCUMENTS)
    assert not [h for h in page.hrefs if h.endswith(".pdf")]
    assert [h for h in page.hrefs if h.startswith("documents/")] == [f"documents/{d}.html" for d in DOCUMENTS for _ in (1, 2)]
    # A damaged kept PDF is not counted either.
    (site / "pdf").mkdir()
    (site / "pdf" / "board-pack.pdf").write_bytes(b"%PDF-1.7 not really")
    assert pdf_page_count(b"%PDF-1.7 not really") is None
    stratdocs(root, "build", "--no-pdf")
    assert read(site, "documents.html").pages == ["PDF not built"] * len(DOCUMENTS)


def test_twins_and_the_documents_page_stay_out_of_search(tmp_path):
    root = copy_example(tmp_path)
    stratdocs(root, "build", "--no-pdf")
    docs = json.loads((root / "site" / "search-index.json").read_text(encoding="utf-8"))["docs"]
    urls = [json.dumps(d) for d in docs]
    assert docs and not [u for u in urls if "documents/" in u or "documents.html" in u]


def test_an_item_on_a_twins_path_is_a_located_output_clash(plan_project):
    config = plan_project.read("stratdocs.yml") if plan_project.path("stratdocs.yml").exists() else ""
    plan_project.write("stratdocs.yml", config + "folders: {documents: page}\n")
    plan_project.write("content/documents/board-pack.md", "---\ntitle: Notes on the pack\n---\nText.\n")
    finding = assert_single_error(plan_project.check(), "output-clash", "content/documents/board-pack.md", 1, 1,
                                  "documents/board-pack.html", "the HTML twin of document 'board-pack'")
    assert "content/documents/board-pack.md" in finding["message"]


def test_preview_matches_a_full_build_after_edits_that_change_a_twin(tmp_path):
    root = copy_example(tmp_path / "project")
    session = Session(root, tmp_path / "preview")
    assert session.rebuild().ok
    assert tree(tmp_path / "preview") == full_build(root, tmp_path / "full")
    steps = [  # (file, old, new, what the twins then show)
        (root / "content" / "objectives" / "SO1-double-market-share.md", "title: Double our market share",
         "title: Treble our market share", b"Treble our market share"),
        (root / "stratdocs.yml", "subtitle: Strategic plan review, Q4 2026", "subtitle: Strategic plan review, Q1 2027",
         b"Strategic plan review, Q1 2027"),
        (root / "stratdocs.yml", "sections: [cover, contents, operations, kpis]",
         "sections: [cover, contents, kpis, operations]", b"KPIs</h2>"),
    ]
    for path, old, new, shown in steps:
        edit(path, old, new)
        assert session.rebuild().ok, new
        preview = tree(tmp_path / "preview")
        assert preview == full_build(root, tmp_path / "full"), new
        assert shown in preview["documents/board-pack.html"] + preview["documents/ops-sales.html"], new
    # The preview renders no PDFs: its Documents page says so, like a fresh `build --no-pdf`.
    assert b"PDF not built" in preview["documents.html"]
    assert read(tmp_path / "preview", "documents/ops-sales.html").sections == ["1 KPIs", "2 Operational plans"]


def test_a_planted_pdf_symlink_is_neither_counted_nor_linked(tmp_path):
    root = copy_example(tmp_path / "project")
    stratdocs(root, "build", "--no-pdf")
    site = root / "site"
    outside = tmp_path / "secret.pdf"
    shutil.copy(Path(__file__).parent.parent / "themes" / "default" / "static" / "favicon.svg", outside)
    (site / "pdf").mkdir()
    (site / "pdf" / "board-pack.pdf").symlink_to(outside)
    stratdocs(root, "build", "--no-pdf")
    assert read(site, "documents.html").pages == ["PDF not built"] * len(DOCUMENTS)
    assert not (site / "pdf" / "board-pack.pdf").exists()
    # Positive control: a real PDF in the same place is counted.
    from pypdf import PdfWriter
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(100, 100)
    (site / "pdf").mkdir(exist_ok=True)
    with open(site / "pdf" / "board-pack.pdf", "wb") as out:
        writer.write(out)
    stratdocs(root, "build", "--no-pdf")
    assert read(site, "documents.html").pages == ["3 pages", "PDF not built"]
