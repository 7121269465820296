"""The repository label: coverage by strong matches, weighed by how likely they are by chance."""

from __future__ import annotations

from types import SimpleNamespace

from scipy.stats import binom

from derive.calibration import RENAMED, null_model
from derive.order import OrderStatistic
from derive.verdict import decide

# 200 null units: channel scores below 0.2, small margins; 10 of them clear (margin 0.1)
NULL = {"N": [[0.0, 0.1 if k % 20 == 0 else 0.01, k / 1000, (k * 37 % 200) / 1000, None, None, None, None]
              for k in range(200)]}
NO_ORDER = OrderStatistic(0, 0, 0.5, 0.0, 1.0)


def _match(size: int, strong: bool):
    channels = {"structure": 0.9, "identifiers": 0.8} if strong else {"structure": 0.05, "identifiers": 0.02}
    return SimpleNamespace(suspect=SimpleNamespace(size=size), channels=channels,
                           margin=0.5 if strong else 0.0, score=0.85 if strong else 0.03)


def _label(matches, sizes, model):
    return decide(matches, sizes, "function", NO_ORDER, model)


def test_strong_matches_over_much_of_a_large_suspect_are_derived():
    model = null_model(NULL, 0.02, {"name": "t"})
    matches = [_match(50, k < 10) for k in range(20)]
    verdict = _label(matches, [50] * 20, model)
    assert verdict.strong_matches == 10 and verdict.label == "derived"
    assert verdict.p_value < 1e-6


def test_one_strong_match_in_a_tiny_suspect_is_inconclusive_not_derived():
    model = null_model(NULL, 0.02, {"name": "t"})
    assert model.strong_rate > 0
    # 1 of 6 units strong but 60% of the code: too few units for the repository p-value
    matches = [_match(300, True)] + [_match(40, False) for _ in range(5)]
    verdict = _label(matches, [300] + [40] * 5, model)
    assert verdict.p_value > 0.05 and verdict.coverage >= 0.2
    assert verdict.label == "inconclusive"
    # ... and chance alone gives one strong match among six, so it scores nothing
    assert verdict.chance_matches == 1 and verdict.score == 0


def test_the_verdict_says_how_many_strong_matches_a_suspect_of_its_size_needs():
    model = null_model(NULL, 0.02, {"name": "t"})
    rate = model.chance_rate
    # one function: even a perfect match is as likely by chance as the strong rate
    alone = _label([_match(300, True)], [300], model)
    assert alone.label == "inconclusive" and alone.p_value == rate > 1e-3
    assert alone.strong_matches_needed is None
    assert "With only 1 function, no number of such matches" in alone.explanation
    # twelve functions: the fewest strong ones as unlikely as 1e-3 by the binomial tail
    needed = next(k for k in range(1, 13) if binom.sf(k - 1, 12, rate) <= 1e-3)
    assert 1 < needed < 12
    short = _label([_match(100, k < needed - 1) for k in range(12)], [100] * 12, model)
    assert short.label == "inconclusive" and short.strong_matches_needed == needed
    assert f"Among 12 functions, at least {needed} such matches are needed" in short.explanation
    enough = _label([_match(100, k < needed) for k in range(12)], [100] * 12, model)
    assert enough.label == "derived" and "are needed" not in enough.explanation


def test_score_leaves_out_the_strong_matches_chance_gives():
    model = null_model(NULL, 0.02, {"name": "t"})
    units = 400
    matches = [_match(50, k < 40) for k in range(units)]
    verdict = _label(matches, [50] * units, model)
    # the chance count, by its definition: the fewest q with P(more than q by chance) <= 5%
    rate = model.strong_rate
    chance = next(q for q in range(units) if binom.sf(q, units, rate) <= 0.05)
    assert 0 < chance < 40
    assert verdict.chance_matches == chance
    assert verdict.coverage == 0.1
    assert verdict.score == round(0.1 * (40 - chance) / 40, 4)
    assert f"chance alone gives up to {chance}" in verdict.explanation


def test_one_strong_match_over_little_code_is_not_derived():
    model = null_model(NULL, 0.02, {"name": "t"})
    matches = [_match(30, True)] + [_match(60, False) for _ in range(5)]
    verdict = _label(matches, [30] + [60] * 5, model)
    assert 0.05 <= verdict.coverage < 0.2 and verdict.p_value > 0.05
    assert verdict.label == "not-derived"


def test_explanation_states_the_measured_error_rates_with_their_intervals():
    rates = {"benchmark": "b-dev ... b-heldout2 (3 manifests, 40 translation and negative pairs)",
             "translations": 20, "translations_derived": 19, "negatives": 20, "negatives_derived": 0,
             "recall": 0.95, "recall_ci95": [0.7513, 0.9987],
             "false_positive_rate": 0.0, "false_positive_rate_ci95": [0.0, 0.1684]}
    model = null_model(NULL, 0.02, {"name": "t"}, rates)
    text = _label([_match(50, k < 10) for k in range(20)], [50] * 20, model).explanation
    assert ("labelled 19 of 20 known translations 'derived' (recall 95.0%, 95% interval 75.1% to 99.9%) "
            "and 0 of 20 independent or unrelated pairs 'derived' (false-positive rate 0.0%, "
            "95% interval 0.0% to 16.8%)") in text
    # rates recorded without intervals (an older calibration) are stated without them
    older = {k: v for k, v in rates.items() if not k.endswith("_ci95")}
    text = _label([_match(50, True)] * 2, [50] * 2, null_model(NULL, 0.02, {"name": "t"}, older)).explanation
    assert "labelled 19 of 20 known translations 'derived' and 0 of 20 independent" in text


def test_explanation_counts_null_runs_and_pairs_apart():
    runs = {"N01": NULL["N"], "N01" + RENAMED: NULL["N"], "U01" + RENAMED: NULL["N"]}
    text = _label([_match(50, True)] * 2, [50] * 2, null_model(runs, 0.02, {"name": "t"})).explanation
    assert ("measured on 600 functions of 3 runs of 2 pairs known not to be derived, 2 of the runs "
            "with every suspect identifier renamed (where") in text
