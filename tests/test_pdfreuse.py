"""Issue #15 (speed): a PDF document whose inputs did not change is carried over, not rendered.

Through the real build (`pipeline.build`, PDFs in worker processes), counting which documents
WeasyPrint is given: a second build renders none and publishes the same bytes; editing what one
document prints renders that one; a changed served file (an asset, the theme's stylesheet)
renders every document; a PDF changed in the previous output is rendered again, never carried.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stratdocs import pipeline
from stratdocs.render import pdf

from test_pdf import small_plan

DOCUMENTS = """\
    documents:
      - id: pack
        sections: [cover, plan, objectives]
      - id: ops
        sections: [cover, operations]
    theme: corp
    """


@pytest.fixture
def plan(tmp_path: Path):
    plan = small_plan(tmp_path / "p", DOCUMENTS)
    plan.write("themes/corp/static/pdf.css", 'h1 { color: navy; }\n'
               'body { background: url("http://example.com/track.png"); }\n')
    return plan


@pytest.fixture
def rendered(monkeypatch) -> list[set[str]]:
    """The ids of the documents each build rendered."""
    calls: list[set[str]] = []
    original = pdf._render

    def counting(jobs, *args, **kwargs):
        calls.append(set(jobs))
        return original(jobs, *args, **kwargs)
    monkeypatch.setattr(pdf, "_render", counting)
    return calls


def _build(plan) -> tuple[dict[str, bytes], list]:
    result = pipeline.build(plan.root)
    pdfs = {path.stem: path.read_bytes() for path in sorted((result.output / "pdf").glob("*.pdf"))}
    return pdfs, sorted((f.code, f.file, f.line) for f in result.warnings if f.code == "blocked-fetch")


def test_an_unchanged_document_is_carried_and_a_changed_one_rendered(plan, rendered):
    first, blocked = _build(plan)
    assert set(first) == {"pack", "ops"} and rendered == [{"pack", "ops"}]
    assert blocked == [("blocked-fetch", "themes/corp/static/pdf.css", 2)] * 2  # one per document

    again, blocked_again = _build(plan)
    assert rendered[-1] == set() and again == first
    assert blocked_again == blocked  # a carried document still reports what its fetcher refused

    plan.edit("content/plan.md", "Our headline objective is [[SO1]].", "Our first objective is [[SO1]].")
    edited, _ = _build(plan)
    assert rendered[-1] == {"pack"} and edited["ops"] == first["ops"] and edited["pack"] != first["pack"]


def test_a_changed_served_file_renders_every_document(plan, rendered):
    _build(plan)
    plan.write("themes/corp/static/pdf.css", plan.read("themes/corp/static/pdf.css") + "h2 { color: teal; }\n")
    _build(plan)
    assert rendered[-1] == {"pack", "ops"}
    plan.write("content/assets/note.txt", "a new asset the documents could show\n")
    _build(plan)
    assert rendered[-1] == {"pack", "ops"}


def test_a_pdf_changed_in_the_previous_output_is_rendered_again(plan, rendered):
    first, _ = _build(plan)
    target = plan.root / "site" / "pdf" / "ops.pdf"
    target.write_bytes(target.read_bytes().replace(b"%%EOF", b"%%EOF tampered"))
    again, _ = _build(plan)
    assert rendered[-1] == {"ops"} and again == first


def test_the_build_says_which_documents_it_carried_over(plan, rendered):
    """`stratdocs build` names the documents it did not render again, and only those."""
    first = plan.run("build")
    assert first.exit_code == 0 and "Carried over" not in first.stderr
    plan.edit("content/plan.md", "Our headline objective is [[SO1]].", "Our first objective is [[SO1]].")
    second = plan.run("build")
    assert second.exit_code == 0 and rendered[-1] == {"pack"}
    assert "Carried over 1 PDF document whose inputs did not change since the last build: ops" in second.stderr
    third = plan.run("build", "-q")
    assert third.exit_code == 0 and "Carried over" not in third.stderr  # -q prints only problems
