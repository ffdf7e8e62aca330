"""The model's values as JSON data, and back: how the load cache keeps a file's result.

A content file's result (`project.FileResult`: its entities and findings) is kept between runs
in the signed cache (`stratdocs.cache_files`). The cache is untrusted input (it may come from a
pull request), so it is data, never pickle: decoding builds nothing but plain values, dates and
the frozen dataclasses and enums of an allow-list of our own model modules (`VALUE_MODULES`),
by their fields, and anything else is refused (`Uncacheable`), which the cache treats as a miss.

Types are kept exactly (a tuple stays a tuple, a read-only mapping read-only, an enum an enum,
dict order as it was), so a result read back is equal to, and has the same `repr` as, the one
parsed: page digests (`render.memory`) and `check`'s output cannot tell them apart.

Scalars (str, int, float, bool, None) are written as themselves; every other value is a JSON
list whose first item is a tag: ``["t", ...]`` tuple (``["T", ...]`` when all its items are scalars), ``["l", ...]`` list, ``["m", k, v, ...]``
read-only mapping, ``["D", k, v, ...]`` dict, ``["f", ...]`` frozenset, ``["d", "2026-01-31"]``
date, ``["e", "Severity", "error"]`` enum, ``["c", "Entity", field, ...]`` dataclass (its fields in order, trailing ones that hold their default left out; ``"C"`` when all are scalars),
``["K", k, [v, ...], ...]`` (``"k"`` for a dict) a read-only mapping whose values are all tuples of
scalars (an entity's key positions), ``["R", "Point", [0], [field, ...], ...]`` a tuple of two or more values of one dataclass whose
fields are all scalars or dates, as rows (the listed positions hold dates, as ISO text: a KPI's
actuals, 60,000 points at 10,000 entities, are decoded in one tight loop), and for a
`Codec` that asks for them ``["s", "Markup", text]`` (a str subclass, checked by the reader) and
``["r", "SO1"]`` (an item by reference, taken from the current plan).
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
from datetime import date
from itertools import chain, starmap
from types import MappingProxyType

#: The modules whose dataclasses and enums a cached file result may hold (what `schema` builds).
VALUE_MODULES = ("stratdocs.model", "stratdocs.findings", "stratdocs.delivery", "stratdocs.periods",
                 "stratdocs.csvdata", "stratdocs.links", "stratdocs.yamlnodes")


class Uncacheable(ValueError):
    """A value the codec does not know (or malformed data): the file is read, not cached."""


def _types(modules: tuple[str, ...]) -> tuple[dict[type, tuple[str, tuple | None]], dict[str, type]]:
    """(type -> (tag, its fields; None for an enum), tag -> type) of the dataclasses and enums of
    `modules`. A field is (name, its default or `_NONE`, its default factory or None)."""
    by_type: dict[type, tuple[str, tuple | None]] = {}
    by_name: dict[str, type] = {}
    for name in modules:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if not isinstance(value, type) or value.__module__ != name or value.__qualname__ in by_name:
                continue
            if issubclass(value, enum.Enum):
                by_type[value] = (value.__qualname__, None)
            elif dataclasses.is_dataclass(value):
                fields = dataclasses.fields(value)
                if any(not f.init for f in fields):
                    continue  # built in __post_init__: not rebuilt from its fields
                by_type[value] = (value.__qualname__, tuple(
                    (f.name, _NONE if f.default is dataclasses.MISSING else f.default,
                     None if f.default_factory is dataclasses.MISSING else f.default_factory) for f in fields))
            else:
                continue
            by_name[value.__qualname__] = value
    return by_type, by_name


_NONE = object()


def _is_default(value: object, default: object, factory) -> bool:
    """Whether a field holds its default exactly (same type and value), so that leaving it out
    and letting the class fill it in gives back an equal value with the same `repr`."""
    if factory is not None:
        default = factory()
    elif default is _NONE:
        return False
    return type(value) is type(default) and value == default


_SCALARS = frozenset((str, int, float, bool, type(None)))
#: What else JSON holds (so a "T" or "C" value with one of these in it was not written by `encode`).
_CONTAINERS = frozenset((list, dict))


class Codec:
    """Encodes and decodes the values of an allow-list of modules.

    :param modules: the modules whose dataclasses and enums may be encoded.
    :param strings: str subclasses kept as such (``["s", "Markup", text]``), by tag.
    :param reference: a type encoded by reference (``["r", key]``, its `key_of`), resolved on
        decoding by the caller's `resolve` (a view holds the plan's items: the plan has them).
    """

    def __init__(self, modules: tuple[str, ...], strings: dict[str, type] | None = None,
                 reference: type | None = None, key_of=None):
        self.types, names = _types(modules)
        self.classes = {tag: cls for tag, cls in names.items() if not issubclass(cls, enum.Enum)}
        self.enums = {tag: cls for tag, cls in names.items() if issubclass(cls, enum.Enum)}
        self.strings = dict(strings or {})
        self.string_tags = {cls: tag for tag, cls in self.strings.items()}
        self.reference, self.key_of = reference, key_of

    def encode(self, value: object, texts: dict | None = None) -> object:
        """`value` as JSON-able data; raises `Uncacheable` for a type outside the allow-list.

        :param texts: tag -> what to keep of a str subclass instead of its text (a chart's key
            in the chart cache, say), turned back by `decode`'s `strings`.
        """
        return self._encode(value, texts or {})

    def _encode(self, value: object, texts: dict) -> object:
        kind = type(value)
        if kind in _SCALARS:
            return value
        if kind is tuple:
            if all(type(v) in _SCALARS for v in value):
                return ["T", *value]  # decoded without looking at each item
            return self._rows(value) or ["t", *(self._encode(v, texts) for v in value)]
        if kind is MappingProxyType or kind is dict:
            if value and all(type(k) in _SCALARS and type(v) is tuple and all(type(x) in _SCALARS for x in v)
                             for k, v in value.items()):
                # keys and tuples of plain values (an entity's key positions): decoded in one loop
                out = ["K" if kind is MappingProxyType else "k"]
                for key, item in value.items():
                    out += [key, list(item)]
                return out
            out = ["m" if kind is MappingProxyType else "D"]
            for key, item in value.items():
                out.append(self._encode(key, texts))
                out.append(self._encode(item, texts))
            return out
        if kind is list:
            return ["l", *(self._encode(v, texts) for v in value)]
        if kind is frozenset:
            return ["f", *(self._encode(v, texts) for v in value)]
        if kind is date:
            return ["d", value.isoformat()]
        if kind is self.reference:
            return ["r", self.key_of(value)]
        if kind in self.string_tags:
            tag = self.string_tags[kind]
            return ["s", tag, texts[tag](value) if tag in texts else str(value)]
        known = self.types.get(kind)
        if known is None:
            raise Uncacheable(f"cannot cache a {kind.__qualname__}")
        tag, fields = known
        if fields is None:
            return ["e", tag, self._encode(value.value, texts)]
        values = self._fields(value)
        if all(type(v) in _SCALARS for v in values):
            return ["C", tag, *values]  # decoded without looking at each field
        return ["c", tag, *(self._encode(v, texts) for v in values)]

    def _fields(self, value: object) -> list | None:
        """The fields `encode` writes of a dataclass value (trailing defaults left out)."""
        known = self.types.get(type(value))
        if known is None or known[1] is None:
            return None
        fields = known[1]
        values = [getattr(value, name) for name, _, _ in fields]
        shown = len(values)
        while shown and _is_default(values[shown - 1], fields[shown - 1][1], fields[shown - 1][2]):
            shown -= 1  # trailing defaults are left out: the class fills them in again
        return values[:shown]

    def _rows(self, value: tuple) -> list | None:
        """``["R", tag, date positions, row, ...]`` for a tuple of one dataclass whose fields are
        scalars or dates (each position a date in every row that has it, or in none); else None."""
        kind = type(value[0]) if len(value) > 1 else None
        if kind is None or kind not in self.types or any(type(v) is not kind for v in value):
            return None
        rows: list[list] = []
        dates: set[int] = set()
        plain: set[int] = set()
        for item in value:  # given up at the first field that is neither (a tuple of entities, say)
            row = self._fields(item)
            if row is None:
                return None  # an enum
            for position, field in enumerate(row):
                if type(field) is date:
                    dates.add(position)
                elif type(field) in _SCALARS:
                    plain.add(position)
                else:
                    return None
            rows.append(row)
        if dates & plain:
            return None
        positions = sorted(dates)
        for row in rows:
            for position in positions:
                if position < len(row):
                    row[position] = row[position].isoformat()
        return ["R", self.types[kind][0], positions, *rows]

    def decode(self, data: object, resolve=None, strings: dict | None = None) -> object:
        """The value `encode` wrote; raises `Uncacheable` for anything it would not have written.

        :param resolve: key -> the value a reference stands for (raises KeyError when gone).
        :param strings: tag -> what makes a kept str subclass from its text, instead of its
            type (a check that raises ValueError for text it does not accept).
        """
        if type(data) in _SCALARS:
            return data
        try:
            return self._decode(data, resolve, strings or self.strings)
        except Uncacheable:
            raise
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            raise Uncacheable(f"malformed cache entry: {exc}") from None

    def _decode(self, data: list, resolve, strings: dict) -> object:
        """A tagged value (scalars inside are taken as they are: most leaves are, and a call each
        would double the time a warm `check` spends here)."""
        scalars, decode = _SCALARS, self._decode
        tag = data[0]
        if tag == "T":
            if not _CONTAINERS.isdisjoint(map(type, data)):
                raise Uncacheable("malformed cache entry: a tuple of plain values holds another")
            return tuple(data[1:])
        if tag == "C":
            if not _CONTAINERS.isdisjoint(map(type, data)):
                raise Uncacheable("malformed cache entry: a value of plain fields holds another")
            return self.classes[data[1]](*data[2:])
        if tag == "R":
            return self._decode_rows(data)
        if tag == "K" or tag == "k":
            return self._decode_tuples(data)
        if tag == "t":
            return tuple([x if type(x) in scalars else decode(x, resolve, strings) for x in data[1:]])
        if tag == "d":
            return date.fromisoformat(data[1])
        if tag == "c":
            return self.classes[data[1]](*[x if type(x) in scalars else decode(x, resolve, strings)
                                           for x in data[2:]])
        if tag == "s":
            return strings[data[1]](data[2])
        if tag == "r":
            return resolve(data[1])
        items = [x if type(x) in scalars else decode(x, resolve, strings) for x in data[1:]]
        if tag == "m" or tag == "D":
            mapping = dict(zip(items[0::2], items[1::2]))
            return MappingProxyType(mapping) if tag == "m" else mapping
        if tag == "l":
            return items
        if tag == "f":
            return frozenset(items)
        if tag == "e":
            return self.enums[items[0]](items[1])
        raise Uncacheable(f"malformed cache entry: unknown tag {tag!r}")

    def _decode_tuples(self, data: list) -> dict | MappingProxyType:
        keys, values, containers = data[1::2], data[2::2], _CONTAINERS
        if len(keys) != len(values) or not containers.isdisjoint(map(type, keys)) or not all(
                type(v) is list for v in values) or not containers.isdisjoint(map(type, chain.from_iterable(values))):
            raise Uncacheable("malformed cache entry: a mapping of plain tuples holds another value")
        mapping = dict(zip(keys, map(tuple, values)))
        return MappingProxyType(mapping) if data[0] == "K" else mapping

    def _decode_rows(self, data: list) -> tuple:
        cls, positions, rows = self.classes[data[1]], data[2], data[3:]
        if len(rows) < 2 or type(positions) is not list or not all(type(p) is int and p >= 0 for p in positions):
            raise Uncacheable("malformed cache entry: rows")
        if not all(type(row) is list for row in rows) or not _CONTAINERS.isdisjoint(
                map(type, chain.from_iterable(rows))):
            raise Uncacheable("malformed cache entry: a row holds another value")
        if positions:
            rows = [row.copy() for row in rows]  # the parsed data is left as it was
            fromiso = date.fromisoformat
            for position in positions:
                for row in rows:
                    if position < len(row):
                        row[position] = fromiso(row[position])
        return tuple(starmap(cls, rows))


#: The codec of the load cache: a file's entities and findings.
MODEL = Codec(VALUE_MODULES)
encode = MODEL.encode
decode = MODEL.decode
