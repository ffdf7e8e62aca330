"""`Views`: every view model of the site and the PDFs, in one object (see `render.views`)."""

from __future__ import annotations

from stratdocs.render.views.execution import ExecutionViews
from stratdocs.render.views.owners import OwnerViews


class Views(ExecutionViews, OwnerViews):
    """Builds the view model of every page from one loaded project (see `ViewsCore` for its arguments)."""

    _complete = True
