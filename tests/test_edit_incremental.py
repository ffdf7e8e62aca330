"""What the preview reuses between rebuilds equals what it would compute afresh (issue 15): the
trace index of the last load while the links are the same (`trace.BuildMemo`), under random
edits to titles, bodies, references (broken, wrong kind, cycles), items added and removed."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings, strategies as st

from stratdocs import trace
from stratdocs.model import Entity, Ref

KINDS = ("objective", "initiative", "kpi", "operation")
KEYS = {"objective": ("parent",), "initiative": ("supports",), "kpi": ("measures", "drives"),
        "operation": ("supports",)}


def entity(number: int, kind: str, refs: tuple[Ref, ...] = ()) -> Entity:
    return Entity(f"X{number}", kind, f"Item {number}", f"content/{kind}s/X{number}.md", 1, refs=refs)


# An edit: (what, which item, another item, a number)
edits = st.tuples(st.sampled_from(("title", "body", "ref", "unref", "broken", "add", "remove", "move-line")),
                  st.integers(0, 11), st.integers(0, 11), st.integers(0, 3))


def apply(entities: list[Entity], edit: tuple) -> list[Entity]:
    what, i, j, n = edit
    if not entities:
        return [entity(0, "objective")]
    i, j = i % len(entities), j % len(entities)
    one, other = entities[i], entities[j]
    if what == "title":
        entities[i] = replace(one, title=one.title + "!")
    elif what == "body":
        entities[i] = replace(one, body=one.body + f"\nSee [[{other.id}]].")
    elif what == "ref":
        key = KEYS[one.kind][n % len(KEYS[one.kind])]
        entities[i] = replace(one, refs=one.refs + (Ref(key, other.id, 2 + len(one.refs), 1),))
    elif what == "unref" and one.refs:
        entities[i] = replace(one, refs=one.refs[:-1])
    elif what == "broken":
        entities[i] = replace(one, refs=one.refs + (Ref("supports", "NOPE", 9, 3),))
    elif what == "add":
        entities.append(entity(100 + len(entities) * 7 + n, KINDS[n]))
    elif what == "remove":
        del entities[i]
    elif what == "move-line":
        entities[i] = replace(one, line=one.line + 1)
    return entities


def start(kinds: list[int]) -> list[Entity]:
    return [entity(number, KINDS[kind]) for number, kind in enumerate(kinds)]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.integers(0, 3), min_size=1, max_size=12), st.lists(edits, min_size=1, max_size=12))
def test_the_reused_trace_index_equals_a_fresh_one_after_any_edits(kinds, steps):
    memo = trace.BuildMemo()
    entities = start(kinds)
    for step in [None, *steps]:
        if step is not None:
            entities = apply(list(entities), step)
        plan, _ = trace.assemble(entities)
        kept, kept_findings = memo.build(plan, frozenset({"GONE"}))
        fresh, fresh_findings = trace.build(plan, frozenset({"GONE"}))
        assert kept.plan is plan
        assert (kept.up, kept.down, kept.traces_to, kept.chains, kept.objective_children) == (
            fresh.up, fresh.down, fresh.traces_to, fresh.chains, fresh.objective_children), step
        assert kept_findings == fresh_findings, step


def test_a_title_edit_reuses_the_index_and_a_new_link_does_not():
    memo = trace.BuildMemo()
    entities = [entity(1, "objective"), entity(2, "initiative", (Ref("supports", "X1", 3, 1),))]
    first, _ = memo.build(trace.assemble(entities)[0])
    retitled = trace.assemble([replace(entities[0], title="New"), entities[1]])[0]
    again, _ = memo.build(retitled)
    assert again.up is first.up and again.plan is retitled  # taken, with the new plan
    linked = trace.assemble([entities[0], replace(entities[1], refs=entities[1].refs + (Ref("supports", "X9", 4, 1),))])[0]
    rebuilt, findings = memo.build(linked)
    assert rebuilt.up is not first.up and [f.code for f in findings] == ["broken-ref"]
