"""Background work on Django's task framework: what an import leaves to the worker.

- `embed_statement`: the multilingual vectors of a statement's paragraphs;
- `align_statement` / `align_pair`: stored alignments of a statement with the other
  statements of its events, or of one pair a reader asked for;
- `count_statistics`: statements counted into the corpus statistics;
- `refresh_vocabulary`: a source's distinctive words against every other source;
- `index_echoes`: a statement's paragraphs fingerprinted for "where a sentence went".

Every task is idempotent (running it twice gives the same rows), ends cleanly when what it
works on was deleted meanwhile, and is retried on failure (MAX_ATTEMPTS in all, later each
time). Tasks are enqueued when the transaction that asks for them commits
(`enqueue_on_commit`). The backend is settings.TASKS (TASKS_BACKEND): django-tasks-db's
`db_worker` runs them in production; the test suite runs them at once.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.backends.immediate import ImmediateBackend
from django.utils import timezone
from django_tasks_db import DatabaseBackend

from statements import embeddings
from statements.models import Paragraph, Source, Statement, StoredAlignment
from statements.services import comparing, corpus, echoes, vectors, vocabulary

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_DELAY = datetime.timedelta(seconds=30)
COUNT_DELAY = datetime.timedelta(seconds=5)


def enqueue_on_commit(work, *args) -> None:
    """Enqueue `work(*args)` so that a worker finds what it is about: once the current
    transaction commits (at once outside one). The database backend writes the task's row
    in the current transaction instead: it commits, or rolls back, with what it is about
    (one commit for both, and no task lost between the two). A backend that runs tasks in
    this very process (the immediate one of the test suite) runs it now: it sees this
    transaction's rows."""
    if isinstance(work.get_backend(), ImmediateBackend | DatabaseBackend):
        work.enqueue(*args)
    else:
        transaction.on_commit(lambda: work.enqueue(*args))


def _retry(work, args: tuple, attempt: int, error: Exception) -> None:
    """Enqueue `work` again (later, where the backend can defer), unless it has had its
    MAX_ATTEMPTS; the failed attempt stays recorded with its error."""
    if attempt >= MAX_ATTEMPTS:
        logger.error("%s%r failed %d times: %s", work.name, args, attempt, error)
        return
    again = work
    if work.get_backend().supports_defer:
        again = work.using(run_after=timezone.now() + RETRY_DELAY * attempt)
    again.enqueue(*args, attempt=attempt + 1)


@task()
def embed_statement(statement_id: int, attempt: int = 1) -> int:
    """Store the vectors of the statement's paragraphs that have none (or a stale one),
    then align it again with its events' statements; how many were embedded."""
    paragraphs = Paragraph.objects.filter(statement_id=statement_id).only(
        "pk", "text", "statement_id"
    )
    try:
        done = 0
        for batch in vectors.batches(vectors.paragraphs_to_embed(paragraphs)):
            done += vectors.embed_and_store(batch)
    except embeddings.Unavailable:
        return 0
    except Exception as error:
        _retry(embed_statement, (statement_id,), attempt, error)
        raise
    if done:
        enqueue_on_commit(align_statement, statement_id)
    return done


@task()
def align_statement(statement_id: int, attempt: int = 1) -> int:
    """Store the alignment of the statement with every other statement of its events, the
    earlier one on the left (coverage reads them that way); how many pairs."""
    statement = Statement.objects.filter(pk=statement_id).first()
    if statement is None:
        return 0
    others = (
        Statement.objects.filter(events__in=statement.events.all())
        .exclude(pk=statement.pk)
        .distinct()
        .values_list("pk", "published_on")
    )
    done = 0
    try:
        for other_id, published_on in others:
            earlier_first = (published_on or datetime.date.max, other_id) < (
                statement.published_on or datetime.date.max,
                statement.pk,
            )
            left, right = (other_id, statement.pk) if earlier_first else (statement.pk, other_id)
            done += _align(left, right)
    except Exception as error:
        _retry(align_statement, (statement_id,), attempt, error)
        raise
    return done


@task()
def align_pair(left_id: int, right_id: int, attempt: int = 1) -> int:
    """Store the alignment of one pair (a reader asked for it, too large for a request)."""
    try:
        return _align(left_id, right_id)
    except Exception as error:
        _retry(align_pair, (left_id, right_id), attempt, error)
        raise


def _align(left_id: int, right_id: int) -> int:
    statements = dict(
        Statement.objects.filter(pk__in=[left_id, right_id]).values_list("pk", "slug")
    )
    if len(statements) < 2:  # deleted meanwhile: nothing to align
        return 0
    pair = comparing.load_pair(statements[left_id], statements[right_id])
    row = StoredAlignment.objects.filter(left_id=left_id, right_id=right_id).first()
    if row is not None and comparing.is_fresh(row, pair):
        return 0
    comparing.align_and_store(pair)
    return 1


@task()
def count_statistics(attempt: int = 1) -> int:
    """Count the statements not counted yet into the corpus statistics; how many."""
    try:
        return count_pending_statistics()
    except Exception as error:
        _retry(count_statistics, (), attempt, error)
        raise


def count_pending_statistics() -> int:
    """Count the statements not counted yet into the corpus statistics; how many. Their
    sources' vocabularies are then stale: computed again by `refresh_vocabulary`. The
    worker's task, and `manage.py rebuild_corpus_stats --pending`."""
    sources: set[int] = set()
    counted = corpus.count_pending(sources=sources)
    for source_id in vocabulary.mark_stale(sources):
        enqueue_on_commit(refresh_vocabulary, source_id)
    return counted


@task()
def refresh_vocabulary(source_id: int, attempt: int = 1) -> int:
    """Compute and store a source's distinctive vocabulary; how many terms it lists."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return 0
    try:
        found = vocabulary.compute(source).document
    except Exception as error:
        _retry(refresh_vocabulary, (source_id,), attempt, error)
        raise
    return len(found["left"]) + len(found["right"])


@task()
def index_echoes(statement_id: int, attempt: int = 1) -> int:
    """Fingerprint the statement's paragraphs into the echoes index; how many keys."""
    statement = Statement.objects.filter(pk=statement_id).first()
    if statement is None:
        return 0
    try:
        return echoes.index_statement(statement)
    except Exception as error:
        _retry(index_echoes, (statement_id,), attempt, error)
        raise


def after_import(statement: Statement, *, has_events: bool) -> None:
    """What the worker does for a newly stored statement: its vectors (when the extra is
    installed), its alignments with its events' statements, its fingerprints for echoes,
    and a count of the corpus statistics (one for a burst of imports: see
    `schedule_count`)."""
    enqueue_on_commit(index_echoes, statement.pk)
    if not embeddings.unavailable_reason():
        enqueue_on_commit(embed_statement, statement.pk)
    if has_events:
        enqueue_on_commit(align_statement, statement.pk)
    schedule_count()


def schedule_count() -> None:
    """Count the corpus statistics soon. On the database backend a count waits COUNT_DELAY
    (a burst of imports is counted at once) and is not queued again while one is waiting:
    a count takes in every statement pending when it runs."""
    backend = count_statistics.get_backend()
    if not isinstance(backend, DatabaseBackend):
        enqueue_on_commit(count_statistics)
        return
    from django_tasks_db.models import DBTaskResult, get_date_max

    # A waiting count is a ready row deferred at the count's priority: the index of ready
    # tasks (status, priority, run_after) holds the few deferred ones apart. Matched by task
    # path alone, every import read every ready task, and a bulk import leaves thousands
    # queued (echoes, alignments, vectors): 1.4 ms per import at 10,000 statements.
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY,
        priority=count_statistics.priority,
        run_after__lt=get_date_max(),
        task_path=count_statistics.module_path,
    )
    if not waiting.exists():
        later = count_statistics.using(run_after=timezone.now() + COUNT_DELAY)
        transaction.on_commit(later.enqueue)


def requeue_stuck(older_than: datetime.timedelta) -> int:
    """Tasks a worker started longer ago than `older_than` and never finished (it was
    killed) are made ready again, to be retried by a live worker; how many."""
    from django_tasks_db.models import DBTaskResult

    stuck = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=timezone.now() - older_than
    )
    return stuck.update(status=TaskResultStatus.READY, started_at=None)


# A ready task waiting longer than this means no worker is taking tasks.
WORKER_STALLED = datetime.timedelta(minutes=5)


def worker_backlog() -> str:
    """ "" while a worker takes the queued tasks (or none is needed: a backend that runs
    tasks in the process); what is wrong otherwise. /healthz reports it."""
    if not isinstance(count_statistics.get_backend(), DatabaseBackend):
        return ""
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    oldest = DBTaskResult.objects.ready().order_by("run_after", "enqueued_at").first()
    if oldest is None:
        return ""
    # A task not deferred has a run_after far in the future: it has waited since enqueued.
    waiting_since = oldest.enqueued_at
    if oldest.run_after <= now:
        waiting_since = max(waiting_since, oldest.run_after)
    if now - waiting_since > WORKER_STALLED:
        minutes = (now - waiting_since).total_seconds() // 60
        return f"a task has waited {minutes:.0f} minutes: no worker is taking tasks"
    return ""
