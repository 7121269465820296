"""Calibrated confidence: p-values against a measured null distribution.

The null is measured, not assumed: ``benchmarks/calibrate.py`` runs derive on pairs known
not to be derived (independent implementations of the same functionality, unrelated
packages) and records, for every suspect function, the score and margin of its match.

- Unit pair: the empirical p-value of (score, margin) is the share of null units that
  reach both values (with the +1 correction of an empirical test). A unit match is
  *strong* when its p-value is at most ``alpha``.
- Many comparisons: Benjamini-Hochberg over all suspect units of the run gives q-values
  (the false-discovery rate at which a unit pair would be called significant).
- Repository: with ``rate`` the measured share of null units that pass the strong-match
  test, the chance of at least k strong units among n by accident is the binomial tail.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from scipy.stats import binom

CALIBRATION_FORMAT = "derive-calibration/1"


@dataclass(frozen=True)
class NullModel:
    scores: np.ndarray
    margins: np.ndarray
    alpha: float  # unit p-value at or below which a match is strong
    strong_rate: float  # share of null units passing the strong-match test
    pairs: tuple[str, ...]
    benchmark: dict
    error_rates: dict | None

    @property
    def units(self) -> int:
        return len(self.scores)

    def unit_p_value(self, score: float, margin: float) -> float:
        reached = int(np.count_nonzero((self.scores >= score) & (self.margins >= margin)))
        return (1 + reached) / (1 + self.units)

    def is_strong(self, score: float, margin: float) -> bool:
        return margin > 0 and self.unit_p_value(score, margin) <= self.alpha

    def repository_p_value(self, strong: int, units: int) -> float:
        """P(at least ``strong`` of ``units`` suspect units pass by chance)."""
        if strong == 0:
            return 1.0
        rate = max(self.strong_rate, 1.0 / (1 + self.units))  # never claim a zero rate
        return float(binom.sf(strong - 1, units, rate))


def null_model(pairs: dict[str, list[list[float]]], alpha: float, benchmark: dict,
               error_rates: dict | None = None, exclude: tuple[str, ...] = ()) -> NullModel:
    kept = {pid: units for pid, units in sorted(pairs.items()) if pid not in exclude}
    rows = np.array([unit for units in kept.values() for unit in units], dtype=float).reshape(-1, 2)
    scores, margins = rows[:, 0].copy(), rows[:, 1].copy()
    model = NullModel(scores, margins, alpha, 1.0, tuple(kept), benchmark, error_rates)
    if len(rows):
        # how often the strong test fires on the null itself: each unit against all units
        reached = ((scores[None, :] >= scores[:, None]) & (margins[None, :] >= margins[:, None])).sum(axis=1)
        passing = ((reached + 1) / (len(rows) + 1) <= alpha) & (margins > 0)
        model = NullModel(scores, margins, alpha, float(passing.mean()), tuple(kept), benchmark,
                          error_rates)
    return model


@cache
def _shipped() -> dict | None:
    path = resources.files("derive") / "data" / "calibration.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != CALIBRATION_FORMAT:
        raise ValueError(f"calibration has format {data.get('format')!r}, expected {CALIBRATION_FORMAT}")
    return data


@cache
def load_null(alpha: float, exclude: tuple[str, ...] = ()) -> NullModel | None:
    """The shipped null model (``derive/data/calibration.json``), minus ``exclude``d pairs."""
    data = _shipped()
    if data is None:
        return None
    return null_model(data["pairs"], alpha, data["benchmark"], data.get("error_rates"), exclude)


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """q-values: the smallest false-discovery rate at which each test is significant."""
    n = len(p_values)
    if n == 0:
        return []
    order = np.argsort(p_values, kind="stable")
    ranked = np.asarray(p_values, dtype=float)[order] * n / np.arange(1, n + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty(n)
    q[order] = np.minimum(adjusted, 1.0)
    return [float(v) for v in q]
