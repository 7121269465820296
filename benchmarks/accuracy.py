#!/usr/bin/env python3
"""Accuracy benchmark on labeled real port pairs (benchmarks/pairs.json, the held-out splits).

Fetches the pinned packages with fetch_corpus.py (npm, PyPI, Debian; cached), runs
derive on every pair and prints, per pair: label, verdict, score, coverage, file- and
function-level top-1 mapping accuracy against the known correspondences, and time.
Overall: whether every translation is `derived`, no negative is and no partial port is
`not-derived`, the margin between the weakest translation and the strongest negative, ROC
AUC of the score (and of the coverage), and the mapping accuracies; with several
manifests, per split and then all pooled. Writes the same figures as JSON.

    python benchmarks/accuracy.py                    # the development split
    python benchmarks/accuracy.py --only T01 --only N01
    python benchmarks/accuracy.py --all              # every split, then all pooled
    python benchmarks/accuracy.py --all --record     # ... and store the error rates reports state
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import time
from collections.abc import Collection
from pathlib import Path

from scipy.stats import binomtest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import derive  # noqa: E402
from derive.calibration import dumps  # noqa: E402
from derive.model import SourceFile  # noqa: E402
from derive.normalize import normalize  # noqa: E402
from derive.parse import parse  # noqa: E402
from derive.source import decode_source  # noqa: E402
from derive.units import extract_units, helper_units  # noqa: E402

NEGATIVE = {"independent", "unrelated"}


def side_key(side: dict) -> str:
    """A fetched side's identity: its package and the files selected from it."""
    return side["key"] + "|" + hashlib.sha1("\n".join(side["files"]).encode()).hexdigest()[:8]


def own_code(resolved: dict) -> tuple[str, ...]:
    """What a pair's run leaves out of the null (``calibration_exclude``): its id and its
    sides, so that it is never judged against a null with a run of its own code."""
    return resolved["id"], side_key(resolved["reference"]), side_key(resolved["suspect"])


def fetch(pairs: Path, only: list[str], corpus_json: Path) -> dict:
    command = [sys.executable, str(HERE / "fetch_corpus.py"), str(pairs), "--json", str(corpus_json)]
    for pair_id in only:
        command += ["--only", pair_id]
    subprocess.run(command, check=True, stdout=sys.stderr)
    return json.loads(corpus_json.read_text())


SIGNATURE_LINES = 3  # `template <typename N>` or a C return type may stand above the name


def _rank(line: str, symbol: str) -> int | None:
    """0 when ``line`` holds ``symbol`` as whole words, 1 when only as the start of a longer
    name (`def finish` in `def finish_fragment`), None when not at all."""
    if symbol not in line:
        return None
    word_end = r"(?!\w)" if re.match(r"\w", symbol[-1:]) else ""
    return 0 if re.search(re.escape(symbol) + word_end, line) else 1


def _text(root: str, path: str) -> str | None:
    """A side's file as derive reads it; None when derive skips it as undecodable."""
    try:
        return decode_source((Path(root) / path).read_bytes())[0]
    except UnicodeDecodeError:
        return None


def _units(root: str, path: str, language: str) -> tuple[list[str], list]:
    """A side's file as lines and its units; no units for a file derive skips as undecodable."""
    text = _text(root, path)
    if text is None:
        return [], []
    return text.split("\n"), list(extract_units(normalize(parse(SourceFile(path, language, text, "")))))


def _signature_holder(lines: list[str], units: list, symbol: str) -> tuple[int, int] | None:
    """The unit whose signature holds ``symbol``: a unit of that name first, as whole words
    before as the start of a longer name, on its first line if any unit has it there, else
    on the nearest of its first few lines. A symbol of several lines is matched across as
    many."""
    extra = symbol.count("\n")
    found = []
    for unit in units:
        start = unit.span.start_line - 1
        heads = ["\n".join(lines[start + k:start + k + 1 + extra]) for k in range(SIGNATURE_LINES)]
        held = [(rank, k) for k, head in enumerate(heads) if (rank := _rank(head, symbol)) is not None]
        if held:
            # a function named so before one calling it on its first line (`isArbitrarySize =
            # (v) => getIsArbitraryValue(v, ...)` holds the name too)
            # (Opal compiles Ruby's `system_path` to a function `$$system_path`)
            named = re.split(r"[.:]", unit.name)[-1].lstrip("$") == symbol.lstrip("$")
            found.append((not named, *min(held), unit.span.start_line, unit.span.end_line))
    return min(found)[3:] if found else None


def locate_function(root: str, path: str, language: str, symbol: str) -> tuple[int, int] | None:
    """The function unit (or helper) whose signature contains ``symbol`` (the manifest's
    convention; see ``_signature_holder``). A symbol no signature holds (a line of the body,
    a comment carried over) names the innermost unit holding it."""
    lines, units = _units(root, path, language)
    functions = [unit for unit in units if unit.kind == "function"]
    # a helper inside a function is a reference candidate of its own (units.helper_units)
    functions += [helper for unit in functions for helper in helper_units(unit)]
    if (held := _signature_holder(lines, functions, symbol)) is not None:
        return held
    holding = [(unit.span.end_line - unit.span.start_line, unit.span.start_line, unit.span.end_line)
               for unit in functions
               if symbol in "\n".join(lines[unit.span.start_line - 1:unit.span.end_line])]
    return min(holding)[1:] if holding else None


def locate_class(root: str, path: str, language: str, symbol: str) -> tuple[int, int] | None:
    """The class unit whose signature contains ``symbol`` (`class Serializer:`)."""
    lines, units = _units(root, path, language)
    return _signature_holder(lines, [unit for unit in units if unit.kind == "class"], symbol)


def _class_mapped(fn_map: dict, sus_path: str, sus_class: tuple[int, int], ref_path: str,
                  ref_class: tuple[int, int]) -> bool:
    """Whether derive maps a class to its counterpart: derive matches functions, not
    classes, so most of the suspect class's matched methods must map into the reference
    class."""
    landed = [got[0] == ref_path and ref_class[0] <= got[1] <= ref_class[1]
              for (path, start), got in fn_map.items()
              if path == sus_path and sus_class[0] <= start <= sus_class[1]]
    return sum(landed) * 2 > len(landed)


def _same_code(root: str, expected: tuple[str, int, int], got: tuple[str, int, int]) -> bool:
    """Whether two reference functions are copies of one code but for whitespace (a package
    shipping one function twice, in two files): no method can tell which copy was ported."""
    def code(path: str, start: int, end: int) -> str:
        lines = (_text(root, path) or "").split("\n")[start - 1:end]
        return re.sub(r"\s+", "", "".join(lines))
    return code(*expected) == code(*got)


def mapping_accuracy(pair: dict, resolved: dict, report: derive.report.Report) -> dict:
    file_map = {m["suspect"]["path"]: m["reference"]["path"] for m in report.file_matches}
    # a suspect file merging several reference files names the others (``merged_from``)
    file_sources = {m["suspect"]["path"]: {m["reference"]["path"], *(s["path"] for s in m["merged_from"])}
                    for m in report.file_matches}
    fn_map = {(m["suspect"]["path"], m["suspect"]["start_line"]):
              (m["reference"]["path"], m["reference"]["start_line"], m["reference"]["end_line"])
              for m in report.function_matches}
    files, closest, functions = [], [], []
    for known in pair.get("known_correspondences", []):
        if known["kind"] == "file":
            files.append(known["reference"] in file_sources.get(known["suspect"], ()))
            closest.append(file_map.get(known["suspect"]) == known["reference"])
            continue
        ref_path, ref_symbol = known["reference"].split("::", 1)
        sus_path, sus_symbol = known["suspect"].split("::", 1)
        ref_side, sus_side = resolved["reference"], resolved["suspect"]
        ref_unit = locate_function(ref_side["dir"], ref_path, ref_side["language"], ref_symbol)
        sus_unit = locate_function(sus_side["dir"], sus_path, sus_side["language"], sus_symbol)
        if ref_unit is None and sus_unit is None:  # a class and its counterpart
            ref_class = locate_class(ref_side["dir"], ref_path, ref_side["language"], ref_symbol)
            sus_class = locate_class(sus_side["dir"], sus_path, sus_side["language"], sus_symbol)
            if ref_class is not None and sus_class is not None:
                functions.append(_class_mapped(fn_map, sus_path, sus_class, ref_path, ref_class))
                continue
        got = fn_map.get((sus_path, sus_unit[0])) if sus_unit else None
        functions.append(ref_unit is not None and got is not None and (
            got[:2] == (ref_path, ref_unit[0])
            or _same_code(resolved["reference"]["dir"], (ref_path, *ref_unit), got)))
    return {"files_known": len(files), "files_correct": sum(files), "files_closest": sum(closest),
            "functions_known": len(functions), "functions_correct": sum(functions)}


def roc_auc(positives: list[float], negatives: list[float]) -> float | None:
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def confusion(rows: list[dict]) -> dict[str, dict[str, int]]:
    """label -> verdict -> pairs."""
    table: dict[str, dict[str, int]] = {}
    for row in rows:
        counts = table.setdefault(row["label"], {"derived": 0, "inconclusive": 0, "not-derived": 0})
        counts[row["verdict"]] += 1
    return table


ERROR_RATES_EVALUATION = ("each pair judged against a null model without any run of its code (every "
                          "null run sharing a package with it left out); the null model holds "
                          "development-split runs only; intervals exact (Clopper-Pearson) at 95%")


def interval(successes: int, trials: int) -> list[float] | None:
    """Exact (Clopper-Pearson) 95% confidence interval of a measured rate."""
    if not trials:
        return None
    found = binomtest(successes, trials).proportion_ci(0.95, method="exact")
    return [round(found.low, 4), round(found.high, 4)]


def error_rates(splits: list[tuple[Path, dict]]) -> dict:
    """The method's measured error rates over the splits run (each manifest with its
    summary), as the report states them: counts, rates and their 95% intervals, and each
    manifest by name and sha256 so the figures can be reproduced."""
    named = [{"name": json.loads(path.read_text())["name"],
              "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
              **{key: summary[key] for key in ("translations", "translations_derived", "negatives",
                                               "negatives_derived")}}
             for path, summary in splits]
    totals = {key: sum(split[key] for split in named)
              for key in ("translations", "translations_derived", "negatives", "negatives_derived")}
    if len(named) == 1:
        benchmark = f"{named[0]['name']} (sha256 {named[0]['sha256'][:12]})"
    else:
        benchmark = (f"{named[0]['name']} ... {named[-1]['name']} ({len(named)} manifests, "
                     f"{totals['translations'] + totals['negatives']} translation and negative pairs)")
    return {"benchmark": benchmark, "splits": named, **totals,
            "recall": totals["translations_derived"] / totals["translations"] if totals["translations"] else None,
            "recall_ci95": interval(totals["translations_derived"], totals["translations"]),
            "false_positive_rate": (totals["negatives_derived"] / totals["negatives"]
                                    if totals["negatives"] else None),
            "false_positive_rate_ci95": interval(totals["negatives_derived"], totals["negatives"]),
            "evaluation": ERROR_RATES_EVALUATION}


def record_error_rates(rates: dict) -> None:
    path = HERE.parent / "derive" / "data" / "calibration.json"
    data = json.loads(path.read_text())
    data["error_rates"] = rates
    path.write_text(dumps(data))


def manifests(pairs: list[Path], every_split: bool) -> list[Path]:
    """The manifests to run: the development split and every held-out split in
    benchmarks/ (heldout.json, heldout2.json, ...) with ``every_split``."""
    if every_split:
        held_out = sorted(HERE.glob("heldout*.json"), key=lambda p: int(p.stem[len("heldout"):] or 1))
        return [HERE / "pairs.json", *held_out]
    return pairs or [HERE / "pairs.json"]


def _manifest(text: str) -> Path:
    if not Path(text).is_file():
        raise argparse.ArgumentTypeError(f"no such manifest: {text}")
    return Path(text)


def add_split_arguments(parser: argparse.ArgumentParser) -> None:
    """--pairs, --all and --only: which manifests and pairs to run."""
    parser.add_argument("--pairs", type=_manifest, action="append", default=[],
                        help="manifest (repeatable; default benchmarks/pairs.json)")
    parser.add_argument("--all", action="store_true", dest="every_split",
                        help="every split: benchmarks/pairs.json and benchmarks/heldout*.json")
    parser.add_argument("--only", action="append", default=[], help="pair id prefix (repeatable)")


def selected(pairs: Path, only: list[str], labels: Collection[str] | None = None) -> list[str]:
    """Ids of the manifest's pairs (with one of ``labels``, if given) starting with an
    ``only`` prefix (any, without prefixes)."""
    return [p["id"] for p in json.loads(pairs.read_text())["pairs"]
            if (labels is None or p["label"] in labels) and (not only or any(p["id"].startswith(o) for o in only))]


def run_split(pairs: Path, only: list[str], out: Path) -> list[dict]:
    """Runs derive on the manifest's pairs (those starting with ``only``, if given),
    printing a line and writing a report per pair; the rows of figures."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = {p["id"]: p for p in json.loads(pairs.read_text())["pairs"]}
    corpus = fetch(pairs, only, out / "corpus.json")
    rows = []
    print(f"{'pair':36} {'label':12} {'verdict':13} {'score':>6} {'cover':>6} {'p':>8} {'files':>7} "
          f"{'funcs':>7} {'z':>6} {'sec':>5}")
    for resolved in corpus["pairs"]:
        pair = manifest[resolved["id"]]
        started = time.perf_counter()
        report = derive.compare(
            resolved["reference"]["dir"], resolved["suspect"]["dir"],
            reference_include=tuple(resolved["reference"]["files"]),
            suspect_include=tuple(resolved["suspect"]["files"]),
            calibration_exclude=own_code(resolved))
        seconds = time.perf_counter() - started
        (out / f"{pair['id']}.json").write_text(report.to_json(), encoding="utf-8")
        accuracy = mapping_accuracy(pair, resolved, report)
        verdict = report.verdict
        row = {"id": pair["id"], "label": pair["label"], "verdict": verdict["label"],
               "score": verdict["score"], "coverage": verdict["coverage"],
               "p_value": verdict["p_value"], "order_z": verdict["order"]["z"],
               "seconds": round(seconds, 2), **accuracy}
        rows.append(row)
        files = f"{row['files_correct']}/{row['files_known']}" if row["files_known"] else "-"
        funcs = f"{row['functions_correct']}/{row['functions_known']}" if row["functions_known"] else "-"
        p_text = f"{verdict['p_value']:.1e}" if verdict["p_value"] is not None else "-"
        print(f"{pair['id'][:36]:36} {pair['label']:12} {verdict['label']:13} {verdict['score']:6.3f} "
              f"{verdict['coverage']:6.3f} {p_text:>8} "
              f"{files:>7} {funcs:>7} {row['order_z']:6.1f} {seconds:5.1f}", flush=True)
    return rows


def summarize(rows: list[dict]) -> dict:
    translations = [r for r in rows if r["label"] == "translation"]
    negatives = [r for r in rows if r["label"] in NEGATIVE]
    files_known = sum(r["files_known"] for r in translations)
    funcs_known = sum(r["functions_known"] for r in translations)
    return {
        "pairs": len(rows),
        "translations_derived": sum(r["verdict"] == "derived" for r in translations),
        "translations": len(translations),
        "negatives_derived": sum(r["verdict"] == "derived" for r in negatives),
        "negatives": len(negatives),
        "weakest_translation_score": min((r["score"] for r in translations), default=None),
        "strongest_negative_score": max((r["score"] for r in negatives), default=None),
        "roc_auc": roc_auc([r["score"] for r in translations], [r["score"] for r in negatives]),
        # the same for the coverage, which counts the strong matches chance gives too
        "roc_auc_coverage": roc_auc([r["coverage"] for r in translations],
                                    [r["coverage"] for r in negatives]),
        "file_top1": sum(r["files_correct"] for r in translations) / files_known if files_known else None,
        # the same, counting only each suspect file's closest reference file (no merges)
        "file_top1_closest": sum(r["files_closest"] for r in translations) / files_known if files_known else None,
        "function_top1": sum(r["functions_correct"] for r in translations) / funcs_known if funcs_known else None,
        "seconds_total": round(sum(r["seconds"] for r in rows), 1),
        "confusion": confusion(rows),
    }


def print_summary(summary: dict) -> None:
    print()
    for key, value in summary.items():
        print(f"{key:28} {value if not isinstance(value, float) else round(value, 4)}")


def meets_verdict_targets(summary: dict) -> bool:
    """Every translation `derived`, no negative `derived`, and no partial port `not-derived`
    (a partial one may be `derived` or `inconclusive`)."""
    partial = summary["confusion"].get("partial", {})
    return (summary["translations_derived"] == summary["translations"] and summary["negatives_derived"] == 0
            and not partial.get("not-derived"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_split_arguments(parser)
    parser.add_argument("--record", action="store_true",
                        help="store the measured error rates (over every split run, with their 95%% "
                             "intervals) in derive/data/calibration.json, where reports read them")
    parser.add_argument("--out", type=Path, default=HERE.parent / "reports" / "bench",
                        help="folder for accuracy.json and each pair's report.json "
                             "(with several manifests, one subfolder per manifest)")
    args = parser.parse_args()
    paths = manifests(args.pairs, args.every_split)
    if args.record and args.only:
        parser.error("--record stores the error rates of whole splits, not of the pairs --only picks")
    splits = {}
    for path in paths:
        if not selected(path, args.only):
            continue
        folder = args.out if len(paths) == 1 else args.out / path.stem
        if len(paths) > 1:
            print(f"== {path.name}")
        rows = run_split(path, args.only, folder)
        summary = summarize(rows)
        (folder / "accuracy.json").write_text(json.dumps({"summary": summary, "pairs": rows}, indent=1))
        print_summary(summary)
        splits[path.name] = (summary, rows)
        if len(paths) > 1:
            print()
    if args.record:
        record_error_rates(error_rates([(path, splits[path.name][0]) for path in paths if path.name in splits]))
    if len(splits) > 1:
        pooled = summarize([row for _, rows in splits.values() for row in rows])
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "accuracy.json").write_text(json.dumps(
            {"summary": pooled, "splits": {name: summary for name, (summary, _) in splits.items()}}, indent=1))
        print(f"== all {len(splits)} splits pooled")
        print_summary(pooled)
    return 0 if splits and all(meets_verdict_targets(summary) for summary, _ in splits.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
