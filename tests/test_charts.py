"""Tests for the inline SVG charts (stratdocs.render.charts)."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime

import pytest
from markupsafe import Markup

from stratdocs.health import HEALTH_WORDS
from stratdocs.numbers import format_compact
from stratdocs.render.charts import HEALTH_COLOURS, axes, kpi_chart, sparkline, strategy_map, svg
from stratdocs.render.charts.kpi_parts import PLAN_ZONE_WORDS

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
EVIL = "<script>alert(1)</script>"
AS_OF = date(2025, 10, 31)


# --------------------------------------------------------------------------- helpers


def parse(svg: Markup) -> ET.Element:
    assert isinstance(svg, Markup)
    root = ET.fromstring(str(svg))
    assert root.tag == f"{SVG}svg"
    # The strategy map holds links: a group (an image's children are hidden from screen readers).
    assert root.get("role") == ("group" if "sd-strategy-map" in root.get("class") else "img")
    assert root.get("aria-label")
    assert root[0].tag == f"{SVG}title" and root[0].text == root.get("aria-label")
    assert re.fullmatch(r"0 0 [\d.]+ [\d.]+", root.get("viewBox"))
    return root


def view_box(root: ET.Element) -> tuple[float, float]:
    _, _, w, h = (float(v) for v in root.get("viewBox").split())
    return w, h


def by_class(root: ET.Element, cls: str, legend: bool = False) -> list[ET.Element]:
    """Elements with class ``cls``; those of the legend only when asked for."""
    keys = {id(e) for g in root.iter() if "sd-legend" in (g.get("class") or "") for e in g.iter()}
    return [e for e in root.iter() if cls in (e.get("class") or "").split()
            and (legend or id(e) not in keys)]


def texts(root: ET.Element) -> list[str]:
    return [e.text or "" for e in root.iter(f"{SVG}text")]


def label_box(e: ET.Element) -> tuple[float, float, float, float]:
    """Estimated extent of a <text>, with the same width model the module lays out with."""
    size = float(e.get("font-size"))
    width = svg.text_width(e.text or "", size, bold=e.get("font-weight") == "bold")
    x, y = float(e.get("x")), float(e.get("y"))
    anchor = e.get("text-anchor", "start")
    x0 = x - width / 2 if anchor == "middle" else (x - width if anchor == "end" else x)
    return x0, y - size * 0.8, x0 + width, y + size * 0.25


def assert_inside(root: ET.Element) -> None:
    """Every coordinate (shapes, path points, estimated text extents) lies within the viewBox."""
    w, h = view_box(root)
    eps = 0.05

    def ok_x(v):
        assert -eps <= float(v) <= w + eps, (v, w)

    def ok_y(v):
        assert -eps <= float(v) <= h + eps, (v, h)

    for e in root.iter():
        tag = e.tag.removeprefix(SVG)
        for key in ("x", "cx", "x1", "x2"):
            if e.get(key) is not None:
                ok_x(e.get(key))
        for key in ("y", "cy", "y1", "y2"):
            if e.get(key) is not None:
                ok_y(e.get(key))
        if tag == "rect":
            ok_x(float(e.get("x")) + float(e.get("width")))
            ok_y(float(e.get("y")) + float(e.get("height")))
            assert float(e.get("width")) >= 0 and float(e.get("height")) >= 0
        if tag == "path":
            for px, py in re.findall(r"(-?[\d.]+),(-?[\d.]+)", e.get("d")):
                ok_x(px)
                ok_y(py)
        if tag == "text":
            x0, y0, x1, y1 = label_box(e)
            assert x0 >= -1 and x1 <= w + 1, (e.text, x0, x1, w)
            assert y0 >= -1 and y1 <= h + 1, (e.text, y0, y1, h)


def no_script(svg: Markup) -> None:
    root = ET.fromstring(str(svg))
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "<script" not in str(svg)
    assert "&lt;script&gt;" in str(svg)


def monthly(values, year=2025, day=28):
    return [(date(year + (i // 12), i % 12 + 1, day), float(v)) for i, v in enumerate(values)]


def basic_chart(**over):
    args = dict(title="Net promoter score", unit="%", actuals=monthly([31, 32.5, 33, 35, 34.2, 36]),
                baseline=(date(2024, 12, 31), 30.0),
                targets=[(date(2025, 12, 31), 42.0), (date(2026, 12, 31), 50.0)],
                thresholds={"green": 40, "amber": 35}, direction="up", as_of=AS_OF)
    args.update(over)
    return kpi_chart(**args)


# --------------------------------------------------------------------------- shared helpers


def test_text_is_cleaned_of_xml_invalid_characters():
    assert svg.clean("a\x00b\x1f c\n\n d\ud800") == "ab c d"
    assert svg.clean(None) == ""


@pytest.mark.parametrize("href, expected", [
    ("objectives/SO1.html", "objectives/SO1.html"), ("#top", "#top"),
    ("https://example.org/x", "https://example.org/x"), ("mailto:a@b.c", "mailto:a@b.c"),
    ("javascript:alert(1)", None), ("JaVa\nScRiPt:alert(1)", None), (" data:text/html,x", None),
    ("vbscript:x", None), ("", None), (None, None),
])
def test_safe_href(href, expected):
    assert svg.safe_href(href) == expected


@pytest.mark.parametrize("value, text", [
    (0, "0"), (42, "42"), (3.25, "3.25"), (-0.0001, "-0.0001"), (12500, "12,500"),
    (1_234_567, "1.23M"), (2.5e9, "2.5B"), (7e12, "7T"), (0.000000123, "1.23e-07"),
])
def test_value_format(value, text):
    assert format_compact(value) == text


def test_value_format_with_unit():
    assert format_compact(42, "%") == "42%"
    assert format_compact(1500, "EUR") == "EUR 1,500"  # a currency reads as the language writes money
    assert format_compact(1500, "days") == "1,500 days"


def test_wrap_limits_lines_and_ends_with_ellipsis():
    lines = svg.wrap("one two three four five six seven eight nine ten eleven", 60, 12, 3)
    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(svg.text_width(line, 12) <= 60 for line in lines)
    long_word = svg.wrap("Supercalifragilisticexpialidocious", 60, 12, 3)
    assert all(svg.text_width(line, 12) <= 60 for line in long_word)
    assert svg.wrap("", 60, 12, 3) == []
    assert svg.wrap("short", 60, 12, 3) == ["short"]


@pytest.mark.parametrize("lo, hi", [(0, 100), (30, 50), (-7.3, 12.9), (0.001, 0.0042), (1e9, 7.7e9),
                                    (-5e12, -1e12), (1e-9, 3e-9), (99.5, 100.2), (0, 0), (5, 5)])
def test_y_ticks_are_round_and_cover_the_data(lo, hi):
    ticks, step = axes.y_ticks(lo, hi)
    assert 2 <= len(ticks) <= 8
    assert ticks[0] <= lo and ticks[-1] >= hi
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 5))
    for t in ticks:
        assert math.isclose(t / step, round(t / step), abs_tol=1e-6)
    labels = axes.tick_labels(ticks, step)
    assert len(set(labels)) == len(labels), labels
    assert not any(lab.startswith("-0") and float(lab.rstrip("MBT").replace(",", "")) == 0
                   for lab in labels)


# --------------------------------------------------------------------------- sparkline


def test_sparkline_no_points_says_no_data():
    root = parse(sparkline([]))
    assert "no data" in texts(root)
    assert not list(root.iter(f"{SVG}path")) and not list(root.iter(f"{SVG}circle"))
    assert_inside(root)


def test_sparkline_single_point_is_a_dot():
    root = parse(sparkline([(date(2025, 1, 31), 5.0)], health="amber"))
    dots = list(root.iter(f"{SVG}circle"))
    assert len(dots) == 1 and not list(root.iter(f"{SVG}path"))
    assert dots[0].get("fill") == HEALTH_COLOURS["amber"]
    assert "Amber" in root.get("aria-label")
    assert_inside(root)


@pytest.mark.parametrize("health", ["green", "amber", "red", "no-data"])
def test_sparkline_health_has_colour_class_and_word(health):
    root = parse(sparkline(monthly([1, 3, 2, 5]), health=health))
    dot = list(root.iter(f"{SVG}circle"))[-1]
    assert dot.get("fill") == HEALTH_COLOURS[health]
    assert f"sd-health-{health}" in dot.get("class")
    assert f"health: {HEALTH_WORDS[health]}" in root.get("aria-label")


def test_sparkline_unknown_health_falls_back_to_no_data():
    root = parse(sparkline(monthly([1, 2]), health="purple"))
    assert "No data" in root.get("aria-label")


def test_sparkline_dot_is_on_the_latest_point_even_when_input_is_unsorted():
    pts = [(date(2025, 3, 1), 10.0), (date(2025, 1, 1), 0.0), (date(2025, 2, 1), 5.0)]
    root = parse(sparkline(pts, health="green", width=100, height=20))
    dot = list(root.iter(f"{SVG}circle"))[-1]
    d = list(root.iter(f"{SVG}path"))[0].get("d")
    last_x, last_y = re.findall(r"([\d.]+),([\d.]+)", d)[-1]
    assert (dot.get("cx"), dot.get("cy")) == (last_x, last_y)
    assert float(last_x) > 90 and float(last_y) < 5  # right end, top (highest value)
    assert "latest 10" in root.get("aria-label")


def test_sparkline_flat_and_same_date_and_non_finite_points():
    flat = parse(sparkline(monthly([7, 7, 7])))
    ys = {y for _, y in re.findall(r"([\d.]+),([\d.]+)", list(flat.iter(f"{SVG}path"))[0].get("d"))}
    assert ys == {"14.0"}
    same_day = parse(sparkline([(date(2025, 1, 1), 1.0), (date(2025, 1, 1), 2.0)]))
    assert_inside(same_day)
    nan = parse(sparkline([(date(2025, 1, 1), math.nan), (date(2025, 2, 1), math.inf)]))
    assert "no data" in texts(nan)


def test_sparkline_size_and_determinism():
    pts = monthly([3, 1, 4, 1, 5, 9, 2, 6])
    a = sparkline(pts, health="red", width=150, height=30)
    assert a == sparkline(list(pts), health="red", width=150, height=30)
    root = parse(a)
    assert root.get("viewBox") == "0 0 150.0 30.0"
    assert (root.get("width"), root.get("height")) == ("150.0", "30.0")
    assert_inside(root)


# --------------------------------------------------------------------------- kpi chart


def test_kpi_chart_basic_structure():
    svg = basic_chart()
    root = parse(svg)
    assert root.get("width") == "100%" and root.get("height") is None
    assert "sd-kpi-chart" in root.get("class")
    assert_inside(root)
    assert len(by_class(root, "sd-actual")) >= 1
    assert len(by_class(root, "sd-actual-point")) >= 6
    plan = [e for e in by_class(root, "sd-plan") if e.tag == f"{SVG}path"]
    assert len(plan) == 1 and plan[0].get("stroke-dasharray")
    # The window ends at the next target after as_of: baseline + that milestone; the later one as text.
    assert len(re.findall(r"[\d.]+,[\d.]+", plan[0].get("d"))) == 2
    assert "Next: 50% by 31 Dec 2026" in texts(root)
    assert len([e for e in by_class(root, "sd-target") if e.tag == f"{SVG}path"]) == 1  # the target in the window
    words = texts(root)
    assert "Actual" in words and "Plan" in words and "Target" in words
    assert "42%" in words and "Next: 50% by 31 Dec 2026" in words  # targets labelled; the later one noted
    assert "36%" in words  # latest actual labelled
    assert any(t.startswith("As of") for t in words)
    label = root.get("aria-label")
    assert "Net promoter score" in label and "latest actual 36%" in label
    assert "target 50% by 2026-12-31" in label


def test_kpi_chart_y_ticks_and_x_labels():
    root = parse(basic_chart())
    y_labels = [e.text for e in by_class(root, "sd-y-tick")]
    assert y_labels == ["30", "35", "40", "45"]  # up to the next target (42), not the later 50
    x_labels = by_class(root, "sd-x-tick")
    assert len(x_labels) >= 3
    assert all(re.fullmatch(r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}|\d{4}", e.text)
               for e in x_labels)
    assert_labels_do_not_overlap(x_labels)


def assert_labels_do_not_overlap(elements):
    boxes = sorted(label_box(e) for e in elements)
    for a, b in zip(boxes, boxes[1:]):
        assert a[2] <= b[0], (a, b)


def test_kpi_chart_labels_inside_plot_do_not_overlap():
    root = parse(basic_chart(actuals=monthly([31, 42, 33, 50, 34.2, 49, 30, 41, 45, 47])))
    inner = by_class(root, "sd-target-label") + by_class(root, "sd-actual-label")
    inner += [e for e in root.iter(f"{SVG}text") if (e.text or "").startswith(("As of", "Baseline"))]
    boxes = [label_box(e) for e in inner]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)


def test_kpi_chart_escapes_user_text():
    svg = basic_chart(title=EVIL, unit="<b>&")
    no_script(svg)
    root = parse(svg)
    assert EVIL in root.get("aria-label")
    assert root[0].text.startswith(EVIL)
    assert "<b>&" in texts(root)  # the unit, as text
    assert not list(root.iter("b")) and not list(root.iter(f"{SVG}b"))


def test_kpi_chart_is_deterministic():
    assert basic_chart() == basic_chart()
    shuffled = list(reversed(monthly([31, 32.5, 33, 35, 34.2, 36])))
    assert str(basic_chart()) == str(basic_chart(actuals=shuffled))


def test_kpi_chart_coordinates_use_fixed_precision():
    svg = str(basic_chart())
    for number in re.findall(r' (?:x|y|cx|cy|x1|x2|y1|y2|width|height|r)="(-?[\d.]+)"', svg):
        assert re.fullmatch(r"-?\d+(\.\d)?", number), number
    assert "-0.0" not in svg


def test_kpi_chart_no_actuals():
    root = parse(basic_chart(actuals=[]))
    assert "No actuals yet" in texts(root)
    assert not by_class(root, "sd-actual-point")
    assert "no actuals yet" in root.get("aria-label")
    assert_inside(root)


def test_kpi_chart_nothing_at_all():
    root = parse(kpi_chart(title="Empty", unit="", actuals=[], baseline=None, targets=[],
                           thresholds=None, direction="up", as_of=AS_OF))
    assert "No actuals yet" in texts(root)
    assert_inside(root)


def test_kpi_chart_single_actual():
    root = parse(kpi_chart(title="One", unit="EUR", actuals=[(date(2025, 3, 1), 1.2e6)], baseline=None,
                           targets=[(date(2030, 12, 31), 8e5)], thresholds=None, direction="down",
                           as_of=date(2025, 6, 30)))
    points = by_class(root, "sd-actual-point")
    assert len([p for p in points if p.tag == f"{SVG}circle"]) == 1
    assert not [e for e in by_class(root, "sd-actual") if e.tag == f"{SVG}path"]
    assert "Plan" not in texts(root)  # one target and no baseline: no planned line
    assert "EUR 1.2M" in texts(root)
    assert_inside(root)


def test_kpi_chart_all_equal_values():
    root = parse(basic_chart(actuals=monthly([5, 5, 5]), baseline=(date(2024, 12, 1), 5.0),
                             targets=[(date(2025, 12, 31), 5.0)], thresholds=None))
    ticks = [float(e.text) for e in by_class(root, "sd-y-tick")]
    assert ticks[0] < 5 < ticks[-1]
    assert_inside(root)


def test_kpi_chart_all_zero_values():
    root = parse(basic_chart(actuals=monthly([0, 0]), baseline=None, targets=[], thresholds=None))
    assert float(by_class(root, "sd-y-tick")[0].text) == 0
    assert_inside(root)


def test_kpi_chart_negative_values():
    root = parse(basic_chart(unit="°C", actuals=monthly([-3, -12.5, 4, -1]),
                             baseline=(date(2024, 12, 1), -8.0),
                             targets=[(date(2025, 12, 31), -20.0)], thresholds=None, direction="down"))
    ticks = [float(e.text) for e in by_class(root, "sd-y-tick")]
    assert ticks[0] <= -20 and ticks[-1] >= 4
    assert "-1 °C" in texts(root)
    assert_inside(root)


@pytest.mark.parametrize("scale, suffix", [(1e12, "T"), (1e9, "B"), (1e6, "M")])
def test_kpi_chart_huge_magnitudes(scale, suffix):
    root = parse(basic_chart(unit="", actuals=monthly([1 * scale, 2.5 * scale, 3 * scale]),
                             baseline=None, targets=[(date(2026, 6, 30), 4 * scale)], thresholds=None))
    labels = [e.text for e in by_class(root, "sd-y-tick")]
    assert all(label.endswith(suffix) or label == "0" for label in labels), labels
    assert_inside(root)


def test_kpi_chart_small_magnitudes():
    root = parse(basic_chart(unit="", actuals=monthly([1e-9, 2.5e-9, 2e-9]), baseline=None,
                             targets=[(date(2026, 6, 30), 4e-9)], thresholds=None))
    labels = [e.text for e in by_class(root, "sd-y-tick")]
    assert len(set(labels)) == len(labels) >= 2
    assert_inside(root)


def test_kpi_chart_targets_far_in_the_future():
    # Issue 11: the axis ends at the next target after as_of; a milestone decades away is text.
    root = parse(basic_chart(targets=[(date(2026, 12, 31), 45.0), (date(2045, 12, 31), 90.0)]))
    x_labels = by_class(root, "sd-x-tick")
    assert_labels_do_not_overlap(x_labels)
    assert x_labels[-1].text in ("Oct 2026", "Nov 2026", "Dec 2026", "2026")
    assert "Next: 90% by 31 Dec 2045" in texts(root)
    assert "90%" not in texts(root)
    assert "target 90% by 2045-12-31" in root.get("aria-label")
    assert_inside(root)


def test_kpi_chart_short_span_and_many_points():
    short = parse(basic_chart(actuals=[(date(2025, 10, 1), 1.0), (date(2025, 10, 15), 2.0)],
                              baseline=None, targets=[], thresholds=None))
    assert len(by_class(short, "sd-x-tick")) >= 2
    assert_labels_do_not_overlap(by_class(short, "sd-x-tick"))
    assert_inside(short)
    monday = date(2020, 1, 6).toordinal()
    weekly = [(date.fromordinal(monday + 7 * i), float(i % 13)) for i in range(300)]
    root = parse(basic_chart(actuals=weekly, thresholds=None))
    assert_labels_do_not_overlap(by_class(root, "sd-x-tick"))
    assert_inside(root)


def test_kpi_chart_up_thresholds_are_bands_with_words():
    root = parse(basic_chart())
    for zone in ("green", "amber", "red"):
        assert by_class(root, f"sd-band-{zone}")
    words = texts(root)
    assert "Green ≥ 40%" in words and "Amber ≥ 35%" in words and "Red < 35%" in words
    assert "Green ≥ 40%" in root.get("aria-label")


def test_kpi_chart_down_thresholds():
    root = parse(basic_chart(direction="down", thresholds={"green": 20, "amber": 30},
                             actuals=monthly([40, 35, 28, 22]), baseline=(date(2024, 12, 1), 45.0),
                             targets=[(date(2025, 12, 31), 18.0)]))
    assert {"Green ≤ 20%", "Amber ≤ 30%", "Red > 30%"} <= set(texts(root))
    green, red = by_class(root, "sd-band-green"), by_class(root, "sd-band-red")
    assert float(green[0].get("y")) > float(red[0].get("y"))  # better is lower: green at the bottom
    assert_inside(root)


def test_kpi_chart_range_thresholds_are_shaded_bands():
    root = parse(basic_chart(unit="°C", direction="range",
                             thresholds={"green": [18, 22], "amber": [16, 24]},
                             actuals=monthly([17, 19, 21, 23, 25]), baseline=None, targets=[]))
    bands = {z: by_class(root, f"sd-band-{z}") for z in ("green", "amber", "red")}
    assert len(bands["green"]) == 1 and len(bands["amber"]) == 2 and len(bands["red"]) >= 1
    assert "Green 18 °C–22 °C" in texts(root) and "Amber 16 °C–24 °C" in texts(root)
    assert_inside(root)


@pytest.mark.parametrize("thresholds, direction", [
    ({"green": "high"}, "up"), ({"green": [1, 2]}, "up"), ({"green": 3}, "range"),
    ({"amber": 3}, "up"), ("nonsense", "up"), ({"green": 5, "amber": 3}, "sideways"),
    ({"green": True}, "down"), ({"green": math.nan}, "up"),
])
def test_kpi_chart_ignores_unusable_thresholds(thresholds, direction):
    root = parse(basic_chart(thresholds=thresholds, direction=direction))
    assert not [e for e in root.iter() if "sd-band-" in (e.get("class") or "")]
    # No threshold words; a target-based KPI still names its zones around the planned line.
    assert not any(t.startswith(("Green", "Amber", "Red")) and t not in PLAN_ZONE_WORDS.values()
                   for t in texts(root))
    assert_inside(root)


def test_kpi_chart_threshold_with_bad_amber_uses_green_only():
    root = parse(basic_chart(thresholds={"green": 40, "amber": "x"}))
    assert by_class(root, "sd-band-green") and by_class(root, "sd-band-red")
    assert not by_class(root, "sd-band-amber")


def test_kpi_chart_accepts_datetimes_and_skips_non_finite():
    root = parse(basic_chart(actuals=[(datetime(2025, 1, 31, 12), 31.0), (date(2025, 2, 28), math.nan),
                                      (date(2025, 3, 31), 33.0)], as_of=datetime(2025, 10, 31, 9)))
    assert len([e for e in by_class(root, "sd-actual-point") if e.tag == f"{SVG}circle"]) == 2
    assert_inside(root)


def test_kpi_chart_as_of_marker_is_on_the_as_of_date():
    root = parse(basic_chart())
    marker = [e for e in root.iter(f"{SVG}line") if e.get("stroke-dasharray") == "2 3"]
    assert len(marker) == 1 and marker[0].get("x1") == marker[0].get("x2")
    label = [e for e in root.iter(f"{SVG}text") if (e.text or "").startswith("As of")]
    assert label and label[0].text == "As of 31 Oct 2025"
    assert "as of 2025-10-31" in root.get("aria-label")


@pytest.mark.parametrize("width, height", [(640, 280), (320, 180), (240, 140), (1200, 400)])
def test_kpi_chart_sizes(width, height):
    root = parse(basic_chart(width=width, height=height, unit="customers per month"))
    w, h = view_box(root)
    assert w == width and h >= height
    assert_inside(root)


# --------------------------------------------------------------------------- strategy map


def objective(oid, title="Objective", health="green", href=None):
    return {"id": oid, "title": title, "health": health, "href": href or f"objectives/{oid}.html"}


def example_map(**over):
    args = dict(
        perspectives=[
            ("Financial", [objective("F1", "Grow recurring revenue"),
                           objective("F2", "Improve margin", "amber")]),
            ("Customer", [objective("C1", "Be the most recommended supplier", "red"),
                          objective("C2", "Win mid-market", "no-data")]),
            ("Internal processes", [objective("P1", "Shorten lead time", "amber")]),
            ("Learning & growth", [objective("L1", "Build analytics skills")]),
        ],
        links=[("C1", "F1"), ("C2", "F1"), ("P1", "C1"), ("L1", "P1"), ("F2", "F1"), ("nope", "F1"),
               ("L1", "ghost"), ("F1", "F1"), ("C1", "F1")],
    )
    args.update(over)
    return strategy_map(**args)


def cards(root):
    return [e for e in root.iter() if "sd-objective" in (e.get("class") or "")]


def card_rect(card):
    rect = next(card.iter(f"{SVG}rect"))
    x, y = float(rect.get("x")), float(rect.get("y"))
    return x, y, x + float(rect.get("width")), y + float(rect.get("height"))


def test_strategy_map_structure_and_links():
    root = parse(example_map())
    assert "sd-strategy-map" in root.get("class") and root.get("width") == "100%"
    assert_inside(root)
    found = cards(root)
    assert len(found) == 6
    for card in found:
        assert card.tag == f"{SVG}a"
        assert card.get("href") == card.get(f"{XLINK}href")
        assert card.get("href").startswith("objectives/")
    words = " ".join(texts(root))
    for band in ("Financial", "Customer", "Internal processes", "Learning & growth"):
        assert band in words
    arrows = [e for e in by_class(root, "sd-arrow") if e.tag == f"{SVG}path"]
    assert len(arrows) == 5  # valid, deduplicated links only
    assert len(by_class(root, "sd-arrow", legend=True)) == 6  # and the legend's key
    assert "C1 contributes to F1" in root.get("aria-label")
    assert "nope" not in root.get("aria-label") and "ghost" not in root.get("aria-label")


def test_strategy_map_links_are_drawn_under_the_boxes():
    svg = str(example_map())
    assert svg.index('class="sd-link"') < svg.index('class="sd-objective"')


def test_strategy_map_arrows_point_from_child_up_to_parent():
    root = parse(example_map(links=[("C1", "F1")]))
    boxes = {c.get("href").split("/")[-1].removesuffix(".html"): card_rect(c) for c in cards(root)}
    link = by_class(root, "sd-link")[0]
    pts = [(float(x), float(y)) for x, y in re.findall(r"([\d.]+),([\d.]+)", link.get("d"))]
    assert math.isclose(pts[0][1], boxes["C1"][1])  # leaves the child's top edge
    tip = [(float(x), float(y)) for x, y in re.findall(r"([\d.]+),([\d.]+)",
                                                       by_class(root, "sd-arrow")[0].get("d"))][0]
    assert math.isclose(tip[1], boxes["F1"][3])  # arrives at the parent's bottom edge
    assert boxes["F1"][0] <= tip[0] <= boxes["F1"][2]


def test_strategy_map_health_words_and_colours():
    root = parse(example_map())
    words = texts(root)
    for health in ("green", "amber", "red", "no-data"):
        assert HEALTH_WORDS[health].upper() in words
        assert HEALTH_WORDS[health] in words  # legend
        bars = [e for e in by_class(root, f"sd-health-{health}") if e.tag == f"{SVG}path"]
        assert bars and all(b.get("fill") == HEALTH_COLOURS[health] for b in bars)
    label = root.get("aria-label")
    assert "C1: Be the most recommended supplier (health: Red)" in label
    titles = [c.find(f"{SVG}title").text for c in cards(root)]
    assert "F2: Improve margin (health: Amber)" in titles


def test_strategy_map_escapes_and_sanitises():
    boxes = [objective("X1", EVIL, href="javascript:alert(1)"),
             objective("X2", 'say "hi" & <b>bye</b>', href='a.html"onload="x')]
    svg = strategy_map(perspectives=[(EVIL, boxes)], links=[])
    no_script(svg)
    root = parse(svg)
    first, second = cards(root)
    assert first.tag == f"{SVG}g" and first.get("href") is None  # unsafe link dropped, box kept
    assert second.get("href") == 'a.html"onload="x' and second.get("onload") is None
    assert not [e for e in root.iter() if any(k.startswith("on") for k in e.attrib)]
    assert EVIL in root.get("aria-label")


def test_strategy_map_wraps_titles_to_three_lines():
    long = "Deliver a zero-defect onboarding process for enterprise customers across every region " * 3
    root = parse(example_map(perspectives=[("Internal", [objective("P1", long), objective("P2", "S")])]))
    card = cards(root)[0]
    rect = card_rect(card)
    lines = [e for e in card.iter(f"{SVG}text") if e.get("font-size") == "12.0"]
    assert len(lines) == 3 and lines[-1].text.endswith("…")
    for line in lines:
        x0, _, x1, _ = label_box(line)
        assert rect[0] <= x0 and x1 <= rect[2]
    assert card.find(f"{SVG}title").text.startswith("P1: " + long.split()[0])  # full title kept
    assert_inside(root)


def test_strategy_map_long_ids_are_truncated_inside_the_box():
    root = parse(example_map(perspectives=[("Customer", [objective("X" * 64, "Title", "no-data")])]))
    card = cards(root)[0]
    rect = card_rect(card)
    for e in card.iter(f"{SVG}text"):
        x0, _, x1, _ = label_box(e)
        assert rect[0] <= x0 and x1 <= rect[2], e.text


def test_strategy_map_grows_with_bands_and_rows():
    one = view_box(parse(strategy_map(perspectives=[("Financial", [objective("F1")])], links=[])))[1]
    two = view_box(parse(strategy_map(perspectives=[("Financial", [objective("F1")]),
                                                    ("Customer", [objective("C1")])], links=[])))[1]
    many = [objective(f"P{i}") for i in range(1, 12)]
    wrapped = parse(strategy_map(perspectives=[("Internal", many)], links=[]))
    assert two > one
    assert view_box(wrapped)[1] > one
    rows = sorted({card_rect(c)[1] for c in cards(wrapped)})
    assert len(rows) == 3  # 11 boxes, at most 5 a row
    assert_inside(wrapped)


def test_strategy_map_boxes_do_not_overlap():
    bands = [(f"Band {b}", [objective(f"B{b}O{i}", f"Objective {i}") for i in range(n)])
             for b, n in enumerate([1, 5, 6, 9, 2])]
    root = parse(strategy_map(perspectives=bands, links=[("B0O0", "B1O1"), ("B3O8", "B0O0")]))
    rects = [card_rect(c) for c in cards(root)]
    assert len(rects) == 23
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
    assert_inside(root)


def test_strategy_map_same_row_links():
    row = [objective(f"O{i}") for i in range(4)]
    root = parse(strategy_map(perspectives=[("Customer", row)], links=[("O0", "O1"), ("O0", "O3")]))
    assert len(by_class(root, "sd-link")) == 2
    assert_inside(root)


def test_strategy_map_edge_cases():
    empty = parse(strategy_map(perspectives=[], links=[("A", "B")]))
    assert_inside(empty)
    no_objectives = parse(strategy_map(perspectives=[("Financial", [])], links=[]))
    assert "No objectives" in texts(no_objectives)
    narrow = parse(example_map(width=360))
    assert_inside(narrow)
    odd_boxes = [{"id": "C1"}, "not a dict", {"title": "No id"}]
    odd = parse(strategy_map(perspectives=[("Customer", odd_boxes)],
                             links=[("C1",), None, ("C1", "C1")]))
    assert len(cards(odd)) == 2
    assert "NO DATA" in texts(odd)


def test_strategy_map_is_deterministic():
    assert example_map() == example_map()
    assert str(example_map(width=1000)) == str(example_map(width=1000))


# --------------------------------------------------------------------------- properties

hypothesis = pytest.importorskip("hypothesis")
st = hypothesis.strategies

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2080, 12, 31))
values = st.floats(min_value=-1e13, max_value=1e13, allow_nan=False)
series = st.lists(st.tuples(dates, values), max_size=30)


@hypothesis.settings(max_examples=120, deadline=None, database=None)
@hypothesis.given(actuals=series, targets=st.lists(st.tuples(dates, values), max_size=4),
                  baseline=st.none() | st.tuples(dates, values), as_of=dates,
                  direction=st.sampled_from(["up", "down", "range"]),
                  green=values, amber=values)
def test_kpi_chart_any_input_is_well_formed_and_inside(actuals, targets, baseline, as_of, direction,
                                                       green, amber):
    lo, hi = sorted([green, amber])
    thresholds = ({"green": [lo, hi], "amber": [lo - 1, hi + 1]} if direction == "range"
                  else {"green": green, "amber": amber})
    svg = kpi_chart(title="T", unit="u", actuals=actuals, baseline=baseline, targets=targets,
                    thresholds=thresholds, direction=direction, as_of=as_of)
    root = parse(svg)
    assert_inside(root)
    assert_labels_do_not_overlap(by_class(root, "sd-x-tick"))


@hypothesis.settings(max_examples=100, deadline=None, database=None)
@hypothesis.given(points=series, health=st.sampled_from(["green", "amber", "red", "no-data"]))
def test_sparkline_any_input_is_well_formed_and_inside(points, health):
    assert_inside(parse(sparkline(points, health=health)))


@hypothesis.settings(max_examples=60, deadline=None, database=None)
@hypothesis.given(title=st.text(max_size=200), oid=st.text(min_size=1, max_size=64))
def test_strategy_map_any_text_is_well_formed(title, oid):
    svg = strategy_map(perspectives=[(title, [objective(oid, title), objective("B", title)])],
                       links=[(oid, "B")])
    assert_inside(parse(svg))


def test_kpi_chart_axis_shows_the_target_and_the_green_band():
    # Issue 12, KPI-READMIT-like: lower is better, data above the green edge, the last target on it.
    root = basic_chart(title="Readmission rate", unit="%", direction="down",
                       actuals=monthly([15.8, 15.2, 14.9, 14.6, 14.4, 14.1]), baseline=(date(2024, 12, 31), 16.0),
                       targets=[(date(2026, 12, 31), 12.0)], thresholds={"green": 12, "amber": 14})
    root = parse(root)
    green = [e for e in by_class(root, "sd-band-green") if e.tag == f"{SVG}rect"]
    assert green and all(float(e.get("height")) >= 8 for e in green)  # drawn, not squeezed off the axis
    ticks = [float(t.text) for t in root.iter(f"{SVG}text") if (t.text or "").replace(".", "").isdigit()]
    assert min(ticks) < 12 <= max(ticks)
