"""Frozen records passed between the pipeline stages (source -> ... -> match)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Span:
    """A region of a source file: 0-based byte offsets, 1-based inclusive lines."""

    start_byte: int
    end_byte: int
    start_line: int
    end_line: int


@dataclass(frozen=True)
class SourceFile:
    """One decoded, supported source file of a codebase."""

    path: str  # relative to the side's root, POSIX separators
    language: str
    text: str
    sha256: str
    blob_sha: str | None = None  # git blob id when read from a repository
    encoding: str = "utf-8"  # what the bytes were read as (source.decode_source)


@dataclass(frozen=True)
class SkippedFile:
    path: str
    reason: str  # one of source.SKIP_REASONS
    detail: str = ""


@dataclass(frozen=True)
class Codebase:
    """What the source stage found on one side."""

    label: str  # "reference" or "suspect"
    location: str  # as the user gave it
    kind: str  # "directory" | "git" | "file"
    revision: str | None  # requested revision (git)
    commit: str | None  # resolved commit sha (git)
    files: tuple[SourceFile, ...]
    skipped: tuple[SkippedFile, ...]


@dataclass(frozen=True)
class UNode:
    """A node of the universal AST. ``text`` is kept for leaves that channels read."""

    kind: str
    span: Span
    children: tuple["UNode", ...] = ()
    text: str | None = None
    name: str | None = None  # declared name for CLASS / FUNCTION / LAMBDA

    def walk(self):
        """Pre-order traversal."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def size(self) -> int:
        return sum(1 for _ in self.walk())


@dataclass(frozen=True)
class ParsedFile:
    source: SourceFile
    root: UNode
    error_share: float  # share of the file's bytes inside tree-sitter ERROR / MISSING nodes
    node_count: int
    inline_tests: tuple[Span, ...] = ()  # test items inside the file, left out (Rust `#[cfg(test)]`)


@dataclass(frozen=True)
class Unit:
    """A file, class or function: the things derive matches."""

    kind: str  # "file" | "class" | "function" | "helper" (units.helper_units) | "composite"
    path: str
    name: str  # as written: "heading", "Token.attrGet"; the path for files
    span: Span
    node: UNode = field(repr=False)
    language: str = ""
    # functions inside a function unit that are units of their own, which it leaves out
    nested: tuple[UNode, ...] = field(default=(), repr=False, compare=False)
    # a composite's callbacks (units.callback_composites): functions of the file whose code
    # its node holds after the function's own
    callbacks: tuple["Unit", ...] = field(default=(), repr=False, compare=False)
    # literal nodes of the file's named constants a function reads (constants.py), which
    # count as its literals
    constants: tuple[UNode, ...] = field(default=(), repr=False, compare=False)

    @property
    def key(self) -> str:
        if self.kind == "file":
            return self.path
        return f"{self.path}::{'+'.join((self.name,) + tuple(c.name for c in self.callbacks))}"
