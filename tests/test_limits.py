"""A file that takes too long to parse or render fails with its name instead of hanging."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratdocs import sources, yamlnodes
from stratdocs.limits import TooSlow, time_limit
from stratdocs.render import markdown as md


def test_time_limit_names_what_was_too_slow():
    with pytest.raises(TooSlow, match="rendering x.md took longer than 0.2 s"):
        with time_limit(0.2, "rendering x.md"):
            time.sleep(2)


def test_time_limit_lets_quick_work_through_and_disarms():
    with time_limit(0.5, "quick"):
        value = sum(range(1000))
    time.sleep(0.6)  # the timer was cancelled: no late alarm
    assert value == 499500


def test_slow_front_matter_is_a_located_finding(monkeypatch):
    monkeypatch.setattr(sources, "FILE_SECONDS", 0.2)
    real = yamlnodes.parse

    def slow(text, line_offset=0):
        time.sleep(2)
        return real(text, line_offset)

    monkeypatch.setattr(yamlnodes, "parse", slow)
    src, findings = sources.parse_bytes("content/objectives/SO1.md", "objective", b"---\ntitle: x\n---\n")
    assert src is None
    assert [(f.file, f.code) for f in findings] == [("content/objectives/SO1.md", "yaml")]
    assert "took longer than 0.2 s" in findings[0].message


def test_slow_markdown_fails_the_build_with_the_file_name(monkeypatch):
    monkeypatch.setattr(md, "FILE_SECONDS", 0.2)
    renderer = md.MarkdownRenderer(["tables"], {}, "sanitize", {}, {}, "content", frozenset())
    monkeypatch.setattr(renderer.md, "convert", lambda text: time.sleep(2) or "<p>late</p>")
    with pytest.raises(TooSlow, match="content/pages/huge.md"):
        renderer.render("# huge", "content/pages/huge.md")


def _reference_link_text(data: str, index: int) -> tuple[str, int, bool]:
    """How Python-Markdown 3.5 to 3.11.3 find a link's text: a scan for the closing bracket."""
    depth = 1
    for pos in range(index, len(data)):
        depth += {"[": 1, "]": -1}.get(data[pos], 0)
        if not depth:
            return data[index:pos], pos + 1, True
    return data[index:], len(data), False


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]a(", max_size=120), st.sampled_from([0, 2, 32, 33]))
def test_a_links_text_ends_where_python_markdown_ends_it(data: str, scan: int):
    from stratdocs.render import markdown_ext

    text = markdown_ext.LinkText()
    old, markdown_ext._SCAN = markdown_ext._SCAN, scan  # the scan and the whole-paragraph ends agree
    try:
        for index in [i + 1 for i, ch in enumerate(data) if ch == "["]:
            assert text(data, index) == _reference_link_text(data, index)
    finally:
        markdown_ext._SCAN = old


def _render_seconds(body: str) -> float:
    renderer = md.MarkdownRenderer(["tables"], {}, "sanitize", {}, {}, "content", frozenset())
    best = float("inf")
    for _ in range(3):
        started = time.process_time()
        renderer.render(body, "content/pages/links.md")
        best = min(best, time.process_time() - started)
    return best


@pytest.mark.parametrize("piece", ["[link {i}](https://example.com/{i}) ", "![chart {i}](c{i}.png) ", "[" * 40 + "x "])
def test_a_paragraph_of_many_links_renders_in_time_linear_in_its_length(piece: str):
    """Python-Markdown 3.11.4 found every bracket's end again after each link (3,000 links in a
    paragraph: over 20 s, the time limit); 4 times the links must take well under 16 times as long."""
    small = "".join(piece.format(i=i) for i in range(300))
    large = "".join(piece.format(i=i) for i in range(1200))
    assert _render_seconds(large) < 8 * max(_render_seconds(small), 0.002)
