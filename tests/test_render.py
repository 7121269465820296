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
    suspect_file = {"path": "pkg/a|b.py", "language": "python", "sha256": "cd" * 32,
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
            "label": label, "score": 0.55, "coverage": 0.55, "unit_level": "function",
            "strong_matches": 1, "suspect_units": 2, "suspect_nodes": 53,
            "channels": _channels(0.6),
            "order": {"pairs_tested": 0, "files_tested": 0, "concordance": 0.0, "z": 0.0,
                      "p_value": 1.0},
            "explanation": "1 of 2 suspect functions <script>alert(1)</script> match.",
        },
        "file_matches": [{
            "reference": {"path": EVIL_PATH, "language": "javascript"},
            "suspect": {"path": "pkg/a|b.py", "language": "python"},
            "score": 0.5, "margin": 0.5, "runner_up": 0.0, "candidates": 1, "strong": True,
            "channels": _channels(0.5), "shared": {"identifiers": ["s"]}, "function_matches": 2,
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
    assert "0.55" in html
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
    for line in rows:
        cells = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        header_cells = 6
        assert len(cells) == header_cells, line
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
