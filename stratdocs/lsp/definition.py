"""Go to definition: from an id in a reference key or a ``[[ID]]`` link to where it is defined."""

from __future__ import annotations

from pathlib import Path

from stratdocs.lsp import text
from stratdocs.model import Entity, Plan


def target(plan: Plan, lines: list[str], line: int, char: int) -> Entity | None:
    """The entity whose id is under the cursor at (`line`, `char`), if it names one.

    :param plan: the loaded plan; `lines`: the document's lines without line ends.
    """
    found = text.id_at(lines, line, char)
    return plan.get(found[0]) if found else None


def location(root: Path, entity: Entity) -> tuple[Path, int, int]:
    """The file and 0-based line and character where `entity` is defined (its `id:` line, the
    list item of a nested objective or task, else the top of its file).

    :param root: the project folder its `file` is relative to.
    """
    return root / entity.file, max(entity.line - 1, 0), 0
