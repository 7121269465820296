"""C and C++ read roughly as their preprocessor would pass them, at the same byte offsets.

tree-sitter parses C as written, directives and macros included. A project macro it
cannot see, or a conditional that splits a construct (a function head written once per
`#ifdef` branch, a directive inside an expression), makes it misparse, and one misparse
can swallow the rest of a file into one function. Every rewrite here turns bytes into
spaces and keeps line breaks, so lines and offsets stay those of the file as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


def blank(data: bytearray, start: int, end: int) -> None:
    """Spaces over ``data[start:end]``, line breaks kept so lines keep their numbers."""
    for index in range(start, end):
        if data[index] not in b"\r\n":
            data[index] = 0x20


# A project macro alone on a line (`RAPIDJSON_NAMESPACE_BEGIN`, `Q_OBJECT`, `DIAG_OFF(padded)`).
# Its arguments' parentheses balance (one level deep), so `ZSWAP32(hold)) != check)`, an
# expression going on after a directive, is no macro line.
_MACRO_LINE = re.compile(rb"[ \t]*[A-Z][A-Z0-9_]{2,}[ \t]*(?:\((?:[^;{}()\n]|\([^;{}()\n]*\))*\))?"
                         rb"[ \t]*(?://.*)?\r?\n?")
_STATEMENT_ENDS = (b";", b"{", b"}", b"*/", b"\\")


def blank_macro_lines(data: bytes) -> bytes:
    """``data`` with statement-level macro lines turned to spaces. A macro line continuing
    an expression (an array element) is left alone."""
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


# `int ZEXPORT inflate(`, `void ZLIB_INTERNAL f(`, `struct state FAR *s;`, `(state FAR *)`: an
# all-caps word between a type and a name (or a cast's `*`) is an attribute macro (export,
# calling convention, pointer size) that tree-sitter reads as a second type
_ATTRIBUTE_MACRO = re.compile(rb"(\b[A-Za-z_]\w*[ \t*]+)([A-Z][A-Z0-9_]{2,})"
                              rb"(?=[ \t]+\**[ \t]*[A-Za-z_]\w*[ \t]*[(;,=\[)]|[ \t]*\*+[ \t]*\))")
# words after which an all-caps word is a type or a tag, not an attribute of one
_BEFORE_A_TYPE = frozenset({b"static", b"extern", b"inline", b"const", b"volatile", b"register",
                            b"typedef", b"struct", b"union", b"enum", b"class", b"return",
                            b"signed", b"unsigned", b"case", b"else", b"goto", b"sizeof", b"new"})
_DIRECTIVE = re.compile(rb"[ \t]*#[ \t]*(\w*)")
# code ending so is followed by a new construct; a branch ending so leaves none open
_BEFORE_A_CONSTRUCT = frozenset(b";{}:")
_AFTER_A_CONSTRUCT = frozenset(b";}:")


@dataclass
class _Conditional:
    before: int | None  # the last code character before its `#if`, None at the file's start
    directives: list[int] = field(default_factory=list)  # lines of #if, each #elif/#else, #endif
    alternatives_from: int | None = None  # line of the first #elif/#else
    first_branch_end: int | None = None  # the last code character of its first branch

    @property
    def splits_a_construct(self) -> bool:
        """Opened inside a construct (`if (x ||` then `#ifdef`), or leaving one open
        (`static int f(int a)` then `#else`): a compiler sees one branch of it."""
        return ((self.before is not None and self.before not in _BEFORE_A_CONSTRUCT)
                or (self.first_branch_end is not None and self.first_branch_end not in _AFTER_A_CONSTRUCT))


class _CodeScanner:
    """The last code character of C lines, outside comments and literals."""

    def __init__(self) -> None:
        self.in_comment = False

    def last_code(self, line: bytes) -> int | None:
        last, index, quote = None, 0, None
        while index < len(line):
            char = line[index]
            if self.in_comment:
                if line.startswith(b"*/", index):
                    self.in_comment, index = False, index + 1
            elif quote is not None:
                if char == 0x5C:  # backslash escapes the next character
                    index += 1
                elif char == quote:
                    quote, last = None, char
            elif line.startswith(b"//", index):
                break
            elif line.startswith(b"/*", index):
                self.in_comment, index = True, index + 1
            elif char in b"\"'":
                quote = char
            elif char not in b" \t\r\n":
                last = char
            index += 1
        return last


def _conditionals(lines: list[bytes]) -> list[_Conditional]:
    """Every complete conditional of ``lines``."""
    scanner, open_, done, continued = _CodeScanner(), [], [], False
    last = None  # the last code character so far, the first branches taken
    for number, line in enumerate(lines):
        if continued:  # a directive going on over `\`-ended lines
            continued = line.rstrip(b"\r\n").endswith(b"\\")
            continue
        directive = None if scanner.in_comment else _DIRECTIVE.match(line)
        if directive is None:
            ending = scanner.last_code(line)
            if ending is not None:
                last = ending
                for conditional in open_:
                    if conditional.alternatives_from is None:
                        conditional.first_branch_end = ending
            continue
        continued = line.rstrip(b"\r\n").endswith(b"\\")
        word = directive.group(1)
        if word in (b"if", b"ifdef", b"ifndef"):
            open_.append(_Conditional(last, [number]))
        elif word in (b"elif", b"else") and open_:
            top = open_[-1]
            if top.alternatives_from is None:
                top.alternatives_from = number
            top.directives.append(number)
        elif word == b"endif" and open_:
            top = open_.pop()
            top.directives.append(number)
            last = top.first_branch_end if top.first_branch_end is not None else top.before
            done.append(top)
    return done


def preprocessed(data: bytes) -> bytes | None:
    """``data`` with each conditional that splits a construct read with its first branch
    taken (its directives and its other branches turned to spaces) and attribute macros
    blanked; None when that changes nothing. A conditional between whole definitions is
    left as written, both branches kept: each may hold code a port carried over."""
    lines = data.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    blanked = bytearray(data)
    for conditional in _conditionals(lines):
        if not conditional.splits_a_construct:
            continue
        dropped = set(range(conditional.alternatives_from, conditional.directives[-1])
                      if conditional.alternatives_from is not None else ())
        for number in conditional.directives:  # each with its continuation lines
            dropped.add(number)
            while lines[number].rstrip(b"\r\n").endswith(b"\\") and number + 1 < len(lines):
                number += 1
                dropped.add(number)
        for number in dropped:
            blank(blanked, starts[number], starts[number + 1])
    for match in _ATTRIBUTE_MACRO.finditer(blanked):
        if match.group(1).rstrip(b" \t*") not in _BEFORE_A_TYPE:
            blank(blanked, match.start(2), match.end(2))
    return bytes(blanked) if blanked != data else None
