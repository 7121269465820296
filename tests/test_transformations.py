"""What translation and laundering do to the verdict, on the bundled example pair.

The reference is JavaScript, the suspect its hand translation to Python, the negative
an independent Python implementation of the same functionality. Each transformation
is applied to the suspect with the standard library (never by running the code).
"""

from __future__ import annotations

import ast
import io
import keyword
import shutil
import tokenize
from pathlib import Path

import pytest

import derive
from derive.calibration import names_silent
from derive.pipeline import analyse
from derive.source import load_codebase
from derive.verdict import INCONCLUSIVE_ALPHA

BUILTINS = set(dir(__builtins__)) if isinstance(__builtins__, dict) is False else set(__builtins__)


def _compare(reference: Path, suspect: Path):
    return derive.compare(str(reference), str(suspect))


def _rewrite_python(folder: Path, transform) -> None:
    for path in folder.rglob("*.py"):
        path.write_text(transform(path.read_text(encoding="utf-8")), encoding="utf-8")


def rename_identifiers(source: str, names: dict[str, str]) -> str:
    """Rename every non-keyword, non-builtin name consistently to a meaningless one."""
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and not keyword.iskeyword(tok.string) and tok.string not in BUILTINS \
                and tok.string not in {"self", "re", "version"}:
            tok = tok._replace(string=names.setdefault(tok.string, f"v{len(names)}"))
        out.append(tok)
    return tokenize.untokenize(out)


def strip_comments_and_docstrings(source: str) -> str:
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
              if t.type != tokenize.COMMENT]
    return tokenize.untokenize(tokens)


def reverse_top_level_functions(source: str) -> str:
    tree = ast.parse(source)
    lines = source.split("\n")
    defs = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    if len(defs) < 2:
        return source
    start, end = defs[0].lineno - 1, defs[-1].end_lineno
    chunks = ["\n".join(lines[d.lineno - 1:d.end_lineno]) for d in defs]
    return "\n".join(lines[:start] + ["\n\n".join(reversed(chunks))] + lines[end:])


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return _compare(Path("examples/reference-js").resolve(), Path("examples/suspect-py").resolve())


@pytest.fixture
def suspect_copy(tmp_path, examples):
    target = tmp_path / "suspect"
    shutil.copytree(examples / "suspect-py", target)
    return target


def test_hand_translation_is_derived_with_order_kept(baseline):
    verdict = baseline.verdict
    assert verdict["label"] == "derived"
    assert 0.8 <= verdict["score"] <= 1.0
    assert verdict["order"]["z"] > 3
    names = {(m["reference"]["name"], m["suspect"]["name"]) for m in baseline.function_matches if m["strong"]}
    assert {("replaceCaret", "replace_caret"), ("replaceTilde", "replace_tilde"),
            ("Version.comparePre", "Version.compare_pre")} <= names


def test_independent_implementation_is_not_derived(examples):
    report = _compare(examples / "reference-js", examples / "independent-py")
    assert report.verdict["label"] == "not-derived"
    # what resemblance there is (`bump` and `increment` share the spec's words) is no more
    # than chance gives
    assert report.verdict["p_value"] > INCONCLUSIVE_ALPHA
    assert all(m["score"] < 0.2 for m in report.function_matches)


def test_consistent_renaming_keeps_derived(examples, suspect_copy, baseline):
    names: dict[str, str] = {}
    _rewrite_python(suspect_copy, lambda s: rename_identifiers(s, names))
    assert "replace_caret" not in (suspect_copy / "minisemver" / "range.py").read_text()
    report = _compare(examples / "reference-js", suspect_copy)
    assert report.verdict["label"] == "derived"
    assert 0.4 <= report.verdict["score"] <= baseline.verdict["score"]
    # names no longer carry the evidence: structure and literals do
    channels = report.verdict["channels"]
    assert channels["identifiers"] < baseline.verdict["channels"]["identifiers"]
    assert channels["strings"] > 0.5
    # ... so it is judged against the null of silent names, and the report says why
    assert report.verdict["silent_names"] and not baseline.verdict["silent_names"]
    assert report.verdict["null"]["unit_alpha"] < baseline.verdict["null"]["unit_alpha"]
    assert "agree with the reference's almost nowhere" in report.verdict["explanation"]


def test_names_are_judged_silent_once_for_the_anchors_and_the_null(examples, suspect_copy, baseline):
    _rewrite_python(suspect_copy, lambda s: rename_identifiers(s, {}))
    analysis = analyse(load_codebase("reference", str(examples / "reference-js")),
                       load_codebase("suspect", str(suspect_copy)))
    # decided on the first assignment, by content alone, before the call graph
    assert names_silent(analysis.names_agreement)
    report = _compare(examples / "reference-js", suspect_copy)
    assert report.verdict["silent_names"]
    assert report.verdict["names_agreement"] == pytest.approx(analysis.names_agreement, abs=1e-4)
    assert not names_silent(baseline.verdict["names_agreement"])


def test_comment_stripping_keeps_derived(examples, suspect_copy, baseline):
    _rewrite_python(suspect_copy, strip_comments_and_docstrings)
    report = _compare(examples / "reference-js", suspect_copy)
    assert report.verdict["label"] == "derived"
    assert report.verdict["score"] >= baseline.verdict["score"] - 0.15


def test_reformatting_changes_nothing(examples, tmp_path, baseline):
    reference = tmp_path / "reference"
    shutil.copytree(examples / "reference-js", reference)
    for path in reference.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        # re-indent with tabs and double every line break: layout only
        lines = [line.lstrip(" ") for line in text.split("\n")]
        path.write_text("\n\n".join("\t" + line if line else line for line in lines), encoding="utf-8")
    report = _compare(reference, Path("examples/suspect-py").resolve())
    assert report.verdict["label"] == "derived"
    assert report.verdict["score"] == pytest.approx(baseline.verdict["score"], abs=1e-4)
    before = {(m["reference"]["name"], m["suspect"]["name"]): m["score"] for m in baseline.function_matches}
    after = {(m["reference"]["name"], m["suspect"]["name"]): m["score"] for m in report.function_matches}
    assert before == after


def test_function_reordering_keeps_matches_but_weakens_order(examples, suspect_copy, baseline):
    _rewrite_python(suspect_copy, reverse_top_level_functions)
    report = _compare(examples / "reference-js", suspect_copy)
    assert report.verdict["label"] == "derived"
    assert report.verdict["score"] >= baseline.verdict["score"] - 0.05
    assert report.verdict["order"]["z"] < baseline.verdict["order"]["z"]


def test_merged_files_name_every_reference_file_they_hold(examples, suspect_copy, baseline):
    assert all(m["merged_from"] == [] for m in baseline.file_matches)  # one to one before merging
    package = suspect_copy / "minisemver"
    merged = (package / "version.py").read_text(encoding="utf-8") + "\n\n" + \
        (package / "range.py").read_text(encoding="utf-8")
    (package / "version.py").unlink()
    (package / "range.py").unlink()
    (package / "semver.py").write_text(merged, encoding="utf-8")
    report = _compare(examples / "reference-js", suspect_copy)
    entry = next(m for m in report.file_matches if m["suspect"]["path"] == "minisemver/semver.py")
    sources = {entry["reference"]["path"], *(s["path"] for s in entry["merged_from"])}
    assert sources == {"version.js", "range.js"}
    assert all(s["function_matches"] > 0 for s in entry["merged_from"])
    assert report.verdict["label"] == "derived"
