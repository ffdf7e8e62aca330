"""Change over time (`stratdocs.trend`): each KPI's previous reporting period, the direction judged
against the KPI's own `direction`, and each objective's previous health, as the CLI exports them."""

from __future__ import annotations

from datetime import date

import pytest

from stratdocs.health import Cutoffs
from stratdocs.model import Kpi, Point, Thresholds
from stratdocs.trend import IMPROVING, NONE, STEADY, WORSENING, kpi_trend, period_start, previous_actual

AS_OF = date(2026, 11, 15)


def kpi(values, direction="up", frequency="monthly", **extra) -> Kpi:
    actuals = tuple(Point(date.fromisoformat(d), v) for d, v in values)
    return Kpi(direction=direction, frequency=frequency, actuals=actuals, **extra)


@pytest.mark.parametrize("frequency, day, start", [
    ("weekly", date(2026, 11, 12), date(2026, 11, 9)),
    ("monthly", date(2026, 11, 12), date(2026, 11, 1)),
    ("quarterly", date(2026, 11, 12), date(2026, 10, 1)),
    ("yearly", date(2026, 11, 12), date(2026, 1, 1)),
])
def test_period_start(frequency, day, start):
    assert period_start(day, frequency) == start


def test_previous_actual_is_the_last_one_before_the_latest_actuals_period():
    # Two actuals in October: the previous period is September, not the first October figure.
    k = kpi([("2026-09-30", 10), ("2026-10-10", 11), ("2026-10-31", 12), ("2026-12-31", 99)])
    assert previous_actual(k, AS_OF) == Point(date(2026, 9, 30), 10)
    # A quarterly KPI compares with the last figure of the quarter before.
    q = kpi([("2026-06-30", 5), ("2026-08-31", 6), ("2026-09-30", 7)], frequency="quarterly")
    assert previous_actual(q, AS_OF) == Point(date(2026, 6, 30), 5)
    assert previous_actual(kpi([("2026-10-31", 3)]), AS_OF) is None


@pytest.mark.parametrize("direction, before, after, expected", [
    ("up", 10, 12, IMPROVING), ("up", 12, 10, WORSENING), ("up", 10, 10, STEADY),
    ("down", 10.9, 11.2, WORSENING), ("down", 11.2, 10.9, IMPROVING), ("down", 5, 5, STEADY),
])
def test_direction_is_judged_by_the_kpis_direction_not_the_sign(direction, before, after, expected):
    trend = kpi_trend(kpi([("2026-09-30", before), ("2026-10-31", after)], direction=direction), AS_OF)
    assert trend.direction == expected
    assert trend.previous_value == before and trend.previous_date == date(2026, 9, 30)
    assert trend.change == pytest.approx(after - before)


@pytest.mark.parametrize("before, after, expected", [
    (30, 45, IMPROVING),    # towards the green band 40–60
    (45, 30, WORSENING),
    (45, 55, STEADY),       # inside the band both times
    (70, 65, IMPROVING),    # above it, coming down towards it
])
def test_range_kpis_improve_towards_their_green_band(before, after, expected):
    k = kpi([("2026-09-30", before), ("2026-10-31", after)], direction="range",
            thresholds=Thresholds((40, 60), (30, 70)))
    assert kpi_trend(k, AS_OF).direction == expected


def test_previous_health_is_the_health_as_of_the_previous_value():
    # Plan line 0 -> 12 over the year: 9 planned at the end of September, 10 at the end of October.
    k = kpi([("2026-09-30", 9), ("2026-10-31", 7)], baseline=Point(date(2025, 12, 31), 0),
            targets=(Point(date(2026, 12, 31), 12),))
    trend = kpi_trend(k, AS_OF, Cutoffs())
    assert (trend.previous_health, trend.health, trend.direction) == ("green", "red", WORSENING)


def test_no_previous_period():
    trend = kpi_trend(kpi([("2026-10-31", 3)]), AS_OF)
    assert (trend.direction, trend.previous_value, trend.previous_health) == (NONE, None, "no-data")
    assert kpi_trend(kpi([]), AS_OF).direction == NONE


def test_export_carries_kpi_and_objective_trends(plan_project):
    # K-REV: 17 at the end of September (amber: 94% of the planned 17.5), 19 at the end of October (green).
    exported = {e["id"]: e for e in plan_project.export()["entities"]}
    assert exported["K-REV"]["trend"] == {"direction": "improving", "previous_health": "amber",
                                          "previous_value": 17.0, "change": 2.0, "previous_date": "2026-09-30"}
    assert (exported["SO1"]["health"], exported["SO1"]["trend"]["previous_health"],
            exported["SO1"]["trend"]["direction"]) == ("green", "amber", "improving")
    # Now October falls far behind plan: the objective was amber and is red.
    plan_project.edit("content/kpis/K-REV.md", "value: 19}", "value: 12}")
    exported = {e["id"]: e for e in plan_project.export()["entities"]}
    assert exported["K-REV"]["trend"]["direction"] == "worsening"
    assert (exported["SO1"]["health"], exported["SO1"]["trend"]["previous_health"],
            exported["SO1"]["trend"]["direction"]) == ("red", "amber", "worsening")
