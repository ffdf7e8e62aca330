"""The fast paths taken for speed give exactly what the plain ways they replace give."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st
from markupsafe import Markup, escape

from stratdocs.render.charts.svg import attribute, coord
from stratdocs.render.views.documents import rebase_svg_links

_SVG = re.compile(r"<svg\b.*?</svg>", re.S)
_SVG_LINK = re.compile(r'((?:xlink:)?href=")(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|/|\.\./)')


def _rebased_by_regex(html: str, root: str) -> str:
    """The regular expression the twin's link rebasing used to run over a whole page."""
    return _SVG.sub(lambda m: _SVG_LINK.sub(lambda k: k.group(1) + root, m.group(0)), html) if root else html


PIECES = st.sampled_from(["<svg", "<svg>", "<svg ", "<svgx", "</svg>", 'href="', 'xlink:href="', 'href="#a"',
                          'href="http://x"', 'href="../up"', "text", "<p>", "\n", "a", "<", ">", '"'])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=30), st.sampled_from(["", "../", "../../"]))
def test_rebasing_svg_links_is_the_regex_it_replaced(pieces, root):
    html = "".join(pieces)
    assert rebase_svg_links(html, root) == _rebased_by_regex(html, root)


@given(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False), st.booleans(),
                 st.text().map(Markup)))
def test_an_svg_attribute_is_escaped_as_markupsafe_does(value):
    expected = coord(value) if isinstance(value, float) else str(escape(value))
    assert attribute(value) == expected


def _claimed_by_pathlib(rel: str, written: set[str]) -> tuple[str, ...]:
    """The output path check `writer.claim` made with pathlib for every path."""
    from pathlib import PurePosixPath

    from stratdocs.errors import OutputError

    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise OutputError("outside")
    key = pure.as_posix().lower()
    if key in written:
        raise OutputError("twice")
    written.add(key)
    return pure.parts


@settings(max_examples=600, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "B", "/", ".", "..", "x.html", " ", "\\"]), max_size=6)
                .map("".join), max_size=4))
def test_claiming_an_output_path_is_what_pathlib_said(rels):
    from stratdocs.errors import OutputError
    from stratdocs.render.writer import claim

    mine, theirs = set(), set()
    for rel in rels:
        try:
            expected = _claimed_by_pathlib(rel, theirs)
        except OutputError:
            expected = None
        try:
            got = claim(rel, mine)
        except OutputError:
            got = None
        assert got == expected, rel
    assert mine == theirs
