"""python manage.py index_echoes [--all] : fingerprint statements for "where a sentence went"."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from statements.models import Statement
from statements.services import echoes


class Command(BaseCommand):
    help = (
        "Index the paragraphs of statements not indexed yet (imported before the echoes "
        "index existed, or edited since) for 'where a sentence went'; --all indexes every one."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Index every statement again")

    def handle(self, *args, **options):
        statements = Statement.objects.only("pk", "language").order_by("pk")
        if not options["all"]:
            statements = statements.filter(echoes_indexed=False)
        count = keys = 0
        for statement in statements.iterator(chunk_size=500):
            keys += echoes.index_statement(statement)
            count += 1
        self.stdout.write(f"Indexed {count} statement(s): {keys} fingerprint(s).")
