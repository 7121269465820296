"""Candidate generation and pair scoring in the match stage."""

from __future__ import annotations

import pytest
from datasketch import MinHashLSH

import derive
from derive import match
from derive.fingerprint import fingerprint
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.pipeline import analyse
from derive.source import load_codebase
from derive.units import extract_units

CODE = """
def tally(words, stop):
    counts = {}
    for word in words:
        if word in stop:
            continue
        counts[word] = counts.get(word, 0) + 1
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

def shout(text):
    return text.upper() + "!"
"""


def _functions(code: str, path: str = "m.py", language: str = "python"):
    parsed = normalize(parse(SourceFile(path, language, code, "")))
    return [fingerprint(u) for u in extract_units(parsed) if u.kind == "function"]


def _scored(reference, suspect, weights):
    return match.score_pairs(reference, suspect, match.candidates(reference, suspect), weights)


def test_small_codebases_score_every_pair():
    reference, suspect = _functions(CODE), _functions(CODE, "n.py")
    assert match.candidates(reference, suspect) == {(0, 0), (0, 1), (1, 0), (1, 1)}


def test_large_codebases_fall_back_to_lsh(monkeypatch):
    reference, suspect = _functions(CODE), _functions(CODE, "n.py")
    monkeypatch.setattr(match, "EXHAUSTIVE_PAIRS", 0)
    found = match.candidates(reference, suspect)
    assert {(0, 0), (1, 1)} <= found  # identical units always collide
    assert found == match.lsh_candidates(reference, suspect)


# Ruby and the JavaScript Opal compiles it to: one vocabulary, two shapes
ROMAN_RUBY = """
def int_to_roman(value)
  result = ''
  ROMAN_NUMERALS.each do |key, numeral|
    count = value / numeral
    result += key * count
    value -= numeral * count
  end
  result
end
"""
ROMAN_OPAL = """
function $$int_to_roman(value) {
  var $a, $b, $$1, self = this, result = nil;
  result = "";
  $send($$($nesting, 'ROMAN_NUMERALS'), 'each', [], ($$1 = function(key, numeral){
    var self = $$1.$$s || this, count = nil;
    if (key == null) { key = nil; };
    if (numeral == null) { numeral = nil; };
    count = $rb_divide(value, numeral);
    result = $rb_plus(result, $rb_times(key, count));
    return (value = $rb_minus(value, $rb_times(numeral, count)));
  }, $$1.$$s = self, $$1.$$arity = 2, $$1));
  return result;
}
"""


def test_lsh_finds_a_port_by_its_vocabulary_when_its_shape_differs():
    reference = _functions(ROMAN_RUBY, "helpers.rb", "ruby")
    suspect = _functions(ROMAN_OPAL, "asciidoctor.js", "javascript")
    pooled = MinHashLSH(threshold=match.LSH_THRESHOLD, num_perm=match.NUM_PERM)
    pooled.insert(0, match._sketch(reference[0]))
    assert pooled.query(match._sketch(suspect[0])) == []  # structure shingles drown the names
    assert match.lsh_candidates(reference, suspect) == {(0, 0)}


def test_pair_score_is_symmetric_and_one_for_identical_units():
    units = _functions(CODE)
    weights = match.RarityWeights(units + _functions(CODE, "n.py"))
    same = match.score_pair(units[0], units[0], weights)
    assert same.score == pytest.approx(1.0)
    forward, backward = match.score_pair(units[0], units[1], weights), match.score_pair(units[1], units[0], weights)
    assert forward.score == backward.score < 0.5


def test_verdict_holds_on_the_lsh_path(examples, monkeypatch):
    monkeypatch.setattr(match, "EXHAUSTIVE_PAIRS", 0)
    port = derive.compare(str(examples / "reference-js"), str(examples / "suspect-py"))
    independent = derive.compare(str(examples / "reference-js"), str(examples / "independent-py"))
    assert port.verdict["label"] == "derived"
    assert independent.verdict["label"] == "not-derived"


TWINS = """
def hash64(data, seed):
    h = seed * 0x9E3779B1
    for i in range(0, len(data), 8):
        h = (h ^ data[i]) * 0x85EBCA6B
        h = (h << 13) | (h >> 51)
    return h ^ (h >> 29)

def hash128(data, seed):
    a, b = seed * 0x9E3779B1, seed * 0xC2B2AE35
    for i in range(0, len(data), 16):
        a = (a ^ data[i]) * 0x85EBCA6B
        b = (b ^ data[i + 8]) * 0x85EBCA6B
        a = (a << 13) | (a >> 51)
    return a ^ (b >> 29)
"""


def test_a_rival_claimed_by_a_closer_unit_does_not_cut_the_margin():
    reference, suspect = _functions(TWINS), _functions(TWINS, "n.py")
    weights = match.RarityWeights(reference + suspect)
    twin = match.score_pair(reference[1], suspect[0], weights).score
    assert 0.1 < twin < 0.9  # the two functions resemble each other
    matches = match.assign(reference, suspect, _scored(reference, suspect, weights), weights)
    assert [(m.reference.unit.name, m.suspect.unit.name) for m in matches] == [
        ("hash64", "hash64"), ("hash128", "hash128")]
    # each twin is taken by its own, closer counterpart, so neither is the other's rival
    assert all(m.runner_up == 0.0 and m.margin == pytest.approx(1.0) for m in matches)


VARIANTS = """
def checksum_v1(data, seed):
    h = seed ^ 0x811C9DC5
    for byte in data:
        h = (h ^ byte) * 0x01000193
        h &= 0xFFFFFFFF
    return h

def checksum_v2(data, seed):
    h = seed ^ 0x811C9DC5
    for byte in data:
        h = (h * 0x01000193) ^ byte
        h &= 0xFFFFFFFF
    return h

def render(rows, width):
    lines = []
    for row in rows:
        lines.append(" | ".join(str(cell).ljust(width) for cell in row))
    return "\\n".join(lines)
"""

PORT_OF_ONE_VARIANT = VARIANTS.split("\n\ndef checksum_v2")[0]


def test_variants_of_one_reference_code_are_not_rivals_of_each_other():
    reference, suspect = _functions(VARIANTS), _functions(PORT_OF_ONE_VARIANT, "n.py")
    weights = match.RarityWeights(reference + suspect)
    variant = match.score_pair(reference[0], reference[1], weights).score
    assert variant >= match.TWIN_SIMILARITY  # the two checksums are one code twice
    (found,) = match.assign(reference, suspect, _scored(reference, suspect, weights), weights)
    assert found.reference.unit.name == "checksum_v1"
    # the rival is the unrelated function, not the other variant
    assert found.runner_up == pytest.approx(match.score_pair(reference[2], suspect[0], weights).score)
    assert found.margin > 0.5
    assert match.score_pair(reference[1], suspect[0], weights).score > found.runner_up


NAMED_REFERENCE = """
function maxSatisfying(versions, range, loose) {
  return versions.filter(function (version) {
    return satisfies(version, range, loose);
  }).sort(function (a, b) { return rcompare(a, b, loose); })[0] || null;
}

function minSatisfying(versions, range, loose) {
  return versions.filter(function (version) {
    return satisfies(version, range, loose);
  }).sort(function (a, b) { return compare(a, b, loose); })[0] || null;
}

function Range(range, loose) {
  this.loose = loose;
  this.raw = range;
  this.set = range.split(/\\s*\\|\\|\\s*/).map(function (part) { return parseRange(part.trim()); });
}
"""

NAMED_SUSPECT = """
class Range:
    def __init__(self, range_, loose):
        self.loose = loose
        self.raw = range_
        self.set = [parse_range(part.strip()) for part in re.split(r"\\s*\\|\\|\\s*", range_)]

def max_satisfying(versions, range_, loose=False):
    best = None
    for version in versions:
        if satisfies(version, range_, loose) and (best is None or compare(best, version, loose) < 0):
            best = version
    return best
"""


def _named():
    reference = _functions(NAMED_REFERENCE, "semver.js", "javascript")
    suspect = _functions(NAMED_SUSPECT, "semver.py")
    return reference, suspect, match.RarityWeights(reference + suspect)


def test_a_name_is_compared_across_spelling_conventions():
    (max_js, min_js, range_js), (init_py, max_py), weights = _named()
    assert match.name_similarity(max_js, max_py, weights) == pytest.approx(1.0)
    assert match.name_similarity(min_js, max_py, weights) < 0.5
    # a constructor goes by its class: `Range.__init__` is JavaScript's `function Range`
    assert match.name_similarity(range_js, init_py, weights) == pytest.approx(1.0)


def test_a_name_picks_among_near_equal_candidates_but_is_never_evidence():
    (max_js, min_js, _), (_, max_py), weights = _named()
    reference, suspect = [max_js, min_js], [max_py]
    # the rewrite's content (a loop calling `compare`) is a little closer to minSatisfying
    content = {(0, 0): match.PairScore(0.30, {"structure": 0.30}),
               (1, 0): match.PairScore(0.33, {"structure": 0.33})}
    (unnamed,) = match.assign(reference, suspect, content, weights)
    assert unnamed.reference is min_js
    bonus = match.name_bonus(reference, suspect, set(content), weights)
    (named,) = match.assign(reference, suspect, content, weights, bonus)
    assert named.reference is max_js
    # the reported score and margin are the content's (minSatisfying, a variant of the
    # same code, is no rival): the name chose, it proves nothing
    assert match.score_pair(max_js, min_js, weights).score >= match.TWIN_SIMILARITY
    assert named.score == 0.30 and named.margin == pytest.approx(0.30)


def test_a_small_suspect_function_is_mapped_but_never_weighed(examples):
    report = derive.compare(str(examples / "reference-js"), str(examples / "suspect-py"))
    small = [m for m in report.function_matches if m["suspect"]["nodes"] < match.MIN_EVIDENCE_NODES]
    weighed = [m for m in report.function_matches if m["suspect"]["nodes"] >= match.MIN_EVIDENCE_NODES]
    assert small and all(m["suspect"]["nodes"] >= match.MIN_FUNCTION_NODES for m in small)
    # `Version.__str__` is mapped to its counterpart, but tested as nothing
    assert ("Version.__str__", "Version.toString") in {(m["suspect"]["name"], m["reference"]["name"])
                                                        for m in small}
    assert not any(m["strong"] or "p_value" in m for m in small)
    assert all("p_value" in m for m in weighed)
    assert report.verdict["suspect_units"] == report.data["inputs"]["suspect"]["functions_analysed"] - len(small)


HALVES = """
def scan_numbers(text):
    total = 0
    for token in text.split(","):
        total += int(token.strip() or 0)
    return total

def scan_words(text):
    seen = set()
    for token in text.split(";"):
        seen.add(token.strip().lower())
    return sorted(seen)
"""

ELSEWHERE = """
def render(rows, width):
    lines = []
    for row in rows:
        lines.append(" | ".join(str(cell).ljust(width) for cell in row))
    return "\\n".join(lines)
"""

BOTH_HALVES = """
def scan(text):
    total = 0
    for token in text.split(","):
        total += int(token.strip() or 0)
    seen = set()
    for token in text.split(";"):
        seen.add(token.strip().lower())
    return total, sorted(seen)
"""


def test_a_function_torn_between_two_of_one_file_still_says_which_file():
    reference = _functions(HALVES, "scan.py") + _functions(ELSEWHERE, "table.py")
    suspect = _functions(BOTH_HALVES, "n.py")
    weights = match.RarityWeights(reference + suspect)
    assert match.score_pair(reference[0], reference[1], weights).score < match.TWIN_SIMILARITY
    (found,) = match.assign(reference, suspect, _scored(reference, suspect, weights), weights)
    other_half = reference[1] if found.reference is reference[0] else reference[0]
    assert found.runner_up == pytest.approx(match.score_pair(other_half, suspect[0], weights).score)
    assert found.runner_up_elsewhere == pytest.approx(match.score_pair(reference[2], suspect[0], weights).score)
    # an unclear choice of function, a clear choice of file
    assert found.file_margin > 3 * found.margin


WORDS = ", ".join(f'"{w}"' for w in (
    "eunuch", "eucalyptus", "eugenics", "eulogy", "euphemism", "euphony", "euphoria", "eureka",
    "heir", "heiress", "herb", "homage", "honesty", "honor", "honour", "hour", "ouija", "ubiquity",
    "udometer", "ukelele", "ululate", "unicorn", "unicycle", "uniform", "yttria", "yggdrasil",
    "unify", "union", "unison", "unit", "unity", "universe", "university", "upas", "ural", "uranium",
    "urea", "ureter", "urethra", "urine", "urologist", "urology", "urus", "usage", "use", "user",
    "usual", "usurp", "usurper", "usury", "utensil", "uterus", "utility", "utopia", "utricle", "uvea",
    "uvula", "ubiquitous", "ugandan", "ukrainian", "unanimous", "unicameral", "unified", "unique"))

WORD_LIST = f"""
IRREGULAR = [{WORDS}]

def is_irregular(word):
    return word.lower() in IRREGULAR
"""

ENDINGS = """
def check_endings(word, endings):
    for ending in endings:
        if word.endswith(ending):
            word = word[: -len(ending)]
            if len(word) <= 1:
                return False
    return is_irregular(word)


def article(word, acronyms):
    if word.upper() in acronyms:
        return "an" if word[0] in "AEFHILMNORSX" else "a"
    first = word.split()[0].strip("'\"")
    return "an" if first[:1].lower() in "aeiou" else "a"
"""

MERGED_PORT = f"""
IRREGULAR = [{WORDS}]

def check(word):
    for ending in ("es", "ed", "s"):
        if word.endswith(ending):
            word = word[: -len(ending)]
            if len(word) <= 1:
                return False
    return word in IRREGULAR
"""


def _analysed(tmp_path, reference: dict[str, str], suspect: dict[str, str]):
    """The analysis of two codebases written from {file name: code}, without background."""
    for root, files in (("reference", reference), ("suspect", suspect)):
        for name, code in files.items():
            (tmp_path / root).mkdir(exist_ok=True)
            (tmp_path / root / name).write_text(code)
    return analyse(load_codebase("reference", str(tmp_path / "reference")),
                   load_codebase("suspect", str(tmp_path / "suspect")), use_background=False)


def test_a_file_code_outside_functions_votes_for_its_file(tmp_path):
    analysis = _analysed(tmp_path, {"words.py": WORD_LIST, "rules.py": ENDINGS}, {"irregular.py": MERGED_PORT})
    (function,) = analysis.function_matches
    assert function.reference.unit.path == "rules.py"  # its only function comes from rules.py
    # but the word list, most of the file, comes from words.py
    assert [(m.suspect.unit.path, m.reference.unit.path) for m in analysis.file_matches] == [
        ("irregular.py", "words.py")]


def test_a_function_too_small_to_weigh_has_no_vote_for_its_file():
    # prometheus' Rust `GaugeVecBuilder::clone` (8 nodes) matched a Go `selfCollector.init`
    # at 0.58 and carried gauge.rs off to collector.go
    small, large = _functions(CODE)[1], _functions(CODE)[0]
    assert small.size < match.MIN_EVIDENCE_NODES <= large.size

    def matched(reference_path: str, suspect) -> match.UnitMatch:
        reference = _functions(CODE, reference_path)[0]
        return match.UnitMatch(reference, suspect, 0.6, {}, 0.1, 2, 0.1)
    votes = match.file_votes([matched("collector.py", small), matched("gauge.py", large)])
    assert set(votes) == {("gauge.py", "m.py")}
    assert votes[("gauge.py", "m.py")] == pytest.approx(large.size * 0.6 * 0.5)


def test_a_file_the_port_split_off_still_names_its_reference_file(tmp_path):
    # addresser moved parse-address's tables to patterns.py, hangul es-hangul's to constants.py
    table = f"IRREGULAR = [{WORDS}]\n"
    analysis = _analysed(tmp_path, {"inflect.py": WORD_LIST + ENDINGS},
                         {"table.py": table, "rules.py": ENDINGS})
    assert sorted((m.suspect.unit.path, m.reference.unit.path) for m in analysis.file_matches) == [
        ("rules.py", "inflect.py"), ("table.py", "inflect.py")]


FACTORIES = """
function syllables(value) {
  var count = 0;
  value = value.replace(TRIPLE, countFactory(3)).replace(DOUBLE, countFactory(2));
  value = value.replace(MONOSYLLABIC, returnFactory(-1)).replace(DOUBLE_SYLLABIC, returnFactory(1));
  count += value.split(/[^aeiouy]+/).filter(function (part) { return part !== ''; }).length;
  return count || 1;
  function countFactory(addition) {
    return function () { count += addition; return ''; };
  }
  function returnFactory(addition) {
    return function (match) { count += addition; return match; };
  }
}
"""

HOISTED = """
class Counter:
    def __init__(self):
        self.count = 0

    def count_factory(self, addition):
        def counter(_match):
            self.count += addition
            return ''
        return counter

    def return_factory(self, addition):
        def counter(match):
            self.count += addition
            return match.group(0)
        return counter


def syllables(value):
    counter = Counter()
    value = TRIPLE.sub(counter.count_factory(3), value)
    value = DOUBLE.sub(counter.count_factory(2), value)
    value = MONOSYLLABIC.sub(counter.return_factory(-1), value)
    value = DOUBLE_SYLLABIC.sub(counter.return_factory(1), value)
    counter.count += len([part for part in re.split('[^aeiouy]+', value) if part != ''])
    return counter.count or 1
"""


def test_helpers_a_port_hoisted_are_matched_to_the_helpers_they_were(tmp_path):
    analysis = _analysed(tmp_path, {"index.js": FACTORIES}, {"syllables.py": HOISTED})
    assert [fp.unit.name for fp in analysis.reference.helpers] == ["syllables.countFactory",
                                                                   "syllables.returnFactory"]
    assert analysis.suspect.helpers == ()  # a suspect's evidence is its functions, counted once
    found = {m.suspect.unit.name: m for m in analysis.function_matches}
    assert {name: m.reference.unit.name for name, m in found.items()} == {
        "Counter.count_factory": "syllables.countFactory",
        "Counter.return_factory": "syllables.returnFactory",
        "syllables": "syllables"}
    assert found["Counter.count_factory"].runner_up > 0  # the helpers are each other's rivals


KEPT_INSIDE = """
def syllables(value):
    count = 0

    def count_factory(addition):
        def counter(_match):
            nonlocal count
            count += addition
            return ''
        return counter

    def return_factory(addition):
        def counter(match):
            nonlocal count
            count += addition
            return match.group(0)
        return counter

    value = TRIPLE.sub(count_factory(3), DOUBLE.sub(count_factory(2), value))
    value = MONOSYLLABIC.sub(return_factory(-1), DOUBLE_SYLLABIC.sub(return_factory(1), value))
    count += len([part for part in re.split('[^aeiouy]+', value) if part != ''])
    return count or 1
"""


def test_a_function_is_no_rival_of_its_own_helpers(tmp_path):
    # the port kept the helpers inside: the reference's helpers hold part of the same code
    # as the function they are in, so they take nothing off its margin
    analysis = _analysed(tmp_path, {"index.js": FACTORIES}, {"syllables.py": KEPT_INSIDE})
    (found,) = analysis.function_matches
    assert found.reference.unit.name == "syllables"
    assert len(analysis.reference.helpers) == 2 and found.candidates == 3
    assert found.runner_up == 0.0


SEPARATE_CALLBACKS = """
import re


class Markdown:
    def do_headers(self, text):
        text = re.sub(r'^(.+)[ \\t]*\\n=+[ \\t]*\\n+', self._setext_h_sub, text, flags=re.M)
        text = re.sub(r'^(\\#{1,6})[ \\t]*(.+?)[ \\t]*\\#*\\n+', self._atx_h_sub, text, flags=re.M)
        return text

    def _setext_h_sub(self, match):
        level = 1 if match.group(2)[0] == '=' else 2
        header_id = self.header_id_from_text(match.group(1), 'header', level)
        return '<h%d id="%s">%s</h%d>\\n\\n' % (level, header_id, self.run_span_gamut(match.group(1)), level)

    def _atx_h_sub(self, match):
        level = len(match.group(1))
        header_id = self.header_id_from_text(match.group(2), 'header', level)
        return '<h%d id="%s">%s</h%d>\\n\\n' % (level, header_id, self.run_span_gamut(match.group(2)), level)

    def do_lists(self, text):
        marker = r'(?:[*+-]|\\d+\\.)'
        whole_list = r'(([ ]{0,3}(%s)[ \\t]+)(?:.+?)(\\z|\\n{2,}(?=\\S)(?![ \\t]*%s[ \\t]+)))' % (marker, marker)
        items = [item.strip() for item in re.findall(whole_list, text, re.S | re.M)]
        return '<ul>\\n' + '\\n'.join('<li>%s</li>' % item for item in items) + '\\n</ul>\\n'
"""

INLINE_CALLBACKS = """
function doHeaders(text) {
  text = text.replace(/^(.+)[ \\t]*\\n=+[ \\t]*\\n+/gm, function (whole, title) {
    var level = whole.trim().slice(-1) === '=' ? 1 : 2;
    var headerId = headerIdFromText(title, 'header', level);
    return '<h' + level + ' id="' + headerId + '">' + runSpanGamut(title) + '</h' + level + '>\\n\\n';
  });
  text = text.replace(/^(\\#{1,6})[ \\t]*(.+?)[ \\t]*\\#*\\n+/gm, function (whole, hashes, title) {
    var level = hashes.length;
    var headerId = headerIdFromText(title, 'header', level);
    return '<h' + level + ' id="' + headerId + '">' + runSpanGamut(title) + '</h' + level + '>\\n\\n';
  });
  return text;
}

function doLists(text) {
  var marker = '(?:[*+-]|\\d+\\.)';
  var wholeList = new RegExp('(([ ]{0,3}(' + marker + ')[ \\t]+)(?:.+?)(\\z|\\n{2,}(?=\\S)(?![ \\t]*' + marker + '[ \\t]+)))', 'gm');
  var items = (text.match(wholeList) || []).map(function (item) { return item.trim(); });
  return '<ul>\\n' + items.map(function (item) { return '<li>' + item + '</li>'; }).join('\\n') + '\\n</ul>\\n';
}
"""


def test_a_function_a_port_wrote_its_callbacks_into_matches_it_with_its_callbacks(tmp_path):
    analysis = _analysed(tmp_path, {"markdown.py": SEPARATE_CALLBACKS}, {"markdown.js": INLINE_CALLBACKS})
    (composite,) = analysis.reference.composites
    assert [c.name for c in composite.unit.callbacks] == ["Markdown._setext_h_sub", "Markdown._atx_h_sub"]
    found = {m.suspect.unit.name: m for m in analysis.function_matches}
    assert found["doHeaders"].reference.unit.kind == "composite"
    assert found["doHeaders"].reference.unit.name == "Markdown.do_headers"
    assert found["doLists"].reference.unit.name == "Markdown.do_lists"
    assert analysis.suspect.composites == ()  # a suspect's evidence is its functions, counted once

