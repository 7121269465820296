"""Units stage: the file, its classes and its functions, each with a qualified name."""

from __future__ import annotations

from .constants import file_constants, read_constants
from .grammars import grammar_named
from .model import ParsedFile, Unit, UNode
from .normalize import stores_on_receiver
from .tokens import canonical_name, string_value

CLASS_KINDS = frozenset({"CLASS", "INTERFACE", "ENUM", "NAMESPACE"})
FUNCTION_KINDS = frozenset({"FUNCTION", "LAMBDA"})


def _inner_functions(node: UNode, through_nameless: bool = False, in_calls: bool = True) -> list[UNode]:
    """Named functions directly inside ``node``'s body (not inside another function, or,
    ``through_nameless``, inside nameless functions only; with ``in_calls`` false, not
    inside a call either: a function handed to a call is its callback)."""
    found, stack = [], list(node.children)
    while stack:
        current = stack.pop()
        if current.kind in FUNCTION_KINDS:
            if current.name:
                found.append(current)
            elif through_nameless:
                stack.extend(current.children)
            continue
        if current.kind == "CALL" and not in_calls:
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
# A constructor is named by its class: Python's `Range.__init__`, JavaScript's
# `Range.constructor` (or `function Range`) and Ruby's `Range.initialize` are one name.
CONSTRUCTOR_NAMES = frozenset({"init", "constructor", "initialize", "construct", "new"})


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


def _receiver_methods(constructor: UNode) -> frozenset[int]:
    """The ids of the functions a constructor stores on its object, outside other
    functions: class fields compiled away (tsc's `this.m = () => ...`, Babel's
    `_defineProperty(this, "m", () => ...)`) are the class's methods, not the constructor's
    code."""
    found, stack = set(), list(constructor.children)
    while stack:
        current = stack.pop()
        if current.kind in FUNCTION_KINDS:
            continue
        children = current.children
        if current.kind == "ASSIGN" and len(children) == 2 and _member_of_self(children[0]):
            stored = children[1]
        elif current.kind == "CALL" and stores_on_receiver(children):
            stored = children[3]
        else:
            stored = None
        if stored is not None and stored.kind in FUNCTION_KINDS and stored.name:
            found.add(id(stored))
        stack.extend(children)
    return frozenset(found)


def _nested_units(function: UNode) -> tuple[UNode, ...]:
    """The outermost functions inside ``function`` that are units of their own."""
    called = called_names(function)
    methods = (_receiver_methods(function)
               if function.name and canonical_name(function.name.rsplit(".", 1)[-1]) in CONSTRUCTOR_NAMES
               else frozenset())
    found, stack = [], list(function.children)
    while stack:
        current = stack.pop()
        if id(current) in methods or is_nested_unit(current, called):
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
    inner functions (not counting callbacks it hands to calls). A function with a few
    closures stays one unit with them."""
    if node.name is None or node.name in module_names:
        # a wrapper may hold its functions in another nameless wrapper, as UMD's
        # `(function (define) { define(function () { ... }) })(...)` does
        return "module" if len(_inner_functions(node, through_nameless=True)) >= 2 else None
    inner = _inner_functions(node, in_calls=False)  # Opal names the blocks it passes to `$send`
    if len(inner) < 2:
        return None
    methods_share = sum(f.size() for f in inner) / node.size()
    # a constructor function (`function Quantize() { this.outer_loop = function ... }`) is
    # a class even when its code calls an inner function (`new BinSearchDirection(1)`)
    if len(inner) >= CLOSURE_CLASS_METHODS and methods_share >= CLOSURE_CLASS_SHARE and (
            len(_receiver_methods(node)) >= CLOSURE_CLASS_METHODS
            or not {canonical_name(f.name) for f in inner} & called_names(node, tuple(inner))):
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
    constants = file_constants(parsed.root)
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
                read = (read_constants(node, frozenset(map(id, nested)), constants, _bound_names(node))
                        if constants else ())  # most files have none: spare the walks
                units.append(Unit("function", path, ".".join(scope + (node.name,)), node.span,
                                  node, language, nested, constants=read))
                child_scope, child_nested_ids = scope + (node.name,), frozenset(map(id, nested))
            elif not in_function:
                child_nested_ids = frozenset()  # a nameless function at top level is no unit
        stack.extend((child, child_scope, child_nested_ids) for child in reversed(node.children))
    return tuple(units)


# A function that hands other functions of its file to a call runs them as part of its
# work: PHP Markdown's `doAnchors` passes `array(&$this, '_doAnchors_reference_callback')`
# to `preg_replace_callback`, Python passes `self._sub` to `re.sub`, C passes a function
# pointer. A port often writes such callbacks inside the function, as closures or lambdas,
# so the function with its callbacks is the counterpart. Beyond a few it is a dispatch
# table, not one piece of work.
MAX_CALLBACKS = 3
VARIABLE_SIGILS = ("$", "@", "%")  # `$text` names a variable, never a function


def _reference(node: UNode) -> tuple[str, bool, bool] | None:
    """The name a call argument refers to a function by, and whether that function may be
    one of the caller's own scope, and one at the top level: a member of the object itself
    (`self._sub`: a method), a bare name (a top-level function: a bare name is no method
    reference in Python or JavaScript, and a method call in Ruby) or a string holding a
    name (PHP's callables: either). Spelled as written: in its own language `self._exp` is
    no reference to `exp`."""
    if node.kind == "IDENT" and node.text and not node.text.startswith(VARIABLE_SIGILS):
        return node.text, False, True
    if node.kind == "STRING" and node.text:
        value = string_value(node.text)
        return (value, True, True) if value.replace("_", "").isalnum() else None
    if member := _member_of_self(node):
        return member, True, False
    return None


def _member_of_self(node: UNode) -> str | None:
    """The member name of `self.name` (`this.name`, `@name`), else None."""
    if node.kind == "MEMBER" and len(node.children) == 2 and node.children[0].kind == "SELF" \
            and node.children[1].kind == "IDENT":
        return node.children[1].text
    return None


def _bound_names(function: UNode) -> set[str]:
    """Names ``function`` binds itself (parameters, assigned variables): a callback
    argument spelled like one of them is that variable."""
    # a parameter may be a bare name among the function's children
    bound = {child.text for child in function.children if child.kind == "IDENT" and child.text}
    for node in function.walk():
        if node.kind in ("PARAMETER", "VARIABLE", "ASSIGN") and node.children:
            first = node.children[0]
            if first.kind == "IDENT" and first.text:
                bound.add(first.text)
    return bound


def passed_functions(function: UNode) -> set[tuple[str, bool, bool]]:
    """What ``function`` hands to calls as arguments (alone or in a list, as PHP's
    `array($this, 'name')`) without calling it itself: names, each with where it may be
    defined (``_reference``)."""
    passed = set()
    for node in function.walk():
        if node.kind != "CALL":
            continue
        for argument in node.children[1:]:
            for candidate in argument.children if argument.kind == "LIST" else (argument,):
                if found := _reference(candidate):
                    passed.add(found)
    if not passed:  # most functions: spare the walks below
        return passed
    called, bound = called_names(function), _bound_names(function)
    return {found for found in passed if found[0] not in bound and canonical_name(found[0]) not in called}


def _takes_arguments(function: UNode) -> bool:
    """Whether a function has parameters (its receiver aside): a callback is called with
    something (a match, two items to compare); a getter handed on is a value."""
    return any(child.kind in ("IDENT", "PARAMETER") and child.text != function.name
               for child in function.children)


def callback_composites(units: tuple[Unit, ...]) -> tuple[Unit, ...]:
    """For each function unit of one file that hands one to ``MAX_CALLBACKS`` other
    functions of its scope (or top-level functions) to calls, a unit "composite": the
    function with the callbacks' code after its own, named and placed as the function.
    Like helpers, composites are reference candidates only: their code is their parts'."""
    functions = [unit for unit in units if unit.kind == "function"]
    by_scope: dict[tuple[str, str], list[Unit]] = {}
    for unit in functions:
        scope, _, last = unit.name.rpartition(".")
        by_scope.setdefault((scope, last), []).append(unit)
    composites = []
    for unit in functions:
        scope = unit.name.rpartition(".")[0]
        callbacks: list[Unit] = []
        for name, in_scope, top_level in sorted(passed_functions(unit.node)):
            found = (in_scope and by_scope.get((scope, name))) or (top_level and by_scope.get(("", name))) or []
            if len(found) == 1 and _takes_arguments(found[0].node) and \
                    all(found[0] is not other for other in [unit, *callbacks]) and \
                    not any(found[0].node is nested for nested in unit.nested):
                callbacks.append(found[0])
        if not 1 <= len(callbacks) <= MAX_CALLBACKS:
            continue
        callbacks.sort(key=lambda c: c.span.start_byte)
        node = UNode(unit.node.kind, unit.node.span,
                     unit.node.children + tuple(c.node for c in callbacks), unit.node.text, unit.node.name)
        nested = unit.nested + tuple(n for c in callbacks for n in c.nested)
        constants = unit.constants + tuple(n for c in callbacks for n in c.constants)
        composites.append(Unit("composite", unit.path, unit.name, unit.span, node, unit.language,
                               nested, tuple(callbacks), constants))
    return tuple(composites)

