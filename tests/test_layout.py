"""The shape of the program (STYLE.md): imports point one way and only the CLI exits the process."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import stratdocs
from stratdocs.findings import ERROR_CODES

PACKAGE = Path(stratdocs.__file__).parent
#: The analysis side: model, loading and validation. It never imports rendering, the pipeline or the CLI.
ANALYSIS = ("yamlnodes", "sources", "schema", "model", "trace", "health", "alignment", "config", "findings",
            "csvdata", "periods", "matrices", "export", "project", "errors", "suggest", "numbers", "git",
            "reader", "links", "limits", "assets", "spreadsheet", "suspect",
            "trend", "commentary", "objectives", "delivery", "execution", "owners", "workers",
            "cache_codec", "cache_files", "itemmemo")
#: Size limits of STYLE.md and the architecture issue.
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def modules(name: str) -> list[Path]:
    """The files of module or package `name` (a package may replace a module)."""
    single = PACKAGE / f"{name}.py"
    if single.is_file():
        return [single]
    folder = PACKAGE / name
    return sorted(folder.rglob("*.py")) if folder.is_dir() else []


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


def test_analysis_never_imports_the_cli_rendering_or_the_pipeline():
    for name in ANALYSIS:
        files = modules(name)
        assert files, f"no module {name}"
        for path in files:
            bad = [i for i in imports_of(path) if i.startswith((
                "stratdocs.cli", "stratdocs.render", "stratdocs.pipeline", "stratdocs.serve", "stratdocs.theme",
                "jinja2", "weasyprint", "click"))]
            assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_nothing_below_the_cli_imports_click():
    offenders = [path.relative_to(PACKAGE).as_posix() for path in sorted(PACKAGE.rglob("*.py"))
                 if path.parent.name != "cli" and any(i == "click" or i.startswith("click.") for i in imports_of(path))]
    assert offenders == []


def test_rendering_never_reads_the_content_folder_itself():
    """Rendering gets plain data: the loaded project. Only loading modules open content files."""
    for path in sorted((PACKAGE / "render").rglob("*.py")):
        bad = [i for i in imports_of(path) if i in ("stratdocs.sources", "stratdocs.schema", "stratdocs.yamlnodes")]
        assert not bad, f"{path.relative_to(PACKAGE)} imports {bad}"


def test_modules_and_functions_stay_small():
    big_modules, big_functions = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        if source.count("\n") > MAX_MODULE_LINES:
            big_modules.append(f"{path.relative_to(PACKAGE)}: {source.count(chr(10))} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    big_functions.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.name}: {length} lines")
    assert big_modules == [] and big_functions == []


def test_only_the_cli_exits_or_prints():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "__main__.py" or path.parent.name == "cli":
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
