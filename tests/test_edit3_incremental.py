"""The passes a save in `serve` drives by what changed (issue 15, third step) give what the whole
plan would: the items' states and what changed among them (`render.reuse.states`,
`Memory.changes`), each item's alignment gaps (`alignment`), and the outputs carried over
without being listed (`render.reuse.carry`). Each is checked against the full computation,
after saves that reach beyond the saved file: a KPI whose health changes its objective's (and
so that objective's warnings, the scorecard, the alignment report and the owner's page), a
link that changes traces, an item added or removed."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st
from watchfiles import Change

from stratdocs import project as project_mod
from stratdocs.cache import BuildCache
from stratdocs.itemmemo import Edits, edited
from stratdocs.render import reuse
from stratdocs.render.bodies import renderer_spec
from stratdocs.render.memory import Memory
from stratdocs.render.site import entity_states
from stratdocs.render.views import Views
from stratdocs.serve.session import Session
from tests.test_edit2_reuse import same_render
from tests.test_edit2_session import session  # noqa: F401  (the fixture: a preview session on the example)
from tests.test_serve import copy_example, edit, full_build, tree

NA_ARR = "content/kpis/K-NA-ARR.md"
#: K-NA-ARR's last actual, far below its line: red, and so is SO8, which no active work serves
RED = ("  - {date: 2026-10-31, value: 584}", "  - {date: 2026-10-31, value: 100}")


def saved(*paths: Path) -> list[tuple[Change, str]]:
    return [(Change.modified, str(p)) for p in paths]


def red_unaddressed(project) -> bool:
    return any(f.code == "red-unaddressed" and f.entity == "SO8" for f in project.findings)


def test_edits_say_which_items_each_load_read_again():
    edits = Edits()
    first = edits.record(None)
    second = edits.record(frozenset({"K-ARR"}))
    third = edits.record(frozenset({"SO1"}))
    assert edited(third, second) == {"SO1"} and edited(third, first) == {"K-ARR", "SO1"}
    assert edited(third, third) == frozenset()
    assert edited(second, None) is None and edited(second, (Edits(), 1)) is None  # another session's
    assert edited(first, (edits, 0)) is None  # a load that started afresh
    for _ in range(Edits.KEEP + 1):
        last = edits.record(frozenset())
    assert edited(last, third) is None  # too far back


def test_a_kpi_whose_health_changes_its_objectives_warnings(tmp_path: Path):
    """SO8's red-unaddressed warning comes from K-NA-ARR's health alone: a save of K-NA-ARR
    must find SO8's gaps again although SO8 was not read again."""
    root = copy_example(tmp_path)
    memo = project_mod.FileMemo()
    memo.watched = True
    first = project_mod.load(root, files=memo)
    assert not red_unaddressed(first)
    for old, new, red in (RED + (True,), RED[::-1] + (False,)):
        edit(root / NA_ARR, old, new)
        memo.edited({NA_ARR})
        kept = project_mod.load(root, files=memo)
        assert memo.reread == 1 and edited(kept.edits, first.edits) == {"K-NA-ARR"}
        fresh = project_mod.load(root)
        assert red_unaddressed(kept) is red and kept.findings == fresh.findings and kept.waivers == fresh.waivers
        first = kept


def test_a_kpis_previous_period_reaches_its_objectives_trend(tmp_path: Path):
    """SO8's trend compares its health with its KPIs' health a period before: a save of
    K-NA-ARR's previous actual alone changes it (its health now stays the same)."""
    root = copy_example(tmp_path)
    memo = project_mod.FileMemo()
    memo.watched = True
    first = project_mod.load(root, files=memo)
    edit(root / NA_ARR, "  - {date: 2026-09-30, value: 566}", "  - {date: 2026-09-30, value: 100}")
    memo.edited({NA_ARR})
    kept, fresh = project_mod.load(root, files=memo), project_mod.load(root)
    assert kept.objective_health["SO8"] == first.objective_health["SO8"]
    assert kept.objective_trend["SO8"] != first.objective_trend["SO8"]
    assert dict(kept.objective_trend) == dict(fresh.objective_trend) and dict(kept.kpi_trend) == dict(fresh.kpi_trend)


def test_an_added_or_renamed_item_marks_every_item_edited(tmp_path: Path):
    root = copy_example(tmp_path)
    memo = project_mod.FileMemo()
    memo.watched = True
    first = project_mod.load(root, files=memo)
    edit(root / "content/operations/marketing-emea.md", "id: T-", "id: T-RENAMED-")  # a nested item's id
    memo.edited({"content/operations/marketing-emea.md"})
    kept = project_mod.load(root, files=memo)
    assert edited(kept.edits, first.edits) is None
    assert kept.findings == project_mod.load(root).findings


# -- the items' states, against the whole plan's ------------------------------------------------

LINES = {
    # file -> (pattern, replacements): each save puts one of them in
    NA_ARR: (r"^  - \{date: 2026-10-31, value: [0-9]+\}$", ("  - {date: 2026-10-31, value: 100}",
                                                             "  - {date: 2026-10-31, value: 584}")),
    "content/kpis/K-CHURN.md": (r"^direction: \w+$", ("direction: down", "direction: up")),
    "content/kpis/K-NEW-LOGOS.md": (r"^drives: \[.*\]$", ("drives: [K-NEW-MARKET-ARR]", "drives: [K-ARR]")),
    "content/kpis/K-NPS.md": (r"^title: .*$", ("title: Renamed NPS", "title: Net promoter score")),
    "content/objectives/SO8-north-america.md": (r"^owner: .*$", ("owner: Chief Executive Officer",
                                                                   "owner: Jane Doe")),
    "content/operations/emea/sales-dach.md": (r"^    status: \w+$", ("    status: done", "    status: doing")),
    "content/initiatives/I3-partner-channel.md": (r"^status: \w+$", ("status: cancelled", "status: proposed")),
    "content/kpis/K-ARR.md": (r"\Z", ("\nMore on this, with no link.\n", "\nAnd more.\n")),  # a body alone
}
MOVING = ("content/objectives/SO8-north-america.md", "content/kpis/K-NEW-LOGOS.md")
changes = st.lists(st.lists(st.tuples(st.sampled_from(sorted(LINES)), st.integers(0, 1)), min_size=1, max_size=3),
                   min_size=1, max_size=4)


def put(root: Path, rel: str, number: int) -> None:
    path = root / rel
    pattern, lines = LINES[rel]
    text = path.read_text(encoding="utf-8")
    assert re.search(pattern, text, flags=re.M), (rel, pattern)
    path.write_text(re.sub(pattern, lines[number], text, count=1, flags=re.M), encoding="utf-8")
    import os
    import time

    stamp = time.time_ns() + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def same_plan(kept, fresh) -> None:
    """The plan, its order and links (`trace.reassemble`, `trace.BuildMemo`) as a fresh load has them."""
    assert list(kept.plan.entities.items()) == list(fresh.plan.entities.items())
    assert dict(kept.plan.folded) == dict(fresh.plan.folded)
    for kind in ("kpi", "objective", "operation", "task"):
        assert kept.plan.of_kind(kind) == fresh.plan.of_kind(kind)
    assert dict(kept.plan.position) == dict(fresh.plan.position)
    for links in ("up", "down", "traces_to", "objective_children", "chains"):
        assert dict(getattr(kept.index, links)) == dict(getattr(fresh.index, links)), links
    assert kept.findings == fresh.findings


#: the compiled templates' environment: the same one all along (references are kept while it is)
ENV = object()


def views_of(project, tables: dict) -> Views:
    sitemap = reuse.site_map(project, tables)
    views = Views(project, renderer_spec(project, sitemap.paths).make, sitemap=sitemap)
    views.owners = reuse.owners(views, tables)
    return views


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes)
def test_the_states_made_again_are_those_of_the_whole_plan(rounds):
    """`reuse.states` makes again only the states of what may have changed; the result, and what
    `Memory.changes` finds changed among the candidates, equal the whole plan's."""
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_example(Path(tmp))
        memo, tables = project_mod.FileMemo(), {}
        memo.watched = True
        memory, whole, rendered, cache = Memory(), Memory(), {}, BuildCache()
        first = project_mod.load(root, files=memo)
        same_render(first, rendered, cache)
        views = views_of(first, tables)
        memory.changes(*reuse.states(views, memory, tables))
        whole.changes(entity_states(views))
        memory.ref_changes(*reuse.item_ref_changes(views, ENV, tables))
        whole.ref_changes({e.id: views.item_ref(e.id) for e in views.plan})
        incremental = 0
        for steps in rounds:
            for rel, number in steps:
                put(root, rel, number)
            memo.edited({rel for rel, _ in steps})
            kept = project_mod.load(root, files=memo)
            fresh = project_mod.load(root)
            same_plan(kept, fresh)
            for mapping in ("kpi_health", "objective_health", "kpi_trend", "objective_trend", "initiative_health"):
                assert dict(getattr(kept, mapping)) == dict(getattr(fresh, mapping)), mapping
            same_render(kept, rendered, cache)  # site map, spec, bodies, owners, references, pages
            views = views_of(kept, tables)
            states, candidates = reuse.states(views, memory, tables)
            full = entity_states(views)
            assert states == full and list(states) == list(full)
            assert memory.changes(states, candidates) == whole.changes(full)
            refs, candidates = reuse.item_ref_changes(views, ENV, tables)
            fresh_refs = {e.id: views.item_ref(e.id) for e in views.plan}
            assert refs == fresh_refs and list(refs) == list(fresh_refs)
            assert memory.ref_changes(refs, candidates) == whole.ref_changes(fresh_refs)
            incremental += candidates is not None
        # a new owner (a new site map) or link takes the full path; any other save the incremental one
        assert incremental or all(any(rel in MOVING for rel, _ in steps) for steps in rounds)


# -- the preview's bytes ------------------------------------------------------------------------

def test_a_kpi_turning_red_reaches_its_objective_the_reports_and_the_owner(session, tmp_path: Path):
    root, session = session
    before = tree(session.output)
    edit(root / NA_ARR, *RED)
    outcome = session.update(saved(root / NA_ARR))
    assert outcome.ok and outcome.reread == 1
    full = full_build(root, tmp_path / "full")
    at_reload = tree(session.output)
    assert at_reload["kpis/K-NA-ARR.html"] == full["kpis/K-NA-ARR.html"] != before["kpis/K-NA-ARR.html"]  # at the reload
    assert "objectives/SO8.html" in session.pending  # its objective's page: made next, or first when asked for
    session.settle()
    after = tree(session.output)
    assert after == full
    owner = next(rel for rel in full if rel.startswith("owners/chief-executive-officer"))
    for page in ("objectives/SO8.html", "scorecard.html", "alignment.html", owner, "index.html"):
        assert after[page] != before[page], page  # it did change, and as a full build has it
    edit(root / NA_ARR, *RED[::-1])
    assert session.update(saved(root / NA_ARR)).ok
    session.settle()
    assert tree(session.output) == full_build(root, tmp_path / "full") == before


SAVES = {
    "red": (NA_ARR, *RED),
    "green again": (NA_ARR, RED[1], RED[0]),
    "serves": ("content/initiatives/I3-partner-channel.md", "supports: [", "supports: [SO8, "),
    "drives": ("content/kpis/K-NEW-LOGOS.md", "drives: [K-NEW-MARKET-ARR]", "drives: [K-ARR]"),
    "status": ("content/operations/emea/sales-dach.md", "status: doing", "status: done"),
    "title": ("content/kpis/K-NPS.md", "title:", "title: Renamed —"),
}
ADDED = "content/kpis/K-ADDED.md"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(sorted(SAVES) + ["add", "remove"]), min_size=2, max_size=4))
def test_any_sequence_of_saves_gives_the_bytes_of_a_full_build(tmp_path_factory, steps):
    tmp = tmp_path_factory.mktemp("seq")
    root = copy_example(tmp / "project")
    session = Session(root, tmp / "preview")
    assert session.rebuild().ok
    for step in steps:
        if step == "add":
            path = root / ADDED
            path.write_text("---\ntitle: An added KPI\nunit: '%'\ndirection: up\nmeasures: [SO8]\nowner: Jane Doe\n"
                            "---\n", encoding="utf-8")
            changes = [(Change.added, str(path))]
        elif step == "remove":
            path = root / ADDED
            if not path.exists():
                continue
            path.unlink()
            changes = [(Change.deleted, str(path))]
        else:
            rel, old, new = SAVES[step]
            path = root / rel
            if old not in path.read_text(encoding="utf-8"):
                continue
            edit(path, old, new)
            changes = saved(path)
        assert session.update(changes).ok, step
        session.settle()
        assert tree(session.output) == full_build(root, tmp / "full"), (steps, step)
    shutil.rmtree(tmp)
