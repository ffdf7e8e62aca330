"""A risk's own keys (`content/risks/`): likelihood and impact (1–5), what it threatens, its mitigation.

`mitigation:` is written three ways: text (`mitigation: "Dual-region hosting"`), a list of the
initiatives or tasks that mitigate it (`mitigation: [I5, T-EU-3]`), or both as a mapping
(`mitigation: {by: [I5], text: "…"}`). The ids become references of key `mitigation`, checked
like every reference (broken-ref with a suggestion, wrong-kind).
"""

from __future__ import annotations

from stratdocs.model import Ref
from stratdocs.reader import Reader, is_number
from stratdocs.schema.keys import MITIGATION_KEYS
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence

#: The scale of likelihood and impact.
RATING_MIN, RATING_MAX = 1, 5


def rating(r: Reader, node: Node, key: str) -> int | None:
    """A whole number from 1 to 5, unquoted."""
    if is_number(node) and float(node.value).is_integer() and RATING_MIN <= node.value <= RATING_MAX:
        return int(node.value)
    shown = node.text[:40] if isinstance(node, Scalar) else "a list or mapping"
    r.fail(node, f"'{key}' must be a whole number from {RATING_MIN} to {RATING_MAX}, not '{shown}'")
    return None


def risk(r: Reader, items: dict) -> tuple[dict, list[Ref]]:
    """The attrs (`likelihood`, `impact`, `mitigation_text`) and mitigation references of a risk."""
    attrs: dict = {}
    for key in ("likelihood", "impact"):
        if key in items:
            value = rating(r, items[key][1], key)
            if value is not None:
                attrs[key] = value
    refs: list[Ref] = []
    if "mitigation" in items:
        text, refs = _mitigation(r, items["mitigation"][1])
        if text:
            attrs["mitigation_text"] = text
    return attrs, refs


def _mitigation(r: Reader, node: Node) -> tuple[str, list[Ref]]:
    if isinstance(node, Scalar):
        return (r.text(node, "mitigation") or "").strip(), []
    if isinstance(node, Sequence):
        return "", r.refs(node, "mitigation")
    fields = r.mapping(node, "mitigation", MITIGATION_KEYS) if isinstance(node, Mapping) else None
    if fields is None:
        return "", []
    text = (r.text(fields["text"], "mitigation.text") or "").strip() if "text" in fields else ""
    refs = r.refs(fields["by"], "mitigation") if "by" in fields else []
    return text, refs
