"""Safe YAML with positions.

Front matter is parsed into a small tree of nodes that remember their line and column, so
every finding can point at the offending key or value. The loader is stricter than
`yaml.safe_load`: tags, anchors and aliases, duplicate keys and multiple documents are
errors. Plain scalars follow the YAML 1.2 core schema (only `true`/`false` are booleans,
so `NO` and `on` stay strings) and every scalar keeps its source text, so a schema that
expects a string gets `1.10`, not `1.1`.

The event stream comes from libyaml (`CSafeLoader`) when available, which is several times
faster than the pure-Python parser and still reports marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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


def resolve_plain(text: str) -> object:
    """Resolve a plain (unquoted) scalar with the YAML 1.2 core schema."""
    if text in _NULLS:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def parse(text: str, line_offset: int = 0) -> Node | None:
    """Parse one YAML document into nodes; raise `YamlError` with a position on any problem.

    `line_offset` is added to every line, for YAML that starts further down a file.
    """
    base = 1 + line_offset
    stack: list[list] = []  # frames: [kind, node_start_event, items, pending_key]
    root: Node | None = None
    documents = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            etype = type(event)
            if etype is yaml.ScalarEvent:
                _refuse(event, base)
                quoted = bool(event.style)  # None or "" for plain scalars
                value = event.value if quoted else resolve_plain(event.value)
                node = Scalar(event.start_mark.line + base, event.start_mark.column + 1, value, event.value, quoted)
            elif etype is yaml.MappingStartEvent or etype is yaml.SequenceStartEvent:
                _refuse(event, base)
                if len(stack) >= MAX_DEPTH:
                    raise _err(f"YAML is nested more than {MAX_DEPTH} levels deep", event, base)
                stack.append([etype, event, {} if etype is yaml.MappingStartEvent else [], None])
                continue
            elif etype is yaml.MappingEndEvent or etype is yaml.SequenceEndEvent:
                node = _close(stack.pop(), base)
            elif etype is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise _err("front matter holds more than one YAML document; remove the extra '---'", event, base)
                continue
            elif etype is yaml.AliasEvent:
                raise _err("YAML aliases (*name) are not allowed; write the value out", event, base)
            else:  # stream start and end, document end
                continue
            if stack:
                _attach(stack[-1], node)
            else:
                root = node
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, col = (mark.line + base, mark.column + 1) if mark else (base, 1)
        raise YamlError(f"invalid YAML: {problem}", line, col) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        raise YamlError(f"invalid YAML: {exc}", base, 1) from None
    return root


def _refuse(event, base: int) -> None:
    """Anchors and tags are errors: front matter is plain data."""
    if event.anchor:
        raise _err("YAML anchors (&name) are not allowed; write the value out", event, base)
    tag = event.tag
    if tag is not None and tag != "!":
        raise _err(f"YAML tags ({tag}) are not allowed; remove the tag", event, base)


def _close(frame: list, base: int) -> Node:
    """The mapping or sequence node of a finished frame."""
    kind, start, items, _ = frame
    line, col = start.start_mark.line + base, start.start_mark.column + 1
    return Mapping(line, col, items) if kind is yaml.MappingStartEvent else Sequence(line, col, tuple(items))


def _attach(frame: list, node: Node) -> None:
    """Add a finished node to its parent frame: a list item, a mapping key or its value."""
    if frame[0] is yaml.SequenceStartEvent:
        frame[2].append(node)
    elif frame[3] is None:
        if not isinstance(node, Scalar):
            raise YamlError("a mapping key must be a plain name, not a list or mapping", node.line, node.col)
        key = node.text
        if key in frame[2]:
            first = frame[2][key][0]
            raise YamlError(f"duplicate key '{key}' (first set on line {first.line}); keep one", node.line, node.col)
        frame[3] = node
    else:
        keynode = frame[3]
        frame[2][keynode.text] = (keynode, node)
        frame[3] = None


def _err(message: str, event, base: int) -> YamlError:
    return YamlError(message, event.start_mark.line + base, event.start_mark.column + 1)


def to_python(node: Node | None) -> object:
    """Plain Python value of a node tree (for x- keys and export)."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        return node.value
    if isinstance(node, Sequence):
        return [to_python(item) for item in node.items]
    return {key: to_python(value) for key, (_, value) in node.items.items()}
