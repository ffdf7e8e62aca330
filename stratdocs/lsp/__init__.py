"""`stratdocs lsp`: a language server (pygls, stdio) for the Markdown files of a plan.

Editors do not validate front matter inside Markdown, so the server does, with `check`'s own
loading: `project.load` with the unsaved text of the open files as overrides and a
`project.FileMemo`, so a keystroke re-parses only the changed file. It publishes the findings
of each open file as diagnostics (`diagnostics`), completes ids in reference keys and after
``[[`` (`completion`), and jumps from an id to the file and line that defines it
(`definition`). `server` wires these to the protocol and debounces re-checks; `projects`
keeps one loaded project per plan folder.
"""
