"""/healthz, for docker-compose and load balancers: is this process able to serve?"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from statements import tasks


def database_reachable() -> str:
    """ "" when a query goes through; what went wrong otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return f"database unreachable: {error.__class__.__name__}"
    return ""


_migrated = False


def migrations_applied() -> str:
    """ "" when every migration this code ships is applied (remembered once true: a running
    process's migrations do not change); which are missing otherwise."""
    global _migrated
    if _migrated:
        return ""
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        return f"migrations unknown: {error.__class__.__name__}"
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:5])
        return f"{len(plan)} migration(s) not applied: {names}"
    _migrated = True
    return ""


# Each check returns "" when healthy, else what is wrong.
CHECKS: dict[str, Callable[[], str]] = {
    "database": database_reachable,
    "migrations": migrations_applied,
    "task worker": tasks.worker_backlog,
}


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok", "checks": {...}} when every check passes, 503 otherwise. A check
    after a failed database check is not run (it would only fail the same way)."""
    checks = {}
    for name, check in CHECKS.items():
        if checks and not all(result["ok"] for result in checks.values()):
            checks[name] = {"ok": False, "detail": "not checked: an earlier check failed"}
            continue
        problem = check()
        checks[name] = {"ok": not problem, "detail": problem or "ok"}
    healthy = all(result["ok"] for result in checks.values())
    body = {"status": "ok" if healthy else "failing", "checks": checks}
    return JsonResponse(body, status=200 if healthy else 503)
