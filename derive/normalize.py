"""Normalize stage: a tree-sitter tree becomes a universal AST (``UNode``).

The grammar's mapping decides each node type's kind. Anonymous nodes (keywords,
punctuation) vanish; their only use is deciding operator kinds. Conversion is iterative:
deeply nested code must not hit Python's recursion limit.
"""

from __future__ import annotations

from dataclasses import replace

import tree_sitter

from .grammars import Grammar
from .kinds import (ASSIGNMENT, AUGMENTED_TOKENS, BINARY, DROP, FLATTEN, OPERATOR_KINDS,
                    SCOPE, UNARY, UPDATE)
from .model import ParsedFile, Span, UNode
from .parse import SyntaxTree
from .tokens import string_value

# Kinds whose nodes are leaves: their text is what channels read, their inside is not.
LEAF_KINDS = frozenset({"IDENT", "STRING", "TEMPLATE", "NUMBER", "COMMENT", "DOCSTRING",
                        "REGEX", "CHAR", "BOOL", "NULL", "SELF", "SUPER"})
NAMED_KINDS = frozenset({"FUNCTION", "LAMBDA", "CLASS", "INTERFACE", "ENUM", "NAMESPACE"})
# A nameless function bound by one of these takes the bound name (`const f = () => ...`).
BINDING_KINDS = frozenset({"ASSIGN", "VARIABLE", "KEY_VALUE", "FIELD"})
CONDITIONAL_KINDS = frozenset({"IF", "WHILE", "FOR", "FOREACH"})
DECLARING_KINDS = frozenset({"ASSIGN", "VARIABLE"})
UNARY_KINDS = {"-": "UNARY_MINUS", "!": "NOT", "not": "NOT", "~": "BITWISE", "^": "BITWISE"}


def _span(node: tree_sitter.Node) -> Span:
    return Span(node.start_byte, node.end_byte, node.start_point[0] + 1, node.end_point[0] + 1)


def _operator_token(node: tree_sitter.Node, data: bytes) -> str:
    operator = node.child_by_field_name("operator")
    if operator is not None:
        return data[operator.start_byte:operator.end_byte].decode("utf-8", "replace")
    tokens = [c for c in node.children if not c.is_named]
    for token in tokens:
        if token.type in OPERATOR_KINDS or token.type in AUGMENTED_TOKENS or token.type in UNARY_KINDS:
            return token.type
    return tokens[0].type if tokens else ""


MARKER_BYTES = 64  # a longer node is no inline-test marker, and its text is never read


def is_inline_test_marker(grammar: Grammar, node: tree_sitter.Node, data: bytes) -> bool:
    """Whether ``node`` is an attribute marking the next item as a test (`#[cfg(test)]`)."""
    if not grammar.inline_test_markers or node.end_byte - node.start_byte > MARKER_BYTES:
        return False
    return b"".join(data[node.start_byte:node.end_byte].split()).decode("utf-8", "replace") \
        in grammar.inline_test_markers


class _Converter:
    def __init__(self, syntax: SyntaxTree):
        self.grammar: Grammar = syntax.grammar
        self.data = syntax.data
        self.count = 0
        self.test_items: set[int] = set()  # ids of items an inline-test marker precedes
        self.inline_tests: list[Span] = []
        self.scoped = SCOPE in self.grammar.kinds.values()  # a grammar with statement-form scopes

    def text(self, node: tree_sitter.Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def kind_of(self, node: tree_sitter.Node) -> str:
        if node.is_error:
            return FLATTEN  # keep what tree-sitter recovered inside the error
        if not node.is_named:  # keywords and punctuation; operators are read by their parent
            return self.grammar.tokens.get(node.type, DROP)
        by_keyword = self.grammar.keywords.get(node.type)
        if by_keyword and (word := self.keyword(node)) in by_keyword:
            return by_keyword[word]
        mapped = self.grammar.kinds.get(node.type)
        if mapped is None:
            return "OTHER"
        if mapped in (BINARY, UNARY, ASSIGNMENT, UPDATE):
            return self.resolve_operator(node, mapped)
        return mapped

    def keyword(self, node: tree_sitter.Node) -> str:
        """The word a statement starts with (`next`, `break`), or a bare word's own text."""
        first = node.children[0] if node.child_count else node
        return self.text(first)

    def callee_keyword(self, node: tree_sitter.Node) -> list[UNode]:
        """Perl's `length $s`: the builtin's name is a keyword token, kept as the callee."""
        if node.type not in self.grammar.keyword_callees or not node.child_count:
            return []
        first = node.children[0]
        self.count += 1
        return [UNode("IDENT", _span(first), text=self.text(first))]

    def resolve_operator(self, node: tree_sitter.Node, directive: str) -> str:
        token = _operator_token(node, self.data)
        if directive == BINARY:
            if token in AUGMENTED_TOKENS and token not in OPERATOR_KINDS:
                return "AUG_ASSIGN"
            return self.grammar.operators.get(token) or OPERATOR_KINDS.get(token, "OTHER")
        if directive == UNARY:
            if token in ("++", "--"):  # prefix increment in C-like grammars
                return "AUG_ASSIGN"
            return UNARY_KINDS.get(token, FLATTEN if token in ("+", "*", "&", "<-") else "OTHER")
        if directive == ASSIGNMENT:
            return "AUG_ASSIGN" if token in AUGMENTED_TOKENS else "ASSIGN"
        return "AUG_ASSIGN"  # UPDATE

    def leaf(self, node: tree_sitter.Node, kind: str) -> UNode:
        self.count += 1
        text = self.text(node)
        if kind == "IDENT" and text in self.grammar.self_names:
            return UNode("SELF", _span(node), text=text)
        if node.type in self.grammar.receiver_fields:  # Ruby's `@name` is `self.name`
            span = _span(node)
            return UNode("MEMBER", span, (UNode("SELF", span, text=text[:1]),
                                          UNode(kind, span, text=text.lstrip("@"))))
        return UNode(kind, _span(node), text=text)

    def declared_name(self, node: tree_sitter.Node) -> str | None:
        """Follow the grammar's name fields (``name``, ``declarator``...) down to a name."""
        current, seen = node, 0
        while seen < 8:
            seen += 1
            nxt = None
            for field in self.grammar.name_fields:
                nxt = current.child_by_field_name(field)
                if nxt is not None:
                    break
            if nxt is None and current is not node and current.type.endswith("declarator"):
                # C++ `T& f()`: the reference declarator holds its declarator without a field
                nxt = next((c for c in current.named_children
                            if c.type.endswith(("declarator", "identifier", "name"))), None)
            if nxt is None:
                if current is node or current.type.endswith("declarator"):
                    return None  # a lambda's parameter list is no name
                return self.text(current)
            if nxt.child_count == 0 or nxt.type.endswith("identifier") or "name" in nxt.type:
                return self.text(nxt)
            current = nxt
        return None

    def build(self, node: tree_sitter.Node, kind: str, children: list[UNode]) -> list[UNode]:
        if self.scoped and any(c.kind == SCOPE for c in children):
            children = _close_scopes(children)
        if kind == FLATTEN:
            return children
        if kind == SCOPE:
            built = self.build(node, "CLASS", children)
            # the block form (`package Foo { ... }`) holds its own statements, the statement form
            # those after it (``_close_scopes``, in its parent's build)
            return built if any(c.kind == "BLOCK" for c in children) else [replace(b, kind=SCOPE) for b in built]
        self.count += 1
        if kind == "BLOCK":  # `var d;`, `int i;`: a name declared without a value computes nothing
            children = [c for c in children if not _bare_declaration(c)]
        span = _span(node)
        if kind == "CALL" and node.type in self.grammar.method_calls:
            children = self.method_as_member(node, children)
        if kind in ("CALL", "MEMBER") and children:
            builtin = self.builtin(kind, children, span)
            if builtin is not None:
                self.count += 1
                return [builtin]
        if kind == "SLICE" and node.type in self.grammar.slices_with_operand and len(children) >= 2:
            kind, children = "INDEX", [children[0], UNode("SLICE", span, tuple(children[1:]))]
        if kind == "INDEX" and len(children) == 2 and children[1].kind == "RANGE":
            children = [children[0], replace(children[1], kind="SLICE")]  # `s[1..n]` is `s[1:n]`
        if kind == "FOR":
            counted = _counting_loop(children, span)
            if counted is not None:
                self.count += 1
                return counted
        if kind == "AUG_ASSIGN" and len(children) == 1:  # `x++`: same shape as `x += 1`
            children = [children[0], UNode("NUMBER", span, text="1")]
        if self.grammar.docstrings and kind in ("MODULE", "BLOCK") and children:
            first = children[0]
            if first.kind == "STRING":
                children[0] = replace(first, kind="DOCSTRING")
        if kind == "INDEX" and self.is_receiver_field(node, children):
            # Perl's `$self->{name}` is the receiver's field, `self.name` elsewhere
            kind, children = "MEMBER", [*children[:-1], replace(children[-1], kind="IDENT")]
        if kind in CONDITIONAL_KINDS and children:
            children = self.condition_first(node, children)
        if kind in BINDING_KINDS and len(children) >= 2:
            target = children[0]
            if target.kind in ("IDENT", "MEMBER", "STRING", "SELF"):
                bound = self.data[target.span.start_byte:target.span.end_byte].decode(
                    "utf-8", "replace").strip("'\"`")
                # a lambda passed as a keyword argument is no unit of its own
                nameable = ("FUNCTION",) if kind == "KEY_VALUE" else ("FUNCTION", "LAMBDA")
                children = [replace(c, name=bound) if c.kind in nameable and c.name is None
                            else c for c in children]
        if kind == "CALL" and stores_on_receiver(children) and children[3].name is None:
            # Babel compiles a class field `m = () => ...` into the constructor as
            # `_defineProperty(this, "m", () => ...)`: the function is the method `m`
            children[3] = replace(children[3], name=string_value(children[2].text or ""))
        name = self.declared_name(node) if kind in NAMED_KINDS else None
        if kind in ("FUNCTION", "LAMBDA"):
            children = self.receiver_as_self(node, children)
            children = self.hoist_argument_unpacking(children)
            # the receiver is implicit in most languages: `def f(self, a)` is `f(a)`
            children = [c for c in children if c.kind != "SELF"]
        if name and kind == "FUNCTION" and self.grammar.receiver_field:
            name = self.qualify_by_receiver(node, name)
        return [UNode(kind, span, tuple(children), name=name)]

    def builtin(self, kind: str, children: list[UNode], span: Span) -> UNode | None:
        """`len(s)`, `s.length`, `s.len()`, `s.charAt(i)`, `range(n)` in their universal shape."""
        builtins = self.grammar.builtins
        target, arguments = children[0], children[1:]
        if kind == "MEMBER":
            name = children[-1]
            if len(children) == 2 and name.kind == "IDENT" and builtins.members.get(name.text) == "length":
                return UNode("LENGTH", span, (target,))
            return None
        if target.kind == "LENGTH" and not arguments:  # Java's `s.length()`: the member, called
            return target
        if target.kind == "IDENT" and target.text in builtins.calls:
            operation = builtins.calls[target.text]
            if operation == "range":
                return _range(arguments, span)
            subject, arguments = (arguments[0], arguments[1:]) if arguments else (None, [])
        elif (target.kind == "MEMBER" and len(target.children) == 2 and target.children[1].kind == "IDENT"
              and target.children[1].text in builtins.methods):
            operation, subject = builtins.methods[target.children[1].text], target.children[0]
        else:
            return None
        if subject is None:
            return None
        if operation == "length" and not arguments:
            return UNode("LENGTH", span, (subject,))
        if operation == "index" and len(arguments) == 1:
            return UNode("INDEX", span, (subject, arguments[0]))
        if operation == "slice" and 1 <= len(arguments) <= 2:
            return UNode("INDEX", span, (subject, UNode("SLICE", span, tuple(arguments))))
        return None

    def method_as_member(self, node: tree_sitter.Node, children: list[UNode]) -> list[UNode]:
        """Ruby's, Java's, PHP's and Perl's method calls name receiver and method side by side;
        `o.m(x)` is CALL(MEMBER(o, m), x) in every language, as JavaScript's member call is."""
        receiver_field, method_field = self.grammar.method_calls[node.type]
        receiver = node.child_by_field_name(receiver_field)
        method = node.child_by_field_name(method_field)
        if receiver is None or method is None:
            return children
        starts = [child.span.start_byte for child in children]
        if receiver.start_byte not in starts or method.start_byte not in starts:
            return children
        target, name = starts.index(receiver.start_byte), starts.index(method.start_byte)
        if name != target + 1:
            return children
        self.count += 1
        first, last = children[target].span, children[name].span
        member = UNode("MEMBER", Span(first.start_byte, last.end_byte, first.start_line, last.end_line),
                       (children[target], children[name]))
        return [*children[:target], member, *children[name + 1:]]

    def receiver_as_self(self, node: tree_sitter.Node, children: list[UNode]) -> list[UNode]:
        """Go's `func (c *Counter) Add()`: `c` is the method's `self`, whatever its spelling."""
        name = self.receiver_part(node, "identifier")
        return [_rename_as_self(child, name) for child in children] if name else children

    def receiver_part(self, node: tree_sitter.Node, node_type: str) -> str | None:
        """The text of the first ``node_type`` node in a method's receiver (Go)."""
        receiver = node.child_by_field_name(self.grammar.receiver_field or "")
        stack = [receiver] if receiver is not None else []
        while stack:
            current = stack.pop()
            if current.type == node_type:
                return self.text(current)
            stack.extend(reversed(current.named_children))
        return None

    def hoist_argument_unpacking(self, children: list[UNode]) -> list[UNode]:
        """Perl's `my ($self, $n) = @_;` and `my $n = shift;` opening a sub are its
        parameter list: they become parameters, as `(self, n)` is elsewhere."""
        arrays, shifts = self.grammar.argument_arrays, self.grammar.argument_shifts
        if not (arrays or shifts) or not children or children[-1].kind != "BLOCK":
            return children
        body = children[-1]
        parameters: list[UNode] = []
        kept: list[UNode] = []  # comments among the unpacking stay in the body
        for index, statement in enumerate(body.children):
            if statement.kind in ("COMMENT", "DOCSTRING"):
                kept.append(statement)
                continue
            targets = _unpacked_arguments(statement, arrays, shifts)
            if targets is None:
                kept.extend(body.children[index:])
                break
            parameters.extend(targets)
        if not parameters:
            return children
        return [*children[:-1], *parameters, replace(body, children=tuple(kept))]

    def is_receiver_field(self, node: tree_sitter.Node, children: list[UNode]) -> bool:
        key = node.child_by_field_name("key") if self.grammar.member_keys else None
        return (key is not None and key.type in self.grammar.member_keys
                and len(children) == 2 and children[0].kind == "SELF")

    def condition_first(self, node: tree_sitter.Node, children: list[UNode]) -> list[UNode]:
        """`return 0 if k > n` and `return 0 unless k <= n` take the shape of
        `if (k > n) return 0`: the condition first, negated for `unless` / `until`."""
        if node.type in self.grammar.condition_last and len(children) >= 2:
            # the body becomes a block, as the braces of `if (k > n) { return 0; }` make one
            body = children[:-1]
            block = UNode("BLOCK", Span(body[0].span.start_byte, body[-1].span.end_byte,
                                        body[0].span.start_line, body[-1].span.end_line),
                          tuple(body))
            children = [children[-1], block]
        negating = self.grammar.negating_keywords
        if negating and any(not c.is_named and c.type in negating for c in node.children):
            condition = children[0]
            children = [UNode("NOT", condition.span, (condition,)), *children[1:]]
        return children

    def qualify_by_receiver(self, node: tree_sitter.Node, name: str) -> str:
        """Go's `func (c *Counter) Add()` is the method `Counter.Add`."""
        receiver_type = self.receiver_part(node, "type_identifier")
        return f"{receiver_type}.{name}" if receiver_type else name

    def is_tail_expression(self, parent: tree_sitter.Node, child: tree_sitter.Node) -> bool:
        grammar = self.grammar
        if parent.type not in grammar.tail_return_blocks or parent.parent is None:
            return False
        if parent.parent.type not in grammar.tail_return_parents:
            return False
        last = parent.named_children[-1] if parent.named_child_count else None
        while last is not None and last.type in ("comment", "line_comment", "block_comment"):
            last = last.prev_named_sibling
        return last is not None and last.id == child.id and child.type not in grammar.statement_types

    def mark_test_item(self, node: tree_sitter.Node) -> None:
        """When ``node`` is an inline-test marker, note the item it marks (the next sibling
        that is neither another attribute nor a comment)."""
        if not is_inline_test_marker(self.grammar, node, self.data):
            return
        item = node.next_named_sibling
        while item is not None and self.kind_of(item) in (DROP, "COMMENT"):
            item = item.next_named_sibling
        if item is not None:
            self.test_items.add(item.id)

    def convert(self, root: tree_sitter.Node) -> UNode:
        root_kind = self.kind_of(root)
        frames = [(root, root_kind, iter(root.children), [])]
        while True:
            node, kind, pending, collected = frames[-1]
            child = next(pending, None)
            if child is not None:
                child_kind = self.kind_of(child)
                if child_kind == DROP:
                    if self.grammar.inline_test_markers:
                        self.mark_test_item(child)
                    continue
                if child.id in self.test_items:  # inline tests are left out, and counted
                    self.inline_tests.append(_span(child))
                    continue
                returned = self.is_tail_expression(node, child)
                if child_kind in LEAF_KINDS:
                    built = [self.leaf(child, child_kind)]
                    if returned:
                        built = [UNode("RETURN", built[0].span, tuple(built))]
                    collected.extend(built)
                    continue
                frames.append((child, ("RETURN", child_kind) if returned else child_kind,
                               iter(child.children), self.callee_keyword(child)))
                continue
            frames.pop()
            if isinstance(kind, tuple):  # a tail expression: returned implicitly
                built = self.build(node, kind[1], collected)
                built = [UNode("RETURN", _span(node), tuple(built))] if built else built
            else:
                built = self.build(node, kind, collected)
            if not frames:
                if len(built) == 1 and built[0].kind == "MODULE":
                    return built[0]
                return UNode("MODULE", _span(node), tuple(built))
            frames[-1][3].extend(built)


def _close_scopes(children: list[UNode]) -> list[UNode]:
    """Each statement-form scope (``package Foo;``) as a CLASS holding the statements after
    it, up to the next one: the subs after a Perl package statement are its methods."""
    groups: list[tuple[UNode | None, list[UNode]]] = [(None, [])]  # (scope, what it holds)
    for child in children:
        if child.kind == SCOPE:
            groups.append((child, []))
        else:
            groups[-1][1].append(child)
    closed = groups[0][1]
    for scope, held in groups[1:]:
        last = held[-1].span if held else scope.span
        closed.append(replace(scope, kind="CLASS", children=scope.children + tuple(held), span=Span(
            scope.span.start_byte, last.end_byte, scope.span.start_line, last.end_line)))
    return closed


def _range(arguments: list[UNode], span: Span) -> UNode | None:
    """`range(n)` counts from 0 to n, as `for (i = 0; i < n; i++)` does."""
    if len(arguments) == 1:
        return UNode("RANGE", span, (UNode("NUMBER", span, text="0"), arguments[0]))
    return UNode("RANGE", span, tuple(arguments)) if 2 <= len(arguments) <= 3 else None


def _counting_loop(children: list[UNode], span: Span) -> list[UNode] | None:
    """`for (i = a; i < b; i++) body` is `for i in range(a, b): body`: FOREACH(i, RANGE(a, b),
    body), after any other initialisers. None when the loop does not count one variable."""
    if len(children) < 4:
        return None
    *setup, condition, update, body = children
    if body.kind != "BLOCK" or condition.kind != "COMPARE" or update.kind != "AUG_ASSIGN":
        return None
    counter = condition.children[0] if len(condition.children) == 2 else None
    if counter is None or counter.kind != "IDENT":
        return None
    if not (len(update.children) == 2 and update.children[0].kind == "IDENT"
            and update.children[0].text == counter.text and update.children[1].kind == "NUMBER"):
        return None
    starts = [s for s in setup if s.kind in DECLARING_KINDS and len(s.children) == 2
              and s.children[0].kind == "IDENT" and s.children[0].text == counter.text]
    if len(starts) != 1:
        return None
    others = [s for s in setup if s is not starts[0]]
    bounds = UNode("RANGE", condition.span, (starts[0].children[1], condition.children[1]))
    return [*others, UNode("FOREACH", span, (counter, bounds, body))]


def _bare_declaration(node: UNode) -> bool:
    return (node.kind in DECLARING_KINDS and len(node.children) == 1
            and node.children[0].kind == "IDENT")


def _unpacked_arguments(statement: UNode, arrays: frozenset[str],
                        shifts: frozenset[str]) -> list[UNode] | None:
    """The names `my ($a, $b) = @_` or `my $a = shift` bind, else None."""
    if statement.kind != "ASSIGN" or len(statement.children) < 2:
        return None
    *targets, value = statement.children
    if not all(t.kind in ("IDENT", "SELF") for t in targets):
        return None
    if value.kind == "IDENT" and value.text in arrays:
        return targets
    if (len(targets) == 1 and value.kind == "CALL" and value.children
            and value.children[0].kind == "IDENT" and value.children[0].text in shifts
            and all(c.kind == "IDENT" and c.text in arrays for c in value.children[1:])):
        return targets
    return None


def stores_on_receiver(call_children: list[UNode] | tuple[UNode, ...]) -> bool:
    """Whether a call's children are `store(this, "name", function)`: a function put on the
    object under a literal name, as Babel's `_defineProperty` does with class fields."""
    return (len(call_children) == 4 and call_children[1].kind == "SELF"
            and call_children[2].kind == "STRING"
            and call_children[3].kind in ("FUNCTION", "LAMBDA"))


def _rename_as_self(root: UNode, name: str) -> UNode:
    """``root`` with every identifier spelled ``name`` turned into SELF (iteratively)."""
    def leaf(node: UNode) -> UNode:
        return replace(node, kind="SELF") if node.kind == "IDENT" and node.text == name else node

    if not root.children:
        return leaf(root)
    frames: list[tuple[UNode, list[UNode]]] = [(root, [])]
    pending = [iter(root.children)]
    while True:
        child = next(pending[-1], None)
        if child is not None:
            if child.children:
                frames.append((child, []))
                pending.append(iter(child.children))
            else:
                frames[-1][1].append(leaf(child))
            continue
        node, rebuilt = frames.pop()
        pending.pop()
        node = replace(node, children=tuple(rebuilt))
        if not frames:
            return node
        frames[-1][1].append(node)


def normalize(syntax: SyntaxTree) -> ParsedFile:
    converter = _Converter(syntax)
    root = converter.convert(syntax.tree.root_node)
    return ParsedFile(source=syntax.source, root=root, error_share=syntax.error_share,
                      node_count=converter.count, inline_tests=tuple(converter.inline_tests))
