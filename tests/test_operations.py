"""What a production deployment needs around the pages (issue 11): bad parameters refused
before they reach the database, security headers and `check --deploy`, /healthz, one log
line per request, and `import_statements --source` as its help says."""

from __future__ import annotations

import datetime
import io
import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from statements import tasks
from statements.models import Statement
from statements.services import imports
from statements.views import health

from .conftest import make_statement
from .notes_helpers import client_for, make_user

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


# --- NUL bytes (finding 7) -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/annotations.jsonld?statement=%00",
        "/annotations.jsonld?comparison=%00",
        "/annotations.jsonld?statement=a%00b",
        "/statements/?source=%00",
        "/statements/?q%00=1",
        "/search/?q=%00",
        "/compare/?left=%00&right=x",
        "/annotations/1/?comparison=%00",
        "/admin/statements/statement/?q=%00",
        "/statements/s/?page=%00",
    ],
)
def test_a_nul_byte_in_a_parameter_is_a_400_that_says_so(client, url):
    """PostgreSQL answered /annotations.jsonld?statement=%00 with a 500 (DataError)."""
    response = client.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "holds a NUL character" in body
    if ".jsonld" in url:
        assert json.loads(body) == {"error": "A parameter of this request holds a NUL character."}


def test_a_nul_byte_in_a_form_is_refused_and_changes_nothing(client):
    reader = make_user("reader")
    statement = make_statement(paragraphs=1)
    paragraph = statement.paragraphs.get()
    response = client_for(reader).post(
        "/annotations/new/", {"paragraph": paragraph.pk, "body": "Note\x00", "visibility": "public"}
    )
    assert response.status_code == 400 and "NUL character" in response.content.decode()
    assert not paragraph.annotations.exists()


def test_a_nul_byte_in_the_session_cookie_is_only_a_signed_out_visit(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    response = client.get("/statements/")
    assert response.status_code == 200 and "Sign in" in response.content.decode()


# --- Headers and check --deploy ----------------------------------------------------------------


def test_every_answer_refuses_unused_browser_features(client):
    for url in ("/", "/statements/", "/no-such-page/", "/healthz"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def deploy_check(**environment) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "false",
        "SECRET_KEY": "k7#Qm2!vX9@pL4$wR8^zT1&nB6*cJ3(hF5)dG0-sY2+eU7=aK4_iO9" * 2,
        "ALLOWED_HOSTS": "parallax.example",
        "CSRF_TRUSTED_ORIGINS": "https://parallax.example",
        **environment,
    }
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_behind_a_tls_proxy_as_the_readme_deploys():
    result = deploy_check(BEHIND_TLS_PROXY="true")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    plain = deploy_check()  # no proxy said: HTTPS is not assumed, and the check says so
    assert plain.returncode != 0 and "W004" in plain.stderr + plain.stdout


def test_behind_a_tls_proxy_plain_http_is_redirected_but_not_the_health_check(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/statements/").status_code == 301
    assert client.get("/healthz").status_code == 200
    secure = client.get("/statements/", headers={"X-Forwarded-Proto": "https"}, secure=True)
    assert secure.status_code == 200


# --- /healthz ----------------------------------------------------------------------------------


def test_healthz_says_the_database_and_migrations_are_fine(client, django_assert_max_num_queries):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert response.json() == {
        "status": "ok",
        "checks": {
            "database": {"ok": True, "detail": "ok"},
            "migrations": {"ok": True, "detail": "ok"},
            "task worker": {"ok": True, "detail": "ok"},
        },
    }


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_when_queued_tasks_wait_with_no_worker_to_take_them(
    client, settings, monkeypatch
):
    from django.tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {**settings.TASKS, "default": settings.TASKS["database"]}
    task_backends.__init__()
    try:
        tasks.count_statistics.enqueue()
        assert client.get("/healthz").status_code == 200  # just queued: a worker may come
        DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=6))
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["checks"]["task worker"] == {
            "ok": False,
            "detail": "a task has waited 6 minutes: no worker is taking tasks",
        }
        DBTaskResult.objects.update(status="SUCCESSFUL")  # a worker took it
        assert client.get("/healthz").status_code == 200
    finally:
        task_backends.__init__()


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable():
        raise DatabaseError("connection refused")

    class Cursor:
        def __enter__(self):
            unreachable()

        def __exit__(self, *args):
            return False

    monkeypatch.setattr(health.connection, "cursor", lambda: Cursor())
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {
        "ok": False,
        "detail": "database unreachable: DatabaseError",
    }
    assert body["checks"]["migrations"]["ok"] is False


def test_healthz_is_503_while_migrations_are_missing(client, monkeypatch):
    monkeypatch.setattr(health, "_migrated", False)

    class Executor:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": list})()})()

        def migration_plan(self, targets):
            migration = type("M", (), {"app_label": "statements", "name": "0099_next"})()
            return [(migration, False)]

    monkeypatch.setattr(health, "MigrationExecutor", Executor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {
        "ok": False,
        "detail": "1 migration(s) not applied: statements.0099_next",
    }


def test_one_more_health_check_is_one_more_entry(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "worker", lambda: "no heartbeat for 5 minutes")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False,
        "detail": "no heartbeat for 5 minutes",
    }


# --- Request log -------------------------------------------------------------------------------


@pytest.fixture
def request_lines():
    """The request log's lines, as the JSON formatter writes them."""
    from statements.middleware import JsonLines

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    logger = logging.getLogger("parallax.requests")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)
    logger.setLevel(level)


def test_each_request_is_one_json_line_with_method_path_status_duration_and_user(
    client, request_lines
):
    reader = make_user("reader")
    client.get("/statements/?q=x")
    client_for(reader).get("/no-such-page/")
    first, second = request_lines()
    assert {k: first[k] for k in ("level", "method", "path", "status", "user")} == {
        "level": "INFO",
        "method": "GET",
        "path": "/statements/",
        "status": 200,
        "user": "anonymous",
    }
    assert first["duration_ms"] > 0 and first["db_queries"] >= 1 and first["db_ms"] >= 0
    assert (second["path"], second["status"], second["user"]) == ("/no-such-page/", 404, reader.pk)


def test_a_slow_request_is_a_warning_with_its_timings(client, request_lines, settings):
    settings.PARALLAX_SLOW_REQUEST_MS = 0
    client.get("/statements/")
    [line] = request_lines()
    assert line["level"] == "WARNING" and line["slow"] is True
    assert line["message"].startswith("GET /statements/ 200 ")
    assert {"duration_ms", "db_queries", "db_ms"} <= set(line)


def test_the_request_log_goes_to_stdout_as_json():
    from django.conf import settings

    handler = settings.LOGGING["handlers"]["requests"]
    assert handler["stream"] == "ext://sys.stdout" and handler["formatter"] == "json"
    assert settings.LOGGING["loggers"]["parallax.requests"]["handlers"] == ["requests"]


# --- import_statements --source (finding 9) -----------------------------------------------------


def test_source_applies_only_to_texts_whose_header_names_none(tmp_path):
    (tmp_path / "named.txt").write_text("source: NATO\n---\nTitre\n\nTexte de l'OTAN.\n")
    (tmp_path / "unnamed.txt").write_text("Autre titre\n\nTexte sans en-tête.\n")
    call_command("import_statements", str(tmp_path), "--source", "Blog", stdout=io.StringIO())
    sources = dict(Statement.objects.values_list("source_filename", "source__name"))
    assert sources == {
        str(tmp_path / "named.txt"): "NATO",
        str(tmp_path / "unnamed.txt"): "Blog",
    }


@pytest.mark.django_db(transaction=True)
def test_an_import_queues_its_tasks_in_its_own_transaction(settings, tmp_path):
    # On the database backend a task's row commits with the statement it is about: an
    # import that fails queues nothing, one that succeeds has its tasks there for a worker.
    from django.db import transaction
    from django.tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {**settings.TASKS, "default": settings.TASKS["database"]}
    task_backends.__init__()
    try:
        text = "source: Agence\n---\nTitre de la dépêche\n\nL'OTAN a réagi aux référendums.\n"
        path = tmp_path / "depeche.txt"
        path.write_text(text, encoding="utf-8")
        with pytest.raises(RuntimeError), transaction.atomic():
            assert imports.import_path(path).status == "imported"
            assert DBTaskResult.objects.exists()  # written in the import's transaction
            raise RuntimeError("the batch fails after this file")
        assert not Statement.objects.exists()
        assert not DBTaskResult.objects.exists()

        assert imports.import_path(path).status == "imported"
        statement = Statement.objects.get()
        queued = set(DBTaskResult.objects.values_list("task_path", flat=True))
        assert "statements.tasks.embed_statement" in queued
        assert [statement.pk] in [
            result.args_kwargs["args"][:1] for result in DBTaskResult.objects.all()
        ]
    finally:
        task_backends.__init__()
