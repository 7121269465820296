"""Units stage: the file, its classes and its functions, each with a qualified name."""

from __future__ import annotations

from .grammars import grammar_named
from .model import ParsedFile, Unit, UNode

CLASS_KINDS = frozenset({"CLASS", "INTERFACE", "ENUM", "NAMESPACE"})
FUNCTION_KINDS = frozenset({"FUNCTION", "LAMBDA"})


def _inner_functions(node: UNode) -> list[UNode]:
    """Named functions directly inside ``node``'s body (not inside another function)."""
    found, stack = [], list(node.children)
    while stack:
        current = stack.pop()
        if current.kind in FUNCTION_KINDS:
            if current.name:
                found.append(current)
            continue
        stack.extend(current.children)
    return found


def is_module_wrapper(node: UNode, module_names: frozenset[str]) -> bool:
    """`(function () { function a() {} ... })()`, `module.exports = function () {...}`: a
    nameless function, or one bound to the module itself, that defines named functions is
    a module, not a unit of code. (A named function's closures stay its own.)"""
    return (node.name is None or node.name in module_names) and len(_inner_functions(node)) >= 2


def extract_units(parsed: ParsedFile) -> tuple[Unit, ...]:
    """The file unit first, then classes and named functions in source order.

    Functions nested in functions are part of the enclosing unit, as anonymous callbacks
    are: whether a helper is a closure, a lambda or a named inner function is a choice a
    translation changes freely. The exception is a module wrapper (a nameless or exported
    function defining named functions): it is a scope, and its functions are the units. Methods are qualified by their class: ``Token.attrGet``.
    """
    path, language = parsed.source.path, parsed.source.language
    module_names = grammar_named(language).module_names
    units = [Unit("file", path, path, parsed.root.span, parsed.root, language)]
    stack: list[tuple[UNode, tuple[str, ...], bool]] = [(parsed.root, (), False)]
    while stack:
        node, scope, in_function = stack.pop()
        child_scope, child_in_function = scope, in_function
        if node.kind in CLASS_KINDS and node.name and not in_function:
            units.append(Unit("class", path, ".".join(scope + (node.name,)), node.span, node,
                              language))
            child_scope = scope + (node.name,)
        elif node.kind in FUNCTION_KINDS and not in_function and is_module_wrapper(node, module_names):
            pass  # its functions are units in the enclosing scope
        elif node.kind in FUNCTION_KINDS:
            if node.name and not in_function:
                units.append(Unit("function", path, ".".join(scope + (node.name,)), node.span,
                                  node, language))
            child_in_function = True
        stack.extend((child, child_scope, child_in_function) for child in reversed(node.children))
    return tuple(units)
