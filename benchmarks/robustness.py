#!/usr/bin/env python3
"""Robustness benchmark: do translation pairs stay `derived` after laundering the suspect,
and do negative pairs stay short of it?

For every `translation` pair of benchmarks/pairs.json (of each manifest given, or with
--all of every split; fetched like accuracy.py), the suspect's selected files are
transformed with derive.launder — rename identifiers, strip comments and strings,
reformat, shuffle functions and files, merge small files, and rename+strip — each
written to a temporary folder and compared with the reference.
Prints pair x transformation: verdict, score, strong matches, order z and the two channels that still
carry the evidence (mean channel score over strong matches), next to the unlaundered
baseline; writes the same figures as JSON. Exit status 0 when every translation that is
`derived` unlaundered stays `derived` under rename alone and under strip alone.

With --negatives the same transformations launder the suspects of the `independent` and
`unrelated` pairs instead: a method that called renamed or stripped code derived more
readily than plain code would show it here. Exit status 0 when no negative pair that is
short of `derived` unlaundered becomes `derived` under rename alone or strip alone.

    python benchmarks/robustness.py
    python benchmarks/robustness.py --only T20 --transform rename
    python benchmarks/robustness.py --all --transform rename --transform strip   # every split
    python benchmarks/robustness.py --all --negatives --transform rename --transform strip

--silent-unit-alpha judges suspects with silent names (renamed ones, mostly) at another
unit level than derive's: the README's table of levels is measured with it.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Collection
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

import derive  # noqa: E402
from accuracy import NEGATIVE, add_split_arguments, fetch, manifests, own_code, selected  # noqa: E402
from derive import launder, verdict  # noqa: E402
from derive.source import decode_source  # noqa: E402

GATED = ("rename", "strip")  # must keep every translation `derived`, and every negative short of it
SEED = 0


def read_side(side: dict) -> tuple[dict[str, str], dict[str, str]]:
    """A side's selected files as derive decodes them (one it cannot decode is left out, as
    derive leaves it out), and the language of each."""
    root = Path(side["dir"])
    files = {}
    for path in side["files"]:
        try:
            files[path], _ = decode_source((root / path).read_bytes())
        except UnicodeDecodeError:
            continue
    languages = {path: lang for path in files
                 if (lang := launder.language_of(path, files[path])) is not None}
    return files, languages


def write(files: dict[str, str], folder: Path) -> None:
    for path, text in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def top_channels(verdict: dict, count: int = 2) -> list[tuple[str, float]]:
    channels = verdict.get("channels") or {}
    ranked = sorted(channels.items(), key=lambda item: (-item[1], item[0]))
    return [(name, round(score, 3)) for name, score in ranked[:count]]


def mean_channels(matches: list[dict]) -> dict[str, float]:
    """Mean score per channel over function matches (a channel absent from a match is skipped)."""
    sums: dict[str, list[float]] = {}
    for match in matches:
        for channel, score in match["channels"].items():
            sums.setdefault(channel, []).append(score)
    return {channel: round(sum(v) / len(v), 3) for channel, v in sorted(sums.items())}


def run(resolved: dict, name: str, files: dict[str, str], languages: dict[str, str]) -> dict:
    started = time.perf_counter()
    transformed = files if name == "baseline" else launder.transformations(SEED, languages)[name](files)
    transformed_languages = {p: launder.language_of(p, t, languages) for p, t in transformed.items()}
    with tempfile.TemporaryDirectory(prefix="derive-robust-") as tmp:
        write(transformed, Path(tmp))
        report = derive.compare(resolved["reference"]["dir"], tmp,
                                reference_include=tuple(resolved["reference"]["files"]),
                                calibration_exclude=own_code(resolved))
    verdict = report.verdict
    return {
        "transformation": name, "verdict": verdict["label"], "score": verdict["score"],
        "coverage": verdict["coverage"], "strong_matches": verdict["strong_matches"],
        "order_z": verdict["order"]["z"], "channels": verdict.get("channels") or {},
        "top_channels": top_channels(verdict),
        "function_matches": len(report.function_matches),
        "all_match_channels": mean_channels(report.function_matches),
        "files": len(transformed),
        "error_share_before": round(launder.error_share(files, languages), 5),
        "error_share_after": round(launder.error_share(transformed, transformed_languages), 5),
        "seconds": round(time.perf_counter() - started, 2),
    }


def run_split(pairs: Path, only: list[str], names: list[str], out: Path, labels: Collection[str]) -> list[dict]:
    """Runs every transformation on the manifest's pairs with one of ``labels`` (those
    starting with ``only``, if given), printing a line per pair and transformation; the rows."""
    out.mkdir(parents=True, exist_ok=True)
    corpus = fetch(pairs, selected(pairs, only, labels), out / "robustness-corpus.json")
    rows = []
    print(f"{'pair':28} {'transformation':15} {'verdict':13} {'score':>6} {'strong':>6} {'z':>6} "
          f"{'err%':>5} {'sec':>5}  top channels")
    for resolved in corpus["pairs"]:
        files, languages = read_side(resolved["suspect"])
        for name in names:
            row = {"id": resolved["id"], **run(resolved, name, files, languages)}
            rows.append(row)
            channels = "  ".join(f"{c}={s:.2f}" for c, s in row["top_channels"])
            print(f"{row['id'][:28]:28} {name:15} {row['verdict']:13} {row['score']:6.3f} "
                  f"{row['strong_matches']:6} {row['order_z']:6.1f} {100 * row['error_share_after']:5.2f} "
                  f"{row['seconds']:5.1f}  {channels}", flush=True)
        print(flush=True)
    return rows


def summarize(rows: list[dict], names: list[str], negatives: bool = False) -> dict:
    """Per transformation, how many pairs are `derived`: of the translations `derived`
    unlaundered (which should stay so), or with ``negatives`` of the negative pairs short of
    `derived` unlaundered (which should stay short of it). Pairs outside that baseline are
    listed, not gated."""
    at_baseline = {r["id"] for r in rows if r["transformation"] == "baseline" and r["verdict"] == "derived"}
    pairs = sorted({r["id"] for r in rows} - at_baseline if negatives else at_baseline)
    summary = {"pairs": len(pairs), "seed": SEED, "negatives": negatives,
               "silent_unit_alpha": verdict.SILENT_UNIT_ALPHA,
               "derived_at_baseline" if negatives else "not_derived_at_baseline":
                   sorted({r["id"] for r in rows} - set(pairs))}
    extreme, named = (max, "strongest") if negatives else (min, "weakest")
    for name in names:
        chosen = [r for r in rows if r["transformation"] == name and r["id"] in pairs]
        summary[f"derived_{name}"] = sum(r["verdict"] == "derived" for r in chosen)
        summary[f"{named}_score_{name}"] = extreme((r["score"] for r in chosen), default=None)
    summary["gated"] = list(GATED)
    summary["gate_failures"] = [f"{r['id']} / {r['transformation']}: {r['verdict']} {r['score']:.3f}"
                                for r in rows if r["transformation"] in GATED and r["id"] in pairs
                                and (r["verdict"] == "derived") == negatives]
    return summary


def print_summary(summary: dict, rows: list[dict], names: list[str]) -> None:
    pairs, negatives = summary["pairs"], summary["negatives"]
    if negatives:
        print(f"derived / {pairs} negative pairs short of derived unlaundered, per transformation "
              f"(derived unlaundered: {', '.join(summary['derived_at_baseline']) or 'none'}):")
    else:
        print(f"derived / {pairs} translation pairs derived unlaundered, per transformation "
              f"(not derived unlaundered: {', '.join(summary['not_derived_at_baseline']) or 'none'}):")
    extreme = "strongest" if negatives else "weakest"
    for name in names:
        score = summary[f"{extreme}_score_{name}"]
        print(f"  {name:16} {summary[f'derived_{name}']}/{pairs}"
              f"   {extreme} score {score if score is None else round(score, 3)}")
    for name in GATED:
        if name in names:
            print(f"{name} alone: {summary[f'derived_{name}']}/{pairs} "
                  f"{'negative pairs become' if negatives else 'translation pairs stay'} derived")
    kept = set(summary["derived_at_baseline" if negatives else "not_derived_at_baseline"])
    for row in rows:
        if (row["verdict"] == "derived") == negatives and row["id"] not in kept:
            print(f"  {'derived' if negatives else 'below derived'}: {row['id']} / {row['transformation']}: "
                  f"{row['verdict']} score {row['score']:.3f}, {row['strong_matches']} strong matches; channels over "
                  f"strong matches {row['channels'] or '-'}; over all {row['function_matches']} "
                  f"function matches {row['all_match_channels']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_split_arguments(parser)
    parser.add_argument("--transform", action="append", default=[],
                        help=f"transformation (repeatable; default all: {', '.join(launder.transformations())})")
    parser.add_argument("--negatives", action="store_true",
                        help="launder the independent and unrelated pairs' suspects instead of the translations'")
    parser.add_argument("--out", type=Path, default=HERE.parent / "reports" / "bench",
                        help="folder for robustness.json, or robustness-negatives.json with --negatives "
                             "(with several manifests, one subfolder per manifest)")
    parser.add_argument("--silent-unit-alpha", type=float, default=verdict.SILENT_UNIT_ALPHA,
                        help="unit level against the null of silent names (default: derive's, %(default)s)")
    args = parser.parse_args()
    verdict.SILENT_UNIT_ALPHA = args.silent_unit_alpha  # read by the pipeline at every compare
    paths = manifests(args.pairs, args.every_split)
    names = ["baseline"] + (args.transform or list(launder.transformations()))
    labels = NEGATIVE if args.negatives else {"translation"}
    result = "robustness-negatives.json" if args.negatives else "robustness.json"
    splits = {}
    for path in paths:
        if not selected(path, args.only, labels):
            continue
        folder = args.out if len(paths) == 1 else args.out / path.stem
        if len(paths) > 1:
            print(f"== {path.name}")
        rows = run_split(path, args.only, names, folder, labels)
        summary = summarize(rows, names, args.negatives)
        (folder / result).write_text(json.dumps({"summary": summary, "rows": rows}, indent=1))
        print_summary(summary, rows, names)
        splits[path.name] = (summary, rows)
        if len(paths) > 1:
            print()
    if len(splits) > 1:
        rows = [row for _, split_rows in splits.values() for row in split_rows]
        pooled = summarize(rows, names, args.negatives)
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / result).write_text(json.dumps(
            {"summary": pooled, "splits": {name: summary for name, (summary, _) in splits.items()}}, indent=1))
        print(f"== all {len(splits)} splits pooled")
        print_summary(pooled, [], names)
        print("\n".join(f"  {'derived' if args.negatives else 'below derived'}: {failure}"
                        for failure in pooled["gate_failures"]))
    return 0 if splits and not any(summary["gate_failures"] for summary, _ in splits.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
