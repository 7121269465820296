"""Renderers: HTML (self-contained, escaped, highlighted), Markdown, SARIF.

Hermetic: the report model is built by hand, shaped like derive's real output, with
hostile content (script tags in paths and code, pipes and backticks in names).
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from derive.render.html import render_html
from derive.render.markdown import render_markdown
from derive.render.sarif import render_sarif

EVIL_PATH = "<script>alert(1)</script>.js"
EVIL_CODE = ('function x(a) {\n'
             '  var s = "<script>alert(1)</script>";\n'
             '  if (a < 2 && a > 0) {\n'
             '    return s;\n'
             '  }\n'
             '  return "";\n'
             '}')
SUSPECT_CODE = ('def x(a):\n'
                '    s = "<script>alert(1)</script>"\n'
                '    if 0 < a < 2:\n'
                '        return s\n'
                '    return ""')
CHANNELS = ["structure", "identifiers", "strings", "numbers", "callees", "comments"]


def _channels(value: float) -> dict:
    return {c: value for c in CHANNELS}


def _side(location: str, files: list[dict], language: str, skipped: list[dict]) -> dict:
    return {
        "location": location, "kind": "directory", "revision": None, "commit": None,
        "languages": {language: len(files)}, "files": files,
        "functions_analysed": 2, "functions_too_small": 0, "skipped": skipped,
        "skipped_counts": {"vendored": {"count": len(skipped),
                                        "meaning": "inside a vendored / third-party folder"}}
        if skipped else {},
    }


def make_report(label: str = "derived") -> dict:
    reference_file = {"path": EVIL_PATH, "language": "javascript", "sha256": "ab" * 32,
                      "blob": None, "lines": 40, "functions": 2, "error_share": 0.0}
    suspect_file = {"path": "pkg/a|b.py", "language": "python", "sha256": "cd" * 32, "encoding": "cp1252",
                    "blob": None, "lines": 30, "functions": 2, "error_share": 0.0}
    strong = {
        "reference": {"path": EVIL_PATH, "name": "x", "start_line": 10, "end_line": 16,
                      "language": "javascript", "nodes": 40, "code": EVIL_CODE},
        "suspect": {"path": "pkg/a|b.py", "name": "we|ird`name", "start_line": 20,
                    "end_line": 24, "language": "python", "nodes": 35, "code": SUSPECT_CODE},
        "score": 0.61, "margin": 0.4, "runner_up": 0.21, "candidates": 2, "strong": True,
        "channels": _channels(0.6),
        "shared": {"identifiers": ["s", "<b>bold</b>"], "strings": ["<script>alert(1)</script>"],
                   "numbers": ["2", "0"], "callees": [], "comments": []},
        "p_value": 0.000187, "q_value": 0.000243,
        "fragments": [{"reference": [11, 11], "suspect": [21, 21], "lines": 1},
                      {"reference": [12, 13], "suspect": [22, 23], "lines": 2}],
    }
    weak = {
        "reference": {"path": "other.js", "name": "y", "start_line": 1, "end_line": 5,
                      "language": "javascript", "nodes": 20},
        "suspect": {"path": "pkg/a|b.py", "name": "z", "start_line": 2, "end_line": 6,
                    "language": "python", "nodes": 18},
        "score": 0.2, "margin": 0.01, "runner_up": 0.19, "candidates": 2, "strong": False,
        "channels": _channels(0.2), "shared": {"identifiers": [], "strings": [], "numbers": [],
                                               "callees": [], "comments": []},
        "p_value": 0.42, "q_value": 0.84,
    }
    return {
        "schema": "derive-report/1.0",
        "tool": {"name": "derive", "version": "9.8.7", "python": "3.11.0",
                 "grammars": {"python": {"package": "tree-sitter-python", "version": "0.25.0"}}},
        "parameters": {"channels": CHANNELS,
                       "channel_weights": {"structure": 0.3, "identifiers": 0.25, "strings": 0.15,
                                           "numbers": 0.05, "callees": 0.15, "comments": 0.1},
                       "kgram": 4, "minhash": {"scheme": "affine32", "seed": 1, "num_perm": 128},
                       "strong_score": 0.3, "strong_margin": 0.05,
                       "derived_coverage": 0.2, "inconclusive_coverage": 0.05},
        "inputs": {
            "reference": _side("/ref/<img src=x onerror=alert(1)>", [reference_file],
                               "javascript", []),
            "suspect": _side("/sus", [suspect_file], "python",
                             [{"path": "vendor/lib.py", "reason": "vendored", "detail": None}]),
        },
        "verdict": {
            "label": label, "score": 0.44, "coverage": 0.55, "unit_level": "function",
            "strong_matches": 5, "chance_matches": 1, "suspect_units": 9, "suspect_nodes": 53,
            "channels": _channels(0.6),
            "order": {"pairs_tested": 0, "files_tested": 0, "concordance": 0.0, "z": 0.0,
                      "p_value": 1.0},
            "explanation": "1 of 2 suspect functions <script>alert(1)</script> match.",
            "p_value": 6.77e-30,
            "null": {"units": 5341, "pairs": ["N01-<i>a</i>-b", "N02-c-d", "U01-e-f"],
                     "strong_rate": 0.003,
                     "benchmark": {"manifest": "benchmarks/pairs.json", "name": "bench-<x>",
                                   "sha256": "d8a8977028bee37f" + "0" * 48}},
            "error_rates": {"benchmark": "bench-<x> (sha256 d8a8977028be)",
                            "translations": 8, "translations_derived": 7, "negatives": 6,
                            "negatives_derived": 1, "recall": 0.875,
                            "false_positive_rate": 0.1667,
                            "recall_ci95": [0.4735, 0.9968], "false_positive_rate_ci95": [0.0042, 0.6412],
                            "splits": [{"name": "bench-<x>", "sha256": "d8a8977028bee37f" + "0" * 48,
                                        "translations": 5, "translations_derived": 5, "negatives": 4,
                                        "negatives_derived": 0},
                                       {"name": "bench-held<out>", "sha256": "ab" * 32,
                                        "translations": 3, "translations_derived": 2, "negatives": 2,
                                        "negatives_derived": 1}],
                            "evaluation": "leave one out"},
        },
        "filtration": {
            "background": {"table": "background-<t>.json", "documents": 1234, "packages": 56},
            "base": {"location": "/base/tmpl", "commit": "abc123def", "files": 17},
            "removed_shingles": {"background": {"identifiers": 321, "strings": 9},
                                 "base": {"structure": 529, "comments": 15}},
            "removed_examples": {"background": {"identifiers": ["len", "len", "<script>x"],
                                                "strings": ["utf-8"]},
                                 "base": {"structure": [], "comments": ["copyright the authors"]}},
            "licence_comments": {"reference": 3, "suspect": 4},
            "skipped_files": {"reference": 0, "suspect": 1},
            "inline_tests": {"reference": {"count": 0, "lines": 0, "files": 0},
                             "suspect": {"count": 3, "lines": 41, "files": 2}},
        },
        "file_matches": [{
            "reference": {"path": EVIL_PATH, "language": "javascript"},
            "suspect": {"path": "pkg/a|b.py", "language": "python"},
            "score": 0.5, "margin": 0.5, "runner_up": 0.0, "candidates": 1, "strong": True,
            "channels": _channels(0.5), "shared": {"identifiers": ["s"]}, "function_matches": 2,
            "merged_from": [{"path": "merged/<u>extra</u>.js", "function_matches": 1}],
        }],
        "function_matches": [strong, weak],
    }


@pytest.fixture
def report() -> dict:
    return make_report()


# --- HTML ---------------------------------------------------------------------------------

def test_html_escapes_untrusted_content(report):
    html = render_html(report)
    assert "<script>alert" not in html
    assert "<script" not in html.lower()
    assert "<img src=x" not in html
    assert "<b>bold</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the analysed code itself is shown, escaped
    assert "var s = &#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;;" in html
    assert "if (a &lt; 2 &amp;&amp; a &gt; 0) {" in html


def test_html_contains_verdict_and_sections(report):
    html = render_html(report)
    assert html.startswith("<!DOCTYPE html>")
    assert 'class="verdict derived"' in html
    assert "Derived" in html
    # the score beyond chance, and the coverage it comes from
    assert "score <b>0.44</b>" in html and "coverage 55%" in html
    assert "44% beyond the 1 strong match chance may give" in html
    assert "1 of 2 suspect functions" in html
    assert "9.8.7" in html and "tree-sitter-python" in html
    assert "vendored" in html and "inside a vendored / third-party folder" in html
    assert "<details>" in html
    # the strong match links to its side-by-side section; the weak one has none
    assert 'href="#match-1"' in html and 'id="match-1"' in html
    assert 'id="match-2"' not in html


@pytest.mark.parametrize("label", ["derived", "inconclusive", "not-derived"])
def test_html_label_colour_class(label):
    html = render_html(make_report(label))
    assert f'class="verdict {label}"' in html


def test_inline_tests_left_out_are_counted(report):
    assert "reference 0 items (0 lines), suspect 3 items (41 lines)" in render_html(report)
    assert "- inline tests left out: reference 0 items (0 lines), suspect 3 items (41 lines)" in (
        render_markdown(report))


def test_merged_reference_files_are_listed_with_their_file_match(report):
    html = render_html(report)
    assert "+ merged/&lt;u&gt;extra&lt;/u&gt;.js (1 function)" in html
    md = render_markdown(report)
    row = next(line for line in md.splitlines() if "pkg/a\\|b.py" in line and "extra" in line)
    assert "+ `merged/<u>extra</u>.js`" in row


def test_a_composite_reference_names_its_callbacks(report):
    strong = report["function_matches"][0]
    strong["reference"]["callbacks"] = [{"name": "_cb<b>", "start_line": 30, "end_line": 41},
                                        {"name": "_other", "start_line": 43, "end_line": 43}]
    html = render_html(report)
    assert "with callbacks _cb&lt;b&gt;:30-41, _other:43" in html
    md = render_markdown(report)
    assert any("with callbacks _cb<b>:30-41, _other:43`" in line for line in md.splitlines())


def test_html_is_self_contained(report):
    html = render_html(report)
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    assert not re.search(r"<link\b", html, re.I)
    assert "@import" not in html and "url(" not in html
    assert "http://" not in html and "https://" not in html


def _row(html: str, anchor: str) -> str:
    match = re.search(rf'<tr id="{anchor}"[^>]*>', html)
    assert match, anchor
    return match.group(0)


def test_html_highlights_fragment_lines(report):
    html = render_html(report)
    # reference function starts at line 10: fragment 1 is line 11, fragment 2 lines 12-13
    assert "frag" not in _row(html, "match-1-r10")
    assert 'class="frag frag-0"' in _row(html, "match-1-r11")
    assert 'class="frag frag-1"' in _row(html, "match-1-r12")
    assert 'class="frag frag-1"' in _row(html, "match-1-r13")
    assert "frag" not in _row(html, "match-1-r14")
    # suspect starts at line 20: the corresponding ranges share the colour index
    assert "frag" not in _row(html, "match-1-s20")
    assert 'class="frag frag-0"' in _row(html, "match-1-s21")
    assert 'class="frag frag-1"' in _row(html, "match-1-s22")
    assert 'class="frag frag-1"' in _row(html, "match-1-s23")
    assert "frag" not in _row(html, "match-1-s24")
    # line numbers are absolute
    assert '<td class="ln">16</td>' in html and '<td class="ln">24</td>' in html


def test_html_is_deterministic(report):
    assert render_html(report) == render_html(copy.deepcopy(report))


def test_html_survives_minimal_report():
    html = render_html({"verdict": {"label": "not-derived", "score": 0.0}})
    assert "Not derived" in html


# --- Markdown -----------------------------------------------------------------------------

def test_markdown_summary(report):
    md = render_markdown(report)
    assert "derived" in md and "**Verdict: DERIVED**" in md
    assert "**0.44** (coverage 0.55): 5 strong of 9 suspect functions, of which chance may give 1." in md
    assert "1 of 2 suspect functions" in md
    # raw HTML only ever appears inside code spans, where Markdown shows it literally
    outside_code = re.sub(r"(`+).*?\1", "", md)
    assert not re.search(r"(?<!\\)<script", outside_code)
    assert r"\<script\>alert(1)\</script\>" in md
    assert r"pkg/a\|b.py" in md
    assert "9.8.7" in md and "tree-sitter-python 0.25.0" in md
    assert "vendored" in md


def test_markdown_tables_do_not_break_on_pipes_and_backticks(report):
    md = render_markdown(report)
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows
    header_cells = None
    for line in rows:
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        if header_cells is None or "Reference" in cells[0]:
            header_cells = len(cells)  # a new table starts with its header row
        assert len(cells) == header_cells, line
    assert "| Score | Margin | p | q |" in md
    # a backtick in a name is fenced by a longer backtick run
    assert r"`` we\|ird`name ``" in md


# --- SARIF --------------------------------------------------------------------------------

def test_sarif_one_result_per_strong_match(report):
    log = json.loads(render_sarif(report))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    assert run["tool"]["driver"]["name"] == "derive"
    assert run["tool"]["driver"]["version"] == "9.8.7"
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["derive/derived-code"]
    results = run["results"]
    assert len(results) == 1
    result = results[0]
    assert result["ruleId"] == "derive/derived-code"
    assert result["level"] == "warning"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert region == {"startLine": 20, "endLine": 24}
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "pkg/a%7Cb.py"
    assert EVIL_PATH in result["message"]["text"] and "0.61" in result["message"]["text"]
    assert result["properties"]["score"] == 0.61
    assert result["properties"]["channels"]["structure"] == 0.6


def test_sarif_level_note_unless_derived():
    log = json.loads(render_sarif(make_report("inconclusive")))
    assert {r["level"] for r in log["runs"][0]["results"]} == {"note"}


def test_sarif_file_results_without_function_matches(report):
    report["function_matches"] = []
    report["file_matches"].append({**report["file_matches"][0], "score": 0.1,
                                   "suspect": {"path": "low.py", "language": "python"}})
    results = json.loads(render_sarif(report))["runs"][0]["results"]
    assert len(results) == 1
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "pkg/a%7Cb.py"
    assert "region" not in location


def strip_new_fields(report: dict) -> dict:
    """An old-style report: no filtration, no calibration, no per-match p/q-values."""
    report = copy.deepcopy(report)
    report.pop("filtration")
    for key in ("p_value", "null", "error_rates"):
        report["verdict"].pop(key)
    for m in report["function_matches"] + report["file_matches"]:
        m.pop("p_value", None)
        m.pop("q_value", None)
    return report


def uncalibrated(report: dict) -> dict:
    """A new-style report made without a null model: the fields are present but null."""
    report = copy.deepcopy(report)
    report["verdict"].update(p_value=None, null=None, error_rates=None)
    report["filtration"].update(background=None, base=None, removed_shingles={},
                                removed_examples={})
    for m in report["function_matches"]:
        m.update(p_value=None, q_value=None)
    return report


# --- confidence, filtration, p/q-values ---------------------------------------------------

def _section(html: str, anchor: str) -> str:
    start = html.index(f'<h2 id="{anchor}">')
    return html[start:html.index("<h2", start + 4)]


def test_html_verdict_banner_p_value_and_error_rates(report):
    html = render_html(report)
    banner = html[html.index('<section class="verdict'):html.index("</section>")]
    assert "Repository p-value" in banner and "6.8e-30" in banner
    assert "Method's measured error rates" in banner
    assert "<b>7/8</b>" in banner and "<b>1/6</b>" in banner
    assert "(95% interval 47.3%–99.7%)" in banner and "(95% interval 0.4%–64.1%)" in banner
    assert "bench-&lt;x&gt; (sha256 d8a8977028be)" in banner


def test_html_lists_each_benchmark_split_of_the_error_rates(report):
    confidence = _section(render_html(report), "confidence")
    assert "(87.5%, 95% interval 47.3%–99.7%)" in confidence
    assert "bench-held&lt;out&gt; <span class=\"mono\" title=\"" + "ab" * 32 + "\">sha256 " + "ab" * 6 in confidence
    assert "2/3 translations, 1/2 negatives derived" in confidence
    # one split is named by the benchmark line alone
    single = copy.deepcopy(report)
    single["verdict"]["error_rates"]["splits"] = single["verdict"]["error_rates"]["splits"][:1]
    assert "negatives derived</li>" not in _section(render_html(single), "confidence")


def test_html_confidence_section(report):
    html = render_html(report)
    assert html.index("Evidence by channel") < html.index('id="confidence"') < html.index('id="inputs"')
    confidence = _section(html, "confidence")
    assert "5341" in confidence and "3 runs of 3 pairs known not to be derived<" in confidence
    assert "Silent names" not in confidence
    assert "0.30%" in confidence
    assert "bench-&lt;x&gt;" in confidence and "sha256 d8a8977028be" in confidence
    assert "N01-&lt;i&gt;a&lt;/i&gt;-b" in confidence
    assert "Order preservation is tested separately" in confidence
    assert "Order of matched functions" in confidence


def test_html_filtration_section(report):
    html = render_html(report)
    filtration = _section(html, "filtration")
    assert "background-&lt;t&gt;.json" in filtration and "1234 documents" in filtration
    assert "56 packages" in filtration
    assert "/base/tmpl" in filtration and "abc123def" in filtration and "17 files" in filtration
    # one row per reason x channel, in the parameters' channel order, with examples
    rows = re.findall(r"<tr><td>(\w+)</td><td>(\w+)</td><td class=\"num\">(\d+)</td>", filtration)
    assert rows == [("background", "identifiers", "321"), ("background", "strings", "9"),
                    ("base", "structure", "529"), ("base", "comments", "15")]
    assert filtration.count("<code>len</code>") == 1  # repeated examples shown once
    assert "<code>&lt;script&gt;x</code>" in filtration
    assert "copyright the authors" in filtration
    assert "reference 3, suspect 4" in filtration  # licence comments
    assert "reference 0, suspect 1" in filtration and 'href="#inputs"' in filtration


def test_silent_names_and_renamed_null_runs_are_reported(report):
    report["verdict"].update(silent_names=True, names_agreement=0.003)
    report["verdict"]["null"].update(pairs=["N01-a", "N01-a/renamed", "U01-e-f/renamed"], unit_alpha=0.01)
    confidence = _section(render_html(report), "confidence")
    runs = "3 runs of 2 pairs known not to be derived, 2 of the runs with every suspect identifier renamed"
    assert runs in confidence and runs in render_markdown(report)
    assert "Silent names" in confidence and "0.003" in confidence
    assert "unit p-value at most 1.0%" in confidence
    assert "as silent as the suspect's (mean identifier similarity 0.003)" in render_markdown(report)


def test_html_function_p_and_q_values(report):
    html = render_html(report)
    table = html[html.index("<h2>Function matches</h2>"):]
    assert ">p</th>" in table and ">q</th>" in table
    assert '<td class="num">1.9e-04</td><td class="num">2.4e-04</td>' in table
    assert '<td class="num">4.2e-01</td><td class="num">8.4e-01</td>' in table
    header = html[html.index('id="match-1"'):]
    header = header[:header.index('<div class="columns">')]
    assert "p <b>1.9e-04</b>" in header and "q <b>2.4e-04</b>" in header
    # file matches without p/q keep their columns
    mapping = html[html.index("<h2>File mapping</h2>"):html.index("<h2>Function matches</h2>")]
    assert ">p</th>" not in mapping


def test_html_file_level_p_and_q_values(report):
    report["file_matches"][0].update(p_value=0.0123, q_value=0.05)
    mapping = render_html(report)
    mapping = mapping[mapping.index("<h2>File mapping</h2>"):mapping.index("<h2>Function matches</h2>")]
    assert ">p</th>" in mapping and "1.2e-02" in mapping and "5.0e-02" in mapping


@pytest.mark.parametrize("variant", [strip_new_fields, uncalibrated])
def test_html_without_calibration_or_filtration(report, variant):
    html = render_html(variant(report))
    banner = html[html.index('<section class="verdict'):html.index("</section>")]
    assert "Repository p-value: <b class=\"pvalue\">—</b>" in banner
    assert "not measured" in banner
    confidence = _section(html, "confidence")
    assert "not calibrated" in confidence
    assert '<td class="num">—</td><td class="num">—</td>' in html
    filtration = _section(html, "filtration")
    if variant is strip_new_fields:
        assert "Not recorded in this report" in filtration
    else:
        assert "no background table" in filtration and "No shingles were removed" in filtration
        assert "<span class=\"muted\">none</span>" in filtration


def test_markdown_p_values_error_rates_and_filtration(report):
    md = render_markdown(report)
    assert "Repository p-value: **6.8e-30**" in md and "5341 units from 3 runs" in md
    assert ("recall 7/8 translations derived (95% interval 47.3%–99.7%); false positives 1/6 "
            "independent or unrelated pairs (95% interval 0.4%–64.1%)") in md
    assert ("- bench-held\\<out\\> (sha256 `" + "ab" * 32 + "`): 2/3 translations, 1/2 negatives derived") in md
    assert r"bench-\<x\>" in md
    assert "| 0.61 | 0.40 | 1.9e-04 | 2.4e-04 |" in md
    assert "## Filtration" in md
    assert "- background table: `background-<t>.json` (1234 documents, 56 packages)" in md
    assert "- base codebase: `/base/tmpl`, commit `abc123def` (17 files)" in md
    assert "- removed as base: structure 529, comments 15 distinct shingles" in md
    assert "- licence comments left out: reference 3, suspect 4" in md
    assert "- files skipped: reference 0, suspect 1" in md


@pytest.mark.parametrize("variant", [strip_new_fields, uncalibrated])
def test_markdown_without_calibration_or_filtration(report, variant):
    md = render_markdown(variant(report))
    assert "Repository p-value: —" in md
    assert "Method's measured error rates: not measured." in md
    assert "| 0.61 | 0.40 | — | — |" in md
    if variant is strip_new_fields:
        assert "Not recorded in this report" in md
    else:
        assert "- background table: none" in md and "- base codebase: none" in md


def test_sarif_p_and_q_values(report):
    run = json.loads(render_sarif(report))["runs"][0]
    assert run["properties"]["p_value"] == 6.77e-30
    properties = run["results"][0]["properties"]
    assert properties["p_value"] == 0.000187 and properties["q_value"] == 0.000243


@pytest.mark.parametrize("variant", [strip_new_fields, uncalibrated])
def test_sarif_without_calibration(report, variant):
    run = json.loads(render_sarif(variant(report)))["runs"][0]
    assert run["properties"]["p_value"] is None
    assert run["results"][0]["properties"]["p_value"] is None
    assert run["results"][0]["properties"]["q_value"] is None


def test_renderers_survive_minimal_report():
    minimal = {"verdict": {"label": "not-derived", "score": 0.0}}
    assert "Not recorded in this report" in render_html(minimal)
    assert "not measured" in render_markdown(minimal)
    assert json.loads(render_sarif(minimal))["runs"][0]["properties"]["p_value"] is None


def test_a_file_not_in_utf8_says_what_it_was_read_as(report):
    html, md = render_html(report), render_markdown(report)
    assert '<td class="mono">cp1252</td>' in html
    assert "  - not UTF-8, read as: `pkg/a\\|b.py` (cp1252)" in md
    # a UTF-8 file (or one from a report written before files recorded it) is not listed
    assert md.count("not UTF-8") == 1
