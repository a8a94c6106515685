"""python manage.py align LEFT RIGHT : the engine's alignment of two stored statements."""

from __future__ import annotations

import gc
import html
import json
import textwrap

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.html import strip_tags

from statements import alignment
from statements.services import comparing, exports
from statements.templatetags.reading import reason


class Command(BaseCommand):
    help = "Align two stored statements (by slug), computed afresh, as JSON or readable text."

    def add_arguments(self, parser):
        parser.add_argument("left", help="Slug of the left statement")
        parser.add_argument("right", help="Slug of the right statement")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--threshold", type=float, default=alignment.DEFAULT_THRESHOLD)

    def handle(self, *args, **options):
        if not 0 < options["threshold"] < 1:
            raise CommandError("--threshold must be between 0 and 1")
        try:
            pair = comparing.load_pair(options["left"], options["right"])
        except comparing.SameStatement as exc:
            raise CommandError(str(exc)) from exc
        except Http404 as exc:
            raise CommandError(
                f"No statement {options['left']!r} or {options['right']!r}: "
                "give the slugs shown in the statement's URL"
            ) from exc
        # What Django and the modules loaded are never garbage: full collections during the
        # engine's run (many small objects) need not walk them again.
        gc.freeze()
        result = comparing.compute_pair(pair, threshold=options["threshold"])
        if options["format"] == "json":
            document = exports.comparison_document(pair, result)
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
            return
        self._write_text(pair, result)

    def _write_text(self, pair: comparing.Pair, result: comparing.PairResult) -> None:
        left = {p.position: p for p in pair.left_paragraphs}
        right = {p.position: p for p in pair.right_paragraphs}
        found = result.alignment
        self.stdout.write(f"{pair.left.source} · {pair.left.title}")
        self.stdout.write(f"{pair.right.source} · {pair.right.title}")
        self.stdout.write(f"engine {found.engine}, threshold {found.threshold}\n")
        for link in found.links:
            self.stdout.write(
                f"¶{link.left} ↔ ¶{link.right}  {link.relation}  "
                f"confidence {link.confidence:.2f} (similarity {link.score:.2f})"
            )
            self.stdout.write(textwrap.indent(textwrap.shorten(left[link.left].text, 200), "  L "))
            self.stdout.write(
                textwrap.indent(textwrap.shorten(right[link.right].text, 200), "  R ")
            )
            for found_reason in link.reasons:
                self.stdout.write(f"  why: {html.unescape(strip_tags(reason(found_reason)))}")
            for quote in link.quotes:
                self.stdout.write(f"  quote: “{quote.text}”")
        for quotation in found.quotations:
            side = pair.left if quotation["side"] == "left" else pair.right
            self.stdout.write(
                f"quotation in {side.source} ¶{quotation['paragraph']}: "
                f"“{textwrap.shorten(quotation['text'], 120)}” {quotation['fidelity']}"
            )
        self.stdout.write(f"\nomissions (left only): {', '.join(map(str, found.omissions)) or '-'}")
        self.stdout.write(f"additions (right only): {', '.join(map(str, found.additions)) or '-'}")
        for side, terms in (("left", result.framing.left), ("right", result.framing.right)):
            listed = ", ".join(f"{t.term} ({t.z:.1f})" for t in terms)
            self.stdout.write(f"{side} distinctive: {listed or '-'}")
