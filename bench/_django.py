"""Set up Django for a benchmark: a throwaway SQLite file, or DATABASE_URL when it is set."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> str:
    """Configure and migrate a database for the benchmark; returns its description."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    if not os.environ.get("DATABASE_URL"):
        folder = tempfile.mkdtemp(prefix="parallax-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings

    # No collectstatic manifest here: plain static file names are enough to render pages.
    override_settings(
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
    ).enable()
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        from django.test.utils import get_runner

        runner = get_runner(settings)(verbosity=0, interactive=False)
        runner.setup_databases()
    else:
        call_command("migrate", verbosity=0)
    return f"{database['ENGINE'].rsplit('.', 1)[-1]} {database['NAME']}"
