"""`stratdocs init` and `stratdocs new`: new projects and entity files from shipped templates."""

from __future__ import annotations

import json
import shutil
from importlib import resources
from pathlib import Path

from stratdocs.errors import StratdocsError, UsageError
from stratdocs.model import KIND_FOLDERS
from stratdocs.schema import ID_RE
from stratdocs.theme import theme_dirs


def _dest(rel: Path) -> Path:
    """Where a shipped starter file goes: `_gitignore` -> `.gitignore`, `_github/` -> `.github/`,
    `_vscode/` -> `.vscode/`, `_stratdocs/` -> `.stratdocs/` (dot files are kept out of the
    package under another name)."""
    parts = list(rel.parts)
    if parts and parts[0] in ("_gitignore", "_github", "_vscode", "_stratdocs"):
        parts[0] = "." + parts[0][1:]
    return Path(*parts)


def init(target: Path) -> list[Path]:
    """Copy the starter project into `target`, refusing to overwrite anything."""
    source = resources.files("stratdocs") / "scaffold" / "init"
    with resources.as_file(source) as src:
        files = sorted(p for p in Path(src).rglob("*") if p.is_file())
        clashes = [_dest(f.relative_to(src)) for f in files if (target / _dest(f.relative_to(src))).exists()]
        if clashes:
            raise UsageError(f"{target / clashes[0]} already exists; init only creates a new project "
                                       "(choose an empty folder)")
        written = []
        for file in files:
            dest = target / _dest(file.relative_to(src))
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, dest)
            written.append(dest)
    return written


def new(project, kind: str, entity_id: str, title: str) -> Path:
    """Write a new entity file of `kind` from the theme's template; refuse an id already in use."""
    kind = kind.lower()
    if kind not in KIND_FOLDERS:
        raise UsageError(f"unknown kind '{kind}'; use one of: {', '.join(KIND_FOLDERS)}")
    if not ID_RE.match(entity_id):
        raise UsageError(f"'{entity_id}' is not a valid id: use letters, digits, '.', '_' and '-'")
    existing = project.plan.get(entity_id)
    if existing is not None:
        raise UsageError(f"id '{existing.id}' is already used by {existing.file}:{existing.line}")
    folder = project.config.content_path / KIND_FOLDERS[kind]
    path = folder / f"{entity_id}.md"
    if path.exists():
        raise UsageError(f"{path} already exists")
    template = _template(project, kind)
    today = project.as_of
    # The title goes in last, so that braces in it are not taken for placeholders.
    text = (template.replace("{id}", entity_id)
            .replace("{today}", today.isoformat())
            .replace("{year3}", str(today.year + 2))
            .replace("{year}", str(today.year))
            .replace("{perspective}", next(iter(project.config.perspectives), ""))
            .replace("{perspectives}", " | ".join(project.config.perspectives))
            .replace("{title}", json.dumps(title, ensure_ascii=False)))
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _template(project, kind: str) -> str:
    for directory in theme_dirs(project.config):
        candidate = directory / "new" / f"{kind}.md"
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise StratdocsError(f"the theme has no template for a new {kind}")  # pragma: no cover

