"""The architecture holds: pure modules stay pure, and no module grows past one sitting."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = [
    "statements.text",
    "statements.terms",
    "statements.importing",
    "statements.alignment",
    "statements.framing",
    "statements.reading",
    "statements.charts",
    "statements.embeddings",
    "statements.markup",
    "statements.paging",
]


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_no_django(module):
    script = f"import sys, {module}; print(sorted(m for m in sys.modules if m == 'django'))"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# Larger than the rest: the data model, which Django wants in one module.
LARGER = {"statements/models.py": 820}


def test_no_module_but_the_models_runs_much_past_five_hundred_lines():
    sizes = {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "statements").rglob("*.py")
        if "migrations" not in path.parts
    }
    assert {path: size for path, size in sizes.items() if size > LARGER.get(path, 560)} == {}
