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

from .numbers import format_number

TEMPLATES = Path(__file__).parent / "templates"
FRAGMENT_COLOURS = 8  # fragment i is drawn with CSS class frag-(i % FRAGMENT_COLOURS)
CHANNEL_ORDER = ("structure", "identifiers", "strings", "numbers", "callees", "comments")
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
}


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    return env


def _num(value, digits: int = 2) -> str:
    return format_number(value, digits, str)


def _pct(value) -> str:
    try:
        return f"{float(value):.0%}"
    except (TypeError, ValueError):
        return "–"


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
    return f"{unit.get('path', '')}:{lines}" if lines else str(unit.get("path", ""))


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
    for m in report.get("file_matches") or []:
        file_matches.append({
            "reference": (m.get("reference") or {}).get("path", ""),
            "suspect": (m.get("suspect") or {}).get("path", ""),
            "score": m.get("score"), "margin": m.get("margin"), "strong": bool(m.get("strong")),
            "channels": [(m.get("channels") or {}).get(c) for c in channels],
            "function_matches": m.get("function_matches", 0),
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
            "unit_level": verdict.get("unit_level") or "function",
            "strong_matches": verdict.get("strong_matches"),
            "suspect_units": verdict.get("suspect_units"),
            "suspect_nodes": verdict.get("suspect_nodes"),
            "explanation": verdict.get("explanation", ""),
            "order": verdict.get("order") or {},
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
        "function_matches": function_matches,
        "details": details,
        "fragment_colours": FRAGMENT_COLOURS,
    }


def render_html(report: dict) -> str:
    """Render the report model as one self-contained, print-friendly HTML page."""
    return _environment().get_template("report.html.j2").render(v=build_view(report))
