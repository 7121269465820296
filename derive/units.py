"""Units stage: the file, its classes and its functions, each with a qualified name."""

from __future__ import annotations

from .grammars import grammar_named
from .model import ParsedFile, Unit, UNode
from .tokens import canonical_name

CLASS_KINDS = frozenset({"CLASS", "INTERFACE", "ENUM", "NAMESPACE"})
FUNCTION_KINDS = frozenset({"FUNCTION", "LAMBDA"})


def _inner_functions(node: UNode, through_nameless: bool = False) -> list[UNode]:
    """Named functions directly inside ``node``'s body (not inside another function, or,
    ``through_nameless``, inside nameless functions only)."""
    found, stack = [], list(node.children)
    while stack:
        current = stack.pop()
        if current.kind in FUNCTION_KINDS:
            if current.name:
                found.append(current)
            elif through_nameless:
                stack.extend(current.children)
            continue
        stack.extend(current.children)
    return found


# A named function with several named inner functions holding most (70%) of its code is a
# class written as a closure (`Showdown.converter = function () { var _DoHeaders = ... }`);
# one with a few helpers around a main body (zxcvbn's `most_guessable_match_sequence`, 60%)
# stays a function, and so does one whose own code calls its inner functions (ProseMirror's
# `nfa` defines `node`, `edge`, `connect`, `compile` and returns `compile(expr)`'s graph):
# those are its helpers, not methods.
CLOSURE_CLASS_METHODS = 4
CLOSURE_CLASS_SHARE = 0.7
# A helper nested in a function is a unit of its own once it is this big: ports hoist such
# closures to the top level (ThumbHash's `encodeChannel` becomes Kotlin's `encode`) as often
# as they keep them, and either way it has a counterpart of its own. Smaller helpers stay
# in their enclosing unit, as anonymous callbacks do.
NESTED_FUNCTION_NODES = 40


def callee_name(call: UNode) -> str | None:
    """The canonical name a call calls: ``make`` for ``make()``, ``obj.make()``."""
    if not call.children:
        return None
    target = call.children[0]
    if target.kind == "MEMBER" and target.children:
        target = target.children[-1]
    return canonical_name(target.text) if target.kind == "IDENT" and target.text else None


def called_names(node: UNode, skipped: tuple[UNode, ...] = ()) -> frozenset[str]:
    """The canonical names of everything ``node``'s code calls, outside the ``skipped``
    subtrees."""
    left_out = {id(n) for n in skipped}
    names, stack = set(), [node]
    while stack:
        current = stack.pop()
        if current.kind == "CALL" and (name := callee_name(current)):
            names.add(name)
        stack.extend(c for c in current.children if id(c) not in left_out)
    return frozenset(names)


def is_nested_unit(node: UNode, called: frozenset[str]) -> bool:
    """Whether a function inside a unit's function is a unit of its own (the encloser then
    leaves it out), given the names the enclosing unit calls. Only a helper it calls by
    name is: a named function it merely passes on (``nodes_between(a, b, iteratee)``) is a
    callback, which another language writes as an anonymous lambda."""
    return (node.kind in FUNCTION_KINDS and node.name is not None
            and canonical_name(node.name) in called and node.size() >= NESTED_FUNCTION_NODES)


def _nested_units(function: UNode) -> tuple[UNode, ...]:
    """The outermost functions inside ``function`` that are units of their own."""
    called = called_names(function)
    found, stack = [], list(function.children)
    while stack:
        current = stack.pop()
        if is_nested_unit(current, called):
            found.append(current)
        else:
            stack.extend(current.children)
    return tuple(found)


def helper_units(unit: Unit) -> tuple[Unit, ...]:
    """The named functions inside a function unit that stay part of its code (small or
    uncalled helpers, left in as closures are), as units of their own kind "helper".

    A port may hoist such a helper into a function of its own (syllable's `countFactory`
    becomes Go's `counter.countAndRemove`); a helper then offers the reference side a
    counterpart for it. Its code is its encloser's too, so it is never evidence itself.
    """
    if unit.kind != "function":
        return ()
    stand_alone = {id(node) for node in unit.nested}
    found, stack = [], [(child, (unit.name,)) for child in reversed(unit.node.children)]
    while stack:
        node, scope = stack.pop()
        if id(node) in stand_alone:
            continue
        if node.kind in FUNCTION_KINDS and node.name:
            found.append(Unit("helper", unit.path, ".".join(scope + (node.name,)), node.span, node,
                              unit.language))
            scope = scope + (node.name,)
        stack.extend((child, scope) for child in reversed(node.children))
    return tuple(found)


def scope_kind(node: UNode, module_names: frozenset[str]) -> str | None:
    """What a function defining two or more named functions is, when it is no unit itself:
    "module" for a nameless or exported wrapper (`(function () { ... })()`,
    `module.exports = function () {...}`), "class" for a named function made mostly of its
    inner functions. A function with a few closures stays one unit with them."""
    if node.name is None or node.name in module_names:
        # a wrapper may hold its functions in another nameless wrapper, as UMD's
        # `(function (define) { define(function () { ... }) })(...)` does
        return "module" if len(_inner_functions(node, through_nameless=True)) >= 2 else None
    inner = _inner_functions(node)
    if len(inner) < 2:
        return None
    methods_share = sum(f.size() for f in inner) / node.size()
    if len(inner) >= CLOSURE_CLASS_METHODS and methods_share >= CLOSURE_CLASS_SHARE \
            and not {canonical_name(f.name) for f in inner} & called_names(node, tuple(inner)):
        return "class"
    return None


def extract_units(parsed: ParsedFile) -> tuple[Unit, ...]:
    """The file unit first, then classes and named functions in source order.

    Small functions nested in functions are part of the enclosing unit, as anonymous
    callbacks are: whether a helper is a closure, a lambda or a named inner function is a
    choice a translation changes freely. A large helper that its function calls by name is
    a unit of its own (``is_nested_unit``), qualified by its function:
    ``rgbaToThumbHash.encodeChannel``. Scopes (see ``scope_kind``) are no units: a module
    wrapper's functions are units of the enclosing scope, a closure class's functions are
    its methods. Methods are qualified by their class: ``Token.attrGet``.
    """
    path, language = parsed.source.path, parsed.source.language
    module_names = grammar_named(language).module_names
    units = [Unit("file", path, path, parsed.root.span, parsed.root, language)]
    # (node, qualified scope, ids of its enclosing function unit's nested units, or None
    # outside a function)
    stack: list[tuple[UNode, tuple[str, ...], frozenset[int] | None]] = [(parsed.root, (), None)]
    while stack:
        node, scope, nested_ids = stack.pop()
        in_function = nested_ids is not None
        child_scope, child_nested_ids = scope, nested_ids
        is_scope = node.kind in FUNCTION_KINDS and not in_function and scope_kind(node, module_names)
        if (node.kind in CLASS_KINDS and node.name and not in_function) or is_scope == "class":
            units.append(Unit("class", path, ".".join(scope + (node.name,)), node.span, node,
                              language))
            child_scope = scope + (node.name,)
        elif is_scope == "module":
            pass  # its functions are units of the enclosing scope
        elif node.kind in FUNCTION_KINDS:
            if node.name and (not in_function or id(node) in nested_ids):
                nested = _nested_units(node)
                units.append(Unit("function", path, ".".join(scope + (node.name,)), node.span,
                                  node, language, nested))
                child_scope, child_nested_ids = scope + (node.name,), frozenset(map(id, nested))
            elif not in_function:
                child_nested_ids = frozenset()  # a nameless function at top level is no unit
        stack.extend((child, child_scope, child_nested_ids) for child in reversed(node.children))
    return tuple(units)
