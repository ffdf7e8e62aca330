#!/usr/bin/env python3
"""Generate a synthetic but realistic stratdocs plan project for benchmarking.

    python benchmarks/generate.py --entities N --out DIR [--seed 1] [--force]

Writes ``DIR/stratdocs.yml`` and ``DIR/content/`` with about N entities (nested
operational objectives and tasks count as entities), in the mix of a real plan:
one plan, strategic objectives (~3%), initiatives (~5%), functional strategies
(~1%), KPIs (~15%; ~20% of them with actuals in ``content/data/*.csv``), a few
reviews and pages, and operations by region that hold the rest as nested
operational objectives (~2 per operation) and tasks (~6 per operation).

Every reference resolves to an id of the right kind, the ``supports``/``parent``
graph has no cycle, ids are unique ignoring case, and the output depends only
on N and the seed. Standard library only, so it runs before stratdocs is
installed.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import random
import shutil
import sys
import time
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

AS_OF = date(2026, 11, 15)
BASELINE_DATE = date(2023, 10, 31)
REGIONS = ["emea", "americas", "apac", "nordics", "global"]
PERSPECTIVES = ["financial", "customer", "internal", "learning"]
FUNCTIONS = ["sales", "marketing", "operations", "finance", "product", "people",
             "technology", "customer-service", "supply-chain", "procurement"]
STRATEGY_FUNCTIONS = ["marketing", "product development", "finance", "operations",
                      "people", "technology", "sales", "sustainability"]

FIRST = ["Ana", "Ben", "Chloe", "Dmitri", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jonas",
         "Kemi", "Lars", "Maya", "Nikhil", "Olga", "Pablo", "Quinn", "Rosa", "Sven", "Tariq",
         "Uma", "Victor", "Wen", "Ximena", "Yusuf", "Zofia", "Amara", "Bruno", "Carla", "Deniz"]
LAST = ["Ribeiro", "Okafor", "Lindqvist", "Novak", "Tanaka", "Moreau", "Haddad", "Fischer",
        "Costa", "Brennan", "Kowalski", "Mensah", "Iyer", "Schmidt", "Alvarez", "Nakamura",
        "O'Neill", "Petrov", "Santos", "Weber"]
EXEC_ROLES = ["CEO", "CFO", "COO", "CMO", "CTO", "CHRO", "Chief Customer Officer",
              "Chief Product Officer", "Chief Sustainability Officer"]

# --- text fragments --------------------------------------------------------------

VERBS = ["Grow", "Reduce", "Improve", "Expand", "Strengthen", "Simplify", "Accelerate",
         "Modernise", "Standardise", "Automate", "Consolidate", "Launch", "Raise", "Cut",
         "Build", "Deepen", "Digitise", "Streamline"]
THINGS = ["recurring revenue", "customer retention", "gross margin", "order-to-cash cycle time",
          "employee engagement", "net promoter score", "energy cost per unit", "market share",
          "on-time delivery", "first-contact resolution", "supplier lead times",
          "product quality", "data literacy", "cloud adoption", "working capital",
          "partner channel revenue", "onboarding time", "field service productivity",
          "digital sales", "cost to serve", "time to market", "safety incidents",
          "carbon emissions", "inventory turns", "forecast accuracy", "leadership pipeline"]
SCOPES = ["in the mid-market", "in new regions", "across all plants", "for key accounts",
          "in the online channel", "for the core portfolio", "in service operations",
          "across the group", "in the partner network", "for new customers",
          "in the DACH market", "in Southeast Asia", "for enterprise clients", "by 2027"]
SUBJECTS = ["The team", "Regional leadership", "The programme office", "Finance",
            "Our field organisation", "The steering group", "Each business unit",
            "The operations council", "Product management", "The data office",
            "Customer service", "Procurement", "The plan owner"]
PREDICATES = ["will review progress against", "has agreed to prioritise", "is tracking",
              "needs a clearer baseline for", "expects early gains in", "has started a pilot on",
              "reports steady improvement in", "sees execution risk around",
              "will rebalance resources toward", "has documented the dependencies of",
              "is aligning quarterly targets with", "has escalated the blockers affecting"]
CLOSERS = ["before the next quarterly review", "while keeping costs flat",
           "without adding headcount", "in line with the generic strategy",
           "as agreed at the last steering meeting", "with support from shared services",
           "once the new data feed is live", "subject to budget approval",
           "in close cooperation with the regions", "to protect the customer experience",
           "and will report monthly", "with a clear owner for every milestone"]
REMARKS = ["Lessons from the previous cycle suggest starting small and scaling what works.",
           "The main risk is competing priorities in the regions.",
           "Data quality remains the limiting factor for reliable reporting.",
           "Feedback from front-line staff has shaped the current approach.",
           "Dependencies on the ERP migration are tracked in the programme log.",
           "Quick wins have been identified but the structural change takes longer.",
           "Budget is phased so that later stages depend on early results.",
           "Customers have noticed the change, according to the latest survey.",
           "The measure is reviewed monthly and restated when definitions change.",
           "Capacity constraints in peak season may delay parts of the work."]
HEADINGS = ["Context", "Approach", "Scope", "Risks and dependencies", "Progress so far",
            "Why this matters", "How we measure success", "Next steps", "Open questions",
            "Assumptions", "Resourcing", "Lessons learned"]
LIST_ITEMS = ["agree the baseline and data owner", "run a pilot in one region",
              "train team leads on the new process", "publish the monthly dashboard",
              "retire the legacy reporting pack", "renegotiate the top ten contracts",
              "map the end-to-end process", "set up a weekly stand-up with the regions",
              "close the gaps found in the last audit", "hire two additional analysts",
              "define escalation rules for blocked work", "review targets with finance",
              "collect customer feedback after each release", "document the operating model"]
NOTES = ["restated after audit", "partial month", "system migration", "estimate",
         "includes one-off effect", "new definition from this month", "data delayed, provisional"]

UNITS = [  # unit, direction, baseline range, relative change to final target, decimals
    ("%", "up", (20.0, 70.0), (0.08, 0.35), 1),
    ("%", "down", (5.0, 30.0), (0.15, 0.45), 1),
    ("EUR k", "up", (200.0, 5000.0), (0.10, 0.40), 0),
    ("EUR", "down", (8.0, 150.0), (0.08, 0.25), 2),
    ("count", "up", (50.0, 2000.0), (0.15, 0.60), 0),
    ("days", "down", (5.0, 60.0), (0.20, 0.45), 1),
    ("hours", "down", (2.0, 48.0), (0.20, 0.50), 1),
    ("score", "up", (10.0, 45.0), (0.15, 0.50), 1),
    ("tCO2e", "down", (500.0, 9000.0), (0.10, 0.30), 0),
]


def month_ends(first: date, count: int) -> list[date]:
    """``count`` month-end dates starting with the month of ``first``."""
    out, y, m = [], first.year, first.month
    for _ in range(count):
        nxt = date(y + (m == 12), m % 12 + 1, 1)
        out.append(nxt - timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


ACTUAL_DATES = month_ends(date(2023, 11, 1), 36)  # 2023-11-30 .. 2026-10-31


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def num(value: float, decimals: int) -> str:
    return str(int(round(value))) if decimals == 0 else f"{value:.{decimals}f}"


def ids_list(ids: list[str]) -> str:
    return "[" + ", ".join(ids) + "]"


class Generator:
    """Builds the whole plan in memory first (bodies link to any id), then writes it."""

    def __init__(self, n: int, seed: int):
        self.n = n
        self.r = random.Random(seed)
        self.people = [f"{f} {l}" for f in FIRST for l in LAST]
        self.files: dict[str, str] = {}      # relative path under content/ -> text
        self.csvs: dict[str, str] = {}       # relative path under content/ -> text
        self.kinds: Counter = Counter()
        self.all_ids: list[str] = []
        self.plan_counts()

    # ---- sizing ------------------------------------------------------------------

    def plan_counts(self) -> None:
        n = self.n
        self.n_so = max(4, round(0.03 * n))
        self.n_in = max(3, round(0.05 * n))
        self.n_fs = max(1, round(0.01 * n))
        self.n_kpi = max(6, round(0.15 * n))
        self.n_rev = max(2, round(0.008 * n))
        self.n_page = max(2, min(40, round(0.004 * n)))
        fixed = 1 + self.n_so + self.n_in + self.n_fs + self.n_kpi + self.n_rev + self.n_page
        # Operations take the rest; each holds ~2 objectives and ~6 tasks (~9 entities).
        self.op_budget = max(3, n - fixed)

    # ---- small helpers -------------------------------------------------------------

    def person(self) -> str:
        return self.r.choice(self.people)

    def sentence(self, links: list[str]) -> str:
        r = self.r
        s = f"{r.choice(SUBJECTS)} {r.choice(PREDICATES)} {r.choice(THINGS)} {r.choice(CLOSERS)}"
        if links and r.random() < 0.5:
            ref = links.pop()
            s += (f" (see [[{ref}]])" if r.random() < 0.7
                  else f", as set out in [[{ref}|the related item]]")
        return s + "."

    def paragraph(self, links: list[str]) -> str:
        r = self.r
        parts = [self.sentence(links) for _ in range(r.randint(2, 4))]
        if r.random() < 0.5:
            parts.insert(r.randrange(len(parts) + 1), r.choice(REMARKS))
        if r.random() < 0.15:
            parts.append(f"This is **{r.choice(['critical', 'on track', 'at risk', 'new'])}** "
                         f"for the `{r.choice(FUNCTIONS)}` function.")
        return " ".join(parts)

    def body(self, title: str, related: list[str], extra: str = "") -> str:
        """3–8 paragraphs, a heading, a list, sometimes a table, a few [[ID]] links."""
        r = self.r
        links = list(related[:3])
        links += [r.choice(self.all_ids) for _ in range(r.randint(1, 2))]
        r.shuffle(links)
        n_par = r.randint(3, 8)
        blocks = [self.paragraph(links)]
        split = r.randint(1, n_par - 1)
        for _ in range(1, split):
            blocks.append(self.paragraph(links))
        blocks.append(f"## {r.choice(HEADINGS)}")
        items = r.sample(LIST_ITEMS, r.randint(3, 6))
        if links:
            items[0] += f" with [[{links.pop()}]]"
        marker = (lambda i: f"{i + 1}.") if r.random() < 0.3 else (lambda i: "-")
        blocks.append("\n".join(f"{marker(i)} {it[0].upper()}{it[1:]}" for i, it in enumerate(items)))
        for _ in range(split, n_par):
            blocks.append(self.paragraph(links))
        if r.random() < 0.3:
            rows = ["| Quarter | Milestone | Owner |", "|---|---|---|"]
            for qn in range(1, r.randint(3, 5)):
                rows.append(f"| 2026-Q{qn} | {r.choice(LIST_ITEMS).capitalize()} | {self.person()} |")
            blocks.insert(r.randint(2, len(blocks)), "\n".join(rows))
        if links:  # anything left goes into a closing line
            blocks.append("Related: " + ", ".join(f"[[{x}]]" for x in links) + ".")
        if extra:
            blocks.append(extra)
        return "\n\n".join(blocks) + "\n"

    def emit(self, path: str, kind: str, front: list[str], title: str, related: list[str],
             extra_body: str = "") -> None:
        self.kinds[kind] += 1
        self.files[path] = "---\n" + "\n".join(front) + "\n---\n\n" + self.body(title, related, extra_body)

    def common(self, id_: str, title: str, owner: str, stem: str, summary: str,
               status: str | None = None) -> list[str]:
        r = self.r
        front = []
        if id_ != stem or r.random() < 0.7:  # the rest rely on the file-stem default
            front.append(f"id: {id_}")
        front += [f"title: {q(title)}", f"owner: {owner}", f"summary: {q(summary)}"]
        if status:
            front.append(f"status: {status}")
        if r.random() < 0.3:
            front.append(f"tags: [{', '.join(r.sample(['growth', 'digital', 'cost', 'people', 'esg', 'quality', 'customer'], r.randint(1, 3)))}]")
        if r.random() < 0.6:
            review_by = AS_OF + timedelta(days=r.randint(-60, 400))
            front.append(f"review_by: {review_by.isoformat()}")
        if r.random() < 0.4:
            front.append(f"updated: {(AS_OF - timedelta(days=r.randint(1, 500))).isoformat()}")
        return front

    def title(self) -> str:
        r = self.r
        return f"{r.choice(VERBS)} {r.choice(THINGS)} {r.choice(SCOPES)}"

    # ---- ids and structure first (bodies may link to anything) -------------------

    def build_structure(self) -> None:
        r = self.r
        self.so_ids = [f"SO{i}" for i in range(1, self.n_so + 1)]
        self.in_ids = [f"IN{i}" for i in range(1, self.n_in + 1)]
        self.fs_ids = [f"FS{i}" for i in range(1, self.n_fs + 1)]
        self.kpi_ids = [f"k-{i}" for i in range(1, self.n_kpi + 1)]
        self.rev_ids = [f"rev-{i}" for i in range(1, self.n_rev + 1)]
        page_names = ["swot", "glossary", "environment-scan", "stakeholder-map", "risk-register",
                      "how-to-contribute", "competitor-landscape", "appendix"]
        self.page_ids = [page_names[i] if i < len(page_names) else f"appendix-{i}"
                         for i in range(self.n_page)]

        # Operations: each ~2 objectives (1-3) and ~6 tasks (4-8), until the budget is used.
        self.ops = []
        left, i = self.op_budget, 0
        while left >= 3 or not self.ops:
            i += 1
            n_obj = r.choice([1, 2, 2, 2, 3])
            n_task = r.randint(4, 8)
            if 1 + n_obj + n_task > left:
                n_obj = min(n_obj, max(1, (left - 1) // 4))
                n_task = max(1, left - 1 - n_obj)
            op_id = f"ops-{i}"
            self.ops.append({
                "id": op_id,
                "region": r.choice(REGIONS),
                "objectives": [f"{op_id}-o{j}" for j in range(1, n_obj + 1)],
                "tasks": [f"{op_id}-t{j}" for j in range(1, n_task + 1)],
            })
            left -= 1 + n_obj + n_task
        last = self.ops[-1]
        last["tasks"] += [f"{last['id']}-t{j}" for j in
                          range(len(last["tasks"]) + 1, len(last["tasks"]) + 1 + max(0, left))]
        self.oo_ids = [o for op in self.ops for o in op["objectives"]]

        self.all_ids = (["plan"] + self.so_ids + self.in_ids + self.fs_ids + self.kpi_ids
                        + [op["id"] for op in self.ops] + self.oo_ids
                        + [t for op in self.ops for t in op["tasks"]]
                        + self.rev_ids + self.page_ids)

        # Objective tree: the first ~30% are top level, the rest hang under earlier ones.
        n_top = max(4, round(0.3 * self.n_so))
        self.so_parent: dict[str, str | None] = {}
        self.so_persp: dict[str, str] = {}
        for i, so in enumerate(self.so_ids):
            if i < n_top:
                self.so_parent[so] = None
                self.so_persp[so] = PERSPECTIVES[i % 4]
            else:
                parent = self.so_ids[r.randrange(0, i)]
                self.so_parent[so] = parent
                self.so_persp[so] = (self.so_persp[parent] if r.random() < 0.85
                                     else r.choice(PERSPECTIVES))

        # Initiatives cover every objective round-robin, then a second one at random.
        order = self.so_ids[:]
        r.shuffle(order)
        self.in_supports = {}
        for i, ini in enumerate(self.in_ids):
            sup = [order[i % len(order)]]
            if r.random() < 0.4:
                other = r.choice(self.so_ids)
                if other not in sup:
                    sup.append(other)
            self.in_supports[ini] = sup
        self.fs_supports = {fs: r.sample(self.so_ids, min(len(self.so_ids), r.randint(1, 3)))
                            for fs in self.fs_ids}

        # Operations support initiatives (mostly) or functional strategies.
        self.op_supports = {}
        for op in self.ops:
            sup = []
            for _ in range(r.choice([1, 1, 2])):
                x = r.choice(self.fs_ids) if r.random() < 0.2 else r.choice(self.in_ids)
                if x not in sup:
                    sup.append(x)
            self.op_supports[op["id"]] = sup

        # KPIs: ~30% strategic (each objective measured at least once), the rest operational.
        n_strat = min(self.n_kpi - 1, max(len(self.so_ids), round(0.3 * self.n_kpi)))
        self.kpi_level = {k: ("strategic" if i < n_strat else "operational")
                          for i, k in enumerate(self.kpi_ids)}
        strat = self.kpi_ids[:n_strat]
        oper = self.kpi_ids[n_strat:]
        order = self.so_ids[:]
        r.shuffle(order)
        self.kpi_measures: dict[str, list[str]] = {}
        self.so_kpis: dict[str, list[str]] = {so: [] for so in self.so_ids}
        for i, k in enumerate(strat):
            m = [order[i]] if i < len(order) else [r.choice(self.so_ids)]
            if r.random() < 0.15:
                x = r.choice(self.so_ids)
                if x not in m:
                    m.append(x)
            self.kpi_measures[k] = m
            for so in m:
                self.so_kpis[so].append(k)
        # Operational KPIs measure distinct operational objectives where possible and drive
        # the strategic KPIs of the objectives their operation serves.
        oo_order = self.oo_ids[:]
        r.shuffle(oo_order)
        self.oo_kpis: dict[str, list[str]] = {oo: [] for oo in self.oo_ids}
        self.oo_op = {oo: op["id"] for op in self.ops for oo in op["objectives"]}
        self.oo_supports = {}
        for op in self.ops:
            for oo in op["objectives"]:
                sup = [r.choice(self.op_supports[op["id"]])]
                if r.random() < 0.1:
                    x = r.choice(self.in_ids + self.fs_ids)
                    if x not in sup:
                        sup.append(x)
                self.oo_supports[oo] = sup
        self.kpi_drives: dict[str, list[str]] = {}
        for i, k in enumerate(oper):
            oo = oo_order[i % len(oo_order)]
            self.kpi_measures[k] = [oo]
            self.oo_kpis[oo].append(k)
            candidates = []
            for parent in self.oo_supports[oo]:
                sos = self.in_supports.get(parent) or self.fs_supports.get(parent, [])
                for so in sos:
                    candidates += self.so_kpis[so]
            drives = [r.choice(candidates)] if candidates else [r.choice(strat)]
            if r.random() < 0.25:
                x = r.choice(strat)
                if x not in drives:
                    drives.append(x)
            self.kpi_drives[k] = drives

    # ---- entities ----------------------------------------------------------------

    def write_plan(self) -> None:
        front = self.common("plan", "Strategic plan 2024–2028", "Executive Board", "plan",
                            "Our direction for the next five years and how we will get there.",
                            "active")
        front += [
            f"vision: {q('To be the most trusted partner in our markets, known for service that just works.')}",
            f"mission: {q('We help our customers run better operations with reliable products and people who care.')}",
            "values:",
            *[f"  - {v}" for v in ["Customer first", "Ownership", "Openness", "Sustainability"]],
            "period: {start: 2024, end: 2028}",
            "strategy: differentiation",
        ]
        self.emit("plan.md", "plan", front, "Strategic plan", self.so_ids[:4])

    def write_objectives(self) -> None:
        r = self.r
        for so in self.so_ids:
            title = self.title()
            front = self.common(so, title, f"{self.person()} ({r.choice(EXEC_ROLES)})", so,
                                f"{title} to support the {self.so_persp[so]} perspective.",
                                r.choice(["active"] * 8 + ["proposed", "done"]))
            front.append(f"perspective: {self.so_persp[so]}")
            start = r.choice([2024, 2024, 2025])
            front.append(f"period: {{start: {start}-01-01, end: {start + r.randint(2, 4)}-12-31}}")
            if self.so_parent[so]:
                front.append(f"parent: {self.so_parent[so]}")
            related = [self.so_parent[so]] if self.so_parent[so] else []
            self.emit(f"objectives/{so}.md", "objective", front, title, related + self.so_kpis[so][:1])

    def write_initiatives(self) -> None:
        r = self.r
        for ini in self.in_ids:
            title = f"Programme: {self.title()}"
            front = self.common(ini, title, self.person(), ini,
                                f"A cross-functional programme to {self.title().lower()}.",
                                r.choice(["active"] * 6 + ["planned", "planned", "done", "dropped"]))
            start = date(2024, 1, 1) + timedelta(days=r.randint(0, 900))
            end = start + timedelta(days=r.randint(365, 1100))
            front += [f"supports: {ids_list(self.in_supports[ini])}",
                      f"start: {start.isoformat()}", f"end: {end.isoformat()}",
                      f"budget: {r.randint(5, 400) * 10000}", "currency: EUR"]
            self.emit(f"initiatives/{ini}.md", "initiative", front, title, self.in_supports[ini])

    def write_strategies(self) -> None:
        r = self.r
        for fs in self.fs_ids:
            fn = r.choice(STRATEGY_FUNCTIONS)
            title = f"{fn.capitalize()} strategy: {self.title().lower()}"
            front = self.common(fs, title, f"{self.person()} ({r.choice(EXEC_ROLES)})", fs,
                                f"How {fn} contributes to the plan.", "active")
            front += [f"function: {fn}", f"supports: {ids_list(self.fs_supports[fs])}"]
            self.emit(f"strategies/{fs}.md", "strategy", front, title, self.fs_supports[fs])

    def write_operations(self) -> None:
        r = self.r
        for op in self.ops:
            op_id, fn = op["id"], r.choice(FUNCTIONS)
            title = f"{op['region'].upper()} {fn} operating plan 2026 ({op_id})"
            front = self.common(op_id, title, self.person(), op_id,
                                f"How {fn} in {op['region'].upper()} delivers its part of the plan in 2026.",
                                r.choice(["active"] * 8 + ["draft", "planned"]))
            front.append(f"function: {fn}")
            # Most run for the year; some for one quarter (tasks then fall due inside it).
            if r.random() < 0.75:
                front.append("period: {start: 2026-01-01, end: 2026-12-31}")
                first, days = date(2026, 1, 1), 365
            else:
                qn = r.randint(1, 4)
                front.append(f"period: {q(f'2026-Q{qn}')}")
                first = date(2026, 3 * qn - 2, 1)
                days = (date(2026 + (qn == 4), (3 * qn) % 12 + 1, 1) - first).days
            front.append(f"supports: {ids_list(self.op_supports[op_id])}")
            front.append("objectives:")
            for oo in op["objectives"]:
                front += [f"  - id: {oo}",
                          f"    title: {q(self.title())}",
                          f"    owner: {self.person()}",
                          f"    supports: {ids_list(self.oo_supports[oo])}"]
                if self.oo_kpis[oo]:
                    front.append(f"    kpis: {ids_list(self.oo_kpis[oo])}")
            front.append("tasks:")
            for t in op["tasks"]:
                due = first + timedelta(days=r.randint(0, days - 1))
                if due < AS_OF:
                    status = r.choices(["done", "doing", "blocked", "todo"], [70, 18, 7, 5])[0]
                else:
                    status = r.choices(["todo", "doing", "blocked"], [60, 35, 5])[0]
                sup = r.sample(op["objectives"], 2 if len(op["objectives"]) > 1 and r.random() < 0.15 else 1)
                front += [f"  - id: {t}",
                          f"    title: {q(r.choice(LIST_ITEMS).capitalize())}",
                          f"    owner: {self.person()}",
                          f"    due: {due.isoformat()}",
                          f"    status: {status}",
                          f"    supports: {ids_list(sup)}"]
            self.emit(f"operations/{op['region']}/{op_id}.md", "operation", front, title,
                      self.op_supports[op_id] + op["objectives"][:1])
            self.kinds["operational objective"] += len(op["objectives"])
            self.kinds["task"] += len(op["tasks"])

    def series(self, unit_spec) -> tuple[float, list[tuple[date, float]], list[tuple[date, float]]]:
        """Baseline, target milestones and 36 monthly actuals following a noisy trend."""
        r = self.r
        _, direction, (lo, hi), (clo, chi), dec = unit_spec
        base = r.uniform(lo, hi)
        change = base * r.uniform(clo, chi) * (1 if direction == "up" else -1)
        final_date = r.choice([date(2026, 12, 31), date(2027, 12, 31)])
        mdates = [d for d in (date(2024, 12, 31), date(2025, 12, 31)) if r.random() < 0.6] + [final_date]
        total = (final_date - BASELINE_DATE).days

        def planned(d: date) -> float:
            return base + change * min(1.0, (d - BASELINE_DATE).days / total)

        targets = [(d, round(planned(d), dec)) for d in mdates]
        pace = r.choice([1.05, 1.0, 1.0, 0.95, 0.85, 0.6, 0.2])  # on track .. off track
        noise = abs(change) * 0.06
        actuals = []
        for i, d in enumerate(ACTUAL_DATES):
            v = base + (planned(d) - base) * pace + r.gauss(0, noise) + 0.3 * noise * ((i % 12) in (6, 7, 11))
            if lo >= 0:
                v = max(0.0, v)
            if unit_spec[0] == "%":
                v = min(100.0, v)
            actuals.append((d, round(v, dec)))
        return round(base, dec), targets, actuals

    def write_kpis(self) -> None:
        r = self.r
        for k in self.kpi_ids:
            level = self.kpi_level[k]
            spec = r.choice(UNITS)
            unit, direction, _, _, dec = spec
            measured = self.kpi_measures[k]
            title = f"{r.choice(THINGS).capitalize()} ({unit})"
            front = self.common(k, title, self.person(), k,
                                f"{'Strategic' if level == 'strategic' else 'Operational'} measure, "
                                f"{'higher' if direction == 'up' else 'lower'} is better.", "active")
            front += [f"level: {level}", f"measures: {ids_list(measured)}"]
            if level == "operational":
                front.append(f"drives: {ids_list(self.kpi_drives[k])}")
            front += [f"unit: {q(unit)}", f"direction: {direction}", "frequency: monthly"]
            base, targets, actuals = self.series(spec)
            front.append(f"baseline: {{value: {num(base, dec)}, date: {BASELINE_DATE.isoformat()}}}")
            front.append("target:")
            front += [f"  - {{value: {num(v, dec)}, date: {d.isoformat()}}}" for d, v in targets]
            if r.random() < 0.1:
                final = targets[-1][1]
                amber = base + (final - base) * 0.5
                front.append(f"thresholds: {{green: {num(final, dec)}, amber: {num(amber, dec)}}}")
            if r.random() < 0.5:
                front.append(f"source: {q(r.choice(['ERP monthly close', 'CRM export', 'HR system', 'Customer survey', 'Service desk', 'Plant MES']))}")
                front.append(f"method: {q('Month-end snapshot, calculated by the data office.')}")
            if r.random() < 0.2:
                self.csvs[f"data/{k}.csv"] = self.csv_text(actuals, dec)
                front.append(f"data: {k}.csv")
            else:
                front.append("actuals:")
                for d, v in actuals:
                    note = f", note: {q(r.choice(NOTES))}" if r.random() < 0.03 else ""
                    front.append(f"  - {{date: {d.isoformat()}, value: {num(v, dec)}{note}}}")
            self.emit(f"kpis/{k}.md", "kpi", front, title,
                      measured + self.kpi_drives.get(k, []))

    def csv_text(self, actuals, dec: int) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["date", "value", "note"])
        for d, v in actuals:
            w.writerow([d.isoformat(), num(v, dec), self.r.choice(NOTES) if self.r.random() < 0.05 else ""])
        return buf.getvalue()

    def write_reviews(self) -> None:
        r = self.r
        pool = self.so_ids + self.in_ids + [op["id"] for op in self.ops] + self.kpi_ids
        for rev in self.rev_ids:
            d = date(2024, 1, 15) + timedelta(days=r.randint(0, (AS_OF - date(2024, 1, 15)).days))
            about = r.sample(pool, min(len(pool), r.randint(1, 3)))
            title = f"{r.choice(['Quarterly', 'Monthly', 'Field', 'Deep-dive'])} review {d.isoformat()}"
            front = self.common(rev, title, self.person(), rev,
                                f"Findings and decisions from the review of {d:%B %Y}.")
            front += [f"date: {d.isoformat()}", f"about: {ids_list(about)}", f"author: {self.person()}",
                      "decisions:"]
            front += [f"  - {q(r.choice(VERBS) + ' ' + r.choice(THINGS) + ' ' + r.choice(CLOSERS))}"
                      for _ in range(r.randint(1, 4))]
            self.emit(f"reviews/{rev}.md", "review", front, title, about)

    def write_pages(self) -> None:
        for i, pg in enumerate(self.page_ids):
            title = pg.replace("-", " ").capitalize() if i < 8 else f"Appendix {i}"
            front = self.common(pg, title, self.person(), pg, f"Background: {title.lower()}.")
            extra = f"See also the [first objective](../objectives/{self.so_ids[0]}.md)."
            self.emit(f"pages/{pg}.md", "page", front, title, self.so_ids[:2], extra)

    def generate(self) -> None:
        self.build_structure()
        self.write_plan()
        self.write_objectives()
        self.write_initiatives()
        self.write_strategies()
        self.write_operations()
        self.write_kpis()
        self.write_reviews()
        self.write_pages()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic stratdocs plan project.")
    ap.add_argument("--entities", type=int, required=True, help="about how many entities (>= 30)")
    ap.add_argument("--out", type=Path, required=True, help="project directory to write")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--force", action="store_true", help="replace an existing DIR/content")
    args = ap.parse_args(argv)
    if args.entities < 30:
        ap.error("--entities must be at least 30")
    content = args.out / "content"
    if content.exists() and any(content.iterdir()):
        if not args.force:
            ap.error(f"{content} exists and is not empty (use --force to replace it)")
        shutil.rmtree(content)

    t0 = time.perf_counter()
    gen = Generator(args.entities, args.seed)
    gen.generate()
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "stratdocs.yml").write_text(
        f"title: Synthetic plan {args.entities}\nas_of: {AS_OF.isoformat()}\n", encoding="utf-8")
    n_bytes = 0
    for rel, text in sorted({**gen.files, **gen.csvs}.items()):
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        path.write_bytes(data)
        n_bytes += len(data)
    elapsed = time.perf_counter() - t0

    total = sum(gen.kinds.values())
    print(f"Wrote {args.out} (seed {args.seed}) in {elapsed:.2f}s: {len(gen.files)} Markdown files, "
          f"{len(gen.csvs)} CSV files, {n_bytes / 1e6:.1f} MB")
    for kind in ["plan", "objective", "initiative", "strategy", "operation",
                 "operational objective", "task", "kpi", "review", "page"]:
        c = gen.kinds[kind]
        print(f"  {kind:<22} {c:>7}  {100 * c / total:5.1f}%")
    print(f"  {'total':<22} {total:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
