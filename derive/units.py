"""Units stage: the file, its classes and its functions, each with a qualified name."""

from __future__ import annotations

from .model import ParsedFile, Unit, UNode

CLASS_KINDS = frozenset({"CLASS", "INTERFACE", "ENUM", "NAMESPACE"})
FUNCTION_KINDS = frozenset({"FUNCTION", "LAMBDA"})


def extract_units(parsed: ParsedFile) -> tuple[Unit, ...]:
    """The file unit first, then classes and named functions in source order.

    Functions nested in functions are part of the enclosing unit, as anonymous callbacks
    are: whether a helper is a closure, a lambda or a named inner function is a choice a
    translation changes freely. Methods are qualified by their class: ``Token.attrGet``.
    """
    path, language = parsed.source.path, parsed.source.language
    units = [Unit("file", path, path, parsed.root.span, parsed.root, language)]
    stack: list[tuple[UNode, tuple[str, ...], bool]] = [(parsed.root, (), False)]
    while stack:
        node, scope, in_function = stack.pop()
        child_scope, child_in_function = scope, in_function
        if node.kind in CLASS_KINDS and node.name and not in_function:
            units.append(Unit("class", path, ".".join(scope + (node.name,)), node.span, node,
                              language))
            child_scope = scope + (node.name,)
        elif node.kind in FUNCTION_KINDS:
            if node.name and not in_function:
                units.append(Unit("function", path, ".".join(scope + (node.name,)), node.span,
                                  node, language))
            child_in_function = True
        stack.extend((child, child_scope, child_in_function) for child in reversed(node.children))
    return tuple(units)
