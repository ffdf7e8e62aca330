"""The traceability graph (SPEC §5).

`build()` is the only writer: it assembles the plan (reporting duplicate ids), resolves every
reference (broken-ref, wrong-kind), removes the links that close a cycle (reporting them) and
precomputes what every page needs. `TraceIndex` is the read-only result pages query.

The graph points upward: task -> operational objective -> operation -> initiative/strategy ->
objective -> parent objective; a KPI points up to what it measures and drives.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property
from types import MappingProxyType
from typing import Mapping, NamedTuple

from stratdocs.findings import Finding, error
from stratdocs.itemmemo import EDITS, latest
from stratdocs.model import KINDS, Entity, Plan, Ref, noun
from stratdocs.suggest import did_you_mean

ALL = frozenset(KINDS)
TARGET_KINDS = {
    "supports": frozenset(("objective", "initiative", "strategy", "operation", "operational-objective")),
    "parent": frozenset(("objective",)),
    "enables": frozenset(("objective",)),  # cause and effect between objectives (the strategy map's dashed arrows)
    "measures": frozenset(("objective", "operational-objective", "initiative", "strategy", "operation")),
    "drives": frozenset(("kpi",)),
    "kpis": frozenset(("kpi",)),
    "about": ALL,
    "link": ALL,
    "threatens": frozenset(("objective", "initiative", "operational-objective")),
    "mitigation": frozenset(("initiative", "strategy", "operation", "operational-objective", "task", "action")),
}
#: Keys that carry traceability upward, and those that must stay acyclic.
UP_KEYS = ("supports", "parent", "measures", "drives")
MAX_CHAINS = 12


class Edge(NamedTuple):
    """One resolved link of the graph (a named tuple: 50,000 are made per load at 10,000)."""

    key: str     # supports, parent, measures, drives, about (reversed kpis count as measures)
    other: str   # the id at the other end
    line: int = 0


@dataclass(frozen=True)
class TraceIndex:
    """Read-only traceability queries over a built plan."""

    plan: Plan
    up: Mapping[str, tuple[Edge, ...]]
    down: Mapping[str, tuple[Edge, ...]]
    traces_to: Mapping[str, tuple[str, ...]]   # strategic objective ids, in plan order
    objective_children: Mapping[str, tuple[str, ...]]

    @cached_property
    def chains(self) -> Mapping[str, tuple[tuple[str, ...], ...]]:
        """Each item's chains upward (at most MAX_CHAINS): made when first asked for (pages
        show them; `check` never asks)."""
        return MappingProxyType(_chains(self.plan, self.up))

    def served_by(self, entity_id: str) -> list[tuple[Entity, bool]]:
        """Everything that traces to an entity, transitively: (entity, is_direct) in plan order."""
        direct = {e.other for e in self.down.get(entity_id, ()) if e.key in UP_KEYS}
        seen: set[str] = set()
        stack = list(direct)
        while stack:
            current = stack.pop()
            if current in seen:
                continue
            seen.add(current)
            stack.extend(e.other for e in self.down.get(current, ()) if e.key in UP_KEYS)
            entity = self.plan.entities[current]
            if entity.kind == "operation":
                stack.extend(entity.children)
        seen.discard(entity_id)
        entities = self.plan.entities
        return [(entities[i], i in direct) for i in sorted(seen, key=self.plan.position.__getitem__)]

    def measured_by(self, entity_id: str) -> list[str]:
        """KPIs that measure an item directly, in plan order."""
        ids = {e.other for e in self.down.get(entity_id, ()) if e.key == "measures"}
        return sorted(ids, key=self.plan.position.__getitem__)

    def reviews_of(self, entity_id: str) -> list[Entity]:
        return [self.plan.entities[e.other] for e in self.down.get(entity_id, ())
                if e.key == "about" and self.plan.entities[e.other].kind == "review"]

    def actions_on(self, entity_id: str) -> list[Entity]:
        """Actions decided in reviews that are about an item, in plan order."""
        return [self.plan.entities[e.other] for e in self.down.get(entity_id, ())
                if e.key == "about" and self.plan.entities[e.other].kind == "action"]

    def risks_to(self, entity_id: str) -> list[Entity]:
        """Risks that threaten an item, in plan order."""
        return [self.plan.entities[e.other] for e in self.down.get(entity_id, ()) if e.key == "threatens"]

    def mitigates(self, entity_id: str) -> list[Entity]:
        """Risks an item is named as mitigation of, in plan order."""
        return [self.plan.entities[e.other] for e in self.down.get(entity_id, ()) if e.key == "mitigation"]

    def mentions_of(self, entity_id: str) -> list[Entity]:
        return [self.plan.entities[e.other] for e in self.down.get(entity_id, ()) if e.key == "link"]

    def descendants(self, objective_id: str) -> list[str]:
        """Sub-objectives of an objective, at any depth (not including itself)."""
        out, stack = [], list(self.objective_children.get(objective_id, ()))
        while stack:
            current = stack.pop(0)
            if current not in out:
                out.append(current)
                stack.extend(self.objective_children.get(current, ()))
        return out


def assemble(entities: list[Entity]) -> tuple[Plan, list[Finding]]:
    """Index entities by id, reporting ids used twice (ignoring case)."""
    findings: list[Finding] = []
    by_id: dict[str, Entity] = {}
    folded: dict[str, str] = {}
    for entity in entities:
        key = entity.id.lower()
        if key in folded:
            first = by_id[folded[key]]
            line = entity.line
            findings.append(error(entity.file, line, 1, "duplicate-id",
                                  f"id '{entity.id}' is already used by {first.file}:{first.line}; "
                                  "ids must be unique (ignoring case): rename one", entity.id))
            continue
        folded[key] = entity.id
        by_id[entity.id] = entity
    plans = [e for e in by_id.values() if e.kind == "plan"]
    for extra in plans[1:]:
        findings.append(error(extra.file, 1, 1, "schema", f"a second plan (the first is {plans[0].file}); "
                              "a project has exactly one plan.md", extra.id))
    return Plan(MappingProxyType(by_id), MappingProxyType(folded)), findings


def assemble_kept(entities: list[Entity], memo: dict | None) -> tuple[Plan, list[Finding]]:
    """`assemble`; with the preview's tables (`itemmemo`), after a load that edited only a few
    items (`itemmemo.latest`) of a plan that had no finding, the last plan with those in their
    place (`reassemble`)."""
    last = memo.get("plan") if memo is not None else None
    edited = latest(memo, last[0]) if last is not None and not last[2] else None
    plan, found = (reassemble(last[1], edited), []) if edited is not None else (None, [])
    if plan is None:
        plan, found = assemble(entities)
    if memo is not None:
        memo["plan"] = (memo.get(EDITS), plan, tuple(found))
    return plan, found


def reassemble(plan: Plan, edited: Mapping[str, Entity]) -> Plan | None:
    """What `assemble` makes of `plan`'s entities with the `edited` ones (by id) in their place,
    when `plan` had no finding: the same ids in the same order, so the same lookup and positions.
    None when an edited item is not in `plan` or is of another kind."""
    before = plan.entities
    if any(eid not in before or before[eid].kind != entity.kind for eid, entity in edited.items()):
        return None
    by_id = dict(before)
    by_id.update(edited)
    made = Plan(MappingProxyType(by_id), plan.folded)
    known = vars(plan)
    if "position" in known:
        vars(made)["position"] = known["position"]
    if "_kinds" in known:  # each kind's items, with the edited ones in their place
        kinds = {entity.kind for entity in edited.values()}
        vars(made)["_kinds"] = MappingProxyType({kind: tuple(by_id[e.id] for e in group) if kind in kinds else group
                                                 for kind, group in known["_kinds"].items()})
    return made


def build(plan: Plan, unreadable=frozenset()) -> tuple[TraceIndex, list[Finding]]:
    """Resolve references and build the read-only index; ids in `unreadable` (files that
    failed to parse) are skipped, not reported.

    :param plan: the assembled plan.
    :param unreadable: ids of files that could not be parsed (already reported).
    """
    up, down, findings = _resolve(plan, {i.lower() for i in unreadable})
    findings += _break_cycles(plan, up)
    for edges in (down, up):
        for key, found in edges.items():
            if len(found) > 1:  # one edge is its own list, most are
                edges[key] = _dedupe(found)
    children: dict[str, list[str]] = defaultdict(list)
    for entity in plan.of_kind("objective"):
        for edge in up.get(entity.id, ()):
            if edge.key == "parent":
                children[edge.other].append(entity.id)
    index = TraceIndex(
        plan=plan,
        up=MappingProxyType({k: tuple(v) for k, v in up.items()}),
        down=MappingProxyType({k: tuple(v) for k, v in down.items()}),
        traces_to=MappingProxyType(_traces(plan, up)),
        objective_children=MappingProxyType({k: tuple(v) for k, v in children.items()}),
    )
    return index, findings


class BuildMemo:
    """`build`, remembered between loads in one process (the preview, `project.FileMemo`): an
    edit that leaves every item's id, kind, file, line, references and nested items as they
    were (a title, a body's text, a KPI's actuals) gives the same index and findings, so the
    last ones are taken with the new plan instead of walking the whole graph again (issue 15)."""

    def __init__(self) -> None:
        self._last: tuple | None = None  # (links_key, index, findings)
        self._mark: tuple | None = None  # the mark of the load `_last` was built for (`itemmemo.Edits`)

    def build(self, plan: Plan, unreadable=frozenset(), mark: tuple | None = None) -> tuple[TraceIndex, list[Finding]]:
        """What `build(plan, unreadable)` returns.

        :param mark: the load's mark (`itemmemo.Edits`): right after the last load, only the
            items it edited may differ from the last plan's, so only their links are compared.
        """
        last, then, self._mark = self._last, self._mark, mark
        edited = mark[0].last(mark, then) if mark is not None and last is not None else None
        if edited is not None and last[1].plan.folded is plan.folded and last[0][0] == frozenset(unreadable) \
                and all(_links(entity) == _links(last[1].plan.entities[eid]) for eid, entity in edited.items()):
            key = last[0]  # what `links_key` would be: the last one
        else:
            key = links_key(plan, unreadable)
        if last is not None and last[0] == key:
            index = replace(self._last[1], plan=plan)
            if "chains" in vars(self._last[1]):  # they read only the links: the same chains
                vars(index)["chains"] = self._last[1].chains
            return index, list(self._last[2])
        index, findings = build(plan, unreadable)
        self._last = (key, index, tuple(findings))
        return index, findings


def links_key(plan: Plan, unreadable=frozenset()) -> tuple:
    """Everything of the plan `build` reads: the order of items and, of each, what it reads (`_links`)."""
    return frozenset(unreadable), tuple((e.id, e.kind, e.file, e.line, e.refs, e.children) for e in plan)


def _links(e: Entity) -> tuple:
    return e.id, e.kind, e.file, e.line, e.refs, e.children


def _resolve(plan: Plan, unreadable: set[str]) -> tuple[dict, dict, list[Finding]]:
    """Edges up and down for every reference that resolves; a finding for every one that does not."""
    findings: list[Finding] = []
    up: dict[str, list[Edge]] = defaultdict(list)
    down: dict[str, list[Edge]] = defaultdict(list)
    all_ids = None
    entities, folded = plan.entities, plan.folded.get  # `plan.get`, inlined: 25,000 calls at 10,000
    for entity in plan:
        for ref in entity.refs:
            if ref.key == "file":  # relative links to files are checked against the file system
                continue
            found = folded(ref.target.lower())
            target = entities[found] if found is not None else None
            if target is None:
                if ref.target.lower() not in unreadable:
                    all_ids = all_ids if all_ids is not None else list(plan.entities)
                    findings.append(_broken(entity, ref, all_ids))
            elif target.kind not in TARGET_KINDS[ref.key]:
                findings.append(_wrong_kind(entity, ref, target))
            elif target.id == entity.id and ref.key != "link":
                findings.append(error(entity.file, ref.line, ref.col, "cycle",
                                      f"'{entity.id}' {ref.key} itself; remove that reference", entity.id))
            elif ref.key == "kpis":  # an operational objective lists the KPIs that measure it
                up[target.id].append(Edge("measures", entity.id, ref.line))
                down[entity.id].append(Edge("measures", target.id, ref.line))
            elif ref.key in UP_KEYS:
                up[entity.id].append(Edge(ref.key, target.id, ref.line))
                down[target.id].append(Edge(ref.key, entity.id, ref.line))
            else:
                down[target.id].append(Edge(ref.key, entity.id, ref.line))
    return up, down, findings


def _closure(up: Mapping[str, list[Edge]], start: str, closure: dict[str, frozenset[str]]) -> frozenset[str]:
    """Everything `start` reaches upward, by an iterative post-order walk memoised in `closure`
    (the graph is acyclic: cycles were broken before)."""
    stack = [(start, False)]
    while stack:
        node, expanded = stack.pop()
        if node in closure:
            continue
        parents = up.get(node, ())
        if expanded:
            acc: set[str] = set()
            for edge in parents:
                acc.add(edge.other)
                acc |= closure[edge.other]
            closure[node] = frozenset(acc)
        else:
            stack.append((node, True))
            stack.extend((edge.other, False) for edge in parents if edge.other not in closure)
    return closure[start]


def _traces(plan: Plan, up: Mapping[str, list[Edge]]) -> dict[str, tuple[str, ...]]:
    """The strategic objectives each item traces to (an operation: also through its nested items)."""
    order = {eid: i for i, eid in enumerate(plan.entities)}
    objectives = frozenset(e.id for e in plan if e.kind == "objective")
    closure: dict[str, frozenset[str]] = {}
    traces: dict[str, tuple[str, ...]] = {}
    for entity in plan:
        reached = set(_closure(up, entity.id, closure))
        if entity.kind == "operation":
            for child in entity.children:
                if child in plan.entities:
                    reached |= _closure(up, child, closure)
        traces[entity.id] = tuple(sorted((r for r in reached if r in objectives and r != entity.id),
                                         key=order.__getitem__))
    return traces


def _chains(plan: Plan, up: Mapping[str, list[Edge]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    """Each item's chains upward (at most MAX_CHAINS), by an iterative post-order walk."""
    chains: dict[str, tuple[tuple[str, ...], ...]] = {}
    for entity in plan:
        stack = [(entity.id, False)]
        while stack:
            current, expanded = stack.pop()
            if current in chains:
                continue
            parents = [e.other for e in up.get(current, ())]
            if not expanded:
                stack.append((current, True))
                stack.extend((p, False) for p in parents if p not in chains)
                continue
            out: list[tuple[str, ...]] = []
            for parent in parents:
                out += [(parent, *chain) for chain in chains[parent] or ((),)][:MAX_CHAINS - len(out)]
                if len(out) >= MAX_CHAINS:
                    break
            chains[current] = tuple(out)
    return chains


def _dedupe(edges: list[Edge]) -> list[Edge]:
    seen, out = set(), []
    for edge in edges:
        if (edge.key, edge.other) not in seen:
            seen.add((edge.key, edge.other))
            out.append(edge)
    return out


def _break_cycles(plan: Plan, up: dict[str, list[Edge]]) -> list[Finding]:
    """Report each cycle once and drop the link that closes it, leaving a DAG."""
    findings: list[Finding] = []
    WHITE, GREY, BLACK = 0, 1, 2
    colour: dict[str, int] = {}
    for start in plan.entities:
        if colour.get(start, WHITE) != WHITE:
            continue
        path: list[str] = []
        stack: list[tuple[str, int]] = [(start, 0)]
        colour[start] = GREY
        path.append(start)
        while stack:
            node, i = stack[-1]
            edges = up.get(node, [])
            if i >= len(edges):
                stack.pop()
                path.pop()
                colour[node] = BLACK
                continue
            stack[-1] = (node, i + 1)
            edge = edges[i]
            state = colour.get(edge.other, WHITE)
            if state == WHITE:
                colour[edge.other] = GREY
                path.append(edge.other)
                stack.append((edge.other, 0))
            elif state == GREY:
                loop = path[path.index(edge.other):] + [edge.other]
                source = plan.entities[node]
                findings.append(error(source.file, edge.line or source.line, 1, "cycle",
                                      f"cycle in {edge.key}: {' → '.join(loop)}; remove one of these links",
                                      source.id))
                edges.pop(i)
                stack[-1] = (node, i)
    return findings


def _broken(entity: Entity, ref: Ref, ids: list[str]) -> Finding:
    key = "[[…]] link" if ref.key == "link" else f"'{ref.key}'"
    hint = did_you_mean(ref.target, ids, ignore_case=True) or "; check the id or create that item"
    return error(entity.file, ref.line, ref.col, "broken-ref",
                 f"{key} names '{ref.target}', which does not exist{hint}", entity.id)


def _wrong_kind(entity: Entity, ref: Ref, target: Entity) -> Finding:
    wanted = " or ".join(noun(k) for k in sorted(TARGET_KINDS[ref.key]))
    return error(entity.file, ref.line, ref.col, "wrong-kind",
                 f"'{ref.key}' names '{target.id}', a {noun(target.kind)}; "
                 f"it must name a {wanted}", entity.id)
