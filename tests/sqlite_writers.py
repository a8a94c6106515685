"""Run by tests/test_sqlite_concurrency.py as separate processes against one SQLite file:
`setup`, then several `write <name> <count>` at once (each adds links to a saved comparison
and imports texts, as concurrent readers and admins would), then `count`.

With SQLITE_AS_DJANGO_DEFAULT=1 the database gets Django's default options instead of the
project's (no WAL, deferred transactions, 5 s timeout): how it failed before.
"""

from __future__ import annotations

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
os.environ.setdefault("DEBUG", "true")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main(command: str, *args: str) -> None:
    from django.conf import settings

    if os.environ.get("SQLITE_AS_DJANGO_DEFAULT"):
        settings.DATABASES["default"]["OPTIONS"] = {}
    django.setup()
    from django.contrib.auth import get_user_model

    from statements.models import Comparison, Link, Paragraph, Source, Statement
    from statements.services import curation, imports

    if command == "setup":
        owner = get_user_model().objects.create_user("owner", password=None)
        source = Source.objects.create(name="Source", slug="source")
        sides = []
        for side in ("gauche", "droite"):
            statement = Statement.objects.create(
                source=source, title=side, slug=side, original_text=side, content_hash=side
            )
            Paragraph.objects.bulk_create(
                Paragraph(statement=statement, position=n, text=f"{side} {n}") for n in range(1, 41)
            )
            sides.append(statement)
        Comparison.objects.create(left=sides[0], right=sides[1], owner=owner, title="Deux")
    elif command == "write":
        name, count = args[0], int(args[1])
        comparison = Comparison.objects.get()
        offset = int(name) * count
        for n in range(1, count + 1):
            left = Paragraph.objects.get(statement=comparison.left, position=offset + n)
            right = Paragraph.objects.get(statement=comparison.right, position=offset + n)
            curation.add_manual_link(comparison, left, right, "quotes", comparison.owner)
            text = f"source: Source\n---\nTitre {name}-{n}\n\nTexte du processus {name}, n° {n}."
            outcome = imports.import_file(text.encode(), f"{name}-{n}.txt")
            if outcome.status != "imported":
                raise SystemExit(f"import failed: {outcome.error}")
    elif command == "count":
        print(Link.objects.count(), Statement.objects.count())
    print("ok")


if __name__ == "__main__":
    main(*sys.argv[1:])
