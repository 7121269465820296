"""p-values against a measured null, and the correction for many comparisons."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from derive.calibration import (P_VALUE_FLOOR, RENAMED, SILENT_NAMES_AGREEMENT, benjamini_hochberg, describe_runs, dumps,
                                _shipped, load_null, names_agreement, null_model)


def _row(structure: float, margin: float, identifiers: float | None = None) -> list:
    """A recorded null unit (COLUMNS): score, margin, then the channels."""
    return [structure, margin, structure, identifiers, None, None, None, None]


NULL = {"N1": [_row(0.05, 0.0), _row(0.1, 0.02), _row(0.35, 0.06)], "N2": [_row(0.0, 0.0), _row(0.2, 0.1)]}


def test_unit_p_value_ranks_the_depth_among_null_units():
    model = null_model(NULL, 0.5, {"name": "t"})
    # one channel: evidence ranks units as their structure score does. Depth = other null
    # units reaching both values: .05/0 -> 3, .1/.02 -> 2, .35/.06 -> 0, 0/0 -> 4, .2/.1 -> 0
    assert list(model.depths) == [0, 0, 2, 3, 4]
    # p = (1 + null units at most as deep) / (1 + 5); .35/.06 and .2/.1 pass at 0.5
    assert model.units == 5 and model.strong_rate == pytest.approx(2 / 5)
    assert model.unit_p_value({"structure": 0.9}, 0.5) == pytest.approx(3 / 6)  # beyond all: depth 0
    assert model.unit_p_value({"structure": 0.1}, 0.0) == pytest.approx(5 / 6)  # depth 3
    assert model.unit_p_value({"structure": 0.0}, 0.0) == pytest.approx(1.0)  # depth 5


def test_channel_evidence_adds_the_channels_null_tails():
    null = {"N": [_row(0.1 * k, 0.0, identifiers=0.1 * (9 - k)) for k in range(10)]}
    model = null_model(null, 0.05, {"name": "t"})
    # a score beyond every null unit has tail 1/11 in its channel
    assert model.channel_evidence({"structure": 1.0}) == pytest.approx(math.log(11))
    assert model.channel_evidence({"structure": 1.0, "identifiers": 1.0}) == pytest.approx(2 * math.log(11))
    assert model.channel_evidence({"structure": 1.0, "strings": 1.0}) == pytest.approx(math.log(11))  # no null
    assert model.channel_evidence({"structure": 0.0}) == 0.0  # every null unit reaches 0
    # null units high in one channel are low in the other: high in both is rarer than either
    both = model.unit_p_value({"structure": 0.75, "identifiers": 0.75}, 0.0)
    one = model.unit_p_value({"structure": 0.75, "identifiers": 0.0}, 0.0)
    assert both < one


def test_leaving_a_pair_out_of_the_null():
    model = null_model(NULL, 0.5, {"name": "t"}, exclude=("N1",))
    assert model.pairs == ("N2",) and model.units == 2 and model.strong_rate == 0


def test_repository_p_value_is_a_binomial_tail():
    model = null_model(NULL, 0.5, {"name": "t"})
    assert model.repository_p_value(0, 10) == 1.0
    assert model.repository_p_value(1, 1) == pytest.approx(0.4)  # the strong rate
    assert model.repository_p_value(5, 10) < model.repository_p_value(2, 10)


def test_benjamini_hochberg_matches_hand_computation():
    # p * n / rank over sorted p (0.01, 0.03, 0.04, 0.5) = 0.04, 0.06, 0.0533, 0.5; then the
    # running minimum from the largest rank down, mapped back to the input order
    q = benjamini_hochberg([0.01, 0.04, 0.03, 0.5])
    assert q == pytest.approx([0.04, 0.16 / 3, 0.16 / 3, 0.5])


def test_shipped_null_is_measured_on_negative_pairs():
    model = load_null(0.005)
    assert model is not None and model.units > 1000
    assert all(p.startswith(("N", "U", "X:")) for p in model.pairs)
    assert model.strong_rate <= 0.005  # the test fires on the null at most as often as its level


def test_silent_names_are_judged_against_the_null_runs_whose_names_are_as_silent():
    named, silent = load_null(0.02), load_null(0.01, (), True)
    assert not any(p.endswith(RENAMED) for p in named.pairs)
    assert any(p.endswith(RENAMED) for p in silent.pairs) and any(not p.endswith(RENAMED) for p in silent.pairs)
    assert set(named.pairs) - set(silent.pairs)  # pairs whose names agree stay out of it
    assert silent.alpha == 0.01 and silent.strong_rate <= 0.01
    pair_id = next(p for p in silent.pairs if not p.endswith(RENAMED))
    left_out = load_null(0.01, (pair_id,), True).pairs
    assert pair_id not in left_out and pair_id + RENAMED not in left_out  # both runs of a pair leave


def test_a_side_left_out_takes_every_null_run_of_its_code_with_it():
    sides = _shipped()["sides"]
    counts = Counter(side for key in sides for side in set(sides[key]))
    side = max(sorted(counts), key=counts.get)  # a package in several null runs
    with_it = [key for key in load_null(0.02).pairs if side in sides[key]]
    assert len(with_it) > 1
    kept = load_null(0.02, (side,)).pairs
    assert not set(with_it) & set(kept) and set(kept) == set(load_null(0.02).pairs) - set(with_it)
    assert not any(side in sides[key] for key in load_null(0.01, (side,), True).pairs)


def test_names_agreement_is_the_mean_identifiers_score():
    assert names_agreement([]) == 0.0
    assert names_agreement([0.0, 0.03]) == pytest.approx(0.015)
    assert names_agreement([0.0, 0.03]) > SILENT_NAMES_AGREEMENT >= names_agreement([0.0, 0.0, 0.01])


def test_calibration_text_has_one_null_unit_per_line_and_round_trips():
    data = {"format": 2, "columns": ["score", "margin"],
            "pairs": {"N1": [[0.5, -0.25, None], [1e-05, 0.0, 3]], "N2": []}}
    text = dumps(data)
    assert json.loads(text) == data
    assert "   [0.5, -0.25, null],\n" in text and "   [1e-05, 0.0, 3]\n" in text
    assert '"columns": [\n' in text  # strings keep one per line


def test_repository_p_value_never_claims_zero_chance():
    model = null_model(NULL, 0.5, {"name": "t"})
    assert model.repository_p_value(900, 900) == P_VALUE_FLOOR > 0.0  # 0.4 ** 900 underflows


def test_null_runs_are_described_apart_from_their_pairs():
    assert describe_runs(["N01"]) == "1 run of 1 pair known not to be derived"
    assert describe_runs(["N01", "N02"]) == "2 runs of 2 pairs known not to be derived"
    assert describe_runs(["N01", "N01" + RENAMED, "N02" + RENAMED]) == (
        "3 runs of 2 pairs known not to be derived, 2 of the runs with every suspect identifier renamed")
