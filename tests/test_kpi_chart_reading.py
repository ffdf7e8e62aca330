"""The KPI chart as a board reads it (issue 11): the reporting window, zones along the planned
line for target-based KPIs, labels that never collide (on the example and on adversarial data)
and a chart that stays legible in greyscale (dash patterns and markers, not only colour)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratdocs import project as project_mod
from stratdocs.render.charts import kpi_chart
from stratdocs.render.charts import svg
from stratdocs.render.views.kpi_headline import kpi_format

from conftest import EXAMPLE_ROOT

SVG = "{http://www.w3.org/2000/svg}"
AS_OF = date(2026, 11, 15)


def texts_boxes(root: ET.Element) -> list[tuple[str, tuple[float, float, float, float]]]:
    """Every <text> with its estimated box (the width model the chart lays out with)."""
    out = []
    for e in root.iter(f"{SVG}text"):
        size = float(e.get("font-size"))
        width = svg.text_width(e.text or "", size, bold=e.get("font-weight") == "bold")
        x, y = float(e.get("x")), float(e.get("y"))
        anchor = e.get("text-anchor", "start")
        x0 = x - width / 2 if anchor == "middle" else (x - width if anchor == "end" else x)
        out.append((e.text or "", (x0, y - size * 0.8, x0 + width, y + size * 0.25)))
    return out


def assert_no_label_collides(chart) -> None:
    boxes = texts_boxes(ET.fromstring(str(chart)))
    assert boxes
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            overlap_x = min(ba[2], bb[2]) - max(ba[0], bb[0])
            overlap_y = min(ba[3], bb[3]) - max(ba[1], bb[1])
            assert overlap_x <= 0.5 or overlap_y <= 0.5, f"{a!r} collides with {b!r}: {ba} {bb}"


def example_inputs():
    project = project_mod.load(EXAMPLE_ROOT)
    for entity in project.plan.of_kind("kpi"):
        kpi = entity.kpi
        fmt = kpi_format(kpi, "en")
        thresholds = {"green": kpi.thresholds.green, "amber": kpi.thresholds.amber} if kpi.thresholds else None
        yield entity.id, dict(
            title=entity.title, unit=kpi.unit, actuals=[(p.date, p.value) for p in kpi.actuals],
            baseline=(kpi.baseline.date, kpi.baseline.value) if kpi.baseline else None,
            targets=[(t.date, t.value) for t in kpi.targets], thresholds=thresholds,
            direction=kpi.direction, as_of=project.config.as_of, decimals=fmt.decimals)


EXAMPLE = list(example_inputs())


@pytest.mark.parametrize("width, height", [(640, 280), (960, 320), (260, 300), (700, 230)])
def test_example_charts_have_no_colliding_labels(width, height):
    for kpi_id, inputs in EXAMPLE:
        chart = kpi_chart(width=width, height=height, **inputs)
        try:
            assert_no_label_collides(chart)
        except AssertionError as exc:
            raise AssertionError(f"{kpi_id} at {width}×{height}: {exc}") from None


def test_example_charts_show_the_reporting_window():
    """K-ARR: baseline 2025-12-31, targets 2026, 2027, 2028, as of 2026-11-15: the axis ends with 2026."""
    inputs = dict(EXAMPLE)["K-ARR"]
    root = ET.fromstring(str(kpi_chart(**inputs)))
    ticks = [e.text for e in root.iter(f"{SVG}text") if "sd-x-tick" in (e.get("class") or "")]
    assert ticks and all(t.endswith("2026") or t == "2026" for t in ticks), ticks
    words = [t for t, _ in texts_boxes(root)]
    assert "Next: EUR 82.0m by 31 Dec 2027; EUR 105.0m by 31 Dec 2028" in words


@settings(max_examples=40, deadline=None)
@given(values=st.lists(st.floats(-1e7, 1e7, allow_nan=False), min_size=1, max_size=30),
       targets=st.lists(st.tuples(st.integers(0, 2000), st.floats(-1e7, 1e7, allow_nan=False)), max_size=6),
       unit=st.sampled_from(["", "%", "EUR m", "count", "percentage points of qualified pipeline"]),
       width=st.sampled_from([260, 640, 700]))
def test_adversarial_charts_have_no_colliding_labels(values, targets, unit, width):
    start = date(2025, 1, 31)
    actuals = [(start + timedelta(days=30 * i), v) for i, v in enumerate(values)]
    tgts = [(start + timedelta(days=d), v) for d, v in targets]
    chart = kpi_chart(title="A KPI", unit=unit, actuals=actuals, baseline=(start, values[0]), targets=tgts,
                      thresholds=None, direction="up", as_of=AS_OF, width=width, decimals=1)
    assert_no_label_collides(chart)


def test_adversarial_crowded_targets_and_thresholds_do_not_collide():
    start = date(2026, 1, 31)
    actuals = [(start + timedelta(days=30 * i), 50 + (i % 2) * 0.1) for i in range(10)]
    targets = [(start + timedelta(days=3 * i), 50.05 + i * 0.01) for i in range(12)]
    for thresholds, direction in ((None, "up"), ({"green": 50.05, "amber": 50}, "up"),
                                  ({"green": [50, 50.1], "amber": [49.9, 50.2]}, "range")):
        assert_no_label_collides(kpi_chart(
            title="Crowded", unit="EUR m", actuals=actuals, baseline=(start, 50.0), targets=targets,
            thresholds=thresholds, direction=direction, as_of=AS_OF, decimals=2))


def test_actual_and_plan_differ_by_line_style_and_marker_not_only_colour():
    inputs = dict(EXAMPLE)["K-ARR"]
    root = ET.fromstring(str(kpi_chart(**inputs)))
    paths = {cls: e for e in root.iter(f"{SVG}path") for cls in (e.get("class") or "").split()
             if cls in ("sd-actual", "sd-plan")}
    actual, plan = paths["sd-actual"], paths["sd-plan"]
    assert actual.get("stroke-dasharray") is None and plan.get("stroke-dasharray")  # solid vs dashed
    assert float(actual.get("stroke-width")) > float(plan.get("stroke-width"))
    dots = [e for e in root.iter(f"{SVG}circle") if "sd-actual-point" in (e.get("class") or "")]
    diamonds = [e for e in root.iter(f"{SVG}path") if "sd-target" in (e.get("class") or "")]
    assert len(dots) >= 10 and diamonds  # round markers on actuals, diamonds on targets


def test_target_based_kpi_gets_zones_along_the_planned_line():
    inputs = dict(EXAMPLE)["K-ARR"]  # no thresholds: health from the planned line
    root = ET.fromstring(str(kpi_chart(**inputs)))
    zones = {z: [e for e in root.iter(f"{SVG}path") if f"sd-zone-{z}" in (e.get("class") or "").split()]
             for z in ("green", "amber", "red")}
    assert all(zones.values()), zones
    words = [t for t, _ in texts_boxes(root)]
    assert {"Green: on plan", "Amber: slightly behind", "Red: behind plan"} <= set(words)
    plan = [e for e in root.iter(f"{SVG}path") if "sd-plan" in (e.get("class") or "").split()][0]
    assert plan.get("d").count("L") == 1  # baseline -> the next target only


def test_charts_are_byte_identical_across_calls():
    for _, inputs in EXAMPLE:
        assert str(kpi_chart(**inputs)) == str(kpi_chart(**inputs))
