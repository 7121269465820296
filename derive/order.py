"""How well matched units keep their order: Kendall's S against a permutation null.

A port keeps the reference's function order inside each file; an independent
implementation does not. Pooled over matched file pairs, S = concordant - discordant
has mean 0 and variance n(n-1)(2n+5)/18 per file when the order is random.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from .match import UnitMatch


@dataclass(frozen=True)
class OrderStatistic:
    pairs_tested: int  # matched function pairs inside matched file pairs
    files_tested: int
    concordance: float  # share of concordant pairs among ordered pairs (0.5 = chance)
    z: float
    p_value: float  # one-sided: order at least this well kept by chance


def order_statistic(function_matches: list[UnitMatch], file_pairs: set[tuple[str, str]]) -> OrderStatistic:
    groups: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for match in function_matches:
        key = (match.reference.unit.path, match.suspect.unit.path)
        if key in file_pairs:
            groups[key].append((match.reference.unit.span.start_line, match.suspect.unit.span.start_line))
    s_total, variance, concordant, ordered, tested, files = 0, 0.0, 0, 0, 0, 0
    for rows in groups.values():
        n = len(rows)
        if n < 3:
            continue
        files += 1
        tested += n
        rows.sort()
        for a in range(n):
            for b in range(a + 1, n):
                if rows[a][0] == rows[b][0] or rows[a][1] == rows[b][1]:
                    continue
                sign = 1 if rows[b][1] > rows[a][1] else -1
                s_total += sign
                concordant += sign > 0
                ordered += 1
        variance += n * (n - 1) * (2 * n + 5) / 18
    if variance == 0:
        return OrderStatistic(tested, files, 0.5, 0.0, 1.0)
    z = s_total / math.sqrt(variance)
    return OrderStatistic(tested, files, concordant / ordered if ordered else 0.5, z,
                          0.5 * math.erfc(z / math.sqrt(2)))
