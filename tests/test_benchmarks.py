"""The benchmark scripts' own logic: which manifests `--all` runs, and pooling splits.

Hermetic: nothing is fetched; the manifests are read, the rows are built by hand.
"""

from __future__ import annotations

import json
import sys
import types
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import accuracy  # noqa: E402
import robustness  # noqa: E402


def _row(pair_id: str, label: str, verdict: str, score: float, functions: tuple[int, int] = (0, 0)) -> dict:
    return {"id": pair_id, "label": label, "verdict": verdict, "score": score, "coverage": score,
            "p_value": None, "order_z": 0.0, "seconds": 1.0, "files_known": 0, "files_correct": 0,
            "files_closest": 0, "functions_known": functions[1], "functions_correct": functions[0]}


def _laundered(pair_id: str, transformation: str, verdict: str, score: float) -> dict:
    return {"id": pair_id, "transformation": transformation, "verdict": verdict, "score": score,
            "strong_matches": 0, "channels": {}, "function_matches": 0, "all_match_channels": {}}


def test_robustness_gates_translations_staying_derived_and_negatives_staying_short_of_it():
    names = ["baseline", "rename", "strip", "reformat"]
    translations = [_laundered("T1", "baseline", "derived", 0.5), _laundered("T1", "rename", "inconclusive", 0.1),
                    _laundered("T1", "strip", "derived", 0.4), _laundered("T1", "reformat", "inconclusive", 0.2),
                    _laundered("T2", "baseline", "inconclusive", 0.1), _laundered("T2", "rename", "inconclusive", 0.1)]
    summary = robustness.summarize(translations, names)
    assert summary["pairs"] == 1 and summary["not_derived_at_baseline"] == ["T2"]
    assert (summary["derived_rename"], summary["derived_strip"], summary["weakest_score_rename"]) == (0, 1, 0.1)
    assert summary["gate_failures"] == ["T1 / rename: inconclusive 0.100"]  # reformat is reported, not gated

    negatives = [_laundered("N1", "baseline", "not-derived", 0.0), _laundered("N1", "rename", "derived", 0.3),
                 _laundered("N1", "strip", "not-derived", 0.0), _laundered("N2", "baseline", "derived", 0.2),
                 _laundered("N2", "rename", "derived", 0.2), _laundered("N3", "baseline", "inconclusive", 0.05),
                 _laundered("N3", "strip", "inconclusive", 0.1)]
    summary = robustness.summarize(negatives, names, negatives=True)
    assert summary["pairs"] == 2 and summary["derived_at_baseline"] == ["N2"]  # listed, not gated
    assert (summary["derived_rename"], summary["derived_strip"], summary["strongest_score_strip"]) == (1, 0, 0.1)
    assert summary["gate_failures"] == ["N1 / rename: derived 0.300"]
    assert not robustness.summarize([r for r in negatives if r["id"] != "N1"], names, negatives=True)["gate_failures"]


def test_every_split_is_the_development_split_then_the_held_out_ones_in_order():
    paths = accuracy.manifests([], every_split=True)
    assert paths[0].name == "pairs.json"
    numbers = [int(p.stem[len("heldout"):] or 1) for p in paths[1:]]
    assert numbers == list(range(1, len(paths)))  # heldout.json, heldout2.json, ... none skipped
    assert accuracy.manifests([Path("x.json")], every_split=False) == [Path("x.json")]
    assert accuracy.manifests([], every_split=False) == [BENCHMARKS / "pairs.json"]


def test_pair_ids_are_unique_across_splits():
    # pooled figures and per-pair reports are keyed by id; a repeat would overwrite
    seen: dict[str, str] = {}
    for path in accuracy.manifests([], every_split=True):
        for pair in json.loads(path.read_text())["pairs"]:
            assert pair["id"] not in seen, f"{pair['id']} in {seen.get(pair['id'])} and {path.name}"
            seen[pair["id"]] = path.name


def test_pooling_two_splits_ranks_every_translation_against_every_negative():
    first = [_row("T1", "translation", "derived", 0.5, (3, 4)), _row("N1", "independent", "not-derived", 0.1)]
    second = [_row("T2", "translation", "inconclusive", 0.08, (1, 1)), _row("U2", "unrelated", "not-derived", 0.0),
              _row("P2", "partial", "derived", 0.9)]
    assert accuracy.summarize(first)["roc_auc"] == accuracy.summarize(second)["roc_auc"] == 1.0
    pooled = accuracy.summarize(first + second)
    assert pooled["roc_auc"] == pytest.approx(3 / 4)  # T2 (0.08) ranks below N1 (0.1)
    assert (pooled["translations_derived"], pooled["translations"]) == (1, 2)
    assert (pooled["negatives_derived"], pooled["negatives"]) == (0, 2)
    assert pooled["function_top1"] == pytest.approx(4 / 5)
    assert pooled["confusion"]["partial"] == {"derived": 1, "inconclusive": 0, "not-derived": 0}
    assert not accuracy.meets_verdict_targets(pooled) and accuracy.meets_verdict_targets(accuracy.summarize(first))
    # a partial port may be inconclusive, never not-derived
    assert accuracy.meets_verdict_targets(accuracy.summarize(first + [_row("P3", "partial", "inconclusive", 0.1)]))
    assert not accuracy.meets_verdict_targets(accuracy.summarize(first + [_row("P3", "partial", "not-derived", 0.0)]))


def test_recorded_error_rates_pool_the_splits_with_exact_intervals(tmp_path):
    splits = []
    for name, rows in (("bench-dev", [_row("T1", "translation", "derived", 0.5),
                                      _row("N1", "independent", "not-derived", 0.1)]),
                       ("bench-heldout", [_row(f"T{k}", "translation", "derived", 0.4) for k in range(2, 5)]
                        + [_row(f"N{k}", "independent", "inconclusive", 0.1) for k in range(2, 6)])):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps({"name": name, "pairs": []}))
        splits.append((path, accuracy.summarize(rows)))
    rates = accuracy.error_rates(splits)
    assert (rates["translations_derived"], rates["translations"]) == (4, 4)
    assert (rates["negatives_derived"], rates["negatives"]) == (0, 5)
    assert rates["recall"] == 1.0 and rates["false_positive_rate"] == 0.0
    # Clopper-Pearson at 95% with every trial one way has a closed form: 0.025 ** (1 / n)
    assert rates["recall_ci95"] == [pytest.approx(0.025 ** (1 / 4), abs=1e-4), 1.0]
    assert rates["false_positive_rate_ci95"] == [0.0, pytest.approx(1 - 0.025 ** (1 / 5), abs=1e-4)]
    assert [s["name"] for s in rates["splits"]] == ["bench-dev", "bench-heldout"]
    assert rates["splits"][1]["negatives"] == 4 and len(rates["splits"][0]["sha256"]) == 64
    assert rates["benchmark"] == "bench-dev ... bench-heldout (2 manifests, 9 translation and negative pairs)"
    one = accuracy.error_rates(splits[:1])
    assert one["benchmark"] == f"bench-dev (sha256 {one['splits'][0]['sha256'][:12]})"
    assert one["false_positive_rate_ci95"] == [0.0, 0.975]


def test_a_function_mapped_to_an_identical_copy_of_its_counterpart_counts_as_found(tmp_path):
    # whammy ships parseRIFF twice (whammy.js and testing/whammy.js, one indented deeper):
    # a port of either copy maps to one, and no method can tell which was ported
    reference, suspect = tmp_path / "ref", tmp_path / "sus"
    (reference / "testing").mkdir(parents=True)
    suspect.mkdir()
    code = "function parse(s) {\n  return s.split(',').map(Number);\n}\n"
    (reference / "main.js").write_text("function other(x) {\n  return x + 1;\n}\n" + code)
    (reference / "testing" / "copy.js").write_text(code.replace("\n  ", "\n      "))
    (reference / "testing" / "near.js").write_text(code.replace("Number", "String"))
    (suspect / "parse.py").write_text("def parse(s):\n    return [float(x) for x in s.split(',')]\n")

    def mapped_to(path: str, start: int, end: int) -> types.SimpleNamespace:
        match = {"reference": {"path": path, "start_line": start, "end_line": end},
                 "suspect": {"path": "parse.py", "start_line": 1, "end_line": 2}}
        return types.SimpleNamespace(file_matches=[], function_matches=[match])

    pair = {"known_correspondences": [{"kind": "function", "reference": "main.js::function parse",
                                       "suspect": "parse.py::def parse"}]}
    resolved = {"reference": {"dir": str(reference), "language": "javascript"},
                "suspect": {"dir": str(suspect), "language": "python"}}
    found = [accuracy.mapping_accuracy(pair, resolved, report)["functions_correct"]
             for report in (mapped_to("main.js", 4, 6), mapped_to("testing/copy.js", 1, 3),
                            mapped_to("testing/near.js", 1, 3), mapped_to("main.js", 1, 3))]
    assert found == [1, 1, 0, 0]


def test_a_correspondence_names_its_function_by_signature_or_else_by_a_line_of_its_body(tmp_path):
    (tmp_path / "smawk.py").write_text(
        "def concave_minima(rows, cols, matrix):\n"
        "    def lookup(r, c):\n"
        "        # Second case: the new column minimum is on the diagonal.\n"
        "        return matrix(rows[r], cols[c])\n"
        "    return [lookup(r, 0) for r in range(len(rows))]\n"
        "\n"
        "def concave(rows):\n"
        "    return rows\n")
    def locate(symbol: str) -> tuple[int, int] | None:
        return accuracy.locate_function(str(tmp_path), "smawk.py", "python", symbol)
    assert locate("def concave") == (7, 8)  # whole words in a signature beat a longer name's start
    assert locate("def concave_minima") == (1, 5)
    assert locate("# Second case") == (2, 4)  # the innermost unit holding the line: the helper
    assert locate("return [lookup(r, 0)") == (1, 5)
    assert locate("not in the file") is None
    assert locate("def concave(rows):\n    return rows") == (7, 8)  # a signature of several lines
    (tmp_path / "smawk.py").write_bytes(b"def concave(rows):\n    return '\x81'\n")  # undecodable: skipped
    assert locate("def concave") is None


def test_a_bare_symbol_names_the_function_of_that_name_before_one_calling_it(tmp_path):
    (tmp_path / "validators.ts").write_text(
        "export const isArbitrarySize = (value: string) => getIsArbitraryValue(value, isSize)\n"
        "\n"
        "function getIsArbitraryValue(value: string, testLabel: (l: string) => boolean) {\n"
        "    const result = arbitraryValueRegex.exec(value)\n"
        "    return result ? testLabel(result[1]) : false\n"
        "}\n")
    assert accuracy.locate_function(str(tmp_path), "validators.ts", "typescript",
                                    "getIsArbitraryValue") == (3, 6)


def test_a_bare_symbol_names_the_function_opal_compiled_from_it(tmp_path):
    (tmp_path / "asciidoctor.js").write_text(
        "Opal.def(self, '$resolve', $R_resolve$1 = function $$resolve(t) { return self.$system_path(t, nil) });\n"
        "Opal.def(self, '$system_path', $R_system_path$2 = function $$system_path(target, start) {\n"
        "  var self = this;\n"
        "  return self.$expand_path(target);\n"
        "}, $R_system_path$2.$$arity = 2);\n")
    assert accuracy.locate_function(str(tmp_path), "asciidoctor.js", "javascript", "system_path") == (2, 5)


def test_a_class_correspondence_is_scored_by_where_its_methods_map(tmp_path):
    reference, suspect = tmp_path / "reference", tmp_path / "suspect"
    reference.mkdir()
    suspect.mkdir()
    (reference / "shapes.py").write_text(
        "class Square:\n    def area(self):\n        return self.s * self.s\n\n"
        "    def grow(self, n):\n        self.s += n\n\n\n"
        "class Circle:\n    def area(self):\n        return 3 * self.r * self.r\n")
    (suspect / "shapes.js").write_text(
        "class Square {\n  area() {\n    return this.s * this.s;\n  }\n"
        "  grow(n) {\n    this.s += n;\n  }\n}\n")
    pair = {"known_correspondences": [{"kind": "function", "reference": "shapes.py::class Square:",
                                       "suspect": "shapes.js::class Square {"}]}
    resolved = {"reference": {"dir": str(reference), "language": "python"},
                "suspect": {"dir": str(suspect), "language": "javascript"}}

    def mapped(*targets: tuple[int, int]) -> types.SimpleNamespace:
        """The suspect's methods (lines 2 and 5) matched to these reference spans."""
        return types.SimpleNamespace(file_matches=[], function_matches=[
            {"reference": {"path": "shapes.py", "start_line": start, "end_line": end},
             "suspect": {"path": "shapes.js", "start_line": line, "end_line": line + 2}}
            for line, (start, end) in zip((2, 5), targets)])
    found = [accuracy.mapping_accuracy(pair, resolved, report)["functions_correct"]
             for report in (mapped((2, 3), (5, 6)), mapped((10, 11), (5, 6)), mapped((10, 11)), mapped())]
    assert found == [1, 0, 0, 0]  # most of its matched methods land in the counterpart
