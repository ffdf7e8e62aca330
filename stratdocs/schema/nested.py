"""The operational objectives and tasks listed inside an operation's front matter."""

from __future__ import annotations

from types import MappingProxyType

from stratdocs import lifecycle
from stratdocs.model import Entity, Ref
from stratdocs.reader import Reader
from stratdocs.schema.common import check_id, common, unknown_keys
from stratdocs.schema.keys import ACTION_STATUSES, NESTED_KEYS, TASK_STATUSES
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence


def nested(r: Reader, node: Node, key: str, kind: str, container: str, inherited: list[Ref]) -> list[Entity]:
    """The entities of one list (`objectives` or `tasks`) of an operation.

    :param node: the list; `key`: its name; `kind`: the kind of its items.
    :param container: the operation's id.
    :param inherited: the operation's `supports`, for items that name none themselves.
    """
    if isinstance(node, Scalar) and node.value is None:
        return []
    if not isinstance(node, Sequence):
        r.fail(node, f"'{key}' must be a list of items, each with id and title")
        return []
    out = []
    for item in node.items:
        if not isinstance(item, Mapping):
            r.fail(item, f"each entry of '{key}' must be a mapping with id and title")
            continue
        if "id" not in item.items:
            r.fail(item, f"an entry of '{key}' has no id; add 'id: …'")
            continue
        entity = _item(r, item, kind, container, inherited)
        if entity is not None:
            out.append(entity)
    return out


def _item(r: Reader, item: Mapping, kind: str, container: str, inherited: list[Ref]) -> Entity | None:
    fields = item.items
    nid = r.text(fields["id"][1], "id")
    if not nid:
        return None
    r.findings.extend(unknown_keys(r.file, fields, NESTED_KEYS[kind], kind, nid))
    check_id(r, nid, fields["id"][1], from_stem=False)
    title = r.text(fields["title"][1], "title") if "title" in fields else None
    if not title:
        r.fail(fields["title"][1] if "title" in fields else item, f"{kind} '{nid}' has no title; add 'title: …'")
        title = nid
    values = common(r, {k: v for k, v in fields.items() if not (kind == "task" and k == "status")}, nid)
    attrs: dict = {}
    if kind == "task":
        _task(r, fields, attrs, values)
    if kind == "action":
        return _action(r, item, nid, title, container, values)
    refs: list[Ref] = r.refs(fields["supports"][1], "supports") if "supports" in fields else list(inherited)
    if "kpis" in fields and kind == "operational-objective":
        refs += r.refs(fields["kpis"][1], "kpis")
    return Entity(
        id=nid, kind=kind, title=title, file=r.file, line=item.line, container=container,
        refs=tuple(refs), attrs=MappingProxyType(attrs),
        key_lines=MappingProxyType({name: (k.line, k.col) for name, (k, _) in fields.items()}),
        **values,
    )


def _action(r: Reader, item: Mapping, nid: str, title: str, container: str, values: dict) -> Entity:
    """An action decided in a review: owner, due date, status (open when none is given), about."""
    fields = item.items
    attrs: dict = {}
    if "due" in fields:
        attrs["due"] = r.date(fields["due"][1], "due")
    values["status"] = (r.choice(fields["status"][1], "status", ACTION_STATUSES) or ""
                        if "status" in fields else "open")
    refs = r.refs(fields["about"][1], "about") if "about" in fields else []
    return Entity(
        id=nid, kind="action", title=title, file=r.file, line=item.line, container=container,
        refs=tuple(refs), attrs=MappingProxyType(attrs),
        key_lines=MappingProxyType({name: (k.line, k.col) for name, (k, _) in fields.items()}),
        **values,
    )


def _task(r: Reader, fields: dict, attrs: dict, values: dict) -> None:
    if "due" in fields:
        attrs["due"] = r.date(fields["due"][1], "due")
    if "resources" in fields:
        attrs["resources"] = r.text(fields["resources"][1], "resources") or ""
    if "status" not in fields:
        values["status"], values["lifecycle"] = "todo", "planned"
        return
    node = fields["status"][1]
    word = r.text(node, "status")
    if word is None:
        return
    mapped = r.statuses.get(lifecycle.fold(word), "")  # the plan's own word for a task status
    status = mapped if mapped in TASK_STATUSES else r.choice(node, "status", TASK_STATUSES) or ""
    values["status"] = status
    values["lifecycle"] = lifecycle.state(status) or "active"
