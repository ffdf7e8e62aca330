"""The config keys that say how a plan writes things in its own language: `statuses` (its own
lifecycle words), `terms` (its own names for kinds of items) and `csv` (the separator and
decimal mark of its data files)."""

from __future__ import annotations

from types import MappingProxyType

from stratdocs import lifecycle
from stratdocs.csvdata import CsvFormat
from stratdocs.reader import ConfigReader
from stratdocs.suggest import did_you_mean
from stratdocs.model import FOLDER_KINDS, KIND_LABELS
from stratdocs.yamlnodes import Mapping, Node, Sequence

#: What `csv.separator` may be, with the word the messages use for it.
SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
DECIMALS = (".", ",")


def statuses(r: ConfigReader, node: Node) -> MappingProxyType | None:
    """``statuses``: the plan's own status words, each mapped to a word stratdocs knows."""
    if not isinstance(node, Mapping):
        r.fail(node, "'statuses' maps your own status words to stratdocs' ones, like {eingestellt: dropped}")
        return None
    known = tuple(lifecycle.WORDS)
    own = {}
    for word, (knode, value) in node.items.items():
        target = r.text(value, f"statuses.{word}")
        if target is None:
            continue
        if lifecycle.fold(target) not in lifecycle.WORDS:
            r.fail(value, f"'statuses.{word}' is '{target}', which stratdocs does not know: map it to one of "
                          f"{', '.join(lifecycle.STATES)}{did_you_mean(target, known)}")
        elif lifecycle.fold(str(word)) in lifecycle.WORDS and lifecycle.fold(str(word)) != lifecycle.fold(target):
            r.fail(knode, f"'{word}' already means '{lifecycle.WORDS[lifecycle.fold(str(word))]}' to stratdocs; "
                          "it cannot be mapped to something else")
        else:
            own[lifecycle.fold(str(word))] = lifecycle.fold(target)
    return MappingProxyType(own)


def csv_format(r: ConfigReader, node: Node) -> CsvFormat | None:
    """``csv``: `{separator: ';', decimal: ','}` for data files saved the way a German or French
    spreadsheet saves them."""
    values = r.mapping(node, "csv", ("separator", "decimal"))
    if values is None:
        return None
    decimal = "."
    if "decimal" in values:
        text = r.text(values["decimal"], "csv.decimal")
        if text is not None and text not in DECIMALS:
            r.fail(values["decimal"], f"'csv.decimal' is '{text}'; use '.' or ','")
        elif text is not None:
            decimal = text
    separator = ";" if decimal == "," else ","  # as spreadsheets save them
    if "separator" in values:
        text = r.text(values["separator"], "csv.separator")
        text = "\t" if text in ("\\t", "tab") else text
        if text is not None and text not in SEPARATORS:
            r.fail(values["separator"], f"'csv.separator' is '{text}'; use one of: , ; | or tab")
            return None
        if text == decimal:
            r.fail(values["separator"], "'csv.separator' cannot be the decimal mark too; files with "
                                        "decimal commas separate their columns with ';'")
            return None
        if text is not None:
            separator = text
    return CsvFormat(separator, decimal)


def terms(r: ConfigReader, node: Node) -> MappingProxyType | None:
    """``terms``: the plan's own names for kinds, `{objective: [Handlungsfeld, Handlungsfelder]}`
    (singular and plural; one name serves as both)."""
    if not isinstance(node, Mapping):
        r.fail(node, "'terms' names kinds in your words, like {objective: [Handlungsfeld, Handlungsfelder]}")
        return None
    kinds = tuple(KIND_LABELS)
    out = {}
    for name, (knode, value) in node.items.items():
        kind = FOLDER_KINDS.get(str(name), str(name))
        if kind not in KIND_LABELS:
            r.fail(knode, f"'terms.{name}' is not a kind{did_you_mean(str(name), kinds)}; "
                          f"use one of: {', '.join(kinds)}")
            continue
        words = [r.text(item, f"terms.{name}") for item in value.items] if isinstance(value, Sequence) \
            else [r.text(value, f"terms.{name}")]
        if None in words:
            continue
        words = [w.strip() for w in words]
        if not 1 <= len(words) <= 2 or not all(words):
            r.fail(value, f"'terms.{name}' is a name, or [singular, plural], like [Handlungsfeld, Handlungsfelder]")
            continue
        out[kind] = (words[0], words[-1])
    return MappingProxyType(out)
