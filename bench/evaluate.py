"""Benchmark: the alignment engine against the labelled development set.

Run from the repository root: `.venv/bin/python bench/evaluate.py [PATH]`. Prints what
`manage.py evaluate_alignment` prints (precision, recall, F1 per pair and overall, relation
accuracy), with the shipped framing lexicon (fixtures/framing_lexicon.json), then the
overall figures cross-validated (`--cross-validate`: each group of pairs sharing texts
aligned with the confidence model fitted on the others; shown, not judged). Exits 1 when
a target is missed: precision >= 0.9, recall >= 0.9, relation accuracy >= 0.8.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from statements import embeddings  # noqa: E402
from statements.alignment import evaluation, lexicon  # noqa: E402

TARGETS = {"precision": 0.9, "recall": 0.9, "relation accuracy": 0.8}


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "data" / "alignment"
    terms = lexicon.terms_of(
        json.loads((ROOT / "fixtures" / "framing_lexicon.json").read_text(encoding="utf-8"))
    )
    embed = None if embeddings.unavailable_reason() else embeddings.embed
    report = evaluation.evaluate(path, embed=embed, lexicon=terms)
    print(evaluation.format_report(report))
    total = report.total()
    figures = {
        "precision": total.precision,
        "recall": total.recall,
        "relation accuracy": total.relation_accuracy,
    }
    try:
        held_out, groups = evaluation.cross_validate(path, embed=embed, lexicon=terms)
    except ValueError as exc:
        print(f"not cross-validated: {exc}")
    else:
        print(
            f"cross-validated over {groups} groups of pairs sharing texts: "
            + evaluation.format_report(held_out).splitlines()[-1].removeprefix("overall: ")
        )
    for name, target in TARGETS.items():
        print(f"{'met' if figures[name] >= target else 'MISSED'}: {name} >= {target}")
    return 0 if all(figures[name] >= target for name, target in TARGETS.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
