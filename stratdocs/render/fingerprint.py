"""What a page's view model holds, as one text to hash: `repr`, without its cost on large views.

A page is rendered again only when its fingerprint changed (`render.pages`), and the fingerprint
is a hash of its view model. `repr` of a view model says everything the template can print, but a
dataclass's `repr` returns its fields' `repr`s joined into a new string, level by level, so a deep
view is copied once per level: a board pack's HTML twin (every item of the plan, with its charts
and body) took four seconds at 10,000 entities. `view_text` walks the same values once and joins
their pieces at the end. It writes what `repr` writes for plain values and unknown types, and for
containers and dataclasses (those whose `repr` is the generated one) the same values in the same
order, with the type's name: two views with the same text have the same `repr`.
"""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

_PLAIN = frozenset((str, int, float, bool, type(None)))
_SEQUENCES = {tuple: ("(", ")"), list: ("[", "]")}
_MAPPINGS = {dict: "{", MappingProxyType: "proxy{"}
#: type -> the names of the fields its generated `repr` prints (None: not such a dataclass)
_FIELDS: dict[type, tuple[str, ...] | None] = {}


def view_text(value: object) -> str:
    """A text that is the same for two values exactly when their `repr` is (see the module)."""
    out: list[str] = []
    _walk(value, out)
    return "\x1f".join(out)


def _fields(kind: type) -> tuple[str, ...] | None:
    generated = getattr(getattr(kind, "__repr__", None), "__wrapped__", None)
    if getattr(generated, "__qualname__", "") != "__create_fn__.<locals>.__repr__":
        return None  # not a dataclass, or one with a `repr` of its own: that `repr` is used
    return tuple(f.name for f in dataclasses.fields(kind) if f.repr)


def _walk(value: object, out: list[str]) -> None:
    kind = type(value)
    if kind in _PLAIN:
        out.append(repr(value))
        return
    brackets = _SEQUENCES.get(kind)
    if brackets is not None:
        out.append(brackets[0])
        for item in value:  # type: ignore[attr-defined]
            _walk(item, out)
        out.append(brackets[1])
        return
    opening = _MAPPINGS.get(kind)
    if opening is not None:
        out.append(opening)
        for key, item in value.items():  # type: ignore[attr-defined]
            _walk(key, out)
            _walk(item, out)
        out.append("}")
        return
    names = _FIELDS[kind] if kind in _FIELDS else _FIELDS.setdefault(kind, _fields(kind))
    if names is None:
        out.append(repr(value))
        return
    out.append(kind.__module__ + "." + kind.__qualname__ + "(")
    for name in names:
        _walk(getattr(value, name), out)
    out.append(")")
