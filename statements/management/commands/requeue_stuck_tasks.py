"""python manage.py requeue_stuck_tasks : retry tasks whose worker died with them."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from statements import tasks


class Command(BaseCommand):
    help = (
        "Make tasks that a worker started and never finished (it was killed or lost its "
        "machine) ready again, so a live worker retries them. Tasks are idempotent: a retry "
        "stores the same result. Run it when a worker is restarted (docker-compose does)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=float,
            default=15,
            help="Minutes a task has been running before it counts as stuck (default 15)",
        )

    def handle(self, *args, **options):
        if options["older_than"] < 0:
            raise CommandError("--older-than must be zero or more minutes")
        count = tasks.requeue_stuck(datetime.timedelta(minutes=options["older_than"]))
        self.stdout.write(f"Requeued {count} stuck task{'s' if count != 1 else ''}.")
