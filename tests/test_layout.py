"""The shape of the program (STYLE.md): imports point one way and only the CLI exits the process."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import stratdocs
from stratdocs.findings import ERROR_CODES

PACKAGE = Path(stratdocs.__file__).parent
CORE = ("yamlnodes", "sources", "schema", "model", "trace", "health", "alignment", "config", "findings",
        "csvdata", "periods", "matrices", "export", "scaffold", "project", "reader", "links", "limits",
        "suggest", "errors")


def core_files(name: str) -> list[Path]:
    """The module `name.py`, or every module of the package `name/`."""
    module = PACKAGE / f"{name}.py"
    return [module] if module.exists() else sorted((PACKAGE / name).rglob("*.py"))


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_model_imports_nothing_of_ours():
    assert not [name for name in imports_of(PACKAGE / "model.py") if name.startswith("stratdocs")]


def test_core_never_imports_the_cli_or_rendering():
    for name in CORE:
        files = core_files(name)
        assert files, name
        for path in files:
            bad = [i for i in imports_of(path) if i.startswith(("stratdocs.cli", "stratdocs.render", "stratdocs.build"))]
            assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_only_the_cli_exits_or_prints():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name in ("cli.py", "__main__.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.id if isinstance(func, ast.Name) else \
                    f"{getattr(func.value, 'id', '?')}.{func.attr}" if isinstance(func, ast.Attribute) else ""
                if name in ("print", "exit", "quit", "sys.exit", "os._exit"):
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {name}()")
    assert offenders == []


def test_every_error_code_is_provoked_by_a_test():
    source = (Path(__file__).parent / "test_check_errors.py").read_text(encoding="utf-8")
    provoked = set(re.findall(r'assert_single_error\([^"]*?"([a-z-]+)"', source))
    assert provoked == set(ERROR_CODES)
