"""python manage.py import_statements PATH... : import text files and folders of them."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from statements.services import imports


class Command(BaseCommand):
    help = "Import statements from text files and folders; each file is its own transaction."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="Files or folders of .txt/.md files")
        parser.add_argument("--source", help="Source name for texts whose header names none")
        parser.add_argument("--event", action="append", default=[], help="Event name (repeatable)")
        parser.add_argument("--language", help="Override the detected language (fr, en)")
        parser.add_argument("--dry-run", action="store_true", help="Parse and check, store nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help="Worker processes for large batches on PostgreSQL (SQLite imports one by one)",
        )

    def handle(self, *args, **options):
        files = imports.files_to_import(options["paths"])
        if not files:
            raise CommandError("No files to import in " + ", ".join(options["paths"]))
        as_json = options["format"] == "json"
        named_folder = any(Path(path).is_dir() for path in options["paths"])
        show_progress = not as_json and (named_folder or len(files) > 1)
        bar = ProgressBar(self.stderr, len(files)) if self.stderr.isatty() else None
        if options["jobs"] < 1:
            raise CommandError("--jobs must be at least 1")
        outcomes = []
        results = imports.import_paths(
            files,
            jobs=options["jobs"],
            default_source=options["source"] or "",
            events=options["event"],
            language=options["language"],
            dry_run=options["dry_run"],
        )
        for index, outcome in enumerate(results, start=1):
            outcomes.append(outcome)
            if bar:
                bar.clear()
            if show_progress or outcome.status == "failed":
                self._report_progress(index, len(files), outcome)
            if bar:
                bar.draw(index)
        if bar:
            bar.finish()
        counts = dict.fromkeys(("imported", "unchanged", "failed"), 0)
        for outcome in outcomes:
            counts[outcome.status] += 1
        if as_json:
            document = {"results": [outcome_as_dict(outcome) for outcome in outcomes]}
            if options["dry_run"]:
                document["dry_run"] = True
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            prefix = "dry run: would have " if options["dry_run"] else ""
            self.stdout.write(
                f"{prefix}imported {counts['imported']}, unchanged {counts['unchanged']}, "
                f"failed {counts['failed']}"
            )
        if counts["failed"]:
            failed = [o.filename for o in outcomes if o.status == "failed"]
            raise CommandError(f"{counts['failed']} file(s) failed: {', '.join(failed)}")

    def _report_progress(self, index: int, total: int, outcome: imports.ImportOutcome) -> None:
        line = f"[{index}/{total}] {outcome.filename}: {outcome.status}"
        if outcome.statement is not None:
            line += f" ({outcome.statement.slug})"
        if outcome.error:
            self.stderr.write(f"{line}: {outcome.error}")
        else:
            self.stdout.write(line)
            for warning in outcome.warnings:
                self.stdout.write(f"    warning: {warning}")


class ProgressBar:
    """`[########        ] 12/100`, redrawn in place on a terminal's stderr.

    Cleared before any other line is printed, so the per-file lines never run into it.
    """

    WIDTH = 30

    def __init__(self, stream, total: int):
        self.stream = stream
        self.total = max(total, 1)
        self.shown = ""

    def draw(self, done: int) -> None:
        filled = self.WIDTH * done // self.total
        self.shown = f"[{'#' * filled}{' ' * (self.WIDTH - filled)}] {done}/{self.total}"
        self._write(f"\r{self.shown}")

    def clear(self) -> None:
        if self.shown:
            self._write(f"\r{' ' * len(self.shown)}\r")

    def finish(self) -> None:
        self._write("\n")

    def _write(self, text: str) -> None:
        # str as the style: the error colour of stderr is not for a progress bar.
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()


def outcome_as_dict(outcome: imports.ImportOutcome) -> dict:
    document = {"file": outcome.filename, "status": outcome.status, "error": outcome.error or None}
    statement = outcome.statement
    if statement is None:
        document["statement"] = None
        return document
    # A fresh import (or a dry run) is described by what was parsed; an unchanged one by
    # what is stored, which may have been corrected since.
    if outcome.status == "imported":
        rows = enumerate(outcome.parsed.paragraphs, start=1)
    else:
        rows = ((p.position, p) for p in statement.paragraphs.all())
    paragraphs = [
        {
            "position": pos,
            "kind": p.kind,
            "number": p.number,
            "language": p.language,
            "text": p.text,
        }
        for pos, p in rows
    ]
    document["statement"] = {
        "slug": statement.slug,
        "title": statement.title,
        "source": statement.source.name,
        "published_on": statement.published_on.isoformat() if statement.published_on else None,
        "date_precision": statement.date_precision,
        "language": statement.language,
        "warnings": outcome.warnings,
        "paragraphs": paragraphs,
    }
    return document
