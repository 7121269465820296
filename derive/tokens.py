"""Text normalisation shared by channels and evidence: identifiers, literals, comments."""

from __future__ import annotations

import re

_SUBTOKEN = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_WORD = re.compile(r"[a-z][a-z0-9]+")
_STRING_PREFIX = re.compile(r"^[rRbBuUfF]{0,2}(\"\"\"|'''|[\"'`])")
_PLACEHOLDER = re.compile(r"\$\{[^}]*\}|\{[^{}]*\}|%[-+ 0#]*\d*(?:\.\d+)?[sdifgxXroc]|#\{[^}]*\}")
_SPACE = re.compile(r"\s+")
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
    text = _PLACEHOLDER.sub("{}", text)
    return _SPACE.sub(" ", text).strip()


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
