"""Call-graph agreement: a port keeps the original's decomposition into functions.

Where the original's ``encode`` calls ``_shuffle`` and ``_hash``, its port's ``encode``
calls the ports of those two, whatever anyone renamed. So after a first assignment by
content, a candidate pair (r, s) is scored by how many of r's callees and callers are
matched (by confident matches of that first assignment, the anchors) to callees and
callers of s. A unit's calls to itself are left out, so a pair never supports itself.
Calls are resolved by name inside each codebase, a call on another object
(``items.sort()``) only to methods; a name that more than ``MAX_DEFINITIONS`` units
define (``parse`` in every class) is left unresolved.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .fingerprint import Fingerprint
from .match import UnitMatch
from .tokens import canonical_name

MAX_DEFINITIONS = 2
# A first-pass match anchors its neighbours when it is confident on content alone (the
# fixed thresholds the verdict falls back to without a null model).
ANCHOR_SCORE = 0.30
ANCHOR_MARGIN = 0.05
# ... but once the suspect's names are silent (renamed), identifiers and callees score 0 and
# no match comes near ANCHOR_SCORE: there the margin alone says a match is clear. The null
# of silent names (calibration.py) is measured under the same rule.
SILENT_ANCHOR_SCORE = 0.0
_NAME_PARTS = re.compile(r"[^\w$]+")


@dataclass(frozen=True)
class CallGraph:
    callees: tuple[frozenset[int], ...]  # per unit: indices of the units it calls
    callers: tuple[frozenset[int], ...]  # per unit: indices of the units calling it


def _name_parts(fp: Fingerprint) -> list[str]:
    return [p for p in _NAME_PARTS.split(fp.unit.name or "") if p]


def defined_name(fp: Fingerprint) -> str:
    """The name calls use: the last part of a qualified name (``OTP.generate_otp``)."""
    parts = _name_parts(fp)
    return canonical_name(parts[-1]) if parts else ""


def call_graph(units: list[Fingerprint]) -> CallGraph:
    defined: dict[str, list[int]] = defaultdict(list)  # any unit, by name
    methods: dict[str, list[int]] = defaultdict(list)  # units qualified by a class or object
    for index, fp in enumerate(units):
        # a call to a function reaches the function, not its composite (units.callback_composites)
        if fp.unit.kind != "composite" and (name := defined_name(fp)):
            defined[name].append(index)
            if len(_name_parts(fp)) > 1:  # qualified by a class or object
                methods[name].append(index)
    callees = []
    for index, fp in enumerate(units):
        targets = set()
        for call in sorted(fp.calls):
            # `other.m()` can only be a method; `m()` and `self.m()` any unit of that name
            found = methods.get(call[1:], []) if call.startswith(".") else defined.get(call, [])
            if len(found) <= MAX_DEFINITIONS:
                targets.update(t for t in found if t != index)
        callees.append(frozenset(targets))
    callers: list[set[int]] = [set() for _ in units]
    for index, targets in enumerate(callees):
        for target in targets:
            callers[target].add(index)
    return CallGraph(tuple(callees), tuple(frozenset(c) for c in callers))


def anchors(matches: list[UnitMatch], reference: list[Fingerprint],
            suspect: list[Fingerprint], silent_names: bool = False) -> dict[int, int]:
    """Reference index -> suspect index of the confident matches."""
    floor = SILENT_ANCHOR_SCORE if silent_names else ANCHOR_SCORE
    ref_index = {id(fp): k for k, fp in enumerate(reference)}
    sus_index = {id(fp): k for k, fp in enumerate(suspect)}
    return {ref_index[id(m.reference)]: sus_index[id(m.suspect)] for m in matches
            if m.score >= floor and m.margin >= ANCHOR_MARGIN}


def agreement(pairs: set[tuple[int, int]], reference: CallGraph, suspect: CallGraph,
              anchors: dict[int, int]) -> dict[tuple[int, int], float]:
    """Per (reference index, suspect index) pair with an anchored neighbour on either
    side: of the anchored neighbours (the larger side's count), the share the anchors
    pair with a neighbour in the same direction on the other side. Without anchored
    neighbours the call graph says nothing either way."""
    anchored = set(anchors.values())
    found = {}
    for i, j in pairs:
        ref_out = [anchors[n] for n in reference.callees[i] if n in anchors]
        ref_in = [anchors[n] for n in reference.callers[i] if n in anchors]
        sus_count = sum(n in anchored for n in suspect.callees[j]) + \
            sum(n in anchored for n in suspect.callers[j])
        count = max(len(ref_out) + len(ref_in), sus_count)
        if count:
            hits = sum(m in suspect.callees[j] for m in ref_out) + sum(m in suspect.callers[j] for m in ref_in)
            found[(i, j)] = hits / count
    return found
