"""PDF document view models now live in `stratdocs.render.views.document` and `.selection`;
this name is kept for the imports that use it."""

from stratdocs.render.views.document import DocumentViews
from stratdocs.render.views.selection import Links, anchor, section_anchor, select

__all__ = ["DocumentViews", "Links", "anchor", "section_anchor", "select"]
