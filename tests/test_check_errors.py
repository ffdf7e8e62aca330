"""Every error code of SPEC §7, provoked one at a time with its exact file, line, column and exit 1."""

from __future__ import annotations

import pytest

from conftest import PlanProject
from conftest import SECOND_OBJECTIVE as SO2

ACTUALS = """\
actuals:
  - {date: 2026-09-30, value: 17}
  - {date: 2026-10-31, value: 19}
"""


def errors(result) -> list[dict]:
    return [f for f in result.findings if f["severity"] == "error"]


def assert_single_error(result, code: str, file: str, line: int, col: int, *fragments: str) -> dict:
    """Exit 1, exactly one error, with this code and location; the message holds each fragment."""
    assert result.exit_code == 1, result.stdout + result.stderr
    found = errors(result)
    assert len(found) == 1, found
    finding = found[0]
    assert (finding["code"], finding["file"], finding["line"], finding["col"]) == (code, file, line, col), finding
    assert finding["severity"] == "error"
    for fragment in fragments:
        assert fragment in finding["message"], finding["message"]
    return finding


def test_valid_plan_has_no_findings(plan_project):
    result = plan_project.check()
    assert result.exit_code == 0
    assert result.findings == []
    text = plan_project.check("--format", "text")
    assert text.stdout == ""
    assert "No problems found" in text.stderr


# --- encoding ---------------------------------------------------------------------------------

def test_invalid_utf8_names_line_and_column_of_the_bad_byte(plan_project):
    plan_project.write("content/objectives/SO1.md",
                       b"---\ntitle: Grow\nowner: Caf\xe9\nperiod: {start: 2026, end: 2028}\n---\n")
    result = plan_project.check()
    assert_single_error(result, "encoding", "content/objectives/SO1.md", 3, 11, "UTF-8")


def test_invalid_utf8_in_the_body_names_the_body_line(plan_project):
    plan_project.write("content/pages/notes.md", b"---\ntitle: Notes\n---\n\nfine\nbad \xff\xfe here\n")
    assert_single_error(plan_project.check(), "encoding", "content/pages/notes.md", 6, 5)


def test_binary_file(plan_project):
    plan_project.write("content/pages/logo.md", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert_single_error(plan_project.check(), "encoding", "content/pages/logo.md", 1, 1, "binary")


def test_csv_that_is_not_utf8(plan_project):
    plan_project.edit("content/kpis/K-REV.md", ACTUALS, "data: rev.csv\n")
    plan_project.write("content/data/rev.csv", b"date,value,note\n2026-10-31,19,caf\xe9\n")
    result = plan_project.check()
    assert result.exit_code == 1
    assert ("encoding", "content/data/rev.csv") in {(f["code"], f["file"]) for f in errors(result)}


# --- yaml -------------------------------------------------------------------------------------

def test_yaml_syntax_error(plan_project):
    plan_project.write("content/objectives/SO1.md", "---\ntitle: Grow\nowner: CEO: chief\n---\n")
    assert_single_error(plan_project.check(), "yaml", "content/objectives/SO1.md", 3, 11, "invalid YAML")


def test_yaml_python_object_tag_is_refused(plan_project):
    plan_project.write("content/objectives/SO1.md",
                       "---\ntitle: Grow\nowner: !!python/object/apply:os.system [echo hi]\n---\n")
    assert_single_error(plan_project.check(), "yaml", "content/objectives/SO1.md", 3, 8, "tags", "python/object")


def test_yaml_local_tag_is_refused(plan_project):
    plan_project.write("content/objectives/SO1.md", "---\ntitle: !secret Grow\nowner: CEO\n---\n")
    assert_single_error(plan_project.check(), "yaml", "content/objectives/SO1.md", 2, 8, "tags")


def test_yaml_anchor_is_refused(plan_project):
    plan_project.write("content/objectives/SO1.md", "---\ntitle: Grow\nowner: &who CEO\nsummary: *who\n---\n")
    assert_single_error(plan_project.check(), "yaml", "content/objectives/SO1.md", 3, 8, "anchors")


def test_yaml_alias_is_refused(plan_project):
    # An alias without an anchor is itself a YAML error; either way it is located and refused.
    plan_project.write("content/objectives/SO1.md", "---\ntitle: Grow\nowner: CEO\nsummary: *who\n---\n")
    assert_single_error(plan_project.check(), "yaml", "content/objectives/SO1.md", 4, 10)


def test_yaml_duplicate_key_names_both_lines(plan_project):
    plan_project.write("content/objectives/SO1.md",
                       "---\ntitle: Grow\nowner: CEO\nperiod: {start: 2026, end: 2028}\ntitle: Again\n---\n")
    finding = assert_single_error(plan_project.check(), "yaml", "content/objectives/SO1.md", 5, 1,
                                  "duplicate key 'title'")
    assert "line 2" in finding["message"]


def test_yaml_duplicate_key_in_a_nested_task(plan_project):
    plan_project.edit("content/operations/ops.md", "    status: doing\n", "    status: doing\n    owner: Bob\n")
    finding = assert_single_error(plan_project.check(), "yaml", "content/operations/ops.md", 18, 5,
                                  "duplicate key 'owner'")
    assert "line 15" in finding["message"]


def test_front_matter_never_closed(plan_project):
    plan_project.write("content/objectives/SO1.md", "---\ntitle: Grow\nowner: CEO\n\nSome body.\n")
    assert_single_error(plan_project.check(), "yaml", "content/objectives/SO1.md", 1, 1, "never closed")


# --- schema -----------------------------------------------------------------------------------

def test_missing_title(plan_project):
    plan_project.write("content/pages/untitled.md", "---\nsummary: no title here\n---\n\nJust text.\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/untitled.md", 2, 1, "missing title")


def test_title_defaults_to_the_first_heading(plan_project):
    plan_project.write("content/pages/heading.md", "---\nsummary: s\n---\n\n# From the heading\n")
    assert plan_project.check().findings == []
    titles = {e["id"]: e["title"] for e in plan_project.export()["entities"]}
    assert titles["heading"] == "From the heading"


def test_empty_title_is_missing(plan_project):
    plan_project.write("content/pages/blank.md", "---\ntitle: \"\"\n---\n\nNo heading.\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/blank.md", 2, 8, "missing title")


def test_bad_date(plan_project):
    plan_project.edit("content/reviews/R1.md", "date: 2026-10-01", "date: 2026-13-40")
    assert_single_error(plan_project.check(), "schema", "content/reviews/R1.md", 3, 7, "2026-13-40", "not a real date")


def test_date_in_the_wrong_format(plan_project):
    plan_project.edit("content/initiatives/I1.md", "start: 2026-01-01", "start: 01/01/2026")
    assert_single_error(plan_project.check(), "schema", "content/initiatives/I1.md", 5, 8, "YYYY-MM-DD")


def test_bad_date_in_a_nested_task(plan_project):
    plan_project.edit("content/operations/ops.md", "due: 2026-12-01", "due: 2026-02-30")
    assert_single_error(plan_project.check(), "schema", "content/operations/ops.md", 16, 10, "2026-02-30")


def test_bad_enum_value_suggests_the_near_miss(plan_project):
    plan_project.edit("content/objectives/SO1.md", "perspective: financial", "perspective: finance")
    assert_single_error(plan_project.check(), "schema", "content/objectives/SO1.md", 3, 14,
                        "'finance'", "did you mean 'financial'")


def test_bad_task_status(plan_project):
    plan_project.edit("content/operations/ops.md", "status: doing", "status: in-progress")
    assert_single_error(plan_project.check(), "schema", "content/operations/ops.md", 17, 13,
                        "todo, doing, done, blocked")


def test_ill_typed_number(plan_project):
    plan_project.edit("content/initiatives/I1.md", "budget: 250000", "budget: lots")
    assert_single_error(plan_project.check(), "schema", "content/initiatives/I1.md", 7, 9, "must be a number", "lots")


def test_quoted_number_is_not_a_number(plan_project):
    plan_project.edit("content/kpis/K-OPS.md", "value: 9}", "value: \"9\"}")
    result = plan_project.check()
    assert result.exit_code == 1
    assert ("schema", "content/kpis/K-OPS.md", 10) in {(f["code"], f["file"], f["line"]) for f in errors(result)}


def test_list_where_text_is_expected(plan_project):
    plan_project.edit("content/initiatives/I1.md", "owner: COO", "owner: [COO, CFO]")
    assert_single_error(plan_project.check(), "schema", "content/initiatives/I1.md", 4, 8, "'owner' must be text")


def test_bad_id(plan_project):
    plan_project.write("content/objectives/SO9.md", "---\nid: bad id!\ntitle: X\nowner: CEO\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/objectives/SO9.md", 2, 5, "id 'bad id!' is not valid")


def test_bad_file_name_as_id(plan_project):
    plan_project.write("content/pages/my notes.md", "---\ntitle: Notes\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/my notes.md", 1, 1, "not a valid id")


def test_id_longer_than_64_characters(plan_project):
    plan_project.write("content/pages/long.md", f"---\nid: {'a' * 65}\ntitle: Long\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/long.md", 2, 5, "at most 64")


def test_unknown_content_folder(plan_project):
    plan_project.write("content/okrs/o1.md", "---\ntitle: An OKR\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/okrs", 1, 1, "unknown content folder 'okrs'")


def test_markdown_file_at_the_top_of_content(plan_project):
    plan_project.write("content/notes.md", "---\ntitle: Notes\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/notes.md", 1, 1, "only plan.md")


def test_empty_file(plan_project):
    plan_project.write("content/pages/empty.md", "")
    assert_single_error(plan_project.check(), "schema", "content/pages/empty.md", 1, 1, "empty file")


def test_whitespace_only_file(plan_project):
    plan_project.write("content/pages/blank.md", "\n  \n\t\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/blank.md", 1, 1, "empty file")


def test_front_matter_that_is_a_list(plan_project):
    plan_project.write("content/pages/list.md", "---\n- a\n- b\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/list.md", 2, 1, "key: value")


def test_no_plan(plan_project):
    plan_project.remove("content/plan.md")
    result = plan_project.check()
    assert result.exit_code == 1
    assert ("schema", "content/plan.md", 1) in {(f["code"], f["file"], f["line"]) for f in errors(result)}


def test_missing_content_folder(tmp_path):
    (tmp_path / "stratdocs.yml").write_text("as_of: 2026-11-15\n")
    result = PlanProject(tmp_path, {}).check()
    assert result.exit_code == 1
    assert {(f["code"], f["file"]) for f in errors(result)} >= {("schema", "content")}


def test_end_before_start(plan_project):
    plan_project.edit("content/initiatives/I1.md", "end: 2027-12-31", "end: 2025-12-31")
    assert_single_error(plan_project.check(), "schema", "content/initiatives/I1.md", 6, 6, "before 'start'")


def test_thresholds_the_wrong_way_round(plan_project):
    plan_project.edit("content/kpis/K-OPS.md", "{green: 8, amber: 5}", "{green: 5, amber: 8}")
    assert_single_error(plan_project.check(), "schema", "content/kpis/K-OPS.md", 8, 13, "green threshold")


def test_waiving_a_code_that_is_not_a_warning(plan_project):
    plan_project.edit("content/initiatives/I1.md", "owner: COO", "owner: COO\nwaive: {orphn: because}")
    assert_single_error(plan_project.check(), "schema", "content/initiatives/I1.md", 5, 9,
                        "cannot waive 'orphn'", "did you mean 'orphan'")


def test_waiving_without_a_reason(plan_project):
    plan_project.edit("content/initiatives/I1.md", "owner: COO", "owner: COO\nwaive: {orphan: \"\"}")
    assert_single_error(plan_project.check(), "schema", "content/initiatives/I1.md", 5, 17, "needs a reason")


# --- duplicate-id -----------------------------------------------------------------------------

def test_duplicate_id_ignoring_case_names_both_places(plan_project):
    plan_project.write("content/objectives/so1-copy.md",
                       "---\nid: so1\ntitle: Copy\nowner: CEO\nperiod: {start: 2026, end: 2028}\n---\n")
    finding = assert_single_error(plan_project.check(), "duplicate-id", "content/objectives/so1-copy.md", 2, 1,
                                  "'so1'")
    assert "content/objectives/SO1.md:1" in finding["message"]


def test_duplicate_id_between_a_file_and_a_nested_task(plan_project):
    plan_project.write("content/pages/t1.md", "---\ntitle: T1 as a page\n---\n")
    result = plan_project.check()
    assert result.exit_code == 1
    finding = result.only("duplicate-id")
    # Operations are read before pages: the page is the second use, the task the first one named.
    assert (finding["file"], finding["line"]) == ("content/pages/t1.md", 1)
    assert "content/operations/ops.md:13" in finding["message"]


# --- broken-ref -------------------------------------------------------------------------------

def test_broken_ref_suggests_a_near_miss(plan_project):
    plan_project.edit("content/initiatives/I1.md", "supports: [SO1]", "supports: [SO1, S01]")
    assert_single_error(plan_project.check(), "broken-ref", "content/initiatives/I1.md", 3, 17,
                        "'S01'", "did you mean 'SO1'")


def test_broken_ref_without_a_near_miss(plan_project):
    plan_project.edit("content/reviews/R1.md", "about: [SO1, K-REV]", "about: [SO1, K-REV, completely-else]")
    finding = assert_single_error(plan_project.check(), "broken-ref", "content/reviews/R1.md", 4, 21,
                                  "completely-else")
    assert "did you mean" not in finding["message"]


def test_broken_ref_in_a_body_link_names_the_body_line(plan_project):
    plan_project.write("content/pages/about.md",
                       "---\ntitle: About\n---\n\nIntro.\n\nSee [[SO1]] and [[I11|the other one]].\n")
    assert_single_error(plan_project.check(), "broken-ref", "content/pages/about.md", 7, 17, "'I11'",
                        "did you mean 'I1'")


def test_body_links_in_code_are_not_references(plan_project):
    plan_project.write("content/pages/code.md",
                       "---\ntitle: Code\n---\n\nInline `[[NOPE]]`.\n\n```\n[[ALSO-NOPE]]\n```\n")
    assert plan_project.check().findings == []


def test_broken_ref_in_a_nested_task(plan_project):
    plan_project.edit("content/operations/ops.md", "supports: [OO1]", "supports: [OO2]")
    assert_single_error(plan_project.check(), "broken-ref", "content/operations/ops.md", 18, 16, "'OO2'",
                        "did you mean 'OO1'")


def test_references_ignore_case(plan_project):
    plan_project.edit("content/initiatives/I1.md", "supports: [SO1]", "supports: [so1]")
    assert plan_project.check().findings == []


# --- wrong-kind -------------------------------------------------------------------------------

def test_kpi_that_drives_an_objective(plan_project):
    plan_project.edit("content/kpis/K-OPS.md", "drives: [K-REV]", "drives: [K-REV, SO1]")
    assert_single_error(plan_project.check(), "wrong-kind", "content/kpis/K-OPS.md", 4, 17,
                        "'drives' names 'SO1'", "must name a KPI")


def test_parent_that_is_not_an_objective(plan_project):
    plan_project.edit("content/objectives/SO1.md", "status: active", "status: active\nparent: I1")
    assert_single_error(plan_project.check(), "wrong-kind", "content/objectives/SO1.md", 7, 9, "'parent' names 'I1'")


# --- cycle ------------------------------------------------------------------------------------

def test_parent_cycle(plan_project):
    plan_project.edit("content/objectives/SO1.md", "status: active", "status: active\nparent: SO2")
    plan_project.write("content/objectives/SO2.md", SO2.replace("owner: CMO", "owner: CMO\nparent: SO1"))
    result = plan_project.check()
    finding = assert_single_error(result, "cycle", "content/objectives/SO2.md", 6, 1, "parent")
    assert "SO1 → SO2 → SO1" in finding["message"]


def test_objective_that_is_its_own_parent(plan_project):
    plan_project.edit("content/objectives/SO1.md", "status: active", "status: active\nparent: SO1")
    assert_single_error(plan_project.check(), "cycle", "content/objectives/SO1.md", 7, 9, "itself")


def test_supports_cycle(plan_project):
    plan_project.edit("content/initiatives/I1.md", "supports: [SO1]", "supports: [SO1, I2]")
    plan_project.write("content/initiatives/I2.md", "---\ntitle: Two\nsupports: [I1]\nowner: COO\n---\n")
    finding = assert_single_error(plan_project.check(), "cycle", "content/initiatives/I2.md", 3, 1, "supports")
    assert "I1 → I2 → I1" in finding["message"]


def test_drives_cycle_between_kpis(plan_project):
    plan_project.edit("content/kpis/K-REV.md", "measures: [SO1]", "measures: [SO1]\ndrives: [K-OPS]")
    result = plan_project.check()
    assert result.exit_code == 1
    assert [f["code"] for f in errors(result)] == ["cycle"]


# --- csv --------------------------------------------------------------------------------------

def use_csv(project, text: str, name: str = "rev.csv") -> None:
    project.edit("content/kpis/K-REV.md", ACTUALS, f"data: {name}\n")
    project.write(f"content/data/{name}", text)


def test_csv_actuals_are_read(plan_project):
    use_csv(plan_project, "date,value,note\n2026-09-30,17,ok\n2026-10-31,19,\n")
    assert plan_project.check().findings == []
    kpi = {e["id"]: e for e in plan_project.export()["entities"]}["K-REV"]
    assert kpi["actuals"] == [{"date": "2026-09-30", "value": 17.0, "note": "ok"},
                              {"date": "2026-10-31", "value": 19.0}]


def test_csv_bad_row_names_the_csv_line(plan_project):
    use_csv(plan_project, "date,value,note\n2026-09-30,17,ok\n2026-10-31,lots,bad\n")
    assert_single_error(plan_project.check(), "csv", "content/data/rev.csv", 3, 12, "'lots'")


def test_csv_bad_date_row(plan_project):
    use_csv(plan_project, "date,value\n2026-09-30,17\n\n31/10/2026,19\n")
    assert_single_error(plan_project.check(), "csv", "content/data/rev.csv", 4, 1, "YYYY-MM-DD")


def test_csv_too_many_columns(plan_project):
    use_csv(plan_project, "date,value\n2026-09-30,17,extra\n2026-10-31,19\n")
    assert_single_error(plan_project.check(), "csv", "content/data/rev.csv", 2, 1, "expected 2 columns")


def test_csv_bad_header(plan_project):
    use_csv(plan_project, "day,amount\n2026-09-30,17\n")
    assert_single_error(plan_project.check(), "csv", "content/data/rev.csv", 1, 1, "header")


def test_csv_missing_file(plan_project):
    plan_project.edit("content/kpis/K-REV.md", ACTUALS, "data: nope.csv\n")
    assert_single_error(plan_project.check(), "csv", "content/kpis/K-REV.md", 11, 7, "content/data/nope.csv",
                        "does not exist")


def test_csv_path_outside_data_is_refused(plan_project):
    plan_project.edit("content/kpis/K-REV.md", ACTUALS, "data: ../../stratdocs.yml\n")
    assert_single_error(plan_project.check(), "schema", "content/kpis/K-REV.md", 11, 7, "content/data")


def test_csv_symlink_leaving_the_project_is_refused(plan_project, tmp_path):
    outside = tmp_path / "outside.csv"
    outside.write_text("date,value\n2026-10-31,42\n")
    plan_project.edit("content/kpis/K-REV.md", ACTUALS, "data: rev.csv\n")
    (plan_project.root / "content" / "data").mkdir()
    (plan_project.root / "content" / "data" / "rev.csv").symlink_to(outside)
    assert_single_error(plan_project.check(), "csv", "content/kpis/K-REV.md", 11, 7, "outside the project")
    kpi = {e["id"]: e for e in plan_project.export()["entities"]}["K-REV"]
    assert kpi["actuals"] == []  # nothing of the outside file is read


def test_markdown_symlink_leaving_the_project_is_refused(plan_project, tmp_path):
    outside = tmp_path / "secret.md"
    outside.write_text("---\ntitle: Secret\n---\n")
    (plan_project.root / "content" / "pages" / "secret.md").symlink_to(outside)
    assert_single_error(plan_project.check(), "schema", "content/pages/secret.md", 1, 1, "outside the project")
    assert "secret" not in {e["id"] for e in plan_project.export()["entities"]}


def test_symlink_inside_the_project_is_fine(plan_project):
    plan_project.write("content/data/real.csv", "date,value\n2026-10-31,19\n")
    plan_project.edit("content/kpis/K-REV.md", ACTUALS, "data: rev.csv\n")
    (plan_project.root / "content" / "data" / "rev.csv").symlink_to(plan_project.root / "content/data/real.csv")
    assert plan_project.check().findings == []


# --- one error does not cascade ----------------------------------------------------------------

def test_unreadable_file_does_not_turn_references_to_it_into_errors(plan_project):
    """A file that cannot be parsed is reported once; links to its id elsewhere are not broken-refs."""
    plan_project.write("content/objectives/SO1.md", "---\nid: SO1\ntitle: Grow\nowner: CEO: chief\n---\n")
    result = plan_project.check()
    assert result.exit_code == 1
    assert [(f["code"], f["file"]) for f in errors(result)] == [("yaml", "content/objectives/SO1.md")]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_every_error_fails_with_status_1_in_every_format(plan_project, fmt):
    plan_project.edit("content/kpis/K-OPS.md", "drives: [K-REV]", "drives: [SO1]")
    result = plan_project.check("--format", fmt)
    assert result.exit_code == 1
    assert "wrong-kind" in result.stdout


def test_a_second_plan(plan_project):
    plan_project.write("content/pages/plan2.md", "---\nkind: plan\ntitle: Another plan\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/plan2.md", 1, 1, "a second plan")


def test_bad_kind_key(plan_project):
    plan_project.write("content/pages/odd.md", "---\nkind: objectiv\ntitle: Odd\n---\n")
    assert_single_error(plan_project.check(), "schema", "content/pages/odd.md", 2, 7, "did you mean 'objective'")


# --- what build would refuse: theme templates and output paths -------------------------------

def test_a_theme_template_that_does_not_compile_is_a_located_error(plan_project):
    plan_project.write("stratdocs.yml", plan_project.read("stratdocs.yml") + "theme: corp\n"
                       if plan_project.path("stratdocs.yml").exists() else "theme: corp\n")
    plan_project.write("themes/corp/templates/objective.html", "<p>\n{{ x </p>\n")
    assert_single_error(plan_project.check(), "template", "themes/corp/templates/objective.html", 2, 1,
                        "does not compile")


def test_two_outputs_on_one_path_are_refused_by_check(plan_project):
    config = plan_project.read("stratdocs.yml") if plan_project.path("stratdocs.yml").exists() else ""
    plan_project.write("stratdocs.yml", config + "folders: {matrices: page}\n")
    plan_project.write("content/matrices/kpi-linkage.md", "---\ntitle: Our own linkage notes\n---\nText.\n")
    finding = assert_single_error(plan_project.check(), "output-clash", "content/matrices/kpi-linkage.md", 1, 1,
                                  "matrices/kpi-linkage.html", "the matrix 'kpi-linkage'")
    assert "content/matrices/kpi-linkage.md" in finding["message"]
