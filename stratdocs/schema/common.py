"""What every entity has: an id, a title, the common keys, waivers and unknown-key warnings."""

from __future__ import annotations

import re
from types import MappingProxyType

from stratdocs import lifecycle
from stratdocs.findings import WARNING_CODES, Finding, warning
from stratdocs.reader import Reader
from stratdocs.schema.keys import ID_RE
from stratdocs.suggest import did_you_mean
from stratdocs.yamlnodes import Mapping, Node

_HEADING_RE = re.compile(r"^#[ \t]+([^\n]+)$", re.MULTILINE)  # no lazy match: linear on long lines


def first_heading(body: str) -> str | None:
    """The text of the first ``# Heading`` of a Markdown body, if any."""
    match = _HEADING_RE.search(body)
    if not match:
        return None
    return (match[1].rstrip(" \t#") or match[1][:1]).strip()


def unknown_keys(file: str, items: dict, allowed: tuple[str, ...], kind: str, entity_id: str) -> list[Finding]:
    """`unknown-key` warnings, tied to their entity so that a `waive` on it can silence them.

    :param items: the mapping's items (name -> (key node, value node)); `allowed`: its keys.
    """
    article = "an" if kind[0] in "aeiou" else "a"
    return [warning(file, knode.line, knode.col, "unknown-key",
                    f"unknown key '{name}' for {article} {kind}{did_you_mean(name, allowed)} "
                    "(custom keys start with 'x-')", entity_id)
            for name, (knode, _) in items.items() if name not in allowed and not name.startswith("x-")]


def check_id(r: Reader, value: str, node: Node, from_stem: bool) -> None:
    """Report an id that is not valid; `from_stem` when it comes from the file name."""
    if value.lower() == "index":  # its page would be the folder's index page (objectives/index.html)
        r.fail(node, f"'{value}' cannot be an id: the name is taken by each folder's index page; "
                     "rename the file or set another 'id:'")
        return
    if ID_RE.match(value):
        return
    if from_stem:
        r.fail(node, f"file name '{value}' is not a valid id; rename the file or set 'id:' "
                     "(letters, digits, '.', '_', '-'; at most 64 characters)")
    else:
        r.fail(node, f"id '{value}' is not valid: use letters, digits, '.', '_' and '-', "
                     "starting with a letter or digit, at most 64 characters")


def common(r: Reader, items: dict, entity_id: str | None = None) -> dict:
    """The common keys (summary, owner, status, tags, review_by, updated, waive) as Entity fields."""
    out: dict = {}
    for key in ("summary", "owner", "status"):
        if key in items:
            out[key] = (r.text(items[key][1], key) or "").strip()
    if out.get("status"):
        out["lifecycle"] = _lifecycle(r, out["status"], items["status"][1], entity_id)
    if "tags" in items:
        out["tags"] = r.strings(items["tags"][1], "tags")
    for key in ("review_by", "updated"):
        if key in items:
            out[key] = r.date(items[key][1], key)
    if "waive" in items:
        out["waive"] = _waive(r, items["waive"][1])
    return out


def _lifecycle(r: Reader, word: str, node: Node, entity_id: str | None) -> str:
    """The state the status `word` names; a word stratdocs cannot read is an `unknown-status`
    warning and counts as active (the warning says so: it may hide that nothing addresses a red
    objective)."""
    found = lifecycle.state(word, r.statuses)
    if found is not None:
        return found
    known = tuple(lifecycle.WORDS) + tuple(r.statuses)
    r.findings.append(warning(
        r.file, node.line, node.col, "unknown-status",
        f"status '{word}' is not one stratdocs knows, so it counts as active work; use one of "
        f"{', '.join(lifecycle.STATES)} (or in progress, cancelled, …), or map your word in stratdocs.yml, "
        f"like statuses: {{{word}: dropped}}{did_you_mean(lifecycle.fold(word), known)}", entity_id))
    return "active"


def _waive(r: Reader, node: Node) -> MappingProxyType:
    if not isinstance(node, Mapping):
        r.fail(node, "'waive' must map warning codes to reasons, like {no-kpi: \"reason\"}")
        return MappingProxyType({})
    waived = {}
    for code, (knode, value) in node.items.items():
        if code not in WARNING_CODES:
            r.fail(knode, f"cannot waive '{code}': not a warning code{did_you_mean(code, WARNING_CODES)}")
            continue
        reason = r.text(value, f"waive.{code}")
        if not reason or not reason.strip():
            r.fail(value, f"waiving '{code}' needs a reason, so the accepted gap stays explained")
            continue
        waived[code] = reason.strip()
    return MappingProxyType(waived)
