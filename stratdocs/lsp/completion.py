"""Id completion in reference keys (``supports: [SO1, S``) and after ``[[`` in the body."""

from __future__ import annotations

from lsprotocol import types

from stratdocs.lsp import text
from stratdocs.model import Plan
from stratdocs.trace import TARGET_KINDS

#: Characters after which an editor should ask for completions.
TRIGGERS = ["[", ",", " "]


def complete(plan: Plan, lines: list[str], line: int, char: int) -> tuple[list[tuple[str, str, str]], int] | None:
    """The ids to offer at (`line`, `char`) and where the typed part starts, or None there.

    Returns ((id, kind, title) of the candidates, start character of the partial id). In a
    reference key only ids of the kinds that key may name are offered (`trace.TARGET_KINDS`).

    :param plan: the loaded plan; `lines`: the document's lines without line ends.
    """
    if line >= len(lines):
        return None
    key = text.reference_key(lines, line, char)
    if key is not None:
        kinds = TARGET_KINDS.get(key, TARGET_KINDS["about"])
        partial = text.PARTIAL_ID.search(lines[line][:char])[0]
    else:
        typed = text.open_link(lines, line, char)
        if typed is None:
            return None
        kinds, partial = TARGET_KINDS["link"], typed
    folded = partial.lower()
    found = sorted(((e.id, e.kind, e.title) for e in plan if e.kind in kinds and e.id.lower().startswith(folded)),
                   key=lambda c: c[0].lower())
    return found, char - len(partial)


def items(candidates: list[tuple[str, str, str]], edit_range: types.Range) -> types.CompletionList:
    """The completion list: each id with its title as detail and its kind beside the label.

    :param edit_range: what a chosen id replaces (the partial id typed so far).
    """
    return types.CompletionList(is_incomplete=False, items=[
        types.CompletionItem(label=eid, kind=types.CompletionItemKind.Reference, detail=title,
                             label_details=types.CompletionItemLabelDetails(description=kind),
                             text_edit=types.TextEdit(range=edit_range, new_text=eid), filter_text=eid)
        for eid, kind, title in candidates])
