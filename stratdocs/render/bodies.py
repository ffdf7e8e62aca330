"""Entity bodies as HTML: Markdown rendered once per build (in worker processes when there are
many) and kept in the build cache while every link it shows still resolves the same way."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from stratdocs import workers
from stratdocs.cache import BuildCache, digest
from stratdocs.project import Project
from stratdocs.render.markdown import MarkdownRenderer, Rendered, Target

#: Below this many bodies to render, worker processes cost more than they save.
PARALLEL_MIN = 150


@dataclass(frozen=True)
class RendererSpec:
    """Everything needed to build a Markdown renderer, picklable for worker processes."""

    extensions: tuple[str, ...]
    options: dict
    raw_html: str
    targets: dict
    file_pages: dict
    content_dir: str
    assets: frozenset

    def make(self) -> MarkdownRenderer:
        return MarkdownRenderer(self.extensions, self.options, self.raw_html, self.targets, self.file_pages,
                                self.content_dir, self.assets)

    @cached_property
    def fingerprint(self) -> str:
        return digest(repr(self.extensions), json.dumps(self.options, sort_keys=True, default=str), self.raw_html)


def renderer_spec(project: Project, paths: dict[str, str], assets: list[tuple[str, Path]] | None = None) -> RendererSpec:
    cfg = project.config
    assets = project.assets if assets is None else assets
    content = cfg.content_dir.rstrip("/")
    return RendererSpec(
        tuple(cfg.markdown_extensions), {k: dict(v) for k, v in cfg.markdown_options.items()}, cfg.raw_html,
        {e.id.lower(): Target(e.id, paths[e.id], e.title, e.kind) for e in project.plan},
        {e.file: paths[e.id] for e in project.plan if e.container is None},
        cfg.content_dir,
        frozenset(f"{content}/assets/{rel}" for rel, _ in assets),
    )


def body_key(spec: RendererSpec, entity) -> str:
    return digest(spec.fingerprint, entity.file, entity.body)


def render_bodies(project: Project, spec: RendererSpec, cache: BuildCache,
                  entities=None) -> tuple[dict[str, Rendered], set[str]]:
    """Every entity body as HTML: from the cache while its links still resolve the same way,
    otherwise rendered (in worker processes when there are many: `workers.fork_map`); and the ids whose HTML
    came from the cache file, not from this process. `entities`: only these (the preview,
    `render.reuse.bodies`), by default the whole plan.

    Cached HTML is sanitised again where it re-enters a page, so a planted cache cannot add
    script: `Views.body` (the only way a page reads a body) cleans those ids on first use. A
    warm build that carries its pages over never pays for it (at 10,000 items, a quarter second).
    """
    renderer = spec.make()
    cache.used_bodies = set()
    out: dict[str, Rendered] = {}
    unclean: set[str] = set()
    todo: list[tuple[str, str, str, str]] = []
    for entity in project.plan if entities is None else entities:
        if entity.container is not None:
            continue
        key = body_key(spec, entity)
        cache.used_bodies.add(key)
        cached = cache.body(key)
        if cached is not None:
            cached = Rendered(*cached)
        if cached is not None and renderer.still_valid(cached, entity.file):
            out[entity.id] = cached
            if key not in cache.clean_bodies:  # read from the file (what this process made is clean)
                unclean.add(entity.id)
            cache.hits["bodies"] += 1
        else:
            todo.append((entity.id, key, entity.body, entity.file))
    if todo:
        renderer.md  # made once here, before the workers fork, not once in each of them
    results = workers.fork_map(lambda job: renderer.render(job[2], job[3]), todo, PARALLEL_MIN)
    for (entity_id, key, _, _), rendered in zip(todo, results):
        out[entity_id] = rendered
        cache.put_body(key, rendered.html, rendered.deps)
    return out, unclean
