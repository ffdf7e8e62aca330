"""What a preview rebuild takes over from the last one equals what it would work out afresh
(issue 15, second step), under random saves of the example plan's files: new titles, owners,
links, KPI directions and targets, body text. Checked: the load of the saved files alone
(`FileMemo.edited`) with the health and trend kept per KPI (`itemmemo`) against a fresh load,
and each piece of `render.reuse` against the computation it replaces."""

from __future__ import annotations

import re
import shutil
import tempfile
import time
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from stratdocs import owners as owners_mod, project as project_mod
from stratdocs.cache import BuildCache
from stratdocs.render import reuse
from stratdocs.render.bodies import render_bodies, renderer_spec
from stratdocs.render.urls import SiteMap
from stratdocs.render.views import Views

REPO = Path(__file__).resolve().parent.parent
FILES = sorted(p.relative_to(REPO).as_posix() for folder in ("kpis", "objectives", "initiatives")
               for p in (REPO / "content" / folder).glob("*.md"))
OWNERS = ("Chief Financial Officer", "Jane Doe", "jane  DOE", "VP Customer Success")
OBJECTIVES = ("SO1", "SO2", "SO4", "SO8")
EDITS = {
    "title": (r"^title: .*$", lambda n: f"title: Renamed {n}"),
    "owner": (r"^owner: .*$", lambda n: f"owner: {OWNERS[n % len(OWNERS)]}"),
    "measures": (r"^measures: \[.*\]$", lambda n: f"measures: [{OBJECTIVES[n % len(OBJECTIVES)]}]"),
    "direction": (r"^direction: (up|down)$", lambda n: "direction: " + ("up", "down")[n % 2]),
    "target": (r"(?<=^  - \{value: )[0-9.]+", lambda n: str(10 + n)),
    "body": (r"\Z", lambda n: f"\nMore on this in [[{OBJECTIVES[n % len(OBJECTIVES)]}]] ({n}).\n"),
    # another KPI's level decides whether an operational KPI's `drives` reach a strategic one
    "level": (r"^level: (strategic|operational)$", lambda n: "level: " + ("strategic", "operational")[n % 2]),
    "drives": (r"^drives: \[.*\]$", lambda n: "drives: " + ("[K-ARR]", "[K-NEW-MARKET-ARR]", "[K-MQL]")[n % 3]),
}
saves = st.lists(st.tuples(st.sampled_from(FILES), st.sampled_from(sorted(EDITS)), st.integers(0, 7)),
                 min_size=1, max_size=4)


def save(root: Path, rel: str, edit: str, number: int) -> None:
    path = root / rel
    pattern, new = EDITS[edit]
    path.write_text(re.sub(pattern, new(number), path.read_text(encoding="utf-8"), count=1, flags=re.M),
                    encoding="utf-8")
    stamp = time.time_ns() + 1_000_000_000
    os.utime(path, ns=(stamp, stamp))


def same_load(kept: project_mod.Project, fresh: project_mod.Project) -> None:
    assert dict(kept.plan.entities) == dict(fresh.plan.entities)
    assert dict(kept.kpi_health) == dict(fresh.kpi_health)
    assert dict(kept.objective_health) == dict(fresh.objective_health)
    assert dict(kept.kpi_trend) == dict(fresh.kpi_trend)
    assert dict(kept.objective_trend) == dict(fresh.objective_trend)
    assert kept.findings == fresh.findings and kept.waivers == fresh.waivers


def same_render(project: project_mod.Project, tables: dict, cache: BuildCache) -> None:
    full_map = SiteMap.of(project.plan, project.config.content_dir)
    sitemap = reuse.site_map(project, tables)
    assert sitemap == full_map
    spec = reuse.renderer_spec(project, sitemap, tables)
    assert spec == renderer_spec(project, full_map.paths)
    assert reuse.bodies(project, spec, cache, tables) == render_bodies(project, spec, BuildCache())
    views = Views(project, spec.make, sitemap=sitemap)
    fresh = Views(project, spec.make, sitemap=full_map)
    env = object()  # the compiled environment: the same one all along
    assert reuse.owners(views, tables) == owners_mod.collect(project.plan, project.findings, project.health_of)
    assert reuse.item_refs(views, env, tables) == {e.id: fresh.item_ref(e.id) for e in project.plan}
    page = reuse.page_of(views, env, tables)
    assert [page(e) for e in project.plan] == [fresh.page_for(e) for e in project.plan]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(saves, min_size=1, max_size=3))
def test_what_a_rebuild_takes_over_equals_a_fresh_computation(rounds):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        shutil.copytree(REPO / "content", root / "content")
        shutil.copy(REPO / "stratdocs.yml", root / "stratdocs.yml")
        memo, tables, cache = project_mod.FileMemo(), {}, BuildCache()
        memo.watched = True
        same_render(project_mod.load(root, files=memo), tables, cache)
        for steps in rounds:
            for rel, edit, number in steps:
                save(root, rel, edit, number)
            memo.edited({rel for rel, _, _ in steps})
            kept = project_mod.load(root, files=memo)
            assert memo.reread <= len(steps)
            same_load(kept, project_mod.load(root))
            same_render(kept, tables, cache)


def test_a_save_no_one_reported_is_not_looked_at_and_an_unknown_state_reads_all(tmp_path: Path):
    """The contract `FileMemo.edited` relies on: the watcher reports every save. With None
    (anything may have changed) every file is looked at again."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "stratdocs.yml", tmp_path / "stratdocs.yml")
    memo = project_mod.FileMemo()
    memo.watched = True
    project_mod.load(tmp_path, files=memo)
    save(tmp_path, "content/kpis/K-NPS.md", "title", 1)
    save(tmp_path, "content/kpis/K-ARR.md", "title", 2)
    memo.edited({"content/kpis/K-NPS.md"})
    kept = project_mod.load(tmp_path, files=memo)
    assert memo.reread == 1 and kept.plan.entities["K-NPS"].title == "Renamed 1"
    assert kept.plan.entities["K-ARR"].title != "Renamed 2"  # not reported: not looked at
    memo.edited(None)
    again = project_mod.load(tmp_path, files=memo)
    assert memo.reread == 1 and again.plan.entities["K-ARR"].title == "Renamed 2"
    unwatched = project_mod.FileMemo()  # the language server's: never told, so always looks
    project_mod.load(tmp_path, files=unwatched)
    save(tmp_path, "content/kpis/K-ARR.md", "title", 3)
    assert project_mod.load(tmp_path, files=unwatched).plan.entities["K-ARR"].title == "Renamed 3"


def test_a_save_that_moves_nothing_takes_the_last_results_over(tmp_path: Path):
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "stratdocs.yml", tmp_path / "stratdocs.yml")
    memo, tables, cache = project_mod.FileMemo(), {}, BuildCache()
    memo.watched = True
    first = project_mod.load(tmp_path, files=memo)
    sitemap = reuse.site_map(first, tables)
    spec = reuse.renderer_spec(first, sitemap, tables)
    bodies, _ = reuse.bodies(first, spec, cache, tables)
    save(tmp_path, "content/kpis/K-NPS.md", "target", 3)  # its health changes, nothing moves
    memo.edited({"content/kpis/K-NPS.md"})
    second = project_mod.load(tmp_path, files=memo)
    assert second.kpi_health["K-NPS"] != first.kpi_health["K-NPS"]
    assert second.kpi_health["K-ARR"] is first.kpi_health["K-ARR"]  # kept per KPI
    assert reuse.site_map(second, tables) is sitemap and reuse.renderer_spec(second, sitemap, tables) is spec
    again, unclean = reuse.bodies(second, spec, cache, tables)
    assert again["K-ARR"] is bodies["K-ARR"] and (again, unclean) == render_bodies(second, spec, BuildCache())
    save(tmp_path, "content/kpis/K-NPS.md", "owner", 1)  # a new owner: a new site map
    memo.edited({"content/kpis/K-NPS.md"})
    third = project_mod.load(tmp_path, files=memo)
    assert reuse.site_map(third, tables) is not sitemap
    assert reuse.site_map(third, tables) == SiteMap.of(third.plan, third.config.content_dir)


def test_an_items_warnings_follow_a_change_to_another_item(tmp_path: Path):
    """Whether an operational KPI drives a strategic one is decided by the KPI it drives: a
    save of that one alone changes the other's warnings (kept per item, `alignment`)."""
    shutil.copytree(REPO / "content", tmp_path / "content")
    shutil.copy(REPO / "stratdocs.yml", tmp_path / "stratdocs.yml")
    memo = project_mod.FileMemo()
    memo.watched = True
    project_mod.load(tmp_path, files=memo)
    rounds = [("content/kpis/K-NEW-MARKET-ARR.md", "level", 1), ("content/kpis/K-NEW-MARKET-ARR.md", "level", 0),
              ("content/kpis/K-MQL.md", "drives", 2), ("content/kpis/K-MQL.md", "drives", 0)]
    seen = set()
    for rel, edit, number in rounds:
        save(tmp_path, rel, edit, number)
        memo.edited({rel})
        kept = project_mod.load(tmp_path, files=memo)
        same_load(kept, project_mod.load(tmp_path))
        seen.add(any(f.code == "kpi-unlinked" and f.entity == "K-MQL" for f in kept.findings))
    assert seen == {True, False}  # the warning came and went
