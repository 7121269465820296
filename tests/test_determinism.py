"""Same inputs and parameters give the same report, whatever the process or hash seed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from derive.fingerprint import minhash

ROOT = Path(__file__).resolve().parent.parent


def test_minhash_signature_is_pinned():
    # Changing the scheme, seed, permutation count or hash function breaks this on purpose:
    # persisted signatures would silently stop matching.
    signature = minhash(["structure\x1fg:IF|COMPARE|IDENT|NUMBER", "identifiers\x1fw:blkindent"]).hashvalues
    assert list(signature[:4]) == [83893771, 1811655337, 105221858, 1881983239]
    assert hashlib.sha256(signature.tobytes()).hexdigest() == (
        "771b4fd43c5f4fca24603123ccecc1eda2fee35cb9276482fe20febfdf42372f")


def _run(out: Path, seed: str) -> dict[str, bytes]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-m", "derive", "compare", "examples/reference-js",
                    "examples/suspect-py", "--out", str(out), "--format", "json,html,md,sarif", "-q"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def test_reports_identical_across_processes_and_hash_seeds(tmp_path):
    first = _run(tmp_path / "a", "1")
    second = _run(tmp_path / "b", "4242")
    assert set(first) == {"report.json", "report.html", "report.md", "report.sarif"}
    assert first == second
