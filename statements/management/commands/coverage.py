"""python manage.py coverage EVENT [--pivot SLUG] --format csv|json : an event's coverage."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from statements.services import coverage


class Command(BaseCommand):
    help = (
        "What every statement of an event did with each paragraph of one of them (the "
        "pivot), from the stored alignments: one row per paragraph and statement. Pairs not "
        "aligned yet are queued for the worker and say 'pending'."
    )

    def add_arguments(self, parser):
        parser.add_argument("event", help="Slug of the event")
        parser.add_argument("--pivot", help="Slug of the statement read against the others")
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, **options):
        try:
            found = coverage.event_coverage(options["event"], options["pivot"])
        except coverage.NoStatements as empty:
            raise CommandError(str(empty)) from empty
        except Http404 as missing:
            raise CommandError(
                f"No event {options['event']!r}, or {options['pivot']!r} is not one of its "
                "statements: give the slugs shown in the URLs"
            ) from missing
        if options["format"] == "json":
            self.stdout.write(json.dumps(coverage.as_json(found), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(coverage.as_csv(found), ending="")
