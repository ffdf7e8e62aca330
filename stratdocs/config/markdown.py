"""``markdown:`` in `stratdocs.yml`: which Python-Markdown extensions a project may switch on, and
with which options (issue 10, docs/configuration.md).

An extension is Python code, and `stratdocs.yml` comes from untrusted pull requests, so a name is
never imported as given: only the built-in extensions listed here are accepted (with or without
the ``markdown.extensions.`` prefix), each with the options it documents, every option a plain
``true``/``false``, number or text of the expected type. Anything else is a config error.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from stratdocs.reader import ConfigReader, is_number
from stratdocs.suggest import did_you_mean
from stratdocs.yamlnodes import Mapping, Node, Scalar, Sequence

PREFIX = "markdown.extensions."

_BOOL, _TEXT, _LEVEL, _DEPTH, _PERMALINK = "true or false", "text", "a heading level 1-6", \
    "a heading level 1-6 or a range like '2-4'", "true, false or the link's text"

#: The extensions a project may use, each with its options and what each option takes.
#: Left out on purpose: ``codehilite`` (needs Pygments, not a dependency), ``wikilinks`` (stratdocs'
#: own ``[[ID]]`` links take that syntax), ``extra`` (name its parts instead), options that take a
#: function or a mapping (``toc.slugify``, ``abbr.glossary``, ``smarty.substitutions``), options
#: that only set CSS classes, which the sanitiser drops from bodies anyway, and
#: ``footnotes.SEPARATOR`` (footnote ids keep their ``fn:`` colon, see `render.markdown`).
EXTENSIONS: MappingProxyType = MappingProxyType({
    "abbr": {}, "admonition": {}, "attr_list": {}, "def_list": {}, "fenced_code": {}, "md_in_html": {},
    "meta": {}, "nl2br": {}, "sane_lists": {}, "legacy_attrs": {}, "legacy_em": {},
    "footnotes": {"PLACE_MARKER": _TEXT, "UNIQUE_IDS": _BOOL, "BACKLINK_TEXT": _TEXT, "SUPERSCRIPT_TEXT": _TEXT,
                  "BACKLINK_TITLE": _TEXT, "USE_DEFINITION_ORDER": _BOOL},
    "smarty": {"smart_quotes": _BOOL, "smart_angled_quotes": _BOOL, "smart_dashes": _BOOL, "smart_ellipses": _BOOL},
    "tables": {"use_align_attribute": _BOOL},
    "toc": {"marker": _TEXT, "title": _TEXT, "anchorlink": _BOOL, "permalink": _PERMALINK, "permalink_title": _TEXT,
            "permalink_leading": _BOOL, "baselevel": _LEVEL, "separator": _TEXT, "toc_depth": _DEPTH},
})

_RANGE_RE = re.compile(r"^[1-6]-[1-6]$")
_MAX_TEXT = 200


def canonical(name: str) -> str | None:
    """The allow-listed short name of extension `name` (``markdown.extensions.toc`` -> ``toc``), else None."""
    short = name[len(PREFIX):] if name.startswith(PREFIX) else name
    return short if short in EXTENSIONS else None


def extensions(r: ConfigReader, node: Node, defaults: tuple[str, ...]) -> tuple[str, ...] | None:
    """``markdown.extensions``: `defaults` plus the listed names, each checked against `EXTENSIONS`.

    :param r: the reader collecting findings; `node` the list as written.
    """
    if not isinstance(node, Sequence):
        r.fail(node, "'markdown.extensions' must be a list of extension names, like [abbr, smarty]")
        return None
    names = []
    for item in node.items:
        text = r.text(item, "markdown.extensions")
        if text is None:
            continue
        short = canonical(text.strip())
        if short is None:
            r.fail(item, f"Markdown extension '{text}' is not allowed; use one of: {', '.join(EXTENSIONS)}"
                         f"{did_you_mean(text, EXTENSIONS)} (see docs/configuration.md)")
        else:
            names.append(short)
    return tuple(dict.fromkeys(defaults + tuple(names)))


def options(r: ConfigReader, node: Node, enabled: tuple[str, ...]) -> MappingProxyType | None:
    """``markdown.options``: extension name -> {option: value}, each checked against `EXTENSIONS`.

    :param enabled: the extensions in use; options for any other one are a finding too.
    """
    if not isinstance(node, Mapping):
        r.fail(node, "'markdown.options' maps extension names to their options, like {toc: {permalink: true}}")
        return None
    out = {}
    for name, (knode, value) in node.items.items():
        short = canonical(name)
        if short is None:
            r.fail(knode, f"'markdown.options' names '{name}', which is not an allowed Markdown extension; "
                          f"use one of: {', '.join(EXTENSIONS)}{did_you_mean(name, EXTENSIONS)}")
        elif short not in enabled:
            r.fail(knode, f"'markdown.options.{name}' sets options of an extension that is not switched on; "
                          f"add '{short}' to 'markdown.extensions'")
        elif (read := _options_of(r, short, value)) is not None:
            out[short] = MappingProxyType(read)
    return MappingProxyType(out)


def _options_of(r: ConfigReader, name: str, node: Node) -> dict | None:
    accepted = EXTENSIONS[name]
    if not isinstance(node, Mapping):
        r.fail(node, f"'markdown.options.{name}' must be a mapping of option names to values"
                     + (f"; '{name}' takes: {', '.join(accepted)}" if accepted else "; it takes no options"))
        return None
    out = {}
    for key, (knode, value) in node.items.items():
        if key not in accepted:
            takes = f"it takes: {', '.join(accepted)}{did_you_mean(key, accepted)}" if accepted else "it takes none"
            r.fail(knode, f"unknown option '{key}' for the Markdown extension '{name}'; {takes}")
        elif (plain := _value(value, accepted[key])) is None:
            r.fail(value, f"'markdown.options.{name}.{key}' must be {accepted[key]}")
        else:
            out[key] = plain
    return out


def _value(node: Node, kind: str):
    """The plain value of an option `node` if it is of `kind`, else None."""
    if not isinstance(node, Scalar) or node.value is None:
        return None
    value = node.value
    if kind in (_BOOL, _PERMALINK) and isinstance(value, bool):
        return value
    if kind in (_TEXT, _PERMALINK) and isinstance(value, str) and len(value) <= _MAX_TEXT:
        return value
    if kind in (_LEVEL, _DEPTH) and is_number(node) and isinstance(value, int) and 1 <= value <= 6:
        return value
    if kind == _DEPTH and isinstance(value, str) and _RANGE_RE.match(value):
        return value
    return None
