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
