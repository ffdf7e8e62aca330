"""The plan's generic strategy in words (Porter's generic strategies), for the home page and PDFs.

The descriptions are neutral: they fit a hospital, a public agency or a software company, and say
what the strategy means, not what it sells. A plan replaces them with its own words in the
plan's front matter (`strategy_text:`).
"""

from __future__ import annotations

from dataclasses import dataclass

from stratdocs.i18n import N_
from stratdocs.render.views.interface import _

#: Each generic strategy: its name and a neutral description.
STRATEGY_TEXT = {
    "cost-leadership": (N_("Cost leadership"), N_("Deliver what those we serve need at a lower cost than others "
                                                  "can, and use the advantage to offer better value or to reinvest.")),
    "differentiation": (N_("Differentiation"), N_("Offer something those we serve value and others do not offer "
                                                  "in the same way, and sustain what makes it distinct.")),
    "focus": (N_("Focus (segmentation)"), N_("Serve one defined group better than organisations that serve "
                                             "everyone, through lower cost or a distinct offer.")),
}


@dataclass(frozen=True, slots=True)
class StrategyText:
    label: str      #: "Cost leadership"
    text: str       #: what the generic strategy means: the plan's own words, else the neutral description
    own: bool = False  #: the text is the plan's own (`strategy_text:`)


def strategy_text(attrs) -> StrategyText | None:
    """The plan's generic strategy with its description, None when it names none.

    :param attrs: the plan entity's attrs (`strategy`, `strategy_text`).
    """
    known = STRATEGY_TEXT.get(attrs.get("strategy") or "")
    if known is None:
        return None
    own = (attrs.get("strategy_text") or "").strip()
    return StrategyText(_(known[0]), own or _(known[1]), bool(own))
