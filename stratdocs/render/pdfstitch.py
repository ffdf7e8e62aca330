"""A document in parts on every core, stitched into one PDF (issue #15, "Speed", PDF).

WeasyPrint lays a document out on one core. A document of several sections is instead cut at
section boundaries into parts of about equal size (`split`, `partition`), each part is measured
and then printed with the page numbers of the whole document in a worker process
(`render_pdf.pdfparts`), and the parts' PDFs are joined into one (`stitch`) with pypdf:

- pages in order; "Page X of Y", the contents' page numbers and printed cross-references were
  already printed with the whole document's numbers;
- named destinations: every anchor of every part, at its page; a link to another part was kept
  by its part with a stand-in destination, which is dropped here so the link reaches the real one;
- bookmarks: each part's outline, in order (parts start at a section, the outline's first level);
- tags: one structure tree (a `Document` element with every part's elements), the parent tree
  renumbered and each page's `StructParents` and each annotation's `StructParent` with it;
- the catalog as WeasyPrint writes it (language, marked, viewer preferences, bookmarks shown,
  page labels) and the first part's document information (title, author, dates).

Nothing here uses a clock or randomness: the same parts give the same bytes.
"""

from __future__ import annotations

import io
from typing import Callable, Sequence

#: Documents shorter than twice this many characters of HTML are rendered whole.
MIN_PART_CHARS = 60_000
#: A part is at most about this many characters of HTML (some 40 pages): a worker's memory grows
#: with its part, so a long document is cut into more parts than there are workers.
MAX_PART_CHARS = 300_000
#: Characters of HTML per printed page, roughly (the example's board pack has about 7,600, the
#: board pack of a generated 1,000-entity plan about 8,400): only the estimate's digits count.
CHARS_PER_PAGE = 8_000
#: Parts per worker process at least: more parts balance uneven sections better, each costs a
#: start-up (parsing the HTML and the stylesheets).
PARTS_PER_WORKER = 2


# -- cutting the document -----------------------------------------------------------------------


def split(render: Callable[[Sequence], str], sections: Sequence) -> tuple[str, str, list[str]] | None:
    """The document's HTML as (head, tail, one fragment per section), from the template rendered
    with no sections and with each section alone; None when the template does not print its
    sections one after another between a fixed head and tail (a theme's own layout, say)."""
    empty = render([])
    alone = [render([section]) for section in sections]
    if not alone:
        return None
    first = alone[0]
    common = next((i for i, (a, b) in enumerate(zip(first, empty)) if a != b), min(len(first), len(empty)))
    head, tail = empty[:common], empty[common:]
    fragments = []
    for html in alone:
        if not (html.startswith(head) and html.endswith(tail)) or len(html) < len(empty):
            return None
        fragments.append(html[len(head):len(html) - len(tail)])
    return head, tail, fragments


def partition(sizes: Sequence[int], parts: int) -> list[range]:
    """Consecutive sections grouped into at most `parts` ranges of about equal total size."""
    total = sum(sizes) or 1
    groups: list[range] = []
    start = 0
    done = 0
    for index, size in enumerate(sizes):
        done += size
        boundary = total * (len(groups) + 1) / parts
        if done >= boundary and index + 1 < len(sizes) and len(groups) + 1 < parts:
            groups.append(range(start, index + 1))
            start = index + 1
    groups.append(range(start, len(sizes)))
    return [g for g in groups if len(g)]


def part_count(chars: int, workers: int, sections: int) -> int:
    """How many parts a document of `chars` characters and `sections` sections is cut into."""
    if workers < 2 or sections < 2:
        return 1
    wanted = max(workers * PARTS_PER_WORKER, -(-chars // MAX_PART_CHARS))
    return max(1, min(sections, wanted, chars // max(1, MIN_PART_CHARS)))


def expected_pages(chars: int) -> int:
    """About how many pages a document of `chars` characters of HTML prints."""
    return max(1, chars // CHARS_PER_PAGE)


# -- stitching ----------------------------------------------------------------------------------


def stitch(parts: Sequence[tuple[bytes, dict[str, int], list[str]]]) -> bytes:
    """The parts' PDFs as one document.

    :param parts: per part in order: its PDF, its anchors (name -> 0-based page in the part) and
        the stand-in anchors it carries for links to other parts.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    writer = PdfWriter()
    readers = [PdfReader(io.BytesIO(data)) for data, _, _ in parts]
    offsets = []
    for reader in readers:
        offsets.append(len(writer.pages))
        writer.append(reader, import_outline=True)
    _destinations(writer, readers, offsets, parts)
    _structure(writer, readers, offsets)
    first = readers[0]
    root = writer._root_object
    for key in ("/Lang", "/MarkInfo", "/ViewerPreferences", "/PageMode", "/PageLabels"):
        if key in first.trailer["/Root"]:
            root[NameObject(key)] = first.trailer["/Root"][key].clone(writer)
    writer.add_metadata({key: value for key, value in (first.metadata or {}).items()})
    if "/Producer" not in (first.metadata or {}):
        writer._info.get_object().pop(NameObject("/Producer"), None)
    out = io.BytesIO()
    writer.write(out)
    return _compact(out.getvalue())


def _compact(data: bytes) -> bytes:
    """The stitched PDF with its objects packed into compressed object streams, as WeasyPrint
    writes a document made in one piece (pypdf writes every object plainly: the board pack came
    out at 2.6 MB instead of 0.8 MB). qpdf, through pikepdf, rewrites only the file's structure:
    streams keep their bytes, and the file ID is derived from the content, so the same parts give
    the same bytes."""
    import pikepdf

    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pdf.save(out, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none, deterministic_id=True)
    return out.getvalue()


def _destinations(writer, readers, offsets, parts) -> None:
    """One name tree of the real anchors of every part (the stand-ins left out)."""
    from pypdf.generic import (ArrayObject, DictionaryObject, FloatObject, NameObject, NullObject, NumberObject,
                               TextStringObject)

    names = []
    for reader, offset, (_, anchors, stand_ins) in zip(readers, offsets, parts):
        dests = reader.named_destinations
        skip = set(stand_ins)
        for name in sorted(anchors):
            if name in skip or name not in dests:
                continue
            dest = dests[name]
            page = writer.pages[offset + reader.get_destination_page_number(dest)]
            place = [FloatObject(v) if v is not None else NullObject() for v in (dest.left, dest.top)]
            names.append((name, ArrayObject([page.indirect_reference, NameObject("/XYZ"), *place,
                                             NumberObject(0)])))
    names.sort(key=lambda item: item[0])
    flat = ArrayObject()
    for name, array in names:
        flat += [TextStringObject(name), writer._add_object(array)]
    tree = DictionaryObject({NameObject("/Names"): flat})
    root_names = DictionaryObject({NameObject("/Dests"): writer._add_object(tree)})
    writer._root_object[NameObject("/Names")] = writer._add_object(root_names)


def _structure(writer, readers, offsets) -> None:
    """One structure tree: every part's elements under one `Document` element."""
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject

    if not all("/StructTreeRoot" in r.trailer["/Root"] for r in readers):
        return
    tree_root = DictionaryObject({NameObject("/Type"): NameObject("/StructTreeRoot")})
    tree_ref = writer._add_object(tree_root)
    document = DictionaryObject({NameObject("/Type"): NameObject("/StructElem"), NameObject("/S"): NameObject("/Document"),
                                 NameObject("/K"): ArrayObject(), NameObject("/P"): tree_ref})
    document_ref = writer._add_object(document)
    tree_root[NameObject("/K")] = ArrayObject([document_ref])
    nums = ArrayObject()
    base = 0
    for reader, offset in zip(readers, offsets):
        source = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
        source_document = source["/K"][0].get_object()
        for kid in source_document["/K"]:
            clone = kid.clone(writer, ignore_fields=("/P",))
            document["/K"].append(clone.indirect_reference if hasattr(clone, "indirect_reference") and
                                  clone.indirect_reference else clone)
        pairs = source["/ParentTree"].get_object()["/Nums"]
        keys = [int(pairs[i]) for i in range(0, len(pairs), 2)]
        for i in range(0, len(pairs), 2):
            nums += [NumberObject(int(pairs[i]) + base), pairs[i + 1].clone(writer, ignore_fields=("/P",))]
        for index in range(len(reader.pages)):
            page = writer.pages[offset + index].get_object()
            source_page = reader.pages[index]
            if "/StructParents" in source_page:  # pypdf does not copy it
                page[NameObject("/StructParents")] = NumberObject(int(source_page["/StructParents"]) + base)
            for annot in page.get("/Annots", ()):
                annot = annot.get_object()
                if "/StructParent" in annot:
                    annot[NameObject("/StructParent")] = NumberObject(int(annot["/StructParent"]) + base)
        base += max(keys, default=-1) + 1
    tree_root[NameObject("/ParentTree")] = writer._add_object(DictionaryObject({NameObject("/Nums"): nums}))
    tree_root[NameObject("/ParentTreeNextKey")] = NumberObject(base)
    _parents(document_ref, document)
    for i in range(1, len(nums), 2):
        value = nums[i].get_object()
        for element in (value if isinstance(value, ArrayObject) else [nums[i]]):
            element = element.get_object()
            if isinstance(element, DictionaryObject) and "/P" not in element:
                element[NameObject("/P")] = document_ref
    writer._root_object[NameObject("/StructTreeRoot")] = tree_ref


def _parents(ref, element) -> None:
    """Point every structure element at its parent (the clones were made without `/P`)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack = [(ref, element)]
    while stack:
        parent_ref, parent = stack.pop()
        kids = parent.get("/K")
        kids = kids if isinstance(kids, ArrayObject) else [kids] if kids is not None else []
        for kid in kids:
            if not isinstance(kid, IndirectObject):
                continue
            child = kid.get_object()
            if isinstance(child, DictionaryObject) and child.get("/Type") in (None, "/StructElem") and "/S" in child:
                child[NameObject("/P")] = parent_ref
                stack.append((kid, child))
