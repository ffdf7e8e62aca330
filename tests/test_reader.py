"""The shared typed reader (`stratdocs.reader`), the body link scanner (`stratdocs.links`) and
config errors as values: fast unit tests, no CLI."""

from __future__ import annotations

from datetime import date

import pytest

from stratdocs import config as config_mod, errors, yamlnodes
from stratdocs.links import body_links
from stratdocs.reader import ConfigReader, Reader


def node(text: str):
    return yamlnodes.parse(f"v: {text}\n").items["v"][1]


def test_reader_types_values_and_locates_what_is_wrong():
    findings = []
    r = Reader("content/x.md", findings)
    assert r.text(node("1.10"), "k") == "1.10"
    assert r.date(node("2026-11-15"), "k") == date(2026, 11, 15)
    assert r.number(node("'3'"), "k") is None
    assert r.choice(node("Financal"), "perspective", ("financial", "customer")) is None
    assert r.strings(node("[a, '', b]"), "k") == ("a", "b")
    assert [(f.line, f.col, f.code) for f in findings] == [(1, 4, "schema"), (1, 4, "schema")]
    assert findings[1].message == "'perspective' is 'Financal'; use one of: financial, customer; did you mean 'financial'?"


def test_config_reader_refuses_empty_text_and_matches_choices_as_written():
    findings = []
    r = ConfigReader("stratdocs.yml", findings, "config")
    assert r.text(node(""), "title") is None
    assert r.choice(node("A4"), "paper", ("a4", "letter")) == "a4"
    assert [(f.message, f.code) for f in findings] == [("'title' must be text", "config")]


def test_body_links_skip_code_and_carry_file_lines():
    refs = body_links("See [[SO1|growth]].\n\n```\n[[NOT]]\n```\n`[[NOR]]` [a](../pages/p.md#x)\n", 5)
    assert [(r.key, r.target, r.line, r.col) for r in refs] == [("link", "SO1", 5, 5), ("file", "../pages/p.md", 10, 15)]


def test_config_problems_are_located_findings(tmp_path):
    (tmp_path / "stratdocs.yml").write_text("as_of: 2026-11-15\npaper: A5\ntitel: x\n")
    with pytest.raises(errors.ConfigError) as caught:
        config_mod.load(tmp_path)
    assert config_mod.ConfigError is errors.ConfigError
    assert [(f.line, f.col, f.code) for f in caught.value.findings] == [(2, 8, "config"), (3, 1, "config")]
    assert caught.value.message.splitlines() == [
        "stratdocs.yml:2:8: error: 'paper' is 'A5'; use one of: a4, letter",
        "stratdocs.yml:3:1: error: unknown config key 'titel'; did you mean 'title'?",
    ]
    assert caught.value.exit_code == 2
