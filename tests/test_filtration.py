"""Filtration: licence text, a base codebase and background-common shingles are no evidence."""

from __future__ import annotations

import derive
from derive.filtration import Background, Filters, apply, summarize
from derive.fingerprint import fingerprint, is_licence
from derive.model import SourceFile
from derive.normalize import normalize
from derive.parse import parse
from derive.units import extract_units

MIT = ("# Copyright (c) 2024 Someone\n# Permission is hereby granted, free of charge, to any person\n"
       "# obtaining a copy of this software, to deal in the Software without restriction\n")


def _file_fp(code: str):
    parsed = normalize(parse(SourceFile("m.py", "python", code, "")))
    return fingerprint(extract_units(parsed)[0])


def test_licence_headers_never_count_as_comments():
    assert is_licence("// SPDX-License-Identifier: MIT")
    fp = _file_fp(MIT + "\n# walk the tree twice\nx = 1\n")
    assert fp.licence_comments == 3
    assert fp.channels["comments"] == {"walk the tree", "the tree twice"}


def test_base_codebase_is_subtracted(examples):
    plain = derive.compare(str(examples / "reference-js"), str(examples / "suspect-py"))
    # With the suspect's own template as base, nothing it shares with it can be evidence.
    based = derive.compare(str(examples / "reference-js"), str(examples / "suspect-py"),
                           base=str(examples / "reference-js"))
    assert plain.verdict["label"] == "derived"
    assert based.verdict["score"] < plain.verdict["score"]
    filtration = based.data["filtration"]
    assert filtration["base"]["files"] == 2
    assert filtration["removed_shingles"]["base"]["identifiers"] > 20


def test_background_common_shingles_are_removed_and_logged():
    fp = _file_fp("def size(items):\n    return sorted(items) + 7\n")
    background = Background(documents=100, packages=1, source="test",
                            df={"callees": {"sorted": 90}, "identifiers": {"w:items": 1}})
    log: dict = {}
    [kept] = apply([fp], Filters(background, None), log)
    assert "sorted" not in kept.channels["callees"] and "w:items" in kept.channels["identifiers"]
    summary = summarize(log)
    assert summary.removed["background"]["callees"] == 1
    assert summary.examples["background"]["callees"] == ["sorted"]
    assert background.factor("identifiers", "w:items") > background.factor("callees", "sorted")
