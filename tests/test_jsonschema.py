"""`stratdocs schema`: the JSON Schema agrees with `check` on good files and on broken ones.

Every file of the example plan and of the `init` project, and `stratdocs.yml` of both, is
validated as it is and after mutations (each key given a value of the wrong shape, and
bad words, dates, numbers and ids for the keys that take them), by `jsonschema` and by the
real loading `check` does (`project.load`, with the mutated text as an override). Where
`check` reports a `schema` or `config` error (or an unknown key) in the file, the JSON
Schema rejects it; where `check` is content, the JSON Schema accepts it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from stratdocs import config as config_mod, jsonschema as js, project as project_mod, scaffold, sources, yamlnodes
from stratdocs.cli import cli
from stratdocs.errors import ConfigError
from stratdocs.schema.keys import COMMON_KEYS, KEY_TYPES, KIND_KEYS, NESTED_KEYS

REPO = Path(__file__).resolve().parents[1]
#: Values of the wrong shape for any key (a mapping with an unknown key, a list of lists).
ANY_BAD = ({"zz": 1}, [[1]])
#: More bad values by key type (`schema.keys.KEY_TYPES`).
BAD_BY_TYPE = {
    "date": ("2026-02-30", "2026-1-5", "soon", 2026), "number": ("12", "lots", True),
    "weight": (-1, "1"), "id": ("-bad", "index", "a b", "x" * 65), "period": ("2026-Q5", "2026-13", {"start": 2026}),
    "refs": (["SO1", {"a": 1}], [None]), "ref": (["SO1", "SO2"],), "point": ({"date": "2026-01-01"},
                                                                           {"date": "2026-01-01", "value": "1"}),
    "targets": ([{"value": 1}],), "actuals": ({"date": "2026-01-01", "value": 1}, [{"date": "2026-01-01"}]),
    "thresholds": ({"green": 1}, {"green": "a", "amber": 1}), "waive": ({"no-such-code": "why"}, {"no-kpi": " "}),
    "nested": ([{"title": "no id"}], [{"id": "X-1"}], ["just text"]), "kind": ("sideways",),
    # initiative delivery (issue #14)
    "milestones": ([{"title": "no id"}], [{"id": "M1", "title": "x", "status": "finished"}],
                   [{"id": "M1", "title": "x", "due": "soon"}], [{"id": "a b", "title": "x"}], "M1"),
    "progress": (1.5, "140%", "lots", -0.1, None), "spend": ([{"date": "2026-01-01"}], 12,
                                                             [{"date": "2026-01-01", "amount": "x"}]),
    "budget": (-1, {"currency": "EUR"}, {"amount": 1, "phasing": 3}, "100"),
}
CHOICE_BAD = ("sideways", 3)
#: Good values, that both must accept.
GOOD_BY_TYPE = {"date": ("2026-02-28",), "period": (2027, "2026-Q4", "2026-W14", {"start": 2026, "end": "2027-06"}),
                "refs": ("SO1", [], None), "strings": ("one", ["a", 2]), "text": (2026, None, "on"),
                "milestones": ([{"id": "M1", "title": "T", "due": "2026-01-01", "done": "2026-01-02"}], None),
                "progress": (0.5, "40%", 1), "spend": ([{"date": "2026-01-01", "amount": 5}], None),
                "budget": (100, {"amount": 100, "currency": "EUR"})}

VALIDATOR = jsonschema.Draft202012Validator


def validate(schema: dict, data) -> list[str]:
    """The JSON Schema's complaints about `data` (empty: accepted)."""
    validator = VALIDATOR(schema, format_checker=VALIDATOR.FORMAT_CHECKER)
    return [error.message for error in validator.iter_errors(data)]


def front_matter(text: str) -> tuple[dict, str]:
    """The front matter of a content file as plain data (YAML 1.2, as stratdocs reads it) and its body."""
    src, found = sources.parse_bytes("x.md", "page", text.encode("utf-8"))
    assert src is not None and not found
    return yamlnodes.to_python(src.meta), src.body


def with_front_matter(data: dict, body: str) -> str:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    return "---\n" + yaml.dump(data, Dumper=dumper, sort_keys=False, allow_unicode=True) + "---\n" + body


#: What `check` alone can judge: rules across keys, or between the front matter and the body.
CHECK_ONLY = ("missing title; add 'title: …' to the front matter or start the body with '# Title'",
              "is before 'start'")


def mutations(data: dict, kind: str, seen: dict):
    """(what, mutated data) pairs: each key of `data` (and of nested items) given bad and good values.

    :param seen: (kind, key) -> how often mutated so far; each is tried in one file of a kind.
    """
    for key in data:
        if key.startswith("x-") or key not in KEY_TYPES or seen.get((kind, key), 0) >= 1:
            continue
        seen[(kind, key)] = seen.get((kind, key), 0) + 1
        kind_type = KEY_TYPES[key]
        values = ANY_BAD + (CHOICE_BAD if isinstance(kind_type, tuple) else ())
        values += BAD_BY_TYPE.get(kind_type, ()) + GOOD_BY_TYPE.get(kind_type, ())
        for value in values:
            yield f"{key}={value!r}", {**data, key: value}
        if kind_type == "nested" and isinstance(data[key], list) and data[key]:
            first = data[key][0]
            for name in first:
                for value in ANY_BAD + (CHOICE_BAD if name == "status" and key == "tasks" else ()):
                    yield f"{key}[0].{name}={value!r}", {**data, key: [{**first, name: value}, *data[key][1:]]}
    yield "unknown key", {**data, "ownr": "someone"}
    yield "x- key", {**data, "x-colour": [1, {"a": 2}]}


def check_verdict(root: Path, memo: project_mod.FileMemo, rel: str, text: str) -> list[str]:
    """What `check` reports against the file `rel` given `text`: schema errors and unknown keys."""
    project = project_mod.load(root, files=memo, overrides={rel: text})
    return [f.text() for f in project.findings if f.file == rel and f.code in ("schema", "unknown-key", "yaml")]


def effective_kind(data: dict, folder_kind: str) -> str:
    declared = data.get("kind")
    return declared.strip().lower() if isinstance(declared, str) and declared.strip().lower() in KIND_KEYS \
        else folder_kind


def _projects(tmp_path: Path) -> list[Path]:
    example = tmp_path / "example"
    shutil.copytree(REPO / "content", example / "content")
    shutil.copy(REPO / "stratdocs.yml", example / "stratdocs.yml")
    fresh = tmp_path / "fresh"
    scaffold.init(fresh)
    return [example, fresh]


def test_front_matter_schemas_agree_with_check(tmp_path: Path):
    schemas = {kind: js.kind_schema(kind) for kind in KIND_KEYS}
    disagreements, check_only, compared = [], [], 0
    for root in _projects(tmp_path):
        memo, seen = project_mod.FileMemo(), {}
        cfg = config_mod.load(root)
        listed, _ = sources.discover(root, cfg.content_dir, dict(cfg.folders))
        assert listed
        for rel, folder_kind in listed:
            data, body = front_matter((root / rel).read_text(encoding="utf-8"))
            cases = [("as written", data)] + list(mutations(data, effective_kind(data, folder_kind), seen))
            for what, mutated in cases:
                text = with_front_matter(mutated, body)
                by_check = check_verdict(root, memo, rel, text)
                by_schema = validate(schemas[effective_kind(mutated, folder_kind)], front_matter(text)[0])
                compared += 1
                if by_check and not by_schema and all(any(m in f for m in CHECK_ONLY) for f in by_check):
                    check_only.append(what)
                elif bool(by_check) != bool(by_schema):
                    disagreements.append(f"{rel} {what}: check {by_check or 'accepts'}; "
                                         f"JSON Schema {by_schema or 'accepts'}")
    assert compared > 500
    assert disagreements == []
    assert check_only  # the gaps are real, and only these


CONFIG_MUTATIONS = [
    {"title": {"zz": 1}}, {"title": None}, {"content_dir": "../elsewhere"}, {"output_dir": "/tmp/site"},
    {"output_dir": "."}, {"paper": "a5"}, {"paper": "A4"}, {"raw_html": " escape"}, {"as_of": "2026-13-01"},
    {"as_of": "2026-12-01"}, {"markdown": ["tables"]}, {"markdown": {"extensions": "toc"}},
    {"markdown": {"extension": ["toc"]}}, {"markdown": {"options": {"toc": 1}}},
    {"markdown": {"extensions": ["toc"], "options": {"toc": {"permalink": True}}}},
    {"status": {"green": 5}}, {"status": {"rollup": "best"}}, {"status": {"rollup": "Average"}}, {"status": 1},
    {"status": {"green": 0.9, "amber": 0.7}}, {"checks": {"horizon": "yes"}}, {"checks": {"horizn": False}},
    {"checks": {"horizon": False}}, {"folders": {"okrs": "objectives"}}, {"folders": {"okrs": "okr"}},
    {"folders": {"okrs": "plan"}}, {"matrices": ["objectives-kpis"]}, {"matrices": ["nope"]},
    {"matrices": [{"id": "m", "rows": "objective", "columns": "kpi"}]}, {"matrices": [{"id": "m", "rows": "objective"}]},
    {"matrices": [{"id": "m", "rows": "objective", "columns": "kpi", "colour": "red"}]}, {"matrices": "all"},
    {"documents": [{"id": "pack", "sections": ["cover", "kpis"]}]}, {"documents": [{"title": "no id"}]},
    {"documents": [{"id": "pack", "sections": ["cover", "kpi"]}]}, {"documents": [{"id": "a b"}]},
    {"documents": [{"id": "pack", "draft": "yes"}]}, {"documents": [{"id": "pack", "filter": {"colour": "x"}}]},
    {"documents": [{"id": "pack", "sections": ["changes"]}]},
    {"documents": [{"id": "pack", "sections": ["changes"], "changes_since": "v1"}]}, {"documents": ["pack"]},
    {"documents": [{"id": "pack", "pages": 3}]}, {"titel": "x"}, {"x-mine": 1},
    {"delivery": "strict"}, {"delivery": {"shedule": {"green": 0.9}}}, {"delivery": {"schedule": {"green": 5}}},
    {"delivery": {"budget": {"green": "high"}}}, {"delivery": {"budget": [1.1]}},
    {"delivery": {"schedule": {"green": 0.8, "amber": 0.6}, "budget": {"green": 1.1, "amber": 1.3}}},
    {"documents": [{"id": "pack", "sections": ["cover", "roadmap"]}]},
]


def test_config_schema_agrees_with_check(tmp_path: Path):
    schema = js.config_schema()
    disagreements = []
    for root in _projects(tmp_path):
        data = yaml.safe_load((root / "stratdocs.yml").read_text(encoding="utf-8"))
        for change in [{}, *CONFIG_MUTATIONS]:
            mutated = {**data, **change}
            (root / "stratdocs.yml").write_text(yaml.safe_dump(mutated, sort_keys=False), encoding="utf-8")
            try:
                config_mod.load(root)
                by_check = []
            except ConfigError as exc:
                by_check = [f.message for f in exc.findings]
            text = (root / "stratdocs.yml").read_text(encoding="utf-8")
            by_schema = validate(schema, yamlnodes.to_python(yamlnodes.parse(text)))
            if bool(by_check) != bool(by_schema):
                disagreements.append(f"{root.name} {change}: check {by_check or 'accepts'}; "
                                     f"JSON Schema {by_schema or 'accepts'}")
    assert disagreements == []


def test_every_key_has_a_type_and_every_schema_is_valid():
    keys = set(COMMON_KEYS) | {k for keys in KIND_KEYS.values() for k in keys} | \
        {k for keys in NESTED_KEYS.values() for k in keys}
    assert keys == set(KEY_TYPES)
    assert set(js.config_schema()["properties"]) == set(config_mod.KEYS)
    documents = js.config_schema()["properties"]["documents"]["items"]["properties"]
    assert set(documents) == set(config_mod.DOCUMENT_KEYS)
    for schema in js.all_schemas().values():
        VALIDATOR.check_schema(schema)


def test_schema_command_writes_and_prints(tmp_path: Path):
    runner = CliRunner()
    done = runner.invoke(cli, ["schema", "-o", str(tmp_path / "out")])
    assert done.exit_code == 0, done.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(js.all_schemas())
    assert json.loads((tmp_path / "out/operation.schema.json").read_text()) == js.kind_schema("operation")
    printed = runner.invoke(cli, ["schema"])
    assert printed.exit_code == 0
    assert set(json.loads(printed.output)["$defs"]) == {"stratdocs", *KIND_KEYS}


def test_init_writes_vscode_settings_and_the_current_schema(tmp_path: Path):
    scaffold.init(tmp_path / "p")
    settings = json.loads((tmp_path / "p/.vscode/settings.json").read_text(encoding="utf-8"))
    (schema_path, globs), = settings["yaml.schemas"].items()
    assert globs == ["stratdocs.yml"] or globs == "stratdocs.yml"
    shipped = json.loads((tmp_path / "p" / schema_path).read_text(encoding="utf-8"))
    assert shipped == js.config_schema(), "run `stratdocs schema -o stratdocs/scaffold/init/_stratdocs/schema`"


@pytest.mark.parametrize("kind", sorted(KIND_KEYS))
def test_choices_ignore_case_as_check_does(kind: str):
    schema = js.kind_schema(kind)
    assert validate(schema, {"kind": kind.upper()}) == []
