"""The README and docs/ cite only files that exist, and docs/reference.md names every key and code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stratdocs import config
from stratdocs.findings import ERROR_CODES, WARNING_CODES
from stratdocs.schema.keys import COMMON_KEYS, KIND_KEYS, NESTED_KEYS

REPO = Path(__file__).resolve().parents[1]
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "benchmarks" / "README.md"]
#: Backticked text starting with one of these is a path in this repository (not a user's file).
REPO_PREFIXES = ("stratdocs/", "tests/", "docs/", "benchmarks/", ".ci/", "themes/default/")
REPO_FILES = ("README.md", "pyproject.toml", "constraints-min.txt")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_CODE = re.compile(r"`([^`\s]+)`")
#: A repository path written in prose without backticks ("see docs/themes.md").
_BARE = re.compile(r"(?<![\w/`.(\[-])((?:stratdocs|tests|docs|benchmarks|\.ci)/[\w./-]*[\w/])")
#: A path comment at the top of an example (`# content/kpis/K-CHURN.md`): a file of the example plan.
_EXAMPLE_PATH = re.compile(r"(?m)^# (content/\S+)$")


def _without_fences(text: str) -> str:
    return re.sub(r"(?ms)^```.*?^```", "", text)


def cited(doc: Path) -> list[tuple[str, Path]]:
    """(as written, resolved path) of every relative link and backticked repository path in `doc`."""
    text = doc.read_text(encoding="utf-8")
    out = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z]+:|#", target):
            continue
        out.append((target, (doc.parent / target.split("#")[0]).resolve()))
    for token in _CODE.findall(_without_fences(text)):
        path = re.split(r"::|:\d", token)[0].rstrip(".,;:")
        if path.startswith(REPO_PREFIXES) or path in REPO_FILES:
            out.append((token, REPO / path))
    prose = re.sub(r"`[^`]*`", "", _without_fences(text))
    out += [(path, REPO / path) for path in _BARE.findall(re.sub(r"\]\([^)]*\)", "]", prose))]
    out += [(path, REPO / path) for path in _EXAMPLE_PATH.findall(text)]
    return out


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_docs_cite_only_files_in_the_repository(doc):
    missing = [written for written, path in cited(doc) if not path.exists()]
    assert missing == [], f"{doc.relative_to(REPO)} cites files that do not exist"


def test_the_check_finds_what_it_should(tmp_path):
    """Positive control: every kind of citation is found, and a missing file is noticed."""
    doc = tmp_path / "docs" / "sample.md"
    doc.parent.mkdir()
    doc.write_text("See [x](nosuch.md), `tests/nosuch.py::test_x`, docs/nosuch.md and\n"
                   "```yaml\n# content/kpis/NOSUCH.md\n```\n", encoding="utf-8")
    assert [w for w, path in cited(doc) if not path.exists()] == [
        "nosuch.md", "tests/nosuch.py::test_x", "docs/nosuch.md", "content/kpis/NOSUCH.md"]
    written = [w for w, _ in cited(REPO / "docs" / "reference.md")]
    assert "themes.md" in written and "tests/test_docs.py" in written


def _examples(doc: Path) -> list[str]:
    return re.findall(r"(?ms)^```markdown\n(.*?)^```", doc.read_text(encoding="utf-8"))


@pytest.mark.parametrize("doc", [REPO / "README.md", REPO / "docs" / "reference.md"], ids=lambda p: p.name)
def test_markdown_examples_are_files_that_read_as_shown(doc):
    """A newcomer copies an example as it is shown: it must be a whole file, with its '---' lines."""
    from stratdocs import sources

    examples = _examples(doc)
    assert examples
    for text in examples:
        src, findings = sources.parse_bytes("content/pages/example.md", "page", text.encode())
        assert findings == [] and src.meta.items, text


REFERENCE = REPO / "docs" / "reference.md"


def _section(title: str) -> str:
    text = REFERENCE.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}")
    end = text.find("\n## ", start + 1)
    return text[start:end if end != -1 else None]


@pytest.mark.parametrize("code", ERROR_CODES + WARNING_CODES + ("config",))
def test_reference_explains_every_check_code(code):
    assert re.search(rf"^\| `{re.escape(code)}` \|", _section("Check codes"), re.MULTILINE), code


@pytest.mark.parametrize("key", config.KEYS)
def test_reference_lists_every_config_key(key):
    assert f"`{key}`" in _section("Configuration")


def test_reference_lists_every_content_key():
    section = _section("Content format")
    keys = set(COMMON_KEYS).union(*KIND_KEYS.values(), *NESTED_KEYS.values())
    assert [k for k in sorted(keys) if f"`{k}`" not in section] == []


def test_reference_lists_every_new_placeholder():
    section = _section("Templates of `stratdocs new`")
    used = set()
    for template in (REPO / "themes" / "default" / "new").glob("*.md"):
        used |= set(re.findall(r"\{(id|title|today|year3|year)\}", template.read_text(encoding="utf-8")))
    assert used and all(f"`{{{name}}}`" in section for name in used | {"id", "title", "today", "year", "year3"})


def test_readme_links_the_reference():
    assert "(docs/reference.md)" in (REPO / "README.md").read_text(encoding="utf-8")
