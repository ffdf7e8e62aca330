"""A file that takes too long to parse or render fails with its name instead of hanging."""

from __future__ import annotations

import time

import pytest

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
