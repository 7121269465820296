"""The report model: one JSON-ready dict with a versioned schema.

Renderers (HTML, Markdown, SARIF) read only this model. Paths are relative to each
side's root with POSIX separators; floats are rounded so the JSON is byte-stable.
"""

from __future__ import annotations

import json
import platform
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from .evidence import Fragment
from .grammars import all_grammars
from .match import UnitMatch
from .model import ParsedFile
from .source import SKIP_REASONS
from .verdict import Verdict

if TYPE_CHECKING:
    from .pipeline import Analysis, Side

SCHEMA = "derive-report/1.0"
MAX_CODE_LINES = 400  # per side of a function pair embedded for side-by-side reading


@dataclass(frozen=True)
class Report:
    """What ``derive.compare`` returns: the report model and ways to write it."""

    data: dict

    @property
    def verdict(self) -> dict:
        return self.data["verdict"]

    @property
    def file_matches(self) -> list[dict]:
        return self.data["file_matches"]

    @property
    def function_matches(self) -> list[dict]:
        return self.data["function_matches"]

    def to_json(self) -> str:
        return json.dumps(self.data, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _r(value: float) -> float:
    return round(float(value), 4)


def _side(side: Side) -> dict:
    codebase = side.codebase
    functions = Counter(fp.unit.path for fp in side.functions)
    files = []
    for parsed in side.parsed:
        source = parsed.source
        files.append({"path": source.path, "language": source.language, "sha256": source.sha256,
                      "blob": source.blob_sha, "encoding": source.encoding,
                      "lines": source.text.count("\n") + 1,
                      "functions": functions.get(source.path, 0),
                      "error_share": _r(parsed.error_share)})
    reasons = Counter(s.reason for s in codebase.skipped)
    return {
        "location": codebase.location, "kind": codebase.kind, "revision": codebase.revision,
        "commit": codebase.commit, "languages": dict(sorted(Counter(f["language"] for f in files).items())),
        "files": files,
        "functions_analysed": len(side.functions), "functions_too_small": side.small_functions,
        "skipped": [{"path": s.path, "reason": s.reason, "detail": s.detail} for s in codebase.skipped],
        "skipped_counts": {reason: {"count": n, "meaning": SKIP_REASONS[reason]}
                           for reason, n in sorted(reasons.items())},
    }


def _unit_ref(fp) -> dict:
    unit = fp.unit
    ref = {"path": unit.path, "name": unit.name, "start_line": unit.span.start_line,
           "end_line": unit.span.end_line, "language": unit.language, "nodes": fp.size}
    if unit.callbacks:  # a composite (units.callback_composites): the function and these
        ref["callbacks"] = [{"name": c.name, "start_line": c.span.start_line, "end_line": c.span.end_line}
                            for c in unit.callbacks]
    return ref


def _code(side: Side, fp) -> str:
    for parsed in side.parsed:
        if parsed.source.path == fp.unit.path:
            lines = parsed.source.text.split("\n")
            start = fp.unit.span.start_line - 1
            return "\n".join(lines[start:min(fp.unit.span.end_line, start + MAX_CODE_LINES)])
    return ""


def _match(match: UnitMatch, shared: dict, fragments: list[Fragment] | None,
           reference: Side | None = None, suspect: Side | None = None,
           significance: tuple[float, float] | None = None, strong: bool = False) -> dict:
    entry = {
        "reference": _unit_ref(match.reference), "suspect": _unit_ref(match.suspect),
        "score": _r(match.score), "margin": _r(match.margin), "runner_up": _r(match.runner_up),
        "candidates": match.candidates, "strong": strong,
        "channels": {c: _r(v) for c, v in match.channels.items()}, "shared": shared,
    }
    if significance is not None:
        entry["p_value"], entry["q_value"] = (float(f"{v:.3g}") for v in significance)
    if fragments is not None:
        entry["fragments"] = [{"reference": list(f.reference), "suspect": list(f.suspect),
                               "lines": f.lines} for f in fragments]
    if reference is not None and suspect is not None:
        entry["reference"]["code"] = _code(reference, match.reference)
        entry["suspect"]["code"] = _code(suspect, match.suspect)
    if match.reference.unit.kind == "file":
        for key in ("reference", "suspect"):
            for field in ("name", "start_line", "end_line", "nodes"):
                entry[key].pop(field)
    return entry


def _filtration(analysis: Analysis) -> dict:
    background = analysis.background
    base = analysis.base
    return {
        "background": ({"table": background.source, "documents": background.documents,
                        "packages": background.packages}
                       if background else None),
        "base": ({"location": base.codebase.location, "commit": base.codebase.commit,
                  "files": len(base.parsed)} if base else None),
        "removed_shingles": analysis.filtration.removed,
        "removed_examples": analysis.filtration.examples,
        "licence_comments": {"reference": sum(fp.licence_comments for fp in analysis.reference.files),
                             "suspect": sum(fp.licence_comments for fp in analysis.suspect.files)},
        "skipped_files": {side.codebase.label: len(side.codebase.skipped)
                          for side in (analysis.reference, analysis.suspect)},
        "inline_tests": {side.codebase.label: _inline_tests(side.parsed)
                         for side in (analysis.reference, analysis.suspect)},
    }


def _inline_tests(parsed: tuple[ParsedFile, ...]) -> dict:
    spans = [span for tree in parsed for span in tree.inline_tests]
    return {"count": len(spans), "lines": sum(s.end_line - s.start_line + 1 for s in spans),
            "files": sum(1 for tree in parsed if tree.inline_tests)}


def build_report(analysis: Analysis, shared: dict[int, dict], fragments: dict[int, list[Fragment]],
                 verdict: Verdict, tested: list[UnitMatch], strong: set[int], parameters: dict) -> Report:
    """``tested``: the matches the verdict weighed, in the order given to ``verdict.decide``."""
    reference, suspect = analysis.reference, analysis.suspect
    file_matches, function_matches = list(analysis.file_matches), list(analysis.function_matches)
    order = verdict.order
    significance = {id(m): (p, q) for m, p, q in zip(tested, verdict.unit_p_values, verdict.unit_q_values)}
    null = verdict.null
    functions_per_file = Counter((m.reference.unit.path, m.suspect.unit.path) for m in function_matches)
    files_out = []
    for m in file_matches:
        entry = _match(m, shared[id(m)], None, significance=significance.get(id(m)),
                       strong=id(m) in strong)
        entry["function_matches"] = functions_per_file[(m.reference.unit.path, m.suspect.unit.path)]
        entry["merged_from"] = [{"path": path, "function_matches": functions_per_file[(path, m.suspect.unit.path)]}
                                for path in analysis.merged_sources.get(m.suspect.unit.path, ())]
        files_out.append(entry)
    data = {
        "schema": SCHEMA,
        "tool": {"name": "derive", "version": __version__, "python": platform.python_version(),
                 "grammars": {g.name: {"package": g.distribution, "version": g.version}
                              for g in all_grammars()}},
        "parameters": parameters,
        "inputs": {"reference": _side(reference), "suspect": _side(suspect)},
        "filtration": _filtration(analysis),
        "verdict": {
            "label": verdict.label, "score": _r(verdict.score),
            "coverage": _r(verdict.coverage), "unit_level": verdict.unit_level,
            "strong_matches": verdict.strong_matches, "chance_matches": verdict.chance_matches,
            "strong_matches_needed": verdict.strong_matches_needed,
            "suspect_units": verdict.suspect_units,
            "suspect_nodes": verdict.suspect_nodes,
            "channels": verdict.channel_means,
            "names_agreement": _r(verdict.names_agreement), "silent_names": verdict.silent_names,
            "order": {"pairs_tested": order.pairs_tested, "files_tested": order.files_tested,
                      "concordance": _r(order.concordance), "z": _r(order.z),
                      "p_value": float(f"{order.p_value:.3g}")},
            "p_value": float(f"{verdict.p_value:.3g}") if verdict.p_value is not None else None,
            "null": ({"units": null.units, "pairs": list(null.pairs), "unit_alpha": null.alpha,
                      "strong_rate": _r(null.strong_rate),
                      "benchmark": null.benchmark} if null else None),
            "error_rates": null.error_rates if null else None,
            "explanation": verdict.explanation,
        },
        "file_matches": sorted(files_out, key=lambda e: (-e["score"], e["suspect"]["path"])),
        "function_matches": [
            _match(m, shared[id(m)], fragments.get(id(m)),
                   *((reference, suspect) if id(m) in strong else (None, None)),
                   significance=significance.get(id(m)), strong=id(m) in strong)
            for m in sorted(function_matches, key=lambda m: (-m.score, m.suspect.unit.key))],
    }
    return Report(data)


def write_report(report: Report, out_dir: Path, formats: tuple[str, ...]) -> list[Path]:
    from .render import RENDERERS

    out_dir.mkdir(parents=True, exist_ok=True)
    written = [out_dir / "report.json"]
    written[0].write_text(report.to_json(), encoding="utf-8")
    for fmt in formats:
        if fmt == "json":
            continue
        name, render = RENDERERS[fmt]
        path = out_dir / name
        path.write_text(render(report.data), encoding="utf-8")
        written.append(path)
    return written
