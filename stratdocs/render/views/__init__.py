"""View models: everything a template prints, computed in Python from the loaded project.

Templates loop and print; they do not compute. The view models are frozen dataclasses, split
by what they describe:

- `common`: item references, facts, breadcrumbs, pages, groups, health counts;
- `core`: the shared state (project, site map, read tracking, charts, bodies) and the `site` context;
- `kpi`, `entity`, `matrix`, `reports`, `owners`: the pages of the site;
- `document` and `selection`: PDF documents (which items a document shows, where its links go).

`Views` is the one object site and PDF rendering ask for view models.
"""

from __future__ import annotations

from stratdocs.render.views.common import Crumb, Fact, Group, ItemRef, Page, Traced, link_body
from stratdocs.render.views.execution import ExecutionViews
from stratdocs.render.views.owners import OwnerViews

__all__ = ["Crumb", "Fact", "Group", "ItemRef", "Page", "Traced", "Views", "link_body"]


class Views(ExecutionViews, OwnerViews):
    """Builds the view model of every page from one loaded project (see `ViewsCore` for its arguments)."""
