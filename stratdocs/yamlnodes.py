"""Safe YAML with positions.

Front matter is parsed into a small tree of nodes that remember their line and column, so
every finding can point at the offending key or value. The loader is stricter than
`yaml.safe_load`: tags, anchors and aliases, duplicate keys and multiple documents are
errors. Plain scalars follow the YAML 1.2 core schema (only `true`/`false` are booleans,
so `NO` and `on` stay strings) and every scalar keeps its source text, so a schema that
expects a string gets `1.10`, not `1.1`.

The event stream comes from libyaml (`CSafeLoader`) when available, which is several times
faster than the pure-Python parser and still reports marks. Our limits (nesting deeper than
`MAX_DEPTH`, integers longer than `MAX_INT_DIGITS`) and our messages never depend on the
installed PyYAML or libyaml: they are decided from events, tokens and positions, never from a
library's wording.

The parser itself is `stratdocs.yamlparse`, imported (with PyYAML) when a text is first parsed:
a run whose files all come from the load cache, config included, never imports PyYAML.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_TRUE = frozenset(("true", "True", "TRUE"))
_FALSE = frozenset(("false", "False", "FALSE"))

MAX_DEPTH = 64


class YamlError(Exception):
    """A YAML problem at a 1-based line and column of the parsed text."""

    def __init__(self, message: str, line: int, col: int):
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col


@dataclass(frozen=True, slots=True)
class Node:
    """A parsed YAML node with its 1-based position."""

    line: int  # 1-based, in the parsed text
    col: int   # 1-based


@dataclass(frozen=True, slots=True)
class Scalar(Node):
    """A scalar: its resolved value and its text as written."""

    value: object  # str, int, float, bool or None (YAML 1.2 core schema)
    text: str      # the scalar exactly as written (without quotes)
    quoted: bool


@dataclass(frozen=True, slots=True)
class Mapping(Node):
    """A mapping whose items keep their key nodes (for the key's position)."""

    items: dict  # str -> (key Scalar, value Node), in source order


@dataclass(frozen=True, slots=True)
class Sequence(Node):
    """A list of nodes."""

    items: tuple


#: Digits a plain integer may have (Python refuses to convert more than 4,300; no plan needs 30).
MAX_INT_DIGITS = 100


def resolve_plain(text: str) -> object:
    """Resolve a plain (unquoted) scalar with the YAML 1.2 core schema.

    Raises ValueError for an integer longer than `MAX_INT_DIGITS` digits.
    """
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        if len(text.lstrip("+-")) > MAX_INT_DIGITS:
            raise ValueError(f"a number of {len(text.lstrip('+-'))} digits is over the limit of {MAX_INT_DIGITS}; "
                             "quote it if it is text")
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def parse(text: str, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into nodes; raise `YamlError` with a position on any problem.

    `line_offset` is added to every line, for YAML that starts further down a file.
    """
    from stratdocs.yamlparse import parse_nodes  # PyYAML: 11 ms of imports, only when a text is parsed

    return parse_nodes(text, line_offset)


def to_python(node: Node | None) -> object:
    """Plain Python value of a node tree (for x- keys and export)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_python(item) for item in node.items]
    return {key: to_python(value) for key, (_, value) in node.items.items()}
