"""Filtration: take out what is not evidence before comparing.

Courts compare what is left after filtering what language, efficiency, a shared
specification or the public domain dictate (abstraction-filtration-comparison). Here:

- shingles common in a background of unrelated, permissively licensed packages (what
  every program contains: `i += 1`, `len`, "utf-8") are removed, and the rest are
  weighted by their background rarity;
- licence headers never count as shared comments (see ``fingerprint.is_licence``);
- everything a user-supplied base or template codebase contains is subtracted from both
  sides (code both inherited from a common starter is no evidence of copying).
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from .fingerprint import CHANNELS, Fingerprint, channels_minhash

BACKGROUND_FORMAT = "derive-background/1"
COMMON_SHARE = 0.02  # in at least 2% of background functions: everyone's code
EXAMPLES = 12  # filtered shingles listed per channel in the report


@dataclass(frozen=True)
class Background:
    documents: int
    packages: int
    df: dict[str, dict[str, int]]
    source: str

    def share(self, channel: str, shingle: str) -> float:
        return self.df.get(channel, {}).get(shingle, 0) / self.documents

    def factor(self, channel: str, shingle: str) -> float:
        """1 for a shingle the background never shows, towards 0 for ubiquitous ones."""
        df = self.df.get(channel, {}).get(shingle, 0)
        return math.log(1 + self.documents / (1 + df)) / math.log(1 + self.documents)


@cache
def load_background() -> Background | None:
    """The shipped table (``derive/data/background.json.gz``), or None if absent."""
    path = resources.files("derive") / "data" / "background.json.gz"
    if not path.is_file():
        return None
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    if data.get("format") != BACKGROUND_FORMAT:
        raise ValueError(f"background table has format {data.get('format')!r}, "
                         f"expected {BACKGROUND_FORMAT}")
    return Background(data["documents"], len(data["packages"]), data["df"], "derive/data/background.json.gz")


@dataclass(frozen=True)
class Filters:
    background: Background | None
    base: dict[str, frozenset[str]] | None  # channel -> shingles of the base codebase

    def removes(self, channel: str, shingle: str) -> str | None:
        """Why a shingle is filtered out, or None if it stays."""
        if self.base is not None and shingle in self.base[channel]:
            return "base"
        if self.background is not None and self.background.share(channel, shingle) >= COMMON_SHARE:
            return "background"
        return None


@dataclass(frozen=True)
class FiltrationLog:
    """What filtration removed: distinct shingles per reason and channel, with examples."""

    removed: dict[str, dict[str, int]]  # reason -> channel -> distinct shingles removed
    examples: dict[str, dict[str, list[str]]]


def base_shingles(fingerprints: list[Fingerprint]) -> dict[str, frozenset[str]]:
    found = {channel: set() for channel in CHANNELS}
    for fp in fingerprints:
        for channel in CHANNELS:
            found[channel] |= fp.channels[channel]
    return {channel: frozenset(values) for channel, values in found.items()}


def apply(fingerprints: list[Fingerprint], filters: Filters, log: dict) -> list[Fingerprint]:
    """Fingerprints without filtered shingles; ``log`` collects reason -> channel -> shingles."""
    out = []
    for fp in fingerprints:
        kept, changed = {}, False
        for channel in CHANNELS:
            values = []
            for shingle in fp.channels[channel]:
                reason = filters.removes(channel, shingle)
                if reason is None:
                    values.append(shingle)
                else:
                    log.setdefault(reason, {}).setdefault(channel, Counter())[shingle] += 1
                    changed = True
            kept[channel] = frozenset(values)
        if changed:
            fp = replace(fp, channels=kept, signature=channels_minhash(kept).hashvalues)
        out.append(fp)
    return out


def summarize(log: dict) -> FiltrationLog:
    removed, examples = {}, {}
    for reason, channels in sorted(log.items()):
        removed[reason] = {c: len(counts) for c, counts in sorted(channels.items())}
        examples[reason] = {
            c: [s.removeprefix("w:").removeprefix("s:") for s, _ in
                sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:EXAMPLES]]
            for c, counts in sorted(channels.items()) if c != "structure"}
    return FiltrationLog(removed, examples)
