"""Units stage: the file, its classes and its functions, each with a qualified name."""

from __future__ import annotations

from .model import ParsedFile, Unit, UNode

CLASS_KINDS = frozenset({"CLASS", "INTERFACE", "ENUM", "NAMESPACE"})
FUNCTION_KINDS = frozenset({"FUNCTION", "LAMBDA"})


def extract_units(parsed: ParsedFile) -> tuple[Unit, ...]:
    """The file unit first, then classes and named functions in source order.

    Nested named functions are units of their own; anonymous callbacks stay part of the
    function that contains them. Methods are qualified by their class: ``Token.attrGet``.
    """
    path, language = parsed.source.path, parsed.source.language
    units = [Unit("file", path, path, parsed.root.span, parsed.root, language)]
    stack: list[tuple[UNode, tuple[str, ...]]] = [(parsed.root, ())]
    while stack:
        node, scope = stack.pop()
        child_scope = scope
        if node.kind in CLASS_KINDS and node.name:
            units.append(Unit("class", path, ".".join(scope + (node.name,)), node.span, node,
                              language))
            child_scope = scope + (node.name,)
        elif node.kind in FUNCTION_KINDS and node.name:
            units.append(Unit("function", path, ".".join(scope + (node.name,)), node.span, node,
                              language))
            child_scope = scope + (node.name,)
        stack.extend((child, child_scope) for child in reversed(node.children))
    return tuple(units)
