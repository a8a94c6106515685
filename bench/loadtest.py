"""A bounded load test: gunicorn (4 workers) + PostgreSQL + Redis on 127.0.0.1.

Run with `make loadtest` (it needs DATABASE_URL=postgres://... and REDIS_URL, and takes a
throwaway test database next to the one named). It imports the seed texts and a few
hundred generated statements, stores some alignments, saves and shares a comparison,
starts gunicorn with DEBUG off, then sends a fixed number of requests from concurrent
clients: home, statement list, statement page, compare (stored, and pairs never compared
before, aligned on the request), search and the share page. It prints, per page and in
all, p50/p95/p99 latency and requests per second, and fails on any error.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import io
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

ROOT = Path(__file__).resolve().parent.parent
PORT = 8765


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def prepare(generated: int) -> dict[str, list[str]]:
    """Data to load: seed texts, generated statements, stored pairs, a shared comparison."""
    from importlib import import_module

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from statements.models import Statement
    from statements.services import comparing, corpus, curation

    bench_import = import_module("import")
    call_command("loaddata", str(ROOT / "fixtures" / "sources.json"), verbosity=0)
    call_command("import_statements", str(ROOT / "fixtures" / "statements"), stdout=io.StringIO())
    with bench_import.without_embeddings():
        bench_import.import_all(bench_import.generate(generated, 20, seed=5), jobs=2)
    corpus.count_pending()
    slugs = list(Statement.objects.order_by("pk").values_list("slug", flat=True))
    rng = random.Random(3)
    stored = []
    for _ in range(20):
        left, right = rng.sample(slugs, 2)
        comparing.align_and_store(comparing.load_pair(left, right))
        stored.append(f"/compare/{left}/{right}/")
    fresh = []
    while len(fresh) < 200:
        left, right = rng.sample(slugs, 2)
        fresh.append(f"/compare/{left}/{right}/")
    owner = get_user_model().objects.create_user("loadtest", password="load-test-pass-1")
    pair = comparing.load_pair(slugs[0], slugs[1])
    comparison = curation.save_comparison(
        pair,
        comparing.compare_pair(pair),
        owner=owner,
        title="Load test",
        visibility="public",
    )
    return {
        "home": ["/"],
        "list": ["/statements/", "/statements/?page=3", "/statements/?language=fr"],
        "statement": [f"/statements/{s}/" for s in rng.sample(slugs, min(50, len(slugs)))],
        "compare (stored)": stored,
        "compare (first view)": fresh,
        "search": [f"/search/?q={quote(word)}" for word in ("référendum", "Ukraine", "sécurité")],
        "share page": [comparison.get_absolute_url()],
    }


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return time.perf_counter() - started, status


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--statements", type=int, default=500)
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("The load test runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if not os.environ.get("REDIS_URL"):
        raise SystemExit("The load test shares its cache in Redis: set REDIS_URL=redis://...")

    from _django import setup

    database = setup()
    from django.conf import settings

    pages = prepare(options.statements)
    config = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": (
            f"postgres://{config['USER']}@{config['HOST'] or '127.0.0.1'}:"
            f"{config['PORT'] or 5432}/{config['NAME']}"
        ),
        "DEBUG": "false",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "TASKS_BACKEND": "database",
        "LOG_LEVEL": "ERROR",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "project.wsgi:application",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--timeout",
            "30",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            if fetch(base + "/")[1] == 200:
                break
            time.sleep(0.2)
        rng = random.Random(11)
        plan = []
        names = list(pages)
        for index in range(options.requests):
            name = names[index % len(names)]
            if name == "compare (first view)":
                path = pages[name].pop() if pages[name] else pages["compare (stored)"][0]
            else:
                path = rng.choice(pages[name])
            plan.append((name, base + path))
        started = time.perf_counter()
        with concurrent.futures.ThreadPoolExecutor(options.clients) as pool:
            results = list(pool.map(lambda item: (item[0], *fetch(item[1])), plan))
        elapsed = time.perf_counter() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    errors = [(name, status) for name, _, status in results if status != 200]
    print(f"database: {database}; gunicorn 4 workers, Redis cache; {options.clients} clients")
    print(f"{'page':24} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name in names:
        times = [seconds * 1000 for page, seconds, _ in results if page == name]
        print(
            f"{name:24} {len(times):5d} {statistics.median(times):8.0f} "
            f"{percentile(times, 0.95):8.0f} {percentile(times, 0.99):8.0f}"
        )
    times = [seconds * 1000 for _, seconds, _ in results]
    print(
        f"{'all':24} {len(times):5d} {statistics.median(times):8.0f} "
        f"{percentile(times, 0.95):8.0f} {percentile(times, 0.99):8.0f}"
    )
    print(f"{len(results) / elapsed:.1f} requests/s, {len(errors)} errors")
    if errors:
        print(f"ERRORS: {errors[:20]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
