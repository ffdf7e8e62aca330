"""The headline of a KPI: what a board reads first on its page and in the pack.

Health as word and symbol, the latest actual, and how far it is from plan as a plain difference
in the KPI's own unit ("2.9 points behind plan", "EUR 0.3m ahead of plan"): never a percentage of
planned progress. `change` and `commentary` are optional slots, shown when present.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from stratdocs.health import GREEN, AMBER, NO_DATA, RED, KpiHealth
from stratdocs.model import Kpi
from stratdocs.numbers import NumberFormat, decimals_of
from stratdocs.render.views.common import health_word
from stratdocs.render.views.interface import _, ngettext

#: Health as a symbol of its own shape, so it reads without colour (and in greyscale).
HEALTH_SYMBOLS = {GREEN: "✓", AMBER: "▲", RED: "✗", NO_DATA: "○"}


def kpi_format(kpi: Kpi, language: str) -> NumberFormat:
    """The one formatter of a KPI's figures: its unit, the precision of its most precise value."""
    values = [p.value for p in (*kpi.actuals, *kpi.targets)]
    if kpi.baseline:
        values.append(kpi.baseline.value)
    if kpi.thresholds:
        for v in (kpi.thresholds.green, kpi.thresholds.amber):
            values.extend(v if isinstance(v, (list, tuple)) else [v])
    return NumberFormat(kpi.unit, decimals_of(values), language)


def points(number: str) -> str:
    """A difference of percentages in points ("2.9 points"), `number` already written."""
    return ngettext("%(number)s point", "%(number)s points", 1 if number in ("1", "1.0", "1,0") else 2,
                    number=number)


def amount(fmt: NumberFormat, value: float) -> str:
    """A difference's size in the KPI's unit, in the build's language ("2,9 Punkte", "EUR 0.3m")."""
    return points(fmt.bare(abs(value))) if fmt.unit == "%" else fmt.amount(value)


def by_date(fmt: NumberFormat, value: float, day: date) -> str:
    """A value due on a day: "EUR 62m by 31 December 2026"."""
    return _("%(value)s by %(day)s") % {"value": fmt.value(value), "day": fmt.date(day)}


def threshold_words(kpi: Kpi, fmt: NumberFormat) -> str:
    """The thresholds as a reader says them: "green at 10% or less, amber at 12% or less"."""
    if not kpi.thresholds:
        return ""
    green, amber = kpi.thresholds.green, kpi.thresholds.amber
    if kpi.direction == "range":
        return _("green between %(green_low)s and %(green_high)s, amber between %(amber_low)s and %(amber_high)s") % {
            "green_low": fmt.value(green[0]), "green_high": fmt.value(green[1]),
            "amber_low": fmt.value(amber[0]), "amber_high": fmt.value(amber[1])}
    values = {"green": fmt.value(green), "amber": fmt.value(amber)}
    if kpi.direction == "up":
        return _("green at %(green)s or more, amber at %(amber)s or more") % values
    return _("green at %(green)s or less, amber at %(amber)s or less") % values


@dataclass(frozen=True, slots=True)
class KpiHeadline:
    """The first lines of a KPI's page and pack entry."""

    health: str                 #: `green`, `amber`, `red` or `no-data`
    health_word: str            #: the health as a word
    symbol: str                 #: the health as a symbol (✓ ▲ ✗ ○)
    latest: str                 #: the latest actual with its unit, or "—"
    latest_date: str            #: its date for a reader ("31 October 2026"), or ''
    latest_iso: str             #: the same date in ISO form (for `datetime` attributes), or ''
    against: str                #: "EUR 0.3m behind plan", "16 above the green threshold", or ''
    plan: str                   #: the planned value at the latest actual's date ("EUR 59.7m"), or ''
    target: str                 #: "EUR 62m by 31 December 2026" or "green at 10% or less", or "—"
    later: str                  #: milestones after the target in force ("EUR 82m by …; …"), or ''
    direction: str              #: "Higher is better", ...
    stale: bool = False         #: it had a value, but none recent (SPEC §6)
    change: str | None = None       #: change since the last period (filled in by the trend module)
    commentary: str | None = None   #: the latest commentary (filled in by the commentary module)

    @property
    def sentence(self) -> str:
        """The headline as one sentence for a reader: "59.4% on 31 October 2026, 2.9 points behind plan"."""
        if not self.latest_date:
            return _("No actuals reported yet")
        parts = [_("%(value)s on %(day)s") % {"value": self.latest, "day": self.latest_date}]
        if self.against:
            parts.append(self.against)
        return ", ".join(parts)


def _against_plan(kpi: Kpi, health: KpiHealth, fmt: NumberFormat) -> tuple[str, str]:
    """(difference, planned value) for a KPI measured against its planned line."""
    a, expected = health.latest.value, health.expected
    diff = a - expected
    if fmt.bare(abs(diff)).strip("0.,") == "":
        return _("on plan"), fmt.value(expected)
    good = diff < 0 if kpi.direction == "down" else diff > 0
    words = _("%(amount)s ahead of plan") if good else _("%(amount)s behind plan")
    return words % {"amount": amount(fmt, diff)}, fmt.value(expected)


def _against_thresholds(kpi: Kpi, a: float, fmt: NumberFormat) -> str:
    """The latest actual against the green threshold (or band), in the KPI's unit."""
    green = kpi.thresholds.green
    if kpi.direction == "range":
        lo, hi = green
        if lo <= a <= hi:
            return _("inside the green range")
        words = _("%(amount)s above the green range") if a > hi else _("%(amount)s below the green range")
        return words % {"amount": amount(fmt, a - hi if a > hi else lo - a)}
    diff = a - green
    inside = diff >= 0 if kpi.direction == "up" else diff <= 0
    if fmt.bare(abs(diff)).strip("0.,") == "":
        return _("at the green threshold")
    words = _("%(amount)s better than the green threshold") if inside else _("%(amount)s short of the green threshold")
    return words % {"amount": amount(fmt, diff)}


def headline(kpi: Kpi, health: KpiHealth, fmt: NumberFormat, direction_text: str, as_of: date) -> KpiHeadline:
    """The headline of `kpi` with `health`, its figures written by `fmt`."""
    latest, target = health.latest, health.target
    if target is None and kpi.targets:  # no actual yet: the next target after as_of, else the last
        target = next((t for t in kpi.targets if t.date >= as_of), kpi.targets[-1])
    against = plan = ""
    if latest is not None and kpi.thresholds is not None:
        against = _against_thresholds(kpi, latest.value, fmt)
    elif latest is not None and health.expected is not None:
        against, plan = _against_plan(kpi, health, fmt)
    if target is not None:
        target_text = by_date(fmt, target.value, target.date)
    else:
        target_text = threshold_words(kpi, fmt) or "—"
    after = target.date if target is not None else as_of
    later = "; ".join(by_date(fmt, t.value, t.date) for t in kpi.targets if t.date > after)
    return KpiHeadline(
        health=health.health, health_word=health_word(health.health), symbol=HEALTH_SYMBOLS[health.health],
        latest=fmt.value(latest.value) if latest else "—",
        latest_date=fmt.date(latest.date) if latest else "", latest_iso=latest.date.isoformat() if latest else "",
        against=against, plan=plan, target=target_text, later=later, direction=direction_text,
        stale=health.stale and latest is not None)
