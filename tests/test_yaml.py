"""Safe YAML with positions, and robustness: hostile or odd files give a located error, never a traceback."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PlanProject, run_module
from stratdocs import schema, sources, yamlnodes, yamlparse
from stratdocs.yamlnodes import Mapping, Scalar, Sequence, YamlError


# --- the node parser --------------------------------------------------------------------------

def test_nodes_remember_lines_and_columns():
    root = yamlnodes.parse("title: Grow\ntags:\n  - a\n  - b\nperiod: {start: 2026, end: 2028}\n", line_offset=1)
    assert isinstance(root, Mapping) and (root.line, root.col) == (2, 1)
    key, value = root.items["title"]
    assert (key.line, key.col, value.line, value.col, value.value) == (2, 1, 2, 8, "Grow")
    tags = root.items["tags"][1]
    assert isinstance(tags, Sequence)
    assert [(t.line, t.col, t.value) for t in tags.items] == [(4, 5, "a"), (5, 5, "b")]
    period = root.items["period"][1]
    assert (period.items["end"][1].line, period.items["end"][1].col) == (6, 28)


@pytest.mark.parametrize("text, value", [
    ("NO", "NO"), ("no", "no"), ("on", "on"), ("Off", "Off"), ("yes", "yes"), ("y", "y"),
    ("true", True), ("False", False), ("~", None), ("null", None), ("", None),
    ("12", 12), ("-3", -3), ("1.10", 1.1), ("1e3", 1000.0), ("0x1F", "0x1F"), ("0o17", "0o17"),
    ("2026-01-01", "2026-01-01"), ("1_000", "1_000"), (".inf", ".inf"), (".nan", ".nan"),
])
def test_plain_scalars_follow_the_yaml_1_2_core_schema(text, value):
    assert yamlnodes.resolve_plain(text) == value
    assert type(yamlnodes.resolve_plain(text)) is type(value)


def test_scalars_keep_their_source_text():
    node = yamlnodes.parse("version: 1.10\nquoted: '1.10'\n")
    version, quoted = node.items["version"][1], node.items["quoted"][1]
    assert (version.value, version.text, version.quoted) == (1.1, "1.10", False)
    assert (quoted.value, quoted.text, quoted.quoted) == ("1.10", "1.10", True)


@pytest.mark.parametrize("text, line, col, fragment", [
    ("a: !!python/object:os.system x\n", 1, 4, "tags"),
    ("a: !!str x\n", 1, 4, "tags"),
    ("a: &x 1\nb: *x\n", 1, 4, "anchors"),
    ("a: [1, 2]\nb: 1\na: 3\n", 3, 1, "duplicate key 'a' (first set on line 1)"),
    ("a:\n  b: 1\n  b: 2\n", 3, 3, "duplicate key 'b'"),
    ("a: 1\n---\nb: 2\n", 2, 1, "more than one YAML document"),
    ("? [a, b]\n: c\n", 1, 3, "plain name"),
    ("a: b: c\n", 1, 5, "invalid YAML"),
    ("a: \x07\n", 1, 1, "invalid YAML"),
])
def test_refused_yaml_is_located(text, line, col, fragment):
    with pytest.raises(YamlError) as caught:
        yamlnodes.parse(text)
    assert (caught.value.line, caught.value.col) == (line, col)
    assert fragment in caught.value.message


def test_line_offset_moves_error_lines():
    with pytest.raises(YamlError) as caught:
        yamlnodes.parse("a: 1\na: 2\n", line_offset=1)
    assert caught.value.line == 3


def test_to_python():
    node = yamlnodes.parse("a: [1, x, {b: on}]\nc: ~\n")
    assert yamlnodes.to_python(node) == {"a": [1, "x", {"b": "on"}], "c": None}


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_parser_raises_only_located_yaml_errors(text):
    try:
        yamlnodes.parse(text)
    except YamlError as exc:
        assert exc.line >= 1 and exc.col >= 1 and exc.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_reading_any_bytes_never_raises(raw):
    src, findings = sources.parse_bytes("content/pages/x.md", "page", b"---\n" + raw)
    assert (src is None) == bool(findings)
    for finding in findings:
        assert finding.line >= 1 and finding.col >= 1 and finding.code in ("encoding", "yaml", "schema")


# Front matter built from real keys with values of any shape: the schema must report, never crash.
_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.sampled_from(
    ["SO1", "2026-01-01", "2026-13-40", "2026-Q3", "2026", "up", "down", "range", "monthly", "x", "", "1.10",
     "NO", "on", "-1", "nan", "inf", "1e400", "data.csv", "../x.csv"]))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["date", "value", "note", "green", "amber",
                                                                  "start", "end", "id", "title", "owner",
                                                                  "supports", "status", "due"]),
                                                 inner, max_size=4)), max_leaves=8)
_all_keys = sorted(set(schema.COMMON_KEYS).union(*schema.KIND_KEYS.values()) | {"bogus", "x-free"})


def _dump(value) -> str:
    import json
    return json.dumps(value)  # JSON is YAML; null/true/false/numbers round-trip


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(list(schema.KIND_KEYS)), fields=st.dictionaries(st.sampled_from(_all_keys), _values,
                                                                             max_size=6))
def test_schema_never_raises_on_any_front_matter(tmp_path_factory, kind, fields):
    front = "".join(f"{key}: {_dump(value)}\n" for key, value in fields.items())
    src, findings = sources.parse_bytes("content/x/E1.md", kind, f"---\n{front}---\nBody [[SO1]]\n".encode())
    assert src is not None, findings
    root = tmp_path_factory.getbasetemp()
    entities, found = schema.build_entities(src, root, "content")
    assert entities and entities[0].kind in schema.KIND_KEYS
    for finding in found:
        assert 1 <= finding.line <= len(fields) + 3


# --- robustness through the CLI ---------------------------------------------------------------

def test_bom_keeps_lines_right(plan_project):
    plan_project.write("content/objectives/SO1.md",
                       "\ufeff---\ntitle: Grow\nowner: CEO\nperiod: {start: 2026, end: 2028}\nonwer: x\n---\n")
    finding = plan_project.check().only("unknown-key")
    assert (finding["file"], finding["line"], finding["col"]) == ("content/objectives/SO1.md", 5, 1)


def test_crlf_keeps_lines_right(plan_project):
    plan_project.write("content/objectives/SO1.md",
                       b"---\r\ntitle: Grow\r\nowner: CEO\r\nperiod: {start: 2026, end: 2028}\r\nonwer: x\r\n---\r\n"
                       b"\r\nBody\r\n\r\nSee [[NOPE]].\r\n")
    result = plan_project.check()
    assert [(f["line"], f["col"], f["code"]) for f in result.findings] == [(5, 1, "unknown-key"),
                                                                           (10, 5, "broken-ref")]


def test_crlf_and_bom_csv_lines_are_right(plan_project):
    plan_project.edit("content/kpis/K-REV.md", "actuals:\n  - {date: 2026-09-30, value: 17}\n"
                      "  - {date: 2026-10-31, value: 19}\n", "data: rev.csv\n")
    plan_project.write("content/data/rev.csv", "\ufeffdate,value\r\n2026-09-30,17\r\n2026-10-31,x\r\n".encode())
    finding = plan_project.check().only("csv")
    assert (finding["file"], finding["line"]) == ("content/data/rev.csv", 3)


def test_five_megabyte_file_is_fine_and_lines_stay_right(plan_project):
    line = "A long paragraph of words that goes on and on and on and on and on and on and on.\n"
    count = 5 * 1024 * 1024 // len(line)
    plan_project.write("content/pages/big.md", "---\ntitle: Big\n---\n" + line * count + "See [[NOPE]].\n")
    assert plan_project.path("content/pages/big.md").stat().st_size > 5_000_000
    started = time.perf_counter()
    result = plan_project.check()
    assert time.perf_counter() - started < 10
    finding = result.only("broken-ref")
    assert (finding["file"], finding["line"], finding["col"]) == ("content/pages/big.md", 4 + count, 5)


def test_file_over_the_size_limit(plan_project):
    plan_project.write("content/pages/huge.md", b"---\ntitle: Huge\n---\n" + b"x" * (sources.MAX_FILE_BYTES + 1))
    finding = plan_project.check().only("encoding")
    assert (finding["file"], finding["line"]) == ("content/pages/huge.md", 1)
    assert "MB" in finding["message"]


BILLION_LAUGHS = """\
---
title: Laughs
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
"""


def test_billion_laughs_is_refused_quickly(plan_project):
    plan_project.write("content/pages/bomb.md", BILLION_LAUGHS)
    started = time.perf_counter()
    result = plan_project.check()
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    finding = result.only("yaml")
    assert (finding["file"], finding["line"], finding["col"]) == ("content/pages/bomb.md", 3, 4)


@pytest.mark.parametrize("deep", [
    "x-deep: " + "[" * 5000 + "]" * 5000 + "\n",
    "x-deep: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
    "x-deep:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(200)),
])
def test_deeply_nested_yaml_is_refused(plan_project, deep):
    plan_project.write("content/pages/deep.md", "---\ntitle: Deep\n" + deep + "---\n")
    result = plan_project.check()
    assert result.exit_code == 1
    finding = result.only("yaml")
    assert finding["file"] == "content/pages/deep.md" and finding["line"] >= 3
    assert "nested" in finding["message"]


def test_yaml_1_1_booleans_and_floats_stay_strings(plan_project):
    plan_project.edit("content/initiatives/I1.md", "title: Enter new markets", "title: NO")
    plan_project.edit("content/initiatives/I1.md", "owner: COO", "owner: on")
    plan_project.edit("content/initiatives/I1.md", "currency: EUR", "currency: 1.10")
    plan_project.edit("content/objectives/SO1.md", "status: active", "status: yes\ntags: [no, off, 1.20]")
    plan_project.edit("stratdocs.yml", "as_of:", "statuses: {yes: active}\nas_of:")  # a key stays a string too
    assert plan_project.check("--strict").findings == []
    entities = {e["id"]: e for e in plan_project.export()["entities"]}
    assert (entities["I1"]["title"], entities["I1"]["owner"], entities["I1"]["currency"]) == ("NO", "on", "1.10")
    assert entities["SO1"]["status"] == "yes"
    assert entities["SO1"]["tags"] == ["no", "off", "1.20"]


def test_id_written_as_a_number_keeps_its_text(plan_project):
    plan_project.write("content/pages/p.md", "---\nid: 1.10\ntitle: Version page\n---\n")
    plan_project.write("content/pages/q.md", "---\ntitle: Q\n---\n\nSee [[1.10]].\n")
    assert plan_project.check().findings == []
    assert "1.10" in {e["id"] for e in plan_project.export()["entities"]}


def test_no_traceback_for_any_hostile_file(tmp_path):
    """All the nasty files at once, through the real entry point: exit 1, every one located."""
    project = PlanProject(tmp_path / "plan")
    nasty = {
        "content/pages/bom.md": "\ufeff---\ntitle: [\n---\n".encode(),
        "content/pages/crlf.md": b"---\r\ntitle: A\r\ntitle: B\r\n---\r\n",
        "content/pages/empty.md": b"",
        "content/pages/binary.md": bytes(range(256)) * 4,
        "content/pages/latin1.md": "---\ntitle: Café\n---\n".encode("latin-1"),
        "content/pages/bomb.md": BILLION_LAUGHS.encode(),
        "content/pages/deep.md": ("---\ntitle: D\nx: " + "[" * 10000 + "\n---\n").encode(),
        "content/pages/tag.md": b"---\ntitle: !!python/object/apply:os.system ['echo pwned']\n---\n",
        "content/pages/unclosed.md": b"---\ntitle: A\n",
        "content/pages/scalar.md": b"---\njust a string\n---\n",
        "content/pages/nul.md": b"---\ntitle: A\x00B\n---\n",
        "content/pages/control.md": b"---\ntitle: A\x1bB\n---\n",
    }
    for rel, raw in nasty.items():
        project.write(rel, raw)
    proc = run_module("-C", str(project.root), "check", "--format", "json")
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    import json
    located = {f["file"] for f in json.loads(proc.stdout) if f["severity"] == "error"}
    assert located == set(nasty)
    assert not Path("pwned").exists()


DEEP = ["x: " + "[" * 5000 + "]" * 5000 + "\n", "x: " + "{a: " * 1500 + "1" + "}" * 1500 + "\n",
        "x: " + "[" * 100 + "]" * 100 + "\n", "x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(1200)),
        "x: " + "[" * 5000 + "\n"]


@pytest.mark.parametrize("text", DEEP)
def test_the_nesting_limit_and_its_message_are_ours_whatever_the_parser(monkeypatch, text):
    """libyaml has a limit of its own (1000 levels in 0.2.6) and its own words; neither may show."""
    seen = set()
    for loader in {yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)}:
        monkeypatch.setattr(yamlparse, "_Loader", loader)
        with pytest.raises(YamlError) as caught:
            yamlnodes.parse(text, line_offset=1)
        seen.add((caught.value.line, caught.value.message))
    assert len(seen) == 1
    line, message = seen.pop()
    assert message == f"YAML is nested more than {yamlnodes.MAX_DEPTH} levels deep; flatten it"
    assert line >= 2


def test_nesting_up_to_the_limit_is_fine():
    depth = yamlnodes.MAX_DEPTH
    node = yamlnodes.parse("[" * depth + "]" * depth)
    for _ in range(depth - 1):
        node = node.items[0]
    assert node.items == ()


@pytest.mark.parametrize("text, value", [("1" * 100, int("1" * 100)), ("-" + "9" * 100, -int("9" * 100)),
                                         ('"' + "1" * 5000 + '"', "1" * 5000)])
def test_long_numbers_up_to_the_limit_and_quoted_ones_are_fine(text, value):
    assert yamlnodes.parse(f"a: {text}\n").items["a"][1].value == value


def test_a_number_over_the_digit_limit_is_located():
    with pytest.raises(YamlError) as caught:
        yamlnodes.parse("a: 1\nb: [" + "1" * 101 + "]\n")
    assert (caught.value.line, caught.value.col) == (2, 5)
    assert "101 digits" in caught.value.message
