"""Fingerprint stage: per unit and per channel, a set of shingles and a MinHash.

Channels are scored separately because they fail separately: renaming kills the
identifier channel and leaves structure; a rewrite in another idiom does the opposite.
MinHash signatures (datasketch, scheme and seed pinned) feed candidate generation;
hashes are SHA-1 based, so a signature is the same in every process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

from .model import Unit, UNode
from .tokens import canonical_name, comment_words, number_value, regex_values, string_value, subtokens
from .units import CONSTRUCTOR_NAMES, callee_name

CHANNELS = ("structure", "identifiers", "strings", "numbers", "callees", "comments")
# The unit's own name is no channel: independent implementations of one spec name their
# functions alike (`heading`, `blockquote`), so a shared name is no evidence. It only
# helps pick the counterpart among candidates (``match.name_similarity``).
NAMES = "names"
MINHASH_SCHEME = "affine32"  # pinned: another scheme gives other signatures
MINHASH_SEED = 20261122
NUM_PERM = 128
KGRAM = 4  # the design study found k=4 best: k=3 inflates negatives, k=5 ties more

# Spelling differences between languages that carry no evidence of derivation.
STRUCTURAL_ALIASES = {"FOREACH": "FOR", "WHILE": "FOR", "DO_WHILE": "FOR", "TUPLE": "LIST",
                      "SET": "LIST", "TEMPLATE": "STRING", "CHAR": "STRING", "LAMBDA": "FUNCTION",
                      "VARIABLE": "ASSIGN", "SUPER": "SELF", "INTERPOLATION": "OTHER"}
NOT_STRUCTURE = frozenset({"COMMENT", "DOCSTRING", "IMPORT", "DECORATOR", "EXPORT"})
NESTED_UNITS = frozenset({"FUNCTION", "LAMBDA", "CLASS", "INTERFACE", "ENUM"})


@dataclass(frozen=True, eq=False)
class Fingerprint:
    unit: Unit
    channels: dict[str, frozenset[str]]
    size: int  # universal nodes in the unit, nested units excluded
    licence_comments: int  # comments left out of the comment channel as licence text
    calls: frozenset[str]  # call targets (``call_target``), unfiltered: the call graph reads them
    name: frozenset[str]  # ``name_shingles``
    signature: np.ndarray = field(repr=False)  # MinHash over all channels' shingles


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


@lru_cache(maxsize=1 << 18)
def _hash(shingle: bytes) -> int:
    return sha1_hash32(shingle)


def minhash(shingles) -> MinHash:
    sketch = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME,
                     permutations=_permutations(), hashfunc=_hash)
    sketch.update_batch(sorted(s.encode("utf-8") for s in shingles))
    return sketch


def channels_minhash(channels: dict[str, frozenset[str]], names=CHANNELS) -> MinHash:
    """The MinHash of the named channels' shingles, each tagged with its channel (a string
    and an identifier spelled alike are different evidence)."""
    return minhash(f"{name}\x1f{s}" for name in names for s in channels[name])


def own_nodes(unit: Unit):
    """Pre-order nodes of a unit; a class leaves out its methods and a function its nested
    function units (they stand alone)."""
    nested = {id(node) for node in unit.nested}
    stack = [unit.node]
    while stack:
        node = stack.pop()
        yield node
        for child in reversed(node.children):
            if unit.kind == "class" and child.kind in NESTED_UNITS and child.name:
                continue
            if id(child) in nested:
                continue
            stack.append(child)


def call_target(call: UNode) -> str | None:
    """What the call graph resolves a call by: the callee's canonical name, prefixed with
    ``.`` when it is a method of some other object (``items.sort()`` is no call to a
    function ``sort`` of the codebase; ``self.sort()`` or ``sort()`` may be)."""
    name = callee_name(call)
    if name is None:
        return None
    target = call.children[0]
    on_other = target.kind == "MEMBER" and target.children and target.children[0].kind not in ("SELF", "SUPER")
    return "." + name if on_other else name


def name_shingles(unit: Unit) -> frozenset[str]:
    """The unit's own name, whole and in words, as a port keeps it in the target
    language's spelling (``patch_make``, ``PatchMake``): a file by its stem, a method
    without its class, a constructor by its class."""
    if unit.kind == "file":
        last = unit.path.rsplit("/", 1)[-1].split(".", 1)[0]
    else:
        parts = unit.name.split(".")
        last = parts[-1]
        if canonical_name(last) in CONSTRUCTOR_NAMES and len(parts) > 1:
            last = parts[-2]
    name = canonical_name(last)
    if not name:
        return frozenset()
    return frozenset(["w:" + name] + ["s:" + t for t in subtokens(last) if len(t) > 1])


def leaf_features(node: UNode) -> list[tuple[str, str]]:
    """The (channel, shingle) pairs a single node contributes outside structure."""
    kind, text = node.kind, node.text
    if kind == "IDENT" and text:
        name = canonical_name(text)
        if not name:
            return []
        return [("identifiers", "w:" + name)] + [("identifiers", "s:" + t) for t in subtokens(text)
                                                 if len(t) > 1]
    if kind in ("STRING", "TEMPLATE", "CHAR") and text is not None:
        return _string_features(string_value(text))
    if kind == "REGEX" and text:  # a regex literal is a string to a language without them
        return [feature for value in regex_values(text) for feature in _string_features(value)]
    if kind == "NUMBER" and text:
        value = number_value(text)
        return [("numbers", value)] if value is not None else []
    if kind == "CALL":
        name = callee_name(node)
        return [("callees", name)] if name else []
    return []


def _string_features(value: str) -> list[tuple[str, str]]:
    if len(value) == 1:  # '#' in one language is 0x23 in another: one literal, counted once
        return [("numbers", str(ord(value)))]
    return [("strings", value)] if value else []


LICENCE_MARKERS = ("copyright", "license", "licence", "spdx-license-identifier",
                   "permission is hereby granted", "without warranty", "all rights reserved")


def is_licence(comment: str) -> bool:
    """Licence and copyright text is shared by design, never evidence of translation."""
    lowered = comment.lower()
    return any(marker in lowered for marker in LICENCE_MARKERS)


def comment_shingles(comment: str) -> set[str]:
    """Word 3-grams of one comment; a short comment counts whole."""
    words = comment_words(comment)
    if len(words) < 3:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + 3]) for i in range(len(words) - 2)}


def shingles(unit: Unit) -> tuple[dict[str, frozenset[str]], int, int, frozenset[str]]:
    """Channel shingles, structural size, the number of licence comments left out and
    the call targets."""
    found: dict[str, set[str]] = {channel: set() for channel in CHANNELS}
    kinds: list[str] = []
    comments: list[UNode] = []
    calls: set[str] = set()
    for node in own_nodes(unit):
        kind = node.kind
        if kind == "CALL" and (target := call_target(node)):
            calls.add(target)
        if kind in ("COMMENT", "DOCSTRING") and node.text:
            comments.append(node)
            if kind == "COMMENT":
                continue
        for channel, shingle in leaf_features(node):
            found[channel].add(shingle)
        if kind not in NOT_STRUCTURE:
            kinds.append(STRUCTURAL_ALIASES.get(kind, kind))
            if node.children:
                shape = ",".join(STRUCTURAL_ALIASES.get(c.kind, c.kind) for c in node.children
                                 if c.kind not in NOT_STRUCTURE)
                found["structure"].add(f"h:{STRUCTURAL_ALIASES.get(kind, kind)}({shape})")
    for literal in unit.constants:
        for channel, shingle in leaf_features(literal):
            found[channel].add(shingle)
    found["structure"].update("g:" + "|".join(kinds[i:i + KGRAM])
                              for i in range(len(kinds) - KGRAM + 1))
    licence = 0
    for block in _comment_blocks(comments):
        if any(is_licence(c.text) for c in block):
            licence += len(block)
        else:
            for comment in block:
                found["comments"].update(comment_shingles(comment.text))
    return ({channel: frozenset(values) for channel, values in found.items()}, len(kinds), licence,
            frozenset(calls))


def _comment_blocks(comments: list[UNode]) -> list[list[UNode]]:
    """Comments on consecutive lines form one block (a licence header spans many)."""
    blocks: list[list[UNode]] = []
    for comment in sorted(comments, key=lambda c: c.span.start_byte):
        if blocks and comment.span.start_line <= blocks[-1][-1].span.end_line + 1:
            blocks[-1].append(comment)
        else:
            blocks.append([comment])
    return blocks


def fingerprint(unit: Unit) -> Fingerprint:
    channels, size, licence, calls = shingles(unit)
    return Fingerprint(unit, channels, size, licence, calls, name_shingles(unit),
                       channels_minhash(channels).hashvalues)
