"""Parse stage: tree-sitter turns a ``SourceFile`` into a concrete syntax tree.

tree-sitter recovers from syntax errors; the share of bytes inside ERROR or MISSING
nodes is measured so the report can say how much of a file parsed cleanly.
"""

from __future__ import annotations

import re
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


# A project macro alone on a line (`RAPIDJSON_NAMESPACE_BEGIN`, `Q_OBJECT`, `DIAG_OFF(padded)`)
# expands to something tree-sitter cannot see, and misparsing it can swallow a whole file.
_MACRO_LINE = re.compile(rb"[ \t]*[A-Z][A-Z0-9_]{2,}[ \t]*(?:\([^;{}\n]*?\))?[ \t]*(?://.*)?\r?\n?")
_STATEMENT_ENDS = (b";", b"{", b"}", b"*/", b"\\")


def _blank_macro_lines(data: bytes) -> bytes:
    """``data`` with statement-level macro lines turned to spaces; byte offsets are kept.
    A macro line continuing an expression (an array element) is left alone."""
    lines = data.splitlines(keepends=True)
    previous = b""  # the last line with code, after blanking
    for index, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        after_statement = (not previous or previous.endswith(_STATEMENT_ENDS)
                           or previous.startswith((b"#", b"//")))
        if after_statement and _MACRO_LINE.fullmatch(line):
            content = len(line.rstrip(b"\r\n"))
            lines[index] = b" " * content + line[content:]
            continue
        previous = stripped
    return b"".join(lines)


def parse(source: SourceFile) -> SyntaxTree:
    grammar = grammar_named(source.language)
    data = source.text.encode("utf-8")
    if grammar.blank_macro_lines:
        data = _blank_macro_lines(data)
    tree = _parser(grammar).parse(data)
    share = _error_bytes(tree) / len(data) if data else 0.0
    return SyntaxTree(source, grammar, tree, data, min(1.0, share))
