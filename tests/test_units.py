"""The units stage: which functions stand alone."""

from __future__ import annotations

from derive.fingerprint import fingerprint, own_nodes
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.units import MAX_CALLBACKS, callback_composites, extract_units, helper_units


def _functions(code: str, path: str, language: str) -> list[str]:
    parsed = normalize(parse(SourceFile(path, language, code, "")))
    return [u.name for u in extract_units(parsed) if u.kind == "function"]


def test_functions_of_a_module_wrapper_are_units():
    code = """
(function (root) {
  var cache = {};
  function tokenize(text) { return text.split(/\\s+/).filter(function (t) { return t; }); }
  function score(a, b) { var n = 0; for (var i = 0; i < a.length; i++) { n += a[i] === b[i]; } return n; }
  root.fuzzy = { tokenize: tokenize, score: score };
})(this);
module.exports = function (lib) {
  function ratio(a, b) { return lib.score(a, b) / Math.max(a.length, b.length); }
  function partial(a, b) { return ratio(a.slice(0, b.length), b); }
  return { ratio: ratio, partial: partial };
};
"""
    assert _functions(code, "fuzzy.js", "javascript") == ["tokenize", "score", "ratio", "partial"]


def test_functions_of_a_wrapper_inside_a_wrapper_are_units():
    # UMD: the functions sit in a nameless factory, inside a nameless wrapper
    code = """
(function (define) { 'use strict';
define(function (require) {
  when.all = all;
  function all(promises) { return map(promises, function (x) { return x; }); }
  function map(promises, f) { var out = []; for (var i = 0; i < promises.length; i++) { out.push(f(promises[i])); } return out; }
  return when;
});
})(typeof define === 'function' && define.amd ? define : function (factory) { module.exports = factory(require); });
"""
    assert _functions(code, "when.js", "javascript") == ["all", "map"]


def test_functions_a_constructor_stores_on_its_object_are_methods():
    # class fields compiled into the constructor: Babel's `_defineProperty` and tsc's
    # assignments; a callback it only registers, and a lambda in a local, stay its code
    babel = """
class Parser {
  constructor(functions = {}) {
    _defineProperty(this, "functions", {});
    _defineProperty(this, "parse", (stream) => { this.stream = stream; return this.parseExpression(0); });
    this.functions = functions;
    emitter.on("reset", () => { this.stream = null; });
  }
}
"""
    tsc = """
class Lexer {
    constructor(source) {
        this.source = source;
        this.peek = () => this.source[this.position];
        const skip = () => { this.position += 1; };
    }
    tokenize() { return []; }
}
"""
    assert _functions(babel, "Parser.js", "javascript") == ["Parser.constructor", "Parser.constructor.parse"]
    assert _functions(tsc, "Lexer.js", "javascript") == [
        "Lexer.constructor", "Lexer.constructor.this.peek", "Lexer.tokenize"]


def test_functions_an_ordinary_method_stores_on_its_object_stay_its_code():
    code = """
class Loader {
  start(url) {
    this.onload = (event) => { this.done = true; this.emit("load", event); };
    this.request = fetch(url);
  }
}
"""
    assert _functions(code, "Loader.js", "javascript") == ["Loader.start"]


def test_small_closures_stay_inside_their_function():
    code = """
def parse(text):
    def skip(i):
        while i < len(text) and text[i] == " ":
            i += 1
        return i
    tokens, i = [], skip(0)
    while i < len(text):
        j = text.find(" ", i)
        j = len(text) if j < 0 else j
        tokens.append(text[i:j])
        i = skip(j)
    return tokens
"""
    assert _functions(code, "p.py", "python") == ["parse"]


def test_a_named_function_made_of_inner_functions_is_a_class():
    code = """
Showdown.converter = function (options) {
  var urls;
  var _DoHeaders = function (text) { return text.replace(/^(.+)[ \\t]*\\n=+[ \\t]*\\n+/gm, h1); };
  var _DoLists = function (text) { var list = text.split('\\n'); return list.join('<li>'); };
  var _Detab = function (text) { return text.replace(/\t/g, '    '); };
  var _Outdent = function (text) { return text.replace(/^(\t|[ ]{1,4})/gm, ''); };
  this.makeHtml = function (text) { urls = {}; return _DoLists(_DoHeaders(_Outdent(_Detab(text)))); };
};
function render(items) {
  var out = [];
  function line(x) { return '<li>' + x + '</li>'; }
  function wrap(s) { return '<ul>' + s + '</ul>'; }
  for (var i = 0; i < items.length; i++) { if (items[i]) { out.push(line(items[i].trim())); } }
  while (out.length > 10) { out.pop(); }
  return wrap(out.join(options.separator || '\\n', items.length, i, out.length, 'ul'));
}
"""
    parsed = normalize(parse(SourceFile("showdown.js", "javascript", code, "")))
    units = [(u.kind, u.name) for u in extract_units(parsed)[1:]]
    assert units == [("class", "Showdown.converter"), ("function", "Showdown.converter._DoHeaders"),
                     ("function", "Showdown.converter._DoLists"), ("function", "Showdown.converter._Detab"),
                     ("function", "Showdown.converter._Outdent"),
                     ("function", "Showdown.converter.this.makeHtml"), ("function", "render")]


HELPER_AND_CALLBACK = """
def encode(pixels, width, height):
    def channel(values, nx, ny):
        dc, ac, scale = 0, [], 0
        for cy in range(ny):
            for cx in range(nx):
                f = 0
                for y in range(height):
                    for x in range(width):
                        f += values[x + y * width] * cos(pi / width * cx * (x + 0.5))
                ac.append(f / (width * height))
        return dc, ac, scale

    def visit(node, pos, parent):
        if node.is_inline and parent.type.allows_mark_type(node.type):
            if not node.marks or node.marks[0].type == pixels.type:
                start, end = max(pos, width), min(pos + node.node_size, height)
                pixels.append((start, end, node.marks, parent.type.name))
        return True

    l = channel(pixels, max(3, width), max(3, height))
    each(pixels, visit)
    return l
"""


def test_a_large_helper_its_function_calls_is_a_unit_of_its_own():
    # a port hoists `channel` or keeps it nested: either way it has a counterpart of its own;
    # `visit` is only passed on, a callback another language writes as an anonymous lambda
    parsed = normalize(parse(SourceFile("e.py", "python", HELPER_AND_CALLBACK, "")))
    units = {u.name: u for u in extract_units(parsed) if u.kind == "function"}
    assert list(units) == ["encode", "encode.channel"]
    # the encloser leaves the helper out, so no code counts twice
    assert not any(node is units["encode.channel"].node for node in own_nodes(units["encode"]))
    outer, helper = fingerprint(units["encode"]), fingerprint(units["encode.channel"])
    assert "w:cx" in helper.channels["identifiers"] and "w:cx" not in outer.channels["identifiers"]
    assert "w:parent" in outer.channels["identifiers"]  # the callback stays with its function


def test_a_function_whose_own_code_calls_its_inner_functions_is_no_class():
    # ProseMirror's `nfa`: four inner functions hold most of its code, but its own body calls
    # them, so they are its helpers (the large one a unit of its own), not a closure's methods
    code = """
function nfa(expr) {
  let graph = [[]];
  connect(compile(expr, 0), node());
  return graph;
  function node() { graph.push([]); return graph.length - 1; }
  function edge(from, to, term) { let e = {term: term, to: to}; graph[from].push(e); return e; }
  function connect(edges, to) { edges.forEach(function (e) { e.to = to; }); }
  function compile(expr, from) {
    if (expr.type == "choice") { return expr.exprs.reduce(function (out, x) { return out.concat(compile(x, from)); }, []); }
    if (expr.type == "star") { let loop = node(); edge(from, loop); connect(compile(expr.expr, loop), loop); return [edge(loop)]; }
    if (expr.type == "opt") { return [edge(from)].concat(compile(expr.expr, from)); }
    return [edge(from, undefined, expr.value)];
  }
}
"""
    parsed = normalize(parse(SourceFile("content.js", "javascript", code, "")))
    assert [(u.kind, u.name) for u in extract_units(parsed)[1:]] == [("function", "nfa"),
                                                                     ("function", "nfa.compile")]


def test_a_function_handing_named_blocks_to_calls_is_no_class():
    # Opal compiles Ruby's blocks to functions it names and hands to `$send`: callbacks of the
    # method, as the blocks are in the Ruby, not methods of a closure class
    block = ("function(line){ var key = line['$strip'](), value = nil; if ($truthy(key['$empty?']())) "
             "{ return nil }; value = doc.$attr(key, self.$default(key, opts)); "
             "return $rb_plus($rb_plus(key, '='), value); }")
    code = ("Opal.def(self, '$sub_attributes', $S_sub_attributes$10 = function $$sub_attributes(text, opts) {\n"
            "  var $$11, $$13, $$14, $$15, self = this, doc = nil;\n"
            + "".join(f"  text = $send(text, '{method}', [], (${n} = {block}, ${n}.$$s = self, ${n}));\n"
                      for method, n in (("map", "$11"), ("select", "$13"), ("reject", "$14"), ("each", "$15")))
            + "  return text;\n});\n")
    assert _functions(code, "asciidoctor.js", "javascript") == ["$$sub_attributes"]


def test_inner_functions_left_in_their_function_are_its_helpers():
    # `visit`, a callback, stays in `encode`'s code, and `channel`, a unit of its own, does not
    parsed = normalize(parse(SourceFile("e.py", "python", HELPER_AND_CALLBACK, "")))
    units = {u.name: u for u in extract_units(parsed) if u.kind == "function"}
    (helper,) = helper_units(units["encode"])
    assert (helper.kind, helper.name) == ("helper", "encode.visit")
    assert any(node is helper.node for node in own_nodes(units["encode"]))
    assert helper_units(units["encode.channel"]) == ()


def _composites(code: str, path: str, language: str) -> dict[str, list[str]]:
    parsed = normalize(parse(SourceFile(path, language, code, "")))
    return {c.name: [callback.name for callback in c.callbacks]
            for c in callback_composites(extract_units(parsed))}


PHP_CALLBACKS = """<?php
class Parser {
    function doAnchors($text) {
        $text = preg_replace_callback('{\\[(.*?)\\]}', array(&$this, '_doAnchors_reference_callback'), $text);
        $text = preg_replace_callback('{\\((.*?)\\)}', array(&$this, '_doAnchors_inline_callback'), $text);
        return $this->cleanUp($text);
    }
    function _doAnchors_reference_callback($matches) {
        return "<a href=" . $matches[1] . ">";
    }
    function _doAnchors_inline_callback($matches) {
        return "<a>" . $matches[2] . "</a>";
    }
    function cleanUp($text) {
        return trim($text);
    }
}
"""


def test_a_function_and_the_methods_it_passes_by_name_form_a_composite():
    # PHP names its callbacks in strings; `cleanUp`, which it calls, is no callback
    assert _composites(PHP_CALLBACKS, "m.php", "php") == {
        "Parser.doAnchors": ["Parser._doAnchors_reference_callback", "Parser._doAnchors_inline_callback"]}


PY_CALLBACKS = """
def strip(match):
    return match.group(1).strip()


class Converter:
    def do_headers(self, text, sub):
        text = HEADER.sub(self._header_sub, text)
        text = OTHER.sub(sub, wrap(text, self.level, emphasis))
        return LIST.sub(strip, text)

    def _header_sub(self, match):
        return "<h1>" + match.group(1) + "</h1>"

    def sub(self, match):
        return match.group(0)

    @property
    def level(self):
        return self._level

    def emphasis(self, match):
        return "<em>" + match.group(1) + "</em>"
"""


def test_a_callback_is_a_method_of_the_object_or_a_top_level_function_not_a_variable():
    # `sub` is do_headers' own parameter, whatever method shares its name; `self.level`, a
    # getter with nothing to be called with, is a value; a bare `emphasis` is no method
    assert _composites(PY_CALLBACKS, "c.py", "python") == {
        "Converter.do_headers": ["strip", "Converter._header_sub"]}


def test_a_function_passing_many_functions_is_a_dispatch_table_not_a_composite():
    handlers = "\n".join(f"def on_{k}(event):\n    return {k}\n" for k in range(MAX_CALLBACKS + 1))
    register = "def register(bus):\n" + "".join(f"    bus.add(on_{k})\n" for k in range(MAX_CALLBACKS + 1))
    assert _composites(handlers + register, "h.py", "python") == {}
    fewer = "def register(bus):\n" + "".join(f"    bus.add(on_{k})\n" for k in range(MAX_CALLBACKS))
    assert _composites(handlers + fewer, "h.py", "python") == {
        "register": [f"on_{k}" for k in range(MAX_CALLBACKS)]}


def test_a_composite_holds_its_callbacks_code_after_its_own():
    parsed = normalize(parse(SourceFile("m.php", "php", PHP_CALLBACKS, "")))
    units = extract_units(parsed)
    (composite,) = callback_composites(units)
    function = next(u for u in units if u.name == "Parser.doAnchors")
    assert composite.kind == "composite" and composite.span == function.span
    held = {id(node) for node in own_nodes(composite)}
    assert all(id(node) in held for c in composite.callbacks for node in c.node.walk())
    assert fingerprint(composite).size > fingerprint(function).size



def test_a_constructor_function_storing_methods_on_its_object_is_a_class():
    # lamejs: LAME's C files become constructor functions; this one calls an inner one
    code = """
function Quantize() {
  function Direction(ordinal) { this.ordinal = ordinal; }
  Direction.UP = new Direction(1);
  function initCore(info, xrpow, upper) { var sum = 0; for (var i = 0; i <= upper; ++i) { sum += xrpow[i]; } return sum; }
  this.initXrpow = function (info, xrpow) { var upper = info.max_nonzero; return initCore(info, xrpow, upper) > 1e-20; };
  this.outerLoop = function (info, xrpow, bits) { var best = 0; while (best < bits) { best += info.step; } return best; };
  this.calcTargetBits = function (info, bits) { return Math.min(bits, info.max_bits) * 2; };
  this.getFramebits = function (info) { return info.bitrate_index > 0 ? info.frame_bits : 0; };
}
"""
    assert _functions(code, "Quantize.js", "javascript") == [
        "Quantize.Direction", "Quantize.initCore", "Quantize.this.initXrpow", "Quantize.this.outerLoop",
        "Quantize.this.calcTargetBits", "Quantize.this.getFramebits"]


def test_a_function_storing_a_few_callbacks_on_its_object_stays_one_unit():
    code = """
function load(request, done) {
  function finish(error) { request.onload = null; request.onerror = null; done(error); }
  request.open("GET", request.url);
  this.onload = function () { finish(null); };
  this.onerror = function () { finish(new Error("failed")); };
  request.send();
}
"""
    assert _functions(code, "load.js", "javascript") == ["load"]
