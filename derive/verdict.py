"""The repository verdict: how much of the suspect is explained by distinct matches.

A suspect function counts as derived evidence when its best reference counterpart is
similar (score >= STRONG_SCORE) and clearly better than every other candidate (margin
>= STRONG_MARGIN): independent implementations of one spec resemble many reference
functions a little, a translation resembles one a lot. The score is the share of the
suspect's function code (in universal nodes) with such a counterpart.

Thresholds were set on the development pairs of the shared benchmark (weakest
translation coverage 0.49, strongest negative 0.01 at the time); the report states them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fingerprint import CHANNELS
from .match import UnitMatch
from .order import OrderStatistic

STRONG_SCORE = 0.30
STRONG_MARGIN = 0.05
DERIVED_COVERAGE = 0.20
INCONCLUSIVE_COVERAGE = 0.05


@dataclass(frozen=True)
class Verdict:
    label: str  # "derived" | "not-derived" | "inconclusive"
    score: float  # share of suspect function code with a distinct reference counterpart
    strong_matches: int
    suspect_units: int
    suspect_nodes: int
    unit_level: str  # "function", or "file" when the suspect declares no functions
    channel_means: dict[str, float]  # mean channel score over strong matches
    order: OrderStatistic
    explanation: str


def is_strong(match: UnitMatch) -> bool:
    return match.score >= STRONG_SCORE and match.margin >= STRONG_MARGIN


def decide(matches: list[UnitMatch], suspect_sizes: list[int], unit_level: str,
           order: OrderStatistic) -> Verdict:
    total = sum(suspect_sizes)
    strong = [m for m in matches if is_strong(m)]
    covered = sum(m.suspect.size for m in strong)
    coverage = covered / total if total else 0.0
    if coverage >= DERIVED_COVERAGE:
        label = "derived"
    elif coverage >= INCONCLUSIVE_COVERAGE:
        label = "inconclusive"
    else:
        label = "not-derived"
    means = {}
    for channel in CHANNELS:
        values = [m.channels[channel] for m in strong if channel in m.channels]
        if values:
            means[channel] = round(sum(values) / len(values), 4)
    verdict = Verdict(label, round(coverage, 4), len(strong), len(suspect_sizes), total,
                      unit_level, means, order, "")
    return Verdict(**{**verdict.__dict__, "explanation": explain(verdict)})


def explain(v: Verdict) -> str:
    unit = "functions" if v.unit_level == "function" else "files"
    if v.suspect_units == 0:
        return "The suspect has no source code derive could analyse, so nothing can be concluded."
    text = (f"{v.strong_matches} of {v.suspect_units} suspect {unit} ({v.score:.0%} of the suspect's "
            f"analysed code) have a counterpart in the reference that is similar "
            f"(score at least {STRONG_SCORE:.2f}) and clearly closer than any other reference "
            f"candidate (by at least {STRONG_MARGIN:.2f}). ")
    if v.channel_means:
        ranked = sorted(v.channel_means.items(), key=lambda kv: -kv[1])
        text += "The evidence is carried by " + ", ".join(
            f"{channel} ({value:.2f})" for channel, value in ranked[:3]) + ". "
    o = v.order
    if o.files_tested:
        if o.p_value < 0.001:
            text += (f"Inside matched files the order of matched functions is preserved "
                     f"({o.concordance:.0%} of pairs in the same order, z = {o.z:.1f}), which "
                     f"chance would produce with probability {o.p_value:.1e}. ")
        else:
            text += (f"The order of matched functions inside matched files is not significantly "
                     f"preserved (z = {o.z:.1f}). ")
    verdicts = {"derived": f"At least {DERIVED_COVERAGE:.0%} is required for 'derived'",
                "inconclusive": f"Between {INCONCLUSIVE_COVERAGE:.0%} and {DERIVED_COVERAGE:.0%} "
                                f"is 'inconclusive': some parts may be derived, see the matches",
                "not-derived": f"Below {INCONCLUSIVE_COVERAGE:.0%} is 'not derived'"}
    return text + verdicts[v.label] + "."
