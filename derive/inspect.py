"""``derive inspect``: the universal AST and units of one file, for writing mappings."""

from __future__ import annotations

from .model import ParsedFile, UNode
from .units import extract_units


def format_uast(node: UNode, max_text: int = 40) -> str:
    """One node a line, indented by depth: ``KIND [lines] name/text``."""
    lines = []
    stack = [(node, 0)]
    while stack:
        current, depth = stack.pop()
        label = f"{current.kind} [{current.span.start_line}-{current.span.end_line}]"
        if current.name:
            label += f" name={current.name}"
        if current.text is not None:
            text = current.text.replace("\n", "\\n")
            label += " " + (text if len(text) <= max_text else text[:max_text] + "...")
        lines.append("  " * depth + label)
        stack.extend((child, depth + 1) for child in reversed(current.children))
    return "\n".join(lines)


def format_units(parsed: ParsedFile) -> str:
    rows = []
    for unit in extract_units(parsed):
        rows.append(f"{unit.kind:8} {unit.name}  lines {unit.span.start_line}-{unit.span.end_line}"
                    f"  nodes {unit.node.size()}")
    return "\n".join(rows)
