"""The units stage: which functions stand alone."""

from __future__ import annotations

from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.units import extract_units


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


def test_closures_stay_inside_their_function():
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
