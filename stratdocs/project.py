"""The loading pipeline: config -> files -> entities -> plan -> trace index -> health -> findings.

Loading finishes before any rendering starts: every page needs the whole plan for backlinks,
matrices and roll-ups. The result is one immutable `Project` value.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from stratdocs import (alignment, assets as assets_mod, config as config_mod, delivery, git, health, schema, sources,
                       suspect, trace)
from stratdocs import trend as trend_mod
from stratdocs import cache_files, itemmemo, workers
from stratdocs.cache_files import LoadCache
from stratdocs.findings import SCHEMA_WARNINGS, Finding, error, finding_order
from stratdocs.model import Entity, Plan

#: From this many content files on, they are read in worker processes (`stratdocs.workers`).
PARALLEL_MIN_FILES = 300


@dataclass(frozen=True)
class Project:
    config: config_mod.Config
    plan: Plan
    index: trace.TraceIndex
    kpi_health: Mapping[str, health.KpiHealth]
    objective_health: Mapping[str, health.ObjectiveHealth]
    findings: tuple[Finding, ...]
    waivers: tuple[alignment.Waiver, ...]
    digests: Mapping[str, str]   # content file -> sha256, for caches
    #: (path relative to content/assets, file) of every asset the site publishes
    assets: tuple[tuple[str, Path], ...] = ()
    #: what git says about the files (commit, history); filled in by the commands that show it
    checkout: git.Checkout = git.Checkout()
    #: each KPI's and objective's change since its previous reporting period (`stratdocs.trend`)
    kpi_trend: Mapping[str, trend_mod.Trend] = field(default_factory=dict)
    objective_trend: Mapping[str, trend_mod.Trend] = field(default_factory=dict)
    #: the computed delivery health of every initiative (`delivery.compute`)
    initiative_health: Mapping[str, delivery.InitiativeHealth] = field(default_factory=dict)
    #: content file -> what its result was made from, as the load cache keys it (bytes, path,
    #: kind, reading config, CSV files): equal sources, equal entities. Only for a load through
    #: the load cache; the build cache's page digests use it instead of an item's repr.
    sources: Mapping[str, str] = field(default_factory=dict)
    #: the preview's mark of this load (`itemmemo.Edits`): which items it read again
    edits: tuple | None = None

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def as_of(self) -> date:
        return self.config.as_of

    def health_of(self, entity: Entity) -> str | None:
        if entity.kind == "kpi":
            return self.kpi_health[entity.id].health
        if entity.kind == "objective":
            return self.objective_health[entity.id].health
        if entity.kind == "initiative" and entity.id in self.initiative_health:
            return self.initiative_health[entity.id].health
        return None


@dataclass(frozen=True)
class FileResult:
    """What one content file contributes: its entities and findings (or, unreadable, its likely id)."""

    rel: str
    digest: str | None
    entities: tuple[Entity, ...]
    findings: tuple[Finding, ...]
    unreadable_id: str | None = None

    @property
    def data_files(self) -> tuple[str, ...]:
        """CSV files its KPIs (and an initiative's spend) read: a change to one of them changes
        this file's entities."""
        spend = tuple(d.spend_data for e in self.entities if (d := e.attrs.get("delivery")) is not None and d.spend_data)
        return tuple(e.kpi.data for e in self.entities if e.kpi is not None and e.kpi.data) + spend


def read_file(cfg: config_mod.Config, rel: str, kind: str, text: str | None = None,
              raw: bytes | None = None) -> FileResult:
    """What the content file `rel` (of `kind`) contributes; `text`: its unsaved text (an editor's
    buffer), read instead of the file on disk; `raw`: its bytes, already read."""
    if text is not None:
        raw = text.encode("utf-8")
    if raw is None:
        src, found = sources.read(cfg.root, rel, kind)
    else:
        src, found = sources.parse_bytes(rel, kind, raw)
    if src is None:
        return FileResult(rel, None, (), tuple(found), sources.guess_id(cfg.root, rel))
    built, more = schema.build_entities(src, cfg.root, cfg.content_dir, tuple(cfg.perspectives),
                                        schema.ReadOptions(cfg.statuses, cfg.csv))
    return FileResult(rel, src.digest, tuple(built), tuple(found) + tuple(more))


def load(root: Path, cfg: config_mod.Config | None = None, files: "FileMemo | None" = None,
         overrides: Mapping[str, str] | None = None, cache: LoadCache | None = None) -> Project:
    """Load and validate a whole project. Config problems raise `ConfigError`; content problems are findings.

    :param cfg: the config, if already loaded.
    :param files: the files read by an earlier load in this process (the preview server): a file
        whose size and modification time (and those of the CSV files it reads) are unchanged is
        not read again. Updated in place.
    :param overrides: project-relative path -> text read instead of that file on disk (the
        unsaved buffers of an editor, `stratdocs lsp`); only for files the content folder lists.
    :param cache: the load cache (`stratdocs.cache_files`): a file whose bytes, CSV files and
        reading config are those of a kept result is not parsed again. Updated, not saved.
    """
    cfg = cfg or config_mod.load(root, cache if cache is not None and cache.folder is not None else None)
    config_mod.validate_references(cfg)
    kept = files.listing(cfg) if files is not None else None  # the preview, after a save of known files
    listed, found = kept or sources.discover(cfg.root, cfg.content_dir, dict(cfg.folders))
    if files is not None:
        files.listed = (cfg, listed, list(found))
    overrides = overrides or {}
    lock, lock_findings = suspect.read_lock(cfg.root)
    found += lock_findings if cfg.check_enabled("suspect") else []
    if files is not None:
        return combine(cfg, found, files.read(cfg, listed, overrides), lock, files.trace, files.items)
    if cache is not None and cache.folder is not None:
        results = read_cached(cfg, listed, cache, overrides)
        return combine(cfg, found, results, lock, sources=cache.sources())

    def read(item: tuple[str, str]) -> FileResult:
        return read_file(cfg, item[0], item[1], overrides.get(item[0]))
    return combine(cfg, found, workers.fork_map(read, listed, PARALLEL_MIN_FILES), lock)


def read_cached(cfg: config_mod.Config, listed: list[tuple[str, str]], cache: LoadCache,
                overrides: Mapping[str, str]) -> list[FileResult]:
    """The results of the listed (file, kind) pairs: kept ones from `cache` where the key
    matches, the others read (in workers from `PARALLEL_MIN_FILES`) and put in the cache."""
    options = cache_files.read_options(cfg)
    results: list[FileResult | None] = []
    todo: list[tuple[int, str, str, bytes | None, str]] = []
    root = str(cfg.root)
    for rel, kind in listed:
        raw = _raw(os.path.join(root, rel)) if rel not in overrides else None
        key = cache_files.key(options, rel, kind, raw) if raw is not None else ""
        kept = cache.get(cfg.root, rel, key) if key else None
        result = _decoded(rel, kept) if kept is not None else None
        if kept is not None and result is None:
            cache.forget(rel)
        results.append(result)
        if result is None:
            todo.append((len(results) - 1, rel, kind, raw, key))
    cache.hits, cache.misses = len(listed) - len(todo), len(todo)

    def read(item: tuple[int, str, str, bytes | None, str]) -> tuple[FileResult, str | None, list]:
        _, rel, kind, raw, key = item
        result = read_file(cfg, rel, kind, overrides.get(rel), raw)
        deps = [[d, cache_files.file_state(cfg.root, d)] for d in dict.fromkeys(result.data_files)]
        return result, _encoded(result) if key else None, deps

    for (number, rel, _, _, key), (result, encoded, deps) in zip(todo, workers.fork_map(read, todo, PARALLEL_MIN_FILES)):
        results[number] = result
        if encoded is not None:
            cache.put(rel, key, deps, encoded)
    return results  # type: ignore[return-value]  # every None was filled


def _raw(path: str) -> bytes | None:
    try:
        with open(path, "rb") as fh:  # a str path: a Path per file costs a third of the read
            return fh.read()
    except OSError:
        return None  # read_file reports it


def _encoded(result: FileResult) -> str | None:
    """A file's result as codec JSON for the load cache (None: a value the codec does not know)."""
    return cache_files.encoded((result.digest, result.entities, result.findings, result.unreadable_id))


def _decoded(rel: str, text: str) -> FileResult | None:
    """A kept result back from codec JSON; None when it is not the shape `_encoded` writes."""
    value = cache_files.decoded(text)
    if not (isinstance(value, tuple) and len(value) == 4 and isinstance(value[1], tuple)
            and isinstance(value[2], tuple) and all(isinstance(e, Entity) for e in value[1])
            and all(isinstance(f, Finding) for f in value[2])):
        return None
    return FileResult(rel, value[0], value[1], value[2], value[3])


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size


class FileMemo:
    """Per-file results kept between loads in one process, keyed by what the file depends on."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[tuple, FileResult]] = {}
        self.config_stamp: object = None
        #: how many files the last `read` parsed again
        self.reread = 0
        #: the trace index of the last load, reused while the links are the same
        self.trace = trace.BuildMemo()
        #: per-item results of the analysis (health, trend), kept while their inputs are the same
        self.items: dict = {}
        #: the files that may have changed since the last `read` (None: any file, or one was
        #: created or deleted); the preview sets it from what the watcher saw (`edited`)
        self.changed: set[str] | None = None
        #: whether someone reports every save (`edited`): the preview's watcher does
        self.watched = False
        #: (config, listed files, discovery findings) of the last load
        self.listed: tuple | None = None
        #: which items each `read` read again (`itemmemo.Edits`); its mark is in `items`
        self.edits = itemmemo.Edits()
        self._read_listed: list | None = None  # the listing the last `read` was given
        self.checkout = git.CheckoutMemo()  # what git says, kept while only content is saved

    def edited(self, rels: set[str] | None) -> None:
        """Only these known content files were saved since the last `read` (None: anything may
        have changed: a file created, deleted or renamed, config or data edited)."""
        self.changed = None if rels is None or self.changed is None or not rels <= self.files.keys() \
            else self.changed | rels

    def listing(self, cfg: config_mod.Config) -> tuple[list[tuple[str, str]], list[Finding]] | None:
        """The last load's files and discovery findings while no file was created or deleted since."""
        if self.changed is None or self.listed is None or self.listed[0] is not cfg and self.listed[0] != cfg:
            return None
        return self.listed[1], list(self.listed[2])

    def _key(self, cfg: config_mod.Config, rel: str, kind: str, previous: FileResult | None,
             text: str | None = None) -> tuple:
        deps = previous.data_files if previous else ()
        root = str(cfg.root)
        own = _stat(os.path.join(root, rel)) if text is None else ("text", text)
        return (kind, own, tuple((d, _stat(os.path.join(root, d))) for d in deps))

    def read(self, cfg: config_mod.Config, listed: list[tuple[str, str]],
             overrides: Mapping[str, str] | None = None) -> list[FileResult]:
        """The results of the listed (file, kind) pairs: kept ones where nothing changed.

        :param overrides: path -> unsaved text read instead of the file (see `load`).
        """
        overrides = overrides or {}
        stamp = (_stat(str(cfg.root / config_mod.CONFIG_FILE)), cfg)
        if stamp != self.config_stamp:  # config decides how files are read: start afresh
            self.files = {}
            self.config_stamp = stamp
        results, kept, self.reread = [], {}, 0
        edited: dict | None = {}  # the items of the files read again, by id (`itemmemo.Edits`)
        trusted = self.changed if self.changed is not None and not overrides else None

        def one(rel: str, kind: str, previous: tuple | None, text: str | None) -> FileResult:
            nonlocal edited
            if trusted is not None and previous is not None and rel not in trusted and previous[0][0] == kind:
                key = previous[0]  # not saved since: no need to look at it (`edited`)
            else:
                key = self._key(cfg, rel, kind, previous[1] if previous else None, text)
            if previous is not None and previous[0] == key:
                result = previous[1]
            else:
                result = read_file(cfg, rel, kind, text)
                key = self._key(cfg, rel, kind, result, text)
                self.reread += 1
                if edited is None or previous is None or result.unreadable_id is not None \
                        or previous[1].unreadable_id is not None \
                        or [e.id for e in result.entities] != [e.id for e in previous[1].entities]:
                    edited = None  # an item added, removed or renamed: any may differ
                else:
                    edited.update((e.id, e) for e in result.entities)
            kept[rel] = (key, result)
            return result

        if trusted is not None and listed is self._read_listed and self.files:
            # The same listing, and only the saved files to look at: the others are as they were.
            kept.update(self.files)
            for rel in trusted & kept.keys():
                one(rel, kept[rel][0][0], kept[rel], None)
            results = [kept[rel][1] for rel, _ in listed]
        else:
            for rel, kind in listed:
                results.append(one(rel, kind, self.files.get(rel), overrides.get(rel)))
        self._read_listed = listed
        if edited is not None and list(kept) != list(self.files):
            edited = None  # other files, or in another order
        self.files, self.changed = kept, set() if self.watched else None
        self.items[itemmemo.EDITS] = self.edits.record(edited)
        return results


def combine(cfg: config_mod.Config, discovery: list[Finding], results: list[FileResult],
            lock: suspect.Lock | None = None, traces: trace.BuildMemo | None = None, items: dict | None = None,
            sources: Mapping[str, str] | None = None) -> Project:
    """A project from the per-file results (fresh, or reused by the preview server); `lock` is
    the entries of `stratdocs.lock` (None without one); `traces`, `items`: the preview's memos;
    `sources`: `Project.sources`."""
    findings = list(discovery)
    entities: list[Entity] = []
    digests: dict[str, str] = {}
    unreadable: set[str] = set()
    for result in results:
        findings += result.findings
        entities += result.entities
        if result.digest is not None:
            digests[result.rel] = result.digest
        if result.unreadable_id is not None:
            unreadable.add(result.unreadable_id)
    project = assemble(cfg, entities, findings, digests, frozenset(unreadable), lock, traces, items)
    return replace(project, sources=MappingProxyType(dict(sources))) if sources else project


def assemble(cfg: config_mod.Config, entities: list[Entity], findings: list[Finding],
             digests: Mapping[str, str], unreadable: frozenset[str] = frozenset(),
             lock: suspect.Lock | None = None, traces: trace.BuildMemo | None = None,
             items: dict | None = None) -> Project:
    """Everything after reading files: plan, trace index, health and alignment findings.

    `unreadable` holds the ids of files that could not be parsed (already reported), so that
    references to them do not cascade into broken-ref errors. `lock` is the entries of
    `stratdocs.lock` for the suspect-link check (None: no lock, nothing is suspect). `traces`
    builds the trace index reusing the last one while the links are the same (the preview);
    `items` keeps per-item health and trend while their inputs are the same (`itemmemo`).
    """
    findings = list(findings)
    mark = items.get(itemmemo.EDITS) if items is not None else None
    plan, found = trace.assemble_kept(entities, items)
    findings += found
    if plan.root is None and not any(f.code in ("yaml", "encoding") for f in findings):
        findings.append(error(f"{cfg.content_dir}/plan.md", 1, 1, "schema",
                              "there is no plan: create content/plan.md with the plan's title, vision and mission"))
    index, found = traces.build(plan, unreadable, mark) if traces is not None else trace.build(plan, unreadable)
    findings += found
    published, found = assets_mod.discover(cfg.root, cfg.content_dir)
    findings += found if cfg.check_enabled("asset") else []
    findings += _file_links(cfg, plan, digests, {f"{cfg.content_dir}/assets/{rel}" for rel, _ in published})
    kpi_health, objective_health = health.compute(index, cfg.as_of, cfg.status, items)
    initiatives = delivery.compute(plan, cfg.as_of, cfg.delivery, items)
    late = delivery.gaps(plan, initiatives, cfg.as_of, cfg.delivery)
    found, waivers = alignment.check(index, kpi_health, objective_health, cfg.as_of, cfg.check_enabled, late,
                                     cfg.risks.high, items)
    findings += found
    findings += [f for f in suspect.check(index, lock, cfg.check_enabled)  # waivers listed by alignment
                 if "suspect" not in plan.entities[f.entity].waive]
    waiving = itemmemo.waiving(plan, items)
    for code in SCHEMA_WARNINGS:
        if not cfg.check_enabled(code):
            findings = [f for f in findings if f.code != code]
        else:  # these come from the schema, so their waivers apply here (alignment lists them)
            waived = {eid for eid, waive in waiving.items() if code in waive}
            findings = [f for f in findings if not (f.code == code and f.entity in waived)]
    kpi_trend, objective_trend = trend_mod.compute(plan, kpi_health, objective_health, cfg.as_of, cfg.status, items)
    return Project(cfg, plan, index, kpi_health, objective_health, tuple(sorted(set(findings), key=finding_order)),
                   tuple(waivers), digests, published, kpi_trend=kpi_trend, objective_trend=objective_trend,
                   initiative_health=initiatives, edits=items.get(itemmemo.EDITS) if items is not None else None)


def _file_links(cfg: config_mod.Config, plan: Plan, digests: Mapping[str, str], published: set[str]) -> list[Finding]:
    """Relative Markdown links must reach a content page or a file under content/assets."""
    findings = []
    content = cfg.content_dir.rstrip("/") + "/"
    checked: dict[str, bool] = {}
    for entity in plan:
        if entity.container is not None:
            continue
        for ref in entity.refs:
            if ref.key != "file":
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(entity.file), ref.target))
            if target not in checked:
                checked[target] = target in digests or target in published
            if not checked[target]:
                hint = ("it leaves the content folder" if not target.startswith(content)
                        else "a file under assets/ that is not published (see its warning)"
                        if target.startswith(content + "assets/") and (cfg.root / target).exists()
                        else "no such page or file under assets/")
                findings.append(error(entity.file, ref.line, ref.col, "broken-ref",
                                      f"link '{ref.target}' points to nothing: {hint}; fix the path", entity.id))
    return findings
