"""Call-graph agreement: calls resolved by name inside a codebase, scored through anchors."""

from __future__ import annotations

from derive import callgraph, match
from derive.fingerprint import fingerprint
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.units import extract_units

REFERENCE = """
class Codec:
    def encode(self, text):
        shuffled = self.shuffle(text)
        return self.pack(shuffled) + self.encode(text[1:])

    def shuffle(self, text):
        return text[::-1]

    def pack(self, text):
        return text.upper()

def parse(text):
    return text.split()

def parse(text, sep):
    return text.split(sep)

def parse(text, sep, limit):
    return text.split(sep, limit)

def tokens(text):
    return parse(text)
"""


def _units(code: str, path: str = "m.py"):
    parsed = normalize(parse(SourceFile(path, "python", code, "")))
    return [fingerprint(u) for u in extract_units(parsed) if u.kind == "function"]


def test_calls_resolve_by_name_but_not_to_itself_nor_to_a_name_many_units_define():
    units = _units(REFERENCE)
    names = [callgraph.defined_name(fp) for fp in units]
    assert names == ["encode", "shuffle", "pack", "parse", "parse", "parse", "tokens"]
    graph = callgraph.call_graph(units)
    assert graph.callees[0] == {1, 2}  # the recursive call to encode is left out
    assert graph.callers[1] == graph.callers[2] == {0}
    assert graph.callees[6] == frozenset()  # three units define `parse`: which one is unknown


def test_agreement_counts_neighbours_the_anchors_pair_in_the_same_direction():
    reference = callgraph.CallGraph(callees=(frozenset({1, 2}), frozenset(), frozenset()),
                                    callers=(frozenset(), frozenset({0}), frozenset({0})))
    suspect = callgraph.CallGraph(callees=(frozenset({1}), frozenset(), frozenset({1})),
                                  callers=(frozenset(), frozenset({0, 2}), frozenset()))
    pairs = {(i, j) for i in range(3) for j in range(3)}
    found = callgraph.agreement(pairs, reference, suspect, anchors={1: 1, 2: 2})
    assert found[(0, 0)] == 0.5  # callee 1 -> 1 is called by suspect 0; callee 2 -> 2 is not
    assert found[(0, 2)] == 0.5  # suspect 2 calls 1 too
    assert found[(1, 0)] == 0.0  # suspect 0 calls an anchor's image; reference 1 calls nothing
    # with no anchored neighbour on either side the call graph says nothing
    only = callgraph.agreement(pairs, reference, suspect, anchors={1: 1})
    assert (2, 1) not in only and only[(0, 0)] == 1.0
    assert callgraph.agreement(pairs, reference, suspect, anchors={}) == {}


def test_a_renamed_helper_is_matched_through_its_callers():
    reference = _units(REFERENCE)[:3]
    renamed = _units(REFERENCE.replace("shuffle", "v1").replace("pack", "v2"), "n.py")[:3]
    weights = match.RarityWeights(reference + renamed)
    graph_ref, graph_sus = callgraph.call_graph(reference), callgraph.call_graph(renamed)
    pairs = match.candidates(reference, renamed)
    found = callgraph.agreement(pairs, graph_ref, graph_sus, anchors={0: 0})
    assert found[(1, 1)] == found[(2, 2)] == 1.0  # both helpers are called by encode's counterpart
    matches = match.assign(reference, renamed, match.score_pairs(reference, renamed, pairs, weights), weights,
                           calls=found)
    assert {(m.reference.unit.name, m.suspect.unit.name) for m in matches} >= {
        ("Codec.shuffle", "Codec.v1"), ("Codec.pack", "Codec.v2")}
    assert all(m.channels.get("calls") == 1.0 for m in matches if m.suspect.unit.name != "Codec.encode")


def test_a_call_on_another_object_resolves_only_to_methods():
    units = _units("""
def sort(items):
    return sorted(items)

def newest(versions):
    versions.sort()
    return versions[-1]

def oldest(versions):
    return sort(versions)[0]

class Table:
    def order(self, rows):
        return self.pick(rows).order()

    def pick(self, rows):
        return rows[1:]
""")
    assert [fp.unit.name for fp in units] == ["sort", "newest", "oldest", "Table.order", "Table.pick"]
    graph = callgraph.call_graph(units)
    assert graph.callees[1] == frozenset()  # versions.sort() is the list's method, not `sort`
    assert graph.callees[2] == {0}
    assert graph.callees[3] == {4}  # self.pick(); `.order()` on the result would be a method, but not itself


def test_with_silent_names_a_clear_margin_anchors_without_a_confident_score():
    units = _units(REFERENCE)[:3]
    weak = match.UnitMatch(units[0], units[0], score=0.12, channels={}, runner_up=0.02, candidates=3,
                           runner_up_elsewhere=0.0)
    close = match.UnitMatch(units[1], units[1], score=0.12, channels={}, runner_up=0.10, candidates=3,
                            runner_up_elsewhere=0.0)
    confident = match.UnitMatch(units[2], units[2], score=0.45, channels={}, runner_up=0.1, candidates=3,
                                runner_up_elsewhere=0.0)
    matches = [weak, close, confident]
    # renaming leaves structure, literals and comments: no score comes near ANCHOR_SCORE
    assert callgraph.anchors(matches, units, units) == {2: 2}
    assert callgraph.anchors(matches, units, units, silent_names=True) == {0: 0, 2: 2}
