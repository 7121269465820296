"""Named literal constants of a file, and the functions that read them.

A port moves literals between a function and the constants it reads freely: Perl's Moses
tokenizer writes each substitution inline where sacremoses keeps them in class attributes
(`PAD_NOT_ISALNUM = r"...", r" \\1 "`) that its methods apply, and a JavaScript regex literal
becomes a module-level `re.compile(...)` in Python. So the literals of a function include
those of the constants of its file it reads.
"""

from __future__ import annotations

from .model import UNode

LITERAL_KINDS = frozenset({"STRING", "TEMPLATE", "CHAR", "REGEX", "NUMBER"})
CODE_KINDS = frozenset({"FUNCTION", "LAMBDA", "CLASS"})  # a value holding code is no constant
# A constant with more literals is a data table (entities, keywords, a grammar's tokens):
# what a specification dictates, read by any implementation of it. It stays the file's.
MAX_CONSTANT_LITERALS = 16


def _literals(values: tuple[UNode, ...]) -> tuple[UNode, ...] | None:
    """The literal nodes of a constant's value, or None when the value is no literal
    constant (it holds code, no literal, or a table's worth)."""
    found, stack = [], list(reversed(values))
    while stack:
        node = stack.pop()
        if node.kind in CODE_KINDS:
            return None
        if node.kind in LITERAL_KINDS:
            found.append(node)
        else:
            stack.extend(reversed(node.children))
    return tuple(found) if 0 < len(found) <= MAX_CONSTANT_LITERALS else None


def file_constants(root: UNode) -> dict[str, tuple[UNode, ...]]:
    """Name -> literal nodes of each constant assigned outside named functions (module or
    class level, or in a module wrapper: `RE = re.compile(r"...")`, `static PAD = "..."`,
    `const X = /.../`). A name assigned twice is left out: which value a function reads is
    not known."""
    assigned: dict[str, list[tuple[UNode, ...] | None]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.kind in ("FUNCTION", "LAMBDA") and node.name:
            continue  # a function's assignments are its own; a nameless wrapper's are the file's
        if node.kind in ("ASSIGN", "FIELD") and len(node.children) >= 2 \
                and node.children[0].kind == "IDENT" and node.children[0].text:
            assigned.setdefault(node.children[0].text, []).append(_literals(node.children[1:]))
            continue
        stack.extend(node.children)
    return {name: values[0] for name, values in assigned.items()
            if len(values) == 1 and values[0] is not None}


def read_constants(function: UNode, skipped: frozenset[int], constants: dict[str, tuple[UNode, ...]],
                   bound: set[str]) -> tuple[UNode, ...]:
    """The literal nodes of the constants ``function`` reads, in name order: by a bare name
    it does not bind itself, or as a member of itself or of a named object it does not bind
    (`self.PAD`, `T.PAD`, `self::PAD`; not `row.label`). Nodes with ids in ``skipped``
    (nested units) are not its code."""
    read, stack = set(), list(function.children)
    while stack:
        node = stack.pop()
        if id(node) in skipped:
            continue
        if node.kind == "IDENT":
            if node.text in constants and node.text not in bound:
                read.add(node.text)
            continue
        if node.kind == "MEMBER" and len(node.children) == 2 and node.children[1].kind == "IDENT":
            owner, member = node.children
            named_object = owner.kind == "SELF" or (owner.kind == "IDENT" and owner.text not in bound)
            if named_object and member.text in constants:
                read.add(member.text)
            stack.append(owner)  # another object's member is no read of a constant
            continue
        stack.extend(node.children)
    return tuple(literal for name in sorted(read) for literal in constants[name])
