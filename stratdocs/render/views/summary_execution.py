"""What issue 14's execution tracking brings to the executive summary's gaps: high risks, overdue
review actions and initiatives behind schedule, ranked among the objectives' and KPIs' gaps."""

from __future__ import annotations

from stratdocs import delivery, execution
from stratdocs.health import AMBER, RED
from stratdocs.numbers import format_date
from stratdocs.render.views.interface import _

#: Severities beside those of `summary` (lower is more serious): a high risk nobody mitigates
#: ranks with a red KPI, a red schedule with an objective nothing executes, the rest with amber.
HIGH_RISK, LATE_RED, OVERDUE_ACTION, HIGH_RISK_MITIGATED, LATE_AMBER = 1, 2, 3, 3, 3


def execution_gaps(views, gap_row) -> list:
    """The execution gaps of the plan `views` shows, as `gap_row(severity, health, ref, sentence,
    order)` (the summary's GapRow)."""
    plan, project = views.plan, views.project
    language, position = project.config.language, plan.position
    out = []
    for risk in execution.top_risks(plan, len(plan.of_kind("risk"))):
        if not execution.is_high(risk, project.config.risks.high):
            continue
        values = {"likelihood": risk.attrs["likelihood"], "impact": risk.attrs["impact"],
                  "score": execution.score(risk)}
        if execution.is_mitigated(risk):
            sentence = _("is a high risk (likelihood %(likelihood)s × impact %(impact)s = %(score)s); "
                         "its mitigation is under way.") % values
            out.append(gap_row(HIGH_RISK_MITIGATED, AMBER, views.ref(risk.id), sentence, position[risk.id]))
        else:
            sentence = _("is a high risk (likelihood %(likelihood)s × impact %(impact)s = %(score)s) "
                         "and nothing mitigates it.") % values
            out.append(gap_row(HIGH_RISK, RED, views.ref(risk.id), sentence, position[risk.id]))
    for action in execution.overdue_actions(plan, views.as_of):
        values = {"day": format_date(action.attrs["due"], language)}
        sentence = (_("is overdue: it was due on %(day)s.") % values if action.owner else
                    _("is overdue: it was due on %(day)s and nobody owns it.") % values)
        out.append(gap_row(OVERDUE_ACTION, AMBER, views.ref(action.id), sentence, position[action.id]))
    for initiative, health in delivery.behind_schedule(plan, project.initiative_health):
        values = {"done": f"{round((health.progress or 0) * 100)}%", "gone": f"{round((health.elapsed or 0) * 100)}%"}
        sentence = _("is behind schedule: %(done)s done with %(gone)s of its time gone.") % values
        red = health.schedule == RED
        out.append(gap_row(LATE_RED if red else LATE_AMBER, RED if red else AMBER, views.ref(initiative.id),
                           sentence, position[initiative.id]))
    return out
