"""The closed vocabulary of universal AST kinds.

Every grammar mapping in ``grammars/`` maps tree-sitter node types onto these names,
or onto one of the two structural directives below. What does not map becomes
``OTHER`` (never silently dropped), so the structure channel still sees it.
"""

from __future__ import annotations

# Directives a mapping may use instead of a kind.
DROP = "DROP"  # remove the node and its subtree (types, visibility, punctuation nodes)
FLATTEN = "FLATTEN"  # replace the node by its children (parentheses, statement wrappers)
# Kinds decided by the node's operator token rather than by its type alone.
BINARY = "BINARY"  # ARITH / COMPARE / LOGIC / BITWISE by OPERATOR_KINDS
UNARY = "UNARY"  # UNARY_MINUS / NOT / BITWISE; unary plus, dereference and address-of vanish
ASSIGNMENT = "ASSIGNMENT"  # ASSIGN, or AUG_ASSIGN when the operator is augmented (Go's `+=`)
UPDATE = "UPDATE"  # `x++`: becomes AUG_ASSIGN(x, 1), the same shape as `x += 1`
# A CLASS that may be written as a statement (Perl's `package Foo;`), which then holds
# the statements after it, up to the next such statement or the end of its block.
SCOPE = "SCOPE"
DIRECTIVES = frozenset({DROP, FLATTEN, BINARY, UNARY, ASSIGNMENT, UPDATE, SCOPE})

UNIVERSAL_KINDS: tuple[str, ...] = (
    # declarations and program structure
    "MODULE", "CLASS", "FUNCTION", "LAMBDA", "PARAMETER", "VARIABLE", "FIELD",
    "IMPORT", "EXPORT", "DECORATOR", "ENUM", "INTERFACE", "NAMESPACE", "BLOCK",
    # statements and control flow
    "IF", "SWITCH", "CASE", "FOR", "FOREACH", "WHILE", "DO_WHILE",
    "BREAK", "CONTINUE", "RETURN", "THROW", "TRY", "CATCH", "FINALLY", "WITH",
    "YIELD", "AWAIT", "ASSERT", "EMPTY", "GOTO", "LABEL", "DEFER",
    # expressions
    "ASSIGN", "AUG_ASSIGN", "CALL", "MEMBER", "INDEX", "SLICE", "CONDITIONAL",
    "ARITH", "COMPARE", "LOGIC", "BITWISE", "UNARY_MINUS", "NOT", "TYPE_TEST",
    "CAST", "SPREAD", "KEY_VALUE", "COMPREHENSION", "RANGE", "MATCH_ARM", "LENGTH",
    # atoms and literals
    "IDENT", "SELF", "SUPER", "STRING", "TEMPLATE", "INTERPOLATION", "NUMBER",
    "BOOL", "NULL", "REGEX", "CHAR", "LIST", "MAP", "TUPLE", "SET",
    # commentary
    "COMMENT", "DOCSTRING",
    # everything a mapping does not place
    "OTHER",
)

KIND_SET = frozenset(UNIVERSAL_KINDS)

# Binary operators by their token, per operator kind. Shared by all languages:
# operator tokens are almost universal, so they are data here, not per grammar.
OPERATOR_KINDS: dict[str, str] = {
    **dict.fromkeys(["+", "-", "*", "/", "%", "**", "//", ".", "..", "x", "~/"], "ARITH"),
    **dict.fromkeys(["==", "!=", "===", "!==", "<", "<=", ">", ">=", "<>", "<=>",
                     "eq", "ne", "lt", "le", "gt", "ge", "cmp", "is", "is not",
                     "in", "not in", "=~", "!~", "~="], "COMPARE"),
    **dict.fromkeys(["&&", "||", "and", "or", "??", "?:", "xor"], "LOGIC"),
    **dict.fromkeys(["&", "|", "^", "<<", ">>", ">>>", "&^"], "BITWISE"),
}

# Augmented assignment and increment tokens: `x++`, `x += 1` and `x = x + 1` differ only
# in spelling, so they are one kind.
AUGMENTED_TOKENS = frozenset({
    "+=", "-=", "*=", "/=", "%=", "**=", "//=", "&=", "|=", "^=", "<<=", ">>=",
    ">>>=", "&&=", "||=", "??=", ".=", "x=", "&^=", "++", "--",
})

def check_kind(kind: str) -> str:
    """Return ``kind`` if it is a universal kind or a directive, else raise ``ValueError``."""
    if kind in KIND_SET or kind in DIRECTIVES:
        return kind
    raise ValueError(f"unknown universal kind {kind!r}")
