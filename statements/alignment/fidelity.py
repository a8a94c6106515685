"""Quote fidelity: each quotation of one text traced to its closest passage in the other.

A quotation is the text between quotation marks (« … », “ … ”, "…", as `text.quotations`
pairs them) of at least MIN_WORDS words: shorter ones are scare quotes, which the
relations read. Words are compared folded (case, accents, punctuation aside). Labels:

* verbatim: the quotation's words are a whole sentence of the other text;
* trimmed: a contiguous run of the other text's words (part of a sentence, or across two);
* altered: most of its words are in one sentence of the other text, with changes; `diff`
  gives the word-level difference, source words removed ("-") and words added ("+");
* not_found: nothing in the other text comes close.

Quotations are traced within one language only (a translated quotation has no words in
common with its source); across languages none is listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Any

from statements.text import quotation_spans, sentence_spans, tokens

from .corpus import PARAGRAPH_CACHE
from .model import ParagraphText

MIN_WORDS = 4
# Share of the quotation's words the closest sentence must hold to count as altered, or a
# run of ALTERED_MIN_RUN words of it in that sentence (a long quotation partly found).
ALTERED_MIN_SHARE = 0.5
ALTERED_MIN_RUN = 4


def trace_quotations(
    left: Sequence[ParagraphText], right: Sequence[ParagraphText]
) -> list[dict[str, Any]]:
    """Every quotation of either side traced to the other, left side first, in reading
    order. O(quoted words x postings) with an index of the other side's words."""
    found: list[dict[str, Any]] = []
    for side, own, other in (("left", left, right), ("right", right, left)):
        quotes = [
            (paragraph, start, end)
            for paragraph in own
            for start, end in quoted_passages(paragraph.text)
        ]
        if not quotes:
            continue
        languages = {p.language for p in own} | {p.language for p in other}
        if len(languages) > 1:
            continue
        index = _Index(other)
        for paragraph, start, end in quotes:
            found.append(index.trace(side, paragraph, start, end))
    return found


@lru_cache(maxsize=PARAGRAPH_CACHE)
def quoted_passages(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of the words inside each quotation of MIN_WORDS words or more; kept by
    text, as a paragraph's words are."""
    spans = []
    for opening, closing in quotation_spans(text):
        inner = text[opening + 1 : closing]
        stripped = inner.strip(" \u00a0\u202f\u2009\n")
        if len(tokens(stripped)) >= MIN_WORDS:
            start = opening + 1 + inner.index(stripped)
            spans.append((start, start + len(stripped)))
    return tuple(spans)


class _Index:
    """The other side's words: per paragraph its tokens, and where each folded word is."""

    def __init__(self, paragraphs: Sequence[ParagraphText]) -> None:
        self.paragraphs = list(paragraphs)
        self.tokens = [tokens(p.text) for p in self.paragraphs]
        self.sentences = [sentence_spans(p.text, p.language) for p in self.paragraphs]
        self.postings: dict[str, list[int]] = {}
        for k, paragraph_tokens in enumerate(self.tokens):
            for word in {token.folded for token in paragraph_tokens}:
                self.postings.setdefault(word, []).append(k)

    def trace(self, side: str, paragraph: ParagraphText, start: int, end: int) -> dict[str, Any]:
        quoted = tokens(paragraph.text[start:end])
        words = [token.folded for token in quoted]
        record: dict[str, Any] = {
            "side": side,
            "paragraph": paragraph.position,
            "start": start,
            "end": end,
            "text": paragraph.text[start:end],
            "fidelity": "not_found",
            "source": None,
            "diff": [],
        }
        hits = Counter(k for word in set(words) for k in self.postings.get(word, ()))
        best = None
        # The three paragraphs holding most of its words; on a tie, the first (not the order
        # a set happens to give: the result is the same in every process).
        for k, _ in sorted(hits.items(), key=lambda hit: (-hit[1], hit[0]))[:3]:
            candidate = self._closest(k, words, [token.text for token in quoted])
            if best is None or candidate[0] > best[0]:
                best = candidate
        if best is None or best[0] < ALTERED_MIN_SHARE:
            return record
        share, k, first, last, fidelity, diff = best
        source_tokens = self.tokens[k]
        record.update(
            fidelity=fidelity,
            source={
                "paragraph": self.paragraphs[k].position,
                "start": source_tokens[first].start,
                "end": source_tokens[last - 1].end,
            },
            diff=diff,
        )
        return record

    def _closest(self, k: int, words: list[str], said: list[str]) -> tuple:
        """(share of the quotation matched, paragraph, first and last source token, label,
        diff) of the quotation against paragraph k."""
        source = [token.folded for token in self.tokens[k]]
        n = len(words)
        # Contiguous: the whole quotation as a run of the paragraph's words.
        for at in _occurrences(source, words):
            span = (self.tokens[k][at].start, self.tokens[k][at + n - 1].end)
            whole = any(
                _covers(span, sentence, self.paragraphs[k].text) for sentence in self.sentences[k]
            )
            return (1.0, k, at, at + n, "verbatim" if whole else "trimmed", [])
        # Otherwise the closest sentence, word by word.
        best: tuple = (0.0, k, 0, 0, "not_found", [])
        for sentence_start, sentence_end in self.sentences[k]:
            ids = [
                index
                for index, token in enumerate(self.tokens[k])
                if sentence_start <= token.start < sentence_end
            ]
            if not ids:
                continue
            sentence = source[ids[0] : ids[-1] + 1]
            matcher = SequenceMatcher(None, sentence, words, autojunk=False)
            blocks = [block for block in matcher.get_matching_blocks() if block.size]
            matched = sum(block.size for block in blocks)
            share = matched / n
            if blocks and max(block.size for block in blocks) >= ALTERED_MIN_RUN:
                share = max(share, ALTERED_MIN_SHARE)
            if share <= best[0] or not blocks:
                continue
            # The passage of the source the quotation follows: first to last matched word.
            a0, a1 = blocks[0].a, blocks[-1].a + blocks[-1].size
            b0, b1 = blocks[0].b, blocks[-1].b + blocks[-1].size
            best = (
                share,
                k,
                ids[0] + a0,
                ids[0] + a1,
                "altered",
                _diff(
                    [t.text for t in self.tokens[k][ids[0] + a0 : ids[0] + a1]],
                    sentence[a0:a1],
                    words[b0:b1],
                    said[b0:b1],
                ),
            )
        return best


def _occurrences(source: list[str], words: list[str]):
    n = len(words)
    first = words[0]
    for at, word in enumerate(source):
        if word == first and source[at : at + n] == words:
            yield at


def _covers(span: tuple[int, int], sentence: tuple[int, int], text: str) -> bool:
    """Whether the quoted span is the whole sentence, punctuation and marks aside."""
    inside = text[sentence[0] : sentence[1]]
    before = text[sentence[0] : span[0]]
    after = text[span[1] : sentence[1]]
    return bool(inside) and not any(c.isalnum() for c in before + after)


def _diff(
    originals: list[str], source: list[str], quoted: list[str], said: list[str]
) -> list[list[str]]:
    """Word-level difference from the source passage to the quotation: ["=", words] kept,
    ["-", words] in the source only, ["+", words] in the quotation only."""
    operations: list[list[str]] = []
    matcher = SequenceMatcher(None, source, quoted, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            operations.append(["=", " ".join(originals[a0:a1])])
            continue
        if a1 > a0:
            operations.append(["-", " ".join(originals[a0:a1])])
        if b1 > b0:
            operations.append(["+", " ".join(said[b0:b1])])
    return operations
