"""python manage.py rebuild_corpus_stats : recompute the corpus statistics from scratch."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from statements import tasks
from statements.services import corpus


class Command(BaseCommand):
    help = (
        "Recompute the corpus statistics (document frequencies for the engine, term counts "
        "for framing) from every stored paragraph. With --pending, only count in the "
        "statements not counted yet, and queue their sources' vocabularies (what the worker "
        "does after imports)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--pending", action="store_true", help="Only the statements not counted yet"
        )

    def handle(self, *args, **options):
        count = tasks.count_pending_statistics() if options["pending"] else corpus.rebuild()
        what = "newly counted" if options["pending"] else "counted from scratch"
        self.stdout.write(f"{count} statement{'s' if count != 1 else ''} {what}.")
