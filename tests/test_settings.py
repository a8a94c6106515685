from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from project.settings import BASE_DIR, database_from_url

ROOT = Path(__file__).resolve().parent.parent


def test_no_database_url_means_sqlite_in_the_project_folder():
    config = database_from_url(None)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == BASE_DIR / "db.sqlite3"


def test_sqlite_url_with_an_absolute_path():
    config = database_from_url("sqlite:////var/data/parallax.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/var/data/parallax.sqlite3"
    # Concurrent writers wait for each other (tests/test_sqlite_concurrency.py).
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_gives_every_connection_part():
    config = database_from_url("postgres://ann:s%40cret@db.example:6543/parallax?sslmode=require")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("ann", "s@cret")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.example", "6543", "parallax")
    assert config["OPTIONS"] == {"sslmode": "require"}


def test_an_unknown_database_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="mysql"):
        database_from_url("mysql://localhost/parallax")


def run_settings(**env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import project.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_secret_key_is_required_when_debug_is_off():
    result = run_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_allowed_hosts_and_debug_come_from_the_environment():
    result = run_settings(DEBUG="0", SECRET_KEY="x" * 50, ALLOWED_HOSTS="a.example, b.example")
    assert result.stdout.strip() == "False ['a.example', 'b.example']"


@pytest.mark.parametrize("value", ["ture", "flase", "enabled", "2"])
def test_a_yes_no_variable_that_says_neither_is_refused(value):
    result = run_settings(DEBUG=value, SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert f"DEBUG={value!r} is neither true nor false" in result.stderr


@pytest.mark.parametrize(("value", "debug"), [("TRUE", "True"), ("off", "False"), ("1", "True")])
def test_yes_no_variables_take_the_usual_spellings(value, debug):
    result = run_settings(DEBUG=value, SECRET_KEY="x" * 50, ALLOWED_HOSTS="a.example")
    assert result.stdout.split()[0] == debug


@pytest.mark.parametrize(
    ("value", "backend"),
    [
        ("database", "django_tasks_db.DatabaseBackend"),
        ("immediate", "django.tasks.backends.immediate.ImmediateBackend"),
        ("some.module.RedisBackend", "some.module.RedisBackend"),
    ],
)
def test_the_task_backend_is_chosen_by_an_environment_variable(value, backend):
    script = "import project.settings as s; print(s.TASKS['default']['BACKEND'])"
    environment = {**os.environ, "DEBUG": "true", "TASKS_BACKEND": value}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip() == backend


def test_a_number_variable_that_is_not_a_number_is_refused():
    result = run_settings(DEBUG="true", PARALLAX_IMPORT_MAX_FILES="twenty")
    assert result.returncode != 0
    assert "PARALLAX_IMPORT_MAX_FILES='twenty' is not a whole number" in result.stderr


def test_compose_file_runs_postgres_with_a_healthcheck_and_the_web_app_on_8000():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    db, web = compose["services"]["db"], compose["services"]["web"]
    assert db["image"].startswith("postgres")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    volume = db["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert web["environment"]["DATABASE_URL"].startswith("postgres://")
    assert "@db:5432/" in web["environment"]["DATABASE_URL"]
    assert "SECRET_KEY" in web["environment"]
    assert "8000:8000" in web["ports"]


def test_compose_file_runs_workers_that_scale_and_redis_as_the_shared_cache():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    worker, web = services["worker"], services["web"]
    assert "db_worker" in " ".join(worker["command"])
    assert "requeue_stuck_tasks" in " ".join(worker["command"])
    assert worker["build"] == web["build"] == "."  # the same image
    assert "ports" not in worker and "container_name" not in worker  # --scale worker=4 works
    assert services["redis"]["image"].startswith("redis")
    for service in (web, worker):
        assert service["environment"]["REDIS_URL"].startswith("redis://redis:6379")
        assert service["environment"]["TASKS_BACKEND"] == "database"
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # Migrations, then the statements not counted yet (all of them after a migration that
    # resets the statistics), before web and workers start.
    migrate = " ".join(services["migrate"]["command"])
    assert migrate.index("migrate --no-input") < migrate.index("rebuild_corpus_stats --pending")
    assert "/healthz" in " ".join(web["healthcheck"]["test"])


def test_dockerfile_migrates_collects_static_and_serves_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    command = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert "gunicorn project.wsgi" in command
    assert "migrate" in command and "collectstatic" in command
    assert "EXPOSE 8000" in dockerfile
