"""SQLite, the embedded default, holds a few concurrent writers (finding 8 of issue 11): 4 of
16 concurrent link adds and 1 of 6 import confirms answered 500 "database is locked". Real
processes write to one database file at once, as gunicorn's workers do."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
WRITERS = 4
EACH = 4


def run(database: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "sqlite_writers.py"), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen) -> str:
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-2000:]
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX paths")
def test_concurrent_link_adds_and_imports_all_land(tmp_path):
    database = tmp_path / "parallax.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    finish(run(database, "setup"))
    writers = [run(database, "write", str(n), str(EACH)) for n in range(WRITERS)]
    for writer in writers:
        assert finish(writer).strip().endswith("ok")
    links, statements = finish(run(database, "count")).split()[:2]
    assert (int(links), int(statements)) == (WRITERS * EACH, 2 + WRITERS * EACH)
    with database.open("rb") as file:
        header = file.read(20)
    assert header[18:20] == b"\x02\x02"  # write and read versions 2: WAL
