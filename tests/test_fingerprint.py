"""A page's fingerprint text (`render.fingerprint.view_text`) says what `repr` says (issue 15)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from hypothesis import given, strategies as st
from markupsafe import Markup

from stratdocs.render.fingerprint import view_text


@dataclass(frozen=True)
class Leaf:
    text: str
    number: float = 0.0
    hidden: str = field(default="", repr=False)  # not in repr: not in the text either


@dataclass(frozen=True)
class Node:
    name: str
    children: tuple = ()
    extra: object = None


@dataclass(frozen=True)
class Own:
    value: str

    def __repr__(self) -> str:  # a repr of its own is used as it is
        return f"Own<{self.value[:1]}>"


scalars = st.one_of(st.text(max_size=6), st.integers(-3, 3), st.floats(allow_nan=False, width=16), st.booleans(),
                    st.none(), st.dates(min_value=date(2026, 1, 1), max_value=date(2026, 1, 3)),
                    st.text(max_size=4).map(Markup), st.text(max_size=3).map(Own),
                    st.builds(Leaf, st.text(max_size=3), st.integers(0, 2).map(float), st.text(max_size=2)))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.tuples(inner, inner), st.lists(inner, max_size=3),
    st.dictionaries(st.text(max_size=2), inner, max_size=2),
    st.dictionaries(st.text(max_size=2), inner, max_size=2).map(MappingProxyType),
    st.builds(Node, st.text(max_size=2), st.lists(inner, max_size=3).map(tuple), inner)), max_leaves=12)


@given(values, values)
def test_two_values_have_the_same_text_exactly_when_they_have_the_same_repr(a, b):
    assert (view_text(a) == view_text(b)) == (repr(a) == repr(b))


def test_a_field_left_out_of_repr_is_left_out_and_a_markup_is_not_a_string():
    assert view_text(Leaf("a", 1.0, "x")) == view_text(Leaf("a", 1.0, "y"))
    assert view_text(Leaf("a")) != view_text(Leaf("b"))
    assert view_text((Markup("<b>"),)) != view_text(("<b>",))
    assert view_text(("a", "b")) != view_text(("a\x1f'b",))
