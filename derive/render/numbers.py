"""Number formatting shared by the renderers."""

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
