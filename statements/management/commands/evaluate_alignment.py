"""python manage.py evaluate_alignment [PATH] : the engine against a labelled development set."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from statements import alignment, embeddings
from statements.alignment import evaluation
from statements.alignment.candidates import FEATURES
from statements.services import lexicon

DEFAULT_PATH = Path(settings.BASE_DIR) / "tests" / "data" / "alignment"


class Command(BaseCommand):
    help = (
        "Align every labelled pair of a development set (default tests/data/alignment) and "
        "print precision, recall and F1 per pair and overall, and relation accuracy."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=str(DEFAULT_PATH))
        parser.add_argument("--threshold", type=float, default=alignment.DEFAULT_THRESHOLD)
        parser.add_argument(
            "--details", action="store_true", help="list missed, wrong and mistyped links"
        )
        parser.add_argument(
            "--calibrate",
            action="store_true",
            help="fit the confidence model's weights on the whole set and print them",
        )
        parser.add_argument(
            "--cross-validate",
            action="store_true",
            help=(
                "score each group of pairs sharing texts with the confidence model fitted "
                "on the other groups: the figures on coverage the model never saw"
            ),
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        if not (path / "pairs").is_dir():
            raise CommandError(f"{path} has no pairs/ folder: not a development set")
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1")
        # Cross-language pairs are aligned with paragraph vectors when the extra is there,
        # as the site does once the worker has embedded them.
        embed = None if embeddings.unavailable_reason() else embeddings.embed
        terms = lexicon.current()[1]
        threshold = options["threshold"]
        held_out = ""
        try:
            if options["calibrate"]:
                weights = evaluation.calibrate(path, embed=embed, lexicon=terms)
                for name, weight in zip([*FEATURES, "intercept"], weights, strict=True):
                    self.stdout.write(f"{name:28} {weight:8.3f}")
                return
            if options["cross_validate"]:
                report, groups = evaluation.cross_validate(
                    path, threshold=threshold, embed=embed, lexicon=terms
                )
                held_out = (
                    f", cross-validated: each of {groups} groups of pairs sharing texts "
                    "aligned with the confidence model fitted on the others"
                )
            else:
                report = evaluation.evaluate(path, threshold=threshold, embed=embed, lexicon=terms)
        except evaluation.BadSet as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"engine {alignment.ENGINE_VERSION}, threshold {threshold:g}, "
            f"{'with' if embed else 'without'} paragraph vectors across languages{held_out}"
        )
        self.stdout.write(evaluation.format_report(report, details=options["details"]))
