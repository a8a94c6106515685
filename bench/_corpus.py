"""Building blocks of the benchmarks' synthetic French-like texts."""

from __future__ import annotations

ONSETS = ["b", "c", "d", "f", "g", "l", "m", "n", "p", "r", "s", "t", "v", "ch", "tr", "pr"]
VOWELS = ["a", "e", "i", "o", "u", "é", "è", "ou", "ai", "eu", "on", "an", "in"]
ENDINGS = ["", "", "", "e", "es", "tion", "ment", "ique", "eur", "é", "ées", "ent", "ais"]
# Frequent French grammar words, drawn between content words as in real prose.
GRAMMAR = [
    *("de", "la", "le", "les", "des", "et", "à", "en", "un", "une", "du", "que"),
    *("qui", "dans", "pour", "par", "sur", "au", "aux", "est", "ne", "pas"),
]
