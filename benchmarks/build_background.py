#!/usr/bin/env python3
"""Build derive's background document-frequency ("rarity") table.

A shingle that every program contains (``return None``, ``i``, ``len``, ``append``,
"index out of range") is no evidence of copying.  derive down-weights such shingles
with a document-frequency table computed over a broad corpus of permissively licensed
packages in the languages derive supports.  Only the table is shipped
(``derive/data/background.json.gz``), never the code it was computed from.

How to rebuild the table
------------------------
    apt-get update                      # once: apt needs package lists for the Debian entries
    python benchmarks/build_background.py
    # options: --packages benchmarks/background_packages.json
    #          --out derive/data/background.json.gz
    #          --cache ~/.cache/derive-bench/background
    #          --min-df 3 --max-bytes 1500000 --jobs N --fetch-only --list-files

Needs derive importable (run from the repository root or with derive installed) and the
ordinary registry clients: ``pip``, ``npm`` and ``apt-get``/``dpkg-deb``.

The corpus
----------
``benchmarks/background_packages.json`` lists every package: registry (pypi | npm |
debian), package, pinned version, licence, language, and the ``root``/``include``/
``exclude`` globs that pick implementation code only (no tests, examples, vendored
copies, bundles or minified files), and optionally ``force_language`` (C++ headers
named ``*.h``).  Packages used by the benchmark
(``benchmarks/pairs.json``) and their close relatives are deliberately absent, so the
table carries no information about the benchmark code.

Downloading is safe: nothing from a package is ever executed.
  pypi    pip download --no-deps --only-binary :all: (wheel) / --no-binary :all: (sdist)
  npm     npm pack --ignore-scripts PKG@VER
  debian  apt-get download PKG=VER, then dpkg-deb --fsys-tarfile
Archives are extracted by Python with path-traversal checks; links, devices and fifos
are skipped.  Each artifact is cached under CACHE/<registry>/<package>@<version>/
(complete once its meta.json exists), so re-running is cheap and idempotent.  A package
that fails to download is reported and left out (the summary says so).

What is counted
---------------
Files are read with ``derive.source.load_codebase`` (so derive's own skip rules for
vendored, generated, minified, binary and oversized files apply), then parsed,
normalised, split into units and shingled exactly as ``derive.pipeline`` does.  Each
function unit with at least ``derive.match.MIN_EVIDENCE_NODES`` nodes is one document
(the units derive weighs as evidence).  A file whose bytes already occurred (same SHA-256
anywhere earlier in the corpus) is counted once.  For every channel the table records in
how many documents each shingle occurs.

Output (gzip-compressed JSON, sorted keys, gzip mtime 0: same inputs -> same bytes)::

    {"format": "derive-background/1",
     "fingerprint": {"kgram": KGRAM, "channels": CHANNELS + ["names"]},
     "documents": N, "min_df": M,
     "pruning": {...how the table was cut to size...},
     "packages": [{"registry", "package", "version", "language", "license", "functions"}, ...],
     "df": {"<channel>": {"<shingle>": count, ...}, ...}}

Only shingles with df >= min_df are kept.  If the compressed file would still exceed
``--max-bytes``, each channel is cut to its N most frequent shingles (ties broken by
the shingle text), N halving from 60000 down until the file fits; ``pruning`` records N.
"""
from __future__ import annotations

import argparse
import collections
import gzip
import io
import json
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
sys.path.insert(0, HERE)
if REPO not in sys.path:
    sys.path.insert(1, REPO)

from fetch_corpus import (FetchError, build_entry, extract_archive, extract_tar, only_file, run,  # noqa: E402
                          sha256_file)

DEFAULT_PACKAGES = os.path.join(HERE, "background_packages.json")
DEFAULT_OUT = os.path.join(REPO, "derive", "data", "background.json.gz")
DEFAULT_CACHE = os.path.join(os.environ.get("DERIVE_BENCH_CACHE") or os.path.join(
    os.path.expanduser("~"), ".cache", "derive-bench"), "background")
FORMAT = "derive-background/1"
FIRST_CAP = 60000


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- download
def entry_dir(cache, pkg):
    name = re.sub(r"[^A-Za-z0-9._+@-]", "_", "%s@%s" % (pkg["package"], pkg["version"]))
    return os.path.join(cache, pkg["registry"], name)


def _download_pypi(pkg, art, src):
    dist = pkg.get("dist", "wheel")
    spec = "%s==%s" % (pkg["package"], pkg["version"])
    flag = "--only-binary" if dist == "wheel" else "--no-binary"
    run([sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
         flag, ":all:", "--dest", art, spec], art, "pip download " + spec)
    fname = only_file(art, "pip download " + spec)
    if dist == "wheel" and not fname.endswith(".whl"):
        raise FetchError("pip download %s: expected a wheel, got %s" % (spec, fname))
    extract_archive(os.path.join(art, fname), src)
    return fname


def _download_npm(pkg, art, src):
    spec = "%s@%s" % (pkg["package"], pkg["version"])
    run(["npm", "pack", "--ignore-scripts", spec], art, "npm pack " + spec)
    fname = only_file(art, "npm pack " + spec)
    extract_archive(os.path.join(art, fname), src)
    return fname


def _download_debian(pkg, art, src):
    spec = "%s=%s" % (pkg["package"], pkg["version"])
    cmd = ["apt-get", "download"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd += ["-o", "APT::Sandbox::User=root"]
    run(cmd + [spec], art, "apt-get download " + spec)
    fname = only_file(art, "apt-get download " + spec)
    if not fname.endswith(".deb"):
        raise FetchError("apt-get download %s: unexpected file %s" % (spec, fname))
    # dpkg-deb only unpacks the data tarball; Python extracts it with the traversal checks.
    tar_path = os.path.join(os.path.dirname(art), "data.tar")
    with open(tar_path, "wb") as out:
        p = subprocess.run(["dpkg-deb", "--fsys-tarfile", os.path.join(art, fname)], stdout=out,
                           stderr=subprocess.PIPE, timeout=900)
    if p.returncode != 0:
        raise FetchError("dpkg-deb --fsys-tarfile %s failed: %s"
                         % (fname, p.stderr.decode("utf-8", "replace").strip()))
    try:
        extract_tar(tar_path, src)
    finally:
        os.unlink(tar_path)
    return fname


DOWNLOADERS = {"pypi": _download_pypi, "npm": _download_npm, "debian": _download_debian}


def ensure(cache, pkg):
    """Download and extract one package once; return its source directory."""
    edir = entry_dir(cache, pkg)
    if os.path.isfile(os.path.join(edir, "meta.json")):
        return os.path.join(edir, "src")
    if pkg["registry"] not in DOWNLOADERS:
        raise FetchError("unknown registry %r" % pkg["registry"])

    def fill(art, src):
        fname = DOWNLOADERS[pkg["registry"]](pkg, art, src)
        meta = {"registry": pkg["registry"], "package": pkg["package"], "version": pkg["version"],
                "file": fname, "sha256": sha256_file(os.path.join(art, fname)),
                "fetched_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        os.unlink(os.path.join(art, fname))  # the extracted tree is all we need
        return meta

    build_entry(edir, "%s:%s@%s" % (pkg["registry"], pkg["package"], pkg["version"]), fill)
    return os.path.join(edir, "src")


# ----------------------------------------------------------------------------- counting
def _file_documents(source):
    """Shingle sets of the function documents of one ``SourceFile`` (worker process)."""
    from derive.fingerprint import NAMES, fingerprint
    from derive.match import MIN_EVIDENCE_NODES
    from derive.normalize import normalize
    from derive.parse import parse
    from derive.units import extract_units

    docs = []
    try:
        units = extract_units(normalize(parse(source)))
    except Exception as exc:  # a file derive cannot handle is skipped, not fatal
        return source.path, source.language, None, "%s: %s" % (type(exc).__name__, exc)
    for unit in units:
        if unit.kind != "function":
            continue
        fp = fingerprint(unit)  # exactly what derive.pipeline computes for a function
        if fp.size >= MIN_EVIDENCE_NODES:
            docs.append({c: sorted(v) for c, v in {**fp.channels, NAMES: fp.name}.items() if v})
    return source.path, source.language, docs, None


def load_package(src_root, pkg):
    from derive.source import SourceOptions, load_codebase

    root = os.path.normpath(os.path.join(src_root, pkg.get("root") or ""))
    if not os.path.isdir(root) or not os.path.realpath(root).startswith(os.path.realpath(src_root)):
        raise FetchError("root %r not found in the extracted package" % pkg.get("root"))
    # force_language: C++ headers named *.h would otherwise be read as C
    options = SourceOptions(include=tuple(pkg.get("include") or ()),
                            exclude=tuple(pkg.get("exclude") or ()),
                            language=pkg.get("force_language"))
    return load_codebase(pkg["package"], root, options=options)


def gz_bytes(doc):
    raw = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return buf.getvalue()


def prune(df, min_df, cap):
    kept = {}
    for channel, counts in df.items():
        items = [(s, n) for s, n in counts.items() if n >= min_df]
        if cap is not None and len(items) > cap:
            items.sort(key=lambda item: (-item[1], item[0]))
            items = items[:cap]
        kept[channel] = dict(items)
    return kept


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--packages", default=DEFAULT_PACKAGES, help="package list (JSON)")
    ap.add_argument("--out", default=DEFAULT_OUT, help="output .json.gz")
    ap.add_argument("--cache", default=DEFAULT_CACHE,
                    help="download cache (default: $DERIVE_BENCH_CACHE/background or "
                         "~/.cache/derive-bench/background)")
    ap.add_argument("--min-df", type=int, default=3, help="keep shingles in at least this many documents")
    ap.add_argument("--max-bytes", type=int, default=1_500_000,
                    help="cap each channel (top N by df) until the gzip file is at most this size")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="parser processes")
    ap.add_argument("--fetch-only", action="store_true", help="download and extract, then stop")
    ap.add_argument("--list-files", action="store_true", help="print the files selected per package")
    opts = ap.parse_args(argv)

    from derive.fingerprint import CHANNELS, KGRAM, NAMES

    channels = (*CHANNELS, NAMES)  # the units' own names are weighted by rarity too

    with open(opts.packages) as f:
        packages = json.load(f)
    packages = packages["packages"] if isinstance(packages, dict) else packages
    cache = os.path.abspath(os.path.expanduser(opts.cache))
    os.makedirs(cache, exist_ok=True)

    failed, sources = [], []
    for pkg in packages:
        try:
            sources.append((pkg, ensure(cache, pkg)))
        except (FetchError, OSError) as exc:
            failed.append((pkg, str(exc).splitlines()[0]))
            log("ERROR: %s:%s@%s: %s" % (pkg["registry"], pkg["package"], pkg["version"], exc))
    if opts.fetch_only:
        print("fetched %d, failed %d" % (len(sources), len(failed)))
        return 1 if failed else 0

    df = {channel: collections.Counter() for channel in channels}
    seen_files, documents, entries = set(), 0, []
    per_lang_pkgs, per_lang_docs = collections.Counter(), collections.Counter()
    parse_errors = 0
    with ProcessPoolExecutor(max_workers=max(1, opts.jobs)) as pool:
        for pkg, src_root in sources:
            tag = "%s:%s@%s" % (pkg["registry"], pkg["package"], pkg["version"])
            try:
                codebase = load_package(src_root, pkg)
            except (FetchError, OSError, ValueError) as exc:
                failed.append((pkg, str(exc)))
                log("ERROR: %s: %s" % (tag, exc))
                continue
            files = []
            for source in codebase.files:
                if source.sha256 in seen_files:
                    continue
                seen_files.add(source.sha256)
                files.append(source)
            if not files:
                failed.append((pkg, "no source files selected"))
                log("ERROR: %s: no source files selected" % tag)
                continue
            functions = 0
            # map() keeps file order, so the result never depends on scheduling
            for path, language, docs, error in pool.map(_file_documents, files, chunksize=4):
                if opts.list_files:
                    print("  %s %s %s" % (tag, path, "ERROR " + error if error else len(docs)))
                if error:
                    parse_errors += 1
                    log("WARNING: %s %s: %s" % (tag, path, error))
                    continue
                for doc in docs:
                    for channel, values in doc.items():
                        df[channel].update(values)
                functions += len(docs)
                per_lang_docs[language] += len(docs)
            documents += functions
            per_lang_pkgs[pkg["language"]] += 1
            entries.append({"registry": pkg["registry"], "package": pkg["package"],
                            "version": pkg["version"], "language": pkg["language"],
                            "license": pkg["license"], "functions": functions})
            log("%-58s files=%-4d functions=%d" % (tag, len(files), functions))

    cap, data = None, None
    while True:
        kept = prune(df, opts.min_df, cap)
        pruning = {"min_df": opts.min_df, "max_per_channel": cap,
                   "rule": "shingles with df < min_df dropped; when max_per_channel is set, each "
                           "channel keeps its max_per_channel most frequent shingles (ties by text)",
                   "distinct_before": {c: len(v) for c, v in sorted(df.items())}}
        doc = {"format": FORMAT, "fingerprint": {"kgram": KGRAM, "channels": list(channels)},
               "documents": documents, "min_df": opts.min_df, "pruning": pruning,
               "packages": entries, "df": kept}
        data = gz_bytes(doc)
        if len(data) <= opts.max_bytes or (cap is not None and cap <= 1000):
            break
        cap = FIRST_CAP if cap is None else cap // 2
    os.makedirs(os.path.dirname(os.path.abspath(opts.out)), exist_ok=True)
    tmp_out = opts.out + ".tmp"
    with open(tmp_out, "wb") as f:
        f.write(data)
    os.replace(tmp_out, opts.out)

    # ------------------------------------------------------------------ summary
    print("background table: %s (%d bytes)" % (opts.out, len(data)))
    print("packages: %d used, %d failed; documents (functions): %d; min_df=%d; cap per channel: %s"
          % (len(entries), len(failed), documents, opts.min_df, cap))
    print("packages per language:  " + ", ".join("%s=%d" % kv for kv in sorted(per_lang_pkgs.items())))
    print("documents per language: " + ", ".join("%s=%d" % kv for kv in sorted(per_lang_docs.items())))
    print("files that failed to parse: %d" % parse_errors)
    print("shingles kept per channel (of distinct):")
    for channel in channels:
        print("  %-12s %7d of %d" % (channel, len(kept[channel]), len(df[channel])))
    for channel in ("identifiers", "strings", "callees", "comments"):
        top = sorted(kept[channel].items(), key=lambda item: (-item[1], item[0]))[:20]
        print("top %s: %s" % (channel, ", ".join("%r:%d" % kv for kv in top)))
    for pkg, why in failed:
        print("LEFT OUT %s:%s@%s: %s" % (pkg["registry"], pkg["package"], pkg["version"], why))
    return 0


if __name__ == "__main__":
    sys.exit(main())
