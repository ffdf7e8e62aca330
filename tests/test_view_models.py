"""Templates print what the view models decided (STYLE: "they loop and print, they don't compute")."""

import re
from dataclasses import FrozenInstanceError
from pathlib import Path

import pytest

from stratdocs.numbers import plural, plural_word
from stratdocs.render.views import ItemRef

TEMPLATES = Path(__file__).parent.parent / "themes" / "default" / "templates"
#: What a deciding template looks like: plurals, slicing, kind checks, picking facts by label.
DECISIONS = re.compile(r"[!=]= 1\b|\[:\d|\.kind (==|in|not in)|kind == |label ==|selectattr|rejectattr|"
                       r"\| length [+\-<>]")


def test_plural():
    assert plural(1, "KPI") == "1 KPI"
    assert plural(0, "finding") == "0 findings"
    assert plural(3, "accepted gap") == "3 accepted gaps"
    assert plural(2, "strategy", "strategies") == "2 strategies"
    assert plural_word(1, "is", "are") == "is" and plural_word(4, "is", "are") == "are"


@pytest.mark.parametrize("path", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: p.relative_to(TEMPLATES).as_posix())
def test_templates_decide_nothing(path):
    found = [line for line in path.read_text(encoding="utf-8").splitlines() if DECISIONS.search(line)]
    assert not found, f"{path.name} decides in the template: {found[0][:200]}"


def test_view_models_are_frozen():
    ref = ItemRef("SO1", "Grow", "objective", "Strategic objective", "objectives/SO1.html", "green")
    with pytest.raises(FrozenInstanceError):
        ref.title = "Shrink"
    assert ref.health_word == "Green"


def test_every_warning_has_a_place_in_the_board_packs_order():
    """The pack lists findings most serious first: a new warning code must be ranked (or counted
    among the editors' codes), or it sorts last unnoticed."""
    from stratdocs.findings import WARNING_CODES
    from stratdocs.render.views.board import EDITOR_CODES, SERIOUSNESS

    assert set(WARNING_CODES) - {"blocked-fetch"} <= set(SERIOUSNESS) | EDITOR_CODES
    assert len(SERIOUSNESS) == len(set(SERIOUSNESS))
