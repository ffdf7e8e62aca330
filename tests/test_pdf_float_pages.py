"""A KPI after a trace that crossed a page keeps the page style of the KPI section.

WeasyPrint 70 turns a float cut at a page's foot into an out-of-flow box continued on the next
page; a block that must then start on that page (a KPI: `break-inside: avoid`) is laid out with
the page name of the document's first box, so the page took the cover's style: no margins, no
running header. The KPI section's trace and alignment notes used to sit side by side with a
float; they are a flex row now (`pdf.css`, `pdf/entity.html`). This test prints a KPI whose
trace lands at each height of a page's foot, and checks with the float that it does find the
fault, so that it keeps testing something.
"""

from __future__ import annotations

from pathlib import Path

import pytest

weasyprint = pytest.importorskip("weasyprint")

from stratdocs.render.pdffetch import Fetcher  # noqa: E402

THEME = Path(__file__).resolve().parents[1] / "themes" / "default"
FLOAT = "<style>.section-kpis .kind-kpi .trace:not(:last-child) { float: left; width: 58%; }</style>"


def _html(filler: int, row: str, extra: str = "") -> str:
    paragraphs = "".join(f"<p>Paragraph {i} of the first KPI's text, long enough to wrap once in the "
                         "body type of a printed board pack page.</p>" for i in range(filler))
    long = "".join(f"<p>Paragraph {i} of the second KPI: {'words ' * 60}</p>" for i in range(30))
    return f"""<html lang="en"><head><link rel="stylesheet" href="{(THEME / 'static' / 'pdf.css').as_uri()}">{extra}
<style>@page {{ size: A4; @top-left {{ content: "Board pack" }} }} @page cover {{ size: A4 }}</style></head>
<body><section class="cover"><h1>Cover</h1></section>
<section class="section section-entities section-kpis"><h2 class="section-title">KPIs</h2>
<article class="entity kind-kpi"><h3>First KPI</h3>{paragraphs}{row}</article>
<article class="entity kind-kpi"><h3>Second KPI</h3>{long}</article></section></body></html>"""


def _trace_and_notes() -> tuple[str, str]:
    trace = ('<div class="trace"><h3>Traces to</h3><p class="chain">'
             + " → ".join(f'<a href="#x{i}">Objective {i} with a long title</a>' for i in range(6))
             + '</p><p class="muted small">and 3 more routes to the strategy.</p></div>')
    notes = '<div class="notes"><h3>Alignment notes</h3><ul class="findings"><li>is amber</li></ul></div>'
    return trace, notes


def _cover_styled(html: str) -> list[int]:
    """The pages after the first that were laid out with no left margin (the cover's style)."""
    document = weasyprint.HTML(string=html, url_fetcher=Fetcher([THEME])).render()
    return [i + 1 for i, page in enumerate(document.pages) if i and page._page_box.margin_left == 0]


def test_the_template_puts_trace_and_notes_in_one_row():
    template = (THEME / "templates" / "pdf" / "entity.html").read_text(encoding="utf-8")
    assert 'class="trace-notes"' in template


def test_a_kpi_after_a_trace_cut_at_the_foot_keeps_its_margins():
    trace, notes = _trace_and_notes()
    faulty = [n for n in range(28, 40) if _cover_styled(_html(n, trace + notes, FLOAT))]
    assert faulty, "no filler length puts the floated trace at a page's foot any more: widen the range"
    for n in faulty:
        assert _cover_styled(_html(n, f'<div class="trace-notes">{trace}{notes}</div>')) == [], n
