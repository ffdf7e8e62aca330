"""Outputs the preview brings up to date after the reload (issue 15: "one-file edit in `serve`").

A rebuild of the preview (`serve.session.Session.update`) makes at once only the pages of the
items of the files just saved: the page the writer is looking at is almost always one of them.
Every other output that must be made again — other items' pages that show them, the
documents' HTML twins, which print the whole plan, the home page, reports, owner pages,
indexes, the search index — is left here instead, with
what is needed to make it exactly as the rebuild would have: the rebuild's views, renderer,
context hash, writer, cache and memory. The session then makes them one by one after the
reload has been signalled (`settle`), and the preview server makes a pending one first when a
browser asks for it, so no request is ever answered with a stale page.

While an output is pending, its read set is forgotten (`Memory.reads`), so a later rebuild
never mistakes the file on disk for an up-to-date one: it makes (or defers) it again. The old
file stays claimed in its round so that it is not removed and written back. A later rebuild
replaces the whole table, and a pending output of an older rebuild is never made.
"""

from __future__ import annotations

from typing import Callable

from stratdocs.render.views.interface import use as use_interface

#: The template of the HTML twins: the costliest outputs, made last.
TWIN_TEMPLATE = "document_twin.html"


class Deferred:
    """The outputs one preview rebuild left for later, and how to make each.

    :param urgent: the output paths made at once when they must be made (`_urgent`).
    """

    def __init__(self, urgent: frozenset[str] = frozenset()):
        self.urgent = urgent
        #: output path -> the `render.site.Output` left for later, in the order they are made
        self.pending: dict[str, object] = {}
        #: output path -> the message of the error making it raised (served instead of the page)
        self.failed: dict[str, str] = {}
        self._make: Callable[[object, Callable[[], bool] | None], None] | None = None
        self._done: Callable[[], None] | None = None
        self._ui = None
        self._ordered = False

    def take(self, output, previous: tuple | None, writer, memory) -> bool:
        """Whether `output`, which must be made, is left for later (`render.pages.write_outputs`).

        :param previous: (fingerprint, sha256) of the file there now, from the cache.
        """
        if output.rel in self.urgent:
            return False
        if previous is not None:
            writer.keep(output.rel, previous[1])  # stays in this round; replaced when made
        memory.reads.pop(output.rel, None)  # never "unchanged" until it is made
        self.pending[output.rel] = output
        return True

    def bind(self, make: Callable, done: Callable[[], None], ui) -> None:
        """What makes a pending output (`render.pages.write_one` with the rebuild's state), what
        to do once none is left (keep the item views for the next rebuild) and the interface
        (the words of the plan's language) the rebuild rendered with."""
        self._make, self._done, self._ui = make, done, ui

    def __len__(self) -> int:
        return len(self.pending)

    def __contains__(self, rel: str) -> bool:
        return rel in self.pending

    def make(self, rel: str | None = None, stop: Callable[[], bool] | None = None) -> str | None:
        """Make one pending output (`rel`, or the next one); returns the path made, or None when
        there was none. An error is kept in `failed` and raised.

        :param stop: asked now and then while a page's template renders; when it says yes the
            page is given up, stays pending (first) and `Interrupted` is raised: a new rebuild
            is waiting, and it will list the page again anyway.
        """
        if not self.pending or (rel is not None and rel not in self.pending) or self._make is None:
            return None
        if not self._ordered:  # the twins print whole documents: last, after every cheaper page
            twins = [key for key, output in self.pending.items() if output.template == TWIN_TEMPLATE]
            for key in twins:
                self.pending[key] = self.pending.pop(key)
            self._ordered = True
        rel = rel if rel is not None else next(iter(self.pending))
        output = self.pending.pop(rel)
        use_interface(self._ui)  # a server or settling thread has its own context
        try:
            self._make(output, stop)
        except Interrupted:
            self.pending = {rel: output, **self.pending}
            raise
        except Exception as exc:
            self.failed[rel] = getattr(exc, "message", None) or str(exc)
            raise
        if not self.pending and self._done is not None:
            self._done()
        return rel


class Interrupted(Exception):
    """A page being made after the reload was given up for a new rebuild (`Deferred.make`)."""


class _Stoppable:
    """The rebuild's `render.site.SiteRenderer`, rendering templates in pieces (Jinja's
    `generate`, which yields exactly what `render` joins) and asking `stop` between them. Only
    `render` differs; the rest is the renderer's own."""

    #: Pieces of template output between two questions (a twin at 10,000 items has millions).
    EVERY = 2000

    def __init__(self, renderer, stop: Callable[[], bool]):
        self._renderer, self._stop = renderer, stop

    def __getattr__(self, name: str):
        return getattr(self._renderer, name)

    def render(self, output, view) -> str:
        import jinja2

        from stratdocs.render.views.documents import rebase_svg_links
        from stratdocs.theme import template_error

        renderer = self._renderer
        tpl = renderer.template(output)
        parts: list[str] = []
        try:
            for number, part in enumerate(tpl.generate(site=renderer.site, page=output.page, view=view,
                                                       print_text=renderer.print_text, **renderer.extra)):
                parts.append(part)
                if number % self.EVERY == 0 and self._stop():
                    raise Interrupted(output.rel)
        except jinja2.TemplateError as exc:
            raise template_error(exc, renderer.theme) from None
        html = "".join(parts)
        return rebase_svg_links(html, output.page.root) if output.template == TWIN_TEMPLATE else html


def bind(deferred: Deferred | None, project, sitemap, done: Callable[[], None], base: str, writer, cache, memory,
         views, renderer) -> None:
    """Before a preview rebuild writes its outputs: the pages of items are made at once; give
    `deferred` the rebuild's state to make the others with (`render.site.write_site`). Nothing
    when `deferred` is None (a build, or a rebuild that makes everything).

    :param done: called once nothing is pending (keeps the item views for the next rebuild).
    """
    if deferred is None:
        return
    from stratdocs.render.pages import write_one

    deferred.urgent = _urgent(project, sitemap)

    def make(output, stop: Callable[[], bool] | None) -> None:
        try:
            write_one(output, base, writer, cache, memory, views, renderer if stop is None else _Stoppable(renderer, stop))
        finally:
            writer.abort()  # between two rounds: forget the claim, so the next round can make it again

    deferred.bind(make, done, views.ui)


def _urgent(project, sitemap) -> frozenset[str]:
    """The pages made before the reload: those of the items this load read again (the file just
    saved is almost always the one whose page the writer looks at; any other page a browser asks
    for while it is pending is made first, see the module). When the load cannot say which items
    it read again (a file added or removed, an id renamed, another config), every item's page."""
    edits = project.edits
    edited = edits[0].latest if edits is not None and edits[1] == edits[0].generation else None
    if edited is None:
        return frozenset(sitemap.path(e.id) for e in project.plan if e.container is None and e.kind != "plan")
    entities = project.plan.entities
    return frozenset(sitemap.page(entity.container or entity.id) for entity in
                     (entities[eid] for eid in edited if eid in entities) if entity.kind != "plan")
