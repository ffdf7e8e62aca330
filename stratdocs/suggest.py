"""One "did you mean" for every message that names a word the user probably mistyped."""

from __future__ import annotations

import difflib
from typing import Iterable


def did_you_mean(word: str, options: Iterable[str], *, ignore_case: bool = False) -> str:
    """``; did you mean 'x'?`` for the closest option, or '' when none is close enough."""
    options = list(options)
    if ignore_case:
        lowered = {o.lower(): o for o in options}
        close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
        return f"; did you mean '{lowered[close[0]]}'?" if close else ""
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
