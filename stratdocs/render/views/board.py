"""The alignment report as a board reads it (issue #11): plain sentences, most serious first.

The sentences are the site's reader words (`words.reader_words`, one owner for the wording);
this module only orders them and leaves out what is for editors: rule ids, file paths and fix
advice stay in `stratdocs check` and in the "For editors" parts of the site's alignment page.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from stratdocs.alignment import FAILURE_MODES
from stratdocs.i18n import N_
from stratdocs.render.views.common import ItemRef
from stratdocs.render.views.interface import _, ngettext
from stratdocs.render.views.reports import AlignmentView, FindingView
from stratdocs.render.views.words import reader_words

#: Warning codes from the most serious for a board to the least: a red objective nobody works
#: on, then strategy nothing executes or measures, then missing feedback, then housekeeping.
SERIOUSNESS = ("red-unaddressed", "no-execution", "risk-unmitigated", "initiative-behind-schedule",
               "initiative-over-budget", "no-kpi", "stale-kpi", "stale-commentary", "action-overdue",
               "milestone-overdue", "suspect", "kpi-unlinked", "review-overdue", "risk-review-overdue", "orphan",
               "no-owner", "action-no-owner", "horizon")
#: Codes about how the plan is written, not about the strategy: counted, not listed.
EDITOR_CODES = frozenset(("unknown-key", "blocked-fetch", "asset", "external-image", "unknown-status"))
#: The failure mode's title for each code, the reader's name for a check ("Missing link ...").
MODE_OF = {code: title for title, codes, _why in FAILURE_MODES for code in codes}
#: The concern of content errors (they have no failure mode).
CONTENT_ERRORS = N_("Content errors")


@dataclass(frozen=True, slots=True)
class BoardFinding:
    ref: ItemRef | None     #: the item it is about
    sentence: Markup | str  #: the reader's sentence (HTML), without rule id, path or fix
    concern: str            #: the failure mode it belongs to ("Problems nobody acts on")
    severity: str           #: `error` or `warning`


@dataclass(frozen=True, slots=True)
class BoardWaiver:
    ref: ItemRef
    concern: str            #: the failure mode of the waived check, in words
    reason: str


@dataclass(frozen=True, slots=True)
class BoardAlignmentView:
    """The `alignment` section of a PDF document."""

    findings: tuple[BoardFinding, ...]  #: most serious first
    clear: tuple[str, ...]              #: titles of the failure modes without findings
    waivers: tuple[BoardWaiver, ...]
    editor_notes: int                   #: findings for the plan's editors only (counted, not listed)
    errors: int                         #: content errors (a built document has none; `check` lists them)

    @property
    def total_text(self) -> str:
        """"4 findings"."""
        return ngettext("%(num)d finding", "%(num)d findings", len(self.findings))

    @property
    def waivers_text(self) -> str:
        return ngettext("%(num)d accepted gap", "%(num)d accepted gaps", len(self.waivers))

    @property
    def editor_text(self) -> str:
        """"2 notes for the plan's editors"."""
        return ngettext("%(num)d note for the plan’s editors", "%(num)d notes for the plan’s editors",
                        self.editor_notes)

    @property
    def first(self) -> BoardFinding | None:
        return self.findings[0] if self.findings else None


def _rank(finding: FindingView) -> tuple[int, int]:
    severity = 0 if finding.severity == "error" else 1
    code = SERIOUSNESS.index(finding.code) if finding.code in SERIOUSNESS else len(SERIOUSNESS)
    return severity, code


def board_alignment(view: AlignmentView) -> BoardAlignmentView:
    """The board's alignment section from the site's report (already trimmed to a document's scope).

    :param view: the alignment report's view model.
    """
    found = [*view.errors, *(f for mode in view.modes for f in mode.findings)]
    shown = [f for f in found if f.code not in EDITOR_CODES]
    shown.sort(key=_rank)  # stable: plan order within one rank
    findings = tuple(BoardFinding(f.ref, f.sentence, _(MODE_OF.get(f.code, CONTENT_ERRORS)), f.severity)
                     for f in shown)
    clear = tuple(_(m.title) for m in view.modes if not any(f.code not in EDITOR_CODES for f in m.findings)
                  and not set(m.codes) <= EDITOR_CODES)
    waivers = tuple(BoardWaiver(w.ref, _(MODE_OF[w.code]) if w.code in MODE_OF else w.code, w.reason) for w in view.waivers)
    return BoardAlignmentView(findings, clear, waivers, len(found) - len(shown), len(view.errors))


def entity_notes(findings, entity_id: str) -> tuple[Markup | str, ...]:
    """An entity block's alignment notes in the reader's words (no rule id or fix).

    :param findings: the entity's `Finding`s.
    :param entity_id: its id (the sentence leaves out its kind and id, printed beside it).
    """
    return tuple(reader_words(f.message, entity_id, f.code)[0] for f in findings if f.code not in EDITOR_CODES)
