"""Parse stage: tree-sitter turns a ``SourceFile`` into a concrete syntax tree.

tree-sitter recovers from syntax errors; the share of bytes inside ERROR or MISSING
nodes is measured so the report can say how much of a file parsed cleanly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import tree_sitter

from .grammars import Grammar, ItemMacros, grammar_named
from .preprocess import blank, blank_macro_lines, preprocessed
from .model import SourceFile


@dataclass(frozen=True)
class SyntaxTree:
    source: SourceFile
    grammar: Grammar
    tree: tree_sitter.Tree
    data: bytes  # the UTF-8 bytes that tree spans index into
    error_bytes: int  # bytes in outermost ERROR nodes, plus one per MISSING node

    @property
    def error_share(self) -> float:
        return min(1.0, self.error_bytes / len(self.data)) if self.data else 0.0

    @property
    def written(self) -> bytes:
        """The file as written: ``data`` may have macros blanked or PHP's curly subscripts
        squared, at the same offsets."""
        return self.source.text.encode("utf-8")


@cache
def _parser(grammar: Grammar) -> tree_sitter.Parser:
    return tree_sitter.Parser(grammar.language())


def _error_bytes(tree: tree_sitter.Tree) -> int:
    """Bytes covered by outermost ERROR nodes, plus one per MISSING node."""
    if not tree.root_node.has_error:
        return 0
    total, stack = 0, [tree.root_node]
    while stack:
        node = stack.pop()
        if node.is_error:
            total += node.end_byte - node.start_byte
        elif node.is_missing:
            total += 1
        elif node.has_error:
            stack.extend(node.children)
    return total


def _defines_items(expansion: tree_sitter.Node, macros: ItemMacros) -> bool:
    return any(child.type in macros.item_keywords for child in expansion.children)


def _expand_item_macros(root: tree_sitter.Node, data: bytearray, macros: ItemMacros) -> bool:
    """Blank, within ``data``, each item-defining macro definition under ``root`` down to the
    code of its expansions: `$name` reads as `name`, `$( ... ),*` as its inside.
    Returns whether anything was blanked."""
    found, stack = False, [root]
    while stack:
        node = stack.pop()
        if node.type != macros.definition:
            stack.extend(node.children)
            continue
        expansions = [rule.child_by_field_name(macros.expansion) for rule in node.named_children]
        expansions = [tree for tree in expansions if tree is not None]
        if any(_defines_items(tree, macros) for tree in expansions):
            _blank_to_expansions(node, expansions, data, macros)
            found = True
    return found


def _blank_to_expansions(definition: tree_sitter.Node, expansions: list[tree_sitter.Node],
                         data: bytearray, macros: ItemMacros) -> None:
    kept = definition.start_byte
    for expansion in expansions:  # keep only what lies between each expansion's delimiters
        blank(data, kept, expansion.start_byte + 1)
        kept = expansion.end_byte - 1
        stack = list(expansion.children)
        while stack:
            inner = stack.pop()
            if inner.type == macros.metavariable:
                blank(data, inner.start_byte, inner.start_byte + 1)
            elif inner.type == macros.repetition and inner.child_count >= 3:
                opening = inner.children[1]
                closing = next((c for c in reversed(inner.children) if c.type in ")]}"), None)
                if closing is not None:
                    blank(data, inner.start_byte, opening.end_byte)
                    blank(data, closing.start_byte, inner.end_byte)
            stack.extend(inner.children)
    blank(data, kept, definition.end_byte)


# `$s{0}`, `$rows[$k]{1}`, `$this->name{0}`: a variable, its subscripts, then one in braces
_CURLY_SUBSCRIPT = re.compile(rb"\$[A-Za-z_]\w*(?:\[[^\[\]\n]*\]|->\w+)*(\{)[^{}\n;]*(\})")
_LITERAL_KINDS = ("STRING", "COMMENT")


def _square_curly_subscripts(tree: tree_sitter.Tree, data: bytes, grammar: Grammar) -> bytes | None:
    """``data`` with the braces of each curly subscript outside strings and comments turned to
    square brackets, at the same offsets; None when there is none."""
    squared = bytearray(data)
    for match in _CURLY_SUBSCRIPT.finditer(data):
        node = tree.root_node.descendant_for_byte_range(match.start(1), match.end(1))
        while node is not None and grammar.kinds.get(node.type) not in _LITERAL_KINDS:
            node = node.parent
        if node is None:
            squared[match.start(1)], squared[match.start(2)] = ord("["), ord("]")
    return bytes(squared) if squared != data else None


def _mended(grammar: Grammar, parsed: tuple[bytes, tree_sitter.Tree, int],
            rewritten: bytes | None) -> tuple[bytes, tree_sitter.Tree, int]:
    """``rewritten`` with its tree and error bytes when it parses with fewer errors than
    ``parsed`` (data, tree, errors) does; else ``parsed``."""
    if rewritten is None:
        return parsed
    retry = _parser(grammar).parse(rewritten)
    errors = _error_bytes(retry)
    return (rewritten, retry, errors) if errors < parsed[2] else parsed


def parse(source: SourceFile) -> SyntaxTree:
    grammar = grammar_named(source.language)
    data = source.text.encode("utf-8")
    if grammar.blank_macro_lines:
        data = blank_macro_lines(data)
    tree = _parser(grammar).parse(data)
    if grammar.item_macros is not None:
        expanded = bytearray(data)
        if _expand_item_macros(tree.root_node, expanded, grammar.item_macros):
            data = bytes(expanded)
            tree = _parser(grammar).parse(data)
    errors = _error_bytes(tree)
    # rewrites of a file that misparses, each kept only when it mends the parse
    if grammar.preprocess_on_error and errors:
        data, tree, errors = _mended(grammar, (data, tree, errors), preprocessed(data))
    if grammar.curly_subscripts and errors:
        data, tree, errors = _mended(grammar, (data, tree, errors),
                                     _square_curly_subscripts(tree, data, grammar))
    return SyntaxTree(source, grammar, tree, data, errors)
