"""Calibrated confidence: p-values against a measured null distribution.

The null is measured, not assumed: ``benchmarks/calibrate.py`` runs derive on pairs known
not to be derived (independent implementations of the same functionality, unrelated
packages) and records, for every suspect function, the margin and channel scores of its
match.

- Channel evidence: each channel score is turned into its own null tail (the share of
  null units whose score in that channel reaches it), and a match's *evidence* is the sum
  of ``-ln`` of its channel tails. A channel that is rare under the null counts for much,
  whatever its fixed weight in the score: a renamed port keeps a rare structure, a port
  in another idiom keeps rare names. The channels are not independent, so the evidence is
  only a statistic; its own null distribution gives the p-value.
- Unit pair: a match is the more extreme the fewer null units reach both its evidence and
  its margin (its *depth*). Its p-value is the share of null units at most as deep (each
  null unit's depth counted among the others, with the +1 correction of an empirical
  test), so the test fires on the null as often as its level says. A unit match is
  *strong* when its p-value is at most ``alpha``.
- Many comparisons: Benjamini-Hochberg over all suspect units of the run gives q-values
  (the false-discovery rate at which a unit pair would be called significant).
- Repository: with ``rate`` the measured share of null units that pass the strong-match
  test, the chance of at least k strong units among n by accident is the binomial tail,
  and its 95% quantile is how many strong units chance alone may give (the score leaves
  that many out).
- Silent names: a suspect whose identifiers agree with the reference's almost nowhere
  (renamed, obfuscated, or simply unrelated) has low scores and margins everywhere, so
  the null of ordinary pairs, whose names agree a little, would hide its evidence. Every
  null pair is therefore also measured with its suspect's identifiers renamed, and such a
  suspect is judged against the null runs whose names are as silent (renamed pairs and
  naturally silent ones), at a stricter level (``verdict.SILENT_UNIT_ALPHA``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
from scipy.stats import binom

from .match import SCORE_CHANNELS

CALIBRATION_FORMAT = "derive-calibration/5"
COLUMNS = ("score", "margin", *SCORE_CHANNELS)
DECIMALS = 4  # the precision of the recorded null, applied to every value tested against it
P_VALUE_FLOOR = 1e-300
TIE = 1e-9  # evidence values this close are equal (vectorised logarithms may differ in the last bit)
RENAMED = "/renamed"  # a null run of a pair whose suspect identifiers were renamed
# Mean identifiers score over the weighed matches of the first (content-only) assignment
# at or below which names are silent: every renamed null run is below it, every known
# translation and every unlaundered independent pair with shared vocabulary (markdown,
# YAML, TOML parsers) above.
SILENT_NAMES_AGREEMENT = 0.01


@dataclass(frozen=True, eq=False)
class NullModel:
    channel_values: tuple[np.ndarray, ...]  # per channel: sorted scores of null units having it
    evidence: np.ndarray  # per null unit
    margins: np.ndarray  # per null unit
    depths: np.ndarray  # sorted: per null unit, how many other null units reach it
    alpha: float  # unit p-value at or below which a match is strong
    strong_rate: float  # share of null units passing the strong-match test
    pairs: tuple[str, ...]  # the null runs: pair ids, ``RENAMED``-suffixed when renamed
    benchmark: dict
    error_rates: dict | None

    @property
    def units(self) -> int:
        return len(self.margins)

    def channel_evidence(self, channels: dict[str, float]) -> float:
        """Sum over the match's channels of -ln(share of null units reaching its score)."""
        return float(_evidence(self.channel_values, _channel_rows([channels]))[0])

    def depth(self, channels: dict[str, float], margin: float) -> int:
        """How many null units reach both the evidence and the margin of a match."""
        evidence, margin = self.channel_evidence(channels), round(margin, DECIMALS)
        return int(np.count_nonzero((self.evidence >= evidence - TIE) & (self.margins >= margin)))

    def unit_p_value(self, channels: dict[str, float], margin: float) -> float:
        as_deep = int(np.searchsorted(self.depths, self.depth(channels, margin), side="right"))
        return (1 + as_deep) / (1 + self.units)

    def is_strong(self, channels: dict[str, float], margin: float) -> bool:
        return margin > 0 and self.unit_p_value(channels, margin) <= self.alpha

    @property
    def chance_rate(self) -> float:
        """The share of units passing the strong-match test by chance; never zero."""
        return max(self.strong_rate, 1.0 / (1 + self.units))

    def repository_p_value(self, strong: int, units: int) -> float:
        """P(at least ``strong`` of ``units`` suspect units pass by chance)."""
        if strong == 0:
            return 1.0
        # below the floor, floating point tells no chances apart
        return max(float(binom.sf(strong - 1, units, self.chance_rate)), P_VALUE_FLOOR)

    def matches_needed(self, units: int, alpha: float) -> int | None:
        """The fewest strong matches among ``units`` whose chance probability is at most
        ``alpha``; None when even all ``units`` would not be that unlikely."""
        counts = np.arange(1, units + 1)
        reaching = counts[binom.sf(counts - 1, units, self.chance_rate) <= alpha]
        return int(reaching[0]) if len(reaching) else None

    def chance_matches(self, units: int, level: float) -> int:
        """The most strong matches chance gives among ``units`` suspect units, at ``level``:
        the smallest q with P(more than q pass by chance) <= 1 - level."""
        return int(binom.ppf(level, units, self.chance_rate)) if units else 0


def _evidence(channel_values: tuple[np.ndarray, ...], scores: np.ndarray) -> np.ndarray:
    """Evidence of each row of ``scores`` (units x SCORE_CHANNELS, NaN where a unit lacks the
    channel): the sum of -ln of its channel tails under the null."""
    total = np.zeros(len(scores))
    for k, values in enumerate(channel_values):
        column = scores[:, k]
        present = ~np.isnan(column)
        reached = len(values) - np.searchsorted(values, np.round(column[present], DECIMALS), side="left")
        total[present] -= np.log((1 + reached) / (1 + len(values)))
    return total


def _channel_rows(channels: list[dict[str, float | None]]) -> np.ndarray:
    rows = [[np.nan if c.get(name) is None else c[name] for name in SCORE_CHANNELS] for c in channels]
    return np.array(rows, dtype=float).reshape(-1, len(SCORE_CHANNELS))


def describe_runs(runs) -> str:
    """The null runs in words: a renamed run is a second run of the same pair, so runs and
    pairs are counted apart ("71 runs of 40 pairs known not to be derived, 31 of the runs
    with every suspect identifier renamed")."""
    runs = [str(run) for run in runs]
    pairs = {run.removesuffix(RENAMED) for run in runs}
    renamed = sum(run.endswith(RENAMED) for run in runs)
    text = (f"{len(runs)} run{'s' if len(runs) != 1 else ''} of {len(pairs)} "
            f"pair{'s' if len(pairs) != 1 else ''} known not to be derived")
    if renamed:
        text += f", {renamed} of the runs with every suspect identifier renamed"
    return text


def null_model(pairs: dict[str, list[list[float | None]]], alpha: float, benchmark: dict,
               error_rates: dict | None = None, exclude: tuple[str, ...] = ()) -> NullModel:
    """The null model of the recorded units (rows laid out as ``COLUMNS``) of the pairs
    not in ``exclude``."""
    kept = {pid: units for pid, units in sorted(pairs.items()) if pid not in exclude}
    rows = [dict(zip(COLUMNS, unit)) for units in kept.values() for unit in units]
    scores = _channel_rows(rows)
    channel_values = tuple(np.sort(column[~np.isnan(column)]) for column in scores.T)
    evidence = _evidence(channel_values, scores)
    margins = np.array([r["margin"] for r in rows], dtype=float)
    # each null unit's depth among the other null units
    depths = ((evidence[None, :] >= evidence[:, None] - TIE)
              & (margins[None, :] >= margins[:, None])).sum(axis=1) - 1
    ordered = np.sort(depths)
    # how often the strong test fires on the null itself
    p_values = (1 + np.searchsorted(ordered, depths, side="right")) / (1 + len(rows))
    passing = (p_values <= alpha) & (margins > 0)
    return NullModel(channel_values, evidence, margins, ordered, alpha,
                     float(passing.mean()) if len(rows) else 1.0, tuple(kept), benchmark, error_rates)


_NUMBER_ROW = re.compile(r"\[\s*((?:-?[0-9.eE+-]+|null)(?:,\s*(?:-?[0-9.eE+-]+|null))*)\s*\]")


def dumps(data: dict) -> str:
    """The calibration file's text: one null unit per line, so it stays small and diffs well."""
    text = json.dumps(data, indent=1, sort_keys=True)
    return _NUMBER_ROW.sub(lambda m: "[" + ", ".join(re.split(r",\s*", m.group(1))) + "]", text) + "\n"


@cache
def _shipped() -> dict | None:
    path = resources.files("derive") / "data" / "calibration.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("format") != CALIBRATION_FORMAT:
        raise ValueError(f"calibration has format {data.get('format')!r}, expected {CALIBRATION_FORMAT}")
    return data


def names_agreement(identifier_scores: list[float]) -> float:
    """How much the suspect's names agree with the reference's: the mean identifiers score
    over the given matches (0 where a match has no identifiers)."""
    return sum(identifier_scores) / len(identifier_scores) if identifier_scores else 0.0


def names_silent(agreement: float) -> bool:
    return agreement <= SILENT_NAMES_AGREEMENT


@cache
def load_null(alpha: float, exclude: tuple[str, ...] = (), silent_names: bool = False) -> NullModel | None:
    """The shipped null model (``derive/data/calibration.json``): the runs of unlaundered
    pairs, or with ``silent_names`` the runs whose names are silent. ``exclude`` names pair
    ids and sides (``calibrate.py``'s side keys): a run of a named pair, or of a pair with a
    named side, is left out, renamed or not, so that code judged is never part of the null
    that judges it."""
    data = _shipped()
    if data is None:
        return None
    agreement, sides = data["names_agreement"], data["sides"]
    if silent_names:
        runs = {key: units for key, units in data["pairs"].items() if names_silent(agreement[key])}
    else:
        runs = {key: units for key, units in data["pairs"].items() if not key.endswith(RENAMED)}
    named = set(exclude)
    left_out = tuple(key for key in runs if key.removesuffix(RENAMED) in named or named & set(sides[key]))
    return null_model(runs, alpha, data["benchmark"], data.get("error_rates"), left_out)


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
