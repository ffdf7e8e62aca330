"""Parse the nodes of `stratdocs.yml` into a `Config`, collecting every problem as a finding."""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from types import MappingProxyType
from urllib.parse import urlsplit

from stratdocs.config import documents, markdown, vocabulary
from stratdocs.config.perspectives import read_perspectives
from stratdocs.config.specs import (CHOICE_KEYS, CONFIG_FILE, DEFAULT_DOCUMENT, DEFAULT_EXTENSIONS,
                                    DEFAULT_MATRICES, EDIT_URIS, FOLDER_KEYS, KEYS, TEXT_KEYS, Config, DocumentSpec)
from stratdocs.errors import ConfigError
from stratdocs.findings import WARNING_CODES, Finding, error
from stratdocs.delivery import DeliveryCutoffs
from stratdocs.health import Cutoffs
from stratdocs.config.specs import RiskSettings
from stratdocs.model import FOLDER_KINDS, KINDS
from stratdocs.numbers import known_language
from stratdocs.periods import parse_date
from stratdocs.reader import ConfigReader, is_number
from stratdocs.suggest import did_you_mean
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence


def config_error(findings: list[Finding], bare: frozenset[Finding] = frozenset()) -> ConfigError:
    """The error for `findings`, shown one a line as ``stratdocs.yml:LINE:COL: error: …``.

    :param bare: findings not about a place in the file (a bad ``SOURCE_DATE_EPOCH``), shown
        as their message alone.
    """
    lines = [f.message if f in bare else f"{f.file}:{f.line}:{f.col}: error: {f.message}" for f in findings]
    return ConfigError(findings, "\n".join(lines))


def epoch_problem() -> tuple[date | None, Finding | None]:
    """The default `as_of` from ``SOURCE_DATE_EPOCH`` (None when unset), or the finding it is bad."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None, None
    try:
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date(), None
    except (ValueError, OverflowError, OSError):
        message = f"SOURCE_DATE_EPOCH='{epoch}' is not a Unix timestamp; unset it or fix it"
        return None, error(CONFIG_FILE, 1, 1, "config", message)


def parse(root: Path, node: Node | None) -> Config:
    """The `Config` of the parsed `stratdocs.yml` `node` (None: an empty file) of project `root`.

    Raises `ConfigError` with every problem found.
    """
    if node is None:
        node = Mapping(1, 1, {})
    if not isinstance(node, Mapping):
        raise config_error([error(CONFIG_FILE, 1, 1, "config", "the config must be 'key: value' lines")])
    findings: list[Finding] = []
    r = ConfigReader(CONFIG_FILE, findings, "config")
    bare: set[Finding] = set()
    values: dict = {"root": root}
    default_sections = _read_keys(r, node, values)
    if "as_of" not in values:
        day, problem = epoch_problem()
        values["as_of"] = day or date.today()
        if problem:
            findings.append(problem)
            bare.add(problem)
    _check_folders(r, node, values)
    _edit_links(r, node, values)
    _fit_documents(values, default_sections)
    if findings:
        raise config_error(findings, frozenset(bare))
    return Config(**values, positions=MappingProxyType(_positions(node)))


def _positions(node: Mapping) -> dict[str, tuple[int, int]]:
    """(line, col) of every top-level value and of each document's keys (`documents[0].logo`),
    so that problems found later (a missing theme or logo) point at their line."""
    out: dict[str, tuple[int, int]] = {}
    for key, (_, value) in node.items.items():
        out[key] = (value.line, value.col)
        if key == "documents" and isinstance(value, Sequence):
            for number, doc in enumerate(value.items):
                if isinstance(doc, Mapping):
                    for doc_key, (_, doc_value) in doc.items.items():
                        out[f"documents[{number}].{doc_key}"] = (doc_value.line, doc_value.col)
    return out


def _read_keys(r: ConfigReader, node: Mapping, values: dict) -> set[str]:
    """Read every top-level key into `values`; the ids of documents that did not list sections."""
    default_sections: set[str] = set()
    for key, (knode, value) in node.items.items():
        if key not in KEYS:
            r.fail(knode, f"unknown config key '{key}'{did_you_mean(key, KEYS)}")
        elif key in TEXT_KEYS:
            _keep(values, key, r.text(value, key))
            if key == "language" and values.get(key) and not known_language(values[key]):
                r.fail(value, f"unknown language '{values[key]}': use a language code such as en, de or fr")
        elif key in FOLDER_KEYS:
            _keep(values, key, _folder(r, value, key))
        elif key in CHOICE_KEYS:
            _keep(values, key, r.choice(value, key, CHOICE_KEYS[key]))
        elif key == "documents":
            docs = documents.documents(r, value)
            if docs is not None:
                values["documents"], default_sections = docs
        elif key == "matrices":
            _keep(values, key, documents.matrices(r, value))
        elif key == "markdown":
            values.update(_markdown(r, value) or {})
        else:
            _keep(values, key, _READERS[key](r, value))
    return default_sections


def _keep(values: dict, key: str, value) -> None:
    if value is not None:
        values[key] = value


def _folder(r: ConfigReader, node: Node, key: str) -> str | None:
    value = r.text(node, key)
    if value is None:
        return None
    rel = Path(value)
    if rel.is_absolute() or ".." in rel.parts or not value.strip() or value.strip() in (".", "./"):
        r.fail(node, f"'{key}' must be a folder inside the project, like '{key.split('_')[0]}'")
        return None
    return rel.as_posix()


def _check_folders(r: ConfigReader, node: Mapping, values: dict) -> None:
    if "content_dir" in values or "output_dir" in values:
        out, content = Path(values.get("output_dir", "site")), Path(values.get("content_dir", "content"))
        if out == content or out in content.parents:
            key = "output_dir" if "output_dir" in node.items else "content_dir"
            r.fail(node.items[key][1], "output_dir would contain the content; choose another folder")


def _fit_documents(values: dict, default_sections: set[str]) -> None:
    """Default sections name only the matrices this project configures."""
    names = {m.id for m in values.get("matrices", DEFAULT_MATRICES)}

    def fit(doc: DocumentSpec) -> DocumentSpec:
        return replace(doc, sections=tuple(s for s in doc.sections if not s.startswith("matrix:") or s[7:] in names))

    if "documents" not in values:
        values["documents"] = (fit(DEFAULT_DOCUMENT),)
    else:
        values["documents"] = tuple(fit(d) if d.id in default_sections else d for d in values["documents"])


def _as_of(r: ConfigReader, node: Node) -> date | None:
    if (v := r.text(node, "as_of")) is not None:
        try:
            return parse_date(v)
        except ValueError as exc:
            r.fail(node, f"'as_of': {exc}")
    return None


def _base_url(r: ConfigReader, node: Node) -> str | None:
    """An ``http(s)`` URL with a host; every page's canonical link starts with it."""
    if (v := r.text(node, "base_url")) is None:
        return None
    try:
        parts = urlsplit(v.strip())
        ok = parts.scheme.lower() in ("http", "https") and bool(parts.hostname) and v.strip() == v \
            and not any(c.isspace() or ord(c) < 32 or c in "<>\"'`\\" for c in v)
    except ValueError:  # a malformed host, like http://[x
        ok = False
    if not ok:
        r.fail(node, f"'base_url' is '{v}'; it must be an http:// or https:// URL with a host, "
                     "like https://intranet.example.com/strategy/")
        return None
    return v if v.endswith("/") else v + "/"


def _markdown(r: ConfigReader, node: Node) -> dict | None:
    """``markdown:``: the extensions (from an allow-list) and their options, as the Config fields they set."""
    if not isinstance(node, Mapping):
        r.fail(node, "'markdown' must be a mapping with 'extensions' (a list) and optional 'options'")
        return None
    out: dict = {}
    for key, (knode, _) in node.items.items():
        if key not in ("extensions", "options"):
            r.fail(knode, f"unknown key 'markdown.{key}'{did_you_mean(key, ('extensions', 'options'))}")
    enabled = DEFAULT_EXTENSIONS
    if "extensions" in node.items:
        enabled = markdown.extensions(r, node.items["extensions"][1], DEFAULT_EXTENSIONS)
        if enabled is not None:
            out["markdown_extensions"] = enabled
    if "options" in node.items and enabled is not None:
        if (options := markdown.options(r, node.items["options"][1], enabled)) is not None:
            out["markdown_options"] = options
    return out


def _status(r: ConfigReader, node: Node) -> Cutoffs | None:
    if not isinstance(node, Mapping):
        r.fail(node, "'status' must be a mapping with green, amber and rollup")
        return None
    cut = {}
    for key, (knode, value) in node.items.items():
        if key in ("green", "amber"):
            if is_number(value) and 0 <= value.value <= 2:
                cut[key] = float(value.value)
            else:
                r.fail(value, f"'status.{key}' must be a share of planned progress, like 0.95")
        elif key == "rollup":
            if (v := r.choice(value, "status.rollup", ("worst", "average"))) is not None:
                cut["rollup"] = v
        else:
            r.fail(knode, f"unknown key 'status.{key}'{did_you_mean(key, ('green', 'amber', 'rollup'))}")
    result = Cutoffs(**cut)
    if result.amber > result.green:
        r.fail(node, "'status.amber' must not be above 'status.green'")
    return result


def _delivery(r: ConfigReader, node: Node) -> DeliveryCutoffs | None:
    """``delivery: {schedule: {green, amber}, budget: {green, amber}}``: initiative health cut-offs."""
    if not isinstance(node, Mapping):
        r.fail(node, "'delivery' must be a mapping with schedule and budget, each {green, amber}")
        return None
    cut: dict = {}
    for part, (knode, value) in node.items.items():
        if part not in ("schedule", "budget"):
            r.fail(knode, f"unknown key 'delivery.{part}'{did_you_mean(part, ('schedule', 'budget'))}")
            continue
        for key, field_value in (r.mapping(value, f"delivery.{part}", ("green", "amber")) or {}).items():
            if is_number(field_value) and 0 <= field_value.value <= 3:
                cut[f"{part}_{key}"] = float(field_value.value)
            else:
                what = "a share of planned progress, like 0.9" if part == "schedule" else "spend over planned burn, like 1.05"
                r.fail(field_value, f"'delivery.{part}.{key}' must be {what}")
    result = DeliveryCutoffs(**cut)
    if result.schedule_amber > result.schedule_green:
        r.fail(node, "'delivery.schedule.amber' must not be above 'delivery.schedule.green'")
    if result.budget_amber < result.budget_green:
        r.fail(node, "'delivery.budget.amber' must not be below 'delivery.budget.green' (it allows more overspend)")
    return result


def _risks(r: ConfigReader, node: Node) -> RiskSettings | None:
    """``risks: {high: 15}``: the score (likelihood × impact) from which a risk counts as high."""
    if not isinstance(node, Mapping):
        r.fail(node, "'risks' must be a mapping like {high: 15}")
        return None
    settings = RiskSettings()
    for key, (knode, value) in node.items.items():
        if key != "high":
            r.fail(knode, f"unknown key 'risks.{key}'{did_you_mean(key, ('high',))}; use high")
        elif is_number(value) and float(value.value).is_integer() and 1 <= value.value <= 25:
            settings = RiskSettings(high=int(value.value))
        else:
            r.fail(value, "'risks.high' must be a whole number from 1 to 25 (likelihood × impact), like 15")
    return settings


def _checks(r: ConfigReader, node: Node) -> MappingProxyType | None:
    if not isinstance(node, Mapping):
        r.fail(node, "'checks' maps warning codes to true or false, like {horizon: false}")
        return None
    checks = {}
    for code, (knode, value) in node.items.items():
        if code not in WARNING_CODES:
            r.fail(knode, f"unknown check '{code}'{did_you_mean(code, WARNING_CODES)}")
        elif (on := r.flag(value, f"'checks.{code}' must be true or false")) is not None:
            checks[code] = on
    return MappingProxyType(checks)


def _folders(r: ConfigReader, node: Node) -> MappingProxyType | None:
    if not isinstance(node, Mapping):
        r.fail(node, "'folders' maps extra content folders to kinds, like {okrs: objectives}")
        return None
    folders = {}
    for name, (knode, value) in node.items.items():
        kind = r.text(value, f"folders.{name}")
        if kind is None:
            continue
        kind = FOLDER_KINDS.get(kind) or (kind.rstrip("s") if kind.rstrip("s") in KINDS else kind)
        if kind not in KINDS or kind in ("plan", "operational-objective", "task"):
            r.fail(value, f"'folders.{name}' must name a kind: objective, initiative, strategy, operation, "
                          "kpi, review or page")
        else:
            folders[name] = kind
    return MappingProxyType(folders)


def _repo_url(r: ConfigReader, node: Node) -> str | None:
    """``repo_url``: an http(s) URL with a host (it becomes a link on every page)."""
    if (v := r.text(node, "repo_url")) is None:
        return None
    parts = urlsplit(v.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in v.strip()):
        r.fail(node, f"'repo_url' must be an http(s) URL like https://github.com/org/plan, not '{v}'")
        return None
    url = v.strip().rstrip("/")
    return url[:-4] if url.endswith(".git") else url


def _edit_uri(r: ConfigReader, node: Node) -> str | None:
    """``edit_uri``: a path relative to `repo_url` (`edit/main/`), an absolute http(s) URL, or ''."""
    if isinstance(node, Scalar) and node.value is None:
        return ""  # `edit_uri:` or `edit_uri: ''` turns edit links off
    if (v := r.text(node, "edit_uri")) is None:
        return None
    v = v.strip()
    parts = urlsplit(v)
    if any(c.isspace() for c in v) or v.startswith("//") or (parts.scheme and parts.scheme not in ("http", "https")) \
            or (parts.scheme and not parts.netloc):
        r.fail(node, f"'edit_uri' must be a path like edit/main/ or an http(s) URL, not '{v}'")
        return None
    return v if not v or v.endswith(("/", "=")) else v + "/"


def _edit_links(r: ConfigReader, node: Mapping, values: dict) -> None:
    """The default `edit_uri` for the forge of `repo_url`; a relative one needs `repo_url`."""
    repo = values.get("repo_url", "")
    if "edit_uri" not in values:
        host = urlsplit(repo).hostname or ""
        values["edit_uri"] = next((uri for name, uri in EDIT_URIS if name in host), "")
    elif values["edit_uri"] and "://" not in values["edit_uri"] and not repo and "repo_url" not in node.items:
        r.fail(node.items["edit_uri"][1], "'edit_uri' is relative to 'repo_url'; set repo_url or give a full URL")


#: The readers of the keys that are more than text or a choice; each returns the value or None.
_READERS = {"as_of": _as_of, "base_url": _base_url, "status": _status, "delivery": _delivery, "checks": _checks,
            "folders": _folders, "repo_url": _repo_url, "edit_uri": _edit_uri, "perspectives": read_perspectives,
            "risks": _risks, "statuses": vocabulary.statuses, "terms": vocabulary.terms, "csv": vocabulary.csv_format}
