"""Issue #15 (speed), PDF: a section cut between its entities, every cut its own part.

The example's objectives and KPIs, each entity a part of its own (so a sub-objective's part comes
after its parent's, a KPI section is cut fourteen times), printed in parts and stitched, against
the same document rendered whole: page texts (running headers with the section's name included),
bookmarks with their nesting, links, named destinations, page labels, the structure tree; the same bytes twice; the parts' temporary files removed.
"""

from __future__ import annotations

import collections
import shutil
import tempfile
from pathlib import Path

import pytest

from stratdocs import project as project_mod
from stratdocs.errors import TooSlow
from stratdocs.render import pdf, pdfparts, pdfstitch

from test_pdf import COMMIT, EXAMPLE_ROOT, texts
from test_pdfspeed import link_targets, outline_pages, parts_of, reader

pytestmark = pytest.mark.skipif(not pdfparts.supported(), reason="parts need WeasyPrint 70's layout")

DOCUMENT = """  - id: cut
    title: Objectives and KPIs
    sections: [cover, contents, objectives, kpis]
"""


def _project(root: Path) -> Path:
    shutil.copytree(EXAMPLE_ROOT / "content", root / "content")
    config = (EXAMPLE_ROOT / "stratdocs.yml").read_text(encoding="utf-8")
    (root / "stratdocs.yml").write_text(config.replace("documents:\n", "documents:\n" + DOCUMENT, 1),
                                        encoding="utf-8")
    return root


def _every_piece(sizes, parts) -> list[range]:
    """Every piece a part of its own."""
    return [range(i, i + 1) for i in range(len(sizes))]


def _render(root: Path, m: pytest.MonkeyPatch, *, parts: bool, timeout: float | None = pdf.DEFAULT_TIMEOUT):
    m.setenv("STRATDOCS_WORKERS", "2")
    m.setattr(pdfparts, "supported", (lambda: True) if parts else (lambda: False))
    m.setattr(pdfstitch, "MIN_PART_CHARS", 1)
    m.setattr(pdfstitch, "partition", _every_piece)
    project = project_mod.load(root)
    views = pdf.document_views(project, COMMIT)
    docs = pdf.chosen_documents(project, ["cut"])
    return pdf.render_documents(project, views, docs, commit=COMMIT, timeout=timeout)["cut"][0]


@pytest.fixture(scope="module")
def cut(tmp_path_factory):
    root = _project(tmp_path_factory.mktemp("cut"))
    folders = []
    with pytest.MonkeyPatch.context() as m:
        made = tempfile.mkdtemp

        def recording(*args, **kwargs):
            folders.append(made(*args, **kwargs))
            return folders[-1]
        m.setattr(tempfile, "mkdtemp", recording)
        stitched = _render(root, m, parts=True)
        again = _render(root, m, parts=True)
    with pytest.MonkeyPatch.context() as m:
        whole = _render(root, m, parts=False)
    return root, stitched, again, whole, folders


def _jobs(root: Path, workers: str = "2", every_piece: bool = True) -> list[dict] | dict:
    """The parts' jobs of the document (every piece a part, or as many as the workers ask for)."""
    from stratdocs.render.environment import make_environment
    from stratdocs.render.views.interface import Interface, use
    from stratdocs.theme import resolve

    with pytest.MonkeyPatch.context() as m:
        m.setattr(pdfstitch, "MIN_PART_CHARS", 1)
        if every_piece:
            m.setattr(pdfstitch, "partition", _every_piece)
        m.setenv("STRATDOCS_WORKERS", workers)
        project = project_mod.load(root)
        views = pdf.document_views(project, COMMIT)
        spec = pdf.chosen_documents(project, ["cut"])[0]
        theme = resolve(project.config)
        env = make_environment(theme, project.config.language)
        views.ui = Interface.of(project.config, env.translations)
        use(views.ui)
        return pdf._document_jobs(project, views, spec, env, theme, COMMIT)


def test_sections_are_cut_between_their_entities(cut):
    root, stitched, _, whole, _ = cut
    jobs = _jobs(root)
    continuing = [job for job in jobs if job["continues"]]
    assert len(jobs) == 25 and len(continuing) == 21  # cover, contents, 8 objectives, 15 KPIs
    assert all('id="s-kpis"' not in job["html"] and 'id="s-objectives"' not in job["html"] for job in continuing)
    assert parts_of(stitched) >= 20 and len(reader(stitched).pages) == len(reader(whole).pages)


def test_with_one_worker_a_document_is_rendered_whole(cut):
    """`STRATDOCS_WORKERS=1` (how the benchmarks time one process): one job, the whole document."""
    root = cut[0]
    job = _jobs(root, workers="1", every_piece=False)
    assert isinstance(job, dict) and "continues" not in job and 'id="s-kpis"' in job["html"]
    assert isinstance(_jobs(root, workers="2", every_piece=False), list)


def test_a_theme_with_its_own_print_layout_is_cut_only_between_sections(tmp_path: Path):
    """Where a theme's own pdf.css starts its entities is not known: no cut inside a section."""
    root = _project(tmp_path / "plan")
    (root / "mine" / "static").mkdir(parents=True)
    default_css = Path(pdf.__file__).resolve().parents[2] / "themes" / "default" / "static" / "pdf.css"
    shutil.copy(default_css, root / "mine" / "static" / "pdf.css")  # the same rules, but the theme's own
    config = root / "stratdocs.yml"
    config.write_text("theme: mine\n" + config.read_text(encoding="utf-8"), encoding="utf-8")
    jobs = _jobs(root)
    assert len(jobs) >= 2 and not any(job["continues"] for job in jobs)
    assert all(job["html"].count("<section") == job["html"].count("</section>") for job in jobs)


def test_pages_print_what_a_single_render_prints(cut):
    _, stitched, _, whole, _ = cut
    a, b = texts(reader(stitched)), texts(reader(whole))
    assert a == b
    kpi_pages = [text for text in a if "Definition" in text]
    assert len(kpi_pages) >= 15 and all(" KPIs" in text for text in kpi_pages)  # the running header


def test_bookmarks_nest_across_cuts(cut):
    """A sub-objective (SO2, SO3: each in the part after its parent's) still nests under its
    parent, and each entity under its section."""
    _, stitched, _, whole, _ = cut
    got = outline_pages(reader(stitched))
    assert got == outline_pages(reader(whole))
    levels = {title.split(" · ")[0]: level for level, title, _ in got}
    assert levels["SO1"] == 1 and levels["SO2"] == 2 and levels["SO3"] == 2 and levels["K-ARR"] == 1
    assert sum(1 for level, _, _ in got if level == 0) == 4  # cover, contents and the two sections


def test_links_destinations_and_labels_across_cuts(cut):
    _, stitched, _, whole, _ = cut
    a, b = reader(stitched), reader(whole)
    assert link_targets(a) == link_targets(b) and link_targets(a)
    assert set(a.named_destinations) == set(b.named_destinations)
    assert a.page_labels == b.page_labels
    assert a.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def _elements(r) -> tuple[list[str], collections.Counter]:
    """The structure tree: the types under `Document`, and how many elements of each type."""
    document = r.trailer["/Root"]["/StructTreeRoot"]["/K"][0].get_object()
    top = [str(kid.get_object()["/S"]) for kid in document["/K"]]
    counts: collections.Counter = collections.Counter()
    stack = list(document["/K"])
    while stack:
        element = stack.pop().get_object()
        if not isinstance(element, dict) or "/S" not in element:
            continue
        counts[str(element["/S"])] += 1
        kids = element.get("/K")
        stack += kids if isinstance(kids, list) else [kids] if kids is not None else []
    return top, counts


def test_the_structure_tree_is_that_of_a_single_render(cut):
    """WeasyPrint tags page by page (a section of four pages is four `Sect`): a cut at a page
    boundary gives the same elements in the same order."""
    _, stitched, _, whole, _ = cut
    top, counts = _elements(reader(stitched))
    assert top.count("/Sect") > 4 and counts["/H2"] >= 23
    assert (top, counts) == _elements(reader(whole))


def test_the_same_bytes_and_no_file_left_behind(cut):
    _, stitched, again, _, folders = cut
    assert stitched == again
    assert len(folders) == 2 and not any(Path(folder).exists() for folder in folders)


def test_a_stopped_render_leaves_no_part_file(tmp_path: Path, monkeypatch):
    root = _project(tmp_path / "plan")
    folders = []
    made = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda *a, **k: folders.append(made(*a, **k)) or folders[-1])
    with pytest.raises(TooSlow):  # no part renders in 50 ms (at 0.5 s a fast machine finished them all)
        _render(root, monkeypatch, parts=True, timeout=0.05)
    assert folders and not Path(folders[0]).exists()
