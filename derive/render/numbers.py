"""Number and line-span formatting, and report reading, shared by the renderers."""

from __future__ import annotations


def format_number(value, digits: int = 2, fallback=str) -> str:
    """Scores with fixed digits, counts as integers, booleans as yes/no, None as a dash."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    try:
        return f"{float(value):.{digits}f}"
    except (TypeError, ValueError):
        return fallback(value)


def format_probability(value) -> str:
    """A probability in scientific notation with 2 significant digits (6.8e-30); None as '—'."""
    if value is None or isinstance(value, bool):
        return "—"
    try:
        return f"{float(value):.1e}"
    except (TypeError, ValueError):
        return "—"


def line_suffix(unit: dict) -> str:
    """``:12-40`` (or ``:12``) to append to a unit's path; empty without a start line."""
    start, end = unit.get("start_line"), unit.get("end_line")
    if start is None:
        return ""
    return f":{start}-{end}" if end is not None and end != start else f":{start}"


def callbacks_suffix(unit: dict) -> str:
    """`` with callbacks _sub:40-52, _atx:54-60`` for a composite reference unit (the
    function and the callbacks it hands to calls); empty for any other unit."""
    callbacks = unit.get("callbacks") or []
    if not callbacks:
        return ""
    return " with callbacks " + ", ".join(f"{c.get('name', '')}{line_suffix(c)}" for c in callbacks)


def format_interval(bounds) -> str | None:
    """A rate's confidence interval ``[low, high]`` as percentages (86.4%–98.5%); None when
    the report has none (an older report, or a rate measured without one)."""
    try:
        low, high = (float(b) for b in bounds)
    except (TypeError, ValueError):
        return None
    return f"{low:.1%}–{high:.1%}"


def benchmark_splits(rates: dict) -> list[dict]:
    """The benchmark's splits the error rates were measured on, listed when there are
    several (one split says no more than the totals); malformed entries are left out."""
    splits = rates.get("splits")
    if not isinstance(splits, list) or len(splits) < 2:
        return []
    return [split for split in splits if isinstance(split, dict)]
