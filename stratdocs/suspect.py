"""Suspect links (SPEC §13, as Doorstop has them): when what an item serves or measures changes
its meaning, the item is suspect until its owner re-confirms the link with `stratdocs review`.

A *link* is a child's reference up to a parent: `supports`, `parent`, `measures`, `drives`
(and an operational objective's `kpis`, which makes the KPI the child). The parent's meaning is
its title, period, targets, thresholds and body, normalised (`meaning`) and hashed into an
8-hex-digit `fingerprint`. `stratdocs.lock` records, one line a link, the parent's fingerprint
when the child was last confirmed, with who confirmed it and when::

    SO1 <- I2: 3f9a1c2e  # reviewed 2026-12-01 by Jane Doe

Without a lock file nothing is suspect (a plan upgrading to this does not light up); the first
`stratdocs review --all` records the baseline. With one, a link whose parent's fingerprint
differs, or that has no line yet, is a `suspect` warning on the child. See docs/suspect.md.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

from stratdocs.errors import UsageError
from stratdocs.findings import Finding, warning
from stratdocs.model import Entity, Plan
from stratdocs.suggest import did_you_mean
from stratdocs.trace import TraceIndex

LOCK_FILE = "stratdocs.lock"
#: A lock larger than this is not read (it holds one short line a link).
MAX_LOCK_BYTES = 8 * 1024 * 1024
#: Reference keys that make a link, and how a message says what the child does to the parent.
LINK_KEYS = {"supports": "supports", "parent": "is a sub-objective of", "measures": "measures",
             "drives": "drives", "kpis": "measures"}
#: `stratdocs review` names each link it re-confirmed, up to this many.
MAX_LISTED = 20
HEADER = ("# Links re-confirmed after a change to what they serve: written by `stratdocs review`, read by\n"
          "# `stratdocs check`. One line a link: PARENT <- CHILD: PARENT's fingerprint when CHILD was confirmed.\n")
_ID = r"[A-Za-z0-9][A-Za-z0-9._-]*"
_LINE = re.compile(rf"^(?P<parent>{_ID}) <- (?P<child>{_ID}): (?P<fp>[0-9a-f]{{8,12}})"
                   r"(?:\s+#\s*reviewed(?: (?P<on>\d{4}-\d{2}-\d{2}))?(?: by (?P<by>.*?))?)?\s*$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the lock: `child` was confirmed against `parent` when it had `fingerprint`."""

    parent: str
    child: str
    fingerprint: str
    on: str = ""       #: the day of the review, YYYY-MM-DD
    by: str = ""       #: who re-confirmed it
    line: int = 0      #: its line in the lock file (0: not written yet)

    def text(self) -> str:
        note = self.on + (f" by {self.by}" if self.by else "")
        return f"{self.parent} <- {self.child}: {self.fingerprint}" + (f"  # reviewed {note}" if note else "")


#: The lock's entries by (parent, child), ids folded to lower case; None when there is no lock.
Lock = Mapping[tuple[str, str], Entry]


@dataclass(frozen=True, slots=True)
class Link:
    """A child's link up to a parent, and where it is written."""

    parent: Entity
    child: Entity
    key: str
    file: str
    line: int
    col: int

    @property
    def pair(self) -> tuple[str, str]:
        return self.parent.id.lower(), self.child.id.lower()


def _words(text: str) -> str:
    """Text with every run of white space made one space: reflowing a paragraph keeps its meaning."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def _number(value: float) -> str:
    return format(float(value), ".12g")


def meaning(entity: Entity) -> dict:
    """What a parent means, normalised: title, period, targets, thresholds and body.

    :param entity: the parent item.
    """
    period = entity.attrs.get("period")
    span = [period.start.isoformat(), period.end.isoformat()] if period is not None else None
    if span is None and (entity.attrs.get("start") or entity.attrs.get("end")):  # an initiative's period
        span = [str(entity.attrs.get("start") or ""), str(entity.attrs.get("end") or "")]
    kpi = entity.kpi
    targets = [[p.date.isoformat(), _number(p.value)] for p in kpi.targets] if kpi is not None else []
    thresholds = None
    if kpi is not None and kpi.thresholds is not None:
        thresholds = [[_number(v) for v in (band if isinstance(band, tuple) else (band,))]
                      for band in (kpi.thresholds.green, kpi.thresholds.amber)]
    return {"title": _words(entity.title), "period": span, "targets": targets, "thresholds": thresholds,
            "body": _words(entity.body)}


def fingerprint(entity: Entity) -> str:
    """8 hex digits of SHA-256 over `meaning` as canonical JSON: the same on every Python and run.

    :param entity: the parent item.
    """
    canonical = json.dumps(meaning(entity), sort_keys=True, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()[:8]


def links(index: TraceIndex) -> list[Link]:
    """Every link of the plan that traceability uses, once per (parent, child), in plan order.

    Nested items that inherit their operation's `supports` have no link of their own: the
    operation's stands for them.
    """
    plan, out, seen = index.plan, [], set()
    for entity in plan:
        container = plan.entities.get(entity.container) if entity.container else None
        inherited = set(container.refs) if container is not None else set()
        for ref in entity.refs:
            if ref.key not in LINK_KEYS or ref in inherited:
                continue
            target = plan.get(ref.target)
            if target is None:
                continue
            if ref.key == "kpis":  # the KPI measures the operational objective that lists it
                parent, child, file, line, col = entity, target, target.file, *target.at("id")
            else:
                parent, child, file, line, col = target, entity, entity.file, ref.line, ref.col
            key = "measures" if ref.key == "kpis" else ref.key
            if not any(e.key == key and e.other == parent.id for e in index.up.get(child.id, ())):
                continue  # a wrong kind, or the link that closed a cycle: reported as errors
            link = Link(parent, child, ref.key, file, line, col)
            if link.pair not in seen:
                seen.add(link.pair)
                out.append(link)
    return out


def read_lock(root: Path) -> tuple[Lock | None, list[Finding]]:
    """The entries of `stratdocs.lock` under the project folder `root` (None when there is none,
    or it cannot be read: one warning then), and a warning for every line that cannot be read
    (its link then counts as never reviewed).

    :param root: the project folder.
    """
    path = root / LOCK_FILE
    if not path.is_file() and not path.is_symlink():
        return None, []
    try:
        if root.resolve() not in path.resolve().parents:
            raise OSError("it is a link that leaves the project")
        with open(path, "rb") as handle:
            raw = handle.read(MAX_LOCK_BYTES + 1)
        if len(raw) > MAX_LOCK_BYTES:
            raise OSError(f"it is over {MAX_LOCK_BYTES // 1024 // 1024} MB")
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [warning(LOCK_FILE, 1, 1, "suspect", f"cannot read {LOCK_FILE}: {getattr(exc, 'strerror', None) or exc}"
                              "; no link is checked until it is a plain file again")]
    entries: dict[tuple[str, str], Entry] = {}
    findings = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _LINE.match(line.strip())
        if match is None:
            findings.append(warning(LOCK_FILE, number, 1, "suspect", "cannot read this line; expected "
                                    "'PARENT <- CHILD: fingerprint  # reviewed DATE by NAME' (stratdocs review writes it)"))
            continue
        entry = Entry(match["parent"], match["child"], match["fp"], match["on"] or "", match["by"] or "", number)
        entries[(entry.parent.lower(), entry.child.lower())] = entry
    return entries, findings


def check(index: TraceIndex, lock: Lock | None, enabled: Callable[[str], bool]) -> list[Finding]:
    """A `suspect` warning for every link whose parent changed since it was reviewed, or that
    was never reviewed; none without a lock. Waivers are applied by the caller.

    :param index: the trace index.
    :param lock: the lock's entries (`read_lock`), or None.
    :param enabled: whether a warning code is switched on.
    """
    if lock is None or not enabled("suspect"):
        return []
    findings, prints = [], {}
    for link in links(index):
        parent, child = link.parent, link.child
        now = prints.setdefault(parent.id, fingerprint(parent))
        entry = lock.get(link.pair)
        if entry is not None and entry.fingerprint == now:
            continue
        what = f"'{parent.id}', which it {LINK_KEYS[link.key]},"
        if entry is None:
            reason = f"{what} has no review of this link in {LOCK_FILE}"
        else:
            when = " on " + entry.on if entry.on else ""
            who = " by " + entry.by if entry.by else ""
            reason = f"{what} changed since the link was reviewed{when}{who}"
        findings.append(warning(link.file, link.line, link.col, "suspect",
                                f"{child.noun} '{child.id}' is suspect: {reason}; check it still holds, then run "
                                f"'stratdocs review {child.id}'", child.id))
    return findings


@dataclass(frozen=True)
class Review:
    """What `review` decided: the lock's new text and the lines it wrote or dropped."""

    text: str
    written: tuple[Entry, ...]   #: links re-confirmed (new or changed lines)
    dropped: tuple[Entry, ...]   #: lines of links that no longer exist
    current: tuple[str, ...]     #: ids named whose links were all already current

    def report(self) -> list[str]:
        """What `stratdocs review` says, one line each."""
        lines = [f"Re-confirmed {e.child} against {e.parent} ({e.fingerprint})" for e in self.written] \
            if len(self.written) <= MAX_LISTED else []  # a first baseline: the lock lists them
        lines += [f"Dropped {e.parent} <- {e.child}: that link no longer exists" for e in self.dropped]
        lines += [f"{i}: nothing to re-confirm, its links are current" for i in self.current]
        count = len(self.written)
        return lines + [f"{count} link{'' if count == 1 else 's'} re-confirmed in {LOCK_FILE}"]


def _chosen(plan: Plan, ids: tuple[str, ...], everything: bool) -> set[str]:
    """The ids whose links to review: the named items (an operation with its nested items)."""
    if everything:
        return set(plan.entities)
    chosen: set[str] = set()
    for name in ids:
        entity = plan.get(name)
        if entity is None:
            raise UsageError(f"no item '{name}' in the plan{did_you_mean(name, list(plan.entities))}")
        chosen.add(entity.id)
        chosen.update(entity.children)
    return chosen


def review(index: TraceIndex, lock: Lock | None, ids: tuple[str, ...], everything: bool, by: str,
           on: str) -> Review:
    """Re-confirm the links of the items `ids` (all with `everything`): each line whose parent
    changed, or that is missing, is written anew; current lines stay as they are, so the lock's
    diff shows exactly what was re-confirmed.

    :param index: the trace index of a plan without errors.
    :param lock: the entries of the current lock, or None.
    :param ids: the items whose links to re-confirm.
    :param everything: re-confirm every link (the first baseline).
    :param by: who re-confirms.
    :param on: the day, YYYY-MM-DD.
    """
    chosen = _chosen(index.plan, ids, everything)
    old = dict(lock or {})
    new: dict[tuple[str, str], Entry] = {}
    written, touched = [], set()
    for link in links(index):
        entry = old.get(link.pair)
        now = fingerprint(link.parent)
        if link.child.id in chosen and (entry is None or entry.fingerprint != now):
            entry = Entry(link.parent.id, link.child.id, now, on, by.replace("\n", " ").strip())
            written.append(entry)
            touched.add(link.child.id)
        if entry is not None:
            new[link.pair] = entry
    dropped = tuple(e for pair, e in old.items() if pair not in new)
    current = tuple(dict.fromkeys(i for i in (index.plan.get(n).id for n in ids) if i not in touched))
    lines = [new[pair].text() for pair in sorted(new)]
    return Review(HEADER + "".join(line + "\n" for line in lines), tuple(written), dropped, current)


def write_lock(root: Path, text: str) -> Path:
    """Write the lock under the project folder `root` in one step (a temporary sibling renamed).

    :param root: the project folder.
    :param text: the lock's text (`Review.text`).
    """
    path = root / LOCK_FILE
    if path.is_symlink():
        raise UsageError(f"{LOCK_FILE} is a symbolic link; replace it with a plain file")
    temporary = path.with_name(f".{LOCK_FILE}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, path)
    return path



def confirm(index: TraceIndex, root: Path, ids: tuple[str, ...], everything: bool, by: str, on: str) -> Review:
    """`stratdocs review`: re-confirm the links of `ids` (every link with `everything`) and write
    `stratdocs.lock` under `root` when anything changed (or it did not exist yet).

    :param index: the trace index of a plan without errors.
    :param root: the project folder.
    :param ids: the items whose links to re-confirm.
    :param everything: re-confirm every link.
    :param by: who re-confirms ('' is refused: the lock says who confirmed what).
    :param on: the day, YYYY-MM-DD.
    """
    if not ids and not everything:
        raise UsageError("name the items to re-confirm (stratdocs review K1 I2), or use --all")
    if not by.strip():
        raise UsageError("say who re-confirms with --by NAME (git has no user.name here)")
    lock, _ = read_lock(root)
    if lock is None and not everything:  # else every other link would have no line, and warn
        raise UsageError(f"there is no readable {LOCK_FILE} yet: record the baseline first with "
                         "'stratdocs review --all'")
    done = review(index, lock, ids, everything, by, on)
    if done.written or done.dropped or lock is None:
        write_lock(root, done.text)
    return done
