"""p-values against a measured null, and the correction for many comparisons."""

from __future__ import annotations

import pytest

from derive.calibration import benjamini_hochberg, load_null, null_model

NULL = {"N1": [[0.05, 0.0], [0.1, 0.02], [0.35, 0.06]], "N2": [[0.0, 0.0], [0.2, 0.1]]}


def test_unit_p_value_is_the_empirical_tail_with_correction():
    model = null_model(NULL, 0.34, {"name": "t"})
    # (0.35, 0.06) and (0.2, 0.1) are reached by no other null unit: p = 2/6 <= 0.34
    assert model.units == 5 and model.strong_rate == pytest.approx(2 / 5)
    assert model.unit_p_value(0.9, 0.5) == pytest.approx(1 / 6)  # beyond all null units
    assert model.unit_p_value(0.1, 0.0) == pytest.approx(4 / 6)  # 0.1/.02, 0.35/.06, 0.2/.1
    assert model.unit_p_value(0.0, 0.0) == pytest.approx(1.0)


def test_leaving_a_pair_out_of_the_null():
    model = null_model(NULL, 0.34, {"name": "t"}, exclude=("N1",))
    assert model.pairs == ("N2",) and model.units == 2 and model.strong_rate == 0


def test_repository_p_value_is_a_binomial_tail():
    model = null_model(NULL, 0.34, {"name": "t"})
    assert model.repository_p_value(0, 10) == 1.0
    assert model.repository_p_value(1, 1) == pytest.approx(0.4)
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
    assert model.strong_rate < 0.01
