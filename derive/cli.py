"""The ``derive`` command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .grammars import UnsupportedLanguage
from .source import MAX_FILE_BYTES

app = typer.Typer(
    help="derive: was this code translated from that code? Compares a SUSPECT codebase with "
         "a REFERENCE codebase, in the same or different languages, and writes an evidence report.",
    no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

FORMATS = ("json", "html", "md", "sarif")
# Exit codes: 0 ran (whatever the verdict, unless --fail-on asks otherwise), 1 verdict met
# --fail-on, 2 bad input.
EXIT_FLAGGED, EXIT_BAD_INPUT = 1, 2


def _fail(message: str) -> None:
    typer.echo(f"derive: error: {message}", err=True)
    raise typer.Exit(EXIT_BAD_INPUT)


@app.command()
def compare(
    reference: Annotated[str, typer.Argument(help="Reference codebase: directory, file or git repository.")],
    suspect: Annotated[str, typer.Argument(help="Suspect codebase: directory, file or git repository.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for report.json and renderings.")] = Path("reports"),
    format: Annotated[str, typer.Option("--format", "-f", help="Comma-separated: json,html,md,sarif (JSON is always written).")] = "json,html,md",
    reference_rev: Annotated[Optional[str], typer.Option(help="Read REFERENCE at this git revision (branch, tag, commit) from its object store.")] = None,
    suspect_rev: Annotated[Optional[str], typer.Option(help="Read SUSPECT at this git revision.")] = None,
    reference_include: Annotated[list[str], typer.Option(help="Glob (with **) of reference files to analyse; repeatable.")] = [],
    reference_exclude: Annotated[list[str], typer.Option(help="Glob of reference files to leave out; wins over include.")] = [],
    suspect_include: Annotated[list[str], typer.Option(help="Glob of suspect files to analyse; repeatable.")] = [],
    suspect_exclude: Annotated[list[str], typer.Option(help="Glob of suspect files to leave out.")] = [],
    base: Annotated[Optional[str], typer.Option(help="Template / common-ancestor codebase whose content is subtracted from both sides.")] = None,
    base_rev: Annotated[Optional[str], typer.Option(help="Read --base at this git revision.")] = None,
    max_file_bytes: Annotated[int, typer.Option(help="Files larger than this are skipped (and counted).")] = MAX_FILE_BYTES,
    fail_on: Annotated[Optional[str], typer.Option(help="Exit 1 when the verdict is this label or worse: 'derived' or 'inconclusive' (for CI).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Compare SUSPECT with REFERENCE and write an evidence report."""
    from .pipeline import compare as run_compare
    from .report import write_report
    from .source import SourceError

    formats = tuple(f.strip() for f in format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        _fail(f"unknown format {', '.join(unknown)} (choose from {', '.join(FORMATS)})")
    if fail_on not in (None, "derived", "inconclusive"):
        _fail("--fail-on takes 'derived' or 'inconclusive'")
    try:
        with _progress(quiet) as progress:
            report = run_compare(
                reference, suspect, reference_rev=reference_rev, suspect_rev=suspect_rev,
                reference_include=tuple(reference_include), reference_exclude=tuple(reference_exclude),
                suspect_include=tuple(suspect_include), suspect_exclude=tuple(suspect_exclude),
                max_file_bytes=max_file_bytes, base=base, base_rev=base_rev, progress=progress)
    except (SourceError, UnsupportedLanguage) as exc:
        _fail(str(exc))
    written = write_report(report, out, formats)
    verdict = report.verdict
    typer.echo(f"verdict: {verdict['label']} (score {verdict['score']:.2f}, coverage "
               f"{verdict['coverage']:.2f}); "
               f"{len(report.file_matches)} file and {len(report.function_matches)} function matches")
    for path in written:
        typer.echo(f"wrote {path}")
    for side in ("reference", "suspect"):  # code left out for its size alone: say so beside the verdict
        too_large = report.data["inputs"][side]["skipped_counts"].get("too-large")
        if too_large:
            files = "1 file" if too_large["count"] == 1 else f"{too_large['count']} files"
            typer.echo(f"note: {side}: {files} over --max-file-bytes ({max_file_bytes}) not "
                       f"analysed; raise it to include them", err=True)
    flagged = {"derived": {"derived"}, "inconclusive": {"derived", "inconclusive"}}.get(fail_on or "", set())
    if verdict["label"] in flagged:
        raise typer.Exit(EXIT_FLAGGED)


class _progress:
    """A rich progress bar over files parsed on each side (silent when quiet or piped)."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tasks: dict[str, int] = {}

    def __enter__(self):
        if self.quiet:
            return None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.__enter__()
        return self

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage not in self.tasks:
            self.tasks[stage] = self.bar.add_task(f"parsing {stage}", total=total)
        self.bar.update(self.tasks[stage], completed=done)

    def __exit__(self, *exc):
        if not self.quiet:
            self.bar.__exit__(*exc)
        return False


@app.command()
def languages() -> None:
    """List the supported languages, their file patterns and grammar versions."""
    from .grammars import all_grammars

    for grammar in all_grammars():
        by_content = [f"{ext} (when its text shows {grammar.display_name})"
                      for ext in grammar.content_extensions]
        typer.echo(f"{grammar.name:12} {grammar.distribution:24} {grammar.version:10} "
                   f"{' '.join((*grammar.extensions, *by_content))}")


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(help="Source file to show.")],
    language: Annotated[Optional[str], typer.Option(help="Language, when the extension does not tell.")] = None,
    units_only: Annotated[bool, typer.Option("--units", help="Only list the units.")] = False,
) -> None:
    """Print the universal AST and the units (file, classes, functions) of FILE."""
    from .inspect import format_uast, format_units
    from .normalize import normalize
    from .parse import parse
    from .source import SourceError, SourceOptions, load_codebase

    try:
        codebase = load_codebase("file", str(file), options=SourceOptions(language=language))
    except (SourceError, UnsupportedLanguage) as exc:
        _fail(str(exc))
    if not codebase.files:
        skipped = codebase.skipped[0] if codebase.skipped else None
        reason = f"{skipped.reason} {skipped.detail}".strip() if skipped else "not a source file"
        _fail(f"{file}: skipped: {reason}")
    parsed = normalize(parse(codebase.files[0]))
    if not units_only:
        typer.echo(format_uast(parsed.root))
        typer.echo("")
    typer.echo(format_units(parsed))
    if parsed.error_share:
        typer.echo(f"syntax errors: {parsed.error_share:.1%} of the file's bytes", err=True)


def main() -> None:
    app()
