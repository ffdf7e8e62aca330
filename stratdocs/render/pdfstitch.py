"""A document cut into parts for every core (issue #15, "Speed", PDF).

WeasyPrint lays a document out on one core. A long document is instead cut into parts of about
equal size: at section boundaries (`split`), and inside a section whose every entity starts a new
page (objectives, operations, KPIs: `PAGE_SECTIONS`) between its entities (`pieces`), where a cut
changes nothing printed. The pieces are grouped into parts (`partition`, `assemble`); each part is
measured and then printed with the page numbers of the whole document in a worker process
(`pdfparts`, `pdfrun`), and the parts' PDFs are joined into one by `pdfjoin`.

A part that starts inside a section opens it again without its id (the anchor stays where the
section starts) and starts with the named strings (the running header's section name) as the
parts before leave them (`pdfparts`); `pdfjoin` nests its bookmarks under the section's, as a
single render has them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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
#: start-up (parsing the HTML and the stylesheets). Pieces as small as an entity balance well
#: enough with one.
PARTS_PER_WORKER = 1
#: The sections of the default theme's `pdf.css` whose every entity starts on a new page
#: (`break-before: page`): a document may be cut between their entities.
PAGE_SECTIONS = ("objectives", "operations", "kpis")

_OPENING = re.compile(r'section class="section section-entities section-(?P<key>[\w-]+)"(?P<id> id="[^"]*")?>')
_ENTITY = '\n<article class="entity '
_CLOSING = "</section>"


@dataclass(frozen=True)
class Piece:
    """A stretch of the document's HTML that a part may start or end with.

    A section cut between its entities gives one piece per entity (the first with the section's
    opening and heading); `opener` and `closer` reopen and close the section around a group of its
    pieces that does not start or end where the section does."""

    section: int  #: which section (in document order)
    index: int  #: which piece of its section
    count: int  #: how many pieces its section has
    text: str
    opener: str = ""
    closer: str = ""

    @property
    def continues(self) -> bool:
        """Whether the piece starts inside its section (not at its start)."""
        return self.index > 0


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
    """Consecutive pieces grouped into at most `parts` ranges of about equal total size: the k-th
    cut is at the piece boundary nearest to k/parts of the whole (a piece larger than a share
    makes a range of its own rather than pulling its neighbours in)."""
    total = sum(sizes)
    ends, done = [], 0
    for size in sizes:
        done += size
        ends.append(done)
    cuts: list[int] = []
    for k in range(1, parts):
        share = total * k / parts
        best = min(range(1, len(sizes)), key=lambda i: (abs(ends[i - 1] - share), i), default=None)
        if best is not None and (not cuts or best > cuts[-1]):
            cuts.append(best)
    bounds = [0, *cuts, len(sizes)]
    return [range(a, b) for a, b in zip(bounds, bounds[1:]) if b > a]


def part_count(chars: int, workers: int, sections: int) -> int:
    """How many parts a document of `chars` characters and `sections` sections is cut into."""
    if workers < 2 or sections < 2:
        return 1
    wanted = max(workers * PARTS_PER_WORKER, -(-chars // MAX_PART_CHARS))
    wanted = -(-wanted // workers) * workers  # whole rounds: no core waits while one part is left
    return max(1, min(sections, wanted, chars // max(1, MIN_PART_CHARS)))


def expected_pages(chars: int) -> int:
    """About how many pages a document of `chars` characters of HTML prints."""
    return max(1, chars // CHARS_PER_PAGE)


# -- cutting inside a section ----------------------------------------------------------------


def pieces(fragments: Sequence[str], inside: bool = True) -> list[Piece]:
    """The sections' fragments (from `split`) as pieces: each section of `PAGE_SECTIONS` cut
    before each of its entities (unless not `inside`: a theme's own print layout), every other
    section whole."""
    out: list[Piece] = []
    for number, fragment in enumerate(fragments):
        out += _cut(number, fragment) if inside else [Piece(number, 0, 1, fragment)]
    return out


def _cut(number: int, fragment: str) -> list[Piece]:
    opening = _OPENING.match(fragment)
    end = fragment.rfind(_CLOSING)
    if not opening or opening.group("key") not in PAGE_SECTIONS or end < 0:
        return [Piece(number, 0, 1, fragment)]
    starts = [i for i in _starts(fragment, opening.end(), end)][1:]
    if not starts:
        return [Piece(number, 0, 1, fragment)]
    bounds = [0, *starts, end]
    texts = [fragment[a:b] for a, b in zip(bounds, bounds[1:])]
    texts[-1] += fragment[end:]
    # The fragment ends where the next one starts (`split` cuts after the '<' they share).
    opener = fragment[:opening.end()].replace(opening.group("id") or "", "", 1)
    closer = fragment[end:]
    return [Piece(number, i, len(texts), text, opener, closer) for i, text in enumerate(texts)]


def _starts(fragment: str, start: int, end: int):
    at = fragment.find(_ENTITY, start, end)
    while at >= 0:
        yield at
        at = fragment.find(_ENTITY, at + 1, end)


def assemble(chosen: Sequence[Piece]) -> str:
    """The HTML of consecutive pieces, each cut section reopened and closed where needed."""
    out = []
    for i, piece in enumerate(chosen):
        if piece.continues and (i == 0 or chosen[i - 1].section != piece.section):
            out.append(piece.opener)
        text = piece.text
        if piece.index + 1 < piece.count and (i + 1 == len(chosen) or chosen[i + 1].section != piece.section):
            text += piece.closer
        out.append(text)
    return "".join(out)
