"""Evidence stage: what a matched pair shares, and which lines align with which.

Line alignment is a longest-common-subsequence over lines, where two lines align when
their rare tokens (names, literals, callees) mostly agree: a port keeps statements in
order even when every keyword and bracket changes.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fingerprint import CHANNELS, Fingerprint, leaf_features, own_nodes
from .match import RarityWeights, UnitMatch

SHARED_LIMIT = 25  # shared shingles listed per channel, rarest first
MAX_ALIGN_LINES = 800  # longer units are not aligned line by line (quadratic)
LINE_MATCH = 0.5  # weighted Jaccard of two lines' tokens for them to align
FRAGMENT_GAP = 2  # aligned lines this close merge into one fragment


@dataclass(frozen=True)
class Fragment:
    reference: tuple[int, int]  # first and last line, inclusive
    suspect: tuple[int, int]
    lines: int  # aligned line pairs inside the fragment


def shared_features(match: UnitMatch, weights: RarityWeights) -> dict[str, list[str]]:
    """Per channel, the shingles both units contain, rarest first (structure: count only)."""
    shared = {}
    for channel in CHANNELS:
        if channel == "structure":
            continue
        common = match.reference.channels[channel] & match.suspect.channels[channel]
        if channel == "identifiers":  # whole names read better than their subtokens
            common = {s for s in common if s.startswith("w:")}
        ranked = sorted(common, key=lambda s: (-weights.weight(channel, s), s))
        shared[channel] = [s.removeprefix("w:") for s in ranked[:SHARED_LIMIT]]
    return shared


def line_tokens(fp: Fingerprint) -> dict[int, set[str]]:
    """Line number -> tokens on it that survive translation."""
    lines: dict[int, set[str]] = {}
    for node in own_nodes(fp.unit):
        for channel, shingle in leaf_features(node):
            if channel == "identifiers" and not shingle.startswith("w:"):
                continue
            lines.setdefault(node.span.start_line, set()).add(f"{channel}:{shingle}")
    return lines


def _line_weight(token: str, weights: RarityWeights) -> float:
    channel, _, shingle = token.partition(":")
    return weights.weight(channel, shingle)


def align(match: UnitMatch, weights: RarityWeights) -> list[Fragment]:
    ref_lines, sus_lines = line_tokens(match.reference), line_tokens(match.suspect)
    ref_keys, sus_keys = sorted(ref_lines), sorted(sus_lines)
    if not ref_keys or not sus_keys or len(ref_keys) * len(sus_keys) > MAX_ALIGN_LINES ** 2:
        return []

    def similar(a: set[str], b: set[str]) -> bool:
        shared = sum(_line_weight(t, weights) for t in a & b)
        return shared > 0 and shared / sum(_line_weight(t, weights) for t in a | b) >= LINE_MATCH

    n, m = len(ref_keys), len(sus_keys)
    table = [[0] * (m + 1) for _ in range(n + 1)]
    for a in range(n - 1, -1, -1):
        row, below = table[a], table[a + 1]
        tokens = ref_lines[ref_keys[a]]
        for b in range(m - 1, -1, -1):
            if tokens & sus_lines[sus_keys[b]] and similar(tokens, sus_lines[sus_keys[b]]):
                row[b] = below[b + 1] + 1
            else:
                row[b] = max(below[b], row[b + 1])
    pairs, a, b = [], 0, 0
    while a < n and b < m:
        if table[a][b] == table[a + 1][b + 1] + 1 and similar(ref_lines[ref_keys[a]], sus_lines[sus_keys[b]]):
            pairs.append((ref_keys[a], sus_keys[b]))
            a, b = a + 1, b + 1
        elif table[a + 1][b] >= table[a][b + 1]:
            a += 1
        else:
            b += 1
    return _merge(pairs)


def _merge(pairs: list[tuple[int, int]]) -> list[Fragment]:
    fragments: list[list[int]] = []  # [ref_start, ref_end, sus_start, sus_end, count]
    for r, s in pairs:
        last = fragments[-1] if fragments else None
        if last and r - last[1] <= FRAGMENT_GAP + 1 and s - last[3] <= FRAGMENT_GAP + 1:
            last[1], last[3], last[4] = r, s, last[4] + 1
        else:
            fragments.append([r, r, s, s, 1])
    return [Fragment((f[0], f[1]), (f[2], f[3]), f[4]) for f in fragments]
