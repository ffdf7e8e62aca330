"""Every warning code of SPEC §7: provoked with its line, exit 0 (1 with --strict), switchable off
in stratdocs.yml, and waivable on the entity (the waiver then shows in `export`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pytest

from stratdocs.findings import WARNING_CODES
from conftest import SECOND_OBJECTIVE as SO2

I2 = """\
---
title: Second initiative
owner: COO
---
"""
REASON = "Accepted for 2026: the board decided so"


def add_so2(project, **extra) -> None:
    project.write("content/objectives/SO2.md", SO2)


def waive_file(rel: str) -> Callable:
    """Insert a waiver as the first front-matter key of a file (lines below move down by one)."""
    def apply(project, code: str) -> None:
        text = project.read(rel)
        assert text.startswith("---\n")
        project.write(rel, f"---\nwaive: {{{code}: \"{REASON}\"}}\n" + text[4:])
    return apply


def waive_task(project, code: str) -> None:
    project.edit("content/operations/ops.md", "    title: Publish the partner terms\n",
                 f"    title: Publish the partner terms\n    waive: {{{code}: \"{REASON}\"}}\n")


@dataclass
class Scenario:
    provoke: Callable
    file: str
    line: int
    col: int
    entity: str
    waive: Callable
    message: str


def _no_execution(p):
    add_so2(p)
    p.edit("content/kpis/K-REV.md", "measures: [SO1]", "measures: [SO1, SO2]")


def _orphan(p):
    p.write("content/initiatives/I2.md", I2.replace("owner: COO", "owner: COO\nsupports: []"))


def _orphan_task(p):
    p.edit("content/operations/ops.md", "supports: [OO1]", "supports: []")


def _no_kpi(p):
    add_so2(p)
    p.write("content/initiatives/I2.md", I2.replace("owner: COO", "owner: COO\nsupports: [SO2]"))


def _kpi_unlinked(p):
    p.edit("content/kpis/K-OPS.md", "drives: [K-REV]", "drives: []")


def _review_overdue(p):
    p.edit("content/initiatives/I1.md", "owner: COO", "owner: COO\nreview_by: 2026-10-01")


def _stale_kpi(p):
    p.edit("content/kpis/K-OPS.md", "2026-11-01", "2026-08-01")


def _horizon_objective(p):
    p.edit("content/objectives/SO1.md", "period: {start: 2026, end: 2028}", "period: 2026-Q3")


def _horizon_operation(p):
    p.edit("content/operations/ops.md", "period: 2026", "period: {start: 2026, end: 2027}")


def _no_owner(p):
    p.edit("content/initiatives/I1.md", "owner: COO\n", "")


def _red_unaddressed(p):
    add_so2(p)
    p.write("content/kpis/K-RED.md", """\
        ---
        title: Red KPI
        level: strategic
        measures: [SO2]
        owner: CMO
        thresholds: {green: 8, amber: 5}
        actuals:
          - {date: 2026-11-01, value: 1}
        commentary:
          - {period: 2026-11, author: CMO, analysis: Far behind; the campaign starts in December.}
        ---
        """)
    # Work that is done does not address a red objective any more.
    p.write("content/initiatives/I2.md", I2.replace("owner: COO", "owner: COO\nsupports: [SO2]\nstatus: done"))


def _stale_commentary(p):
    # Amber (17.5 against 18.3 planned), and the latest commentary speaks for September only.
    p.edit("content/kpis/K-REV.md", "value: 19}", "value: 17.5}")
    p.edit("content/kpis/K-REV.md", "owner: CFO\n", "owner: CFO\ncommentary:\n"
           "  - {period: 2026-09, author: CFO, analysis: On plan after the summer.}\n")


def _unknown_key(p):
    p.edit("content/initiatives/I1.md", "owner: COO", "owner: COO\nonwer: COO")


def _suspect(p):
    assert p.run("review", "--all", "--by", "Ann").exit_code == 0  # the baseline (tests/test_suspect.py)
    p.edit("content/kpis/K-REV.md", "target: {value: 20,", "target: {value: 25,")
    # Now behind plan; its October commentary keeps stale-commentary quiet.
    p.edit("content/kpis/K-REV.md", "value: 19}\n", "value: 19}\ncommentary:\n"
           "  - {period: 2026-10, author: CFO, analysis: Behind the raised target.}\n")


def _external_image(p):
    p.edit("content/initiatives/I1.md", "The programme.", "The programme. ![pixel](https://tracker.example/p.png)")


def _delivery(block: str) -> Callable:
    """Delivery keys added after I1's currency (line 8), so the first of them is on line 9."""
    def provoke(p) -> None:
        p.edit("content/initiatives/I1.md", "currency: EUR\n", "currency: EUR\n" + block)
    return provoke


ACTION = """\
actions:
  - id: A1
    title: Call the partners
    owner: Alice
    due: 2026-12-15
"""
RISK = """\
---
title: The key supplier fails
owner: CFO
likelihood: 4
impact: 4
threatens: [SO1]
---
"""


def _with_action(p, old: str = "", new: str = "") -> None:
    p.edit("content/reviews/R1.md", "  - Keep going\n", "  - Keep going\n" + ACTION.replace(old, new))


def _action_overdue(p):
    _with_action(p, "due: 2026-12-15", "due: 2026-10-15")


def _action_no_owner(p):
    _with_action(p, "    owner: Alice\n", "")


def waive_action(project, code: str) -> None:
    project.edit("content/reviews/R1.md", "    title: Call the partners\n",
                 f"    title: Call the partners\n    waive: {{{code}: \"{REASON}\"}}\n")


def _risk_unmitigated(p):
    p.write("content/risks/RK1.md", RISK)


def _risk_review_overdue(p):
    p.write("content/risks/RK1.md", RISK.replace("likelihood: 4", "likelihood: 2").replace(
        "threatens: [SO1]", "threatens: [SO1]\nreview_by: 2026-10-01"))
def _unknown_status(p):
    p.edit("content/initiatives/I1.md", "owner: COO", "owner: COO\nstatus: eingestellt")


SCENARIOS = {
    "no-execution": Scenario(_no_execution, "content/objectives/SO2.md", 1, 1, "SO2",
                             waive_file("content/objectives/SO2.md"), "'SO2' is not executed"),
    "orphan": Scenario(_orphan, "content/initiatives/I2.md", 4, 1, "I2",
                       waive_file("content/initiatives/I2.md"), "initiative 'I2' serves no strategic objective"),
    "orphan-task": Scenario(_orphan_task, "content/operations/ops.md", 18, 5, "T1", waive_task,
                            "task 'T1' serves no strategic objective"),
    "no-kpi": Scenario(_no_kpi, "content/objectives/SO2.md", 1, 1, "SO2",
                       waive_file("content/objectives/SO2.md"), "'SO2' has no KPI"),
    "kpi-unlinked": Scenario(_kpi_unlinked, "content/kpis/K-OPS.md", 4, 1, "K-OPS",
                             waive_file("content/kpis/K-OPS.md"), "'K-OPS' drives no strategic KPI"),
    "review-overdue": Scenario(_review_overdue, "content/initiatives/I1.md", 5, 1, "I1",
                               waive_file("content/initiatives/I1.md"), "due for review on 2026-10-01"),
    "stale-kpi": Scenario(_stale_kpi, "content/kpis/K-OPS.md", 9, 1, "K-OPS",
                          waive_file("content/kpis/K-OPS.md"), "latest actual 2026-08-01"),
    "horizon": Scenario(_horizon_objective, "content/objectives/SO1.md", 4, 1, "SO1",
                        waive_file("content/objectives/SO1.md"), "less than a year"),
    "horizon-operation": Scenario(_horizon_operation, "content/operations/ops.md", 4, 1, "ops",
                                  waive_file("content/operations/ops.md"), "more than a year"),
    "no-owner": Scenario(_no_owner, "content/initiatives/I1.md", 1, 1, "I1",
                         waive_file("content/initiatives/I1.md"), "'I1' has no owner"),
    "red-unaddressed": Scenario(_red_unaddressed, "content/objectives/SO2.md", 1, 1, "SO2",
                                waive_file("content/objectives/SO2.md"), "'SO2' is red"),
    "stale-commentary": Scenario(_stale_commentary, "content/kpis/K-REV.md", 6, 1, "K-REV",
                                 waive_file("content/kpis/K-REV.md"), "latest commentary (2026-09) is older"),
    "unknown-key": Scenario(_unknown_key, "content/initiatives/I1.md", 5, 1, "I1",
                            waive_file("content/initiatives/I1.md"), "did you mean 'owner'"),
    "suspect": Scenario(_suspect, "content/kpis/K-OPS.md", 4, 10, "K-OPS",
                        waive_file("content/kpis/K-OPS.md"), "'K-REV', which it drives, changed"),
    # half done at 44 % of the time: on schedule, but the milestone of 2026-10-31 is overdue at 2026-11-15
    "milestone-overdue": Scenario(_delivery("progress: 50%\nmilestones:\n  - {id: M1, title: Partner terms signed, "
                                            "due: 2026-10-31}\n"), "content/initiatives/I1.md", 11, 5, "I1",
                                  waive_file("content/initiatives/I1.md"), "milestone 'M1' of initiative 'I1' was due on 2026-10-31"),
    # 20 % done with 44 % of 2026-01-01..2027-12-31 gone: 46 % of planned progress, below the 75 % cut-off
    "initiative-behind-schedule": Scenario(_delivery("progress: 0.2\n"), "content/initiatives/I1.md", 9, 1, "I1",
                                           waive_file("content/initiatives/I1.md"),
                                           "initiative 'I1' is behind schedule: 20% done with 44% of its time elapsed"),
    # 200,000 spent by June against 109,000 planned to 2026-11-15 (250,000 spread over two years)
    "initiative-over-budget": Scenario(_delivery("spend:\n  - {date: 2026-06-30, amount: 200000}\n"),
                                       "content/initiatives/I1.md", 9, 1, "I1", waive_file("content/initiatives/I1.md"),
                                       "initiative 'I1' is over budget: spend EUR 200,000 against EUR 109,"),
    "external-image": Scenario(_external_image, "content/initiatives/I1.md", 11, 16, "I1",
                               waive_file("content/initiatives/I1.md"), "image 'https://tracker.example/p.png'"),
    "action-overdue": Scenario(_action_overdue, "content/reviews/R1.md", 12, 5, "A1", waive_action,
                               "action 'A1' of review 'R1' was due on 2026-10-15"),
    "action-no-owner": Scenario(_action_no_owner, "content/reviews/R1.md", 9, 5, "A1", waive_action,
                                "action 'A1' of review 'R1' has no owner"),
    "risk-unmitigated": Scenario(_risk_unmitigated, "content/risks/RK1.md", 4, 1, "RK1",
                                 waive_file("content/risks/RK1.md"), "4 × impact 4 = 16, at least 15"),
    "risk-review-overdue": Scenario(_risk_review_overdue, "content/risks/RK1.md", 7, 1, "RK1",
                                    waive_file("content/risks/RK1.md"), "due for review on 2026-10-01"),
    "unknown-status": Scenario(_unknown_status, "content/initiatives/I1.md", 5, 9, "I1",
                               waive_file("content/initiatives/I1.md"), "status 'eingestellt' is not one stratdocs knows"),
}


def code_of(name: str) -> str:
    return name.split("-operation")[0].replace("orphan-task", "orphan")


def test_every_warning_code_has_a_scenario():
    covered = {code_of(name) for name in SCENARIOS}
    # blocked-fetch comes from rendering (SPEC §12), not from check; asset warnings are about
    # files, not items (nothing to waive), and have their own tests in test_adversarial.py.
    assert covered == set(WARNING_CODES) - {"blocked-fetch", "asset"}


@pytest.mark.parametrize("name", SCENARIOS)
def test_warning_is_located_and_does_not_fail(plan_project, name):
    scenario = SCENARIOS[name]
    scenario.provoke(plan_project)
    result = plan_project.check()
    assert result.exit_code == 0, result.stdout
    assert len(result.findings) == 1, result.findings
    finding = result.findings[0]
    assert (finding["file"], finding["line"], finding["col"], finding["severity"], finding["code"]) == \
        (scenario.file, scenario.line, scenario.col, "warning", code_of(name))
    assert scenario.message in finding["message"]

    text = plan_project.check("--format", "text")
    assert text.exit_code == 0
    assert text.lines == [f"{scenario.file}:{scenario.line}:{scenario.col}: warning: {finding['message']} "
                          f"[{code_of(name)}]"]


@pytest.mark.parametrize("name", SCENARIOS)
def test_warning_fails_with_strict(plan_project, name):
    SCENARIOS[name].provoke(plan_project)
    result = plan_project.check("--strict")
    assert result.exit_code == 1
    assert code_of(name) in result.codes()


@pytest.mark.parametrize("name", SCENARIOS)
def test_warning_can_be_switched_off_in_config(plan_project, name):
    SCENARIOS[name].provoke(plan_project)
    plan_project.write("stratdocs.yml", f"as_of: 2026-11-15\nchecks:\n  {code_of(name)}: false\n")
    result = plan_project.check("--strict")
    assert result.findings == []
    assert result.exit_code == 0


@pytest.mark.parametrize("name", SCENARIOS)
def test_warning_can_be_waived_on_the_entity(plan_project, name):
    scenario = SCENARIOS[name]
    scenario.provoke(plan_project)
    scenario.waive(plan_project, code_of(name))
    result = plan_project.check("--strict")
    assert result.findings == []
    assert result.exit_code == 0
    exported = plan_project.export()
    assert {"entity": scenario.entity, "code": code_of(name), "reason": REASON} in exported["waivers"]


def test_switching_one_check_off_keeps_the_others(plan_project):
    _no_owner(plan_project)
    _stale_kpi(plan_project)
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\nchecks: {no-owner: false}\n")
    assert plan_project.check().codes() == {"stale-kpi"}


def test_waiver_silences_only_its_own_code(plan_project):
    _review_overdue(plan_project)
    _no_owner(plan_project)
    waive_file("content/initiatives/I1.md")(plan_project, "no-owner")
    result = plan_project.check()
    assert result.codes() == {"review-overdue"}


def test_waiver_on_one_entity_does_not_silence_another(plan_project):
    plan_project.write("content/initiatives/I2.md", I2)
    plan_project.write("content/initiatives/I3.md", I2.replace("Second", "Third"))
    waive_file("content/initiatives/I2.md")(plan_project, "orphan")
    result = plan_project.check()
    assert [(f["file"], f["code"]) for f in result.findings] == [("content/initiatives/I3.md", "orphan")]


def test_unknown_key_in_a_nested_task(plan_project):
    plan_project.edit("content/operations/ops.md", "    due: 2026-12-01", "    dew: 2026-12-01")
    finding = plan_project.check().only("unknown-key")
    assert (finding["file"], finding["line"], finding["col"]) == ("content/operations/ops.md", 16, 5)
    assert "did you mean 'due'" in finding["message"]


def test_unknown_key_message_reads_well(plan_project):
    _unknown_key(plan_project)
    message = plan_project.check().only("unknown-key")["message"]
    assert "unknown key 'onwer' for an initiative" in message


def test_x_prefixed_keys_are_free(plan_project):
    plan_project.edit("content/initiatives/I1.md", "owner: COO", "owner: COO\nx-cost-centre: 4711")
    assert plan_project.check("--strict").exit_code == 0


def test_stale_kpi_without_any_actuals(plan_project):
    plan_project.edit("content/kpis/K-OPS.md", "actuals:\n  - {date: 2026-11-01, value: 9}\n", "")
    finding = plan_project.check().only("stale-kpi")
    assert "no actuals" in finding["message"]


def test_stale_kpi_respects_the_frequency(plan_project):
    # 106 days old: stale for a monthly KPI (> 62 days), fresh for a quarterly one (<= 184 days).
    _stale_kpi(plan_project)
    plan_project.edit("content/kpis/K-OPS.md", "frequency: monthly", "frequency: quarterly")
    assert plan_project.check().findings == []


def test_horizon_of_exactly_one_year_is_fine(plan_project):
    plan_project.edit("content/objectives/SO1.md", "period: {start: 2026, end: 2028}", "period: 2027")
    assert plan_project.check().findings == []


def test_red_objective_with_active_work_is_addressed(plan_project):
    _red_unaddressed(plan_project)
    plan_project.edit("content/initiatives/I2.md", "status: done", "status: active")
    assert "red-unaddressed" not in plan_project.check().codes()


def test_no_kpi_and_no_execution_together(plan_project):
    add_so2(plan_project)
    result = plan_project.check()
    assert {(f["file"], f["line"], f["code"]) for f in result.findings} == {
        ("content/objectives/SO2.md", 1, "no-execution"), ("content/objectives/SO2.md", 1, "no-kpi")}


def test_waiver_that_silences_nothing_is_still_listed(plan_project):
    """An accepted gap stays visible: every waiver is listed, even once the gap has closed."""
    waive_file("content/initiatives/I1.md")(plan_project, "orphan")
    assert plan_project.check("--strict").findings == []
    assert plan_project.export()["waivers"] == [{"entity": "I1", "code": "orphan", "reason": REASON}]


def test_waiver_of_a_switched_off_check_is_not_listed(plan_project):
    waive_file("content/initiatives/I1.md")(plan_project, "orphan")
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\nchecks: {orphan: false}\n")
    assert plan_project.export()["waivers"] == []
