"""The installed wheel is the product: it must carry the theme and the `init` project and work
without the source checkout (a fresh venv has nothing but the wheel and its dependencies)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_wheel_carries_the_theme_and_init_template(tmp_path: Path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(dist), str(REPO)], check=True, capture_output=True)
    wheel = next(dist.glob("stratdocs-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for required in ("stratdocs/themes/default/templates/base.html", "stratdocs/themes/default/static/style.css",
                     "stratdocs/themes/default/new/kpi.md", "stratdocs/scaffold/init/content/plan.md",
                     "stratdocs/scaffold/init/_gitignore", "stratdocs/scaffold/init/_github/workflows/stratdocs.yml"):
        assert required in names, required
    # Install only the wheel into a folder and put it first on the path: the dependencies come
    # from this test's environment, stratdocs itself only from the wheel (not the checkout).
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(target)}
    where = subprocess.run([sys.executable, "-c", "import stratdocs; print(stratdocs.__file__)"], capture_output=True,
                           text=True, check=True, cwd=tmp_path, env=env).stdout
    assert str(target) in where, where
    project = tmp_path / "fresh"
    for args in (["init", str(project)], ["-C", str(project), "check"], ["-C", str(project), "build", "--no-pdf"]):
        done = subprocess.run([sys.executable, "-m", "stratdocs", *args], capture_output=True, text=True,
                              cwd=tmp_path, env=env)
        assert done.returncode == 0, done.stderr
    assert (project / "site/static/style.css").is_file()
    assert (project / "site/objectives/SO1.html").is_file()
    assert (project / ".gitignore").is_file() and (project / ".github/workflows/stratdocs.yml").is_file()


def test_every_package_is_listed_in_pyproject():
    """pyproject.toml lists the packages by hand (themes/ is mapped to stratdocs.themes)."""
    import tomllib

    listed = set(tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(REPO).parts) for p in (REPO / "stratdocs").rglob("__init__.py")}
    assert found | {"stratdocs.themes"} == listed
