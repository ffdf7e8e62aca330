#!/usr/bin/env python3
"""PDF figures of issue #15: a document rendered whole (one process) vs in parts (every core).

    python benchmarks/pdf.py --plan content-example        # the example's board pack
    python benchmarks/pdf.py --entities 1000 --repeat 1     # the 656-page pack of a generated plan

Each run is a fresh `python` process rendering one document through `pdf.render_documents`
(worker processes as in a build): its wall time, the CPU time of the whole process tree (user +
system, the workers included), and the peak memory of the tree, sampled every 0.2 s from /proc:
the sum of the RSS of the process and its workers (which counts a page a forked worker shares
with the parent once per process) and the sum of their PSS (each shared page divided among the
processes sharing it: what the tree takes of the machine's memory). `whole` forces the single-process
render (what every document did before); `parts` is the default (a document of up to
`pdfrun.HELD_CHARS` is held: each part measured and printed from one layout); `apart` measures and
prints every part in separate processes, as a longer document is. Medians of --repeat runs, the
modes alternating in the same session, so the ratio is fair on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = r"""
import io, sys, time
from pathlib import Path
from stratdocs import project as P
from stratdocs.render import pdf, pdfparts, pdfrun
root, doc_id, mode = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
if mode == "whole":
    pdfparts.supported = lambda: False
if mode == "apart":
    pdfrun.HELD_CHARS = 0
project = P.load(root)
views = pdf.document_views(project)
docs = pdf.chosen_documents(project, [doc_id] if doc_id else None)[:1]
start = time.perf_counter()
data = pdf.render_documents(project, views, docs, timeout=3600)[docs[0].id][0]
if len(sys.argv) > 4:
    Path(sys.argv[4]).write_bytes(data)
from pypdf import PdfReader
print(len(PdfReader(io.BytesIO(data)).pages), time.perf_counter() - start, flush=True)
"""


def _tree_memory(pid: int) -> tuple[int, int]:
    """The summed RSS and the summed PSS (bytes) of a process and its descendants, from /proc.

    RSS counts a page shared by forked workers (the parent's loaded plan, copy-on-write) once in
    every process; PSS divides each shared page among the processes sharing it, so the summed
    PSS is what the tree takes of the machine's memory."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    rss = pss = 0
    stack = [pid]
    while stack:
        current = stack.pop()
        try:
            pages = int(Path(f"/proc/{current}/statm").read_text().split()[1])
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
        except OSError:
            continue
        rss += pages * os.sysconf("SC_PAGE_SIZE")
        pss += next((int(line.split()[1]) * 1024 for line in rollup.splitlines() if line.startswith("Pss:")), 0)
        stack += children.get(current, [])
    return rss, pss


def run_once(root: Path, doc_id: str, mode: str, save: Path | None = None) -> dict:
    """One fresh process rendering the document: wall, tree CPU, peak tree RSS and PSS, pages (and the
    PDF written to `save`, when given)."""
    before = os.times()
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", CHILD, str(root), doc_id, mode, *([str(save)] if save else [])],
                               stdout=subprocess.PIPE, text=True)
    peak = [0, 0]

    def sample():
        while process.poll() is None:
            rss, pss = _tree_memory(process.pid)
            peak[0], peak[1] = max(peak[0], rss), max(peak[1], pss)
            time.sleep(0.2)
    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = process.communicate()
    wall = time.perf_counter() - start
    sampler.join()
    after = os.times()
    if process.returncode:
        raise SystemExit(f"{mode} render failed ({process.returncode})")
    pages, render = out.split()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    return {"wall": wall, "render": float(render), "cpu": cpu, "peak_mb": peak[0] / 2**20,
            "peak_pss_mb": peak[1] / 2**20, "pages": int(pages)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--plan", type=Path, help="a project folder (default: a generated plan)")
    parser.add_argument("--entities", type=int, default=1000, help="size of the generated plan")
    parser.add_argument("--document", default="", help="document id (default: the first configured)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--modes", default="whole,parts")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--save", type=Path, help="a folder to write each mode's last PDF to (MODE.pdf)")
    args = parser.parse_args(argv)
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="stratdocs-pdfbench-") as tmp:
        root = args.plan
        if root is None:
            root = Path(tmp) / "plan"
            subprocess.run([sys.executable, str(HERE / "generate.py"), "--entities", str(args.entities),
                            "--out", str(root)], check=True, stdout=subprocess.DEVNULL)
        runs: dict[str, list[dict]] = {mode: [] for mode in args.modes.split(",")}
        for _ in range(args.repeat):
            for mode in runs:
                save = args.save / f"{mode}.pdf" if args.save else None
                runs[mode].append(run_once(root.resolve(), args.document, mode, save))
                print(mode, runs[mode][-1], file=sys.stderr)
    medians = {mode: {key: statistics.median(r[key] for r in found) for key in found[0]}
               for mode, found in runs.items()}
    if args.json:
        print(json.dumps({"medians": medians, "runs": runs}, indent=2))
        return 0
    print("| mode | pages | wall | render | CPU (tree) | peak RSS (tree, summed) | peak PSS (tree) |\n"
          "|---|---|---|---|---|---|---|")
    for mode, m in medians.items():
        print(f"| {mode} | {m['pages']:.0f} | {m['wall']:.1f} s | {m['render']:.1f} s | {m['cpu']:.1f} s "
              f"| {m['peak_mb']:.0f} MB | {m['peak_pss_mb']:.0f} MB |")
    if {"whole", "parts"} <= set(medians):
        print(f"\nparts / whole (wall): {medians['parts']['wall'] / medians['whole']['wall']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
