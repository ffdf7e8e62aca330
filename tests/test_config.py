"""`stratdocs.yml` (SPEC §9): defaults, every key typed, every problem reported at once with exit 2."""

from __future__ import annotations

from datetime import date

import pytest

from stratdocs import config as config_mod


def config_error(project, text: str | bytes) -> list[str]:
    """Write the config, run check, expect exit 2 and return the problem lines."""
    project.write("stratdocs.yml", text)
    result = project.check("--format", "text")
    assert result.exit_code == 2, result.stdout
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    return result.stderr.strip().splitlines()


def test_defaults_without_a_config_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    cfg = config_mod.load(tmp_path)
    assert (cfg.title, cfg.content_dir, cfg.output_dir, cfg.theme) == ("Strategic plan", "content", "site", "default")
    assert cfg.as_of == date.today()
    assert [m.id for m in cfg.matrices] == ["objectives-operations", "objectives-kpis", "kpi-linkage"]
    assert (cfg.status.green, cfg.status.amber, cfg.status.rollup) == (0.95, 0.80, "worst")
    assert all(cfg.check_enabled(code) for code in ("orphan", "horizon", "unknown-key"))


def test_source_date_epoch_sets_the_default_as_of(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # 2026-09-21 UTC
    assert config_mod.load(tmp_path).as_of == date(2026, 9, 21)


def test_as_of_in_config_wins_over_source_date_epoch(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    (tmp_path / "stratdocs.yml").write_text("as_of: 2026-11-15\n")
    assert config_mod.load(tmp_path).as_of == date(2026, 11, 15)


def test_bad_source_date_epoch_exits_2(plan_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    plan_project.write("stratdocs.yml", "title: T\n")
    result = plan_project.check()
    assert result.exit_code == 2
    assert "SOURCE_DATE_EPOCH" in result.stderr


def test_empty_config_file_means_defaults(plan_project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1794700800")  # 2026-11-15 UTC
    plan_project.write("stratdocs.yml", "# nothing yet\n")
    assert plan_project.check("--strict").exit_code == 0


def test_config_that_is_not_a_mapping(plan_project):
    assert config_error(plan_project, "- a\n- b\n") == ["stratdocs.yml:1:1: error: the config must be 'key: value' lines"]


def test_config_that_is_not_utf8(plan_project):
    lines = config_error(plan_project, b"title: Caf\xe9\n")
    assert lines[0].startswith("stratdocs.yml:1:1: error: cannot read config")


def test_config_with_a_tag(plan_project):
    lines = config_error(plan_project, "title: !!python/object:os.system x\n")
    assert lines[0].startswith("stratdocs.yml:1:8: error: YAML tags")


@pytest.mark.parametrize("text, where, fragment", [
    ("as_of: 15.11.2026\n", "1:8", "YYYY-MM-DD"),
    ("content_dir: ../elsewhere\n", "1:14", "inside the project"),
    ("content_dir: /abs\n", "1:14", "inside the project"),
    ("content_dir: site\n", "1:14", "would contain the content"),
    ("output_dir: content\n", "1:13", "would contain the content"),
    ("status: {green: 0.5, amber: 0.9}\n", "1:9", "must not be above"),
    ("status: {green: lots}\n", "1:17", "share of planned progress"),
    ("status: {rollup: median}\n", "1:18", "worst, average"),
    ("raw_html: run\n", "1:11", "sanitize, escape"),
    ("checks: {orphans: false}\n", "1:10", "did you mean 'orphan'"),
    ("checks: [orphan]\n", "1:9", "maps warning codes"),
    ("folders: {okrs: widget}\n", "1:17", "must name a kind"),
    ("matrices: [objectives-kpi]\n", "1:12", "did you mean 'objectives-kpis'"),
    ("matrices: [{id: m, rows: objective}]\n", "1:12", "needs id, rows and columns"),
    ("documents: [{id: pack, sections: [cover, scorecrd]}]\n", "1:42", "did you mean 'scorecard'"),
    ("documents: [{id: pack, sections: ['matrix:nope']}]\n", "1:1", "no matrix 'nope'"),
    ("documents: [{title: No id}]\n", "1:13", "needs an id"),
    ("documents: [{id: pack, draft: maybe}]\n", "1:31", "true or false"),
    ("documents: [{id: pack, filter: {colour: red}}]\n", "1:33", "unknown filter 'colour'"),
    ("markdown: {extensons: [toc]}\n", "1:12", "did you mean 'extensions'"),
    ("markdown: {extensions: [tabels]}\n", "1:25", "did you mean 'tables'"),
    ("markdown: {extensions: [os]}\n", "1:25", "is not allowed"),
    ("markdown: {extensions: toc}\n", "1:24", "must be a list"),
    ("markdown: {options: {toc: {permalnk: true}}}\n", "1:28", "did you mean 'permalink'"),
    ("markdown: {options: {toc: {toc_depth: '4-x'}}}\n", "1:39", "a range like '2-4'"),
    ("markdown: {options: {admonition: {x: 1}}}\n", "1:35", "takes none"),
    ("markdown: {options: {toc: [permalink]}}\n", "1:27", "mapping of option names"),
    ("base_url: intranet.example.com\n", "1:11", "http:// or https://"),
])
def test_bad_config_values_are_located(plan_project, text, where, fragment):
    lines = config_error(plan_project, "as_of: 2026-11-15\n" + text if not text.startswith("as_of") else text)
    line, col = where.split(":")
    if not text.startswith("as_of") and where != "1:1":
        line = str(int(line) + 1)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"stratdocs.yml:{line}:{col}: error: "), lines[0]
    assert fragment in lines[0]


def test_folders_map_extra_content_folders(plan_project):
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\nfolders: {okrs: objectives}\n")
    plan_project.write("content/okrs/O9.md", "---\ntitle: An OKR\nowner: CEO\nperiod: {start: 2026, end: 2028}\n---\n")
    result = plan_project.check()
    assert result.exit_code == 0
    assert {(f["file"], f["code"]) for f in result.findings} == {("content/okrs/O9.md", "no-execution"),
                                                                 ("content/okrs/O9.md", "no-kpi")}
    assert {e["id"]: e["kind"] for e in plan_project.export()["entities"]}["O9"] == "objective"


def test_kind_key_overrides_the_folder(plan_project):
    plan_project.write("content/pages/extra-objective.md",
                       "---\nkind: objective\ntitle: Filed under pages\nowner: CEO\n---\n")
    assert {e["id"]: e["kind"] for e in plan_project.export()["entities"]}["extra-objective"] == "objective"


def test_subfolders_keep_their_kind(plan_project):
    plan_project.write("content/operations/emea/sales.md",
                       "---\ntitle: EMEA sales\nowner: Head of EMEA\nsupports: [I1]\nperiod: 2026-Q4\n---\n")
    assert plan_project.check().findings == []
    assert {e["id"]: e["kind"] for e in plan_project.export()["entities"]}["sales"] == "operation"


def test_content_dir(plan_project):
    plan_project.root.joinpath("content").rename(plan_project.root / "plan-content")
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\ncontent_dir: plan-content\n")
    result = plan_project.check()
    assert result.exit_code == 0 and result.findings == []
    assert {e["file"] for e in plan_project.export()["entities"]} >= {"plan-content/plan.md"}


def test_custom_matrix_is_exported(plan_project):
    plan_project.write("stratdocs.yml", "as_of: 2026-11-15\nmatrices:\n  - objectives-kpis\n"
                                        "  - {id: tasks, title: Tasks, rows: objective, columns: task}\n")
    matrices = plan_project.export()["matrices"]
    assert set(matrices) == {"objectives-kpis", "tasks"}
    assert matrices["tasks"]["cells"] == [{"row": "SO1", "column": "T1", "direct": False, "via": "I1"}]


def test_default_document_follows_the_configured_matrices(tmp_path):
    (tmp_path / "stratdocs.yml").write_text("matrices: [objectives-kpis]\ndocuments: [{id: pack}, "
                                            "{id: short, sections: [cover, scorecard]}]\n")
    cfg = config_mod.load(tmp_path)
    pack, short = cfg.documents
    assert "matrix:objectives-kpis" in pack.sections
    assert "matrix:kpi-linkage" not in pack.sections and "scorecard" in pack.sections
    assert short.sections == ("cover", "scorecard")


def test_extensions_with_and_without_the_prefix_are_one(tmp_path):
    (tmp_path / "stratdocs.yml").write_text("as_of: 2026-11-15\nmarkdown:\n  extensions: [markdown.extensions.abbr, "
                                            "abbr, markdown.extensions.toc]\n  options:\n"
                                            "    markdown.extensions.toc: {permalink: '#', toc_depth: '2-4'}\n")
    cfg = config_mod.load(tmp_path)
    assert cfg.markdown_extensions == config_mod.DEFAULT_EXTENSIONS + ("abbr",)
    assert dict(cfg.markdown_options["toc"]) == {"permalink": "#", "toc_depth": "2-4"}


def test_every_extension_of_the_allow_list_builds(tmp_path):
    """The allow-list and its options match what the installed Python-Markdown accepts."""
    from stratdocs.config.markdown import EXTENSIONS
    from stratdocs.render.markdown import MarkdownRenderer

    sample = {"text": "x", "true or false": True, "a heading level 1-6": 3,
              "a heading level 1-6 or a range like '2-4'": "2-4", "true, false or the link's text": "#"}
    options = {name: {key: sample[kind] for key, kind in accepted.items()} for name, accepted in EXTENSIONS.items()}
    options["toc"]["marker"] = "[TOC]"
    renderer = MarkdownRenderer(tuple(EXTENSIONS), options, "sanitize", {}, {}, "content", frozenset())
    assert "<h" in renderer.render("# Title\n\nText", "content/x.md").html
