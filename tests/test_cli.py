"""The command line: outputs, exit codes, and one-line errors on bad input."""

from __future__ import annotations

import json
import shutil
from typer.testing import CliRunner

from derive.cli import app

runner = CliRunner()


def test_compare_writes_requested_formats(tmp_path, examples):
    result = runner.invoke(app, ["compare", str(examples / "reference-js"), str(examples / "suspect-py"),
                                 "--out", str(tmp_path), "--format", "json,html,md", "-q"])
    assert result.exit_code == 0, result.output
    assert "verdict: derived" in result.output
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["schema"].startswith("derive-report/")
    assert report["verdict"]["label"] == "derived"
    match = report["function_matches"][0]
    assert {"path", "name", "start_line", "end_line"} <= set(match["reference"])
    assert (tmp_path / "report.html").exists() and (tmp_path / "report.md").exists()


def test_fail_on_gives_ci_exit_code(tmp_path, examples):
    args = ["compare", str(examples / "reference-js"), str(examples / "suspect-py"), "--out",
            str(tmp_path), "--format", "json", "-q", "--fail-on", "derived"]
    assert runner.invoke(app, args).exit_code == 1
    negative = ["compare", str(examples / "reference-js"), str(examples / "independent-py"), "--out",
                str(tmp_path), "--format", "json", "-q", "--fail-on", "derived"]
    assert runner.invoke(app, negative).exit_code == 0


def _error(args: list[str]) -> str:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("derive: error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def test_bad_input_gives_one_line_errors(tmp_path, examples):
    ref = str(examples / "reference-js")
    assert "no such file" in _error(["compare", str(tmp_path / "missing"), ref])
    assert "not a git repository" in _error(["compare", ref, ref, "--suspect-rev", "main"])
    assert "unknown format" in _error(["compare", ref, ref, "--format", "pdf"])
    assert "--fail-on" in _error(["compare", ref, ref, "--fail-on", "maybe"])
    binary = tmp_path / "blob.py"
    binary.write_bytes(b"\x00\x01")
    assert "binary" in _error(["inspect", str(binary)])
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    assert "unsupported-language" in _error(["inspect", str(text)])
    assert "unsupported language 'cobol'" in _error(["inspect", str(text), "--language", "cobol"])


def test_languages_lists_every_grammar_with_version():
    result = runner.invoke(app, ["languages"])
    assert result.exit_code == 0
    names = {line.split()[0] for line in result.output.splitlines()}
    assert {"python", "javascript", "typescript", "tsx", "go", "rust", "java", "c", "cpp",
            "csharp", "ruby", "php", "kotlin", "swift", "perl"} <= names
    assert "tree-sitter-python" in result.output and "0.25.0" in result.output


def test_inspect_prints_uast_and_units(examples):
    result = runner.invoke(app, ["inspect", str(examples / "reference-js" / "range.js")])
    assert result.exit_code == 0
    assert "FUNCTION" in result.output and "function replaceCaret" in result.output


def test_files_over_the_size_cap_are_named_where_the_verdict_is_read(tmp_path, examples):
    suspect = tmp_path / "suspect"
    shutil.copytree(examples / "suspect-py", suspect)
    (suspect / "bundle.py").write_text("x = 1\n" * 2000)  # 12 kB, over the cap below
    args = ["compare", str(examples / "reference-js"), str(suspect), "--out", str(tmp_path / "out"),
            "--format", "json", "-q", "--max-file-bytes", "10000"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "note: suspect: 1 file over --max-file-bytes (10000) not analysed" in result.stderr
    assert "note: reference" not in result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["inputs"]["suspect"]["skipped_counts"]["too-large"]["count"] == 1
