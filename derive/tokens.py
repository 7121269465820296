"""Text normalisation shared by channels and evidence: identifiers, literals, comments."""

from __future__ import annotations

import re

_SUBTOKEN = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_WORD = re.compile(r"[a-z][a-z0-9]+")
_STRING_PREFIX = re.compile(r"^[rRbBuUfF]{0,2}(\"\"\"|'''|[\"'`])")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{[^{}]*\}|%[-+ 0#]*\d*(?:\.\d+)?[sdifgxXroc]|#\{[^}]*\}")
_SPACE = re.compile(r"\s+")
# A regex literal's operator (Ruby `%r`, Perl `qr`, `m`, `s`, `tr`, `y`) before its delimiter.
_REGEX_OPERATOR = re.compile(r"^(?:%r|qr|m|s|tr|y)(?=[^\w\s])")
_SWIFT_EXTENDED = re.compile(r"^(#+)/")
_CLOSING = {"(": ")", "[": "]", "{": "}", "<": ">"}
_NUMBER_SUFFIX = re.compile(r"(?:[uUlLfFdDmMn]|i8|i16|i32|i64|i128|isize|u8|u16|u32|u64|u128|usize|f32|f64)+$")


def subtokens(identifier: str) -> list[str]:
    """``parseHTTPResponse_fast`` -> ``["parse", "http", "response", "fast"]``."""
    return [t.lower() for t in _SUBTOKEN.findall(identifier)]


def canonical_name(identifier: str) -> str:
    """Case and separators removed: ``blkIndent`` and ``blk_indent`` are one name."""
    return "".join(subtokens(identifier))


def string_value(literal: str) -> str:
    """The content of a string literal with quotes, prefixes and placeholders normalised."""
    text = literal.strip()
    match = _STRING_PREFIX.match(text)
    if match:
        quote = match.group(1)
        text = text[match.end():]
        if text.endswith(quote):
            text = text[: -len(quote)]
    elif len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'`":
        text = text[1:-1]
    return _literal_text(text)


def _literal_text(text: str) -> str:
    text = _PLACEHOLDER.sub("{}", text)
    return _SPACE.sub(" ", text).strip()


def regex_values(literal: str) -> list[str]:
    """The pattern of a regex literal, and the replacement of a substitution, as the
    strings another language writes them in: ``s/---/&#8212;/g`` in Perl is
    ``re.sub('---', '&#8212;', s)`` in Python. Delimiters and flags are dropped."""
    text = literal.strip()
    if swift := _SWIFT_EXTENDED.match(text):  # `#/a/b/#`
        text = text[len(swift.group(1)):len(text) - len(swift.group(1))]
    operator = _REGEX_OPERATOR.match(text)
    name = operator.group(0) if operator else ""
    parts, rest = [], text[len(name):].lstrip()
    for _ in range(2 if name in ("s", "tr", "y") else 1):
        if not rest:
            break
        delimiter = rest[0]
        part, rest = _delimited(rest)
        parts.append(part)
        # `s/a/b/`: the middle delimiter closed the pattern and opens the replacement
        rest = delimiter + rest if delimiter not in _CLOSING else rest.lstrip()
    return [_literal_text(p) for p in parts if p.strip()]


def _delimited(text: str) -> tuple[str, str]:
    """The content between the delimiter ``text`` opens with and its unescaped closing
    delimiter (bracket pairs nest), and what follows."""
    opening = text[0]
    closing = _CLOSING.get(opening, opening)
    depth, k, content = 1, 1, []
    while k < len(text):
        char = text[k]
        if char == "\\" and k + 1 < len(text):
            escaped = text[k + 1]
            content.append(escaped if escaped in (opening, closing) else char + escaped)
            k += 2
            continue
        if char == closing:
            depth -= 1
            if depth == 0:
                return "".join(content), text[k + 1:]
        elif char == opening and opening != closing:
            depth += 1
        content.append(char)
        k += 1
    return "".join(content), ""


def number_value(literal: str) -> str | None:
    """``0x10``, ``16``, ``16L`` and ``1_6`` give ``"16"``; floats keep their value."""
    text = literal.strip().replace("_", "").replace("'", "")
    if not text.lower().startswith(("0x", "0b", "0o")):
        text = _NUMBER_SUFFIX.sub("", text)
    try:
        return str(int(text, 0))
    except ValueError:
        pass
    if re.fullmatch(r"0[0-7]+", text):  # C-style octal
        return str(int(text, 8))
    try:
        value = float(text)
    except ValueError:
        return None
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def comment_words(comment: str) -> list[str]:
    return _WORD.findall(comment.lower())
