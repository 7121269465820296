"""SARIF 2.1.0 output: one result per strong function match, located in the suspect.

When the report has no function matches at all (the suspect declares no functions, so the
verdict is taken at file level), file matches scoring at least FILE_RESULT_SCORE are
reported instead, located at the whole suspect file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import PurePosixPath, PureWindowsPath
from urllib.parse import quote

from .numbers import line_suffix

RULE_ID = "derive/derived-code"
FILE_RESULT_SCORE = 0.3
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _uri(path: str) -> str:
    return quote(str(path or "").replace("\\", "/"), safe="/")


def _base_uri(side: dict) -> str | None:
    """file:// URI of a side's root (a directory URI ends with '/'), when it is absolute."""
    location = (side or {}).get("location")
    if not location:
        return None
    for flavour in (PurePosixPath, PureWindowsPath):
        path = flavour(location)
        if path.is_absolute():
            if side.get("kind") == "file":
                path = path.parent
            uri = path.as_uri()
            return uri if uri.endswith("/") else uri + "/"
    return None


def _location(unit: dict, base_id: str, with_region: bool = True) -> dict:
    physical: dict = {"artifactLocation": {"uri": _uri(unit.get("path", "")), "uriBaseId": base_id}}
    start = unit.get("start_line")
    if with_region and isinstance(start, int) and start >= 1:
        region = {"startLine": start}
        end = unit.get("end_line")
        if isinstance(end, int) and end >= start:
            region["endLine"] = end
        physical["region"] = region
    location: dict = {"physicalLocation": physical}
    if unit.get("name"):
        location["logicalLocations"] = [{"name": str(unit["name"]), "kind": "function"}]
    return location


def _fingerprint(match: dict) -> str:
    ref, sus = match.get("reference") or {}, match.get("suspect") or {}
    key = "\x00".join(str(x) for x in (ref.get("path"), ref.get("name"),
                                        sus.get("path"), sus.get("name")))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _result(match: dict, level: str, kind: str) -> dict:
    ref, sus = match.get("reference") or {}, match.get("suspect") or {}
    score = match.get("score") or 0.0
    if kind == "function":
        text = (f"Function '{sus.get('name', '')}' resembles reference function "
                f"'{ref.get('name', '')}' in {ref.get('path', '')}{line_suffix(ref)} "
                f"(score {score:.2f}, margin {(match.get('margin') or 0.0):.2f}).")
    else:
        text = (f"File '{sus.get('path', '')}' resembles reference file '{ref.get('path', '')}' "
                f"(score {score:.2f}, margin {(match.get('margin') or 0.0):.2f}).")
    related = _location(ref, "REFERENCE", with_region=kind == "function")
    related["id"] = 1
    related["message"] = {"text": "reference counterpart"}
    properties = {"score": match.get("score"), "margin": match.get("margin"),
                  "runnerUp": match.get("runner_up"), "candidates": match.get("candidates"),
                  "strong": bool(match.get("strong")), "unitLevel": kind,
                  "p_value": match.get("p_value"), "q_value": match.get("q_value"),
                  "channels": dict(match.get("channels") or {}),
                  "reference": {k: ref[k] for k in ("path", "name", "start_line", "end_line",
                                                    "language") if k in ref}}
    return {
        "ruleId": RULE_ID,
        "ruleIndex": 0,
        "level": level,
        "message": {"text": text},
        "locations": [_location(sus, "SUSPECT", with_region=kind == "function")],
        "relatedLocations": [related],
        "partialFingerprints": {"deriveMatch/v1": _fingerprint(match)},
        "properties": properties,
    }


def render_sarif(report: dict) -> str:
    """Render the report model as a SARIF 2.1.0 log (JSON text)."""
    tool = report.get("tool") or {}
    verdict = report.get("verdict") or {}
    inputs = report.get("inputs") or {}
    level = "warning" if verdict.get("label") == "derived" else "note"
    functions = report.get("function_matches") or []
    if functions:
        results = [_result(m, level, "function") for m in functions if m.get("strong")]
    else:
        results = [_result(m, level, "file") for m in report.get("file_matches") or []
                   if (m.get("score") or 0.0) >= FILE_RESULT_SCORE]

    bases = {}
    for base_id, side in (("REFERENCE", inputs.get("reference")), ("SUSPECT", inputs.get("suspect"))):
        uri = _base_uri(side or {})
        if uri:
            bases[base_id] = {"uri": uri}
    driver = {
        "name": "derive",
        "version": str(tool.get("version", "")),
        "semanticVersion": str(tool.get("version", "")),
        "rules": [{
            "id": RULE_ID,
            "name": "DerivedCode",
            "shortDescription": {"text": "Code that appears derived from the reference code base"},
            "fullDescription": {"text": (
                "The suspect unit has a counterpart in the reference that is similar across "
                "structure, identifiers, literals, callees and comments, and clearly closer "
                "than any other reference candidate. This is evidence of copying, translation "
                "or adaptation, to be reviewed by a person.")},
            "defaultConfiguration": {"level": "warning"},
            "properties": {"tags": ["provenance", "license-compliance"]},
        }],
    }
    run: dict = {
        "tool": {"driver": driver},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "schema": report.get("schema"),
            "p_value": verdict.get("p_value"),
            "verdict": {k: verdict.get(k) for k in ("label", "score", "coverage", "unit_level",
                                                    "strong_matches", "chance_matches", "suspect_units",
                                                    "explanation") if k in verdict},
        },
    }
    if bases:
        run["originalUriBaseIds"] = bases
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=1, ensure_ascii=False) + "\n"
