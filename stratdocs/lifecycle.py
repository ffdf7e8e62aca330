"""Lifecycle `status` words (SPEC §4): which state of work a word names, and a plan's own words.

A plan may write its statuses in its own language (`status: eingestellt`). The words below are
the ones stratdocs knows; `stratdocs.yml` maps a plan's own words onto them (`statuses:
{eingestellt: dropped}`). A word that is neither is a located `unknown-status` warning, because
a status stratdocs cannot read would otherwise count as work in progress and hide a red objective.
"""

from __future__ import annotations

from collections.abc import Mapping

from stratdocs.model import INACTIVE_STATES

#: The lifecycle states, in the order work moves through them.
STATES = ("planned", "active", "on-hold", "done", "dropped")
assert INACTIVE_STATES <= set(STATES)

#: The words stratdocs reads, each with the state it names (matched without regard to case).
WORDS: Mapping[str, str] = {
    **dict.fromkeys(("planned", "proposed", "draft", "new", "approved", "not started", "todo", "to do"), "planned"),
    **dict.fromkeys(("active", "in progress", "ongoing", "started", "doing", "open", "on track",
                     "at risk", "delayed", "behind", "blocked", "monitoring", "monitored"), "active"),
    **dict.fromkeys(("on hold", "paused", "deferred", "suspended"), "on-hold"),
    **dict.fromkeys(("done", "complete", "completed", "closed", "achieved", "delivered", "finished",
                     "mitigated", "resolved", "accepted"), "done"),
    **dict.fromkeys(("dropped", "cancelled", "canceled", "abandoned", "superseded", "stopped", "retired"), "dropped"),
}


def fold(word: str) -> str:
    """The form a status word is matched in: case-folded, `-` and `_` read as spaces, runs of spaces as one."""
    return " ".join(word.replace("_", " ").replace("-", " ").split()).casefold()


def state(word: str, own: Mapping[str, str] | None = None) -> str | None:
    """The state `word` names, through the plan's own words `own` (folded word -> known word)
    first; '' (no status) is active; None for a word neither list knows."""
    folded = fold(word)
    if not folded:
        return "active"
    known = (own or {}).get(folded, folded)
    return WORDS.get(known)
