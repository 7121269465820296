"""Golden tests for every language folder in grammars/ (picked up automatically).

Each grammar has ``tests/golden/<name>/`` with one or more samples and, beside each,
``<sample>.golden`` holding its universal AST and units. Set DERIVE_UPDATE_GOLDEN=1 to
rewrite the golden files after a deliberate mapping change, then review the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from derive.grammars import all_grammars, detect
from derive.inspect import format_uast, format_units
from derive.kinds import KIND_SET
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse

GOLDEN = Path(__file__).parent / "golden"
GRAMMARS = {g.name: g for g in all_grammars()}
REQUIRED = {"python", "javascript", "typescript", "tsx", "go", "rust", "java", "c", "cpp",
            "csharp", "ruby", "php", "kotlin", "swift", "perl"}


def samples():
    for name in sorted(GRAMMARS):
        folder = GOLDEN / name
        for path in sorted(folder.glob("*")) if folder.is_dir() else ():
            if path.suffix != ".golden":
                yield pytest.param(name, path, id=f"{name}/{path.name}")


def _render(name: str, path: Path) -> tuple[str, object]:
    source = SourceFile(path.name, name, path.read_text(encoding="utf-8"), "golden")
    parsed = normalize(parse(source))
    return format_uast(parsed.root) + "\n\n" + format_units(parsed) + "\n", parsed


def test_every_required_language_has_a_grammar():
    assert REQUIRED <= set(GRAMMARS), sorted(REQUIRED - set(GRAMMARS))


@pytest.mark.parametrize("name", sorted(GRAMMARS))
def test_grammar_loads_offline_and_maps_only_real_node_types(name):
    grammar = GRAMMARS[name]
    language = grammar.language()
    real = {language.node_kind_for_id(i) for i in range(language.node_kind_count)
            if language.node_kind_is_named(i)}
    tokens = {language.node_kind_for_id(i) for i in range(language.node_kind_count)
              if not language.node_kind_is_named(i)}
    mapped = (set(grammar.kinds) | set(grammar.keywords) | grammar.keyword_callees
              | grammar.condition_last | grammar.member_keys | grammar.receiver_fields)
    unknown = sorted(mapped - real)
    assert not unknown, f"{name} maps node types its grammar does not have: {unknown}"
    assert set(grammar.tokens) | grammar.negating_keywords <= tokens, \
        f"{name} names tokens its grammar does not have"
    assert all(node_type in grammar.kinds for node_type in grammar.keywords), \
        f"{name}: a node type mapped by keyword needs a default kind for other keywords"
    assert grammar.version != "not installed"


@pytest.mark.parametrize("name", sorted(GRAMMARS))
def test_every_grammar_has_golden_samples(name):
    assert any((GOLDEN / name).glob("*.golden")), f"no golden sample for {name}"


@pytest.mark.parametrize("name,path", list(samples()))
def test_golden_uast(name, path):
    rendered, parsed = _render(name, path)
    golden = path.with_name(path.name + ".golden")
    if os.environ.get("DERIVE_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert golden.exists(), f"missing {golden.name}; run with DERIVE_UPDATE_GOLDEN=1"
    assert rendered == golden.read_text(encoding="utf-8")
    kinds = [node.kind for node in parsed.root.walk()]
    assert set(kinds) <= KIND_SET
    assert parsed.error_share == 0.0, "golden samples must parse without errors"
    other_share = kinds.count("OTHER") / len(kinds)
    assert other_share < 0.05, f"{other_share:.1%} of nodes are OTHER: extend the mapping"
    assert "function " in rendered.split("\n\n")[-1], "sample must declare a function unit"


@pytest.mark.parametrize("name,path", list(samples()))
def test_sample_extension_detects_its_language(name, path):
    grammar = detect(path.name)
    assert grammar is not None and grammar.name == name
