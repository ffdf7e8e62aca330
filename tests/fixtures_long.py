"""An untuned plan for layout tests: long titles, long owner names, many links, long units.

`write_long_plan(folder)` writes a project the browser tests build like the example: 12 strategic
objectives with 150-character titles, owners like "Director of Strategic Partnerships and
Ecosystem Development (EMEA)", one objective served by 19 items, a review about 11 items, KPIs with
long units and one KPI that never had a value. Run as a script to write it to a folder:
`python tests/fixtures_long.py /tmp/long`.
"""

from __future__ import annotations

import sys
from pathlib import Path

OWNERS = ("Director of Strategic Partnerships and Ecosystem Development (EMEA)",
          "Senior Vice President, Global Customer Experience and Operational Excellence",
          "Head of Enterprise Architecture, Information Security and Data Governance")
PERSPECTIVES = ("financial", "customer", "internal", "learning")
WORDS = ("Strengthen the long-term resilience and competitiveness of our regional partner ecosystem "
         "through measurable, sustainable and inclusive improvements across every market segment we serve")


def _title(n: int) -> str:
    text = f"{WORDS} (objective {n})"
    return (text * 2)[:150].rstrip()


def _front(fields: dict) -> str:
    lines = ["---"]
    for key, value in fields.items():
        lines.append(f"{key}: {value}")
    return "\n".join(lines) + "\n---\n"


def _write(path: Path, fields: dict, body: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_front(fields) + body + "\n", encoding="utf-8")


def _objectives(content: Path) -> None:
    for n in range(1, 13):
        fields = {"id": f"SO{n}", "title": f'"{_title(n)}"', "perspective": PERSPECTIVES[n % 4],
                  "owner": f'"{OWNERS[n % 3]}"', "status": "active",
                  "summary": '"A summary long enough to wrap over several lines in a card of the home page, '
                             'so the layout must give it room without leaving most of the width empty."',
                  "review_by": "2027-03-31", "updated": "2026-10-20"}
        if n > 1:
            fields["parent"] = "[SO1]" if n < 6 else f"[SO{n - 4}]"
        _write(content / "objectives" / f"SO{n}.md", fields,
               "This objective has a body with a [[SO1]] link, written the way planners write.")


def _kpis(content: Path) -> None:
    units = ("percentage points of qualified pipeline", "EUR thousand annual recurring revenue", "NPS")
    for n in range(1, 7):
        fields = {"id": f"K-LONG-{n}", "title": f'"Key performance indicator number {n} with a deliberately '
                                                f'long descriptive name for the scorecard"',
                  "level": "strategic", "measures": f"[SO{n}, SO1]", "unit": f'"{units[n % 3]}"',
                  "direction": "down" if n % 2 else "up", "frequency": "monthly",
                  "baseline": "{value: 60, date: 2025-12-31}",
                  "target": "[{value: 40, date: 2026-12-31}, {value: 20, date: 2028-12-31}]",
                  "thresholds": "{green: 45, amber: 55}" if n % 2 else "{green: 50, amber: 40}",
                  "owner": f'"{OWNERS[n % 3]}"', "summary": '"What it measures."'}
        actuals = "" if n == 6 else "actuals:\n" + "".join(
            f"  - {{date: 2026-{m:02d}-28, value: {70 - m * (2 if n % 2 else -1)}}}\n" for m in range(1, 11))
        _write(content / "kpis" / f"K-LONG-{n}.md", fields, "")
        if actuals:
            text = (content / "kpis" / f"K-LONG-{n}.md").read_text()
            (content / "kpis" / f"K-LONG-{n}.md").write_text(text.replace("\n---\n", "\n" + actuals + "---\n", 1))


def _links(content: Path) -> None:
    for n in range(1, 14):  # 13 initiatives + 6 KPIs (measuring SO1) = 19 items traced to SO1
        _write(content / "initiatives" / f"I{n}.md",
               {"id": f"I{n}", "title": f'"Initiative {n}: a programme with a title that runs on and on across the page"',
                "supports": "[SO1]" if n % 2 else f"[SO1, SO{n % 12 + 1}]", "owner": f'"{OWNERS[n % 3]}"',
                "status": "active", "start": "2026-01-01", "end": "2027-12-31", "budget": 1250000,
                "currency": "EUR", "summary": '"An initiative."'})
    _write(content / "operations" / "partners.md",
           {"title": '"Partner ecosystem operational plan for Europe, the Middle East and Africa 2026"',
            "function": "partnerships", "period": 2026, "owner": f'"{OWNERS[0]}"', "supports": "[I1, I2, I3]",
            "status": "active", "summary": '"Operational plan."',
            "objectives": f'\n  - {{id: OO-P-1, title: "Sign thirty regional partners", owner: "{OWNERS[1]}", '
                          f'supports: [I1], kpis: [K-LONG-1]}}',
            "tasks": f'\n  - {{id: T-P-1, title: "Run the partner summit", owner: "{OWNERS[2]}", due: 2026-05-31, '
                     f'status: doing, supports: [OO-P-1]}}'})
    about = "[SO1, SO2, SO3, SO4, SO5, I1, I2, I3, K-LONG-1, K-LONG-2, partners]"
    _write(content / "reviews" / "review-q3.md",
           {"title": '"Quarterly strategy review of the third quarter with the extended leadership team"',
            "date": "2026-10-20", "about": about, "author": f'"{OWNERS[1]}"', "owner": f'"{OWNERS[1]}"',
            "decisions": '\n  - "Keep going."', "summary": '"A review about eleven items."'})


def write_long_plan(folder: Path) -> Path:
    """Write the long plan's project (stratdocs.yml and content/) into `folder`; returns it."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    content = folder / "content"
    (folder / "stratdocs.yml").write_text("title: An untuned plan with long values\nas_of: 2026-11-15\n", encoding="utf-8")
    _write(content / "plan.md",
           {"title": '"The long plan: a strategic plan whose title is itself a sentence that keeps going"',
            "vision": '"A vision."', "mission": '"A mission."', "owner": f'"{OWNERS[0]}"',
            "period": "{start: 2026, end: 2028}", "summary": '"A plan written without a designer in mind."'},
           "The plan's own words: why these objectives, in this order, and what we will stop doing.")
    _objectives(content)
    _kpis(content)
    _links(content)
    return folder


if __name__ == "__main__":
    print(write_long_plan(Path(sys.argv[1])))
