"""Files under `content/assets/` that the site publishes as they are (SPEC §13 "Trust").

A published file is served from the intranet's own origin, so one that can run script there
(HTML, JavaScript, an SVG with handlers) would run with the reader's session. Assets are
therefore published by an allow-list of inert types; an SVG is published only when it is
passive (no script, no event handler, no external or `javascript:` reference, no embedded
HTML, no DTD). Anything else is a located warning (`asset`) and is not published. Files linked
from outside the project and hidden files are never read.
"""

from __future__ import annotations

import re
from pathlib import Path

from stratdocs.findings import Finding, warning

#: File endings published as they are: images, documents, data, fonts, media.
INERT_TYPES = frozenset((
    ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".bmp", ".ico", ".tif", ".tiff",
    ".pdf", ".txt", ".csv", ".tsv", ".json", ".md",
    ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".odp", ".doc", ".xls", ".ppt", ".rtf",
    ".woff", ".woff2", ".ttf", ".otf", ".mp3", ".mp4", ".webm", ".ogg", ".wav", ".zip",
))
#: SVG elements that can run script, embed HTML or load other documents.
ACTIVE_SVG = frozenset(("script", "foreignobject", "iframe", "embed", "object", "handler", "listener",
                        "animate", "set", "animatemotion", "animatetransform"))
_LOCAL_REF = re.compile(r"^(#|data:image/(png|jpeg|gif|webp);base64,)", re.I)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)
#: Above this size an SVG is not parsed (and not published).
MAX_SVG_BYTES = 2_000_000


def svg_problem(data: bytes) -> str | None:
    """Why an SVG is not passive, or None when it can be published."""
    if len(data) > MAX_SVG_BYTES:
        return f"it is larger than {MAX_SVG_BYTES // 1_000_000} MB"
    text = data.decode("utf-8", "replace")
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper():
        return "it has a DTD or entities"
    import xml.etree.ElementTree as etree  # only for a project that publishes an SVG

    try:
        root = etree.fromstring(data)
    except etree.ParseError as exc:
        return f"it is not well-formed XML ({exc})"
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if name in ACTIVE_SVG:
            return f"it has a <{name}> element"
        for key, value in element.attrib.items():
            attr = key.rsplit("}", 1)[-1].lower()
            if attr.startswith("on"):
                return f"it has an event handler ({attr})"
            if attr in ("href", "src") and not _LOCAL_REF.match(value.strip()):
                return f"it refers to '{value[:60]}' (only #fragments and data: images may be referenced)"
            if attr == "style" and _CSS_URL.search(value):
                return "its style loads a URL"
        if name == "style" and element.text and (_CSS_URL.search(element.text) or "@import" in element.text):
            return "its stylesheet loads a URL"
    return None


def publishable(path: Path) -> str | None:
    """Why an asset is not published, or None when it is."""
    suffix = path.suffix.lower()
    if suffix == ".svg":
        try:
            return svg_problem(path.read_bytes())
        except OSError as exc:
            return f"it cannot be read ({exc.strerror or exc})"
    if suffix not in INERT_TYPES:
        return f"'{suffix or 'no ending'}' files can run script or are not known to be inert"
    return None


def discover(root: Path, content_dir: str) -> tuple[tuple[tuple[str, Path], ...], list[Finding]]:
    """(path relative to assets/, file) of every publishable asset, and a warning per file left out.

    :param root: the project folder.
    :param content_dir: the content folder relative to it.
    """
    base = root / content_dir / "assets"
    if not base.is_dir() or base.is_symlink():
        return (), []
    resolved_root = root.resolve()
    out: list[tuple[str, Path]] = []
    findings: list[Finding] = []
    for path in sorted(base.rglob("*")):
        rel = path.relative_to(base).as_posix()
        if any(part.startswith(".") for part in path.relative_to(base).parts) or not path.is_file():
            continue
        shown = f"{content_dir}/assets/{rel}"
        if resolved_root not in path.resolve().parents:
            findings.append(warning(shown, 1, 1, "asset", "not published: it is a link to a file outside the "
                                                          "project; copy the file into assets/"))
            continue
        problem = publishable(path)
        if problem:
            findings.append(warning(shown, 1, 1, "asset", f"not published: {problem}; convert it to an image "
                                                          "or a PDF"))
            continue
        out.append((rel, path))
    return tuple(out), findings


def logo_rel(logo: str, content_dir: str) -> str:
    """The configured logo's path under `content/assets/`: `logo: logo.svg`, `assets/logo.svg`
    and `content/assets/logo.svg` all name one file ('' for no logo)."""
    rel = logo.replace("\\", "/").lstrip("/")
    for prefix in (f"{content_dir.rstrip('/')}/assets/", "assets/"):
        if rel.startswith(prefix):
            return rel[len(prefix):]
    return rel
