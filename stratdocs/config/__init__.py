"""`stratdocs.yml`: a typed schema that reports every bad key at once (SPEC §9).

A config problem is a usage problem: `check` and `build` exit with status 2 and list every
finding, each with the line of the key, what was expected and what came. The values live in
`specs`, the key-by-key reading in `parser` and `documents`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from stratdocs import yamlnodes
from stratdocs.config.parser import config_error, epoch_problem, parse
from stratdocs.config.specs import (CHOICE_KEYS, CONFIG_FILE, DEFAULT_DOCUMENT, DEFAULT_EXTENSIONS, DEFAULT_MATRICES,
                                    DOCUMENT_KEYS, FILTER_KEYS, FOLDER_KEYS, KEYS, PDF_VARIANTS, SECTIONS, TEXT_KEYS,
                                    Config, DocumentSpec, MatrixSpec)
from stratdocs.errors import ConfigError
from stratdocs.findings import error
from stratdocs.sources import leaves_project
from stratdocs.suggest import did_you_mean

__all__ = ["CHOICE_KEYS", "CONFIG_FILE", "DEFAULT_DOCUMENT", "DEFAULT_EXTENSIONS", "DEFAULT_MATRICES",
           "DOCUMENT_KEYS", "FILTER_KEYS", "FOLDER_KEYS", "KEYS", "PDF_VARIANTS", "SECTIONS", "TEXT_KEYS",
           "Config", "ConfigError", "DocumentSpec", "MatrixSpec", "default_as_of", "load", "validate_references"]


def default_as_of() -> date:
    """Today, or the day of ``SOURCE_DATE_EPOCH`` when it is set (reproducible builds)."""
    day, problem = epoch_problem()
    if problem:
        raise config_error([problem], frozenset((problem,)))
    return day or date.today()


def load(root: Path, cache=None) -> Config:
    """Read `stratdocs.yml` under the project folder `root` (defaults when it is absent).

    Raises `ConfigError` (exit status 2) with every problem found.

    :param cache: the load cache (`cache_files.LoadCache`), which keeps the parsed nodes of the
        file's text: a run whose config is the last one's does not parse it again.
    """
    root = root.resolve()
    path = root / CONFIG_FILE
    if path.is_symlink() and leaves_project(root, path):  # SPEC §12: nothing read from outside the project
        raise config_error([error(CONFIG_FILE, 1, 1, "config", f"{CONFIG_FILE} is a symlink that points outside "
                                  "the project; refused (copy the file into the project)")])
    if not path.exists():
        return Config(root=root, as_of=default_as_of())
    try:
        text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    except (OSError, UnicodeDecodeError) as exc:
        raise config_error([error(CONFIG_FILE, 1, 1, "config", f"cannot read config: {exc}")]) from None
    try:
        node = cache.parsed_config(root, text, yamlnodes.parse) if cache is not None else yamlnodes.parse(text)
    except yamlnodes.YamlError as exc:
        raise config_error([error(CONFIG_FILE, exc.line, exc.col, "config", exc.message)]) from None
    return parse(root, node)


def validate_references(config: Config) -> None:
    """Checks that need the whole `config`: document sections naming configured matrices."""
    names = {m.id for m in config.matrices}
    findings = []
    for doc in config.documents:
        for section in doc.sections:
            if section.startswith("matrix:") and section[7:] not in names:
                findings.append(error(CONFIG_FILE, 1, 1, "config",
                                      f"document '{doc.id}' lists '{section}', but no matrix "
                                      f"'{section[7:]}' is configured{did_you_mean(section[7:], names)}"))
    if findings:
        raise config_error(findings)
