"""JSON Schema (draft 2020-12) for `stratdocs.yml` and each kind's front matter (`stratdocs schema`).

Generated from the tables `check` itself reads with: the keys of each kind and their types
(`schema.keys.KIND_KEYS`, `KEY_TYPES`, the words of each choice) and the config's names
(`config.specs`). tests/test_jsonschema.py validates good and broken files with both and
proves that wherever `check` reports a `schema` (or `config`) error, the JSON Schema rejects
the file too, and that files `check` accepts pass.

What a JSON Schema cannot say stays with `check` alone: rules across keys or files (an `end`
before its `start`, threshold order, a milestone date used twice, ids that resolve) and
whether a KPI's CSV exists. Unknown keys, a warning in `check`, are refused by the schema
(`additionalProperties: false`) except `x-` keys, which are free: an editor should flag a typo.
Choices are matched without regard to case, as `check` does; the `enum` beside each pattern
is there for an editor's completion.
"""

from __future__ import annotations

import json
from pathlib import Path

from stratdocs.config import specs
from stratdocs.delivery import MILESTONE_STATUSES
from stratdocs.errors import OutputError
from stratdocs.findings import WARNING_CODES
from stratdocs.model import FILE_KINDS, FOLDER_KINDS, KIND_LABELS, KINDS
from stratdocs.schema.keys import COMMON_KEYS, KEY_TYPES, KIND_KEYS, NESTED_KEY_TYPES, NESTED_KEYS

DRAFT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://stratdocs.invalid/schema/"
#: A scalar as front matter reads it as text (`title: 2026` is the text "2026"; empty is "").
TEXT = {"type": ["string", "number", "boolean", "null"]}
#: A scalar that must have a value (config text, an id in a list of references).
VALUE = {"type": ["string", "number", "boolean"]}
NUMBER = {"type": "number"}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
ID = {"anyOf": [{"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
                 "not": {"pattern": "^[iI][nN][dD][eE][xX]$"}},
                {"type": "number", "minimum": 0}],
      "description": "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters"}
SPAN = {"anyOf": [{"type": "integer", "minimum": 1000, "maximum": 9999},
                  {"type": "string", "pattern": r"^\s*\d{4}(-[Qq][1-4]|-(0[1-9]|1[0-2])|-[Ww](0[1-9]|[1-4]\d|5[0-3]))?\s*$"},
                  DATE],
        "description": "a year (2026), quarter (2026-Q1), month (2026-03), ISO week (2026-W14) or date"}


def choice(words, *, fold: bool = True, strip: bool = True) -> dict:
    """A word of `words`, matched as `Reader.choice` does (`fold`: any case; `strip`: around spaces).

    :param words: the accepted words, in the order the error message lists them.
    """
    def letters(word: str) -> str:
        return "".join(f"[{c.lower()}{c.upper()}]" if fold and c.isalpha() else _escape(c) for c in word)
    space = r"\s*" if strip else ""
    pattern = f"^{space}({'|'.join(letters(w) for w in words)}){space}$"
    return {"anyOf": [{"enum": list(words)}, {"type": "string", "pattern": pattern}]}


def _escape(char: str) -> str:
    return "\\" + char if char in r".^$*+?()[]{}|\/-" else char


def _one_or_many(item: dict) -> dict:
    return {"anyOf": [{"type": "null"}, item, {"type": "array", "items": item}]}


def _point(note: bool = False) -> dict:
    props = {"date": DATE, "value": NUMBER}
    if note:
        props["note"] = TEXT
    return {"type": "object", "properties": props, "required": ["date", "value"], "additionalProperties": False}


def _waive() -> dict:
    reason = {"anyOf": [{"type": "string", "pattern": r"\S"}, {"type": ["number", "boolean"]}]}
    return {"type": "object", "propertyNames": {"enum": list(WARNING_CODES)}, "additionalProperties": reason,
            "description": "warning code -> the reason the gap is accepted"}


def _thresholds(band: bool) -> dict:
    value = {"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2} if band else NUMBER
    return {"type": "object", "properties": {"green": value, "amber": value}, "required": ["green", "amber"],
            "additionalProperties": False}


def _nested(kind: str) -> dict:
    """The items of an operation's `objectives` (operational objectives) or `tasks`."""
    title = {"anyOf": [{"type": "string", "minLength": 1}, {"type": ["number", "boolean"]}]}
    props = {key: title if key == "title" else key_schema(key, kind) for key in NESTED_KEYS[kind]}
    return _keys_object(props, ["id", "title"])


def _keys_object(props: dict, required: list[str]) -> dict:
    """A mapping of the known `props` (an `x-` key is free, any other key refused)."""
    return {"type": "object", "properties": props, "patternProperties": {"^x-": {}},
            "additionalProperties": False, "required": required}


def key_schema(key: str, kind: str) -> dict:
    """The JSON Schema of front-matter `key` in an entity of `kind` (its `KEY_TYPES` entry)."""
    kind_type = NESTED_KEY_TYPES.get(kind, {}).get(key, KEY_TYPES[key])
    if isinstance(kind_type, tuple):
        return choice(kind_type)
    simple = {"text": TEXT, "id": ID, "date": DATE, "number": NUMBER, "period": _period(),
              "strings": _one_or_many(TEXT), "refs": _one_or_many(VALUE), "waive": _waive(),
              "ref": {"anyOf": [{"type": "null"}, VALUE, {"type": "array", "items": VALUE, "maxItems": 1}]},
              "point": _point(), "targets": {"anyOf": [_point(), {"type": "array", "items": _point()}]},
              "actuals": {"anyOf": [{"type": "null"}, {"type": "array", "items": _point(note=True)}]},
              "weight": {"type": "number", "minimum": 0}, "kind": choice((kind,)), "commentary": _commentary(),
              "rating": {"type": "integer", "minimum": 1, "maximum": 5}, "mitigation": _mitigation()}
    if kind_type == "nested":
        return _one_or_many_items(_nested(NESTED_LISTS[key]))
    if kind_type == "thresholds":
        return {"type": "object"}  # numbers or [min, max] bands by direction: see `kind_schema`
    if kind_type in _DELIVERY:
        return _DELIVERY[kind_type]()
    return simple[kind_type]


#: The kind of the items of each nested list.
NESTED_LISTS = {"objectives": "operational-objective", "tasks": "task", "actions": "action"}


def _mitigation() -> dict:
    """A risk's `mitigation`: text, a list of ids, or `{by: [ids], text}` (see `schema.risk`)."""
    ids = {"type": "array", "items": VALUE}
    mapping = {"type": "object", "properties": {"by": _one_or_many(VALUE), "text": TEXT}, "additionalProperties": False}
    return {"anyOf": [TEXT, ids, mapping]}


def _commentary() -> dict:
    """`commentary:` entries (`schema.commentary`): period or date, author, analysis, recommendation."""
    entry = {"type": "object", "properties": {"period": SPAN, "date": DATE, "author": TEXT, "analysis": TEXT,
                                              "recommendation": TEXT},
             "required": ["author", "analysis"], "additionalProperties": False,
             "oneOf": [{"required": ["period"]}, {"required": ["date"]}]}
    return _one_or_many_items(entry)


def _milestones() -> dict:
    mid = {"anyOf": [{"type": "string", "pattern": r"^\s*[A-Za-z0-9][A-Za-z0-9._-]{0,63}\s*$"},
                     {"type": "number", "minimum": 0}]}
    props = {"id": mid, "title": TEXT, "due": DATE, "done": DATE, "status": choice(MILESTONE_STATUSES)}
    item = {"type": "object", "properties": props, "required": ["id", "title"], "additionalProperties": False}
    return _one_or_many_items(item)


def _budget() -> dict:
    amount = {"type": "number", "minimum": 0}
    mapping = {"type": "object", "properties": {"amount": amount, "currency": TEXT,
                                                "phasing": {"type": "array", "items": _point()}},
               "required": ["amount"], "additionalProperties": False}
    return {"anyOf": [amount, mapping]}


def _spend() -> dict:
    item = {"type": "object", "properties": {"date": DATE, "amount": NUMBER, "note": TEXT},
            "required": ["date", "amount"], "additionalProperties": False}
    csv_path = {"type": "string", "pattern": r"\.csv$"}
    return {"anyOf": [{"type": "null"}, csv_path, {"type": "array", "items": item}]}


def _progress() -> dict:
    return {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
                      {"type": "string", "pattern": r"^\s*(100(\.0+)?|\d{1,2}(\.\d+)?)\s*%\s*$"}]}


#: The initiative delivery keys (`schema.delivery`), typed beyond the simple table above.
_DELIVERY = {"milestones": _milestones, "budget": _budget, "spend": _spend, "progress": _progress}


def _one_or_many_items(item: dict) -> dict:
    return {"anyOf": [{"type": "null"}, {"type": "array", "items": item}]}


def _period() -> dict:
    mapping = {"type": "object", "properties": {"start": SPAN, "end": SPAN}, "required": ["start", "end"],
               "additionalProperties": False}
    return {"anyOf": [SPAN, mapping]}


def kind_schema(kind: str) -> dict:
    """The JSON Schema of the front matter of a file of `kind` (plan, objective, …, page)."""
    keys = COMMON_KEYS + KIND_KEYS[kind]
    out = _keys_object({key: key_schema(key, kind) for key in keys}, [])
    out = {"$schema": DRAFT, "$id": f"{BASE_ID}{kind}.schema.json",
           "title": f"stratdocs {kind} front matter", **out}
    if kind == "kpi":
        is_range = {"properties": {"direction": choice(("range",))}, "required": ["direction"]}
        out["if"] = is_range
        out["then"] = {"properties": {"thresholds": _thresholds(band=True)}}
        out["else"] = {"properties": {"thresholds": _thresholds(band=False)}}
        out["not"] = {"required": ["actuals", "data"]}  # either inline actuals or a CSV
    return out


def config_schema() -> dict:
    """The JSON Schema of `stratdocs.yml` (every key of `config.specs.KEYS`; no other key)."""
    return {"$schema": DRAFT, "$id": f"{BASE_ID}stratdocs.schema.json", "title": "stratdocs.yml",
            "type": ["object", "null"], "properties": _config_properties(), "additionalProperties": False}


def all_schemas() -> dict[str, dict]:
    """File name -> schema: `stratdocs.schema.json` and `KIND.schema.json` for every file kind."""
    out = {"stratdocs.schema.json": config_schema()}
    out.update({f"{kind}.schema.json": kind_schema(kind) for kind in FILE_KINDS})
    return out


def combined() -> dict:
    """One document holding every schema under `$defs` (what `stratdocs schema` prints)."""
    return {"$schema": DRAFT, "$id": f"{BASE_ID}stratdocs-all.schema.json",
            "title": "stratdocs: stratdocs.yml and the front matter of each kind",
            "$defs": {name.removesuffix(".schema.json"): schema for name, schema in all_schemas().items()}}


def dumps(schema: dict) -> str:
    """`schema` as the JSON text written to files (stable, indented, ending in a newline)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write(folder: Path) -> list[Path]:
    """Write every schema of `all_schemas` into `folder` (created if needed); the paths written.

    Raises `OutputError` when the folder or a file cannot be written.
    """
    written = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name, schema in all_schemas().items():
            path = folder / name
            path.write_text(dumps(schema), encoding="utf-8")
            written.append(path)
    except OSError as exc:
        raise OutputError(f"cannot write the schema into {folder}: {exc.strerror or exc}") from None
    return written


def _folder_words() -> tuple[str, ...]:
    """The words `folders:` accepts for a kind: folder names and kinds, mapped as `config.parser` does."""
    def kind_of(word: str) -> str:
        return FOLDER_KINDS.get(word) or (word.rstrip("s") if word.rstrip("s") in KINDS else word)
    words = {*FOLDER_KINDS, *KINDS, *(k + "s" for k in KINDS)}
    return tuple(sorted(w for w in words if kind_of(w) in set(FILE_KINDS) - {"plan"}))


def _config_properties() -> dict:
    """The schema of each top-level key of `stratdocs.yml`."""
    folder = {"type": "string", "not": {"anyOf": [{"pattern": "^/"}, {"pattern": r"(^|/)\.\.(/|$)"},
                                                  {"pattern": r"^\s*(\./?)?\s*$"}]}}
    share = {"type": "number", "minimum": 0, "maximum": 2}
    props: dict = {key: VALUE for key in specs.TEXT_KEYS}
    props.update({key: folder for key in specs.FOLDER_KEYS})
    props.update({key: choice(words, strip=False) for key, words in specs.CHOICE_KEYS.items()})
    props.update({
        "as_of": DATE, "base_url": VALUE, "repo_url": VALUE, "edit_uri": VALUE,
        "markdown": {"type": "object", "additionalProperties": False, "properties": {
            "extensions": {"type": "array"},
            "options": {"type": "object", "additionalProperties": {"type": "object"}}}},
        "risks": {"type": "object", "additionalProperties": False, "properties": {
            "high": {"type": "integer", "minimum": 1, "maximum": 25}}},
        "status": {"type": "object", "additionalProperties": False, "properties": {
            "green": share, "amber": share, "rollup": choice(("worst", "average"), strip=False)}},
        "delivery": {"type": "object", "additionalProperties": False, "properties": {
            part: {"type": "object", "additionalProperties": False, "properties": {
                "green": {"type": "number", "minimum": 0, "maximum": 3},
                "amber": {"type": "number", "minimum": 0, "maximum": 3}}} for part in ("schedule", "budget")}},
        "checks": {"type": "object", "propertyNames": {"enum": list(WARNING_CODES)},
                   "additionalProperties": {"type": "boolean"}},
        "folders": {"type": "object", "additionalProperties": choice(_folder_words(), fold=False, strip=False)},
        "matrices": {"type": "array", "items": {"anyOf": [{"enum": [m.id for m in specs.DEFAULT_MATRICES]},
                                                          _matrix()]}},
        "documents": {"type": "array", "items": _document()},
        "perspectives": {"type": "object", "minProperties": 1, "maxProperties": 8,
                         "propertyNames": {"pattern": "^[a-z][a-z0-9-]{0,39}$"},
                         "additionalProperties": {"type": "string", "pattern": r"\S"}},
        # the word each maps to is checked case- and space-insensitively by stratdocs: any text here
        "statuses": {"type": "object", "additionalProperties": VALUE},
        "terms": {"type": "object", "propertyNames": {"enum": sorted({*KIND_LABELS, *(f for f, k in FOLDER_KINDS.items()
                                                                                        if k in KIND_LABELS)})},
                  "additionalProperties": {"anyOf": [VALUE, {"type": "array", "items": VALUE,
                                                             "minItems": 1, "maxItems": 2}]}},
        "csv": {"type": "object", "additionalProperties": False, "properties": {
            "separator": {"enum": [",", ";", "|", "\t", "\\t", "tab"]}, "decimal": {"enum": [".", ","]}}},
    })
    return props


def _matrix() -> dict:
    axis = choice(specs.MATRIX_AXES, strip=False)
    props = {"id": VALUE, "title": VALUE, "rows": axis, "columns": axis, "description": VALUE}
    return {"type": "object", "properties": props, "required": ["id", "rows", "columns"],
            "additionalProperties": False}


def _document() -> dict:
    text = {key: VALUE for key in ("title", "subtitle", "confidential", "changes_since")}
    section = {"anyOf": [{"enum": list(specs.SECTIONS)}, {"type": "string", "pattern": "^matrix:"}]}
    props = {"id": {"type": ["string", "number"], "pattern": "^[-_]*[A-Za-z0-9][A-Za-z0-9_-]*$"}, **text,
             "draft": {"type": "boolean"}, "sections": {"type": "array", "items": section},
             "filter": {"type": "object", "propertyNames": {"enum": list(specs.FILTER_KEYS)}}}
    # the 'changes' section says since when
    needs_since = {"if": {"properties": {"sections": {"contains": {"const": "changes"}}}, "required": ["sections"]},
                   "then": {"required": ["changes_since"]}}
    return {"type": "object", "properties": props, "required": ["id"], "additionalProperties": False, **needs_since}
