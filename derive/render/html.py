"""Self-contained HTML report: one file, inline CSS, no network resources, no script.

Everything in the report model is untrusted (analysed code, paths, names, strings), so the
Jinja2 environment autoescapes and nothing is ever marked safe. The view model is built
here in Python; the template only lays it out.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from ..calibration import describe_runs
from .numbers import benchmark_splits, callbacks_suffix, format_interval, format_number, format_probability

TEMPLATES = Path(__file__).parent / "templates"
FRAGMENT_COLOURS = 8  # fragment i is drawn with CSS class frag-(i % FRAGMENT_COLOURS)
CHANNEL_ORDER = ("structure", "identifiers", "strings", "numbers", "callees", "comments", "calls")
SHARED_ORDER = ("identifiers", "strings", "numbers", "callees", "comments")
LABELS = {
    "derived": ("Derived", "derived"),
    "inconclusive": ("Inconclusive", "inconclusive"),
    "not-derived": ("Not derived", "not-derived"),
}
CHANNEL_MEANING = {
    "structure": "shape of the syntax tree (control flow, nesting), independent of names",
    "identifiers": "variable, function and field names, split into words",
    "strings": "string literals",
    "numbers": "numeric literals",
    "callees": "names of called functions and methods",
    "comments": "words in comments and docstrings",
    "calls": "call graph: callers and callees matched to callers and callees of the other side",
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    env.filters["sci"] = sci
    return env


def _num(value, digits: int = 2) -> str:
    return format_number(value, digits, str)


def _pct(value, digits: int = 0) -> str:
    try:
        return f"{float(value):.{int(digits)}%}"
    except (TypeError, ValueError):
        return "–"


sci = format_probability


def _count(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _unique(values, limit: int) -> list[str]:
    """The first `limit` distinct values as text, in their original order."""
    out: list[str] = []
    for value in values or []:
        text = str(value)
        if text not in out:
            out.append(text)
            if len(out) == limit:
                break
    return out


def _width(value) -> int:
    """A bar width in percent, clamped to 0..100, always an int (safe in a style attribute)."""
    try:
        return max(0, min(100, round(float(value) * 100)))
    except (TypeError, ValueError):
        return 0


def _channels(report: dict) -> list[str]:
    """Channel names in a stable order: the parameters' order, then any others seen."""
    names = list((report.get("parameters") or {}).get("channels") or [])
    seen = set(names)
    sources = [(report.get("verdict") or {}).get("channels") or {}]
    sources += [m.get("channels") or {} for m in report.get("file_matches") or []]
    sources += [m.get("channels") or {} for m in report.get("function_matches") or []]
    for channels in sources:
        for name in channels:
            if name not in seen:
                seen.add(name)
                names.append(name)
    if not names:
        names = list(CHANNEL_ORDER)
    return names


def _lines(unit: dict) -> str:
    start, end = unit.get("start_line"), unit.get("end_line")
    if start is None:
        return ""
    return f"{start}–{end}" if end is not None and end != start else str(start)


def _where(unit: dict) -> str:
    lines = _lines(unit)
    where = f"{unit.get('path', '')}:{lines}" if lines else str(unit.get("path", ""))
    return where + callbacks_suffix(unit)


def _code_rows(unit: dict, fragments: list[dict], side: str, anchor: str) -> tuple[list[dict], int]:
    """One row per source line: number, text, and the fragment (if any) that covers it."""
    code = unit.get("code") or ""
    start = unit.get("start_line") or 1
    texts = code.split("\n") if code else []
    owner: dict[int, int] = {}
    first: dict[int, int] = {}
    for index, fragment in enumerate(fragments):
        span = fragment.get(side) or []
        if len(span) != 2:
            continue
        lo, hi = int(span[0]), int(span[1])
        first.setdefault(lo, index)
        for line in range(lo, hi + 1):
            owner.setdefault(line, index)
    rows = []
    for offset, text in enumerate(texts):
        number = start + offset
        index = owner.get(number)
        rows.append({
            "number": number,
            "text": text.expandtabs(4),
            "fragment": index,
            "colour": None if index is None else index % FRAGMENT_COLOURS,
            "mark": index + 1 if index is not None and first.get(number) == index else None,
            "id": f"{anchor}-{side[0]}{number}",
        })
    end = unit.get("end_line")
    hidden = max(0, end - (start + len(texts) - 1)) if isinstance(end, int) and texts else 0
    return rows, hidden


def _shared(shared: dict | None) -> list[dict]:
    shared = shared or {}
    names = [n for n in SHARED_ORDER if n in shared] + [n for n in shared if n not in SHARED_ORDER]
    return [{"name": n, "terms": [str(v) for v in shared[n] or []]} for n in names]


def _side(info: dict) -> dict:
    info = info or {}
    skipped_counts = info.get("skipped_counts") or {}
    return {
        "location": info.get("location"),
        "kind": info.get("kind"),
        "revision": info.get("revision"),
        "commit": info.get("commit"),
        "languages": sorted((info.get("languages") or {}).items()),
        "files": info.get("files") or [],
        "file_count": len(info.get("files") or []),
        "functions_analysed": info.get("functions_analysed"),
        "functions_too_small": info.get("functions_too_small"),
        "skipped": info.get("skipped") or [],
        "skipped_total": sum(int((v or {}).get("count", 0)) for v in skipped_counts.values()),
        "skipped_counts": [{"reason": reason, "count": (v or {}).get("count", 0),
                            "meaning": (v or {}).get("meaning", "")}
                           for reason, v in skipped_counts.items()],
    }


def _parameters(parameters: dict) -> list[tuple[str, str]]:
    rows = []
    for key, value in (parameters or {}).items():
        if isinstance(value, (dict, list)):
            text = json.dumps(value, ensure_ascii=False, sort_keys=False)
        else:
            text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
        rows.append((str(key), text))
    return rows


MAX_REMOVED_EXAMPLES = 6


def _confidence(verdict: dict) -> dict:
    """Repository p-value, null model and the method's measured error rates (each may be absent)."""
    null = verdict.get("null")
    null_view = None
    if isinstance(null, dict):
        benchmark = null.get("benchmark") or {}
        sha = str(benchmark.get("sha256") or "")
        null_view = {
            "units": null.get("units"),
            "pairs": [str(p) for p in null.get("pairs") or []],
            "strong_rate": null.get("strong_rate"),
            "unit_alpha": null.get("unit_alpha"),
            "runs": describe_runs(null.get("pairs") or []),
            "silent_names": bool(verdict.get("silent_names")),
            "names_agreement": verdict.get("names_agreement"),
            "benchmark": {"name": benchmark.get("name"), "manifest": benchmark.get("manifest"),
                          "sha256": sha, "sha_prefix": sha[:12]} if benchmark else None,
        }
    rates = verdict.get("error_rates")
    rates_view = None
    if isinstance(rates, dict):
        rates_view = {k: rates.get(k) for k in (
            "benchmark", "translations", "translations_derived", "negatives",
            "negatives_derived", "recall", "false_positive_rate", "evaluation")}
        rates_view["recall_interval"] = format_interval(rates.get("recall_ci95"))
        rates_view["false_positive_interval"] = format_interval(rates.get("false_positive_rate_ci95"))
        rates_view["splits"] = benchmark_splits(rates)
    return {"p_value": verdict.get("p_value"), "null": null_view, "error_rates": rates_view}


def _filtration(report: dict, channels: list[str]) -> dict | None:
    """What was removed before comparison; None for reports made before filtration was recorded."""
    filtration = report.get("filtration")
    if not isinstance(filtration, dict):
        return None
    removed = filtration.get("removed_shingles") or {}
    examples = filtration.get("removed_examples") or {}
    rows = []
    for reason in sorted(removed):
        counts = removed.get(reason) or {}
        names = [c for c in channels if c in counts] + sorted(c for c in counts if c not in channels)
        for channel in names:
            rows.append({"reason": str(reason), "channel": str(channel),
                         "count": counts.get(channel),
                         "examples": _unique((examples.get(reason) or {}).get(channel),
                                             MAX_REMOVED_EXAMPLES)})
    background = filtration.get("background")
    base = filtration.get("base")
    licence = filtration.get("licence_comments") or {}
    skipped = filtration.get("skipped_files") or {}
    tests = filtration.get("inline_tests") or {}
    return {
        "background": {"table": background.get("table"), "documents": background.get("documents"),
                       "packages": background.get("packages")}
        if isinstance(background, dict) else None,
        "base": {"location": base.get("location"), "commit": base.get("commit"),
                 "files": base.get("files")} if isinstance(base, dict) else None,
        "removed": rows,
        "removed_total": sum(_count(r["count"]) for r in rows),
        "licence_comments": {"reference": licence.get("reference"),
                             "suspect": licence.get("suspect")},
        "skipped_files": {"reference": skipped.get("reference"), "suspect": skipped.get("suspect")},
        "inline_tests": {side: _inline_tests(tests.get(side)) for side in ("reference", "suspect")},
    }


def _inline_tests(counts) -> dict:
    counts = counts if isinstance(counts, dict) else {}
    return {"count": counts.get("count"), "lines": counts.get("lines")}


def build_view(report: dict) -> dict:
    """The template's input: the report reorganised for display (still untrusted text)."""
    verdict = report.get("verdict") or {}
    tool = report.get("tool") or {}
    parameters = report.get("parameters") or {}
    channels = _channels(report)
    weights = parameters.get("channel_weights") or {}
    label = verdict.get("label") or "unknown"
    title, css = LABELS.get(label, (label, "unknown"))

    file_matches = []
    file_p_values = any("p_value" in m or "q_value" in m for m in report.get("file_matches") or [])
    for m in report.get("file_matches") or []:
        file_matches.append({
            "reference": (m.get("reference") or {}).get("path", ""),
            "suspect": (m.get("suspect") or {}).get("path", ""),
            "score": m.get("score"), "margin": m.get("margin"), "strong": bool(m.get("strong")),
            "channels": [(m.get("channels") or {}).get(c) for c in channels],
            "function_matches": m.get("function_matches", 0),
            "merged_from": [(s.get("path", ""), s.get("function_matches", 0)) for s in m.get("merged_from") or []],
            "p_value": m.get("p_value"), "q_value": m.get("q_value"),
        })

    function_matches, details = [], []
    for number, m in enumerate(report.get("function_matches") or [], start=1):
        ref, sus = m.get("reference") or {}, m.get("suspect") or {}
        anchor = f"match-{number}"
        strong = bool(m.get("strong"))
        has_code = strong and ("code" in ref or "code" in sus)
        function_matches.append({
            "number": number, "anchor": anchor if has_code else None,
            "reference_name": ref.get("name", ""), "reference_where": _where(ref),
            "suspect_name": sus.get("name", ""), "suspect_where": _where(sus),
            "score": m.get("score"), "margin": m.get("margin"), "strong": strong,
            "p_value": m.get("p_value"), "q_value": m.get("q_value"),
        })
        if not has_code:
            continue
        fragments = m.get("fragments") or []
        ref_rows, ref_hidden = _code_rows(ref, fragments, "reference", anchor)
        sus_rows, sus_hidden = _code_rows(sus, fragments, "suspect", anchor)
        legend = []
        for index, f in enumerate(fragments):
            r, s = f.get("reference") or [0, 0], f.get("suspect") or [0, 0]
            legend.append({
                "number": index + 1, "colour": index % FRAGMENT_COLOURS, "lines": f.get("lines"),
                "reference": f"{r[0]}–{r[1]}" if r[0] != r[1] else str(r[0]),
                "suspect": f"{s[0]}–{s[1]}" if s[0] != s[1] else str(s[0]),
                "reference_id": f"{anchor}-r{r[0]}", "suspect_id": f"{anchor}-s{s[0]}",
            })
        details.append({
            "number": number, "anchor": anchor,
            "reference": {"name": ref.get("name", ""), "where": _where(ref),
                          "language": ref.get("language", ""), "nodes": ref.get("nodes"),
                          "rows": ref_rows, "hidden": ref_hidden},
            "suspect": {"name": sus.get("name", ""), "where": _where(sus),
                        "language": sus.get("language", ""), "nodes": sus.get("nodes"),
                        "rows": sus_rows, "hidden": sus_hidden},
            "score": m.get("score"), "margin": m.get("margin"),
            "runner_up": m.get("runner_up"), "candidates": m.get("candidates"),
            "p_value": m.get("p_value"), "q_value": m.get("q_value"),
            "channels": [(c, (m.get("channels") or {}).get(c),
                          _width((m.get("channels") or {}).get(c))) for c in channels],
            "legend": legend,
            "aligned_lines": sum(int(f.get("lines") or 0) for f in fragments),
            "shared": _shared(m.get("shared")),
        })

    verdict_channels = verdict.get("channels") or {}
    grammars = sorted((tool.get("grammars") or {}).items())
    return {
        "schema": report.get("schema", ""),
        "tool": {"name": tool.get("name", "derive"), "version": tool.get("version", ""),
                 "python": tool.get("python", ""),
                 "grammars": [(name, (g or {}).get("package", ""), (g or {}).get("version", ""))
                              for name, g in grammars]},
        "parameters": _parameters(parameters),
        "verdict": {
            "label": label, "title": title, "css": css,
            "score": verdict.get("score"), "coverage": verdict.get("coverage"),
            "chance_matches": verdict.get("chance_matches") or 0,
            "unit_level": verdict.get("unit_level") or "function",
            "strong_matches": verdict.get("strong_matches"),
            "suspect_units": verdict.get("suspect_units"),
            "suspect_nodes": verdict.get("suspect_nodes"),
            "explanation": verdict.get("explanation", ""),
            "order": verdict.get("order") or {},
            **_confidence(verdict),
            "channels": [{"name": c, "weight": weights.get(c),
                          "meaning": CHANNEL_MEANING.get(c, ""),
                          "value": verdict_channels.get(c), "width": _width(verdict_channels.get(c))}
                         for c in channels],
        },
        "thresholds": {k: parameters.get(k) for k in ("strong_score", "strong_margin",
                                                      "derived_coverage", "inconclusive_coverage")},
        "channel_names": channels,
        "inputs": {"reference": _side((report.get("inputs") or {}).get("reference")),
                   "suspect": _side((report.get("inputs") or {}).get("suspect"))},
        "file_matches": file_matches,
        "file_p_values": file_p_values,
        "filtration": _filtration(report, channels),
        "function_matches": function_matches,
        "details": details,
        "fragment_colours": FRAGMENT_COLOURS,
    }


def render_html(report: dict) -> str:
    """Render the report model as one self-contained, print-friendly HTML page."""
    return _environment().get_template("report.html.j2").render(v=build_view(report))
