"""KPI and objective health (SPEC §6): thresholds, the straight-line progress rule, staleness, roll-ups."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from stratdocs.health import HEALTHS, Cutoffs, KpiHealth, kpi_health, rollup
from stratdocs.model import Kpi, Point, Thresholds

AS_OF = date(2027, 6, 30)
D = date.fromisoformat


def make(*, direction="up", baseline=None, targets=(), thresholds=None, actuals=(), frequency="monthly") -> Kpi:
    return Kpi(
        direction=direction, frequency=frequency,
        baseline=Point(D(baseline[0]), baseline[1]) if baseline else None,
        targets=tuple(Point(D(d), v) for d, v in targets),
        thresholds=Thresholds(*thresholds) if thresholds else None,
        actuals=tuple(Point(D(d), v) for d, v in actuals),
    )


def health(kpi: Kpi, as_of: date = AS_OF, cutoffs: Cutoffs = Cutoffs()) -> str:
    return kpi_health(kpi, as_of, cutoffs).health


# --- thresholds -------------------------------------------------------------------------------

@pytest.mark.parametrize("actual, expected", [(9, "green"), (8, "green"), (7.99, "amber"), (5, "amber"),
                                              (4.99, "red"), (-100, "red")])
def test_thresholds_up(actual, expected):
    assert health(make(thresholds=(8, 5), actuals=[("2027-06-01", actual)])) == expected


@pytest.mark.parametrize("actual, expected", [(1, "green"), (2, "green"), (2.01, "amber"), (4, "amber"),
                                              (4.01, "red")])
def test_thresholds_down(actual, expected):
    assert health(make(direction="down", thresholds=(2, 4), actuals=[("2027-06-01", actual)])) == expected


@pytest.mark.parametrize("actual, expected", [(15, "green"), (10, "green"), (20, "green"), (9, "amber"),
                                              (25, "amber"), (5, "amber"), (4.9, "red"), (25.1, "red")])
def test_thresholds_range(actual, expected):
    kpi = make(direction="range", thresholds=((10, 20), (5, 25)), actuals=[("2027-06-01", actual)])
    assert health(kpi) == expected


def test_thresholds_win_over_targets():
    kpi = make(baseline=("2026-12-31", 0), targets=[("2027-12-31", 100)], thresholds=(8, 5),
               actuals=[("2027-06-30", 9)])
    assert health(kpi) == "green"


def test_latest_actual_counts_not_the_best():
    kpi = make(thresholds=(8, 5), actuals=[("2027-04-30", 9), ("2027-05-31", 4)])
    result = kpi_health(kpi, AS_OF)
    assert result.health == "red" and result.latest.value == 4


def test_actuals_after_as_of_are_ignored():
    kpi = make(thresholds=(8, 5), actuals=[("2027-05-31", 9), ("2027-07-31", 1)])
    assert health(kpi) == "green"


# --- the straight line ------------------------------------------------------------------------

# Baseline 100 on 2026-01-01, target 200 on 2026-12-31 (364 days): the plan expects 150 on 2026-07-02.
LINE = dict(baseline=("2026-01-01", 100), targets=[("2026-12-31", 200)])


@pytest.mark.parametrize("actual, expected", [(150, "green"), (160, "green"), (147.5, "green"), (147.4, "amber"),
                                              (140, "amber"), (139.9, "red"), (90, "red")])
def test_progress_cutoffs(actual, expected):
    result = kpi_health(make(**LINE, actuals=[("2026-07-02", actual)]), date(2026, 7, 15))
    assert result.expected == 150
    assert result.progress == pytest.approx((actual - 100) / 50)
    assert result.health == expected


def test_progress_cutoffs_are_configurable():
    kpi = make(**LINE, actuals=[("2026-07-02", 140)])  # 80% of planned progress
    assert health(kpi, date(2026, 7, 15)) == "amber"
    assert health(kpi, date(2026, 7, 15), Cutoffs(green=0.8, amber=0.5)) == "green"
    assert health(kpi, date(2026, 7, 15), Cutoffs(green=0.99, amber=0.9)) == "red"


@pytest.mark.parametrize("actual, expected", [(8, "green"), (7, "green"), (8.1, "green"), (8.2, "amber"),
                                              (8.3, "amber"), (9, "red"), (11, "red")])
def test_downward_line_needs_no_special_case(actual, expected):
    # Churn from 10 towards 6: halfway through the year the plan expects 8.
    kpi = make(direction="down", baseline=("2026-01-01", 10), targets=[("2026-12-31", 6)],
               actuals=[("2026-07-02", actual)])
    result = kpi_health(kpi, date(2026, 7, 15))
    assert result.expected == 8
    assert result.health == expected


MILESTONES = dict(baseline=("2025-12-31", 0), targets=[("2026-06-30", 10), ("2026-12-31", 30)])


def test_target_in_force_is_the_first_milestone_on_or_after_the_actual():
    result = kpi_health(make(**MILESTONES, actuals=[("2026-09-30", 20)]), date(2026, 10, 15))
    assert result.target.date == D("2026-12-31")
    # The previous point is the earlier milestone (10 on 2026-06-30), not the baseline: halfway -> 20.
    assert result.expected == 20
    assert result.health == "green"


def test_actual_on_a_milestone_date_uses_that_milestone_and_the_baseline():
    result = kpi_health(make(**MILESTONES, actuals=[("2026-06-30", 9.6)]), date(2026, 7, 15))
    assert result.target.date == D("2026-06-30")
    assert result.expected == 10
    assert result.progress == pytest.approx(0.96)
    assert result.health == "green"


def test_first_milestone_measures_from_the_baseline():
    # 2026-03-31 is 90 of 181 days from baseline to the first milestone: expected 10 * 90 / 181.
    result = kpi_health(make(**MILESTONES, actuals=[("2026-03-31", 4)]), date(2026, 4, 15))
    assert result.target.date == D("2026-06-30")
    assert result.expected == pytest.approx(10 * 90 / 181)
    assert result.health == "amber"


def test_after_the_last_milestone_expected_is_clamped_to_the_target():
    kpi = make(**MILESTONES, actuals=[("2027-03-31", 29)])
    result = kpi_health(kpi, date(2027, 4, 15))
    assert result.target.date == D("2026-12-31")
    assert result.expected == 30
    assert result.progress == pytest.approx(0.95)
    assert result.health == "green"
    assert health(make(**MILESTONES, actuals=[("2027-03-31", 25)]), date(2027, 4, 15)) == "red"


def test_before_the_previous_point_expected_is_clamped_to_it_and_counts_as_green():
    kpi = make(baseline=("2026-06-30", 100), targets=[("2026-12-31", 200)], actuals=[("2026-03-31", 50)])
    result = kpi_health(kpi, date(2026, 4, 15))
    assert result.expected == 100
    assert result.progress is None
    assert result.health == "green"


def test_flat_target_counts_as_green():
    kpi = make(baseline=("2026-01-01", 5), targets=[("2026-12-31", 5)], actuals=[("2026-07-02", 0)])
    assert health(kpi, date(2026, 7, 15)) == "green"


# --- no data ----------------------------------------------------------------------------------

def test_no_actuals_is_no_data_and_stale():
    result = kpi_health(make(**LINE), AS_OF)
    assert (result.health, result.stale, result.latest) == ("no-data", True, None)


def test_no_baseline_and_no_thresholds_is_no_data():
    result = kpi_health(make(targets=[("2026-12-31", 200)], actuals=[("2026-07-02", 150)]), date(2026, 7, 15))
    assert result.health == "no-data"
    assert result.latest.value == 150


def test_no_target_and_no_thresholds_is_no_data():
    kpi = make(baseline=("2026-01-01", 100), actuals=[("2026-07-02", 150)])
    assert health(kpi, date(2026, 7, 15)) == "no-data"


# --- staleness --------------------------------------------------------------------------------

@pytest.mark.parametrize("frequency, fresh_days", [("weekly", 14), ("monthly", 62), ("quarterly", 184),
                                                   ("yearly", 732)])
def test_stale_after_twice_the_frequency(frequency, fresh_days):
    latest = date(2026, 1, 1)
    kpi = Kpi(frequency=frequency, thresholds=Thresholds(1, 0), actuals=(Point(latest, 1),))
    assert not kpi_health(kpi, latest + timedelta(days=fresh_days)).stale
    assert kpi_health(kpi, latest + timedelta(days=fresh_days + 1)).stale
    assert kpi_health(kpi, latest + timedelta(days=fresh_days + 1)).health == "green"  # stale keeps its health


# --- objective roll-up ------------------------------------------------------------------------

def rolled(healths: dict[str, str], rule: str = "worst", weights: dict[str, float] | None = None) -> str:
    kpis = {k: KpiHealth(h, "") for k, h in healths.items()}
    plan = SimpleNamespace(entities={k: SimpleNamespace(kpi=Kpi(weight=(weights or {}).get(k, 1.0)))
                                     for k in healths})
    return rollup(list(healths), kpis, plan, Cutoffs(rollup=rule)).health


@pytest.mark.parametrize("healths, expected", [
    ({"a": "green", "b": "amber"}, "amber"),
    ({"a": "green", "b": "red", "c": "amber"}, "red"),
    ({"a": "green", "b": "no-data"}, "green"),
    ({"a": "no-data", "b": "no-data"}, "no-data"),
    ({}, "no-data"),
])
def test_rollup_worst(healths, expected):
    assert rolled(healths) == expected


@pytest.mark.parametrize("healths, weights, expected", [
    ({"a": "green", "b": "red"}, None, "amber"),                       # (2 + 0) / 2 = 1
    ({"a": "green", "b": "green", "c": "red"}, None, "amber"),         # 4 / 3 = 1.33
    ({"a": "green", "b": "amber", "c": "amber", "d": "green"}, None, "green"),  # 1.5 rounds up
    ({"a": "green", "b": "red"}, {"a": 4, "b": 1}, "green"),           # 8 / 5 = 1.6
    ({"a": "green", "b": "red"}, {"a": 1, "b": 4}, "red"),             # 2 / 5 = 0.4
    ({"a": "amber", "b": "red", "c": "no-data"}, {"a": 3, "b": 1, "c": 100}, "amber"),  # no-data ignored
    ({"a": "green", "b": "red"}, {"a": 0, "b": 0}, "no-data"),
])
def test_rollup_average_with_weights(healths, weights, expected):
    assert rolled(healths, "average", weights) == expected


def test_rollup_counts():
    kpis = {"a": KpiHealth("green", ""), "b": KpiHealth("no-data", ""), "c": KpiHealth("green", "")}
    result = rollup(["a", "b", "c"], kpis, None, Cutoffs())
    assert dict(result.counts) == {"green": 2, "amber": 0, "red": 0, "no-data": 1}
    assert result.kpis == ("a", "b", "c")


SUB_OBJECTIVE = """\
---
title: Sub-objective
parent: SO1
period: {start: 2026, end: 2028}
owner: CEO
---
"""
RED_KPI = """\
---
title: Red KPI
level: strategic
measures: [SO1a]
owner: CFO
thresholds: {green: 8, amber: 5}
actuals:
  - {date: 2026-11-01, value: 1}
weight: 0.25
---
"""


def test_objective_health_includes_sub_objectives(plan_project):
    plan_project.write("content/objectives/SO1a.md", SUB_OBJECTIVE)
    plan_project.write("content/kpis/K-RED.md", RED_KPI)
    plan_project.edit("content/initiatives/I1.md", "supports: [SO1]", "supports: [SO1, SO1a]")
    entities = {e["id"]: e for e in plan_project.export()["entities"]}
    assert (entities["K-REV"]["health"], entities["K-RED"]["health"]) == ("green", "red")
    assert entities["SO1a"]["health"] == "red"
    assert entities["SO1"]["health"] == "red"  # worst of its own KPIs and its sub-objective's

    # Averaging instead, over the KPIs that measure SO1 or SO1a: K-REV (green, weight 1) and
    # K-RED (red, weight 0.25) -> (2 + 0) / 1.25 = 1.6 -> green.
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\nstatus: {rollup: average}\n")
    entities = {e["id"]: e for e in plan_project.export()["entities"]}
    assert entities["SO1"]["health"] == "green"
    assert entities["SO1a"]["health"] == "red"


def test_objective_without_measuring_kpis_is_no_data(plan_project):
    plan_project.write("content/objectives/SO1a.md", SUB_OBJECTIVE)
    entities = {e["id"]: e for e in plan_project.export()["entities"]}
    assert entities["SO1a"]["health"] == "no-data"


# --- properties -------------------------------------------------------------------------------

START = date(2026, 1, 1)
_days = st.integers(0, 900)
_values = st.integers(-10**6, 10**6).map(float)


@st.composite
def kpis(draw, direction=None, thresholds_only=False):
    direction = direction or draw(st.sampled_from(["up", "down", "range"]))
    def points(max_size):
        days = draw(st.lists(_days, max_size=max_size, unique=True))
        return tuple(Point(START + timedelta(days=d), draw(_values)) for d in sorted(days))
    baseline = draw(st.one_of(st.none(), st.builds(lambda d, v: Point(START + timedelta(days=d), v), _days, _values)))
    thresholds = None
    if direction == "range":
        a, b, c, e = sorted(draw(st.lists(_values, min_size=4, max_size=4)))
        thresholds = Thresholds((b, c), (a, e))
    elif thresholds_only or draw(st.booleans()):
        low, high = sorted(draw(st.lists(_values, min_size=2, max_size=2)))
        thresholds = Thresholds(high, low) if direction == "up" else Thresholds(low, high)
    return Kpi(direction=direction, frequency=draw(st.sampled_from(["weekly", "monthly", "quarterly", "yearly"])),
               baseline=baseline, targets=points(3), thresholds=thresholds, actuals=points(4))


_as_of = _days.map(lambda d: START + timedelta(days=d))


def _map_values(kpi: Kpi, f, direction: str) -> Kpi:
    def point(p):
        return Point(p.date, f(p.value)) if p else None
    thresholds = kpi.thresholds
    if thresholds is not None:
        if kpi.direction == "range":
            def band(lo_hi):
                lo, hi = sorted((f(lo_hi[0]), f(lo_hi[1])))
                return (lo, hi)
            thresholds = Thresholds(band(thresholds.green), band(thresholds.amber))
        else:
            thresholds = Thresholds(f(thresholds.green), f(thresholds.amber))
    return Kpi(direction=direction, frequency=kpi.frequency, baseline=point(kpi.baseline),
               targets=tuple(point(p) for p in kpi.targets), thresholds=thresholds,
               actuals=tuple(point(p) for p in kpi.actuals))


@settings(max_examples=400, deadline=None)
@given(kpis(), _as_of)
def test_health_is_always_one_of_the_four_values(kpi, as_of):
    result = kpi_health(kpi, as_of)
    assert result.health in HEALTHS
    if result.health != "no-data":
        assert result.latest is not None and result.latest.date <= as_of


@settings(max_examples=400, deadline=None)
@given(kpis(), _as_of)
def test_mirroring_an_up_kpi_to_down_keeps_its_health(kpi, as_of):
    flipped = {"up": "down", "down": "up", "range": "range"}[kpi.direction]
    mirrored = _map_values(kpi, lambda v: -v, flipped)
    assert kpi_health(mirrored, as_of).health == kpi_health(kpi, as_of).health


@settings(max_examples=400, deadline=None)
@given(kpis(), _as_of, st.integers(-8, 8))
def test_scaling_all_values_keeps_health(kpi, as_of, exponent):
    factor = 2.0 ** exponent  # exact in binary floating point, so no rounding can flip a boundary
    scaled = _map_values(kpi, lambda v: v * factor, kpi.direction)
    assert kpi_health(scaled, as_of).health == kpi_health(kpi, as_of).health


@settings(max_examples=300, deadline=None)
@given(kpis(thresholds_only=True), _as_of, st.integers(-8, 8))
def test_scaling_by_any_positive_factor_keeps_threshold_health(kpi, as_of, exponent):
    scaled = _map_values(kpi, lambda v: v * 3.0 ** exponent, kpi.direction)
    assert kpi_health(scaled, as_of).health == kpi_health(kpi, as_of).health


_RANK = {"red": 0, "amber": 1, "green": 2, "no-data": -1}


@settings(max_examples=300, deadline=None)
@given(kpis(direction="up", thresholds_only=True), _as_of, st.integers(0, 10**6))
def test_a_better_latest_actual_never_worsens_threshold_health(kpi, as_of, better_by):
    assume(any(a.date <= as_of for a in kpi.actuals))
    last = max(i for i, a in enumerate(kpi.actuals) if a.date <= as_of)
    improved = list(kpi.actuals)
    improved[last] = Point(improved[last].date, improved[last].value + better_by)
    better = Kpi(direction="up", thresholds=kpi.thresholds, actuals=tuple(improved))
    assert _RANK[kpi_health(better, as_of).health] >= _RANK[kpi_health(kpi, as_of).health]
