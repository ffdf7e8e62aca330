"""The content schema: front-matter nodes in, typed `Entity` values and findings out.

Each kind lists the keys it accepts (SPEC §4, `schema.keys`). Values are checked against their
type where they are written, so a finding names the line of the offending key or value. A bad
value is reported and left out; the entity is still built so that references to it resolve and
one mistake does not hide the next. The common keys are read in `schema.common`, each kind's
own in `schema.kinds` and `schema.kpi`, an operation's nested items in `schema.nested`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType

from stratdocs.csvdata import DEFAULT_FORMAT, CsvFormat
from stratdocs.findings import Finding, error, warning
from stratdocs.links import body_links, outside_images
from stratdocs.model import FILE_KINDS, Entity, Ref
from stratdocs.reader import Reader
from stratdocs.schema.bounds import body_problems
from stratdocs.schema.commentary import commentary
from stratdocs.schema.delivery import delivery as read_delivery
from stratdocs.schema.common import check_id, common, first_heading, unknown_keys
from stratdocs.schema.keys import (COMMON_KEYS, DIRECTIONS, FREQUENCIES, ID_RE, KIND_KEYS, LEVELS, NESTED_KEYS,
                                   PERSPECTIVES, REF_KEYS, STRATEGIES, TASK_STATUSES)
from stratdocs.schema.kinds import KIND_READERS
from stratdocs.schema.kpi import kpi as read_kpi
from stratdocs.schema.nested import nested
from stratdocs.sources import SourceFile
from stratdocs.yamlnodes import Scalar

@dataclass(frozen=True)
class ReadOptions:
    """What `stratdocs.yml` says about how content is written: the plan's own status words
    (folded word -> a word stratdocs knows) and the format of its CSV data files."""

    statuses: Mapping[str, str] = field(default_factory=dict)
    csv: CsvFormat = DEFAULT_FORMAT


__all__ = ["ReadOptions", "COMMON_KEYS", "DIRECTIONS", "FREQUENCIES", "ID_RE", "KIND_KEYS", "LEVELS", "NESTED_KEYS",
           "PERSPECTIVES", "REF_KEYS", "STRATEGIES", "TASK_STATUSES", "body_links", "build_entities",
           "first_heading"]


def build_entities(src: SourceFile, root: Path, content_dir: str,
                   perspectives=PERSPECTIVES, options: ReadOptions = ReadOptions()) -> tuple[list[Entity], list[Finding]]:
    """Turn one parsed file into its entity (plus nested ones for an operation).

    :param src: the file as `sources.read` returned it (with front matter).
    :param root: the project folder and `content_dir` its content folder, for a KPI's CSV data.
    :param perspectives: the perspective keys objectives may name (the config's `perspectives`).
    :param options: how the plan writes statuses and CSV files in its own language.
    """
    findings: list[Finding] = []
    r = Reader(src.path, findings, statuses=options.statuses)
    items = src.meta.items
    kind = src.kind
    if "kind" in items:
        kind = r.choice(items["kind"][1], "kind", FILE_KINDS) or kind
    allowed = COMMON_KEYS + KIND_KEYS[kind]
    entity_id = _entity_id(r, src, allowed, kind)
    title = _title(r, src, entity_id)
    values = common(r, items, entity_id)
    attrs, refs = KIND_READERS[kind](r, items, perspectives) if kind == "objective" else KIND_READERS[kind](r, items)
    if "commentary" in items and "commentary" in allowed:
        attrs["commentary"] = commentary(r, items["commentary"][1])
    kpi = read_kpi(r, items, root, content_dir, options.csv) if kind == "kpi" else None
    if kind == "initiative" and (planned := read_delivery(r, items, root, content_dir, options.csv)) is not None:
        attrs["delivery"] = planned
        if planned.budget is not None:  # the plain figures, as before delivery tracking
            attrs["budget"], attrs["currency"] = planned.budget.amount, planned.budget.currency
    for key in REF_KEYS:
        if key in items and key in allowed and key != "parent":
            refs += r.refs(items[key][1], key)
    refs += body_links(src.body, src.body_line)
    findings += _body_findings(src, entity_id)
    children = _operation_items(r, items, entity_id, refs, attrs) if kind == "operation" else []
    if kind == "review":
        children = _review_actions(r, items, entity_id, attrs)
    entity = Entity(
        id=entity_id, kind=kind, title=title, file=src.path, line=items["id"][1].line if "id" in items else 1,
        body=src.body, body_line=src.body_line, refs=tuple(refs),
        children=tuple(e.id for e in children), attrs=MappingProxyType(attrs),
        key_lines=MappingProxyType({name: (k.line, k.col) for name, (k, _) in items.items()}),
        kpi=kpi, **values,
    )
    return [entity, *children], findings


def _body_findings(src: SourceFile, entity_id: str) -> list[Finding]:
    """What the body of `src` holds that the site will not show as written: parts too deeply
    nested to render (errors), and images that would load from outside the site (`external-image`,
    shown to readers as plain links)."""
    found = [error(src.path, line, col, "schema", message, entity_id)
             for line, col, message in body_problems(src.body, src.body_line)]
    found += [warning(src.path, image.line, image.col, "external-image",
                      f"image '{image.url[:200]}' is not a file of the site, so readers see a link instead; put it "
                      "under content/assets and link it relatively", entity_id)
              for image in outside_images(src.body, src.body_line)]
    return found


def _entity_id(r: Reader, src: SourceFile, allowed: tuple[str, ...], kind: str) -> str:
    """The `id:` (else the file stem), checked; unknown keys are reported against it."""
    items = src.meta.items
    entity_id = PurePosixPath(src.path).stem
    if "id" in items:
        entity_id = r.text(items["id"][1], "id") or entity_id
    r.findings.extend(unknown_keys(src.path, items, allowed, kind, entity_id))
    node = items["id"][1] if "id" in items else Scalar(1, 1, entity_id, entity_id, False)
    check_id(r, entity_id, node, from_stem="id" not in items)
    return entity_id


def _title(r: Reader, src: SourceFile, entity_id: str) -> str:
    """The `title:`, else the body's first heading, else (with a finding) the id."""
    items = src.meta.items
    title = r.text(items["title"][1], "title") if "title" in items else None
    if not title:
        title = first_heading(src.body)
    if not title:
        where = items["title"][1] if "title" in items else src.meta
        r.fail(where, "missing title; add 'title: …' to the front matter or start the body with '# Title'")
        title = entity_id
    return title


def _operation_items(r: Reader, items: dict, entity_id: str, refs: list[Ref], attrs: dict) -> list[Entity]:
    """An operation's nested objectives and tasks; their ids go into `attrs`."""
    inherited = [ref for ref in refs if ref.key == "supports"]
    children: list[Entity] = []
    for key, kind in (("objectives", "operational-objective"), ("tasks", "task")):
        if key in items:
            children += nested(r, items[key][1], key, kind, entity_id, inherited)
    attrs["objectives"] = tuple(e.id for e in children if e.kind == "operational-objective")
    attrs["tasks"] = tuple(e.id for e in children if e.kind == "task")
    return children


def _review_actions(r: Reader, items: dict, entity_id: str, attrs: dict) -> list[Entity]:
    """A review's `actions`: nested items in the plan's id space; their ids go into `attrs`."""
    actions = nested(r, items["actions"][1], "actions", "action", entity_id, []) if "actions" in items else []
    attrs["actions"] = tuple(e.id for e in actions)
    return actions
