"""Work at the limits (issue 11): the worst inputs the limits allow, against ordinary ones.

1. The importer's parse of 2 MB worst-case files (one line of dates, one line of words,
   200,000 tiny paragraphs, a Markdown table, pathological Markdown, deep HTML), against
   2 MB of ordinary prose in some 4,000 paragraphs (the baseline), median of RUNS. A stage
   quadratic in its input would show as a ratio in the hundreds (a 176 KB line of dates
   took 46 s).
   Target: every worst case within TARGET_RATIO times the baseline.
2. Rendering a reader's note: the worst note the bounds allow (2,000 `[` in 10,000
   characters) against 10,000 characters of ordinary Markdown prose.

Pure modules only: no database. Exits non-zero when a worst case misses its target.
"""

from __future__ import annotations

import statistics
import sys
import time

from _django import ROOT

sys.path.insert(0, str(ROOT))

from statements import markup  # noqa: E402
from statements.importing import ImportRefused, parse_statement  # noqa: E402

SIZE = 2 * 1024 * 1024 - 64
RUNS = 3
TARGET_RATIO = 25.0


def fill(unit: str, size: int = SIZE) -> str:
    return unit * (size // len(unit))


PROSE = (
    "Les Alliés condamnent fermement les prétendus référendums organisés par la Russie dans "
    "les régions de Donetsk, Louhansk, Zaporijjia et Kherson, en Ukraine. "
)
CASES = {
    "line of dates (.txt)": ("dates.txt", fill("2022-01-01 ")),  # the title, too
    "line of words (.txt)": ("words.txt", fill("mot ")),
    "200,000 tiny paragraphs (.txt)": ("tiny.txt", fill("Mot.\n\n")),
    "Markdown table (.md)": ("table.md", "| a | b |\n| --- | --- |\n" + fill("| x | y |\n")),
    "[ x 2 M (.md)": ("brackets.md", "[" * SIZE),
    "nested > (.md)": ("quotes.md", fill("> ")),
    "deep HTML (.html)": ("deep.html", "<html><body>" + fill("<div>x", SIZE - 40) + "</body>"),
    "spaces after a sentence (.txt)": ("spaces.txt", "Titre\n\nUn." + " " * SIZE + "fin."),
}


def median_seconds(work) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def parse(name: str, text: str) -> str:
    try:
        return f"{len(parse_statement(text.encode(), name).paragraphs)} paragraph(s)"
    except ImportRefused as refused:
        return f"refused: {str(refused)[:60]}…"


def main() -> int:
    paragraph = PROSE * 3 + "\n\n"  # some 500 bytes: 2 MB is under the paragraph cap
    baseline_text = paragraph * (SIZE // len(paragraph.encode()))
    outcome = parse("prose.txt", baseline_text)
    baseline = median_seconds(lambda: parse("prose.txt", baseline_text))
    print(f"baseline: 2 MB of prose in paragraphs, {baseline:.2f} s ({outcome})")
    missed = []
    for label, (name, text) in CASES.items():
        outcome = parse(name, text)
        seconds = median_seconds(lambda name=name, text=text: parse(name, text))
        ratio = seconds / baseline
        print(f"{label:32} {seconds:6.2f} s  x{ratio:5.1f}  {outcome}")
        if ratio > TARGET_RATIO:
            missed.append(label)

    worst_note = "[" * markup.MAX_MARKS + "x" * (markup.MAX_CHARS - markup.MAX_MARKS)
    ordinary_note = fill("Une *note* de lecteur, avec un [lien](https://nato.int). ", 10_000)
    note_baseline = median_seconds(lambda: markup.render_markdown(ordinary_note))
    note_worst = median_seconds(lambda: markup.render_markdown(worst_note))
    print(
        f"note: ordinary 10,000 characters {note_baseline * 1000:.1f} ms, worst allowed "
        f"{note_worst * 1000:.1f} ms (x{note_worst / note_baseline:.1f}), rendered once when saved"
    )
    if missed:
        print(f"over {TARGET_RATIO}x the baseline: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
