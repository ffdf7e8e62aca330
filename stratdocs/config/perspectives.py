"""`perspectives:` in `stratdocs.yml`: the names and order of the strategy map's bands (issue #11).

A hospital puts its patients on top and does not say "Customer":

    perspectives:
      patients: Patients and families
      quality: Safe, high-quality care
      people: Our staff
      finance: Sustainable finances

Each key is what objectives write in `perspective:`; each value is what readers see. The order
is the order of the strategy map's bands, the scorecard's groups and the home page's lists.
"""

from __future__ import annotations

import re
from types import MappingProxyType

from stratdocs.reader import ConfigReader
from stratdocs.yamlnodes import Mapping, Node

#: The balanced scorecard's four perspectives (Kaplan and Norton), used when the config names none.
DEFAULT_PERSPECTIVES = MappingProxyType({
    "financial": "Financial", "customer": "Customer", "internal": "Internal processes",
    "learning": "Learning & growth",
})
#: A perspective's key: lower-case letters, digits and hyphens, as objectives write it.
KEY_RE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
#: More bands than this do not fit a strategy map.
MAX_PERSPECTIVES = 8


def read_perspectives(r: ConfigReader, node: Node) -> MappingProxyType | None:
    """The configured perspectives (key -> label, in order), or None with a finding for each problem."""
    if not isinstance(node, Mapping) or not node.items:
        r.fail(node, "'perspectives' maps each perspective's key to its name, top band first, like "
                     "{patients: Patients, finance: Finances}")
        return None
    out: dict[str, str] = {}
    ok = True
    for key, (knode, value) in node.items.items():
        if not KEY_RE.match(str(key)):
            r.fail(knode, f"perspective key '{key}' must be lower-case letters, digits and hyphens "
                          "(what objectives write in 'perspective:'), like 'patients'")
            ok = False
            continue
        label = r.text(value, f"perspectives.{key}")
        if label is not None and not label.strip():
            r.fail(value, f"'perspectives.{key}' needs a name readers see, like 'Patients'")
        if not (label or "").strip():
            ok = False
            continue
        out[key] = label.strip()
    if len(out) > MAX_PERSPECTIVES:
        r.fail(node, f"'perspectives' names {len(out)} perspectives; a strategy map shows at most {MAX_PERSPECTIVES}")
        ok = False
    return MappingProxyType(out) if ok else None
