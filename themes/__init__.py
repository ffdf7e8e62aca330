"""The built-in themes, installed as the package `stratdocs.themes` (see pyproject.toml).

`default/` is the theme every project starts from: `templates/` (Jinja, one per page kind, a
base layout and the PDF templates), `static/` (CSS for screen and print, the little JavaScript
the site needs, fonts) and `new/` (the files `stratdocs new KIND ID` writes). A project theme in
its own `themes/NAME/` overrides single files of it; see docs/themes.md.
"""
