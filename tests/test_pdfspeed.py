"""Issue #15 (speed), PDF documents: a document rendered in parts on every core and stitched.

Each test compares the stitched PDF with a single-process render of the same document, read back
with pypdf: page texts (with "Page X of Y", the contents' page numbers and every printed "p. N"),
bookmarks and their pages, internal links and the pages they reach, page labels, the structure
tree. No test measures time: the guard against the extra layout work counts laid-out pages.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from stratdocs import project as project_mod
from stratdocs.render import pdf, pdfparts, pdfstitch

from test_pdf import COMMIT, EXAMPLE_ROOT, big_plan, texts

#: the default theme's fonts
FONTS = Path(pdf.__file__).resolve().parents[2] / "themes" / "default" / "static" / "fonts"

pytestmark = pytest.mark.skipif(not pdfparts.supported(), reason="parts need WeasyPrint 70's layout")


def render(root: Path, doc_id: str, monkeypatch, *, parts: bool, timeout: float | None = pdf.DEFAULT_TIMEOUT,
           min_chars: int = 4_000) -> bytes:
    """One document's PDF, in parts (small parts, so that even a small document is cut) or whole."""
    with monkeypatch.context() as m:
        m.setattr(pdfstitch, "MIN_PART_CHARS", min_chars)
        m.setenv("STRATDOCS_WORKERS", "2")  # the cut does not depend on the machine
        if not parts:
            m.setattr(pdfparts, "supported", lambda: False)
        project = project_mod.load(root)
        views = pdf.document_views(project, COMMIT)
        docs = pdf.chosen_documents(project, [doc_id])
        return pdf.render_documents(project, views, docs, commit=COMMIT, timeout=timeout)[doc_id][0]


@pytest.fixture(scope="module")
def both():
    """The example's sales operational plan, stitched from parts and rendered whole."""
    with pytest.MonkeyPatch.context() as m:
        stitched = render(EXAMPLE_ROOT, "ops-sales", m, parts=True)
        again = render(EXAMPLE_ROOT, "ops-sales", m, parts=True)
        whole = render(EXAMPLE_ROOT, "ops-sales", m, parts=False)
    return stitched, again, whole


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def parts_of(data: bytes) -> int:
    """How many parts a stitched PDF was made of (each part embeds its own fonts)."""
    fonts = set()
    for page in reader(data).pages:
        for ref in (page.get("/Resources", {}).get_object().get("/Font") or {}).values():
            fonts.add(ref.idnum)
    return len(fonts)


def outline_pages(r: PdfReader) -> list[tuple[int, str, int]]:
    """Bookmarks as (level, title, page index), depth first."""
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, r.get_destination_page_number(item)))
    walk(r.outline, 0)
    return out


def link_targets(r: PdfReader) -> list[tuple[int, str, int]]:
    """Every internal link as (page it is on, destination name, page it reaches)."""
    dests = r.named_destinations
    found = []
    for index, page in enumerate(r.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and "/Dest" in annot:
                name = str(annot["/Dest"])
                found.append((index, name, r.get_destination_page_number(dests[name])))
    return sorted(found)


@pytest.fixture(scope="module")
def rounds():
    """The same document stitched from parts measured and printed by separate processes (a
    document too long to be held: `pdfrun.HELD_CHARS`)."""
    from stratdocs.render import pdfrun

    with pytest.MonkeyPatch.context() as m:
        m.setattr(pdfrun, "HELD_CHARS", 0)
        return render(EXAMPLE_ROOT, "ops-sales", m, parts=True)


def test_held_parts_and_parts_printed_apart_give_the_same_bytes(both, rounds):
    stitched, _, _ = both
    assert stitched == rounds


@pytest.mark.parametrize("held", [True, False], ids=["held", "apart"])
def test_page_counters_in_the_content_print_the_whole_documents_numbers(monkeypatch, held: bool):
    """`counter(page)` and `counter(pages)` in a theme's content (not the running footer) print a
    part's pages as pages of the whole document, of the whole document's count: the same text as
    a single render, held or measured and printed apart."""
    from stratdocs.render import pdfrun

    style = "<style>h2::after { content: ' [' counter(page) '/' counter(pages) ']' }</style>"
    job = pdf._job
    monkeypatch.setattr(pdf, "_job", lambda project, theme, html: job(project, theme,
                                                                     html.replace("</head>", style + "</head>", 1)))
    if not held:
        monkeypatch.setattr(pdfrun, "HELD_CHARS", 0)
    stitched = reader(render(EXAMPLE_ROOT, "ops-sales", monkeypatch, parts=True))
    whole = reader(render(EXAMPLE_ROOT, "ops-sales", monkeypatch, parts=False))
    assert parts_of(stitched.stream.getvalue()) >= 2
    printed = [re.findall(r"\[(\d+)/(\d+)\]", text.replace(" ", "")) for text in texts(stitched)]
    assert printed == [re.findall(r"\[(\d+)/(\d+)\]", text.replace(" ", "")) for text in texts(whole)]
    pages = len(whole.pages)
    shown = [(int(page), int(count)) for found in printed for page, count in found]
    assert len(shown) >= 3 and {count for _, count in shown} == {pages}
    assert all(int(page) == index + 1 for index, found in enumerate(printed) for page, _ in found)


@pytest.mark.parametrize("style", ["", "<style>h2::after { content: ' [' counter(page) '/' counter(pages) ']' }</style>"],
                         ids=["theme", "page-counters-in-the-content"])
def test_a_held_part_lays_out_again_only_its_pages_with_page_references(monkeypatch, tmp_path: Path, style: str):
    """A held part (measured, then printed from the same layout) reports the measure a measure
    reports and writes the PDF a print writes, laying its pages out once and again only those
    that print a page reference (measured and printed apart: every page twice); also when the
    content prints page counters, which the held part renumbers."""
    import weasyprint.layout.page as wpage
    from stratdocs.render import pdffetch, pdfheld, pdfprocs, pdfrun

    captured = {}
    original_render_all = pdfrun.render_all
    monkeypatch.setattr(pdfrun, "render_all", lambda jobs, *args, **kwargs: (
        captured.update(jobs), original_render_all(jobs, *args, **kwargs))[1])
    render(EXAMPLE_ROOT, "ops-sales", monkeypatch, parts=True, timeout=None)
    parts = [{**part, "html": part["html"].replace("</head>", style + "</head>", 1)} for part in captured["ops-sales"]]
    assert len(parts) >= 2 and all(style in part["html"] for part in parts)
    fetcher = pdffetch.Fetcher(parts[0]["allowed"])
    measures = [pdfparts.measure(part, fetcher) for part in parts]
    names = iter(range(100))
    printing = dict(pdfrun._print_jobs("doc", parts, measures, {}, lambda: str(tmp_path / f"{next(names)}.pdf")))
    made = []
    original_remake = wpage.remake_page
    monkeypatch.setattr(wpage, "remake_page",
                        lambda index, *a, **k: (made.append(index), original_remake(index, *a, **k))[1])
    options = {"pdf_tags": True, "finisher": pdfprocs.finish}
    for i, part in enumerate(parts):
        job = printing[f"doc#{i}"]
        apart = pdfparts.render_part(job, fetcher, job["offset"], job["total"], job["pages"], job["seeds"],
                                     {**job["options"], **options})
        made.clear()
        reported = []

        def exchange(measure, job=job):
            reported.append(measure)
            return {**job, "out": job["out"] + "-held"}
        held = pdfheld.held(part, fetcher, exchange, lambda printing: {**printing["options"], **options})
        assert reported[0][:3] == measures[i][:3]
        assert held[1:] == apart[1:] and Path(held[0]).read_bytes() == Path(apart[0]).read_bytes()
        if not style:
            assert job["pages"] <= len(made) < 2 * job["pages"], (i, made)
    if style:  # the last part's counters are the whole document's page numbers
        pages = texts(reader(Path(held[0]).read_bytes()))
        assert job["offset"] > 0 and any(f"[{job['offset'] + k + 1}/" in text for k, text in enumerate(pages))


def test_a_held_part_whose_layout_moved_is_printed_again_apart(monkeypatch, tmp_path: Path, both):
    """A held part that reports its layout moved (here: forced, once) is printed again by a
    print of its own with its real numbers; the document is what it would have been."""
    marker = tmp_path / "moved-once"
    original = pdfparts.check

    def moving(document, offset, pages, seeds):
        if offset > 0 and not marker.exists():  # in the worker processes, forked with this patch
            marker.write_text("moved")
            return pdfparts._anchors(document)
        return original(document, offset, pages, seeds)
    monkeypatch.setattr(pdfparts, "check", moving)
    stitched = render(EXAMPLE_ROOT, "ops-sales", monkeypatch, parts=True)
    assert marker.exists() and stitched == both[0]


def test_the_stitch_opens_one_part_at_a_time(monkeypatch, both):
    """The memory guard of the stitch: a part is closed before the next is opened (its copied
    streams took their data), so the parent never holds every part's objects at once."""
    import pikepdf

    opened, most = [], []
    original_open = pikepdf.open

    class Tracked:
        def __init__(self, *args, **kwargs):
            self.pdf = original_open(*args, **kwargs)

        def __enter__(self):
            opened.append(self)
            most.append(len(opened))
            return self.pdf.__enter__()

        def __exit__(self, *exc):
            opened.remove(self)
            return self.pdf.__exit__(*exc)

    monkeypatch.setattr(pikepdf, "open", Tracked)
    stitched = render(EXAMPLE_ROOT, "ops-sales", monkeypatch, parts=True, timeout=None)
    assert len(most) >= 2 and max(most) == 1 and not opened
    assert texts(reader(stitched)) == texts(reader(both[2]))


def test_the_document_was_really_cut_into_parts(both):
    stitched, _, whole = both
    assert len(reader(stitched).pages) == len(reader(whole).pages) > 4
    assert parts_of(stitched) > parts_of(whole)


def test_a_stitched_document_is_about_the_size_of_a_whole_one(both):
    """Its objects are packed into object streams as WeasyPrint packs them (pypdf alone wrote
    every object plainly: three times the size); each part's own font subsets are what remains."""
    stitched, _, whole = both
    assert len(stitched) < 1.5 * len(whole), (len(stitched), len(whole))
    assert b"/ObjStm" in stitched


def test_pages_print_what_a_single_render_prints(both):
    """Every page's text: running headers, "Page X of Y", contents numbers, each "p. N"."""
    stitched, _, whole = both
    a, b = texts(reader(stitched)), texts(reader(whole))
    total = len(b)
    assert a == b
    assert all(f"Page {i} of {total}" in text for i, text in enumerate(a, 1) if i > 1)
    assert any(", p. " in text for text in a[2:])  # cross-references printed with numbers


def test_contents_page_numbers_point_at_the_sections(both):
    stitched, _, _ = both
    r = reader(stitched)
    contents = texts(r)[1]
    checked = 0
    for level, title, page in outline_pages(r):
        if level == 0 and title not in ("Cover", "Contents"):
            printed = re.search(re.escape(title) + r"[ .]*(\d+)", contents)
            assert printed and int(printed.group(1)) == page + 1, title
            checked += 1
    assert checked >= 2


def test_bookmarks_and_their_pages_match(both):
    stitched, _, whole = both
    assert outline_pages(reader(stitched)) == outline_pages(reader(whole))
    assert len(outline_pages(reader(stitched))) > 5


def test_internal_links_reach_the_same_pages_across_parts(both):
    stitched, _, whole = both
    got, want = link_targets(reader(stitched)), link_targets(reader(whole))
    assert got == want
    assert any(page != target for page, _, target in got)
    names = reader(stitched).named_destinations
    assert set(names) == set(reader(whole).named_destinations)  # no stand-in left behind


def test_page_labels_outline_mode_and_metadata(both):
    stitched, _, whole = both
    a, b = reader(stitched), reader(whole)
    assert a.trailer["/Root"]["/PageMode"] == "/UseOutlines"
    assert a.page_labels == b.page_labels
    assert dict(a.metadata) == dict(b.metadata)


def test_the_structure_tree_is_one_valid_tree(both):
    stitched, _, _ = both
    r = reader(stitched)
    root = r.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    tree = root["/StructTreeRoot"].get_object()
    nums = tree["/ParentTree"].get_object()["/Nums"]
    keys = [int(nums[i]) for i in range(0, len(nums), 2)]
    assert len(keys) == len(set(keys))
    page_refs = {page.indirect_reference.idnum for page in r.pages}
    wanted = {int(page["/StructParents"]) for page in r.pages}
    for page in r.pages:
        for annot in page.get("/Annots") or []:
            if "/StructParent" in annot.get_object():
                wanted.add(int(annot.get_object()["/StructParent"]))
    assert wanted <= set(keys)
    document = tree["/K"][0].get_object()
    assert document["/S"] == "/Document"
    seen = 0
    stack = [(document, kid) for kid in document["/K"]]
    while stack:
        parent, kid = stack.pop()
        element = kid.get_object() if hasattr(kid, "get_object") else kid
        if not isinstance(element, dict) or "/S" not in element:
            continue
        seen += 1
        assert element["/P"].get_object() is parent or element["/P"].get_object() == parent
        if "/Pg" in element:
            assert element.raw_get("/Pg").idnum in page_refs
        kids = element.get("/K")
        for child in (kids if isinstance(kids, list) else [kids] if kids is not None else []):
            stack.append((element, child))
    assert seen > 100
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for page in r.pages:  # a page's marked content maps to elements on that page
        for element in by_key[int(page["/StructParents"])]:
            element = element.get_object()
            assert element.raw_get("/Pg").idnum == page.indirect_reference.idnum


def test_the_same_parts_give_the_same_bytes(both):
    stitched, again, _ = both
    assert stitched == again


def test_each_page_is_laid_out_once_per_pass(monkeypatch):
    """The growth guard: a single render lays out pages with cross-references again in each loop;
    parts lay out every page once to measure and once to print."""
    import weasyprint.layout.page as wpage

    made = []
    original = wpage.remake_page

    def counting(index, *args, **kwargs):
        made.append(index)
        return original(index, *args, **kwargs)
    monkeypatch.setattr(wpage, "remake_page", counting)
    data = render(EXAMPLE_ROOT, "ops-sales", monkeypatch, parts=True, timeout=None)
    pages = len(reader(data).pages)
    assert len(made) == 2 * pages
    made.clear()
    render(EXAMPLE_ROOT, "ops-sales", monkeypatch, parts=False, timeout=None)
    assert len(made) > pages  # a single render lays some pages out again (its cross-references)


@pytest.mark.slow
def test_a_long_document_is_tagged_and_correct(tmp_path: Path, monkeypatch):
    """Past the old 150-page cut-off: tagged, and page numbers as a single render prints them."""
    documents = ("documents:\n  - id: long\n    title: Long\n    sections: [cover, contents, objectives, "
                 "operations]\n")
    root = big_plan(tmp_path, objectives=160, operations=40, documents=documents)
    stitched = render(root, "long", monkeypatch, parts=True, min_chars=60_000)
    r = reader(stitched)
    assert len(r.pages) > 150
    assert parts_of(stitched) > 1
    assert "/StructTreeRoot" in r.trailer["/Root"]
    assert texts(r)[-1].endswith(f"Page {len(r.pages)} of {len(r.pages)}") or \
        f"Page {len(r.pages)} of {len(r.pages)}" in texts(r)[-1]


def test_fonts_are_served_decompressed_only_from_allowed_folders(tmp_path: Path):
    """The font cache reads nothing the fetcher would refuse: a WOFF2 outside the theme and
    assets is refused like any file; one inside is served as the sfnt WeasyPrint would make."""
    from stratdocs.render.pdffetch import BlockedFetch, Fetcher

    fonts = FONTS
    font = next(fonts.glob("*.woff2"))
    outside = tmp_path / "elsewhere" / font.name
    outside.parent.mkdir()
    outside.write_bytes(font.read_bytes())
    fetcher = Fetcher([fonts])
    served = fetcher.fetch(font.as_uri())
    body = served.read()
    assert body[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true") and body != font.read_bytes()
    with pytest.raises(BlockedFetch):
        fetcher.fetch(outside.as_uri())
    assert fetcher.blocked == [outside.as_uri()]


def test_decompressed_fonts_are_kept_signed_in_the_user_cache(tmp_path: Path, monkeypatch):
    """A theme's WOFF2 font is decompressed once and read back by the next run from this user's
    cache folder; a kept font that is not signed with this user's key is not used."""
    from fontTools.ttLib import woff2

    from stratdocs import userkey
    from stratdocs.render import pdffetch

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(userkey, "_SIGNING_KEY", [])
    monkeypatch.setattr(pdffetch, "_FONTS", {})
    made: list[int] = []
    original = woff2.decompress
    monkeypatch.setattr(woff2, "decompress", lambda *args: (made.append(1), original(*args))[1])
    font = next(FONTS.glob("*.woff2"))
    first = pdffetch._decompressed(font)
    kept = list((tmp_path / "user-cache" / "stratdocs" / "fonts").glob("*.ttf"))
    assert made == [1] and len(kept) == 1 and first[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")
    pdffetch._FONTS.clear()  # the next run
    assert pdffetch._decompressed(font) == first and made == [1]
    data = kept[0].read_bytes()
    kept[0].write_bytes(data[:-16] + bytes(16))  # edited, or planted by someone else
    pdffetch._FONTS.clear()
    assert pdffetch._decompressed(font) == first and made == [1, 1]


def test_only_the_parts_whose_numbers_changed_are_printed_again():
    """Part 1 of three moved an anchor (same page count): part 0 points at it and is printed
    again, part 2 does not and keeps its PDF; when part 0 gains a page, every later part starts
    on another page and is printed again too."""
    from stratdocs.render import pdfrun

    jobs = [{"html": '<a href="#b">p. N</a>'}, {"html": '<p id="b">B</p>'}, {"html": '<a href="#c">x</a><p id="c"></p>'}]
    printed = [((b"%PDF-0", {}, [], 2), [], 2), ((None, {"b": 1}, [], 3), [], 3), ((b"%PDF-2", {"c": 0}, [], 1), [], 1)]
    before = [(2, {}), (3, {"b": 0}), (1, {"c": 0})]
    after = [(2, {}), (3, {"b": 1}), (1, {"c": 0})]
    assert set(pdfrun._still_right(jobs, printed, before, after)) == {2}
    grown = [(3, {}), (3, {"b": 0}), (1, {"c": 0})]
    assert pdfrun._still_right(jobs, printed, before, grown) == {}


def test_a_measure_prints_page_references_as_wide_as_the_document_numbers():
    from stratdocs.render import pdfparts, pdfstitch

    assert pdfstitch.expected_pages(433_810) == 54 and pdfstitch.expected_pages(5_470_000) == 683
    stand_ins = pdfparts._StandIns(600)
    assert "any-anchor" in stand_ins and stand_ins["any-anchor"] == 555
    assert pdfparts._StandIns(86)["x"] == 55 and pdfparts._StandIns(1)["x"] == 5
