"""python manage.py reindex_search : rebuild the full-text index of every paragraph."""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from statements import search


class Command(BaseCommand):
    help = "Rebuild the full-text search index of every paragraph (PostgreSQL or SQLite)."

    def handle(self, *args, **options):
        with transaction.atomic():
            count = search.reindex()
        self.stdout.write(
            f"Indexed {count} paragraph{'s' if count != 1 else ''} ({connection.vendor})."
        )
