"""What one process remembers between builds: the preview server's dependency tracking.

The on-disk cache (`stratdocs.cache`) remembers rendered bodies, charts and page fingerprints
across processes. This module owns the rest, which is only valid inside one process: for each
page, the items its view model read (`reads`); for each item, everything a page may show of it
(`states`) and how a reference to it looks (`item_refs`); and memo tables of view-model pieces
(KPI rows, search documents) and the compiled Jinja environment. A rebuild compares the new
states with the old and skips every page none of whose reads changed (`render.site.write_site`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

#: A pseudo-id: "the links between items", read by pages such as the matrices.
GRAPH = "*graph*"
#: A pseudo-id: what belongs to no item (findings without an item, published assets, the last
#: change of the whole project), read by the HTML twins of the PDF documents.
PLAN = "*plan*"


def owner_id(key: str) -> str:
    """The pseudo-id of one owner (their items and what needs them), read by the owner's page."""
    return f"*owner*{key}"


@dataclass
class Memory:
    """Dependency tracking and memo tables kept between rebuilds in one process."""

    #: entity id -> everything a page may show of it (None before the first build)
    states: dict[str, tuple] | None = None
    #: page -> (context hash, ids its view model read in full, ids it showed only as references)
    reads: dict[str, tuple[str, frozenset, frozenset]] = field(default_factory=dict)
    #: entity id -> how a reference to it looks (id, title, kind, page, health)
    item_refs: dict = field(default_factory=dict)
    #: search documents by entity id: (inputs, document)
    docs: dict = field(default_factory=dict)
    #: KPI rows (scorecard, objective pages) by entity id: (inputs, row)
    rows: dict = field(default_factory=dict)
    #: (theme fingerprint and config, compiled Jinja environment)
    env: tuple | None = None
    #: entity id -> rendered body HTML of the previous build
    body_html: dict[str, str] = field(default_factory=dict)
    #: digests of the previous build's states, references and bodies, restored from the on-disk
    #: cache (`restore`) for a build in a new process; each table is used once, then dropped
    restored: dict = field(default_factory=dict)
    #: digests of this build's states, references and bodies already computed (to compare with
    #: `restored`), reused by `snapshot`
    digests: dict = field(default_factory=dict)
    #: guard -> entity id -> (view model, ids read, ids shown) of the previous rebuild (`render.viewmemo`)
    views: dict = field(default_factory=dict)
    #: what a rebuild takes over from the last one while its inputs are the same (`render.reuse`)
    kept: dict = field(default_factory=dict)
    #: page -> (its read record as restored, the snapshot's row it came from): a page carried
    #: over keeps that very record, which `snapshot` then writes as the row, not sorted again
    read_rows: dict = field(default_factory=dict)

    def environment(self, theme, config, fingerprint: str):
        """The compiled Jinja environment of the last rebuild while the theme (`fingerprint`) and
        config are the same, else a new one (kept in `env` by `render.site.write_site`)."""
        if self.env and self.env[0] == (fingerprint, config):
            return self.env[1]
        from stratdocs.render.environment import make_environment

        return make_environment(theme, config.language)

    def snapshot(self, guard: str) -> dict:
        """What a later build in another process needs to skip unchanged pages, as plain data
        (saved in the signed on-disk cache): digests of every item's state, reference and body,
        and each page's read set. `guard` is a hash of everything else a page depends on
        (theme, site context, config); a snapshot restored under another guard is ignored."""
        states = self.digests.get("states") or {key: _digest_state(s) for key, s in (self.states or {}).items()}
        refs = self.digests.get("refs") or {key: _digest(ref) for key, ref in self.item_refs.items()}
        return {"guard": guard,
                "states": [[key, *state] for key, state in states.items()],
                "refs": refs,
                "bodies": self.digests.get("bodies") or {key: _digest(html) for key, html in self.body_html.items()},
                "reads": {rel: row if (row := self._row(rel, record)) is not None else [record[0], sorted(record[1]),
                                                                                       sorted(record[2])]
                          for rel, record in self.reads.items()}}

    def _row(self, rel: str, record: tuple) -> list | None:
        kept = self.read_rows.get(rel)
        return kept[1] if kept is not None and kept[0] is record else None

    @classmethod
    def restore(cls, data: object, guard: str) -> "Memory":
        """A memory whose previous build is the one `snapshot` described (with the same guard);
        an empty memory for anything else (no snapshot, another guard, malformed data)."""
        if not _valid_snapshot(data) or data["guard"] != guard:
            return cls()
        rows = {rel: ((row[0], frozenset(row[1]), frozenset(row[2])), row) for rel, row in data["reads"].items()}
        return cls(reads={rel: kept[0] for rel, kept in rows.items()}, read_rows=rows,
                   restored={"states": {row[0]: tuple(row[1:]) for row in data["states"]},
                             "refs": dict(data["refs"]), "bodies": dict(data["bodies"])})

    def changed_bodies(self, bodies: dict[str, str]) -> set[str]:
        """Ids whose rendered body differs from the previous build's (a body shows other items'
        titles and page paths, so it can change while its own file did not).

        :param bodies: entity id -> rendered body HTML of this build.
        """
        previous, self.body_html = self.body_html, dict(bodies)
        if "bodies" in self.restored:
            old = self.restored.pop("bodies")
            digests = self.digests["bodies"] = {key: _digest(html) for key, html in self.body_html.items()}
            return {key for key, digest in digests.items() if old.get(key) != digest}
        return {key for key, html in self.body_html.items() if previous.get(key) != html}

    def ref_changes(self, item_refs: dict, candidates: set[str] | None = None) -> set[str]:
        """Ids whose reference (id, title, kind, page, health) looks different from last time.

        :param candidates: the only ids whose reference may not be last time's object, with the
            same ids as last time (`render.reuse.item_ref_changes`): only these are compared.
        """
        previous, self.item_refs = self.item_refs, item_refs
        if "refs" in self.restored:
            previous = self.restored.pop("refs")
            item_refs = self.digests["refs"] = {key: _digest(ref) for key, ref in item_refs.items()}
            candidates = None
        if candidates is not None and previous.keys() == item_refs.keys():
            return {key for key in candidates if key in item_refs and (old := previous.get(key)) is not item_refs[key]
                    and old != item_refs[key]}
        get = previous.get  # the same object is the same reference (`render.reuse.item_refs`)
        changed = {key for key, ref in item_refs.items() if (old := get(key)) is not ref and old != ref}
        return changed | (previous.keys() - item_refs.keys())

    def changes(self, states: dict[str, tuple], candidates: set[str] | None = None) -> set[str] | None:
        """Ids whose state differs from the previous build's (None on the first build), plus the
        token GRAPH when any link was added, removed or retargeted. Remembers `states`.

        :param states: entity id -> state tuple whose last two items are its links up and down.
        :param candidates: the only ids whose state may differ from the previous one's, which
            holds the same ids in the same order (`render.reuse.states`): only these are compared.
        """
        previous, self.states = self.states, states
        if "states" in self.restored:  # compared as digests: (state without links, up, down)
            previous = self.restored.pop("states")
            states = self.digests["states"] = {key: _digest_state(state) for key, state in states.items()}
            candidates = None
        if previous is None:
            return None
        if candidates is not None:
            return {key for key in candidates if previous[key] != states[key]} | (
                {GRAPH} if any(previous[key][-2:] != states[key][-2:] for key in candidates) else set())
        changed = {key for key, state in states.items() if previous.get(key) != state}
        removed = previous.keys() - states.keys()
        changed |= removed
        if removed or list(previous) != list(states) or any(
                key not in previous or previous[key][-2:] != states[key][-2:] for key in changed):
            changed.add(GRAPH)  # links or the order of items changed
        return changed


def plan_state(project) -> tuple:
    """The state of `PLAN`: the findings about no item, the published assets, the last change of
    the whole project and the config (a document's own settings); no links (the last two)."""
    return (tuple(f for f in project.findings if not f.entity), tuple(rel for rel, _ in project.assets),
            project.checkout.last_change, project.config, (), ())


def _digest_state(state: tuple) -> tuple[str, str, str]:
    return _digest(state[:-2]), _digest(state[-2]), _digest(state[-1])


def _digest(value: object) -> str:
    """A digest of a value's repr. A repr that differs between processes (set order) only makes
    a page look changed, so it is recomputed: never the reverse."""
    return hashlib.sha256(repr(value).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _strings(values: object) -> bool:
    """Whether `values` is a list of strings (the types gathered in C: 300,000 ids at 10,000 items)."""
    return type(values) is list and set(map(type, values)) <= _STR


_STR = frozenset((str,))


def _valid_snapshot(data: object) -> bool:
    """Whether `data` has the exact shape `Memory.snapshot` writes (anything else is ignored)."""
    if not isinstance(data, dict) or not isinstance(data.get("guard"), str):
        return False
    states, refs, bodies, reads = (data.get(k) for k in ("states", "refs", "bodies", "reads"))
    return (isinstance(states, list) and all(_strings(row) and len(row) == 4 for row in states)
            and all(isinstance(d, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in d.items())
                    for d in (refs, bodies))
            and isinstance(reads, dict)
            and all(isinstance(row, list) and len(row) == 3 and isinstance(row[0], str) and _strings(row[1])
                    and _strings(row[2]) for row in reads.values()))


class Reads:
    """What one page's view model read while it was built: the preview skips the page next time
    unless one of these items changed. `start()` before building the view, `stop()` after."""

    def __init__(self) -> None:
        self._full: set[str] | None = None
        self._shown: set[str] | None = None

    def start(self) -> None:
        """Begin recording for one page."""
        self._full, self._shown = set(), set()

    def suspend(self) -> tuple:
        """Set the current recording aside (to record one item's view alone); see `resume`."""
        saved = (self._full, self._shown)
        self._full = self._shown = None
        return saved

    def resume(self, saved: tuple) -> None:
        """Go on with the recording `suspend` set aside."""
        self._full, self._shown = saved

    def stop(self) -> tuple[frozenset[str], frozenset[str]]:
        """Stop recording: (ids read in full, ids only shown as references)."""
        full, shown = frozenset(self._full or ()), frozenset(self._shown or ())
        self._full = self._shown = None
        return full, shown

    def read(self, entity_id: str) -> None:
        """The page shows more of this item than a reference (owner, status, body, ...)."""
        if self._full is not None:
            self._full.add(entity_id)

    def shown(self, entity_id: str) -> None:
        """The page shows this item as a reference (id, title, kind, page, health)."""
        if self._shown is not None:
            self._shown.add(entity_id)
