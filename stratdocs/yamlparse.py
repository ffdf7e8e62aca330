"""The parser behind `yamlnodes.parse`: PyYAML's event stream (libyaml's `CSafeLoader` when
available) turned into `yamlnodes` nodes, with our limits and our own located messages (see
`stratdocs.yamlnodes`). Imported only when a text must be parsed."""

from __future__ import annotations

import yaml

from stratdocs.yamlnodes import MAX_DEPTH, Mapping, Node, Scalar, Sequence, YamlError, resolve_plain

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_nodes(text: str, line_offset: int = 0) -> Node | None:
    """`yamlnodes.parse`: one YAML document as nodes, or `YamlError` with a position."""
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
