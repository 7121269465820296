#!/usr/bin/env python3
"""Measure derive's null distribution and write ``derive/data/calibration.json``.

The null is what derive's scores look like when the suspect is NOT derived from the
reference: the `independent` and `unrelated` pairs of benchmarks/pairs.json, plus
cross pairs of packages from different families of the same manifest (two sides are in
one family when any labeled pair links them). For every suspect function of every such
pair the score, margin and channel scores of its match are recorded (zeros when it has
none); derive turns them into p-values (derive/calibration.py). Every pair is run twice:
as it is, and with its suspect's identifiers renamed (derive.launder), for the null of
silent names; each run records how much its names agree (``names_agreement``).

    python benchmarks/calibrate.py [--cross 24]

Then run benchmarks/accuracy.py --record to store the measured error rates beside it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import derive  # noqa: E402
from accuracy import fetch, side_key  # noqa: E402
from robustness import read_side, write  # noqa: E402
from derive import launder  # noqa: E402
from derive.calibration import CALIBRATION_FORMAT, COLUMNS, RENAMED, dumps  # noqa: E402
from derive.match import MIN_EVIDENCE_NODES, SCORE_CHANNELS  # noqa: E402

NEGATIVE = ("independent", "unrelated")
OUT = HERE.parent / "derive" / "data" / "calibration.json"


def families(pairs: list[dict]) -> dict[str, int]:
    """Union-find over sides: labeled pairs other than `unrelated` share functionality."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for pair in pairs:
        a, b = side_key(pair["reference"]), side_key(pair["suspect"])
        find(a), find(b)
        if pair["label"] != "unrelated":
            parent[find(a)] = find(b)
    roots = sorted({find(x) for x in parent})
    return {x: roots.index(find(x)) for x in parent}


def cross_pairs(pairs: list[dict], limit: int) -> list[tuple[str, dict, dict]]:
    family = families(pairs)
    sides = {}
    for pair in pairs:
        for role in ("reference", "suspect"):
            sides.setdefault(side_key(pair[role]), pair[role])
    keys = sorted(sides)
    candidates = [(a, b) for a in keys for b in keys if a < b and family[a] != family[b]]
    # same-language pairs first: they share idioms, the harder null
    candidates.sort(key=lambda ab: (sides[ab[0]]["language"] != sides[ab[1]]["language"], ab))
    same = [c for c in candidates if sides[c[0]]["language"] == sides[c[1]]["language"]]
    other = [c for c in candidates if c not in same]
    chosen = same[: limit // 2] + other[:: max(1, len(other) // max(1, limit - len(same[: limit // 2])))]
    chosen = chosen[:limit]
    return [(f"X:{sides[a]['key']}~{sides[b]['key']}", sides[a], sides[b]) for a, b in chosen]


def null_units(reference: dict, suspect: dict) -> tuple[float, list[list[float | None]]]:
    """The run's names agreement, and per suspect unit: score, margin, then each channel's
    score (None when neither side has the channel); a unit without a match is all zeros."""
    report = derive.compare(reference["dir"], suspect["dir"],
                            reference_include=tuple(reference["files"]),
                            suspect_include=tuple(suspect["files"]), use_calibration=False)
    level = report.verdict["unit_level"]
    # the units the verdict weighs (``pipeline.compare``)
    matches = ([m for m in report.function_matches if m["suspect"]["nodes"] >= MIN_EVIDENCE_NODES]
               if level == "function" else report.file_matches)
    units = [[m["score"], m["margin"], *(m["channels"].get(c) for c in SCORE_CHANNELS)] for m in matches]
    units += [[0.0, 0.0, *[0.0] * len(SCORE_CHANNELS)]] * max(0, report.verdict["suspect_units"] - len(units))
    return (report.verdict["names_agreement"],
            sorted(units, key=lambda row: [-1.0 if v is None else v for v in row]))


def renamed_null_units(reference: dict, suspect: dict) -> tuple[float, list[list[float | None]]]:
    """``null_units`` with every identifier of the suspect renamed."""
    files, languages = read_side(suspect)
    renamed = launder.rename_identifiers(files, 0, languages)
    with tempfile.TemporaryDirectory(prefix="derive-calibrate-") as folder:
        write(renamed, Path(folder))
        return null_units(reference, {**suspect, "dir": folder, "files": sorted(renamed)})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=HERE / "pairs.json")
    parser.add_argument("--cross", type=int, default=24, help="cross pairs of unrelated packages")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    work = HERE.parent / "reports" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    corpus = fetch(args.pairs, [], work / "corpus.json")
    labels = {p["id"]: p["label"] for p in json.loads(args.pairs.read_text())["pairs"]}
    resolved = [{**p, "label": labels[p["id"]]} for p in corpus["pairs"]]

    runs = [(p["id"], p["reference"], p["suspect"]) for p in resolved if p["label"] in NEGATIVE]
    null: dict[str, list[list[float | None]]] = {}
    agreement: dict[str, float] = {}
    sides: dict[str, list[str]] = {}  # what the benchmark leaves out when it judges that code
    for pair_id, reference, suspect in runs + cross_pairs(resolved, args.cross):
        agreement[pair_id], null[pair_id] = null_units(reference, suspect)
        key = pair_id + RENAMED
        agreement[key], null[key] = renamed_null_units(reference, suspect)
        sides[pair_id] = sides[key] = [side_key(reference), side_key(suspect)]
        print(f"{pair_id[:44]:44} {len(null[pair_id]):5} units, names agreement "
              f"{agreement[pair_id]:.4f} ({agreement[key]:.4f} renamed)", flush=True)

    previous = json.loads(args.out.read_text()) if args.out.exists() else {}
    data = {
        "format": CALIBRATION_FORMAT,
        "benchmark": {"manifest": "benchmarks/pairs.json",
                      "name": json.loads(args.pairs.read_text())["name"],
                      "sha256": hashlib.sha256(args.pairs.read_bytes()).hexdigest()},
        "derive": derive.__version__,
        "columns": list(COLUMNS),
        "pairs": null,
        "names_agreement": agreement,
        "sides": sides,
        "error_rates": previous.get("error_rates"),
    }
    args.out.write_text(dumps(data))
    units = sum(len(v) for v in null.values())
    print(f"wrote {args.out}: {len(null)} runs, {units} null units")
    return 0


if __name__ == "__main__":
    sys.exit(main())
