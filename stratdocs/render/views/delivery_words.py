"""Why an initiative has its schedule and budget health, in the reader's language.

`stratdocs.delivery` gives the same reasons in English for `check` (whose messages stay
English); pages and packs read them here, worded from the same figures through the catalog.
"""

from __future__ import annotations

from stratdocs.delivery import STOPPED_STATUSES, Delivery, InitiativeHealth
from stratdocs.model import Entity
from stratdocs.numbers import format_number, locale_for
from stratdocs.render.views.interface import _, current, ngettext
from stratdocs.render.views.status_words import status_word

from babel.numbers import format_percent as babel_percent


def _share(ratio: float) -> str:
    """A share as readers write it: "40%" (en, as `check` says it), "40 %" (de, fr)."""
    language = current().language
    if language.split("-")[0] == "en":
        return f"{ratio:.0%}"
    return babel_percent(round(ratio, 2), "#,##0%", locale=locale_for(language))


def _late(h: InitiativeHealth) -> str:
    if not h.overdue:
        return ""
    return ngettext("%(num)d milestone overdue", "%(num)d milestones overdue", len(h.overdue))


def schedule_words(entity: Entity, h: InitiativeHealth) -> str:
    """The schedule reason: "40% done with 55% of the time elapsed; 1 milestone overdue"."""
    if entity.status.lower() in STOPPED_STATUSES:
        return stopped_words(entity)
    late = _late(h)
    if h.progress is None or h.elapsed is None:
        if late:
            return _("no progress to compare; %(late)s") % {"late": late}
        return _("no progress or no start and end dates to compare")
    done = _("%(progress)s done with %(elapsed)s of the time elapsed") % {
        "progress": _share(h.progress), "elapsed": _share(h.elapsed)}
    return _("%(done)s; %(late)s") % {"done": done, "late": late} if late else done


def budget_words(entity: Entity, d: Delivery, h: InitiativeHealth) -> str:
    """The budget reason: "spend EUR 1,200,000 against EUR 1,100,000 planned to date (109%)"."""
    if entity.status.lower() in STOPPED_STATUSES:
        return stopped_words(entity)
    budget, spent, planned = d.budget, h.spent, h.planned
    if budget is None or spent is None or planned is None:
        return _("no budget, no spend or no start and end dates")
    language = current().language
    money = lambda value: format_number(value, budget.currency, decimals=0, language=language)  # noqa: E731
    if spent > budget.amount:
        return _("spend %(spent)s is above the whole budget of %(budget)s") % {
            "spent": money(spent), "budget": money(budget.amount)}
    if planned <= 0:
        if spent <= 0:
            return _("nothing planned or spent yet")
        return _("spend %(spent)s before any was planned") % {"spent": money(spent)}
    return _("spend %(spent)s against %(planned)s planned to date (%(share)s)") % {
        "spent": money(spent), "planned": money(planned), "share": _share(spent / planned)}


def stopped_words(entity: Entity) -> str:
    """A stopped initiative has no delivery health: "the initiative is dropped"."""
    return _("the initiative is %(status)s") % {"status": status_word(entity.status.lower())}


def reason_words(entity: Entity, d: Delivery, h: InitiativeHealth) -> str:
    """Both reasons in one line, for the scorecard's initiatives table."""
    return _("schedule: %(schedule)s; budget: %(budget)s") % {
        "schedule": schedule_words(entity, h), "budget": budget_words(entity, d, h)}
