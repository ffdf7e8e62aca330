"""Words for readers: plain text of a rendered body (search), a finding split into the reader's
sentence and the editor's fix (the alignment report), findings as an item's notes."""

from __future__ import annotations

import html as html_mod
import re
from dataclasses import dataclass

from markupsafe import Markup

from stratdocs.findings import Severity
from stratdocs.render.views.common import dated
from stratdocs.render.views.interface import current
from stratdocs.render.views.sentences import reader_sentence

_TAG_RE = re.compile(r"<[^>]+>")
_SPACE_RE = re.compile(r"\s+")
#: A space the tag removal left before punctuation ("the <b>plan</b>." -> "the plan ." -> "the plan.").
_PUNCT_RE = re.compile(r"\s+([.,;:!?)\]])")
#: A finding's message that names its item first: "strategic objective 'SO8' is not executed".
_SUBJECT_RE = re.compile(r"^[A-Za-z][A-Za-z -]* '([^']+)' ")


def plain_text(html: str) -> str:
    text = _SPACE_RE.sub(" ", html_mod.unescape(_TAG_RE.sub(" ", html))).strip()
    return _PUNCT_RE.sub(r"\1", text)


def reader_words(message: str, entity_id: str, code: str = "") -> tuple[Markup, str]:
    """A finding's message split for the alignment report: (what a reader needs, the editor's fix).

    The item's kind and id are dropped when the page shows the item beside the sentence; the fix
    is the part after "; ", or after ": " when it quotes YAML ("add a KPI that 'measures: [SO1]'").

    :param message: the finding's message as `stratdocs check` prints it.
    :param entity_id: the id of the item it is about ('' for none).
    :param code: its code: in a language other than English the sentence is the code's own
        (`sentences.reader_sentence`); the fix stays English, like `check`.
    :returns: the sentence as HTML (its dates kept on one line) and the fix as text.
    """
    original = message
    match = _SUBJECT_RE.match(message)
    named = bool(entity_id and match and match.group(1) == entity_id)
    if named:
        message = message[match.end():]
    sentence, fix = message, ""
    if "; " in message:
        sentence, fix = message.split("; ", 1)
    elif ": " in message and "'" in message.split(": ", 1)[1]:
        sentence, fix = message.split(": ", 1)
    if not named:
        sentence = sentence[:1].upper() + sentence[1:]
    if code and current().language.split("-")[0] != "en":
        sentence = reader_sentence(code, original, entity_id) or sentence
    return dated(sentence), fix[:1].upper() + fix[1:]


@dataclass(frozen=True, slots=True)
class Note:
    """A finding as an item's page shows it (alignment notes, a row's warning tag): the
    `Finding`'s fields, and `text`, its message for the reader. English pages show the check
    message as it is; in another language it is the code's reader sentence
    (`sentences.reader_sentence`), since `check`'s messages stay English by decision."""

    file: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str                 #: the English check message (editors, the board pack's notes)
    entity: str | None
    text: str                    #: the message in the reader's language


def notes(findings) -> tuple[Note, ...]:
    """`findings` (`Finding`s) as notes in the language of the build under way."""
    english = current().language.split("-")[0] == "en"
    return tuple(Note(f.file, f.line, f.col, f.severity, f.code, f.message, f.entity,
                      f.message if english else reader_sentence(f.code, f.message, "") or f.message)
                 for f in findings)
