"""The orchestrator: the only module that knows the order of the stages.

source -> parse -> normalize -> units -> fingerprint -> match -> evidence -> report
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

from . import calibration, callgraph, evidence, filtration, fingerprint as fingerprint_stage, match as match_stage
from . import verdict as verdict_stage
from .fingerprint import Fingerprint, fingerprint
from .match import (MIN_EVIDENCE_NODES, MIN_FUNCTION_NODES, SAME_FILE_BONUS, RarityWeights, UnitMatch, assign,
                    candidates, name_bonus, score_pairs)
from .report import Report, build_report
from .model import Codebase, ParsedFile
from .normalize import normalize
from .order import OrderStatistic, order_statistic
from .parse import parse
from .source import MAX_FILE_BYTES, SourceOptions, load_codebase
from .units import callback_composites, extract_units, helper_units

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass(frozen=True)
class Side:
    codebase: Codebase
    parsed: tuple[ParsedFile, ...]
    files: tuple[Fingerprint, ...]
    functions: tuple[Fingerprint, ...]  # functions large enough to match (MIN_FUNCTION_NODES)
    small_functions: int  # functions below MIN_FUNCTION_NODES, not matched
    # the reference's helpers and composites large enough to match (units.helper_units,
    # units.callback_composites): candidates only
    helpers: tuple[Fingerprint, ...] = ()
    composites: tuple[Fingerprint, ...] = ()


@dataclass(frozen=True)
class Analysis:
    reference: Side
    suspect: Side
    file_matches: tuple[UnitMatch, ...]
    merged_sources: dict[str, tuple[str, ...]]  # suspect path -> other reference files merged into it
    function_matches: tuple[UnitMatch, ...]
    # mean identifiers score of the first (content-only) assignment's weighed matches: whether
    # names are silent is decided once, before the call graph, and holds for the verdict too
    names_agreement: float
    order: OrderStatistic
    function_weights: RarityWeights
    file_weights: RarityWeights
    filtration: filtration.FiltrationLog
    background: filtration.Background | None
    base: Side | None


def _analyse_side(codebase: Codebase, progress: Progress | None, as_reference: bool = False) -> Side:
    parsed, files, functions, helpers, composites, small = [], [], [], [], [], 0
    total = len(codebase.files)
    for done, source in enumerate(codebase.files, 1):
        tree = normalize(parse(source))
        parsed.append(tree)
        units = extract_units(tree)
        if as_reference:
            composites.extend(c for c in map(fingerprint, callback_composites(units))
                              if c.size >= MIN_FUNCTION_NODES)
        for unit in units:
            if unit.kind == "file":
                files.append(fingerprint(unit))
            elif unit.kind == "function":
                fp = fingerprint(unit)
                if fp.size >= MIN_FUNCTION_NODES:
                    functions.append(fp)
                else:
                    small += 1
                if as_reference:
                    helpers.extend(h for h in map(fingerprint, helper_units(unit))
                                   if h.size >= MIN_FUNCTION_NODES)
        if progress:
            progress(codebase.label, done, total)
    return Side(codebase, tuple(parsed), tuple(files), tuple(functions), small, tuple(helpers),
                tuple(composites))


def _filter_side(side: Side, filters: filtration.Filters, log: dict) -> Side:
    # a helper's or composite's shingles are other units' too: filtering them again would
    # count them twice
    return replace(side, files=tuple(filtration.apply(list(side.files), filters, log)),
                   functions=tuple(filtration.apply(list(side.functions), filters, log)),
                   helpers=tuple(filtration.apply(list(side.helpers), filters, {})),
                   composites=tuple(filtration.apply(list(side.composites), filters, {})))


def analyse(reference: Codebase, suspect: Codebase, progress: Progress | None = None,
            base: Codebase | None = None, use_background: bool = True) -> Analysis:
    # a reference function's helpers are candidates for the functions a port hoisted them
    # to, a function with its callbacks for one a port wrote them into
    ref, sus = _analyse_side(reference, progress, as_reference=True), _analyse_side(suspect, progress)
    base_side = _analyse_side(base, progress) if base is not None else None
    background = filtration.load_background() if use_background else None
    filters = filtration.Filters(
        background, filtration.base_shingles(list(base_side.files)) if base_side else None)
    log: dict = {}
    ref, sus = _filter_side(ref, filters, log), _filter_side(sus, filters, log)
    file_weights = RarityWeights(list(ref.files + sus.files), background)
    function_weights = RarityWeights(list(ref.functions + sus.functions), background)

    ref_functions, sus_functions = list(ref.functions + ref.helpers + ref.composites), list(sus.functions)
    function_pairs = candidates(ref_functions, sus_functions)
    ref_file_index = {fp.unit.path: k for k, fp in enumerate(ref.files)}
    sus_file_index = {fp.unit.path: k for k, fp in enumerate(sus.files)}
    file_pairs = candidates(list(ref.files), list(sus.files))
    # files holding candidate functions are candidates too
    file_pairs |= {(ref_file_index[ref_functions[i].unit.path], sus_file_index[sus_functions[j].unit.path])
                   for i, j in function_pairs}
    ref_files, sus_files = list(ref.files), list(sus.files)
    file_scores = score_pairs(ref_files, sus_files, file_pairs, file_weights)
    file_names = name_bonus(ref_files, sus_files, file_pairs, file_weights)
    file_matches = assign(ref_files, sus_files, file_scores, file_weights, file_names)

    # Inside matched files every function pair is a candidate: ports keep their file split.
    matched_files = {(m.reference.unit.path, m.suspect.unit.path) for m in file_matches}
    by_path_ref, by_path_sus = _by_path(ref_functions), _by_path(sus_functions)
    same_file = {(i, j) for ref_path, sus_path in matched_files
                 for i in by_path_ref.get(ref_path, ()) for j in by_path_sus.get(sus_path, ())}
    function_pairs |= same_file
    bonus = name_bonus(ref_functions, sus_functions, function_pairs, function_weights)
    for pair in same_file:
        bonus[pair] = bonus.get(pair, 0.0) + SAME_FILE_BONUS
    content = score_pairs(ref_functions, sus_functions, function_pairs, function_weights)
    first = assign(ref_functions, sus_functions, content, function_weights, bonus)
    # Second pass: the confident first-pass matches anchor call-graph agreement.
    names_agreement = _names_agreement(match_stage.weighed(first))
    calls = callgraph.agreement(function_pairs, callgraph.call_graph(ref_functions),
                                callgraph.call_graph(sus_functions),
                                callgraph.anchors(first, ref_functions, sus_functions,
                                                  calibration.names_silent(names_agreement)))
    function_matches = assign(ref_functions, sus_functions, content, function_weights, bonus, calls)
    order = order_statistic(function_matches, matched_files)
    votes = match_stage.file_votes(function_matches)  # which files the function evidence joins
    # a suspect file the one-to-one assignment left over (a port that split a file has more
    # files) still names its closest reference file
    file_matches += match_stage.leftover_files(file_matches, ref_files, sus_files, file_scores,
                                               file_weights, file_names)
    file_matches = match_stage.refine_file_mapping(file_matches, votes, list(ref.files),
                                                   list(sus.files), sus_functions, file_weights)
    merged = match_stage.merged_sources(file_matches, votes)
    return Analysis(ref, sus, tuple(file_matches), merged, tuple(function_matches), names_agreement, order,
                    function_weights, file_weights, filtration.summarize(log), background, base_side)


def _by_path(fingerprints: list[Fingerprint]) -> dict[str, list[int]]:
    table: dict[str, list[int]] = {}
    for k, fp in enumerate(fingerprints):
        table.setdefault(fp.unit.path, []).append(k)
    return table


def _names_agreement(matches: list[UnitMatch]) -> float:
    """calibration.names_agreement over the identifiers scores of ``matches``."""
    return calibration.names_agreement([m.channels.get("identifiers", 0.0) for m in matches])


def parameters() -> dict:
    """Every parameter that shapes the result, written into the report for reproduction."""
    return {
        "channels": list(match_stage.SCORE_CHANNELS),
        "channel_weights": match_stage.CHANNEL_WEIGHTS,
        "kgram": fingerprint_stage.KGRAM,
        "minhash": {"scheme": fingerprint_stage.MINHASH_SCHEME, "seed": fingerprint_stage.MINHASH_SEED,
                    "num_perm": fingerprint_stage.NUM_PERM, "hash": "sha1_hash32"},
        "lsh_threshold": match_stage.LSH_THRESHOLD,
        "exhaustive_pairs": match_stage.EXHAUSTIVE_PAIRS,
        "min_function_nodes": MIN_FUNCTION_NODES,
        "min_evidence_nodes": MIN_EVIDENCE_NODES,
        "same_file_bonus": SAME_FILE_BONUS,
        "name_bonus": match_stage.NAME_BONUS,
        "twin_similarity": match_stage.TWIN_SIMILARITY,
        "call_graph": {"max_definitions": callgraph.MAX_DEFINITIONS, "anchor_score": callgraph.ANCHOR_SCORE,
                       "anchor_margin": callgraph.ANCHOR_MARGIN,
                       "silent_anchor_score": callgraph.SILENT_ANCHOR_SCORE},
        "background_common_share": filtration.COMMON_SHARE,
        "strong_score": verdict_stage.STRONG_SCORE,
        "strong_margin": verdict_stage.STRONG_MARGIN,
        "derived_coverage": verdict_stage.DERIVED_COVERAGE,
        "inconclusive_coverage": verdict_stage.INCONCLUSIVE_COVERAGE,
        "unit_alpha": verdict_stage.UNIT_ALPHA,
        "silent_unit_alpha": verdict_stage.SILENT_UNIT_ALPHA,
        "silent_names_agreement": calibration.SILENT_NAMES_AGREEMENT,
        "repository_alpha": verdict_stage.REPOSITORY_ALPHA,
        "inconclusive_alpha": verdict_stage.INCONCLUSIVE_ALPHA,
    }


def compare(reference: str, suspect: str, *, reference_rev: str | None = None,
            suspect_rev: str | None = None, reference_include: tuple[str, ...] = (),
            reference_exclude: tuple[str, ...] = (), suspect_include: tuple[str, ...] = (),
            suspect_exclude: tuple[str, ...] = (), max_file_bytes: int = MAX_FILE_BYTES,
            base: str | None = None, base_rev: str | None = None, use_background: bool = True,
            use_calibration: bool = True, calibration_exclude: tuple[str, ...] = (),
            progress: Progress | None = None) -> Report:
    """Compare a SUSPECT codebase with a REFERENCE codebase and return the report model.

    Each side is a directory, a single file, or a git repository read at ``*_rev``
    (branch, tag or commit) straight from its object store. ``base`` is a template or
    common ancestor codebase whose content is subtracted from both sides.
    ``calibration_exclude`` leaves pairs and sides out of the shipped null model (the
    benchmark judges each pair against a null without any run of its code).
    """
    ref_code = load_codebase("reference", reference, reference_rev,
                             SourceOptions(tuple(reference_include), tuple(reference_exclude), max_file_bytes))
    sus_code = load_codebase("suspect", suspect, suspect_rev,
                             SourceOptions(tuple(suspect_include), tuple(suspect_exclude), max_file_bytes))
    base_code = (load_codebase("base", base, base_rev, SourceOptions(max_bytes=max_file_bytes))
                 if base is not None else None)
    analysis = analyse(ref_code, sus_code, progress, base_code, use_background)

    # Suspect functions large enough to weigh are the units of evidence; with none, files are.
    weighed = [f.size for f in analysis.suspect.functions if f.size >= MIN_EVIDENCE_NODES]
    if weighed:
        units = match_stage.weighed(analysis.function_matches)
        sizes, level = weighed, "function"
    else:
        units, sizes, level = analysis.file_matches, [f.size for f in analysis.suspect.files], "file"
    # the null model is measured on functions: files are judged by the fixed thresholds
    calibrated = use_calibration and level == "function"
    agreement = analysis.names_agreement if level == "function" else _names_agreement(units)
    silent = calibrated and calibration.names_silent(agreement)  # without a null, nothing to pick
    alpha = verdict_stage.SILENT_UNIT_ALPHA if silent else verdict_stage.UNIT_ALPHA
    null = calibration.load_null(alpha, tuple(calibration_exclude), silent) if calibrated else None
    verdict = verdict_stage.decide(list(units), sizes, level, analysis.order, null, agreement, silent)
    strong = {id(m) for m, flag in zip(units, verdict.strong) if flag}
    if level == "function":  # a file pair is strong evidence when a strong function pair is in it
        strong_paths = {(m.reference.unit.path, m.suspect.unit.path)
                        for m in analysis.function_matches if id(m) in strong}
        strong |= {id(m) for m in analysis.file_matches
                   if (m.reference.unit.path, m.suspect.unit.path) in strong_paths}

    shared = {id(m): evidence.shared_features(m, analysis.file_weights) for m in analysis.file_matches}
    shared.update({id(m): evidence.shared_features(m, analysis.function_weights)
                   for m in analysis.function_matches})
    fragments = {id(m): evidence.align(m, analysis.function_weights)
                 for m in analysis.function_matches if id(m) in strong}
    return build_report(analysis, shared, fragments, verdict, list(units), strong, parameters())
