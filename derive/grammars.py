"""Languages as data: each ``grammars/<name>/grammar.toml`` describes one language.

A grammar file names the tree-sitter package that parses the language, the files it
claims, and how the grammar's node types map onto the universal kinds.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import re
import tomllib
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path, PurePosixPath

import tree_sitter

from .kinds import check_kind


class UnsupportedLanguage(ValueError):
    pass


@dataclass(frozen=True)
class ItemMacros:
    """Where a macro definition keeps code: the node types of a grammar's macro syntax."""

    definition: str  # the macro definition (`macro_rules! name { ... }`)
    expansion: str  # field of each rule holding what it expands to
    metavariable: str  # `$name` inside an expansion
    repetition: str  # `$( ... ),*` inside an expansion
    item_keywords: frozenset[str]  # an expansion with one of these at its top defines items


BUILTIN_OPERATIONS = frozenset({"length", "range", "index", "slice"})


@dataclass(frozen=True)
class Builtins:
    """Names of operations every language has, by how they are written: ``len(s)`` (calls),
    ``s.length`` (members), ``s.charAt(i)`` (methods). Each maps to an operation of
    BUILTIN_OPERATIONS, which normalisation writes one way in every language."""

    calls: dict
    members: dict
    methods: dict


def _builtins(table: dict) -> Builtins:
    found = {form: dict(table.get(form, {})) for form in ("calls", "members", "methods")}
    for form, names in found.items():
        unknown = set(names.values()) - BUILTIN_OPERATIONS
        if unknown:
            raise ValueError(f"unknown builtin operation {sorted(unknown)} in builtins.{form}")
    return Builtins(**found)


@dataclass(frozen=True)
class Grammar:
    name: str
    display_name: str
    package: str  # importable module of the tree-sitter grammar
    distribution: str  # its PyPI distribution, for the version
    function: str  # attribute of ``package`` returning the language pointer
    extensions: tuple[str, ...]
    shebangs: tuple[str, ...]
    generated_patterns: tuple[str, ...]  # globs of files that are generated, never evidence
    content_extensions: tuple[str, ...]  # extensions shared with another language (`.h`) ...
    content_patterns: tuple[re.Pattern, ...]  # ... claimed when the text matches one of these
    kinds: dict  # tree-sitter node type -> universal kind or directive
    operators: dict  # operator token -> kind, where this language differs from OPERATOR_KINDS
    self_names: frozenset[str]  # identifiers meaning the receiver (`self`, `cls`)
    name_fields: tuple[str, ...]  # fields followed to find a declaration's name
    receiver_field: str | None  # field naming a method's receiver type (Go)
    docstrings: bool  # a leading string statement is a docstring
    tail_return_blocks: frozenset[str]  # block types whose last expression is returned
    tail_return_parents: frozenset[str]  # ... when the block is the body of these
    statement_types: frozenset[str]  # ... and the expression is not one of these
    keywords: dict  # node type -> {keyword -> kind}: one node type, several statements
    keyword_callees: frozenset[str]  # call node types whose leading keyword names the callee
    condition_last: frozenset[str]  # `return 0 if k > n`: node types written body first
    negating_keywords: frozenset[str]  # `unless` / `until`: the condition is negated
    module_names: frozenset[str]  # a function bound to one of these is a module wrapper
    argument_arrays: frozenset[str]  # Perl's `@_`: `my ($a, $b) = @_` declares parameters
    argument_shifts: frozenset[str]  # ... and so does `my $a = shift`
    member_keys: frozenset[str]  # Perl's `$self->{name}`: a bare-word key of the receiver
    receiver_fields: frozenset[str]  # Ruby's `@name`: node types naming a field of `self`
    blank_macro_lines: bool  # C/C++: a project macro alone on a line is blanked before parsing
    preprocess_on_error: bool  # C/C++: a misparsed file is reparsed as preprocess.preprocessed rewrites it
    item_macros: ItemMacros | None  # Rust: a `macro_rules!` defining functions is read as them
    curly_subscripts: bool  # PHP before 8: `$s{0}` is `$s[0]`, so read before parsing
    method_calls: dict  # call node type -> (receiver field, method field): `o.m(x)` as a MEMBER call
    builtins: Builtins  # how the language spells operations every language has
    # attributes marking the next item as test code (Rust's `#[cfg(test)]`): inline tests,
    # which no file selection can leave out as it leaves out a tests/ folder
    inline_test_markers: frozenset[str]
    slices_with_operand: frozenset[str]  # Go's `s[a:b]`: slice nodes whose first child is sliced
    tokens: dict  # anonymous token -> leaf kind, for keywords that carry meaning (`this`)
    folder: str

    @property
    def version(self) -> str:
        try:
            return importlib.metadata.version(self.distribution)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    @cache
    def language(self) -> tree_sitter.Language:
        try:
            module = importlib.import_module(self.package)
        except ImportError as exc:
            raise UnsupportedLanguage(
                f"grammar package {self.distribution} for {self.name} is not installed") from exc
        with warnings.catch_warnings():  # older grammar wheels hand over a plain int pointer
            warnings.simplefilter("ignore", DeprecationWarning)
            return tree_sitter.Language(getattr(module, self.function)())

    def __hash__(self) -> int:
        return hash(self.name)


def grammars_root() -> Path:
    """The folder of language definitions, in a source checkout or an installed wheel."""
    checkout = Path(__file__).resolve().parent.parent / "grammars"
    if checkout.is_dir():
        return checkout
    return Path(str(resources.files("derive") / "_grammars"))


def _item_macros(table: dict | None) -> ItemMacros | None:
    if table is None:
        return None
    return ItemMacros(definition=table["definition"], expansion=table["expansion"],
                      metavariable=table["metavariable"], repetition=table["repetition"],
                      item_keywords=frozenset(table["item_keywords"]))


def _load(folder: Path) -> Grammar:
    data = tomllib.loads((folder / "grammar.toml").read_text(encoding="utf-8"))
    options = data.get("options", {})
    kinds = {node_type: check_kind(kind) for node_type, kind in data.get("kinds", {}).items()}
    keywords = {node_type: {word: check_kind(kind) for word, kind in table.items()}
                for node_type, table in data.get("keywords", {}).items()}
    return Grammar(
        name=data["name"],
        display_name=data.get("display_name", data["name"]),
        package=data["package"],
        distribution=data["distribution"],
        function=data.get("function", "language"),
        extensions=tuple(data.get("extensions", ())),
        shebangs=tuple(data.get("shebangs", ())),
        generated_patterns=tuple(data.get("generated_patterns", ())),
        content_extensions=tuple(data.get("content_extensions", ())),
        content_patterns=tuple(re.compile(p, re.M) for p in data.get("content_patterns", ())),
        kinds=kinds,
        operators={token: check_kind(kind) for token, kind in data.get("operators", {}).items()},
        self_names=frozenset(options.get("self_names", ())),
        name_fields=tuple(options.get("name_fields", ("name",))),
        receiver_field=options.get("receiver_field"),
        docstrings=bool(options.get("docstrings", False)),
        tail_return_blocks=frozenset(options.get("tail_return_blocks", ())),
        tail_return_parents=frozenset(options.get("tail_return_parents", ())),
        statement_types=frozenset(options.get("statement_types", ())),
        keywords=keywords,
        keyword_callees=frozenset(options.get("keyword_callees", ())),
        condition_last=frozenset(options.get("condition_last", ())),
        negating_keywords=frozenset(options.get("negating_keywords", ())),
        module_names=frozenset(options.get("module_names", ())),
        argument_arrays=frozenset(options.get("argument_arrays", ())),
        argument_shifts=frozenset(options.get("argument_shifts", ())),
        member_keys=frozenset(options.get("member_keys", ())),
        receiver_fields=frozenset(options.get("receiver_fields", ())),
        blank_macro_lines=bool(options.get("blank_macro_lines", False)),
        preprocess_on_error=bool(options.get("preprocess_on_error", False)),
        item_macros=_item_macros(options.get("item_macros")),
        curly_subscripts=bool(options.get("curly_subscripts", False)),
        method_calls={node_type: tuple(fields) for node_type, fields
                      in options.get("method_calls", {}).items()},
        builtins=_builtins(data.get("builtins", {})),
        slices_with_operand=frozenset(options.get("slices_with_operand", ())),
        inline_test_markers=frozenset(options.get("inline_test_markers", ())),
        tokens={token: check_kind(kind) for token, kind in data.get("tokens", {}).items()},
        folder=folder.name,
    )


@cache
def all_grammars() -> tuple[Grammar, ...]:
    root = grammars_root()
    folders = sorted(p for p in root.iterdir() if (p / "grammar.toml").is_file())
    return tuple(_load(folder) for folder in folders)


def grammar_named(name: str) -> Grammar:
    for grammar in all_grammars():
        if grammar.name == name:
            return grammar
    known = ", ".join(g.name for g in all_grammars())
    raise UnsupportedLanguage(f"unsupported language {name!r} (known: {known})")


@cache
def _by_extension() -> dict[str, Grammar]:
    table: dict[str, Grammar] = {}
    for grammar in all_grammars():
        for ext in grammar.extensions:
            table.setdefault(ext.lower(), grammar)
    return table


CONTENT_WINDOW = 65536  # how much of a file's text content patterns look at


def detect(path: str, text: str = "") -> Grammar | None:
    """The grammar claiming ``path``: by content where an extension is shared (a C++ `.h`
    header), else by extension, else by a ``#!`` interpreter line."""
    suffix = PurePosixPath(path).suffix.lower()
    for grammar in all_grammars():
        if suffix in grammar.content_extensions and any(
                p.search(text, 0, CONTENT_WINDOW) for p in grammar.content_patterns):
            return grammar
    if suffix in _by_extension():
        return _by_extension()[suffix]
    if text.startswith("#!"):
        first_line = text.split("\n", 1)[0]
        for grammar in all_grammars():
            if any(interp in first_line for interp in grammar.shebangs):
                return grammar
    return None
