"""Normalisations that make translations look alike, and tolerance of syntax errors."""

from __future__ import annotations

import pytest

from derive.fingerprint import fingerprint
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.units import callee_name, extract_units


def uast(language: str, code: str):
    ext = {"python": "py", "javascript": "js", "rust": "rs", "go": "go", "java": "java",
           "perl": "pl", "ruby": "rb", "php": "php"}[language]
    return normalize(parse(SourceFile(f"t.{ext}", language, code, "")))


def kinds(language: str, code: str) -> list[str]:
    return [n.kind for n in uast(language, code).root.walk()]


def test_increment_and_augmented_assignment_are_one_shape():
    assert kinds("javascript", "i++;") == kinds("javascript", "i += 1;")
    assert kinds("javascript", "i += 1;")[1:] == kinds("python", "i += 1")[1:]


def test_new_is_a_call_and_this_is_self():
    assert "CALL" in kinds("javascript", "new Token('a', 1);")
    js = kinds("javascript", "this.x = 1;")
    py = kinds("python", "self.x = 1")
    assert js == py and "SELF" in js


def test_types_and_visibility_vanish():
    java = kinds("java", "class A { public static int add(int a, int b) { return a + b; } }")
    assert "OTHER" not in java
    assert java.count("IDENT") == 6  # A, add, a, b, a, b: no type names


def test_rust_tail_expression_is_a_return():
    rust = kinds("rust", "fn add(a: i32, b: i32) -> i32 { a + b }")
    assert rust[-4:] == ["RETURN", "ARITH", "IDENT", "IDENT"]


def test_function_names_and_lines():
    parsed = uast("javascript", "class Token {\n  attrGet(name) {\n    return this.attrs[name];\n  }\n}\n"
                                "Token.prototype.meta = function () { return 1; };\n")
    units = [(u.kind, u.name, u.span.start_line, u.span.end_line) for u in extract_units(parsed)]
    assert units[1:] == [("class", "Token", 1, 5), ("function", "Token.attrGet", 2, 4),
                         ("function", "Token.prototype.meta", 6, 6)]


def test_syntax_errors_are_tolerated_and_measured():
    parsed = uast("python", "def f(a):\n    return a +\n\ndef g(b):\n    return b * 2\n")
    assert 0 < parsed.error_share < 0.5
    assert any(u.name == "g" for u in extract_units(parsed))


def test_deep_nesting_does_not_recurse():
    code = "x = " + "(" * 3000 + "1" + ")" * 3000 + "\n"
    assert uast("python", code).node_count > 0


def test_channels_see_through_spelling():
    js = fingerprint(extract_units(uast("javascript", "function blkIndent(s) { return s.charCodeAt(0) === 0x23; }"))[1])
    py = fingerprint(extract_units(uast("python", "def blk_indent(s):\n    return s[0] == '#'\n"))[1])
    assert "w:blkindent" in js.channels["identifiers"] & py.channels["identifiers"]
    assert "35" in js.channels["numbers"] & py.channels["numbers"]


def test_a_one_character_literal_counts_once_as_its_code():
    # counted as a string too, one shared '~' made two channels agree fully
    go = fingerprint(extract_units(uast("go", "package p\nfunc tilde(b []byte) bool { return b[0] == '~' }\n"))[1])
    rust = fingerprint(extract_units(uast("rust", "fn tilde(s: &str) -> bool { s.starts_with(\"~\") }\n"))[1])
    assert "126" in go.channels["numbers"] & rust.channels["numbers"]
    assert not go.channels["strings"] and not rust.channels["strings"]


def test_nested_functions_belong_to_their_enclosing_unit():
    parsed = uast("python", "def replace_tilde(comp):\n    def repl(m):\n        return m + 1\n"
                            "    return sub(comp, repl)\n")
    units = [(u.kind, u.name) for u in extract_units(parsed)]
    assert units[1:] == [("function", "replace_tilde")]
    assert "repl" in {c.removeprefix("w:") for c in fingerprint(extract_units(parsed)[1]).channels["identifiers"]}


def function_shape(language: str, code: str) -> list[str]:
    """Kinds of the first function, names stripped: what the structure channel compares."""
    function = next(n for n in uast(language, code).root.walk() if n.kind == "FUNCTION")
    return [n.kind for n in function.walk()]


def test_perl_argument_unpacking_is_a_parameter_list():
    python = function_shape("python", "def add(self, a, b):\n    return a + b\n")
    assert python == ["FUNCTION", "IDENT", "IDENT", "IDENT", "BLOCK", "RETURN", "ARITH", "IDENT", "IDENT"]
    assert function_shape("perl", "sub add { my ($self, $a, $b) = @_; return $a + $b; }") == python
    assert function_shape("perl", "sub add { my $self = shift; my ($a, $b) = @_;\n"
                                  "  return $a + $b; }") == python
    commented = uast("perl", "sub add {\n  # the sum\n  my ($a, $b) = @_;\n  return $a + $b;\n}\n")
    assert [n.kind for n in commented.root.walk()].count("COMMENT") == 1
    # `@_` used later in the body is no parameter list
    assert "ASSIGN" in function_shape("perl", "sub f { my $n = 1; my ($a) = @_; return $a; }")


def test_go_receiver_is_self():
    go = uast("go", "package a\nfunc (c *Counter) Add(n int) { c.total += n }\n")
    python = uast("python", "def add(self, n):\n    self.total += n\n")
    shape = [n.kind for n in go.root.walk()][1:]
    assert shape == [n.kind for n in python.root.walk()][1:]
    assert "SELF" in shape


def test_postfix_condition_has_the_shape_of_an_if_block():
    expected = function_shape("javascript", "function f(k, n) { if (k > n) { return 0; } }")
    assert function_shape("ruby", "def f(k, n)\n  return 0 if k > n\nend\n") == expected
    assert function_shape("perl", "sub f { my ($k, $n) = @_; return 0 if $k > $n; }") == expected


def test_declarations_without_a_value_vanish():
    js = function_shape("javascript", "function f(a) { var d, r; r = a; return r; }")
    assert js == function_shape("python", "def f(a):\n    r = a\n    return r\n")


def test_receiver_fields_are_members_of_self():
    python = function_shape("python", "def grow(self, n):\n    self.size = self.size + n\n")
    assert function_shape("ruby", "def grow(n)\n  @size = @size + n\nend\n") == python
    assert function_shape("perl", "sub grow { my ($self, $n) = @_;\n"
                                  "  $self->{size} = $self->{size} + $n; }") == python
    # a hash of another name, or a computed key, stays an index
    assert "INDEX" in function_shape("perl", "sub f { my ($h, $k) = @_; return $h->{$k}; }")
    assert "INDEX" in function_shape("perl", "sub f { my ($h) = @_; return $h->{size}; }")


def test_statement_level_project_macros_do_not_break_the_parse():
    code = ("#include \"diyfp.h\"\n\nRAPIDJSON_NAMESPACE_BEGIN\nnamespace internal {\n"
            "RAPIDJSON_DIAG_PUSH\nRAPIDJSON_DIAG_OFF(effc++) // noisy\n"
            "static const unsigned kPowers[] = {\n    1,\n    UINT64_C2(0xaf87023b, 0x9bf0ee6b)\n};\n"
            "inline int Grisu(int v) { return v + 1; }\n}\nRAPIDJSON_NAMESPACE_END\n")
    parsed = normalize(parse(SourceFile("dtoa.h", "cpp", code, "")))
    assert parsed.error_share == 0.0
    assert [u.name for u in extract_units(parsed) if u.kind == "function"] == ["internal.Grisu"]
    assert any(n.kind == "CALL" for n in parsed.root.walk())  # the array's macro element is kept
    grisu = next(n for n in parsed.root.walk() if n.name == "Grisu")
    assert grisu.span.start_line == 11


ZLIB_STYLE_C = """#include "zutil.h"
#if defined(_MSC_VER)
#  define ROTL32(x, r) _rotl(x, r)
#else
static unsigned rotl32(unsigned x, int r)
{
    return (x << r) | (x >> (32 - r));
}
#endif

local int updatewindow(strm, end)
z_streamp strm;
unsigned end;
{
    struct inflate_state FAR *state;
    struct HUFT *table = (struct HUFT *)0;
    state = (struct inflate_state FAR *)strm->state;
    return end;
}

int ZEXPORT inflate(strm, flush)
z_streamp strm;
int flush;
{
    unsigned long hold = 0;
    for (;;)
        switch (strm->mode) {
        case HEAD:
#ifdef GUNZIP
            if ((strm->wrap & 2) && hold == 0x8b1f) {
                strm->mode = FLAGS;
                break;
            }
            if (!(strm->wrap & 1) ||
#else
            if (
#endif
                ((hold << 8) + (hold >> 8)) % 31) {
                strm->mode = BAD;
                break;
            }
            if ((strm->wrap & 4) && (
#ifdef GUNZIP
                 strm->flags ? hold :
#endif
                 ZSWAP32(hold)) != strm->check)
                strm->mode = BAD;
            break;
        default:
            return Z_STREAM_ERROR;
        }
}

void ZLIB_INTERNAL inflate_fast(strm, start)
z_streamp strm;
unsigned start;
{
    strm->avail_in = start;
}

int ZEXPORT inflateEnd(strm)
z_streamp strm;
{
    return Z_OK;
}
"""


def test_a_c_file_misparsed_as_written_is_read_as_the_preprocessor_would_pass_it():
    # zlib's `if (` written once per `#ifdef` branch, a directive inside an expression and
    # `int ZEXPORT inflate(` made tree-sitter read every later function into `inflate`;
    # a conditional between whole definitions keeps both branches
    parsed = parse(SourceFile("inflate.c", "c", ZLIB_STYLE_C, ""))
    units = [(u.name, u.span.start_line) for u in extract_units(normalize(parsed)) if u.kind == "function"]
    assert units == [("ROTL32", 3), ("rotl32", 5), ("updatewindow", 11), ("inflate", 21),
                     ("inflate_fast", 54), ("inflateEnd", 61)]
    assert parsed.error_share < 0.01  # `local`, zlib's `static`, is left as written
    data = parsed.data.decode()
    assert "int         inflate(strm, flush)" in data and "void               inflate_fast(" in data
    assert "struct inflate_state     *state;" in data and "(struct inflate_state     *)" in data
    assert "struct HUFT *table = (struct HUFT *)0;" in data  # a struct's tag is no attribute
    assert "#if defined(_MSC_VER)" in data and "#else\nstatic unsigned rotl32(" in data
    assert data.count("#") == 5 and "            if (\n" not in data  # only that conditional and the include
    assert "strm->flags ? hold :" in data  # the first branch is kept
    assert "ZSWAP32(hold)) != strm->check)" in data  # an expression going on, not a macro line
    assert parsed.written.decode() == ZLIB_STYLE_C and data.count("\n") == ZLIB_STYLE_C.count("\n")


def test_php_curly_subscripts_do_not_nest_the_later_methods():
    # PHP before 8 read `$s{0}` as `$s[0]`; tree-sitter-php reads a block, and every later
    # method became a function nested in `first`
    code = ("<?php\nclass Text {\n"
            "    function first($s) {\n        return $s{0} == '{' ? $this->rows[1]{2} : \"$s{0}\";\n    }\n"
            "    // $s{0} in a comment stays as written\n"
            "    function last($s) {\n        return $s{strlen($s) - 1};\n    }\n}\n")
    parsed = parse(SourceFile("text.php", "php", code, ""))
    assert parsed.error_share == 0.0
    assert [u.name for u in extract_units(normalize(parsed)) if u.kind == "function"] == ["Text.first", "Text.last"]
    data = parsed.data.decode()
    assert "return $s[0] == '{' ? $this->rows[1][2] : \"$s{0}\";" in data  # the string is kept
    assert "// $s{0} in a comment" in data and "return $s[strlen($s) - 1];" in data
    assert parsed.written.decode() == code


@pytest.mark.parametrize("path, language, clean", [
    ("clean.c", "c", "#ifdef X\nint f(void) { return 1; }\n#else\nint f(void) { return 2; }\n#endif\n"),
    ("clean.php", "php", "<?php\nfunction f($s) { return \"{$s}\" . '$s{0}'; }\n"),
])
def test_a_file_that_parses_as_written_is_read_as_written(path, language, clean):
    # the rewrites for files that misparse (C conditionals, PHP's curly subscripts) stay out
    assert parse(SourceFile(path, language, clean, "")).data.decode() == clean


def test_a_macro_defining_functions_is_read_as_its_expansion():
    code = ("macro_rules! dtoa {(\n    floating_type: $fty:ty,\n    $($param:ident: $value:tt,)*\n"
            ") => {\n    diyfp! { $($param: $value,)* };\n\n"
            "    fn grisu_round(len: isize, rest: $fty) -> $fty {\n"
            "        let k = $crate::ten(len);\n        rest * k\n    }\n}}\n"
            "macro_rules! square {($x:expr) => { $x * $x };}\n")
    parsed = normalize(parse(SourceFile("dtoa.rs", "rust", code, "")))
    assert parsed.error_share == 0.0
    # the expansion's function is a unit of its own; a macro computing a value stays one
    assert [u.name for u in extract_units(parsed) if u.kind == "function"] == [
        "grisu_round", "square"]
    grisu = next(n for n in parsed.root.walk() if n.name == "grisu_round")
    assert grisu.span.start_line == 7
    expanded = [n.kind for n in grisu.walk()]
    assert expanded == function_shape("rust", "fn grisu_round(len: isize, rest: f64) -> f64 {\n"
                                              "    let k = crate::ten(len);\n    rest * k\n}\n")


def test_method_calls_have_one_shape_and_name_their_method():
    python = function_shape("python", "def f(o, x):\n    return o.m(x)\n")
    assert python == ["FUNCTION", "IDENT", "IDENT", "IDENT", "BLOCK", "RETURN", "CALL", "MEMBER",
                      "IDENT", "IDENT", "IDENT"]
    assert function_shape("ruby", "def f(o, x)\n  return o.m(x)\nend\n") == python
    assert function_shape("java", "class A { int f(O o, int x) { return o.m(x); } }") == python
    assert function_shape("php", "<?php function f($o, $x) { return $o->m($x); }") == python
    assert function_shape("perl", "sub f { my ($o, $x) = @_; return $o->m($x); }") == python
    call = next(n for n in uast("php", "<?php A::make($x);").root.walk() if n.kind == "CALL")
    assert callee_name(call) == "make"


def test_builtin_operations_and_counting_loops_have_one_shape():
    python = function_shape("python", "def g(s):\n    n = len(s)\n    for i in range(n):\n"
                                      "        f(s[i], s[1:i])\n")
    same = {
        "javascript": "function g(s) { var n = s.length;\n"
                      "  for (var i = 0; i < n; i++) { f(s.charAt(i), s.substring(1, i)); } }",
        "go": "package p\nfunc g(s string) { n := len(s)\n"
              "  for i := 0; i < n; i++ { f(s[i], s[1:i]) } }",
        "rust": "fn g(s: &str) { let n = s.len(); for i in 0..n { f(s[i], &s[1..i]); } }",
        "ruby": "def g(s)\n  n = s.length\n  for i in 0...n do f(s[i], s[1..i]) end\nend\n",
        "java": "class A { void g(String s) { int n = s.length();\n"
                "  for (int i = 0; i < n; i++) { f(s.charAt(i), s.substring(1, i)); } } }",
        "php": "<?php function g($s) { $n = strlen($s);\n"
               "  for ($i = 0; $i < $n; $i++) { f($s[$i], substr($s, 1, $i)); } }",
    }
    assert "LENGTH" in python and "RANGE" in python and "SLICE" in python
    for language, code in same.items():
        assert function_shape(language, code) == python, language
    # a loop that does not count one variable keeps its own shape
    assert "RANGE" not in function_shape("javascript", "function h(a) { for (i = 0, j = 9; i < j; j--) { a(i); } }")


RUST_WITH_TESTS = """
fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() { Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(), None => String::new() }
}

#[cfg(not(test))]
fn only_outside_tests() -> u32 { 1 }

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalizes() {
        assert_eq!(capitalize("word"), "Word");
    }
}

#[test]
// a test outside a test module, under a comment and another attribute
#[should_panic]
fn panics() { capitalize(""); }
"""


def test_inline_rust_tests_are_left_out_and_counted():
    parsed = uast("rust", RUST_WITH_TESTS)
    names = [u.name for u in extract_units(parsed) if u.kind != "file"]
    assert names == ["capitalize", "only_outside_tests"]
    assert [(s.start_line, s.end_line) for s in parsed.inline_tests] == [(11, 18), (23, 23)]
