"""The laundering transformations of derive.launder, on small hand-written snippets."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from derive import launder
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.units import extract_units

PYTHON = '''"""Module docstring."""
import re  # a comment

PATTERN = re.compile(r"[a-z]+")


@decorator
def parse_line(text, limit=10):
    """Split a line."""
    if len(text) > limit:
        return f"{text} too long"
    total = (limit +
             len(text))
    return total


class Reader(object):
    # reads things
    def __init__(self, source):
        self.source = source

    def read_all(self):
        banner = """multi
    line"""
        return self.source + banner


def main_entry():
    return parse_line("abc") + Reader(b"x").read_all()
'''

JAVASCRIPT = '''// header comment
import { helper } from "./helper.js";
/* block
   comment */
export function joinParts(first, second) {
  const label = `tpl ${first}`;
  return first + second + tagged`hi`;
}

const squeeze = (value) => value.replace(/ab+c/g, 'z');

class Store {
  #secret = 1;
  constructor(initial) { this.initial = initial; }
  get current() { return this.initial + this.#secret; }
}

function runAll() { return joinParts(1, 2) + squeeze("q") + helper('c'); }
'''

GO = '''package counter

import (
	"fmt"
	"strings"
)

// Counter counts.
type Counter struct {
	total int `json:"total"`
}

func (c *Counter) Add(delta int) {
	c.total += delta
}

func shout(message string) string {
	mark := '!'
	return strings.ToUpper(message) + string(mark) + `raw
text`
}

func Report() {
	c := &Counter{}
	c.Add(2)
	fmt.Println(shout("x"), c.total)
}
'''

FILES = {"pkg/reader.py": PYTHON, "web/store.js": JAVASCRIPT, "counter/counter.go": GO}
LANGUAGE = {".py": "python", ".js": "javascript", ".go": "go", ".rs": "rust"}


def _language(path: str) -> str:
    return LANGUAGE[path[path.rindex("."):]]


def _syntax(path: str, text: str):
    return parse(SourceFile(path, _language(path), text, ""))


def _leaves(path: str, text: str, predicate, prune=lambda g, n: False) -> list[tuple[str, str]]:
    """(type, text) of the nodes matching ``predicate``, outermost only, not below ``prune``."""
    tree = _syntax(path, text)
    found, stack = [], [tree.tree.root_node]
    while stack:
        node = stack.pop()
        if predicate(tree.grammar, node):
            found.append((node.type, tree.data[node.start_byte:node.end_byte].decode()))
            continue
        if not prune(tree.grammar, node):
            stack.extend(node.children)
    return found


def _kinds(path: str, text: str) -> list[str]:
    return [node.kind for node in normalize(_syntax(path, text)).root.walk()]


def _units(path: str, text: str) -> Counter:
    parsed = normalize(_syntax(path, text))
    return Counter((u.kind, u.name) for u in extract_units(parsed) if u.kind != "file")


def _identifiers(path: str, text: str) -> set[str]:
    """Identifiers in code; those inside literals (f-string interpolations) are not renamed."""
    return {text for _, text in _leaves(
        path, text,
        lambda g, n: n.is_named and (n.type.endswith("identifier") or g.kinds.get(n.type) == "IDENT"),
        prune=lambda g, n: n.is_named and g.kinds.get(n.type) in ("STRING", "TEMPLATE", "COMMENT"))}


def test_snippets_parse_cleanly():
    for path, text in FILES.items():
        assert _syntax(path, text).error_share == 0.0, path


def test_rename_keeps_code_parseable_and_leaves_no_original_name():
    renamed = launder.rename_identifiers(FILES, seed=0)
    assert set(renamed) == set(FILES)
    assert launder.error_share(renamed) <= launder.error_share(FILES)
    kept = launder.KEPT_NAMES
    for path, text in renamed.items():
        assert _syntax(path, text).error_share == 0.0, path
        original = {name.lstrip("#") for name in _identifiers(path, FILES[path])} - kept
        now = {name.lstrip("#") for name in _identifiers(path, text)}
        assert not (original & now), (path, original & now)
        assert all(re.fullmatch(r"[vV]\d+", name) or name in kept for name in now), path
    assert "self.v" in renamed["pkg/reader.py"] and "this.v" in renamed["web/store.js"]
    assert "#v" in renamed["web/store.js"]  # the private-name sigil is kept


def test_rename_is_consistent_across_files_and_deterministic():
    files = {"a.py": "def shared(x):\n    return x\n", "b.js": "shared(1); other(2);\n"}
    first = launder.rename_identifiers(files, seed=0)
    assert first == launder.rename_identifiers(dict(reversed(files.items())), seed=5)
    # names are numbered in sorted order: other < shared < x
    assert first["a.py"] == "def v2(v3):\n    return v3\n"
    capital = launder.rename_identifiers({"a.rb": "class Point\n  def norm(x)\n    x\n  end\nend\n"})
    assert capital["a.rb"] == "class V1\n  def v2(v3)\n    v3\n  end\nend\n"  # a constant stays one
    assert first["b.js"] == "v2(1); v1(2);\n"


def test_rename_reaches_predicate_methods_qualified_packages_and_dollar_names():
    ruby = "class Fmt\n  def align?\n    @width.nil?\n  end\n  def go\n    align? ? 1 : 2\n  end\nend\n"
    # Ruby's `?` stays (it is part of the method's name), the word before it goes
    assert launder.rename_identifiers({"f.rb": ruby})["f.rb"] == \
        "class V1\n  def v2?\n    @v5.v4?\n  end\n  def v3\n    v2? ? 1 : 2\n  end\nend\n"
    perl = "package Text::Format;\nuse File::Spec;\nsub path { File::Spec->catfile(@_) }\n1;\n"
    assert launder.rename_identifiers({"F.pm": perl})["F.pm"] == \
        "package V4::V2;\nuse V1::V3;\nsub v6 { V1::V3->v5(@_) }\n1;\n"
    js = "function pp$1(types$1) { return types$1 + $el; }\n"
    assert launder.rename_identifiers({"b.js": js})["b.js"] == "function v2(v3) { return v3 + $v1; }\n"
    # an operator's name is the language's, not the author's
    cpp = "struct A { bool operator==(const A& o) const; };\n"
    assert "operator==" in launder.rename_identifiers({"a.cpp": cpp})["a.cpp"]


def test_rename_leaves_strings_and_comments_alone():
    out = launder.rename_identifiers({"a.py": 'name = "name"  # name\n'})
    assert out["a.py"] == 'v1 = "name"  # name\n'


def test_strip_leaves_no_comment_and_only_empty_strings():
    stripped = launder.strip_comments_and_strings(FILES)
    for path, text in stripped.items():
        tree = _syntax(path, text)
        assert tree.error_share == 0.0, path
        assert not _leaves(path, text, lambda g, n: n.is_named and "comment" in n.type), path
        strings = _leaves(path, text, lambda g, n: n.is_named and g.kinds.get(n.type) in
                          ("STRING", "TEMPLATE"))
        assert strings, path
        assert {literal for _, literal in strings} <= {'""', "``"}, (path, strings)
    python = stripped["pkg/reader.py"]
    assert python.startswith('""\n')  # the docstring
    assert 'compile("")' in python and 'Reader("")' in python
    assert 'return ""' in python  # the f-string, its interpolation included
    assert "tagged``" in stripped["web/store.js"]  # a tagged template stays a template
    go = stripped["counter/counter.go"]
    assert "`" not in go and "mark := '\\x00'" in go  # raw strings become ""; runes a NUL


def test_strip_keeps_the_code():
    stripped = launder.strip_comments_and_strings(FILES)
    for path, text in stripped.items():
        before = [k for k in _kinds(path, FILES[path]) if k != "COMMENT"]
        assert [k for k in _kinds(path, text) if k != "COMMENT"] == before, path


def test_reformat_changes_layout_only():
    reformatted = launder.reformat(FILES)
    for path, text in reformatted.items():
        assert text != FILES[path], path
        assert _syntax(path, text).error_share == 0.0, path
        assert _kinds(path, text) == _kinds(path, FILES[path]), path
    go = reformatted["counter/counter.go"]
    assert "\n\t" not in go and "\n\nc.total += delta\n\n" in go
    assert "`raw\ntext`" in go  # inside a literal nothing moves
    python = reformatted["pkg/reader.py"]
    assert "\n  def __init__(self, source):\n    self.source = source\n" in python
    assert '"""multi\n    line"""' in python
    assert "\n\n\n\n@decorator" in python  # two blank lines became four


def test_shuffle_keeps_units_and_renames_files():
    many = "".join(f"def f{i}(x):\n    return x + {i}\n\n\n" for i in range(8))
    files = dict(FILES, **{"pkg/many.py": many})
    shuffled = launder.shuffle_functions(files, seed=1)
    assert len(shuffled) == len(files)
    assert all(re.fullmatch(r"[a-z]+/mod_\d+\.(py|js|go)", path) for path in shuffled)
    by_text = {text: path for path, text in files.items()}
    for path, text in shuffled.items():
        assert _syntax(path, text).error_share == 0.0, path
    units = Counter()
    for path, text in shuffled.items():
        units += _units(path, text)
    expected = Counter()
    for path, text in files.items():
        expected += _units(path, text)
    assert units == expected
    moved = [t for t in shuffled.values() if t not in by_text]
    assert moved, "nothing was shuffled"
    new_many = next(t for t in shuffled.values() if "def f0" in t)
    assert new_many != many and sorted(new_many.split("\n\n\n")) == sorted(many.split("\n\n\n"))
    assert launder.shuffle_functions(files, seed=1) == shuffled


def test_shuffle_moves_whole_statements():
    text = ("export function a() { return 1; }\n"
            "const b = () => 2;\n"
            "export const c = function () { return 3; };\n"
            "function d() { return 4; }\n")
    for seed in range(5):
        (out,) = launder.shuffle_functions({"m.js": text}, seed=seed).values()
        assert sorted(out.splitlines()) == sorted(text.splitlines())


def test_shuffle_methods_within_a_class():
    cls = "class K:\n" + "".join(f"    def m{i}(self):\n        return {i}\n\n" for i in range(8))
    (top,) = launder.shuffle_functions({"k.py": cls}, seed=2).values()
    assert top == cls  # one top-level unit: nothing to permute
    (deep,) = launder.shuffle_functions({"k.py": cls}, seed=2, methods=True).values()
    assert deep != cls and _units("k.py", deep) == _units("k.py", cls)
    assert _syntax("k.py", deep).error_share == 0.0


def test_merge_reduces_file_count():
    files = {"a/x.py": "x = 1\n", "a/y.py": "y = 2", "a/z.go": "package a\n",
             "a/w.go": "package a\n\nfunc F() {}\n", "b/q.py": "q = 1\n",
             "a/big.py": "big = 1\n" * 200}
    merged = launder.merge_small_files(files, max_lines=150)
    assert sorted(merged) == ["a/big.py", "a/merged.go", "a/merged.py", "b/q.py"]
    assert merged["a/merged.py"] == "x = 1\n\ny = 2\n"
    assert merged["a/big.py"] == files["a/big.py"]
    assert launder.error_share(merged) == 0.0
    merged_snippets = launder.merge_small_files(
        {"pkg/a.py": PYTHON, "pkg/b.py": PYTHON.replace("Reader", "Writer")})
    assert list(merged_snippets) == ["pkg/merged.py"]


@pytest.mark.parametrize("name", sorted(launder.transformations()))
def test_every_transformation_is_pure_and_parseable(name):
    transform = launder.transformations(seed=3)[name]
    before = dict(FILES)
    out = transform(FILES)
    assert FILES == before
    assert out == transform(FILES)
    assert launder.error_share(out) == 0.0


def test_rename_keeps_names_the_grammar_parses_specially():
    go = "package p\n\nfunc f(n int) []int {\n\tx := make([]int, n)\n\ty := new(int)\n\t_ = y\n\treturn x\n}\n"
    (out,) = launder.rename_identifiers({"p.go": go}).values()
    assert "make([]" in out and "new(" in out
    assert _syntax("p.go", out).error_share == 0.0


def test_rename_keeps_inline_test_markers():
    rust = ("fn add(a: u32, b: u32) -> u32 { a + b }\n\n#[cfg(test)]\nmod tests {\n"
            "    #[test]\n    fn adds() { assert_eq!(super::add(1, 2), 3); }\n}\n")
    (out,) = launder.rename_identifiers({"lib.rs": rust}).values()
    assert "#[cfg(test)]" in out and "#[test]" in out
    assert "add" not in out.replace("#[cfg(test)]", "") and "mod v" in out
    assert len(normalize(parse(SourceFile("lib.rs", "rust", out, ""))).inline_tests) == 1


def test_shuffle_leaves_conditional_definitions_alone():
    text = ("if fast:\n    def f(x):\n        return 1\nelif other:\n    def f(x):\n        return 2\n"
            "else:\n    def f(x):\n        return 3\n\n\ndef g():\n    return 4\n\n\ndef h():\n    return 5\n")
    for seed in range(6):
        (out,) = launder.shuffle_functions({"c.py": text}, seed=seed, methods=True).values()
        assert _syntax("c.py", out).error_share == 0.0
        assert out.index("return 1") < out.index("return 2") < out.index("return 3")
        assert _units("c.py", out) == _units("c.py", text)


def test_edits_that_break_the_parse_are_dropped():
    text = "def f(x):\n    return x\n"
    tree = _syntax("a.py", text)
    good = launder.Edit(4, 5, b"g")
    bad = launder.Edit(0, 3, b"(((")
    assert launder.apply_safely(tree, [bad, good]) == b"def g(x):\n    return x\n"


def test_laundering_keeps_the_macros_the_parse_reads_through():
    rust = ("macro_rules! grisu {($fty:ty) => {\n"
            "    fn round(rest: $fty, len: isize) -> $fty { rest * len as $fty }\n}}\n")
    (out,) = launder.rename_identifiers({"d.rs": rust}).values()
    # the metavariable keeps the name its matcher declares; the function inside is renamed
    assert out == ("macro_rules! grisu {($fty:ty) => {\n"
                   "    fn v3(v2: $fty, v1: isize) -> $fty { v2 * v1 as $fty }\n}}\n")
    assert list(_units("d.rs", out)) == [("function", "v3")]


def test_a_file_with_a_syntax_error_is_still_laundered():
    # stripping shortens the file, so the error's share of it grows while its bytes do not
    text = "// a comment\nfunction f(x) {\n  return 'text';\n}\nlet = ;\n"
    assert _syntax("e.js", text).error_bytes > 0
    (out,) = launder.strip_comments_and_strings({"e.js": text}).values()
    assert "comment" not in out and "text" not in out
    assert _syntax("e.js", out).error_bytes <= _syntax("e.js", text).error_bytes
