"""Inline SVG charts: KPI sparklines, KPI trend charts, the strategy map, the roadmap and progress bars.

Pure functions: plain data in, an SVG string (``markupsafe.Markup``) out. The SVGs need no script,
no external resource and no web font, so they work inline in HTML, from ``file://`` and in
WeasyPrint PDFs. Output is deterministic: coordinates are printed with one decimal, there are no
generated ids (several charts can share a page) and nothing depends on the clock or locale.

Colours are presentation attributes (``fill``/``stroke``), which print and WeasyPrint use, plus a
CSS class per role (``sd-actual``, ``sd-health-green``, ...), which a theme's stylesheet can
override (e.g. for dark mode) because any CSS rule beats a presentation attribute. Health is never
shown by colour alone: every place that shows health also carries the word (visible text,
``<title>`` or ``aria-label``), see SPEC §6.

Modules: ``svg`` (the primitives every chart uses), ``axes`` (the KPI chart's ticks), and one
module per chart. Callers use the names below (``Views.chart`` looks them up by name).
"""

# Each chart function has the name of its module; importing the function here rebinds the
# package attribute from the submodule to the function, which is what callers look up.
from stratdocs.render.charts.heatmap import heatmap
from stratdocs.render.charts.kpi_chart import kpi_chart
from stratdocs.render.charts.progress_bar import progress_bar
from stratdocs.render.charts.roadmap import roadmap
from stratdocs.render.charts.sparkline import sparkline
from stratdocs.render.charts.strategy_map import strategy_map
from stratdocs.render.charts.svg import HEALTH_COLOURS

__all__ = ["HEALTH_COLOURS", "heatmap", "kpi_chart", "progress_bar", "roadmap", "sparkline", "strategy_map"]
