"""The reader's sentence of each finding code in the plan's language (issue #16).

`stratdocs check` speaks English (for CI and editors: its messages, rule ids and fixes are the
reference), so an English site trims the check message (`words.reader_words`). In any other
language a finding's sentence comes from this table instead: one message per code and variant,
written for readers, with the few values that can be read reliably from the English message
(ids, dates, numbers) taken out by a regex of the same variant and put in as placeholders.

A sentence is either a *predicate* that follows the item's name, printed beside it ("is not
executed: …"), or *standalone* (it names its own subject: "Milestone M2 was due on …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stratdocs.i18n import N_
from stratdocs.numbers import format_date, localise
from stratdocs.render.views.interface import current

_ID = r"'(?P<{}>[^']+)'"
_DATE = r"(?P<{}>\d{{4}}-\d{{2}}-\d{{2}})"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One variant of a code's reader sentence."""

    message: str                 #: the msgid (English), with `%(name)s` placeholders
    pattern: str = ""            #: a regex on the English check message; '' matches any
    standalone: bool = False     #: it names its own subject (else it follows the item's name)


def _p(text: str) -> str:
    """A pattern with `{id:NAME}` and `{date:NAME}` groups."""
    return re.sub(r"\{(id|date):(\w+)\}", lambda m: (_ID if m.group(1) == "id" else _DATE).format(m.group(2)), text)


#: code -> its variants, the first whose pattern matches the English message is used.
SENTENCES: dict[str, tuple[Sentence, ...]] = {
    "no-execution": (Sentence(N_("is not executed: no initiative, strategy or operational plan supports it")),),
    "orphan": (Sentence(N_("serves no strategic objective")),),
    "no-kpi": (Sentence(N_("has no KPI that measures it")),),
    "kpi-unlinked": (Sentence(N_("drives no strategic KPI")),),
    "review-overdue": (Sentence(N_("was due for review on %(day)s"), _p(r"due for review on {date:day}")),
                       Sentence(N_("is past its review date"))),
    "stale-kpi": (Sentence(N_("has no actuals yet"), r"has no actuals yet"),
                  Sentence(N_("is stale: its latest actual, of %(day)s, is more than two reporting periods old"),
                           _p(r"latest actual {date:day}")),
                  Sentence(N_("has no recent actuals"))),
    "horizon": (Sentence(N_("spans less than a year, but strategic objectives set long-term direction"),
                         r"^strategic objective"),
                Sentence(N_("spans more time than an operational plan should"))),
    "no-owner": (Sentence(N_("has no owner")),),
    "red-unaddressed": (Sentence(N_("is red and no active initiative, plan or task works on it")),),
    "stale-commentary": (Sentence(N_("is red and its latest figures have no commentary yet"), r" is red "),
                         Sentence(N_("is amber and its latest figures have no commentary yet"))),
    "suspect": (Sentence(N_("may no longer fit %(parent)s, which changed: its owner should re-confirm the link"),
                         _p(r"is suspect: {id:parent}")),
                Sentence(N_("The record of re-confirmed links cannot be read"), standalone=True)),
    "unknown-key": (Sentence(N_("has a key stratdocs does not know: %(key)s"), _p(r"unknown key {id:key}")),),
    "unknown-status": (Sentence(N_("has a status stratdocs does not know (%(status)s), so it counts as active work"),
                                _p(r"status {id:status}")),),
    "external-image": (Sentence(N_("shows an image that is not a file of the site, so readers see a link instead")),),
    "blocked-fetch": (Sentence(N_("Document %(document)s refused to fetch a file from outside the project"),
                               _p(r"document {id:document}"), standalone=True),),
    "asset": (Sentence(N_("A file is not published: it is a link outside the project or not a readable file"),
                       standalone=True),),
    "milestone-overdue": (Sentence(N_("Milestone %(milestone)s was due on %(day)s and is not done"),
                                   _p(r"milestone {id:milestone} .* due on {date:day}"), standalone=True),),
    "initiative-behind-schedule": (
        Sentence(N_("is behind schedule: %(progress)s done with %(elapsed)s of its time elapsed"),
                 r"(?P<progress>\d+%) done with (?P<elapsed>\d+%) of its time"),),
    "initiative-over-budget": (Sentence(N_("is over budget")),),
    "action-overdue": (Sentence(N_("was due on %(day)s and is still open"), _p(r"due on {date:day}")),),
    "action-no-owner": (Sentence(N_("has no owner")),),
    "risk-unmitigated": (Sentence(N_("is a high risk (score %(score)s, high from %(high)s) without mitigation"),
                                  r"= (?P<score>\d+), at least (?P<high>\d+)\)"),),
    "risk-review-overdue": (Sentence(N_("was due for review on %(day)s"), _p(r"due for review on {date:day}")),),
}


def _value(name: str, text: str, language: str) -> str:
    if name == "day":
        return format_date(date.fromisoformat(text), language).replace(" ", "\u00a0")  # one line, like ISO dates
    if text.endswith("%"):  # "40%" -> "40 %" (de, fr)
        number = localise(text[:-1], language)
        return number + ("%" if language.split("-")[0] == "en" else "\u00a0%")
    return text


def reader_sentence(code: str, message: str, entity_id: str) -> str | None:
    """The reader's sentence of a finding in the build's language, None when there is none (the
    code has no entry: English trimming is used).

    :param code: the finding's code.
    :param message: its English message (as `check` prints it), read for the placeholders.
    :param entity_id: the item the page shows beside the sentence ('' for none).
    """
    ui = current()
    for variant in SENTENCES.get(code, ()):
        match = re.search(variant.pattern, message) if variant.pattern else None
        if variant.pattern and match is None:
            continue
        values = {k: _value(k, v, ui.language) for k, v in (match.groupdict() if match else {}).items()}
        text = ui.gettext(variant.message) % values
        if variant.standalone or entity_id:
            return text
        subject = re.match(r"^[A-Za-z][A-Za-z -]* '([^']+)' ", message)
        return f"{subject.group(1)} {text}" if subject else text[:1].upper() + text[1:]
    return None
