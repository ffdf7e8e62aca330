"""Compare two checkouts of stratdocs on the same plan, their runs alternating (a measurement, not a test).

    python benchmarks/ab.py --old /tmp/old-checkout --sizes 1000,10000 --rounds 9

`--old` is another checkout of the repository (`git worktree add /tmp/old-checkout REV`); the
new side is this one. For each N a plan is generated (`generate.py`) and committed, copied for
each side, and warmed (built twice, checked once); then each round times, for each side in
turn (the order alternating between rounds), a warm `build --no-pdf` and a `check`, each run
right after a run of Hugo on the same pages. A machine whose speed drifts (a shared one) then
moves both sides and Hugo alike, which separate runs of `run.py` minutes apart do not. Prints
the medians of wall and CPU time per step and side, and of the Hugo runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import run

STEPS = {"build": ("build", "--no-pdf", "--out", "site"), "check": ("check",)}


def _plan(n: int, tmp: Path) -> dict[str, Path]:
    new = tmp / f"plan-{n}" / "new"
    subprocess.run([sys.executable, str(run.HERE / "generate.py"), "--entities", str(n), "--out", str(new)],
                   check=True, capture_output=True)
    run._commit(new)
    old = new.parent / "old"
    shutil.copytree(new, old, symlinks=True)
    return {"new": new, "old": old}


def _once(root: Path, step: str, env: dict) -> tuple[float, float]:
    result = run._run(run._stratdocs(root, *STEPS[step]), env=env)
    if "error" in result:
        raise SystemExit(f"{root}: {step} failed: {result['error']}")
    return result["seconds"], result["cpu"]


def compare(n: int, rounds: int, old: Path, hugo: str | None, tmp: Path) -> dict:
    """Medians of each side's warm build and check over `rounds` alternating rounds at N entities."""
    roots = _plan(n, tmp)
    # The old side imports its own package: first on the path, and not from this checkout's folder.
    envs = {"new": dict(run._ENV), "old": {**run._ENV, "PYTHONPATH": str(old)}}
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(old / "stratdocs")], capture_output=True)
    for side, root in roots.items():
        for step in ("build", "build", "check"):
            _once(root, step, envs[side])
    times: dict[str, list[tuple[float, float]]] = {}
    for number in range(rounds):
        for step in STEPS:
            for side in ("new", "old") if number % 2 == 0 else ("old", "new"):
                if hugo is not None:
                    done = run.step_once("hugo", roots["new"], hugo)
                    times.setdefault("hugo", []).append((done["seconds"], done["cpu"]))
                times.setdefault(f"{step} {side}", []).append(_once(roots[side], step, envs[side]))
    return {key: {"seconds": round(statistics.median(s for s, _ in runs), 3),
                  "cpu": round(statistics.median(c for _, c in runs), 3), "runs": [round(s, 3) for s, _ in runs]}
            for key, runs in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--old", type=Path, required=True, help="another checkout of stratdocs (the old side)")
    parser.add_argument("--sizes", default="1000", help="comma-separated entity counts (default 1000)")
    parser.add_argument("--rounds", type=int, default=9, help="alternating rounds; the median is reported")
    args = parser.parse_args()
    old = args.old.resolve()
    if not (old / "stratdocs" / "__init__.py").is_file():
        raise SystemExit(f"{old} is not a checkout of stratdocs")
    hugo = run.find_hugo()
    results = {}
    with tempfile.TemporaryDirectory(prefix="stratdocs-ab-") as tmp:
        os.chdir(tmp)  # `python -m stratdocs` would import this checkout's package from the folder it runs in
        for n in (int(x) for x in args.sizes.split(",")):
            print(f"  N = {n:,} ...", file=sys.stderr, flush=True)
            results[n] = compare(n, max(1, args.rounds), old, hugo, Path(tmp))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
