"""Compact Markdown summary of the report model (for pull requests, issues, terminals).

Paths and names come from the analysed code and are untrusted: inside tables they are set
as code spans (so no Markdown or HTML in them is interpreted) with pipes escaped and a
backtick fence longer than any backtick run they contain.
"""

from __future__ import annotations

import re

from ..calibration import describe_runs
from .numbers import (benchmark_splits, callbacks_suffix, format_interval, format_number, format_probability,
                      line_suffix)

MAX_FILE_MATCHES = 50
MAX_FUNCTION_MATCHES = 30
LABELS = {"derived": "DERIVED", "inconclusive": "INCONCLUSIVE", "not-derived": "NOT DERIVED"}
_TEXT_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _flat(value) -> str:
    return " ".join(str(value if value is not None else "").split())


def code(value) -> str:
    """A table-safe inline code span: pipes escaped, fence longer than any backtick run."""
    text = _flat(value).replace("|", "\\|")
    if not text:
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def text(value) -> str:
    """Plain untrusted text outside code spans: Markdown/HTML specials backslash-escaped."""
    return _TEXT_SPECIAL.sub(r"\\\1", _flat(value))


def _num(value, digits: int = 2) -> str:
    return format_number(value, digits, text)


sci = format_probability


def _confidence_lines(verdict: dict) -> list[str]:
    p_value = verdict.get("p_value")
    if p_value is not None:
        line = (f"Repository p-value: **{sci(p_value)}** (the chance of this many strong matches "
                f"if the suspect were not derived)")
        null = verdict.get("null")
        if isinstance(null, dict):
            line += (f"; null model: {_num(null.get('units'))} units from "
                     f"{describe_runs(null.get('pairs') or [])}")
            if verdict.get("silent_names"):
                line += (f", those whose names are as silent as the suspect's (mean identifier "
                         f"similarity {_num(verdict.get('names_agreement'), 3)})")
        out = [line + "."]
    else:
        out = ["Repository p-value: — (not calibrated: no null model)."]
    out.append("")
    rates = verdict.get("error_rates")
    if isinstance(rates, dict):
        recall = format_interval(rates.get("recall_ci95"))
        false_positives = format_interval(rates.get("false_positive_rate_ci95"))
        line = (f"Method's measured error rates: recall {_num(rates.get('translations_derived'))}/"
                f"{_num(rates.get('translations'))} translations derived"
                f"{f' (95% interval {recall})' if recall else ''}; false positives "
                f"{_num(rates.get('negatives_derived'))}/{_num(rates.get('negatives'))} "
                f"independent or unrelated pairs{f' (95% interval {false_positives})' if false_positives else ''}")
        if rates.get("benchmark") is not None:
            line += f"; benchmark {text(rates.get('benchmark'))}"
        out.append(line + ".")
        splits = benchmark_splits(rates)
        if splits:
            out.append("")
            out += [f"- {text(split.get('name'))} (sha256 `{text(split.get('sha256'))}`): "
                    f"{_num(split.get('translations_derived'))}/{_num(split.get('translations'))} translations, "
                    f"{_num(split.get('negatives_derived'))}/{_num(split.get('negatives'))} negatives derived"
                    for split in splits]
    else:
        out.append("Method's measured error rates: not measured.")
    return out


def _filtration_lines(filtration) -> list[str]:
    if not isinstance(filtration, dict):
        return ["Not recorded in this report (made by an older version)."]
    background = filtration.get("background")
    base = filtration.get("base")
    out = []
    if isinstance(background, dict):
        out.append(f"- background table: {code(background.get('table')) or '–'} "
                   f"({_num(background.get('documents'))} documents, "
                   f"{_num(background.get('packages'))} packages)")
    else:
        out.append("- background table: none")
    if isinstance(base, dict):
        commit = f", commit {code(base.get('commit'))}" if base.get("commit") is not None else ""
        out.append(f"- base codebase: {code(base.get('location')) or '–'}{commit} "
                   f"({_num(base.get('files'))} files)")
    else:
        out.append("- base codebase: none")
    removed = filtration.get("removed_shingles") or {}
    for reason in sorted(removed):
        counts = removed.get(reason) or {}
        out.append(f"- removed as {text(reason)}: " + (", ".join(
            f"{text(channel)} {_num(counts[channel])}" for channel in counts) or "nothing")
            + " distinct shingles")
    if not removed:
        out.append("- no shingles removed")
    licence = filtration.get("licence_comments") or {}
    skipped = filtration.get("skipped_files") or {}
    out.append(f"- licence comments left out: reference {_num(licence.get('reference'))}, "
               f"suspect {_num(licence.get('suspect'))}")
    out.append(f"- files skipped: reference {_num(skipped.get('reference'))}, "
               f"suspect {_num(skipped.get('suspect'))} (see Inputs)")
    tests = filtration.get("inline_tests") or {}
    parts = []
    for side in ("reference", "suspect"):
        counts = tests.get(side) if isinstance(tests.get(side), dict) else {}
        parts.append(f"{side} {_num(counts.get('count'))} items ({_num(counts.get('lines'))} lines)")
    out.append("- inline tests left out: " + ", ".join(parts))
    return out


def _row(cells) -> str:
    return "| " + " | ".join(cells) + " |"


def _side_lines(name: str, side: dict) -> list[str]:
    side = side or {}
    languages = ", ".join(f"{text(k)} ({v})" for k, v in (side.get("languages") or {}).items()) or "–"
    where = code(side.get("location")) or "–"
    extra = ""
    if side.get("revision") is not None:
        extra += f", revision {code(side.get('revision'))}"
    if side.get("commit") is not None:
        extra += f", commit {code(side.get('commit'))}"
    out = [f"- **{name}:** {where} ({text(side.get('kind') or '–')}{extra}): "
           f"{len(side.get('files') or [])} files, {side.get('functions_analysed', 0)} functions; "
           f"languages: {languages}"]
    # a file not in UTF-8 was read in the encoding it declares or, declaring none, as Windows-1252
    legacy = [f for f in side.get("files") or [] if f.get("encoding", "utf-8") != "utf-8"]
    if legacy:
        out.append("  - not UTF-8, read as: " + ", ".join(
            f"{code(f.get('path'))} ({text(f.get('encoding'))})" for f in legacy))
    counts = side.get("skipped_counts") or {}
    if counts:
        for reason, info in counts.items():
            info = info or {}
            out.append(f"  - skipped {code(reason)}: {info.get('count', 0)} "
                       f"({text(info.get('meaning', ''))})")
    else:
        out.append("  - no files skipped")
    return out


def render_markdown(report: dict) -> str:
    """Render the report model as a compact Markdown summary."""
    verdict = report.get("verdict") or {}
    tool = report.get("tool") or {}
    parameters = report.get("parameters") or {}
    label = verdict.get("label") or "unknown"
    channels = list(parameters.get("channels") or (verdict.get("channels") or {}).keys())

    out = [
        f"# {text(tool.get('name') or 'derive')} report",
        "",
        f"**Verdict: {LABELS.get(label, text(label))}** (`{text(label)}`), score "
        f"**{_num(verdict.get('score'))}** (coverage {_num(verdict.get('coverage'))}): "
        f"{verdict.get('strong_matches', 0)} strong of {verdict.get('suspect_units', 0)} suspect "
        f"{'functions' if verdict.get('unit_level', 'function') == 'function' else 'files'}, "
        f"of which chance may give {verdict.get('chance_matches') or 0}.",
        "",
        text(verdict.get("explanation", "")),
        "",
        *_confidence_lines(verdict),
        "",
    ]
    means = verdict.get("channels") or {}
    if means:
        out.append("Channel means over strong matches: " + ", ".join(
            f"{text(c)} {_num(means[c])}" for c in channels if c in means) + ".")
        out.append("")
    order = verdict.get("order") or {}
    if order.get("files_tested"):
        out.append(f"Order of matched functions: {order.get('pairs_tested', 0)} pairs in "
                   f"{order.get('files_tested', 0)} file pair(s), concordance "
                   f"{_num(order.get('concordance'))}, z = {_num(order.get('z'))}, "
                   f"p = {_num(order.get('p_value'), 3)}.")
        out.append("")

    file_matches = report.get("file_matches") or []
    out.append(f"## File matches ({min(len(file_matches), MAX_FILE_MATCHES)} of {len(file_matches)})")
    out.append("")
    if file_matches:
        out.append(_row(["Reference file", "Suspect file", "Score", "Margin", "Functions", "Strong"]))
        out.append(_row(["---", "---", "---:", "---:", "---:", "---"]))
        for m in file_matches[:MAX_FILE_MATCHES]:
            merged = "".join(f" + {code(s.get('path'))}" for s in m.get("merged_from") or [])
            out.append(_row([code((m.get("reference") or {}).get("path")) + merged,
                             code((m.get("suspect") or {}).get("path")),
                             _num(m.get("score")), _num(m.get("margin")),
                             str(m.get("function_matches", 0)), _num(bool(m.get("strong")))]))
    else:
        out.append("No file matches.")
    out.append("")

    strong = [m for m in report.get("function_matches") or [] if m.get("strong")]
    shown = strong[:MAX_FUNCTION_MATCHES]
    out.append(f"## Strong function matches ({len(shown)} of {len(strong)})")
    out.append("")
    if shown:
        out.append(_row(["Reference function", "Reference location", "Suspect function",
                         "Suspect location", "Score", "Margin", "p", "q"]))
        out.append(_row(["---", "---", "---", "---", "---:", "---:", "---:", "---:"]))
        for m in shown:
            ref, sus = m.get("reference") or {}, m.get("suspect") or {}
            out.append(_row([code(ref.get("name")),
                             code(f"{ref.get('path', '')}{line_suffix(ref)}{callbacks_suffix(ref)}"),
                             code(sus.get("name")), code(f"{sus.get('path', '')}{line_suffix(sus)}"),
                             _num(m.get("score")), _num(m.get("margin")),
                             sci(m.get("p_value")), sci(m.get("q_value"))]))
    else:
        out.append("No strong function matches.")
    out.append("")

    out.append("## Filtration (not evidence)")
    out.append("")
    out += _filtration_lines(report.get("filtration"))
    out.append("")

    inputs = report.get("inputs") or {}
    out.append("## Inputs")
    out.append("")
    out += _side_lines("Reference", inputs.get("reference"))
    out += _side_lines("Suspect", inputs.get("suspect"))
    out.append("")

    out.append("## Versions")
    out.append("")
    out.append(f"- {text(tool.get('name') or 'derive')} {text(tool.get('version', ''))}, "
               f"Python {text(tool.get('python', ''))}, schema {code(report.get('schema', ''))}")
    grammars = tool.get("grammars") or {}
    if grammars:
        packages = dict.fromkeys(((g or {}).get("package", name), (g or {}).get("version", ""))
                                 for name, g in sorted(grammars.items()))
        out.append("- grammars: " + ", ".join(f"{text(p)} {text(v)}" for p, v in packages))
    out.append("")
    return "\n".join(out)
