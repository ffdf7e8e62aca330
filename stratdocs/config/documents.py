"""The list-valued keys of `stratdocs.yml`: `matrices:` and the PDF `documents:`."""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from stratdocs.config.specs import (DEFAULT_DOCUMENT, DEFAULT_MATRICES, DOCUMENT_KEYS, FILTER_KEYS, MATRIX_AXES,
                                    SECTIONS, DocumentSpec, MatrixSpec)
from stratdocs.reader import ConfigReader
from stratdocs.suggest import did_you_mean
from stratdocs.yamlnodes import Mapping as MappingNode, Node, Scalar, Sequence

_MATRIX_KEYS = ("id", "title", "rows", "columns", "description")


def matrices(r: ConfigReader, node: Node) -> tuple[MatrixSpec, ...] | None:
    """``matrices:``, a list of built-in matrix names and ``{id, title, rows, columns}``.

    :param r: the config's reader, which records the problems.
    :param node: the value of the key.
    """
    if not isinstance(node, Sequence):
        r.fail(node, "'matrices' must be a list of matrix names or {id, title, rows, columns}")
        return None
    defaults = {m.id: m for m in DEFAULT_MATRICES}
    specs = []
    for item in node.items:
        if isinstance(item, Scalar):
            if item.text in defaults:
                specs.append(defaults[item.text])
            else:
                r.fail(item, f"unknown matrix '{item.text}'{did_you_mean(item.text, defaults)}; "
                             "or define it as {id, title, rows, columns}")
        elif not isinstance(item, MappingNode):
            r.fail(item, "a matrix is a name or {id, title, rows, columns}")
        elif (spec := _matrix(r, item)) is not None:
            specs.append(spec)
    ids = [s.id for s in specs]
    for dup in {i for i in ids if ids.count(i) > 1}:
        r.fail(node, f"matrix '{dup}' is listed twice")
    return tuple(specs)


def _matrix(r: ConfigReader, item: MappingNode) -> MatrixSpec | None:
    fields = {}
    for key, (knode, value) in item.items.items():
        if key not in _MATRIX_KEYS:
            r.fail(knode, f"unknown matrix key '{key}'{did_you_mean(key, ('id', 'title', 'rows', 'columns'))}")
        elif key in ("rows", "columns"):
            fields[key] = r.choice(value, f"matrices.{key}", MATRIX_AXES)
        else:
            fields[key] = r.text(value, f"matrices.{key}")
    if not all(fields.get(k) for k in ("id", "rows", "columns")):
        r.fail(item, "a matrix needs id, rows and columns")
        return None
    fields.setdefault("title", fields["id"])
    return MatrixSpec(**{k: v or "" for k, v in fields.items()})


def documents(r: ConfigReader, node: Node) -> tuple[tuple[DocumentSpec, ...], set[str]] | None:
    """``documents:``: the PDF documents, and the ids of those that did not list their sections.

    :param r: the config's reader, which records the problems.
    :param node: the value of the key.
    """
    if not isinstance(node, Sequence):
        r.fail(node, "'documents' must be a list of {id, title, sections, …}")
        return None
    docs, default_sections = [], set()
    for item in node.items:
        if not isinstance(item, MappingNode):
            r.fail(item, "a document is {id, title, subtitle, sections, filter, confidential, draft}")
            continue
        fields = _document_fields(r, item)
        if not _valid_document(r, item, fields):
            continue
        if "sections" not in fields:
            fields["sections"] = DEFAULT_DOCUMENT.sections
            default_sections.add(fields["id"])
        docs.append(DocumentSpec(**{k: v if v is not None else "" for k, v in fields.items()}))
    return tuple(docs), default_sections


def _document_fields(r: ConfigReader, item: MappingNode) -> dict:
    fields: dict = {}
    for key, (knode, value) in item.items.items():
        if key in ("id", "title", "subtitle", "confidential", "changes_since"):
            fields[key] = r.text(value, f"documents.{key}")
        elif key == "draft":
            if (draft := r.flag(value, "'documents.draft' must be true or false")) is not None:
                fields["draft"] = draft
        elif key == "sections":
            fields["sections"] = _sections(r, value)
        elif key == "filter":
            fields["filter"] = _filter(r, value)
        else:
            r.fail(knode, f"unknown document key '{key}'{did_you_mean(key, DOCUMENT_KEYS)}")
    return fields


def _valid_document(r: ConfigReader, item: MappingNode, fields: dict) -> bool:
    """Whether a document has a usable id (then its title defaults to it); a problem if not."""
    if not fields.get("id"):
        r.fail(item, "a document needs an id (its file name: site/pdf/ID.pdf)")
        return False
    if not fields["id"].replace("-", "").replace("_", "").isalnum():
        r.fail(item, f"document id '{fields['id']}' must be letters, digits, '-' and '_'")
        return False
    fields.setdefault("title", fields["id"])
    if "changes" in fields.get("sections", ()) and not fields.get("changes_since"):
        r.fail(item, f"document '{fields['id']}' lists the 'changes' section; say since when with "
                     "'changes_since: REV' (a git tag, branch or commit)")
    return True


def _sections(r: ConfigReader, node: Node) -> tuple[str, ...]:
    if not isinstance(node, Sequence):
        r.fail(node, "'sections' must be a list, like [cover, contents, scorecard]")
        return ()
    out = []
    for item in node.items:
        name = r.text(item, "sections")
        if name is None:
            continue
        if name in SECTIONS or name.startswith("matrix:"):
            out.append(name)
        else:
            r.fail(item, f"unknown section '{name}'{did_you_mean(name, SECTIONS)}; "
                         f"use {', '.join(SECTIONS)} or matrix:NAME")
    return tuple(out)


def _filter(r: ConfigReader, node: Node) -> Mapping[str, tuple[str, ...]]:
    if not isinstance(node, MappingNode):
        r.fail(node, f"'filter' must be a mapping of {', '.join(FILTER_KEYS)}")
        return MappingProxyType({})
    out = {}
    for key, (knode, value) in node.items.items():
        if key not in FILTER_KEYS:
            r.fail(knode, f"unknown filter '{key}'{did_you_mean(key, FILTER_KEYS)}")
            continue
        items = value.items if isinstance(value, Sequence) else (value,)
        out[key] = tuple(v.text for v in items if isinstance(v, Scalar) and v.value is not None)
    return MappingProxyType(out)
