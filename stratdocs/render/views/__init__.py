"""View models: everything a template prints, computed in Python from the loaded project.

Templates loop and print; they do not compute. The view models are frozen dataclasses, split
by what they describe:

- `common`: item references, facts, breadcrumbs, pages, groups, health counts;
- `core`: the shared state (project, site map, read tracking, charts, bodies) and the `site` context;
- `kpi`, `entity`, `matrix`, `reports`, `owners`: the pages of the site;
- `document` and `selection`: PDF documents (which items a document shows, where its links go).

`Views` (`full`) is the one object site and PDF rendering ask for view models. Importing this
package does not import it: `from stratdocs.render.views import Views` does (`__getattr__`), and
a `ViewsCore` made alone becomes one when a page's view model is first asked of it.
"""

from __future__ import annotations

from stratdocs.render.views.common import Crumb, Fact, Group, ItemRef, Page, Traced, link_body

__all__ = ["Crumb", "Fact", "Group", "ItemRef", "Page", "Traced", "Views", "link_body"]


def __getattr__(name: str):
    """`Views`, imported when it is first asked for (the package's other names are light)."""
    if name == "Views":
        from stratdocs.render.views.full import Views

        return Views
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
