"""What one preview rebuild takes over from the last one instead of working it out again for the
whole plan (issue 15, "one-file edit in `serve`"): the site map, the output-clash check, the
Markdown renderer's spec and the items' `Page`s.

Each is kept in a table of the preview's memory (`render.memory.Memory.kept`, and the load's
`project.FileMemo.items` for `check`) with what it was worked out from, and taken over only
while those inputs are the same: the trace index's edges (the same objects while no item's id,
kind, file, line, references or nested items changed: `trace.BuildMemo`), and whatever else each
reads (owners, titles, config). Without tables (a build), everything is worked out afresh.
"""

from __future__ import annotations

from stratdocs.render.urls import SiteMap


def _same(kept: tuple | None, identical: tuple, equal: tuple) -> bool:
    return (kept is not None and len(kept[0]) == len(identical) and all(a is b for a, b in zip(kept[0], identical))
            and kept[1] == equal)


def site_map(project, tables: dict | None) -> SiteMap:
    """`SiteMap.of` the project's plan, the last one while no id, kind, file, nesting or owner changed."""
    plan, content_dir = project.plan, project.config.content_dir
    if tables is None:
        return SiteMap.of(plan, content_dir)
    kept = tables.get("sitemap")
    if kept is not None and kept[0][0] is project.index.up and kept[1][0] == content_dir \
            and _owners_kept(project, kept[3], kept[4]):  # the owners: only of the items edited since
        tables["sitemap"] = (kept[0], kept[1], kept[2], project.edits, plan)
        return kept[2]
    identical, equal = (project.index.up,), (content_dir, tuple(e.owner for e in plan))
    if _same(kept, identical, equal):
        tables["sitemap"] = (identical, equal, kept[2], project.edits, plan)
        return kept[2]
    sitemap = SiteMap.of(plan, content_dir)
    tables["sitemap"] = (identical, equal, sitemap, project.edits, plan)
    return sitemap


def _owners_kept(project, mark: tuple | None, plan) -> bool:
    """Whether every item has the owner it had in `plan` (the one of the load `mark` marks,
    with the same items): only the items edited since are looked at (`itemmemo.edited`)."""
    from stratdocs.itemmemo import edited

    ids = edited(project.edits, mark)
    if ids is None:
        return False
    now, before = project.plan.entities, plan.entities
    return all(now[eid].owner == before[eid].owner for eid in ids)


def output_clashes(project, sitemap: SiteMap, static: tuple[str, ...], tables: dict | None, make) -> list:
    """`make()`: the output clashes (`urls.clashes` of `urls.planned_outputs`) of this site map,
    the configured matrices and documents, the theme's static files and the published assets;
    the last ones while all of these are the same (the same site map: the same ids, kinds,
    files, lines and nesting, so the same items are named at the same places)."""
    if tables is None:
        return make()
    cfg = project.config
    identical, equal = (sitemap,), (tuple(cfg.matrices), tuple(cfg.documents), static,
                                    tuple(rel for rel, _ in project.assets))
    kept = tables.get("clashes")
    if _same(kept, identical, equal):
        return kept[2]
    found = make()
    tables["clashes"] = (identical, equal, found)
    return found


def renderer_spec(project, sitemap: SiteMap, tables: dict | None):
    """`render.bodies.renderer_spec` of the project: the last one while the site map, every
    item's title, the Markdown settings and the published assets are the same."""
    from stratdocs.render.bodies import renderer_spec as make

    if tables is None:
        return make(project, sitemap.paths)
    cfg = project.config
    identical = (sitemap,)
    equal = (tuple(e.title for e in project.plan), tuple(cfg.markdown_extensions), repr(cfg.markdown_options),
             cfg.raw_html, cfg.content_dir, tuple(rel for rel, _ in project.assets))
    kept = tables.get("spec")
    if _same(kept, identical, equal):
        return kept[2]
    spec = make(project, sitemap.paths)
    tables["spec"] = (identical, equal, spec)
    return spec


def bodies(project, spec, cache, tables: dict | None) -> tuple[dict, set[str]]:
    """`render.bodies.render_bodies`: with the same spec as the last rebuild (every link target
    the same), the bodies of items whose file and text are the same are the last ones (the same
    HTML, read from the same cache entries); only the others are looked up and rendered."""
    from stratdocs.render.bodies import body_key, render_bodies

    from stratdocs.itemmemo import edited

    kept = tables.get("bodies") if tables is not None else None
    if kept is None or kept[0] is not spec:
        out, unclean = render_bodies(project, spec, cache)
        if tables is not None:
            tables["bodies"] = (spec, {e.id: (e.file, e.body, body_key(spec, e), out[e.id])
                                       for e in project.plan if e.container is None}, project.edits, out)
        return out, unclean
    ids = edited(project.edits, kept[2])
    if ids is not None:  # only the items edited since may have another body: the others' are the last ones
        previous, entities, todo = kept[1], project.plan.entities, []
        for eid in ids:
            entity = entities[eid]
            last = previous.get(eid)
            if entity.container is None and not (last is not None and last[0] == entity.file
                                                 and last[1] == entity.body and last[2] in cache.bodies):
                todo.append(entity)
        fresh, unclean = render_bodies(project, spec, cache, todo)
        table = {**previous, **{e.id: (e.file, e.body, body_key(spec, e), fresh[e.id]) for e in todo}}
        cache.used_bodies |= {entry[2] for entry in table.values()}
        cache.hits["bodies"] += len(table) - len(todo)
        out = {**kept[3], **fresh}
        tables["bodies"] = (spec, table, project.edits, out)
        return out, unclean
    previous, same, todo, keys = kept[1], {}, [], set()
    for entity in project.plan:
        if entity.container is not None:
            continue
        last = previous.get(entity.id)
        if last is not None and last[0] == entity.file and last[1] == entity.body and last[2] in cache.bodies:
            same[entity.id] = last
            keys.add(last[2])
        else:
            todo.append(entity)
    fresh, unclean = render_bodies(project, spec, cache, todo)
    cache.used_bodies |= keys
    cache.hits["bodies"] += len(same)
    table = {e.id: (e.file, e.body, body_key(spec, e), fresh[e.id]) for e in todo}
    out = {e.id: (same[e.id][3] if e.id in same else fresh[e.id]) for e in project.plan if e.container is None}
    tables["bodies"] = (spec, {**same, **table}, project.edits, out)
    return out, unclean


def carry(tables: dict | None, structure: tuple, memory, cache, writer, changed: set[str] | None,
          changed_refs: set[str]) -> frozenset[str]:
    """The outputs of the last rebuild that are carried over as they are, claimed by `writer`
    here, so the renderer does not list them (`SiteRenderer.carried`): with the same
    `structure` (the same site map object, config, context hash and owners: the same outputs
    are listed), each output the last rebuild listed whose read set holds nothing that changed
    and whose file is the one the cache says. This is what `write_outputs` does with each of
    them (`is_unchanged`, then `writer.keep`), without making an `Output` and a `Page` for
    each: only the outputs whose reads changed are listed and looked at.

    :param structure: (site map, config, context hash, owner keys) of this rebuild.
    """
    if tables is None or changed is None:
        return frozenset()
    last = tables.get("listed")
    if last is None or last[0][0] is not structure[0] or last[0][1:] != structure[1:]:
        return frozenset()
    base, reads, pages, pairs, data = structure[2], memory.reads, cache.pages, [], 0
    isdisjoint = frozenset.isdisjoint
    for rel in last[1]:
        record = reads.get(rel)
        if record is None or record[0] != base or not isdisjoint(record[1], changed) \
                or not isdisjoint(record[2], changed_refs) or (entry := pages.get(rel)) is None:
            continue
        pairs.append((rel, entry[1]))
        data += not entry[0]  # a data output (CSV, search index): not counted as a skipped page
    keep_all = getattr(writer, "keep_all", None)  # the preview's writer; any other keeps one by one
    kept = frozenset(keep_all(pairs) if keep_all else [rel for rel, sha256 in pairs if writer.keep(rel, sha256)])
    cache.hits["skipped"] += len(kept) - data if len(kept) == len(pairs) else \
        sum(1 for rel in kept if pages[rel][0])
    return kept


def listed(tables: dict | None, structure: tuple, done: set[str]) -> None:
    """What this rebuild listed, for the next one's `carry`."""
    if tables is not None:
        tables["listed"] = (structure, done)


def states(views, memory, tables: dict | None) -> tuple[dict, set[str] | None]:
    """`render.site.entity_states` of this rebuild, and the only ids whose state may differ from
    the last rebuild's (`Memory.changes` compares only those; None: all).

    With the same links, site map, config, sources and git history as the last rebuild, an
    item's state can only differ if its entity is not the same object (`itemmemo.edited`: the
    items of the files read again), if its health, trend, findings or waivers are not the same,
    or if its file became committed or uncommitted (a save in a git checkout: the page says
    so); an owner's if the owner is not. Only those states are made again; the others are the
    last ones (the same ids in the same order: the same links are the same items).
    """
    from stratdocs.itemmemo import differ, edited
    from stratdocs.render.memory import PLAN, owner_id, plan_state
    from stratdocs.render.site import entity_states

    if tables is None:
        return entity_states(views), None
    project, index = views.project, views.index
    identical = (index.up, index.down, index.traces_to, index.chains, views.sitemap)
    checkout = project.checkout  # what a state holds of it: `Views.last_change`, `Views.edit_url`
    equal = (project.config, (bool(checkout.commit), checkout.prefix, checkout.history), project.sources)
    per_item = (project.kpi_health, project.objective_health, project.kpi_trend, project.objective_trend,
                views.entity_findings, views.waivers)
    owners = {o.key: o for o in views.owners}
    last, previous = tables.get("states"), memory.states
    tables["states"] = (project.edits, identical, equal, per_item, owners, checkout.uncommitted)
    if last is None or previous is None or "states" in memory.restored or not _same(last[1:], identical, equal) \
            or list(owners) != list(last[4]) or (ids := edited(project.edits, last[0])) is None:
        return entity_states(views), None
    files = last[5] ^ checkout.uncommitted
    candidates = set(ids) | ({e.id for e in project.plan if e.file in files} if files else set())
    for old, new in zip(last[3], per_item):
        candidates |= differ(old, new)
    candidates = {key for key in candidates if key in previous} | {owner_id(key) for key in differ(last[4], owners)}
    made = dict(previous)
    made.update(entity_states(views, candidates))
    made[PLAN] = plan_state(project)
    return made, candidates | {PLAN}


def page_of(views, env, tables: dict | None):
    """`views.page_for`, taking over an item's `Page` from the last rebuild while the item, its
    site path and the templates' words (the same compiled environment) are the same."""
    if tables is None:
        return views.page_for
    old, new = tables.get("pages", {}), {}
    tables["pages"] = new
    path = views.sitemap.path

    def page(entity):
        kept = old.get(entity.id)
        if kept is not None and kept[0] is entity and kept[1] is env and kept[2] == path(entity.id):
            made = kept[3]
        else:
            made = views.page_for(entity)
        new[entity.id] = (entity, env, made.path, made)
        return made
    return page


def item_refs(views, env, tables: dict | None) -> dict:
    """Every item's reference (`views.item_ref`), the last rebuild's object for an item that is
    the same, at the same site path, with the same health, in the same templates' words."""
    return item_ref_changes(views, env, tables)[0]


def item_ref_changes(views, env, tables: dict | None) -> tuple[dict, set[str] | None]:
    """`item_refs`, and the only ids whose reference may not be the last rebuild's object (None:
    any): with the same site map and templates' words, those of the items edited since
    (`itemmemo.edited`) and of those whose health changed; the others are not looked at."""
    from stratdocs.itemmemo import differ, edited

    project, path = views.project, views.sitemap.path
    if tables is None:
        return {e.id: views.item_ref(e.id) for e in project.plan}, None
    old, new = tables.get("refs", {}), {}
    healths = (project.kpi_health, project.objective_health, project.initiative_health)
    last, tables["refs-of"] = tables.get("refs-of"), None  # set again once made
    ids = edited(project.edits, last[0]) if last is not None and last[1] is views.sitemap and last[2] is env else None
    if ids is not None:
        candidates = set(ids).union(*(differ(a, b) for a, b in zip(last[3], healths)))
        new, entities = dict(old), project.plan.entities
        for eid in candidates:
            if (entity := entities.get(eid)) is not None:
                kept, health = old.get(eid), project.health_of(entity)
                if not (kept is not None and kept[0] is entity and kept[2] == health):
                    new[eid] = (entity, env, health, views.item_ref(eid))
        tables["refs"] = new
        made = {**tables["refs-out"], **{eid: new[eid][3] for eid in candidates if eid in new}}
        tables["refs-out"], tables["refs-of"] = made, (project.edits, views.sitemap, env, healths)
        return made, candidates
    for entity in project.plan:
        kept = old.get(entity.id)
        health = project.health_of(entity)
        if kept is not None and kept[0] is entity and kept[1] is env and kept[2] == health \
                and kept[3].href == path(entity.id):
            new[entity.id] = kept
        else:
            new[entity.id] = (entity, env, health, views.item_ref(entity.id))
    tables["refs"] = new
    made = tables["refs-out"] = {key: kept[3] for key, kept in new.items()}
    tables["refs-of"] = (project.edits, views.sitemap, env, healths)
    return made, None


def owners(views, tables: dict | None) -> tuple:
    """`owners.collect` of the plan: with the same site map as the last rebuild (the same
    owners, items and slugs), each owner is the last one while the findings about their items
    and those items' health are the same; only the others' needs are sorted again."""
    from dataclasses import replace

    from stratdocs import owners as owners_mod

    project, plan = views.project, views.plan
    if tables is None:
        return owners_mod.collect(plan, project.findings, project.health_of)
    about: dict[str, list] = {}
    for finding in project.findings:  # as `owners.collect` groups them
        entity = plan.get(finding.entity) if finding.entity else None
        if entity is not None and (key := owners_mod.owner_key(entity.owner)):
            about.setdefault(key, []).append(finding)

    def inputs(key: str) -> tuple:
        found = tuple(about.get(key, ()))
        return found, tuple(project.health_of(plan.get(f.entity)) for f in found)
    kept = tables.get("owners")
    if kept is None or kept[0] is not views.sitemap:
        pairs = tuple((inputs(o.key), o) for o in owners_mod.collect(plan, project.findings, project.health_of))
    else:
        order = owners_mod.need_order(plan, project.health_of)
        pairs = tuple((now, owner if now == before else replace(owner, needs=tuple(sorted(set(now[0]), key=order))))
                      for before, owner in kept[1] for now in (inputs(owner.key),))
    tables["owners"] = (views.sitemap, pairs)
    return tuple(owner for _, owner in pairs)
