"""Comparators and ranges: ">=1.2.3 <2.0.0", "^1.2.3", "~1.2.3"."""

import re

from .version import Version

OPERATORS = [">=", "<=", ">", "<", "="]


def parse_comparator(text):
    for op in OPERATORS:
        if text.startswith(op):
            return {"operator": op, "version": Version(text[len(op):])}
    return {"operator": "=", "version": Version(text)}


def test_comparator(comparator, version):
    order = version.compare(comparator["version"])
    operator = comparator["operator"]
    if operator == ">=":
        return order >= 0
    if operator == "<=":
        return order <= 0
    if operator == ">":
        return order > 0
    if operator == "<":
        return order < 0
    return order == 0


# ^1.2.3 := >=1.2.3 <2.0.0, ^0.2.3 := >=0.2.3 <0.3.0
def replace_caret(text):
    base = Version(text[1:])
    if base.major != 0:
        upper = f"{base.major + 1}.0.0"
    elif base.minor != 0:
        upper = f"0.{base.minor + 1}.0"
    else:
        upper = f"0.0.{base.patch + 1}"
    return [f">={base}", f"<{upper}"]


# ~1.2.3 := >=1.2.3 <1.3.0
def replace_tilde(text):
    base = Version(text[1:])
    return [f">={base}", f"<{base.major}.{base.minor + 1}.0"]


def parse_range(range_text):
    comparators = []
    for part in re.split(r"\s+", range_text.strip()):
        if part.startswith("^"):
            comparators.extend(parse_comparator(c) for c in replace_caret(part))
        elif part.startswith("~"):
            comparators.extend(parse_comparator(c) for c in replace_tilde(part))
        elif len(part) > 0:
            comparators.append(parse_comparator(part))
    if len(comparators) == 0:
        raise TypeError(f"Invalid range: {range_text}")
    return comparators


def satisfies(version, range_text):
    parsed = Version(version) if isinstance(version, str) else version
    return all(test_comparator(c, parsed) for c in parse_range(range_text))


def max_satisfying(versions, range_text):
    best = None
    for text in versions:
        if not satisfies(text, range_text):
            continue
        candidate = Version(text)
        if best is None or candidate.compare(best) > 0:
            best = candidate
    return None if best is None else str(best)
