"""Laundering transformations of a codebase, for robustness tests and benchmarks.

Each transformation is a pure function over ``{relative_path: text}`` that returns a new
dict of the same shape; the language of each file is given by ``languages`` (path ->
grammar name) or detected from the path like derive does. Everything is done on the
tree-sitter tree (code is never executed): an edit is a byte-span replacement, and the
edits of one file are applied from its end backwards so earlier spans stay valid. Renaming
and stripping drop any edit that would add bytes in parse errors.

- ``rename_identifiers``: every identifier renamed consistently, across all files, to a
  meaningless ``v1``, ``v2``, ... (tree-sitter ERROR regions are left untouched).
- ``strip_comments_and_strings``: comments removed, string literals emptied.
- ``reformat``: layout only (indentation and blank lines).
- ``shuffle_functions``: top-level functions and classes permuted, files renamed.
- ``merge_small_files``: small files of one directory and language concatenated.
"""

from __future__ import annotations

import io
import random
import re
import tokenize
from dataclasses import dataclass
from pathlib import PurePosixPath

import tree_sitter

from .grammars import Grammar, detect, grammar_named
from .model import SourceFile
from .normalize import is_inline_test_marker, normalize
from .parse import SyntaxTree, parse
from .units import extract_units

Files = dict[str, str]

# Receiver names and the like: renaming them would change what the code means to derive.
KEPT_NAMES = frozenset({"self", "this", "cls", "super", "_"})
# Names a grammar parses specially, so that renaming them would break the parse: Go's
# `make([]T, n)` and `new(T)` take a type argument only under these names.
KEPT_BY_LANGUAGE = {"go": frozenset({"make", "new"})}
STRING_KINDS = frozenset({"STRING", "TEMPLATE", "CHAR"})
# The words of an identifier's text (JavaScript's `$` is a word character, as in `types$1`)
# and what may stand between them: an optional sigil before (`#x`, `$x`, `@x`), Perl's `::`
# between (`File::Spec`), and Ruby's `?` or `!` after (`empty?`), each kept as it is.
_WORD = re.compile(r"(\w[\w$]*)", re.UNICODE)
_BETWEEN, _AFTER = frozenset({"::"}), frozenset({"", "?", "!"})
# A literal this module knows how to empty: optional prefix letters / sigils, then a quote.
_QUOTED = re.compile(r'^[A-Za-z@$#]{0,3}["\'`]')
_EMPTY_CHAR = {"go": "'\\x00'", "c": "'\\x00'", "cpp": "'\\x00'", "rust": "'\\x00'",
               "java": "'\\u0000'", "csharp": "'\\u0000'", "kotlin": "'\\u0000'"}


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: bytes


# ---------------------------------------------------------------------------- helpers

def language_of(path: str, text: str, languages: dict[str, str] | None = None) -> str | None:
    """The grammar name of ``path``: from ``languages`` when given, else detected."""
    if languages and path in languages:
        return languages[path]
    grammar = detect(path, text)
    return grammar.name if grammar else None


def syntax_tree(path: str, text: str, language: str) -> SyntaxTree:
    return parse(SourceFile(path, language, text, ""))


def apply_edits(data: bytes, edits: list[Edit]) -> bytes:
    """Replace byte spans, from the end of the file backwards; spans must not overlap."""
    out = bytearray(data)
    last_start = len(data) + 1
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if edit.end > last_start:
            raise ValueError(f"overlapping edits at byte {edit.start}")
        out[edit.start:edit.end] = edit.text
        last_start = edit.start
    return bytes(out)


def _error_bytes(tree: SyntaxTree, data: bytes) -> int:
    return syntax_tree(tree.source.path, data.decode("utf-8"), tree.grammar.name).error_bytes


def apply_safely(tree: SyntaxTree, edits: list[Edit]) -> bytes:
    """Apply ``edits`` but drop those that add bytes in error nodes.

    Grammars misread some corners (a ``#`` inside a Perl regex taken for a comment); the
    edits at fault are found by bisection, so a clean file costs one extra parse. Error
    bytes are counted, not their share of the file: stripping a file that already had an
    error would raise the share and wrongly reject every edit.
    """
    before, written = tree.error_bytes, tree.written

    def worse(chosen: list[Edit]) -> bool:
        return _error_bytes(tree, apply_edits(written, chosen)) > before

    def keep(chosen: list[Edit]) -> list[Edit]:
        if not chosen or not worse(chosen):
            return chosen
        if len(chosen) == 1:
            return []
        middle = len(chosen) // 2
        left, right = keep(chosen[:middle]), keep(chosen[middle:])
        both = left + right
        return both if not worse(both) else left

    return apply_edits(written, keep(sorted(edits, key=lambda e: e.start)))


def _kind(grammar: Grammar, node: tree_sitter.Node) -> str | None:
    return grammar.kinds.get(node.type) if node.is_named else None


def _is_comment(grammar: Grammar, node: tree_sitter.Node) -> bool:
    return node.is_named and ("comment" in node.type or _kind(grammar, node) == "COMMENT")


def _is_string(grammar: Grammar, node: tree_sitter.Node) -> bool:
    return _kind(grammar, node) in STRING_KINDS


def _is_identifier(grammar: Grammar, node: tree_sitter.Node) -> bool:
    return node.is_named and (node.type.endswith("identifier") or _kind(grammar, node) == "IDENT")


def _nodes(root: tree_sitter.Node, prune) -> list[tree_sitter.Node]:
    """All nodes in pre-order; the children of nodes for which ``prune`` is true are skipped."""
    found, stack = [], [root]
    while stack:
        node = stack.pop()
        found.append(node)
        if not prune(node):
            stack.extend(reversed(node.children))
    return found


def _files_with_language(files: Files, languages: dict[str, str] | None):
    for path in sorted(files):
        yield path, files[path], language_of(path, files[path], languages)


def error_share(files: Files, languages: dict[str, str] | None = None) -> float:
    """Share of all bytes in tree-sitter error nodes, over the files with a known language."""
    error = total = 0
    for path, text, language in _files_with_language(files, languages):
        if language is None:
            continue
        tree = syntax_tree(path, text, language)
        error += tree.error_bytes
        total += len(tree.data)
    return error / total if total else 0.0


# ----------------------------------------------------------------- rename_identifiers

def _identifier_leaves(tree: SyntaxTree) -> list[tuple[tree_sitter.Node, list[str]]]:
    """(node, ``_identifier_parts``) of every renameable identifier outside strings and comments."""
    grammar, written = tree.grammar, tree.written
    leaves = []
    # an inline-test marker (`#[cfg(test)]`) is a directive, not a name: renamed, the tests
    # would become product code
    for node in _nodes(tree.tree.root_node,
                       lambda n: n.is_error or _is_comment(grammar, n) or _is_string(grammar, n)
                       or is_inline_test_marker(grammar, n, tree.data)):
        if node.is_error or not _is_identifier(grammar, node) or node.named_child_count:
            continue  # qualified names and the like: their parts are visited on their own
        if _kind(grammar, node) in ("SELF", "SUPER"):
            continue
        if node.start_byte and tree.data[node.start_byte - 1] != written[node.start_byte - 1]:
            continue  # a macro's `$name`, declared in its matcher, which the parse blanked
        parts = _identifier_parts(tree.data[node.start_byte:node.end_byte].decode("utf-8", "replace"))
        if parts is None or any(word in KEPT_NAMES or word in grammar.self_names
                                or word in KEPT_BY_LANGUAGE.get(grammar.name, ()) for word in parts[1::2]):
            continue
        leaves.append((node, parts))
    return leaves


def _identifier_parts(text: str) -> list[str] | None:
    """The text split into separators (even places) and words (odd places), or None when it
    is no name to rename (an operator's name, `operator==`)."""
    parts = _WORD.split(text)
    # the text before the first word is a sigil: words start with a word character
    if len(parts) < 3 or parts[-1] not in _AFTER or any(b not in _BETWEEN for b in parts[2:-1:2]):
        return None
    return parts


def rename_identifiers(files: Files, seed: int = 0, languages: dict[str, str] | None = None) -> Files:
    """Rename every identifier consistently across all files to ``v1``, ``v2``, ...
    (``V1``, ... for names starting with a capital, which some languages require).

    Names are numbered in sorted order of the original names, so the result depends on
    the input only (``seed`` is accepted for a uniform signature and not used). Receiver
    names (``self``, ``this``, ``cls``, the grammar's self names), ``super`` and ``_``
    stay, and so does anything inside string literals and comments; a qualified or
    suffixed name has each of its words renamed (``File::Spec`` -> ``V1::V2``,
    ``empty?`` -> ``v3?``).
    """
    del seed
    found: dict[str, tuple[SyntaxTree, list]] = {}
    names: set[str] = set()
    for path, text, language in _files_with_language(files, languages):
        if language is None:
            continue
        tree = syntax_tree(path, text, language)
        leaves = _identifier_leaves(tree)
        found[path] = (tree, leaves)
        names.update(word for _, parts in leaves for word in parts[1::2])
    # a capital stays a capital: Ruby constants and class names, Go's exported names
    renamed = {name: f"{'V' if name[0].isupper() else 'v'}{number}"
               for number, name in enumerate(sorted(names), 1)}
    out = dict(files)
    for path, (tree, leaves) in found.items():
        edits = [Edit(node.start_byte, node.end_byte,
                      "".join(renamed[part] if k % 2 else part for k, part in enumerate(parts)).encode())
                 for node, parts in leaves]
        out[path] = apply_safely(tree, edits).decode("utf-8")
    return out


# ------------------------------------------------------------ strip_comments_and_strings

def _empty_literal(language: str, kind: str, text: str) -> str:
    if kind == "CHAR":
        return _EMPTY_CHAR.get(language, "' '")  # a character literal cannot be empty
    if kind == "TEMPLATE" and text.startswith("`"):
        return "``"  # a JavaScript tagged template needs a template: tag``
    return '""'


def strip_comments_and_strings(files: Files, languages: dict[str, str] | None = None) -> Files:
    """Remove every comment; replace every (outermost) string literal by an empty one.

    ``"..."``, ``'...'``, prefixed strings (``b"..."``, ``f'''...'''``, ``r#"..."#``) and Go
    raw strings become ``""``; JavaScript templates become an empty template; character
    literals a NUL (or space) character. Docstrings become ``""``. Literals that do not
    start with a quote (heredocs, PHP inline text) are left alone.
    """
    out = dict(files)
    for path, text, language in _files_with_language(files, languages):
        if language is None:
            continue
        tree = syntax_tree(path, text, language)
        grammar = tree.grammar
        edits = []
        for node in _nodes(tree.tree.root_node,
                           lambda n: n.is_error or _is_comment(grammar, n) or _is_string(grammar, n)):
            if node.is_error:
                continue  # what tree-sitter could not parse is left as it is
            if _is_comment(grammar, node):
                edits.append(Edit(node.start_byte, node.end_byte, b""))
            elif _is_string(grammar, node):
                literal = tree.data[node.start_byte:node.end_byte].decode("utf-8", "replace")
                if _QUOTED.match(literal):
                    replacement = _empty_literal(language, _kind(grammar, node), literal)
                    edits.append(Edit(node.start_byte, node.end_byte, replacement.encode()))
        out[path] = apply_safely(tree, edits).decode("utf-8")
    return out


# -------------------------------------------------------------------------- reformat

def _protected_newlines(tree: SyntaxTree) -> set[int]:
    """Line indexes (0-based) whose ending newline lies inside a literal or comment."""
    grammar = tree.grammar
    protected: set[int] = set()

    def literal(node: tree_sitter.Node) -> bool:
        return node.is_named and (_is_comment(grammar, node) or _is_string(grammar, node)
                                  or _kind(grammar, node) in ("REGEX", "DOCSTRING")
                                  or any(word in node.type for word in ("string", "heredoc")))

    for node in _nodes(tree.tree.root_node, literal):
        if literal(node) and node.end_point[0] > node.start_point[0]:
            protected.update(range(node.start_point[0], node.end_point[0]))
    return protected


def _reformat_braces(tree: SyntaxTree) -> str:
    """No indentation, and a blank line between lines (not inside literals or macros)."""
    lines = tree.written.decode("utf-8").split("\n")
    protected = _protected_newlines(tree)
    out: list[str] = []
    for index, line in enumerate(lines):
        inside = index > 0 and (index - 1) in protected
        out.append(line if inside else line.lstrip(" \t"))
        if index < len(lines) - 1:
            joined = index in protected or line.rstrip().endswith("\\")
            out.append("\n" if joined else "\n\n")
    return "".join(out)


def _reformat_python(text: str) -> str:
    """Indent with 2 spaces per level instead of the file's own unit; double blank lines.

    Logical lines take their block depth from tokenize's INDENT / DEDENT; continuation
    lines keep their offset relative to the line they continue; lines inside multi-line
    strings are untouched.
    """
    tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    lines = text.split("\n")
    inside_string: set[int] = set()  # 1-based lines that begin inside a string token
    depth_at: dict[int, int] = {}  # 1-based line -> depth, for lines starting a logical line
    depth, at_start = 0, True
    for tok in tokens:
        if tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
            inside_string.update(range(tok.start[0] + 1, tok.end[0] + 1))
        if tok.type == tokenize.INDENT:
            depth += 1
        elif tok.type == tokenize.DEDENT:
            depth -= 1
        elif tok.type == tokenize.NEWLINE:
            at_start = True
        elif tok.type in (tokenize.NL, tokenize.COMMENT, tokenize.ENDMARKER):
            pass
        elif at_start:
            depth_at[tok.start[0]] = depth
            at_start = False
    out: list[str] = []
    old_base = new_base = 0
    for number, line in enumerate(lines, 1):
        if number in inside_string:
            out.append(line)
            continue
        body = line.lstrip(" \t\f")
        if not body:
            out.append("")
            if number < len(lines):  # a blank line (not the end of the file) is doubled
                out.append("")
            continue
        old = len(line[:len(line) - len(body)].expandtabs(8))
        if number in depth_at:
            old_base, new_base = old, 2 * depth_at[number]
            out.append(" " * new_base + body)
        elif body.startswith("#"):
            out.append(" " * (old // 2) + body)
        else:  # continuation line: free indentation, keep the relative offset
            out.append(" " * max(0, old - old_base + new_base) + body)
    return "\n".join(out)


def reformat(files: Files, languages: dict[str, str] | None = None) -> Files:
    """Change layout only. Brace languages: no indentation and a blank line after every
    line; Python: 2 spaces per block level, blank lines doubled. A file Python's tokenize
    cannot read is left as it is."""
    out = dict(files)
    for path, text, language in _files_with_language(files, languages):
        if language is None:
            continue
        if language == "python":
            try:
                out[path] = _reformat_python(text)
            except (tokenize.TokenError, IndentationError, SyntaxError):
                out[path] = text
        else:
            out[path] = _reformat_braces(syntax_tree(path, text, language))
    return out


# ------------------------------------------------------------------ shuffle_functions

def _unit_spans(tree: SyntaxTree, kinds: tuple[str, ...] = ("function", "class")) -> list[tuple[int, int]]:
    parsed = normalize(tree)
    return sorted({(u.span.start_byte, u.span.end_byte)
                   for u in extract_units(parsed) if u.kind in kinds})


def _outermost(spans: list[tuple[int, int]], within: tuple[int, int] | None = None):
    """Spans not inside another span (of those inside ``within`` and not equal to it)."""
    if within is not None:
        spans = [s for s in spans if within[0] <= s[0] and s[1] <= within[1] and s != within]
    result, end = [], -1
    for start, stop in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= end:
            result.append((start, stop))
            end = stop
        # else: inside the previous outermost span
    return result


def _node_at(root: tree_sitter.Node, span: tuple[int, int]) -> tree_sitter.Node:
    node = root.descendant_for_byte_range(span[0], span[1])
    while node.parent is not None and node.parent.start_byte == node.start_byte \
            and node.parent.end_byte == node.end_byte:
        node = node.parent
    return node


def _shuffle_edits(tree: SyntaxTree, spans: list[tuple[int, int]], container: tree_sitter.Node,
                   rng: random.Random) -> list[Edit]:
    """Edits permuting runs of contiguous statements of ``container`` that hold units.

    From each unit the statement that moves is its ancestor that is a child of
    ``container`` (``export function f``, ``const f = () => ...``, a decorated definition);
    units elsewhere (inside an ``if``, a wrapping function call) stay. Such statements
    that follow each other (comments between them stay in place) form a run; each run is
    permuted.
    """
    grammar = tree.grammar
    chunks: set[int] = set()
    for span in spans:
        node = _node_at(tree.tree.root_node, span)
        while node.parent is not None and node.parent.id != container.id:
            node = node.parent
        if node.parent is not None:
            chunks.add(node.id)
    edits: list[Edit] = []
    runs, current = [], []
    for child in container.named_children:
        if child.id in chunks:
            current.append(child)
        elif not _is_comment(grammar, child):
            runs.append(current)
            current = []
    runs.append(current)
    written = tree.written
    for run in runs:
        if len(run) < 2:
            continue
        order = list(range(len(run)))
        rng.shuffle(order)
        for slot, source in zip(run, order):
            moved = run[source]
            edits.append(Edit(slot.start_byte, slot.end_byte,
                              written[moved.start_byte:moved.end_byte]))
    return edits


def _class_body(node: tree_sitter.Node) -> tree_sitter.Node:
    return node.child_by_field_name("body") or node


def _shuffle_file(path: str, text: str, language: str, rng: random.Random, methods: bool) -> str:
    if methods:  # first the members of each top-level class, then the top level
        tree = syntax_tree(path, text, language)
        spans = _unit_spans(tree)
        edits = []
        classes = set(_unit_spans(tree, ("class",)))
        for outer in _outermost(spans):
            if outer not in classes:
                continue
            inner = _outermost(spans, within=outer)
            if len(inner) >= 2:
                body = _class_body(_node_at(tree.tree.root_node, outer))
                edits += _shuffle_edits(tree, inner, body, rng)
        text = apply_edits(tree.written, edits).decode("utf-8")
    tree = syntax_tree(path, text, language)
    top = _outermost(_unit_spans(tree))
    edits = _shuffle_edits(tree, top, tree.tree.root_node, rng) if len(top) >= 2 else []
    return apply_edits(tree.written, edits).decode("utf-8")


def shuffle_functions(files: Files, seed: int = 0, languages: dict[str, str] | None = None,
                      methods: bool = False) -> Files:
    """Permute top-level functions and classes within each file and rename the files.

    In each file, runs of contiguous top-level units (functions and classes not inside
    another unit) are permuted with ``random.Random(seed)``; with ``methods`` the members
    of each top-level class are permuted too. Each file is then renamed
    ``<dir>/mod_<n>.<ext>``, with ``n`` assigned in a shuffled order of the paths so names
    no longer tell which file is which.
    """
    rng = random.Random(seed)
    shuffled: Files = {}
    for path, text, language in _files_with_language(files, languages):
        shuffled[path] = text if language is None else _shuffle_file(path, text, language, rng,
                                                                      methods)
    order = sorted(files)
    rng.shuffle(order)
    out: Files = {}
    for number, path in enumerate(order, 1):
        posix = PurePosixPath(path)
        new = posix.with_name(f"mod_{number}{posix.suffix}")
        out[str(new)] = shuffled[path]
    return out


# ------------------------------------------------------------------- merge_small_files

def merge_small_files(files: Files, max_lines: int = 150,
                      languages: dict[str, str] | None = None) -> Files:
    """Concatenate, per directory and language, the files under ``max_lines`` lines into
    ``<dir>/merged.<ext>`` (in path order) when there are at least two; others stay."""
    groups: dict[tuple[str, str], list[str]] = {}
    for path, text, language in _files_with_language(files, languages):
        if language is not None and len(text.split("\n")) < max_lines:
            groups.setdefault((str(PurePosixPath(path).parent), language), []).append(path)
    out = dict(files)
    for (folder, language), paths in sorted(groups.items()):
        if len(paths) < 2:
            continue
        suffix = PurePosixPath(paths[0]).suffix or grammar_named(language).extensions[0]
        name, number = f"merged{suffix}", 1
        while str(PurePosixPath(folder) / name) in out:
            number += 1
            name = f"merged_{number}{suffix}"
        target = str(PurePosixPath(folder) / name) if folder != "." else name
        parts = []
        for path in paths:
            text = out.pop(path)
            parts.append(text if text.endswith("\n") else text + "\n")
        out[target] = "\n".join(parts)
    return out


# ----------------------------------------------------------------------- combinations

def transformations(seed: int = 0, languages: dict[str, str] | None = None) -> dict:
    """Name -> function(files) of the benchmarked transformations and combinations."""
    return {
        "rename": lambda f: rename_identifiers(f, seed, languages),
        "strip": lambda f: strip_comments_and_strings(f, languages),
        "reformat": lambda f: reformat(f, languages),
        "shuffle": lambda f: shuffle_functions(f, seed, languages),
        "shuffle+methods": lambda f: shuffle_functions(f, seed, languages, methods=True),
        "merge": lambda f: merge_small_files(f, 150, languages),
        "rename+strip": lambda f: rename_identifiers(strip_comments_and_strings(f, languages),
                                                     seed, languages),
    }
