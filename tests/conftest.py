from __future__ import annotations

import datetime
import io
import itertools
from pathlib import Path

import pytest
from django.core.management import call_command

from statements.models import Event, Paragraph, Source, Statement

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = Path(__file__).resolve().parent / "data" / "seeds"

_counter = itertools.count(1)


def make_source(name: str = "", kind: str = Source.Kind.PRESS) -> Source:
    number = next(_counter)
    name = name or f"Source {number}"
    return Source.objects.create(name=name, slug=f"source-{number}", kind=kind)


def make_statement(
    *,
    source: Source | None = None,
    title: str = "",
    paragraphs: list[str] | int = 3,
    published_on: datetime.date | None = datetime.date(2022, 9, 30),
    language: str = "fr",
    events: tuple[Event, ...] = (),
    **fields,
) -> Statement:
    """A statement stored directly (no importer), with numbered body paragraphs."""
    number = next(_counter)
    if isinstance(paragraphs, int):
        paragraphs = [
            f"Paragraphe {i} de la déclaration {number} sur la sécurité euro-atlantique."
            for i in range(1, paragraphs + 1)
        ]
    statement = Statement.objects.create(
        source=source or make_source(),
        title=title or f"Déclaration {number}",
        slug=f"statement-{number}",
        published_on=published_on,
        language=language,
        original_text="\n\n".join(paragraphs),
        content_hash=f"{number:064d}",
        **fields,
    )
    Paragraph.objects.bulk_create(
        Paragraph(statement=statement, position=i, text=text)
        for i, text in enumerate(paragraphs, start=1)
    )
    statement.events.set(events)
    return statement


@pytest.fixture
def seeded(db) -> dict[str, Statement]:
    """The five seed texts, imported from fixtures/ as `make run` does; keyed by file prefix."""
    call_command("loaddata", str(FIXTURES / "sources.json"), verbosity=0)
    call_command("import_statements", str(FIXTURES / "statements"), stdout=io.StringIO())
    by_prefix = {}
    for statement in Statement.objects.all():
        by_prefix[Path(statement.source_filename).name[:3]] = statement
    return by_prefix


@pytest.fixture(autouse=True)
def plain_static_files(settings):
    """Templates use {% static %}; tests have no collectstatic manifest to look names up in."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def queued_tasks(settings):
    """Background tasks are queued and not run (Django's dummy backend), as a web process
    leaves them for the worker: the backend's `results` list what was queued, and
    `run_queued(backend)` plays the worker."""
    from django.tasks import task_backends

    settings.TASKS = {
        **settings.TASKS,
        "default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
    }
    task_backends.__init__()  # forget the backends made from the old setting
    yield task_backends["default"]
    task_backends.__init__()


def run_queued(backend) -> list:
    """Run what `backend` (the `queued_tasks` fixture) has queued, oldest first, until
    nothing is left (tasks may queue more); what each returned."""
    returned = []
    while backend.results:
        result = backend.results.pop(0)
        returned.append(result.task.call(*result.args, **result.kwargs))
    return returned
