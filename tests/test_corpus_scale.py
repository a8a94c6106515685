"""Corpus scale: statistics kept (not recomputed), alignments stored, slow work on the worker."""

from __future__ import annotations

import functools
import io
import json
import os
import subprocess
import sys
import threading
import time
from importlib import import_module
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from statements import alignment, embeddings, tasks
from statements.models import (
    CorpusSize,
    Paragraph,
    ParagraphVector,
    Statement,
    StoredAlignment,
    TermStatistic,
)
from statements.services import comparing, corpus, imports

from .conftest import make_source, make_statement, run_queued

pytestmark = pytest.mark.django_db

TEXT = """source: Agence
event: Sommet de Madrid
---
Déclaration du sommet sur la sécurité {n}

Les Alliés condamnent la guerre d'agression de la Russie et les territoires occupés {n}.

Nous renforcerons la posture de dissuasion et de défense de l'Alliance sur le flanc est.

Le soutien à l'Ukraine se poursuivra aussi longtemps qu'il le faudra, ont dit les dirigeants.
"""


def figures() -> tuple[dict, dict]:
    """Every kept figure: term rows and per-language totals."""
    rows = {
        (row.language, row.key): (row.paragraphs, row.occurrences)
        for row in TermStatistic.objects.all()
    }
    sizes = {
        size.language: (size.paragraphs, size.unigrams, size.bigrams)
        for size in CorpusSize.objects.all()
    }
    return rows, sizes


def from_scratch() -> tuple[dict, dict]:
    kept = figures()
    corpus.rebuild()
    scratch = figures()
    assert figures() == scratch  # rebuilding twice changes nothing
    return kept, scratch


def test_kept_statistics_equal_a_count_from_scratch_after_imports_edits_and_deletes():
    for n in range(4):
        imports.import_file(TEXT.format(n=n), f"{n}.txt")
    english = imports.import_file(
        "source: Agency\nlanguage: en\n---\nSummit\n\nAllies condemn Russia's war of "
        "aggression against Ukraine and the occupied territories.",
        "en.txt",
    ).statement
    kept, scratch = from_scratch()
    assert kept == scratch
    body = Paragraph.objects.filter(kind__in=Paragraph.BODY_KINDS)
    assert scratch[1]["fr"][0] == body.filter(statement__language="fr").count() > 4
    assert scratch[1]["en"][0] == 1

    # An edit: counted out as it was, counted in as it is.
    statement = Statement.objects.filter(language="fr").first()
    corpus.uncount([statement])
    paragraph = statement.paragraphs.get(position=2)
    paragraph.text = "Un tout autre texte, sur les référendums fictifs et l'annexion illégale."
    paragraph.save()
    statement.paragraphs.filter(position=3).update(kind=Paragraph.Kind.BOILERPLATE)
    corpus.recount(statement)
    corpus.count_pending()
    kept, scratch = from_scratch()
    assert kept == scratch

    # Deletes.
    corpus.delete([english, Statement.objects.filter(language="fr").last()])
    kept, scratch = from_scratch()
    assert kept == scratch
    assert "en" not in scratch[1] or scratch[1]["en"] == (0, 0, 0)


def test_statistics_counted_under_the_old_stems_are_emptied_and_counted_again():
    """Migration 0012: the engine's stems changed ("nous condamnons" is now counted under
    "condamn"), so what was counted before is emptied and every statement counted again;
    counting out an edited statement afterwards leaves the figures of a count from scratch
    (it would have subtracted from keys never counted in)."""
    from django.apps import apps

    reset = import_module("statements.migrations.0012_recount_corpus_statistics")
    for n in range(2):
        imports.import_file(TEXT.format(n=n) + "\nNous condamnons ces frappes.\n", f"{n}.txt")
    imports.import_file("source: Agency\nlanguage: en\n---\nAllies condemn the strikes.", "en")
    corpus.count_pending()
    english = figures()[0].items()
    english = {key: value for key, value in english if key[0] == "en"}
    TermStatistic.objects.filter(key="condamn").update(paragraphs=1)  # as counted before
    reset.reset_statistics(apps, None)
    # French is emptied and to be counted again; English (whose stems did not change) stays.
    assert not TermStatistic.objects.filter(language="fr").exists()
    assert not CorpusSize.objects.filter(language="fr").exists()
    assert not Statement.objects.filter(language="fr", stats_counted=True).exists()
    assert {key: value for key, value in figures()[0].items() if key[0] == "en"} == english
    out = io.StringIO()
    call_command("rebuild_corpus_stats", "--pending", stdout=out)
    assert "2 statements newly counted." in out.getvalue()
    assert TermStatistic.objects.get(language="fr", key="condamn").paragraphs == 2
    statement = Statement.objects.first()
    corpus.uncount([statement])
    corpus.count_pending()
    kept, scratch = from_scratch()
    assert kept == scratch


def test_the_rebuild_command_reports_what_it_counted():
    imports.import_file(TEXT.format(n=1), "1.txt")
    out = io.StringIO()
    call_command("rebuild_corpus_stats", stdout=out)
    assert out.getvalue().strip() == "1 statement counted from scratch."
    call_command("rebuild_corpus_stats", "--pending", stdout=out)
    assert "0 statements newly counted." in out.getvalue()


def test_the_engine_reads_only_the_rows_of_the_two_statements_terms():
    for n in range(3):
        imports.import_file(TEXT.format(n=n), f"{n}.txt")
    make_statement(paragraphs=["Un texte sans rapport sur la pêche en haute mer et les quotas."])
    corpus.count_pending()
    left, right = Statement.objects.filter(source__name="Agence").order_by("pk")[:2]
    pair = comparing.load_pair(left.slug, right.slug)
    texts = [p.text for p in pair.left_paragraphs + pair.right_paragraphs if p.is_body]
    background = corpus.statistics({"fr": alignment.feature_keys(texts, ["fr"] * len(texts))})
    stored = background.background(alignment.feature_keys(texts, ["fr"] * len(texts)))
    scratch_texts = Paragraph.objects.filter(
        statement__language="fr", kind__in=Paragraph.BODY_KINDS
    ).values_list("text", flat=True)
    full = alignment.Background.from_texts(list(scratch_texts), "fr")
    assert stored.n_docs == full.n_docs
    assert stored.df == {key: full.df[key] for key in stored.df}
    assert "pech" not in stored.df  # the unrelated statement's words are never read


def test_a_compare_page_reads_its_stored_alignment_in_one_query(client, seeded):
    left, right = seeded["000"], seeded["001"]
    url = f"/compare/{left.slug}/{right.slug}.json"
    first = client.get(url).json()
    assert StoredAlignment.objects.filter(left=left, right=right).count() == 1
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).json() == first
    reads = [q["sql"] for q in captured if "statements_storedalignment" in q["sql"]]
    assert len(reads) == 1 and reads[0].startswith("SELECT")
    assert not any("statements_termstatistic" in q["sql"] for q in captured)


def test_editing_a_paragraph_makes_the_stored_alignment_stale_and_it_is_computed_again(
    client, seeded
):
    left, right = seeded["000"], seeded["001"]
    url = f"/compare/{left.slug}/{right.slug}.json"
    before = client.get(url).json()
    row = StoredAlignment.objects.get(left=left, right=right)
    paragraph = next(p for p in left.paragraphs.all() if "faux référendums" in p.text)
    paragraph.text = "Un paragraphe réécrit qui ne parle plus de rien de commun."
    paragraph.save()
    after = client.get(url).json()
    assert before != after
    assert StoredAlignment.objects.get(left=left, right=right).content_key != row.content_key


def test_a_new_engine_version_makes_stored_alignments_stale(client, seeded, monkeypatch):
    left, right = seeded["002"], seeded["004"]
    client.get(f"/compare/{left.slug}/{right.slug}/")
    row = StoredAlignment.objects.get(left=left, right=right)
    monkeypatch.setattr(alignment, "ENGINE_VERSION", "next-version")
    out = io.StringIO()
    call_command("realign", "--stale", stdout=out)
    assert StoredAlignment.objects.get(pk=row.pk).engine == "next-version"
    assert "Aligned" in out.getvalue()
    call_command("realign", "--stale", stdout=out)
    assert out.getvalue().strip().endswith("up to date.")


def long_pair() -> tuple[Statement, Statement]:
    source = make_source()
    words = ["alliance", "sécurité", "soutien", "territoire", "référendum", "frontière"]
    texts = [" ".join(words[(i + j) % 6] for j in range(12)) + f" {i}." for i in range(300)]
    return (
        make_statement(source=source, paragraphs=texts),
        make_statement(source=source, paragraphs=texts[::-1]),
    )


def test_a_large_pair_is_aligned_by_the_worker_while_its_page_says_aligning(
    client, queued_tasks, django_capture_on_commit_callbacks
):
    left, right = long_pair()
    url = f"/compare/{left.slug}/{right.slug}/"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(url).content.decode()
        again = client.get(url, headers={"HX-Request": "true"})
    assert "Aligning…" in page and 'hx-trigger="every 2s"' in page
    assert again.content.decode().strip().startswith('<section id="columns"')
    assert "Aligning…" in again.content.decode()
    # Asked once, however often the page polls.
    assert [r.task.name for r in queued_tasks.results] == ["align_pair"]
    json = client.get(f"/compare/{left.slug}/{right.slug}.json")
    assert json.status_code == 202 and json["Retry-After"] == "2"
    assert json.json()["status"] == "aligning"
    assert run_queued(queued_tasks) == [1]
    done = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "Aligning…" not in done and "hx-trigger" not in done.split(">")[0]
    assert client.get(f"/compare/{left.slug}/{right.slug}.json").status_code == 200


def test_an_import_returns_before_vectors_and_alignments_and_queues_them(queued_tasks):
    outcome = imports.import_file(TEXT.format(n=1), "1.txt")
    assert outcome.status == "imported"
    assert not ParagraphVector.objects.exists()
    assert not outcome.statement.stats_counted


@pytest.mark.django_db(transaction=True)
def test_after_an_import_commits_the_worker_gets_vectors_alignments_and_a_count(queued_tasks):
    first = imports.import_file(TEXT.format(n=1), "1.txt").statement
    second = imports.import_file(TEXT.format(n=2), "2.txt").statement
    names = sorted(r.task.name for r in queued_tasks.results)
    assert names.count("align_statement") == 2 and "count_statistics" in names
    run_queued(queued_tasks)
    assert StoredAlignment.objects.filter(left=first, right=second).exists()
    assert Statement.objects.filter(stats_counted=False).count() == 0
    if ParagraphVector.objects.exists():  # the multilingual extra is installed
        assert ParagraphVector.objects.count() == Paragraph.objects.count()


def test_tasks_about_a_deleted_statement_end_cleanly():
    statement = make_statement()
    other = make_statement()
    pk = statement.pk
    corpus.delete([statement])
    assert tasks.embed_statement.call(pk) == 0
    assert tasks.align_statement.call(pk) == 0
    assert tasks.align_pair.call(pk, other.pk) == 0
    assert not StoredAlignment.objects.exists()


def test_a_failing_task_is_retried_then_given_up(monkeypatch, queued_tasks):
    calls = []

    def broken(left_id, right_id):
        calls.append((left_id, right_id))
        raise RuntimeError("database went away")

    monkeypatch.setattr(tasks, "_align", broken)
    with pytest.raises(RuntimeError):
        tasks.align_pair.call(1, 2)
    for _ in range(tasks.MAX_ATTEMPTS - 1):
        result = queued_tasks.results.pop(0)
        assert result.kwargs["attempt"] > 1 and result.task.run_after is not None
        with pytest.raises(RuntimeError):
            result.task.call(*result.args, **result.kwargs)
    assert len(calls) == tasks.MAX_ATTEMPTS
    assert queued_tasks.results == []  # given up after MAX_ATTEMPTS


@pytest.mark.django_db(transaction=True)
def test_the_real_db_worker_runs_a_queued_task_against_this_database(seeded):
    left, right = seeded["002"], seeded["004"]
    StoredAlignment.objects.all().delete()
    tasks.align_pair.using(backend="database").enqueue(left.pk, right.pk)
    out = io.StringIO()
    call_command("db_worker", "--batch", "--backend", "database", "--no-startup-delay", stdout=out)
    row = StoredAlignment.objects.get(left=left, right=right)
    pair = comparing.load_pair(left.slug, right.slug)
    assert row.document == json.loads(json.dumps(comparing.compute_document(pair)))


@pytest.mark.django_db(transaction=True)
def test_two_workers_storing_the_same_pair_leave_one_row(seeded, tmp_path):
    left, right = seeded["000"], seeded["003"]
    StoredAlignment.objects.all().delete()
    if connection.vendor == "sqlite":
        # The test database lives in this process' memory: two worker processes on a file
        # of their own, as a deployment on SQLite runs them.
        assert store_from_two_processes(tmp_path) == 1
        return
    errors = []
    barrier = threading.Barrier(2)

    def worker():
        try:
            pair = comparing.load_pair(left.slug, right.slug)
            document = comparing.compute_document(pair)
            barrier.wait(timeout=30)
            comparing.store(pair, "key", document)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert StoredAlignment.objects.filter(left=left, right=right).count() == 1


STORE_AT = """
import sys, time
from statements.services import comparing
pair = comparing.load_pair("left", "right")
document = comparing.compute_document(pair)
while time.time() < float(sys.argv[-1]):  # both store at the same moment
    time.sleep(0.001)
comparing.store(pair, "key", document)
"""


def store_from_two_processes(folder) -> int:
    """Two processes store the same pair on one SQLite file at once; the rows left."""
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'two.sqlite3'}",
        "DEBUG": "true",
        "TASKS_BACKEND": "immediate",
    }
    run = functools.partial(
        subprocess.run, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert run([sys.executable, "manage.py", "migrate", "--no-input"]).returncode == 0
    setup = (
        "from tests.conftest import make_statement\n"
        "for slug, words in (('left', 'faux'), ('right', 'fictifs')):\n"
        "    s = make_statement(paragraphs=[f'Les référendums {words} organisés.'] * 3)\n"
        "    s.slug = slug\n"
        "    s.save(update_fields=['slug'])\n"
    )
    assert run([sys.executable, "manage.py", "shell", "--no-imports", "-c", setup]).returncode == 0
    at = str(time.time() + 8)
    command = [sys.executable, "-c", BOOT + STORE_AT, at]
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(2)]
    assert [worker.wait(timeout=300) for worker in workers] == [0, 0]
    count = "from statements.models import StoredAlignment; print(StoredAlignment.objects.count())"
    return int(run([sys.executable, "manage.py", "shell", "--no-imports", "-c", count]).stdout)


BOOT = (
    "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'project.settings'; django.setup()\n"
)
ROOT = Path(__file__).resolve().parent.parent


def test_a_statement_waiting_for_its_vectors_says_so_until_the_worker_is_done(
    client, queued_tasks, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statement = imports.import_file(TEXT.format(n=1), "1.txt").statement
    page = client.get(statement.get_absolute_url()).content.decode()
    extra = not embeddings.unavailable_reason()
    assert ("Cross-language vectors pending" in page) is extra
    run_queued(queued_tasks)
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "Cross-language vectors pending" not in page


def test_embedding_on_a_server_without_the_extra_ends_cleanly(monkeypatch):
    statement = make_statement()
    monkeypatch.setattr(embeddings, "MODULE", "usem3_not_installed_here")
    assert tasks.embed_statement.call(statement.pk) == 0
    assert not ParagraphVector.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_staff_see_each_background_task_with_its_state_and_error(client, django_user_model):
    tasks.align_pair.using(backend="database").enqueue(998, 999)
    admin = django_user_model.objects.create_superuser("root", password="pass-phrase-root-1")
    client.force_login(admin)
    page = client.get("/admin/django_tasks_database/dbtaskresult/")
    assert page.status_code == 200
    assert "align_pair" in page.content.decode() and "Ready" in page.content.decode()
    reader = django_user_model.objects.create_user("reader", password="pass-phrase-reader-1")
    client.force_login(reader)
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 302


@pytest.mark.django_db(transaction=True)  # the count is queued when each import commits
def test_a_burst_of_imports_queues_one_count_and_a_started_count_is_not_waiting(settings):
    from django.tasks import TaskResultStatus, task_backends
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {**settings.TASKS, "default": settings.TASKS["database"]}
    task_backends.__init__()
    try:
        counts = DBTaskResult.objects.filter(task_path=tasks.count_statistics.module_path)
        for n in range(3):
            assert imports.import_file(TEXT.format(n=n), f"{n}.txt").status == "imported"
        assert counts.count() == 1
        assert counts.get().status == TaskResultStatus.READY
        counts.update(status=TaskResultStatus.RUNNING)  # a worker took it: too late for more
        assert imports.import_file(TEXT.format(n=3), "3.txt").status == "imported"
        assert counts.filter(status=TaskResultStatus.READY).count() == 1
        assert imports.import_file(TEXT.format(n=4), "4.txt").status == "imported"
        assert counts.count() == 2
    finally:
        task_backends.__init__()
