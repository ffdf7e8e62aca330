"""No English interface text left (issue #16): the example plan, built with `language: de` and
`language: fr`, shows no English source message on any site page or PDF page, and formats
numbers and dates per locale.

The plan's own content stays English (the example is written in English), so its words are
masked before looking: the Markdown bodies (`.prose` on the site, their sentences in the PDFs),
every string of the front matter and `stratdocs.yml`, and every CSV cell. What is left on a
page is interface text, and none of it may be an English message of `source_messages()`.

One build per language (the site and every PDF document) is shared by the module's tests.
"""

from __future__ import annotations

import csv
import functools
import html
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from pypdf import PdfReader

from stratdocs import project as project_mod
from stratdocs.messages import source_messages
from stratdocs.render import pdf

from conftest import EXAMPLE_ROOT

pytestmark = pytest.mark.slow

LANGUAGES = ("de", "fr")

#: Messages whose translation is the English word itself (the glossary keeps them), per
#: language. Keep this small: every entry is a word the test cannot see left untranslated, and
#: each is the catalog's own translation of it (German "Matrix", "Definition", "Organisation";
#: French "Menu", "Sections", "Source", "Note", "Score", "Impact", "Index", "Perspective", "Total",
#: "direct"/"indirect" links, "%(num)d page(s)", "%(number)s point(s)", "commit %(commit)s",
#: "initiative(s)" in running text, "score %(score)s", "probabilité 4 × impact 4").
SAME_IN = {
    "de": {"Plan", "Initiative", "KPI", "KPIs", "Roadmap", "Budget", "Vision", "Mission", "Status", "Trend",
           "Definition", "Organisation", "Matrix"},
    "fr": {"Plan", "Initiative", "Initiatives", "KPI", "KPIs", "Budget", "Vision", "Mission", "Action",
           "Actions", "Page", "Pages", "Date", "Description", "Menu", "Sections", "sections", "Documents",
           "Source", "Note", "Score", "Impact", "Impact →", "Index", "Perspective", "Total", "direct", "indirect",
           "page", "pages", "point", "points", "budget", "commit", "Organisation", "initiative", "initiatives",
           "score", "× impact"},
}

#: Interface words every site page or the board pack shows (navigation, table headings). They
#: are looked for even if no template marks them for translation, so a forgotten `_()` cannot
#: hide a leftover.
ALWAYS_LOOKED_FOR = ("Skip to content", "Strategic objectives", "Functional strategies", "Operational plans",
                     "Traceability matrices", "Alignment report", "KPI scorecard", "Open actions",
                     "Search the plan", "Executive summary", "Health", "Owner", "Target", "Latest",
                     "Since last period", "behind plan", "Contents")

#: A KPI of the example, its latest value in German and French, and a date on its page.
KPI_PAGE = "kpis/K-ARR.html"
LOCALE_VALUE = "59,4"
DATES = {"de": "30. September 2026", "fr": "30 septembre 2026"}

#: Attributes a reader sees or hears (tooltips, alternative text, screen readers, inputs).
SHOWN_ATTRIBUTES = {"title", "alt", "aria-label", "aria-description", "aria-roledescription", "placeholder"}
#: data-* attributes that hold paths or ids, not words.
MACHINE_DATA = {"data-root", "data-id", "data-href", "data-url", "data-sort", "data-value", "data-index"}
_PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|<[^>]+>|\{[^}]*\}")
_WORD = re.compile(r"[^\W\d_]+")
#: Where a sentence of the plan ends, and a [[link]] inside a Markdown body.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WIKILINK = re.compile(r"\[\[[^\]]*\]\]")
#: A value a page's script puts into a data-* message ("{count} results").
_SCRIPT_SLOT = re.compile(r"\{\w+\}")
_LOWER = "a-zäöüßàâçéèêëîïôûùüÿœæ"


# --------------------------------------------------------------------------- the builds


@pytest.fixture(scope="module", params=LANGUAGES)
def built(request, tmp_path_factory) -> "Build":
    language = request.param
    project = tmp_path_factory.mktemp(f"plan-{language}")
    shutil.copytree(EXAMPLE_ROOT / "content", project / "content")
    config = (EXAMPLE_ROOT / "stratdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"(?m)^language:.*\n", "", config)
    (project / "stratdocs.yml").write_text(f"language: {language}\n{config}", encoding="utf-8")
    # The site through the real CLI; the PDFs through the same renderer `build` uses, without its
    # 120 s time limit, which a busy machine (CI with parallel jobs) can exceed for the board pack.
    proc = subprocess.run([sys.executable, "-m", "stratdocs", "-C", str(project), "build", "--quiet", "--no-pdf",
                           "--out", str(project / "site")], capture_output=True, text=True, encoding="utf-8",
                          timeout=900)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    loaded = project_mod.load(project)
    documents = pdf.chosen_documents(loaded, None)
    rendered = pdf.render_documents(loaded, pdf.document_views(loaded, "0123456789ab"), documents,
                                    commit="0123456789ab", timeout=None)
    (project / "site" / "pdf").mkdir()
    for name, (data, _) in rendered.items():
        (project / "site" / "pdf" / f"{name}.pdf").write_bytes(data)
    return Build(language, project)


class Build:
    """One language's build: its pages' visible text with the plan's own words masked."""

    def __init__(self, language: str, project: Path):
        self.language = language
        self.site = project / "site"
        self.phrases = content_phrases(project)
        self.sentences = prose_sentences(project)
        self.pages = {p.relative_to(self.site).as_posix(): mask(visible_text(p), self.phrases)
                      for p in sorted(self.site.rglob("*.html"))}
        self.pdf_pages = {}
        # a compound's own hyphen at a line's end is joined like a hyphenation ("multicountry"),
        # any one of a phrase's hyphens ("ideal-customer-|profile") or all of them, and
        # WeasyPrint may print it as U+2010
        written = self.sentences + self.phrases
        pdf_phrases = written + [variant for p in written if "-" in p for variant in hyphen_variants(p)]
        for pdf in sorted((self.site / "pdf").glob("*.pdf")):
            for number, page in enumerate(PdfReader(pdf).pages, 1):
                text = pdf_text(page.extract_text())
                self.pdf_pages[f"pdf/{pdf.name} p. {number}"] = mask(text, pdf_phrases)


# --------------------------------------------------------------------------- the plan's own words


def content_phrases(project: Path) -> list[str]:
    """Every string the plan's files hold outside Markdown bodies, longest first."""
    found: set[str] = set()
    files = [project / "stratdocs.yml", *sorted((project / "content").rglob("*"))]
    for path in files:
        if path.suffix in {".yml", ".yaml"}:
            strings(yaml.safe_load(path.read_text(encoding="utf-8")), found)
        elif path.suffix == ".md":
            front, _ = split_front_matter(path.read_text(encoding="utf-8"))
            strings(yaml.safe_load(front) if front else None, found)
        elif path.suffix == ".csv":
            with path.open(encoding="utf-8", newline="") as handle:
                for row in csv.reader(handle):
                    found.update(cell.strip() for cell in row)
    # a page may show a string's first sentence only (a commentary's analysis in a KPI's headline)
    found |= {sentence for s in list(found) for sentence in _SENTENCE_END.split(normal(s))}
    return sorted({normal(s) for s in found if shown_phrase(s)}, key=len, reverse=True)


def shown_phrase(text: str) -> bool:
    """Whether a string of the plan reads as text a page shows: a name, several words or a figure
    with its unit ("0.5 FTE"). Single lower-case words are config values ('scorecard', 'monthly',
    'up'), not shown as they are."""
    words = _WORD.findall(text)
    return len(words) > 1 or (len(words) == 1 and (text.strip()[:1].isupper() or bool(re.search(r"\d", text))))


def prose_sentences(project: Path) -> list[str]:
    """The Markdown bodies as plain-text sentences and cells, longest first (masked in PDFs)."""
    found: set[str] = set()
    for path in sorted((project / "content").rglob("*.md")):
        _, body = split_front_matter(path.read_text(encoding="utf-8"))
        rendered = markdown.markdown(body, extensions=["tables", "admonition"])
        text = html.unescape(re.sub(r"<[^>]+>", "\n", rendered))
        for block in text.split("\n"):
            # a [[link]] shows its item's title (and in a PDF its page): the words around it are masked apart
            pieces = _WIKILINK.split(normal(block))
            linked = len(pieces) > 1  # a lone "and" between two links is no phrase of the plan
            for piece in pieces:
                found.update(s.strip(" ,;:()") for s in re.split(r"(?<=[.!?:;])\s+", piece)
                             if re.search(r"\w", s) and not (linked and len(_WORD.findall(s)) < 2))
    return sorted(found, key=len, reverse=True)


def split_front_matter(text: str) -> tuple[str, str]:
    match = re.match(r"---\n(.*?)\n---\n?(.*)", text, re.S)
    return (match.group(1), match.group(2)) if match else ("", text)


def strings(value, out: set[str]) -> None:
    if isinstance(value, str):
        out.add(value)
    elif isinstance(value, dict):
        for item in value.values():
            strings(item, out)
    elif isinstance(value, list):
        for item in value:
            strings(item, out)


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xad", "")).strip()


def mask(text: str, phrases: list[str]) -> str:
    """`text` with every phrase of the plan's own cut out where it stands as whole words, and
    the shortened ones too ("ARR of EUR 59.4m is within 1% of plan…": a first sentence cut short)."""
    return masker(tuple(phrases)).sub(" ¦ ", cut_short(text, phrases))


def cut_short(text: str, phrases: list[str]) -> str:
    """`text` with each start of a phrase that runs up to a "…" cut out."""
    for end in reversed([i for i, c in enumerate(text) if c == "…"]):
        before = text[:end].rstrip()
        starts = [start for phrase in phrases if len(phrase) > 24
                  and (start := before.rfind(phrase[:24])) >= 0 and phrase.startswith(before[start:])]
        if starts:  # the earliest start: a phrase's tail that starts like another phrase is cut whole
            text = text[:min(starts)] + " ¦ " + text[end + 1:]
    return text


@functools.lru_cache(maxsize=8)
def masker(phrases: tuple[str, ...]) -> re.Pattern:
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, ordered)) + r")(?![^\W_])")


# --------------------------------------------------------------------------- what a reader sees


class _Visible(HTMLParser):
    """Text nodes and shown attributes, without scripts, styles and the plan's Markdown bodies.

    On a page in another language, a passage marked `lang="en"` is English by decision (the
    editor details quote `check`'s English messages, codes and file paths), so it is left out too.
    """

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is its content hidden from this test?
        self.english: list[bool] = []  # per open element: is it (or what holds it) marked English?
        self.page_language = "en"
        self.svg_text: list[str] | None = None  # the lines of an SVG <text> (a title wrapped in <tspan>s)
        self.svg_x = None        # the x of that <text>; the x of the last part, if it was a <text>
        self.last_text_x = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "html":
            self.page_language = (values.get("lang") or "en").split("-")[0]
        english = (bool(self.english) and self.english[-1]) or (
            self.page_language != "en" and (values.get("lang") or "").split("-")[0] == "en")
        for name, value in attrs:
            if english:
                break
            if value and (name in SHOWN_ATTRIBUTES or (name.startswith("data-") and name not in MACHINE_DATA)):
                # "{results}" in a data-* message is the name of a value the page's script fills in
                self.parts.append(_SCRIPT_SLOT.sub(" ", value) if name.startswith("data-") else value)
                self.last_text_x = None
        if tag == "meta" and values.get("name") == "description" and values.get("content"):
            self.parts.append(values["content"])
        if tag in self.VOID:
            return
        hidden = tag in {"script", "style"} or "prose" in (values.get("class") or "").split()
        self.stack.append(hidden or english or (bool(self.stack) and self.stack[-1]))
        self.english.append(english)
        if tag == "text":
            self.svg_text, self.svg_x = [], values.get("x")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag("br", attrs)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()
            self.english.pop()
        if tag == "text" and self.svg_text is not None:
            line = " ".join(self.svg_text)
            if line.strip() and self.parts and self.svg_x is not None and self.svg_x == self.last_text_x:
                self.parts[-1] += " " + line  # the next line of a label wrapped over several <text>s
            elif line.strip():
                self.parts.append(line)
            self.svg_text, self.last_text_x = None, self.svg_x if line.strip() else self.last_text_x

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            if self.svg_text is None and data.strip():
                self.last_text_x = None
            (self.parts if self.svg_text is None else self.svg_text).append(data)


def visible_text(path: Path) -> str:
    parser = _Visible()
    parser.feed(path.read_text(encoding="utf-8"))
    return " ¦ ".join(normal(p) for p in parser.parts if p.strip())


def hyphen_variants(phrase: str) -> list[str]:
    """`phrase` as a PDF's text may carry it once a line ended at one of its hyphens (joined by
    `pdf_text`), or at all of them, and with WeasyPrint's U+2010 for its hyphens."""
    cuts = [i for i, c in enumerate(phrase) if c == "-"]
    joined = [phrase[:i] + phrase[i + 1:] for i in cuts] + [phrase.replace("-", "")]
    return [v for variant in joined + [phrase] for v in (variant, variant.replace("-", "\u2010"))]


def pdf_text(text: str) -> str:
    """pypdf's text with words hyphenated at a line's end joined again."""
    return normal(re.sub(r"(?<=[^\W\d_])-\n(?=[^\W\d_])", "", text))


# --------------------------------------------------------------------------- the English messages


def english_fragments(language: str) -> dict[str, re.Pattern]:
    """The interface's English texts to look for, split at placeholders, each as a pattern that
    matches it as whole words: those of at least 4 letters or two words, minus the words the
    language writes the same."""
    texts: set[str] = set(ALWAYS_LOOKED_FOR)
    for message in source_messages().values():
        texts.update(t for t in (message.msgid, message.plural) if t)
    fragments: dict[str, re.Pattern] = {}
    for text in texts:
        for piece in _PLACEHOLDER.split(text):
            piece = normal(piece).strip(" .,:;·–—()[]/|")
            words = _WORD.findall(piece)
            if not words or (len(words) < 2 and len(piece) < 4) or piece in SAME_IN[language]:
                continue
            start = rf"(?<![{_LOWER}])" if piece[0].isupper() else r"(?<![^\W\d_])"
            end = r"(?![^\W\d_])" if piece[-1].isalpha() else ""
            fragments[piece] = re.compile(start + re.escape(piece) + end)
    return fragments


def leftovers(pages: dict[str, str], fragments: dict[str, re.Pattern]) -> list[str]:
    found = []
    for name, text in pages.items():
        for piece, pattern in sorted(fragments.items()):
            if pattern.search(text):
                found.append(f"{name}: {piece!r}")
    return found


# --------------------------------------------------------------------------- the tests


def test_every_page_kind_is_looked_at(built):
    kinds = {name.split("/")[0] if "/" in name else name for name in built.pages}
    assert {"index.html", "objectives", "kpis", "initiatives", "strategies", "operations", "risks", "reviews",
            "owners", "matrices", "scorecard.html", "alignment.html", "roadmap.html", "search.html"} <= kinds
    assert len(built.pdf_pages) > 20
    assert english_fragments(built.language)


def test_no_english_interface_text_on_the_site(built):
    found = leftovers(built.pages, english_fragments(built.language))
    assert not found, f"{len(found)} English interface texts on {built.language} site pages:\n" + "\n".join(found)


def test_no_english_interface_text_in_the_pdfs(built):
    found = leftovers(built.pdf_pages, english_fragments(built.language))
    assert not found, f"{len(found)} English interface texts on {built.language} PDF pages:\n" + "\n".join(found)


def test_the_plans_own_words_are_not_reported(built):
    """The masks work: a title written in the plan stays English and is not a leftover."""
    assert "Annual recurring revenue" not in built.pages[KPI_PAGE]
    assert "Annual recurring revenue" in visible_text(built.site / KPI_PAGE)


def test_numbers_and_dates_on_a_kpi_page_follow_the_locale(built):
    text = built.pages[KPI_PAGE]                  # what the interface wrote, the plan's words masked
    assert LOCALE_VALUE in text and DATES[built.language] in text
    assert not english_decimals(text)


def test_numbers_and_dates_in_the_board_pack_follow_the_locale(built):
    pages = {name: text for name, text in built.pdf_pages.items() if name.startswith("pdf/board-pack.pdf")}
    text = " ".join(pages.values())
    assert LOCALE_VALUE in text and DATES[built.language] in text
    assert not [f"{name}: {hit}" for name, page in pages.items() for hit in english_decimals(page)]


def test_numbers_and_dates_everywhere_on_the_site_follow_the_locale(built):
    found = [f"{name}: {hit}" for name, text in built.pages.items() for hit in english_decimals(text)]
    assert not found, "English decimals on site pages:\n" + "\n".join(found)


def english_decimals(text: str) -> list[str]:
    """Numbers written with a decimal point (not German thousands: "3.560"), with a little of what
    stands around them."""
    return [text[max(0, m.start() - 30):m.end() + 10] for m in re.finditer(r"(?<![\d.,-])\d+\.\d+(?![\d.])", text)
            if not re.fullmatch(r"\d{1,3}(\.\d{3})+", m.group())]
