"""python manage.py embed_paragraphs [SLUG...] : store the multilingual vectors of paragraphs."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from statements import embeddings
from statements.models import Paragraph, Statement
from statements.services import vectors


class Command(BaseCommand):
    help = (
        "Compute and store the multilingual vector of every paragraph that has none, or whose "
        "text changed since (imports do this already; this fills statements imported before, "
        "or without the multilingual extra). Running it again does nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these statements (default: all)")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=embeddings.BATCH_SIZE,
            help="Paragraphs embedded and stored at a time (default %(default)s)",
        )

    def handle(self, *args, **options):
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1")
        reason = embeddings.unavailable_reason()
        if reason:
            raise CommandError(reason)
        statements = Statement.objects.all()
        if options["slugs"]:
            statements = statements.filter(slug__in=options["slugs"])
            unknown = set(options["slugs"]) - set(statements.values_list("slug", flat=True))
            if unknown:
                raise CommandError(f"No statement with the slug {', '.join(sorted(unknown))}")
        paragraphs = Paragraph.objects.filter(statement__in=statements).only(
            "pk", "text", "statement_id"
        )
        todo = vectors.paragraphs_to_embed(paragraphs.order_by("statement_id", "position"))
        total = paragraphs.count()
        bar = ProgressBar(self.stderr, len(todo)) if todo and self.stderr.isatty() else None
        done = 0
        for start in range(0, len(todo), options["batch_size"]):
            batch = todo[start : start + options["batch_size"]]
            done += vectors.embed_and_store(batch, batch_size=options["batch_size"])
            if bar:
                bar.draw(done)
        if bar:
            bar.finish()
        self.stdout.write(
            f"Embedded {done} paragraph{'s' if done != 1 else ''} with {embeddings.MODEL_NAME}; "
            f"{total - done} already up to date."
        )


class ProgressBar:
    """`[########        ] 120/2000 paragraphs`, redrawn in place on a terminal's stderr."""

    WIDTH = 30

    def __init__(self, stream, total: int):
        self.stream = stream
        self.total = max(total, 1)

    def draw(self, done: int) -> None:
        filled = self.WIDTH * done // self.total
        bar = f"[{'#' * filled}{' ' * (self.WIDTH - filled)}] {done}/{self.total} paragraphs"
        self._write(f"\r{bar}")

    def finish(self) -> None:
        self._write("\n")

    def _write(self, text: str) -> None:
        # str as the style: the error colour of stderr is not for a progress bar.
        self.stream.write(text, style_func=str, ending="")
        self.stream.flush()
