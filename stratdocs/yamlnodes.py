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
    base = 1 + line_offset
    stack: list[list] = []  # frames: [kind, node_start_event, items, pending_key]
    try:
        return _build(yaml.parse(text, Loader=_Loader), base, stack)
    except yaml.MarkedYAMLError as exc:
        raise _located(exc, text, base, len(stack)) from None
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark
        raise YamlError(f"invalid YAML: {exc}", base, 1) from None


def _build(events, base: int, stack: list[list]) -> Node | None:
    """The node tree of a stream of parser events; `stack` holds the open collections."""
    root: Node | None = None
    documents = 0
    for event in events:
        etype = type(event)
        if etype is yaml.ScalarEvent:
            node = _scalar(event, base)
        elif etype is yaml.MappingStartEvent or etype is yaml.SequenceStartEvent:
            _refuse(event, base)
            if len(stack) >= MAX_DEPTH:
                raise _too_deep(event.start_mark, base)
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
    return root


def _scalar(event, base: int) -> Scalar:
    _refuse(event, base)
    quoted = bool(event.style)  # None or "" for plain scalars
    try:
        value = event.value if quoted else resolve_plain(event.value)
    except ValueError as exc:
        raise _err(str(exc), event, base) from None
    return Scalar(event.start_mark.line + base, event.start_mark.column + 1, value, event.value, quoted)


def _too_deep(mark, base: int) -> YamlError:
    return YamlError(f"YAML is nested more than {MAX_DEPTH} levels deep; flatten it", mark.line + base, mark.column + 1)


#: Characters that open something a parser may find unclosed: flow collections and quoted scalars.
_OPENERS = {"[": "the list '[' opened here", "{": "the mapping '{' opened here",
            '"': "the quoted text opened here", "'": "the quoted text opened here"}


def _located(exc: yaml.MarkedYAMLError, text: str, base: int, depth: int) -> YamlError:
    """Our own located message for a parser error, decided by positions, never by the parser's wording.

    Nesting deeper than ours is normally refused from the events (`_build`), but libyaml may give up
    on its own limit before it hands them over: `depth` collections were open when it did, and what
    it had not handed over lies on the line where it stopped (its look-ahead ends at a line). When
    that line could take the depth past our limit, the text is counted again with the pure-Python
    scanner (which has no limit of its own), so the limit and its message are ours whatever
    libyaml's are. Something left open (a '[', '{' or quote) is reported where it was opened, with
    the line where the parser gave up.
    """
    mark, context = exc.problem_mark or exc.context_mark, exc.context_mark
    if mark is not None:
        upto = _line(text, mark.line)[:mark.column + 1]
        if depth + sum(upto.count(c) for c in "[{-?:") > MAX_DEPTH and (deep := _deep_mark(text)) is not None:
            return _too_deep(deep, base)
    problem = exc.problem or exc.context or "invalid YAML"
    if context is not None and mark is not None and (mark.line, mark.column) != (context.line, context.column):
        opened = _OPENERS.get(_char_at(text, context.line, context.column))
        if opened:
            return YamlError(f"invalid YAML: {opened} is not closed (the parser gave up on line "
                             f"{mark.line + base}: {problem})", context.line + base, context.column + 1)
    if mark is None:
        return YamlError(f"invalid YAML: {problem}", base, 1)
    return YamlError(f"invalid YAML: {problem}", mark.line + base, mark.column + 1)


def _line(text: str, number: int) -> str:
    """Line `number` (0-based) of the text, or '' past its end."""
    lines = text.split("\n")
    return lines[number] if number < len(lines) else ""


def _char_at(text: str, line: int, column: int) -> str:
    return _line(text, line)[column:column + 1]


_OPEN_TOKENS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken,
                yaml.BlockSequenceStartToken, yaml.BlockMappingStartToken)
_CLOSE_TOKENS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


def _deep_mark(text: str):
    """Where the text first nests more than MAX_DEPTH levels, else None (also on a syntax error)."""
    depth = 0
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, _OPEN_TOKENS):
                depth += 1
                if depth > MAX_DEPTH:
                    return token.start_mark
            elif isinstance(token, _CLOSE_TOKENS):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


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
