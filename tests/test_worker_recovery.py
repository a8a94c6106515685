"""A worker killed in the middle of a task loses nothing: the task is retried, same result.

Real processes against a database file of their own: `manage.py db_worker` is started,
killed (SIGKILL: no clean-up) while it aligns a long pair, the stuck task is made ready
again, and a second worker finishes it.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
from statements.models import Source, Statement, Paragraph
from statements.tasks import align_pair
words = ["alliance", "sécurité", "soutien", "territoire", "référendum", "frontière", "Ukraine"]
texts = [" ".join(words[(i * 7 + j) % 7] for j in range(40)) + f" {i}." for i in range(2000)]
source = Source.objects.create(name="S", slug="s")
pks = []
for n, paragraphs in enumerate((texts, texts[::-1])):
    statement = Statement.objects.create(
        source=source, title=f"T{n}", slug=f"t{n}", original_text="x", content_hash=str(n)
    )
    Paragraph.objects.bulk_create(
        Paragraph(statement=statement, position=i, text=t) for i, t in enumerate(paragraphs, 1)
    )
    pks.append(statement.pk)
align_pair.enqueue(*pks)
"""


def statuses(database: Path) -> str:
    """The tasks' states, read straight from the database file: quick enough to poll."""
    from django_tasks_db.models import DBTaskResult

    with sqlite3.connect(database) as connection:
        table = DBTaskResult._meta.db_table
        rows = connection.execute(f"SELECT status FROM {table}").fetchall()
    return ",".join(sorted(status for (status,) in rows))


ERRORS = """
from django_tasks_db.models import DBTaskResult
print([task.traceback[-1500:] for task in DBTaskResult.objects.all()])
"""

CHECK = """
import json
from statements.models import StoredAlignment
from statements.services import comparing
(row,) = StoredAlignment.objects.all()
pair = comparing.load_pair("t0", "t1")
fresh = json.loads(json.dumps(comparing.compute_document(pair)))
print("same" if row.document == fresh else "different", len(row.document["alignment"]["links"]))
"""


def manage(env, *args, timeout=300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.mark.slow
def test_a_worker_killed_mid_task_loses_nothing(tmp_path):
    database = tmp_path / "worker.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DEBUG": "true",
        "TASKS_BACKEND": "database",
    }
    manage(env, "migrate", "--no-input")
    manage(env, "shell", "--no-imports", "-c", SETUP)
    worker = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--interval",
            "0.1",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 300
        while (state := statuses(database)) != "RUNNING":
            assert state == "READY", f"the task ended before the worker could be killed: {state}"
            assert time.monotonic() < deadline, "the worker never started the task"
            time.sleep(0.05)
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    assert statuses(database) == "RUNNING"  # stuck: its worker is gone
    assert "Requeued 1 stuck task" in manage(env, "requeue_stuck_tasks", "--older-than", "0")
    manage(env, "db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert statuses(database) == "SUCCESSFUL", manage(env, "shell", "--no-imports", "-c", ERRORS)
    same, links = manage(env, "shell", "--no-imports", "-c", CHECK).split()
    assert same == "same" and int(links) > 0
