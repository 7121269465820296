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


# A named function with several named inner functions holding most (70%) of its code is a
# class written as a closure (`Showdown.converter = function () { var _DoHeaders = ... }`);
# one with a few helpers around a main body (zxcvbn's `most_guessable_match_sequence`, 60%)
# stays a function.
CLOSURE_CLASS_METHODS = 4
CLOSURE_CLASS_SHARE = 0.7


def scope_kind(node: UNode, module_names: frozenset[str]) -> str | None:
    """What a function defining two or more named functions is, when it is no unit itself:
    "module" for a nameless or exported wrapper (`(function () { ... })()`,
    `module.exports = function () {...}`), "class" for a named function made mostly of its
    inner functions. A function with a few closures stays one unit with them."""
    inner = _inner_functions(node)
    if len(inner) < 2:
        return None
    if node.name is None or node.name in module_names:
        return "module"
    methods_share = sum(f.size() for f in inner) / node.size()
    if len(inner) >= CLOSURE_CLASS_METHODS and methods_share >= CLOSURE_CLASS_SHARE:
        return "class"
    return None


def extract_units(parsed: ParsedFile) -> tuple[Unit, ...]:
    """The file unit first, then classes and named functions in source order.

    Functions nested in functions are part of the enclosing unit, as anonymous callbacks
    are: whether a helper is a closure, a lambda or a named inner function is a choice a
    translation changes freely. The exceptions are scopes (see ``scope_kind``): a module
    wrapper's functions are units of the enclosing scope, a closure class's functions are
    its methods. Methods are qualified by their class: ``Token.attrGet``.
    """
    path, language = parsed.source.path, parsed.source.language
    module_names = grammar_named(language).module_names
    units = [Unit("file", path, path, parsed.root.span, parsed.root, language)]
    stack: list[tuple[UNode, tuple[str, ...], bool]] = [(parsed.root, (), False)]
    while stack:
        node, scope, in_function = stack.pop()
        child_scope, child_in_function = scope, in_function
        is_scope = node.kind in FUNCTION_KINDS and not in_function and scope_kind(node, module_names)
        if (node.kind in CLASS_KINDS and node.name and not in_function) or is_scope == "class":
            units.append(Unit("class", path, ".".join(scope + (node.name,)), node.span, node,
                              language))
            child_scope = scope + (node.name,)
        elif is_scope == "module":
            pass  # its functions are units of the enclosing scope
        elif node.kind in FUNCTION_KINDS:
            if node.name and not in_function:
                units.append(Unit("function", path, ".".join(scope + (node.name,)), node.span,
                                  node, language))
            child_in_function = True
        stack.extend((child, child_scope, child_in_function) for child in reversed(node.children))
    return tuple(units)
