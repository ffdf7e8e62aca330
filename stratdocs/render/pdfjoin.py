"""The parts of a document joined into one PDF with pikepdf (qpdf, in C++) (issue #15, PDF).

Each part was printed by a worker into a temporary file (`pdfrun`); qpdf reads those files as it
needs them, so the parent never holds every part's PDF in memory. The joined file has:

- pages in order; "Page X of Y", the contents' page numbers and printed cross-references were
  already printed with the whole document's numbers;
- named destinations: one name tree of every part's anchors at their pages; a link to another
  part was kept by its part with a stand-in destination, which is left out here so that the link
  reaches the real one;
- bookmarks made from every part's bookmarks in document order, as WeasyPrint nests them in a
  single render (`Document.make_bookmark_tree`): a sub-objective whose parent is in the part
  before still nests under it;
- tags: one structure tree (a `Document` element with every part's elements: WeasyPrint tags each
  page on its own, a section four pages long is four `Sect` elements, so a cut between pages
  changes nothing), the parent tree renumbered and each page's `StructParents` and each
  annotation's `StructParent` with it;
- the catalog as WeasyPrint writes it (language, marked, viewer preferences, bookmarks shown,
  page labels) and the first part's document information (title, author, dates);
- its objects packed into compressed object streams, as WeasyPrint writes a whole document.

Nothing here uses a clock or randomness, and the file ID is derived from the content
(`deterministic_id`): the same parts give the same bytes.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Sequence

import pikepdf
from pikepdf import Array, Dictionary, Name

_CATALOG_KEYS = ("/Lang", "/MarkInfo", "/ViewerPreferences", "/PageMode", "/PageLabels")
#: PDF units per CSS pixel, as WeasyPrint's `write_pdf` scales (zoom 1).
_SCALE = 0.75


@dataclass(frozen=True)
class Printed:
    """One printed part, as its worker reported it."""

    path: str  #: the part's PDF (a temporary file)
    anchors: dict  #: anchor name -> 0-based page in the part
    stand_ins: list  #: stand-in anchors for links to other parts (left out of the name tree)
    bookmarks: list  #: per page: (height in CSS px, WeasyPrint's `page.bookmarks`)


def stitch(parts: Sequence[Printed]) -> bytes:
    """The parts' PDFs as one document."""
    out = pikepdf.new()
    sources = [pikepdf.open(part.path) for part in parts]
    try:
        offsets = []
        with warnings.catch_warnings():  # that named destinations are not copied: see _destinations
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning if hasattr(pikepdf, "PageCopyWarning")
                                  else UserWarning)
            for source in sources:
                offsets.append(len(out.pages))
                out.pages.extend(source.pages)
        first = sources[0]
        for key in _CATALOG_KEYS:
            if key in first.Root:
                out.Root[key] = _copy(out, first, first.Root[key])
        if "/Info" in first.trailer:
            out.trailer.Info = out.copy_foreign(first.trailer.Info)
        _destinations(out, sources, offsets, parts)
        _outline(out, parts)
        if all("/StructTreeRoot" in source.Root for source in sources):
            _structure(out, sources, offsets)
        buffer = io.BytesIO()
        out.save(buffer, min_version=first.pdf_version, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, stream_decode_level=pikepdf.StreamDecodeLevel.none, deterministic_id=True)
        return buffer.getvalue()
    finally:
        for source in sources:
            source.close()
        out.close()


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, value):
    """A value of `source` in `out` (qpdf copies only indirect objects across files)."""
    if isinstance(value, (Dictionary, Array)) and not value.is_indirect:
        value = source.make_indirect(value)
    return out.copy_foreign(value) if isinstance(value, (Dictionary, Array)) else value


def _destinations(out, sources, offsets, parts) -> None:
    """One name tree of the real anchors of every part (the stand-ins left out)."""
    tree = pikepdf.NameTree.new(out)
    for source, offset, part in zip(sources, offsets, parts):
        if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
            continue
        index = {page.obj.objgen: i for i, page in enumerate(source.pages)}
        skip = set(part.stand_ins)
        for name, dest in pikepdf.NameTree(source.Root.Names.Dests).items():
            if name in skip or name in tree:
                continue
            page = out.pages[offset + index[dest[0].objgen]].obj
            tree[name] = out.make_indirect(Array([page, *list(dest)[1:]]))
    out.Root.Names = out.make_indirect(Dictionary(Dests=tree.obj))


def _outline(out, parts) -> None:
    """The bookmarks of every part, nested as one render of the whole document nests them."""
    from weasyprint.document import Document

    pages = [SimpleNamespace(height=height, bookmarks=bookmarks)
             for part in parts for height, bookmarks in part.bookmarks]
    tree = Document.make_bookmark_tree(SimpleNamespace(pages=pages), _SCALE, transform_pages=True)
    if not tree:
        return
    root = out.make_indirect(Dictionary(Type=Name.Outlines))
    items, count = _items(out, tree, root)
    root.First, root.Last, root.Count = items[0], items[-1], count
    out.Root.Outlines = root


def _items(out, subtrees, parent) -> tuple[list, int]:
    """Outline items as WeasyPrint's `add_outlines` writes them: (items, visible count)."""
    count = len(subtrees)
    items: list = []
    for title, (page, x, y), children, state in subtrees:
        item = out.make_indirect(Dictionary(Title=pikepdf.String(title), Parent=parent,
                                            Dest=Array([out.pages[page].obj, Name.XYZ, x, y, 0])))
        kids, kids_count = _items(out, children, item)
        item.Count = -kids_count if state == "closed" else kids_count
        if state != "closed":
            count += kids_count
        if items:
            item.Prev = items[-1]
            items[-1].Next = item
        if kids:
            item.First, item.Last = kids[0], kids[-1]
        items.append(item)
    return items, count


def _structure(out, sources, offsets) -> None:
    """One structure tree: every part's elements under one `Document` element."""
    tree = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
    document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=tree, K=Array()))
    tree.K = Array([document])
    nums = Array()
    base = 0
    for source, offset in zip(sources, offsets):
        source_tree = source.Root.StructTreeRoot
        kids = [out.copy_foreign(kid) for kid in _kids(source_tree.K[0])]
        for kid in kids:
            if isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = document
            document.K.append(kid)
        pairs = source_tree.ParentTree.Nums
        keys = [int(pairs[i]) for i in range(0, len(pairs), 2)]
        for i in range(0, len(pairs), 2):
            nums.append(int(pairs[i]) + base)
            nums.append(_copy(out, source, pairs[i + 1]))
        for index in range(len(source.pages)):
            page = out.pages[offset + index].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + base
            for annot in page.get("/Annots", ()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + base
        base += max(keys, default=-1) + 1
    tree.ParentTree = out.make_indirect(Dictionary(Nums=nums))
    tree.ParentTreeNextKey = base
    out.Root.StructTreeRoot = tree


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]
