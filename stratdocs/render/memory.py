"""What one process remembers between builds: the preview server's dependency tracking.

The on-disk cache (`stratdocs.cache`) remembers rendered bodies, charts and page fingerprints
across processes. This module owns the rest, which is only valid inside one process: for each
page, the items its view model read (`reads`); for each item, everything a page may show of it
(`states`) and how a reference to it looks (`item_refs`); and memo tables of view-model pieces
(KPI rows, search documents) and the compiled Jinja environment. A rebuild compares the new
states with the old and skips every page none of whose reads changed (`render.site.write_site`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: A pseudo-id: "the links between items", read by pages such as the matrices.
GRAPH = "*graph*"


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

    def changed_bodies(self, bodies: dict[str, str]) -> set[str]:
        """Ids whose rendered body differs from the previous build's (a body shows other items'
        titles and page paths, so it can change while its own file did not).

        :param bodies: entity id -> rendered body HTML of this build.
        """
        previous, self.body_html = self.body_html, dict(bodies)
        return {key for key, html in self.body_html.items() if previous.get(key) != html}

    def ref_changes(self, item_refs: dict) -> set[str]:
        """Ids whose reference (id, title, kind, page, health) looks different from last time."""
        previous, self.item_refs = self.item_refs, item_refs
        changed = {key for key, ref in item_refs.items() if previous.get(key) != ref}
        return changed | (previous.keys() - item_refs.keys())

    def changes(self, states: dict[str, tuple]) -> set[str] | None:
        """Ids whose state differs from the previous build's (None on the first build), plus the
        token GRAPH when any link was added, removed or retargeted. Remembers `states`.

        :param states: entity id -> state tuple whose last two items are its links up and down.
        """
        previous, self.states = self.states, states
        if previous is None:
            return None
        changed = {key for key, state in states.items() if previous.get(key) != state}
        removed = previous.keys() - states.keys()
        changed |= removed
        if removed or list(previous) != list(states) or any(
                key not in previous or previous[key][-2:] != states[key][-2:] for key in changed):
            changed.add(GRAPH)  # links or the order of items changed
        return changed


class Reads:
    """What one page's view model read while it was built: the preview skips the page next time
    unless one of these items changed. `start()` before building the view, `stop()` after."""

    def __init__(self) -> None:
        self._full: set[str] | None = None
        self._shown: set[str] | None = None

    def start(self) -> None:
        """Begin recording for one page."""
        self._full, self._shown = set(), set()

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
