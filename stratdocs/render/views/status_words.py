"""Status and risk-level words in the reader's language (issue #16).

A lifecycle `status` stratdocs knows (SPEC §4: active, proposed, dropped, done, todo, doing,
blocked, the risk statuses open/monitoring/closed, ...) is shown translated; a word the plan
writes itself (its own `statuses:` vocabulary, or anything else) is shown as written. The
machine value stays in attributes, data and exports. Both are Jinja filters (`status_word`,
`severity_word`) and plain functions for view models.
"""

from __future__ import annotations

import weakref

from stratdocs.render.views.interface import current

#: The table of `_known`, per catalog (made once per build language, not once per word shown).
_TABLES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _known() -> dict[str, str]:
    """The lifecycle words stratdocs knows (`lifecycle.WORDS`, spelled out here for extraction),
    in the language of the build under way."""
    ui = current()
    table = _TABLES.get(ui.translations)
    if table is None:
        table = _TABLES[ui.translations] = _table(ui.pgettext)
    return table


def _table(pgettext) -> dict[str, str]:
    """Every known word -> its translation through `pgettext` (context "status")."""
    return {"planned": pgettext("status", "planned"), "proposed": pgettext("status", "proposed"),
            "draft": pgettext("status", "draft"), "new": pgettext("status", "new"),
            "approved": pgettext("status", "approved"), "not started": pgettext("status", "not started"),
            "todo": pgettext("status", "todo"), "to do": pgettext("status", "to do"),
            "active": pgettext("status", "active"), "in progress": pgettext("status", "in progress"),
            "ongoing": pgettext("status", "ongoing"), "started": pgettext("status", "started"),
            "doing": pgettext("status", "doing"), "open": pgettext("status", "open"),
            "on track": pgettext("status", "on track"), "at risk": pgettext("status", "at risk"),
            "delayed": pgettext("status", "delayed"), "behind": pgettext("status", "behind"),
            "blocked": pgettext("status", "blocked"), "monitoring": pgettext("status", "monitoring"),
            "monitored": pgettext("status", "monitored"), "on hold": pgettext("status", "on hold"),
            "on-hold": pgettext("status", "on-hold"), "paused": pgettext("status", "paused"),
            "deferred": pgettext("status", "deferred"), "suspended": pgettext("status", "suspended"),
            "done": pgettext("status", "done"), "complete": pgettext("status", "complete"),
            "completed": pgettext("status", "completed"), "closed": pgettext("status", "closed"),
            "achieved": pgettext("status", "achieved"), "delivered": pgettext("status", "delivered"),
            "finished": pgettext("status", "finished"), "mitigated": pgettext("status", "mitigated"),
            "resolved": pgettext("status", "resolved"), "accepted": pgettext("status", "accepted"),
            "dropped": pgettext("status", "dropped"), "cancelled": pgettext("status", "cancelled"),
            "canceled": pgettext("status", "canceled"), "abandoned": pgettext("status", "abandoned"),
            "superseded": pgettext("status", "superseded"), "stopped": pgettext("status", "stopped"),
            "retired": pgettext("status", "retired")}


def status_word(value: str) -> str:
    """`value` (a status as the plan writes it) as the reader sees it: a known word translated,
    the plan's own words as written (in English: as written, whatever its case)."""
    if not value:
        return ""
    shown = _known().get(str(value).lower())
    return shown if shown and shown != str(value).lower() else str(value)


def severity_word(value: str) -> str:
    """A risk's severity band (`high`, `elevated`, `medium`, `low`, `unrated`) in the reader's words."""
    gettext = current().gettext
    words = {"high": gettext("high"), "elevated": gettext("elevated"), "medium": gettext("medium"),
             "low": gettext("low"), "unrated": gettext("unrated")}
    return words.get(value, value)
