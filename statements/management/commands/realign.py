"""python manage.py realign [--stale] : compute and store alignments again."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from statements.models import StoredAlignment
from statements.services import comparing


class Command(BaseCommand):
    help = (
        "Compute the stored alignments again (all of them, or with --stale only those whose "
        "texts, vectors or engine version changed since, and those still waiting for a "
        "worker)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="Only stale or missing ones")

    def handle(self, *args, **options):
        done = kept = 0
        rows = StoredAlignment.objects.select_related("left", "right").order_by("pk")
        for row in rows.iterator(chunk_size=200):
            pair = comparing.load_pair(row.left.slug, row.right.slug)
            if options["stale"] and row.document and comparing.is_fresh(row, pair):
                kept += 1
                continue
            comparing.align_and_store(pair)
            done += 1
        self.stdout.write(f"Aligned {done} pair{'s' if done != 1 else ''}; {kept} up to date.")
