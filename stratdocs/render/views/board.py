"""The alignment report as a board reads it (issue #11): plain sentences, most serious first.

The sentences are the site's reader words (`words.reader_words`, one owner for the wording);
this module only orders them and leaves out what is for editors: rule ids, file paths and fix
advice stay in `stratdocs check` and in the "For editors" parts of the site's alignment page.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from stratdocs.alignment import FAILURE_MODES
from stratdocs.numbers import plural
from stratdocs.render.views.common import ItemRef
from stratdocs.render.views.reports import AlignmentView, FindingView
from stratdocs.render.views.words import reader_words

#: Warning codes from the most serious for a board to the least: a red objective nobody works
#: on, then strategy nothing executes or measures, then missing feedback, then housekeeping.
SERIOUSNESS = ("red-unaddressed", "no-execution", "no-kpi", "stale-kpi", "suspect", "kpi-unlinked",
               "review-overdue", "orphan", "no-owner", "horizon")
#: Codes about how the plan is written, not about the strategy: counted, not listed.
EDITOR_CODES = frozenset(("unknown-key", "blocked-fetch", "asset", "external-image"))
#: The failure mode's title for each code, the reader's name for a check ("Missing link ...").
MODE_OF = {code: title for title, codes, _ in FAILURE_MODES for code in codes}


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
        return plural(len(self.findings), "finding")

    @property
    def waivers_text(self) -> str:
        return plural(len(self.waivers), "accepted gap")

    @property
    def editor_text(self) -> str:
        """"2 notes for the plan's editors"."""
        return plural(self.editor_notes, "note") + " for the plan’s editors"

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
    findings = tuple(BoardFinding(f.ref, f.sentence, MODE_OF.get(f.code, "Content errors"), f.severity)
                     for f in shown)
    clear = tuple(m.title for m in view.modes if not any(f.code not in EDITOR_CODES for f in m.findings)
                  and not set(m.codes) <= EDITOR_CODES)
    waivers = tuple(BoardWaiver(w.ref, MODE_OF.get(w.code, w.code), w.reason) for w in view.waivers)
    return BoardAlignmentView(findings, clear, waivers, len(found) - len(shown), len(view.errors))


def entity_notes(findings, entity_id: str) -> tuple[Markup | str, ...]:
    """An entity block's alignment notes in the reader's words (no rule id or fix).

    :param findings: the entity's `Finding`s.
    :param entity_id: its id (the sentence leaves out its kind and id, printed beside it).
    """
    return tuple(reader_words(f.message, entity_id)[0] for f in findings if f.code not in EDITOR_CODES)
