"""Match stage: candidates by MinHash LSH, exact re-scoring, one-to-one assignment.

Scores are rarity-weighted Jaccard similarities per channel (a shingle both codebases
use everywhere weighs little), combined with fixed channel weights. Assignment breaks
ties by a stable hash of the pair, never by position: position-based tie-breaking
follows source order and would fake the order evidence measured afterwards.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy.optimize import linear_sum_assignment

from .filtration import Background
from .fingerprint import (CHANNELS, MINHASH_SCHEME, MINHASH_SEED, NAMES, NUM_PERM, Fingerprint, _permutations,
                          channels_minhash)
from .model import Span, Unit

CHANNEL_WEIGHTS = {"structure": 0.30, "identifiers": 0.25, "strings": 0.15, "numbers": 0.05,
                   "callees": 0.15, "comments": 0.10, "calls": 0.15}
# The fingerprint's channels, then call-graph agreement (derive/callgraph.py), which a
# pair has only once a first assignment anchors its neighbours.
SCORE_CHANNELS = (*CHANNELS, "calls")
VOCABULARY = tuple(channel for channel in CHANNELS if channel != "structure")  # LSH's second signature
LSH_THRESHOLD = 0.1
# Below this many unit pairs every pair is scored exactly: LSH, even with the vocabulary's
# own signature, misses pairs where one channel carries the evidence (a function whose port
# kept its strings and little else), and exact scoring of this many pairs takes seconds.
EXHAUSTIVE_PAIRS = 250_000
MIN_FUNCTION_NODES = 8  # smaller functions (`return x`) are not matched at all
# A suspect function smaller than this (a getter, a wrapper, a one-line substitution) is
# mapped to its counterpart but never weighed as evidence: such code is everyone's.
MIN_EVIDENCE_NODES = 15
SAME_FILE_BONUS = 0.05  # functions inside a matched file pair are likelier counterparts
# Units named alike (rarity-weighted: `max_satisfying` and `maxSatisfying` fully, a shared
# `get` hardly) are likelier counterparts: this much is added, times the names' similarity,
# when picking counterparts; scores and margins, the evidence, never include it.
NAME_BONUS = 0.05
# Two reference units this similar to each other are variants of one code (metrohash64_1,
# metrohash64_2, MetroHash64::Hash): a port of it cannot tell them apart, so neither is
# the other's rival. Independent code in one language rarely shares this much.
TWIN_SIMILARITY = 0.5


@dataclass(frozen=True)
class PairScore:
    score: float
    channels: dict[str, float]  # channel -> weighted Jaccard; absent when both sides are empty


@dataclass(frozen=True)
class UnitMatch:
    reference: Fingerprint
    suspect: Fingerprint
    score: float
    channels: dict[str, float]
    runner_up: float  # the suspect unit's best score against any other candidate
    candidates: int  # reference units the suspect unit was compared with
    # its best score against a candidate in another reference file: a function torn between
    # two functions of one file still says clearly which file it comes from
    runner_up_elsewhere: float

    @property
    def file_margin(self) -> float:
        return self.score - self.runner_up_elsewhere

    @property
    def margin(self) -> float:
        return self.score - self.runner_up


class RarityWeights:
    """Inverse document frequency per channel over the units of both codebases, scaled by
    the shingle's rarity in the background table when there is one."""

    def __init__(self, fingerprints: list[Fingerprint], background: Background | None = None):
        self.total = max(1, len(fingerprints))
        self.background = background
        self.df = {c: Counter() for c in (*CHANNELS, NAMES)}
        for fp in fingerprints:
            for channel in CHANNELS:
                self.df[channel].update(fp.channels[channel])
            self.df[NAMES].update(fp.name)
        self._weights: dict[tuple[str, str], float] = {}
        self._totals: dict[int, dict[str, float]] = {}

    def weight(self, channel: str, shingle: str) -> float:
        found = self._weights.get((channel, shingle))
        if found is None:
            found = math.log(1.0 + self.total / (1 + self.df[channel][shingle]))
            if self.background:
                found *= self.background.factor(channel, shingle)
            self._weights[(channel, shingle)] = found
        return found

    def totals(self, fp: Fingerprint) -> dict[str, float]:
        """Summed weight of each channel's shingles, computed once per unit."""
        found = self._totals.get(id(fp))
        if found is None:
            found = {c: math.fsum(self.weight(c, s) for s in fp.channels[c]) for c in CHANNELS}
            self._totals[id(fp)] = found
        return found


def score_pair(a: Fingerprint, b: Fingerprint, weights: RarityWeights) -> PairScore:
    per_channel: dict[str, float] = {}
    totals_a, totals_b = weights.totals(a), weights.totals(b)
    for channel in CHANNELS:
        left, right = a.channels[channel], b.channels[channel]
        if not left and not right:
            continue
        common = left & right
        shared = math.fsum(weights.weight(channel, s) for s in common)  # exact: order-free
        union = totals_a[channel] + totals_b[channel] - shared
        per_channel[channel] = min(1.0, shared / union) if union > 0 else 0.0
    return combine(per_channel)


def name_similarity(a: Fingerprint, b: Fingerprint, weights: RarityWeights) -> float:
    """Rarity-weighted Jaccard similarity of two units' own names."""
    total = math.fsum(weights.weight(NAMES, s) for s in a.name | b.name)  # exact: order-free
    shared = math.fsum(weights.weight(NAMES, s) for s in a.name & b.name)
    return shared / total if total > 0 else 0.0


def name_bonus(reference: list[Fingerprint], suspect: list[Fingerprint],
               pairs: set[tuple[int, int]], weights: RarityWeights) -> dict[tuple[int, int], float]:
    """The assignment bonus of each candidate pair whose units are named alike."""
    bonus = {}
    for i, j in sorted(pairs):
        similarity = name_similarity(reference[i], suspect[j], weights)
        if similarity > 0:
            bonus[(i, j)] = NAME_BONUS * similarity
    return bonus


def combine(per_channel: dict[str, float]) -> PairScore:
    """The weighted mean of the channels a pair has."""
    total = sum(CHANNEL_WEIGHTS[c] for c in per_channel)
    score = sum(CHANNEL_WEIGHTS[c] * v for c, v in per_channel.items()) / total if total else 0.0
    return PairScore(score, per_channel)


def _stable_jitter(a: str, b: str) -> float:
    digest = hashlib.sha1(f"{a}\x00{b}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 * 1e-9


def candidates(reference: list[Fingerprint], suspect: list[Fingerprint]) -> set[tuple[int, int]]:
    """(reference index, suspect index) pairs worth scoring: all of them for codebases
    small enough, else those whose signatures collide in some LSH band."""
    if len(reference) * len(suspect) <= EXHAUSTIVE_PAIRS:
        return {(i, j) for i in range(len(reference)) for j in range(len(suspect))}
    return lsh_candidates(reference, suspect)


def lsh_candidates(reference: list[Fingerprint], suspect: list[Fingerprint]) -> set[tuple[int, int]]:
    """(reference index, suspect index) pairs whose signatures collide in some LSH band, of
    the pooled signature or of the vocabulary's (every channel but structure). A port into
    another idiom keeps its names, literals and callees and little of its shape, and
    structure shingles, the most numerous, drown them in the pooled signature: compiled
    or translated functions whose vocabulary agrees by a third share a tenth of all shingles."""
    found: set[tuple[int, int]] = set()
    for sketch in (_sketch, _vocabulary_sketch):
        index = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
        for i, fp in enumerate(reference):
            if (signature := sketch(fp)) is not None:
                index.insert(i, signature)
        found |= {(i, j) for j, fp in enumerate(suspect)
                  if (signature := sketch(fp)) is not None for i in index.query(signature)}
    return found


def _sketch(fp: Fingerprint) -> MinHash:
    return MinHash(seed=MINHASH_SEED, scheme=MINHASH_SCHEME, hashvalues=fp.signature,
                   permutations=_permutations())


def _vocabulary_sketch(fp: Fingerprint) -> MinHash | None:
    """The MinHash of the unit's shingles outside structure; None without any (empty sets'
    sketches are all alike and would collide everywhere)."""
    if not any(fp.channels[channel] for channel in VOCABULARY):
        return None
    return channels_minhash(fp.channels, VOCABULARY)


def score_pairs(reference: list[Fingerprint], suspect: list[Fingerprint],
                pairs: set[tuple[int, int]], weights: RarityWeights) -> dict[tuple[int, int], PairScore]:
    """The score of each (reference index, suspect index) pair."""
    return {p: score_pair(reference[p[0]], suspect[p[1]], weights) for p in sorted(pairs)}


def assign(reference: list[Fingerprint], suspect: list[Fingerprint],
           content: dict[tuple[int, int], PairScore], weights: RarityWeights,
           bonus: dict[tuple[int, int], float] | None = None,
           calls: dict[tuple[int, int], float] | None = None) -> list[UnitMatch]:
    """One-to-one assignment maximising the total score over the scored candidate pairs
    (``score_pairs``); ``calls`` adds the call-graph agreement of the pairs that have one."""
    bonus, calls = bonus or {}, calls or {}
    scores = {p: combine({**pair.channels, "calls": calls[p]}) if p in calls else pair
              for p, pair in content.items()}
    if not scores:
        return []
    rows = sorted({j for _, j in scores})
    cols = sorted({i for i, _ in scores})
    row_of = {j: r for r, j in enumerate(rows)}
    col_of = {i: c for c, i in enumerate(cols)}
    matrix = np.zeros((len(rows), len(cols)))
    best: dict[int, list[tuple[int, float]]] = defaultdict(list)  # suspect -> (reference, score)
    for (i, j), pair in scores.items():
        value = pair.score + bonus.get((i, j), 0.0)
        matrix[row_of[j], col_of[i]] = value + _stable_jitter(reference[i].unit.key, suspect[j].unit.key)
        best[j].append((i, pair.score))
    chosen_rows, chosen_cols = linear_sum_assignment(matrix, maximize=True)
    chosen = [(cols[c], rows[r]) for r, c in zip(chosen_rows, chosen_cols)]
    # a reference unit that went to another suspect unit more similar to it is no rival:
    # a port of two near-twin functions (Hash64, Hash128) matches each to its own
    claimed = {i: scores[(i, j)].score for i, j in chosen if (i, j) in scores}
    matches = []
    for i, j in chosen:
        pair = scores.get((i, j))
        if pair is None or pair.score <= 0.0:
            continue
        rivals = sorted(((v, other) for other, v in best[j] if other != i and claimed.get(other, -1.0) < v),
                        reverse=True)
        runner_up = elsewhere = None
        for v, other in rivals:  # best first; a twin is no rival
            if shares_code(reference[i], reference[other]) or \
                    score_pair(reference[i], reference[other], weights).score >= TWIN_SIMILARITY:
                continue
            runner_up = v if runner_up is None else runner_up
            if reference[other].unit.path != reference[i].unit.path:
                elsewhere = v
                break
        matches.append(UnitMatch(reference[i], suspect[j], pair.score, pair.channels, runner_up or 0.0,
                                 len(best[j]), elsewhere or 0.0))
    return sorted(matches, key=lambda m: (m.suspect.unit.path, m.suspect.unit.span.start_line))


def leftover_files(matches: list[UnitMatch], reference: list[Fingerprint], suspect: list[Fingerprint],
                   content: dict[tuple[int, int], PairScore], weights: RarityWeights,
                   bonus: dict[tuple[int, int], float]) -> list[UnitMatch]:
    """Matches for the suspect files ``matches`` leave out, each to its closest reference
    file, taken or not: a port that split one reference file into several (or moved its
    tables to a file of their own) has more files than the reference, and each still comes
    from somewhere. A file sharing nothing with any candidate stays unmatched."""
    matched = {m.suspect.unit.path for m in matches}
    rows: dict[int, dict[tuple[int, int], PairScore]] = defaultdict(dict)
    for (i, j), pair in content.items():
        if suspect[j].unit.path not in matched:
            rows[j][(i, j)] = pair
    return [found for j in sorted(rows) for found in assign(reference, suspect, rows[j], weights, bonus)]


def shares_code(a: Fingerprint, b: Fingerprint) -> bool:
    """Whether one unit holds code of the other: a helper inside its function
    (units.helper_units), a composite and its function or callbacks
    (units.callback_composites). They are one candidate seen twice, not rivals."""
    if not {"helper", "composite"} & {a.unit.kind, b.unit.kind} or a.unit.path != b.unit.path:
        return False
    return any((x.start_byte <= y.start_byte and y.end_byte <= x.end_byte) or
               (y.start_byte <= x.start_byte and x.end_byte <= y.end_byte)
               for x in _code_spans(a.unit) for y in _code_spans(b.unit))


def _code_spans(unit: Unit) -> list[Span]:
    return [unit.span] + [callback.span for callback in unit.callbacks]


def file_votes(function_matches: list[UnitMatch]) -> Counter:
    """(reference path, suspect path) -> how much of the function evidence joins the two
    files: each function match counts its size x score x margin over other files. A function
    too small to weigh as evidence (a getter, a one-line `clone`) has no vote: its near-twins
    are everywhere, so its best match says nothing about its file."""
    votes: Counter = Counter()
    for m in weighed(function_matches):
        votes[(m.reference.unit.path, m.suspect.unit.path)] += _vote(m.suspect.size, m)
    return votes


def weighed(matches: list[UnitMatch]) -> list[UnitMatch]:
    """The function matches whose suspect unit is large enough to weigh as evidence."""
    return [m for m in matches if m.suspect.size >= MIN_EVIDENCE_NODES]


def _vote(size: int, match: UnitMatch) -> float:
    return size * match.score * max(match.file_margin, 0.0)


def refine_file_mapping(file_matches: list[UnitMatch], function_votes: Counter,
                        reference_files: list[Fingerprint], suspect_files: list[Fingerprint],
                        suspect_functions: list[Fingerprint], weights: RarityWeights) -> list[UnitMatch]:
    """Let the functions decide where a suspect file comes from.

    A port may split one reference file into several (or merge several into one); the
    one-to-one file assignment cannot express that. Each suspect file goes to the
    reference file that receives most of its distinct function matches (``function_votes``
    from ``file_votes``) when that clearly outweighs its one-to-one partner; a reference file may then
    serve several suspect files. The file's code outside functions (a word list, module
    set-up) votes for its one-to-one partner alike, with the file match's score and margin.
    """
    votes: dict[str, Counter] = defaultdict(Counter)
    for (ref_path, sus_path), vote in function_votes.items():
        votes[sus_path][ref_path] = vote
    in_functions = Counter()
    for fp in suspect_functions:
        in_functions[fp.unit.path] += fp.size
    for m in file_matches:
        outside = max(m.suspect.size - in_functions[m.suspect.unit.path], 0)
        votes[m.suspect.unit.path][m.reference.unit.path] += _vote(outside, m)
    by_path = {fp.unit.path: fp for fp in reference_files}
    assigned = {m.suspect.unit.path: m for m in file_matches}
    refined = []
    for sus_fp in suspect_files:
        current = assigned.get(sus_fp.unit.path)
        ranked = sorted(votes[sus_fp.unit.path].items(), key=lambda kv: (-kv[1], kv[0]))
        if not ranked or ranked[0][1] <= 0:
            if current:
                refined.append(current)
            continue
        best_path, best_vote = ranked[0]
        current_vote = votes[sus_fp.unit.path].get(current.reference.unit.path, 0.0) if current else 0.0
        if current and (best_path == current.reference.unit.path or best_vote <= 2 * current_vote):
            refined.append(current)
            continue
        pair = score_pair(by_path[best_path], sus_fp, weights)
        runner_up = min(current.score if current else 0.0, pair.score)
        refined.append(UnitMatch(by_path[best_path], sus_fp, pair.score, pair.channels, runner_up,
                                 len(ranked), runner_up))
    return sorted(refined, key=lambda m: m.suspect.unit.path)


def merged_sources(file_matches: list[UnitMatch], function_votes: Counter) -> dict[str, tuple[str, ...]]:
    """Suspect path -> the other reference files merged into it.

    A port may merge several reference files into one (ref10's one function per C file
    becomes one Java class); each suspect file still has one closest reference file, so
    the others are named here: a reference file is merged into the suspect file that
    receives most of its function evidence (``function_votes`` from ``file_votes``), when
    that file's own match is another.
    """
    destinations: dict[str, list[tuple[float, str]]] = defaultdict(list)
    for (ref_path, sus_path), vote in function_votes.items():
        if vote > 0:
            destinations[ref_path].append((-vote, sus_path))
    primary = {m.suspect.unit.path: m.reference.unit.path for m in file_matches}
    merged: dict[str, list[str]] = defaultdict(list)
    for ref_path, ranked in sorted(destinations.items()):
        sus_path = min(ranked)[1]
        if primary.get(sus_path) != ref_path:
            merged[sus_path].append(ref_path)
    return {sus_path: tuple(refs) for sus_path, refs in sorted(merged.items())}
