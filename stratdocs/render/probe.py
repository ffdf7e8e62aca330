"""`check` renders the project's own templates once, so it refuses what `build` would refuse.

A syntax error is found by compiling (`theme.check_templates`); an undefined name, a missing
`{% extends %}` target or a sandbox refusal only shows when a template renders. For every
template name the site or a PDF document uses, the first page that uses it is rendered in
memory (nothing is written) when the project's theme has any template of its own. A built-in
theme is tested by the suite, so a project without templates of its own costs nothing here.
"""

from __future__ import annotations

from stratdocs.findings import Finding
from stratdocs.project import Project
from stratdocs.theme import TemplateError, Theme, template_files


def template_findings(project: Project, theme: Theme) -> list[Finding]:
    """A located `template` error for each of the project's templates that fails to render."""
    if not template_files(theme):
        return []
    from stratdocs.render.environment import make_environment
    from stratdocs.render.views.interface import Interface, use as use_interface
    from stratdocs.render.pdf import document_html, document_views
    from stratdocs.render.site import SiteRenderer

    env = make_environment(theme, project.config.language)
    views = document_views(project)
    views.ui = Interface.of(project.config, env.translations)
    use_interface(views.ui)
    findings: list[Finding] = []
    renderer = SiteRenderer(project, views, env, theme)
    seen: set[str] = set()
    for output in renderer.outputs():
        if output.template is None or repr(output.template) in seen:
            continue
        seen.add(repr(output.template))
        findings += _attempt(lambda: renderer.render(output, output.view()))
    for doc in project.config.documents:
        findings += _attempt(lambda: document_html(project, views, doc, env, theme))
    return sorted(set(findings))


def _attempt(render) -> list[Finding]:
    try:
        render()
    except TemplateError as exc:
        return list(exc.findings)
    return []
