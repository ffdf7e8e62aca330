"""What `stratdocs.yml` configures: the `Config` value, its matrices and PDF documents, and
the names and defaults the parser checks against (SPEC §9)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Mapping
from urllib.parse import urljoin

from stratdocs.config.perspectives import DEFAULT_PERSPECTIVES
from stratdocs.delivery import DeliveryCutoffs
from stratdocs.csvdata import CsvFormat
from stratdocs.health import Cutoffs
from stratdocs.marks import N_

CONFIG_FILE = "stratdocs.yml"
SECTIONS = ("cover", "contents", "summary", "plan", "scorecard", "objectives", "initiatives", "strategies",
            "operations", "kpis", "reviews", "pages", "alignment", "changes", "roadmap", "risks", "actions")
DOCUMENT_KEYS = ("id", "title", "subtitle", "sections", "filter", "confidential", "draft", "changes_since")
FILTER_KEYS = ("kind", "id", "function", "owner", "tag")
PDF_VARIANTS = ("pdf/a-3b", "pdf/ua-1")
DEFAULT_EXTENSIONS = ("tables", "toc", "attr_list", "footnotes", "def_list", "admonition", "sane_lists", "fenced_code")


@dataclass(frozen=True, slots=True)
class RiskSettings:
    """``risks:``: a risk is high when likelihood × impact is at least `high` (1–25)."""

    high: int = 15


@dataclass(frozen=True, slots=True)
class MatrixSpec:
    """A traceability matrix: which items of the `rows` kind reach which of the `columns` kind."""

    id: str
    title: str
    rows: str        # a kind, or kpi:strategic / kpi:operational
    columns: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class DocumentSpec:
    """A PDF document: its sections in order and the filter that picks its items."""

    id: str
    title: str
    subtitle: str = ""
    sections: tuple[str, ...] = ()
    filter: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    confidential: str = ""
    draft: bool = False
    changes_since: str = ""   # git revision the `changes` section compares against


DEFAULT_MATRICES = (
    MatrixSpec("objectives-operations", N_("Strategic objectives × operational plans"), "objective", "operation",
               N_("Which operational plans execute each strategic objective, directly or through an initiative "
                  "or strategy. A row with no cell is an objective nothing executes; a column with no cell is "
                  "work that serves no objective.")),
    MatrixSpec("objectives-kpis", N_("Strategic objectives × KPIs"), "objective", "kpi",
               N_("Which KPIs measure each strategic objective or one of its sub-objectives. A row with no cell "
                  "is an objective nothing measures.")),
    MatrixSpec("kpi-linkage", N_("KPI linkage: strategic × operational KPIs"), "kpi:strategic", "kpi:operational",
               N_("Which operational KPIs drive each strategic KPI. A column with no cell is an operational KPI "
                  "that drives nothing strategic.")),
)

DEFAULT_DOCUMENT = DocumentSpec(
    "board-pack", N_("Board pack"), N_("Strategic plan and performance"),
    ("cover", "contents", "summary", "plan", "scorecard", "objectives", "initiatives", "strategies", "operations",
     "kpis", "matrix:objectives-operations", "matrix:objectives-kpis", "matrix:kpi-linkage",
     "reviews", "alignment"),
)


@dataclass(frozen=True)
class Config:
    """The whole `stratdocs.yml`, with defaults for every key it does not set; `root` is the project folder."""

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
    #: initiative health cut-offs (`delivery: {schedule: {green, amber}, budget: {green, amber}}`)
    delivery: DeliveryCutoffs = DeliveryCutoffs()
    risks: RiskSettings = RiskSettings()
    checks: Mapping[str, bool] = field(default_factory=dict)
    matrices: tuple[MatrixSpec, ...] = DEFAULT_MATRICES
    documents: tuple[DocumentSpec, ...] = (DEFAULT_DOCUMENT,)
    paper: str = "a4"
    pdf_variant: str = ""
    folders: Mapping[str, str] = field(default_factory=dict)
    logo: str = ""
    language: str = "en"
    #: the organisation the plan belongs to: the PDFs' author, on covers
    organisation: str = ""
    #: the repository's web page (`https://github.com/org/plan`), '' for none
    repo_url: str = ""
    #: the forge's editor, relative to `repo_url` or absolute ('': no edit links); default by host
    edit_uri: str = ""
    #: objectives' perspectives, key -> name, top band first (`config.perspectives`)
    perspectives: Mapping[str, str] = field(default_factory=lambda: DEFAULT_PERSPECTIVES)
    #: the plan's own status words, folded -> a word stratdocs knows (`statuses:`)
    statuses: Mapping[str, str] = field(default_factory=dict)
    #: the plan's own names for kinds: kind -> (singular, plural) (`terms:`)
    terms: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    #: how the data files are written (`csv: {separator, decimal}`)
    csv: CsvFormat = CsvFormat()
    #: (line, col) of keys in stratdocs.yml, for problems found after loading (see `position`)
    positions: Mapping[str, tuple[int, int]] = field(default_factory=dict, compare=False, repr=False)

    def position(self, key: str) -> tuple[int, int]:
        """Where `key` (`theme`, `documents[0].changes_since`) is written in stratdocs.yml; 1:1 if absent."""
        return self.positions.get(key, (1, 1))

    def check_enabled(self, code: str) -> bool:
        """Whether the warning `code` is on (every check is, unless `checks:` turns it off)."""
        return self.checks.get(code, True)

    @property
    def edit_base(self) -> str:
        """The URL the repository-relative path of a file is appended to for its "Edit this page"
        link ('' for none), resolved as MkDocs does: `edit_uri` joined to `repo_url`."""
        if not self.edit_uri:
            return ""
        if "://" in self.edit_uri:
            return self.edit_uri
        return urljoin(self.repo_url.rstrip("/") + "/", self.edit_uri) if self.repo_url else ""

    @property
    def content_path(self) -> Path:
        return self.root / self.content_dir

    @property
    def output_path(self) -> Path:
        return self.root / self.output_dir


TEXT_KEYS = ("title", "theme", "logo", "language", "organisation")
FOLDER_KEYS = ("content_dir", "output_dir")
CHOICE_KEYS = {"raw_html": ("sanitize", "escape"), "paper": ("a4", "letter"), "pdf_variant": PDF_VARIANTS}
KEYS = ("title", "content_dir", "output_dir", "theme", "as_of", "base_url", "markdown", "raw_html", "status",
        "checks", "matrices", "documents", "paper", "pdf_variant", "folders", "logo", "language",
        "organisation", "repo_url", "edit_uri", "perspectives", "delivery", "risks", "statuses", "terms", "csv")
#: The default `edit_uri` by forge, chosen by the host name of `repo_url` (MkDocs does so for
#: github.com and gitlab.com); self-hosted forges usually carry their name in the host.
EDIT_URIS = (("github", "edit/main/"), ("gitlab", "-/edit/main/"), ("gitea", "_edit/main/"),
             ("forgejo", "_edit/main/"), ("codeberg", "_edit/main/"))
#: What a matrix may have as its rows or columns.
MATRIX_AXES = ("objective", "initiative", "strategy", "operation", "operational-objective", "task", "kpi",
               "kpi:strategic", "kpi:operational", "review", "risk")
