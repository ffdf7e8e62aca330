"""`stratdocs.yml`: a typed schema that reports every bad key at once (SPEC §9).

A config problem is a usage problem: `check` and `build` exit with status 2 and list every
finding, each with the line of the key, what was expected and what came.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

import click

from stratdocs import yamlnodes
from stratdocs.findings import WARNING_CODES, Finding, error
from stratdocs.health import Cutoffs
from stratdocs.model import KINDS
from stratdocs.periods import parse_date

CONFIG_FILE = "stratdocs.yml"
SECTIONS = ("cover", "contents", "plan", "scorecard", "objectives", "initiatives", "strategies",
            "operations", "kpis", "reviews", "pages", "alignment", "changes")
DOCUMENT_KEYS = ("id", "title", "subtitle", "sections", "filter", "confidential", "draft", "changes_since")
FILTER_KEYS = ("kind", "id", "function", "owner", "tag")
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")
DEFAULT_EXTENSIONS = ("tables", "toc", "attr_list", "footnotes", "def_list", "admonition", "sane_lists", "fenced_code")


_PROBLEM_RE = re.compile(r"^(.+?):(\d+):(\d+): error: (.*)$", re.DOTALL)


class ConfigError(click.ClickException):
    """Bad configuration: every problem found, one a line. Exit status 2."""

    exit_code = 2

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems

    def format_message(self) -> str:
        return "\n".join(self.problems)

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True)

    def findings(self) -> list[Finding]:
        """The problems as findings (code `config`), for `check --format json|github`."""
        out = []
        for problem in self.problems:
            match = _PROBLEM_RE.match(problem)
            if match:
                out.append(error(match[1], int(match[2]), int(match[3]), "config", match[4]))
            else:
                out.append(error(CONFIG_FILE, 1, 1, "config", problem))
        return out


@dataclass(frozen=True, slots=True)
class MatrixSpec:
    id: str
    title: str
    rows: str        # a kind, or kpi:strategic / kpi:operational
    columns: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    id: str
    title: str
    subtitle: str = ""
    sections: tuple[str, ...] = ()
    filter: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    confidential: str = ""
    draft: bool = False
    changes_since: str = ""   # git revision the `changes` section compares against


DEFAULT_MATRICES = (
    MatrixSpec("objectives-operations", "Strategic objectives × operational plans", "objective", "operation",
               "Which operational plans execute each strategic objective, directly or through an initiative "
               "or strategy. A row with no cell is an objective nothing executes; a column with no cell is "
               "work that serves no objective."),
    MatrixSpec("objectives-kpis", "Strategic objectives × KPIs", "objective", "kpi",
               "Which KPIs measure each strategic objective or one of its sub-objectives. A row with no cell "
               "is an objective nothing measures."),
    MatrixSpec("kpi-linkage", "KPI linkage: strategic × operational KPIs", "kpi:strategic", "kpi:operational",
               "Which operational KPIs drive each strategic KPI. A column with no cell is an operational KPI "
               "that drives nothing strategic."),
)

DEFAULT_DOCUMENT = DocumentSpec(
    "board-pack", "Board pack", "Strategic plan and performance",
    ("cover", "contents", "plan", "scorecard", "objectives", "initiatives", "strategies", "operations",
     "kpis", "matrix:objectives-operations", "matrix:objectives-kpis", "matrix:kpi-linkage",
     "reviews", "alignment"),
)


@dataclass(frozen=True)
class Config:
    root: Path
    title: str = "Strategic plan"
    content_dir: str = "content"
    output_dir: str = "site"
    theme: str = "default"
    as_of: date = field(default_factory=date.today)
    base_url: str = ""
    markdown_extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    markdown_options: Mapping[str, Mapping] = field(default_factory=dict)
    raw_html: str = "sanitize"
    status: Cutoffs = Cutoffs()
    checks: Mapping[str, bool] = field(default_factory=dict)
    matrices: tuple[MatrixSpec, ...] = DEFAULT_MATRICES
    documents: tuple[DocumentSpec, ...] = (DEFAULT_DOCUMENT,)
    paper: str = "a4"
    pdf_variant: str = ""
    folders: Mapping[str, str] = field(default_factory=dict)
    logo: str = ""
    language: str = "en"

    def check_enabled(self, code: str) -> bool:
        return self.checks.get(code, True)

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir


TEXT_KEYS = ("title", "theme", "logo", "language")
FOLDER_KEYS = ("content_dir", "output_dir")
CHOICE_KEYS = {"raw_html": ("sanitize", "escape"), "paper": ("a4", "letter"), "pdf_variant": PDF_VARIANTS}
KEYS = ("title", "content_dir", "output_dir", "theme", "as_of", "base_url", "markdown", "raw_html", "status",
        "checks", "matrices", "documents", "paper", "pdf_variant", "folders", "logo", "language")


def default_as_of() -> date:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
        except (ValueError, OverflowError, OSError):
            raise ConfigError([f"SOURCE_DATE_EPOCH='{epoch}' is not a Unix timestamp; unset it or fix it"]) from None
    return date.today()


def load(root: Path) -> Config:
    """Read `stratdocs.yml` under root (defaults when it is absent)."""
    root = root.resolve()
    path = root / CONFIG_FILE
    if not path.exists():
        return Config(root=root, as_of=default_as_of())
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{CONFIG_FILE}:1:1: error: cannot read config: {exc}"]) from None
    try:
        node = yamlnodes.parse(text)
    except yamlnodes.YamlError as exc:
        raise ConfigError([f"{CONFIG_FILE}:{exc.line}:{exc.col}: error: {exc.message}"]) from None
    return _Parser(root).parse(node)


class _Parser:
    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []
        self.default_sections: set[str] = set()  # ids of documents that did not list their sections

    def fail(self, node, message: str) -> None:
        self.problems.append(f"{CONFIG_FILE}:{node.line}:{node.col}: error: {message}")

    def text(self, node, key: str) -> str | None:
        if isinstance(node, yamlnodes.Scalar) and node.value is not None:
            return node.text
        self.fail(node, f"'{key}' must be text")
        return None

    def choice(self, node, key: str, options) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        if value.lower() in options:
            return value.lower()
        self.fail(node, f"'{key}' is '{value}'; use one of: {', '.join(options)}{_hint(value, options)}")
        return None

    def folder(self, node, key: str) -> str | None:
        value = self.text(node, key)
        if value is None:
            return None
        rel = Path(value)
        if rel.is_absolute() or ".." in rel.parts or not value.strip() or value.strip() in (".", "./"):
            self.fail(node, f"'{key}' must be a folder inside the project, like '{key.split('_')[0]}'")
            return None
        return rel.as_posix()

    def parse(self, node) -> Config:
        values: dict = {"root": self.root}
        if node is None:
            node = yamlnodes.Mapping(1, 1, {})
        if not isinstance(node, yamlnodes.Mapping):
            raise ConfigError([f"{CONFIG_FILE}:1:1: error: the config must be 'key: value' lines"])
        for key, (knode, value) in node.items.items():
            if key not in KEYS:
                self.fail(knode, f"unknown config key '{key}'{_hint(key, KEYS)}")
                continue
            if key in TEXT_KEYS:
                parsed = self.text(value, key)
            elif key in FOLDER_KEYS:
                parsed = self.folder(value, key)
            elif key in CHOICE_KEYS:
                parsed = self.choice(value, key, CHOICE_KEYS[key])
            else:
                getattr(self, f"_{key}")(value, values)
                continue
            if parsed is not None:
                values[key] = parsed
        if "as_of" not in values:
            try:
                values["as_of"] = default_as_of()
            except ConfigError as exc:
                self.problems += exc.problems
        if "content_dir" in values or "output_dir" in values:
            out, content = Path(values.get("output_dir", "site")), Path(values.get("content_dir", "content"))
            if out == content or out in content.parents:
                key = "output_dir" if "output_dir" in node.items else "content_dir"
                self.fail(node.items[key][1], "output_dir would contain the content; choose another folder")
        # Default sections name only the matrices this project configures.
        names = {m.id for m in values.get("matrices", DEFAULT_MATRICES)}

        def fit(doc: DocumentSpec) -> DocumentSpec:
            return replace(doc, sections=tuple(s for s in doc.sections
                                               if not s.startswith("matrix:") or s[7:] in names))
        if "documents" not in values:
            values["documents"] = (fit(DEFAULT_DOCUMENT),)
        else:
            values["documents"] = tuple(fit(d) if d.id in self.default_sections else d for d in values["documents"])
        if self.problems:
            raise ConfigError(self.problems)
        return Config(**values)

    def _as_of(self, node, values):
        if (v := self.text(node, "as_of")) is not None:
            try:
                values["as_of"] = parse_date(v)
            except ValueError as exc:
                self.fail(node, f"'as_of': {exc}")

    def _base_url(self, node, values):
        if (v := self.text(node, "base_url")) is not None:
            values["base_url"] = v if v.endswith("/") else v + "/"

    def _markdown(self, node, values):
        if not isinstance(node, yamlnodes.Mapping):
            self.fail(node, "'markdown' must be a mapping with 'extensions' (a list) and optional 'options'")
            return
        for key, (knode, value) in node.items.items():
            if key == "extensions":
                if not isinstance(value, yamlnodes.Sequence):
                    self.fail(value, "'markdown.extensions' must be a list of extension names")
                    continue
                names = [n.text for n in value.items if isinstance(n, yamlnodes.Scalar)]
                values["markdown_extensions"] = tuple(dict.fromkeys(DEFAULT_EXTENSIONS + tuple(names)))
            elif key == "options":
                plain = yamlnodes.to_python(value)
                if not isinstance(plain, dict) or not all(isinstance(v, dict) for v in plain.values()):
                    self.fail(value, "'markdown.options' maps extension names to their options")
                    continue
                values["markdown_options"] = MappingProxyType(plain)
            else:
                self.fail(knode, f"unknown key 'markdown.{key}'{_hint(key, ('extensions', 'options'))}")

    def _status(self, node, values):
        if not isinstance(node, yamlnodes.Mapping):
            self.fail(node, "'status' must be a mapping with green, amber and rollup")
            return
        cut = {}
        for key, (knode, value) in node.items.items():
            if key in ("green", "amber"):
                if isinstance(value, yamlnodes.Scalar) and isinstance(value.value, (int, float)) \
                        and not isinstance(value.value, bool) and 0 <= value.value <= 2:
                    cut[key] = float(value.value)
                else:
                    self.fail(value, f"'status.{key}' must be a share of planned progress, like 0.95")
            elif key == "rollup":
                if (v := self.choice(value, "status.rollup", ("worst", "average"))) is not None:
                    cut["rollup"] = v
            else:
                self.fail(knode, f"unknown key 'status.{key}'{_hint(key, ('green', 'amber', 'rollup'))}")
        result = Cutoffs(**cut)
        if result.amber > result.green:
            self.fail(node, "'status.amber' must not be above 'status.green'")
        values["status"] = result

    def _checks(self, node, values):
        if not isinstance(node, yamlnodes.Mapping):
            self.fail(node, "'checks' maps warning codes to true or false, like {horizon: false}")
            return
        checks = {}
        for code, (knode, value) in node.items.items():
            if code not in WARNING_CODES:
                self.fail(knode, f"unknown check '{code}'{_hint(code, WARNING_CODES)}")
            elif not isinstance(value, yamlnodes.Scalar) or not isinstance(value.value, bool):
                self.fail(value, f"'checks.{code}' must be true or false")
            else:
                checks[code] = value.value
        values["checks"] = MappingProxyType(checks)

    def _folders(self, node, values):
        if not isinstance(node, yamlnodes.Mapping):
            self.fail(node, "'folders' maps extra content folders to kinds, like {okrs: objectives}")
            return
        folders = {}
        for name, (knode, value) in node.items.items():
            kind = self.text(value, f"folders.{name}")
            if kind is None:
                continue
            kind = kind.rstrip("s") if kind.rstrip("s") in KINDS else {"strategies": "strategy"}.get(kind, kind)
            if kind not in KINDS or kind in ("plan", "operational-objective", "task"):
                self.fail(value, f"'folders.{name}' must name a kind: objective, initiative, strategy, operation, "
                                 "kpi, review or page")
            else:
                folders[name] = kind
        values["folders"] = MappingProxyType(folders)

    def _matrices(self, node, values):
        if not isinstance(node, yamlnodes.Sequence):
            self.fail(node, "'matrices' must be a list of matrix names or {id, title, rows, columns}")
            return
        defaults = {m.id: m for m in DEFAULT_MATRICES}
        specs = []
        axes = ("objective", "initiative", "strategy", "operation", "operational-objective", "task", "kpi",
                "kpi:strategic", "kpi:operational", "review")
        for item in node.items:
            if isinstance(item, yamlnodes.Scalar):
                if item.text in defaults:
                    specs.append(defaults[item.text])
                else:
                    self.fail(item, f"unknown matrix '{item.text}'{_hint(item.text, defaults)}; "
                                    "or define it as {id, title, rows, columns}")
                continue
            if not isinstance(item, yamlnodes.Mapping):
                self.fail(item, "a matrix is a name or {id, title, rows, columns}")
                continue
            fields = {}
            for key, (knode, value) in item.items.items():
                if key not in ("id", "title", "rows", "columns", "description"):
                    self.fail(knode, f"unknown matrix key '{key}'{_hint(key, ('id', 'title', 'rows', 'columns'))}")
                elif key in ("rows", "columns"):
                    fields[key] = self.choice(value, f"matrices.{key}", axes)
                else:
                    fields[key] = self.text(value, f"matrices.{key}")
            if not all(fields.get(k) for k in ("id", "rows", "columns")):
                self.fail(item, "a matrix needs id, rows and columns")
                continue
            fields.setdefault("title", fields["id"])
            specs.append(MatrixSpec(**{k: v or "" for k, v in fields.items()}))
        ids = [s.id for s in specs]
        for dup in {i for i in ids if ids.count(i) > 1}:
            self.fail(node, f"matrix '{dup}' is listed twice")
        values["matrices"] = tuple(specs)

    def _documents(self, node, values):
        if not isinstance(node, yamlnodes.Sequence):
            self.fail(node, "'documents' must be a list of {id, title, sections, …}")
            return
        docs = []
        for item in node.items:
            if not isinstance(item, yamlnodes.Mapping):
                self.fail(item, "a document is {id, title, subtitle, sections, filter, confidential, draft}")
                continue
            fields: dict = {}
            for key, (knode, value) in item.items.items():
                if key in ("id", "title", "subtitle", "confidential", "changes_since"):
                    fields[key] = self.text(value, f"documents.{key}")
                elif key == "draft":
                    if isinstance(value, yamlnodes.Scalar) and isinstance(value.value, bool):
                        fields["draft"] = value.value
                    else:
                        self.fail(value, "'documents.draft' must be true or false")
                elif key == "sections":
                    fields["sections"] = self._sections(value)
                elif key == "filter":
                    fields["filter"] = self._filter(value)
                else:
                    self.fail(knode, f"unknown document key '{key}'"
                                     f"{_hint(key, DOCUMENT_KEYS)}")
            if not fields.get("id"):
                self.fail(item, "a document needs an id (its file name: site/pdf/ID.pdf)")
                continue
            if not fields["id"].replace("-", "").replace("_", "").isalnum():
                self.fail(item, f"document id '{fields['id']}' must be letters, digits, '-' and '_'")
                continue
            fields.setdefault("title", fields["id"])
            if "changes" in fields.get("sections", ()) and not fields.get("changes_since"):
                self.fail(item, f"document '{fields['id']}' lists the 'changes' section; say since when with "
                                "'changes_since: REV' (a git tag, branch or commit)")
            if "sections" not in fields:
                fields["sections"] = DEFAULT_DOCUMENT.sections
                self.default_sections.add(fields["id"])
            docs.append(DocumentSpec(**{k: v if v is not None else "" for k, v in fields.items()}))
        values["documents"] = tuple(docs)

    def _sections(self, node) -> tuple[str, ...]:
        if not isinstance(node, yamlnodes.Sequence):
            self.fail(node, "'sections' must be a list, like [cover, contents, scorecard]")
            return ()
        out = []
        for item in node.items:
            name = self.text(item, "sections")
            if name is None:
                continue
            if name in SECTIONS or name.startswith("matrix:"):
                out.append(name)
            else:
                self.fail(item, f"unknown section '{name}'{_hint(name, SECTIONS)}; "
                                f"use {', '.join(SECTIONS)} or matrix:NAME")
        return tuple(out)

    def _filter(self, node) -> Mapping[str, tuple[str, ...]]:
        if not isinstance(node, yamlnodes.Mapping):
            self.fail(node, f"'filter' must be a mapping of {', '.join(FILTER_KEYS)}")
            return MappingProxyType({})
        out = {}
        for key, (knode, value) in node.items.items():
            if key not in FILTER_KEYS:
                self.fail(knode, f"unknown filter '{key}'{_hint(key, FILTER_KEYS)}")
                continue
            items = value.items if isinstance(value, yamlnodes.Sequence) else (value,)
            out[key] = tuple(v.text for v in items if isinstance(v, yamlnodes.Scalar) and v.value is not None)
        return MappingProxyType(out)


def _hint(word: str, options) -> str:
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def validate_references(config: Config) -> None:
    """Checks that need the whole config: document sections naming configured matrices."""
    names = {m.id for m in config.matrices}
    problems = []
    for doc in config.documents:
        for section in doc.sections:
            if section.startswith("matrix:") and section[7:] not in names:
                problems.append(f"{CONFIG_FILE}:1:1: error: document '{doc.id}' lists '{section}', "
                                f"but no matrix '{section[7:]}' is configured{_hint(section[7:], names)}")
    if problems:
        raise ConfigError(problems)
