"""The parts of a document joined into one PDF with pikepdf (qpdf, in C++) (issue #15, PDF).

Each part was printed by a worker into a temporary file (`pdfrun`). The parts are opened one at a
time: a part's pages, destinations and tags are copied into the joined file, the copied streams
take their (still compressed) data with them, and the part is closed before the next is opened,
so the parent holds the joined file's objects and one part's, never every part's at once (at
653 pages, 20 parts: 693 MB → 421 MB for the stitch). The joined file has:

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
    tree = pikepdf.NameTree.new(out)
    structure = _Structure(out)
    version, tagged = "1.7", True
    try:
        for number, part in enumerate(parts):
            with pikepdf.open(part.path) as source:
                start = out.make_indirect(Dictionary()).objgen[0]
                offset = len(out.pages)
                with warnings.catch_warnings():  # that named destinations are not copied: see _destinations
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning if hasattr(pikepdf, "PageCopyWarning")
                                          else UserWarning)
                    out.pages.extend(source.pages)
                if number == 0:
                    version = source.pdf_version
                    for key in _CATALOG_KEYS:
                        if key in source.Root:
                            out.Root[key] = _copy(out, source, source.Root[key])
                    if "/Info" in source.trailer:
                        out.trailer.Info = out.copy_foreign(source.trailer.Info)
                _destinations(tree, out, source, offset, part)
                if "/StructTreeRoot" in source.Root:
                    structure.add(source, offset)
                else:
                    tagged = False
                _detach(out, start, out.make_indirect(Dictionary()).objgen[0])
        out.Root.Names = out.make_indirect(Dictionary(Dests=tree.obj))
        _outline(out, parts)
        if tagged:
            out.Root.StructTreeRoot = structure.finish()
        buffer = io.BytesIO()
        out.save(buffer, min_version=version, object_stream_mode=pikepdf.ObjectStreamMode.generate,
                 compress_streams=True, stream_decode_level=pikepdf.StreamDecodeLevel.none, deterministic_id=True)
        return buffer.getvalue()
    finally:
        out.close()


def _detach(out: pikepdf.Pdf, start: int, end: int) -> None:
    """The streams copied since object `start` hold their (still encoded) data themselves, so
    that their part can be closed: qpdf reads a copied stream's data from its source only when
    the joined file is written, and keeping every part open held all of their objects at once."""
    for number in range(start + 1, end):
        obj = out.get_object(number, 0)
        if isinstance(obj, pikepdf.Stream):
            obj.write(obj.read_raw_bytes(), filter=obj.get("/Filter"), decode_parms=obj.get("/DecodeParms"))


def _copy(out: pikepdf.Pdf, source: pikepdf.Pdf, value):
    """A value of `source` in `out` (qpdf copies only indirect objects across files)."""
    if isinstance(value, (Dictionary, Array)) and not value.is_indirect:
        value = source.make_indirect(value)
    return out.copy_foreign(value) if isinstance(value, (Dictionary, Array)) else value


def _destinations(tree, out, source, offset: int, part: Printed) -> None:
    """The part's real anchors (the stand-ins left out) in the one name tree of the document."""
    if "/Names" not in source.Root or "/Dests" not in source.Root.Names:
        return
    index = {page.obj.objgen: i for i, page in enumerate(source.pages)}
    skip = set(part.stand_ins)
    for name, dest in pikepdf.NameTree(source.Root.Names.Dests).items():
        if name in skip or name in tree:
            continue
        page = out.pages[offset + index[dest[0].objgen]].obj
        tree[name] = out.make_indirect(Array([page, *list(dest)[1:]]))


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


class _Structure:
    """One structure tree: every part's elements under one `Document` element, the parent tree
    renumbered and each page's `StructParents` and each annotation's `StructParent` with it."""

    def __init__(self, out: pikepdf.Pdf):
        self.out = out
        self.tree = out.make_indirect(Dictionary(Type=Name.StructTreeRoot))
        self.document = out.make_indirect(Dictionary(Type=Name.StructElem, S=Name.Document, P=self.tree, K=Array()))
        self.tree.K = Array([self.document])
        self.nums = Array()
        self.base = 0

    def add(self, source: pikepdf.Pdf, offset: int) -> None:
        out, base = self.out, self.base
        source_tree = source.Root.StructTreeRoot
        for kid in [out.copy_foreign(kid) for kid in _kids(source_tree.K[0])]:
            if isinstance(kid, Dictionary) and "/S" in kid:
                kid.P = self.document
            self.document.K.append(kid)
        pairs = source_tree.ParentTree.Nums
        keys = [int(pairs[i]) for i in range(0, len(pairs), 2)]
        for i in range(0, len(pairs), 2):
            self.nums.append(int(pairs[i]) + base)
            self.nums.append(_copy(out, source, pairs[i + 1]))
        for index in range(len(source.pages)):
            page = out.pages[offset + index].obj
            if "/StructParents" in page:
                page.StructParents = int(page.StructParents) + base
            for annot in page.get("/Annots", ()):
                if "/StructParent" in annot:
                    annot.StructParent = int(annot.StructParent) + base
        self.base += max(keys, default=-1) + 1

    def finish(self) -> Dictionary:
        self.tree.ParentTree = self.out.make_indirect(Dictionary(Nums=self.nums))
        self.tree.ParentTreeNextKey = self.base
        return self.tree


def _kids(element) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]
