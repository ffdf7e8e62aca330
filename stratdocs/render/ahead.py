"""A cold build's KPI charts, made before the pages and spread over the workers.

A twin (`documents/ID.html`) shows every item with its own page's view model, so the worker that
makes a twin makes every KPI's charts too: four per KPI (three widths for the page, one for
print), a third of a cold build's work at 10,000 entities, on one core, while the other workers
make the KPI pages' charts a second time. When nothing can be carried over from a previous
build, every KPI page will be made, so its charts are made first here: in workers, each chart
once, into the chart cache the page workers then inherit. The charts are the ones the pages ask
for (the same function, arguments and key: `Views.kpi_charts`, `Views.chart_key`), so the pages'
bytes are the same as without this step.
"""

from __future__ import annotations

from stratdocs import workers
from stratdocs.cache import BuildCache

#: From this many charts to make, they are made in worker processes first.
PARALLEL_MIN = 200


def make_kpi_charts(views, cache: BuildCache, every_page: bool) -> int:
    """Put every KPI detail chart the chart cache lacks into it; how many were made.

    :param every_page: every page will be made (a build with nothing to carry over); otherwise
        nothing is done here: the pages that need a chart make it.
    """
    if not every_page:
        return 0
    todo = [(key, inputs) for entity in views.project.plan.of_kind("kpi") if entity.kpi is not None
            for inputs in views.kpi_charts(entity).values()
            if (key := views.chart_key("kpi_chart", inputs)) not in cache.charts]
    todo = list(dict(todo).items())  # a chart asked for twice is made once
    if len(todo) < PARALLEL_MIN or workers.count() < 2:
        return 0  # the pages make them as they go: workers would cost more than they save

    from stratdocs.render import charts

    def make(item: tuple[str, dict]) -> str:
        return str(charts.kpi_chart(**item[1]))
    for (key, _), svg in zip(todo, workers.fork_map(make, todo, PARALLEL_MIN)):
        cache.chart(key, lambda made=svg: made)
    return len(todo)
