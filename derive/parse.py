"""Parse stage: tree-sitter turns a ``SourceFile`` into a concrete syntax tree.

tree-sitter recovers from syntax errors; the share of bytes inside ERROR or MISSING
nodes is measured so the report can say how much of a file parsed cleanly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import tree_sitter

from .grammars import Grammar, grammar_named
from .model import SourceFile


@dataclass(frozen=True)
class SyntaxTree:
    source: SourceFile
    grammar: Grammar
    tree: tree_sitter.Tree
    data: bytes  # the UTF-8 bytes that tree spans index into
    error_share: float


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


def parse(source: SourceFile) -> SyntaxTree:
    grammar = grammar_named(source.language)
    data = source.text.encode("utf-8")
    tree = _parser(grammar).parse(data)
    share = _error_bytes(tree) / len(data) if data else 0.0
    return SyntaxTree(source, grammar, tree, data, min(1.0, share))
