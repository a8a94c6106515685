"""The engine against a hand-labelled development set (tests/data/alignment/).

Pure: reads the set's files, parses the texts as the importer does, aligns each pair at
the default threshold and counts. A pair file names two texts (paths relative to the set's
parent folder) and links as snippets, each a substring of exactly one paragraph; see the
set's README. Precision counts a suggested link right when its paragraph pair is labelled
(required or not); recall counts the required links found; relation accuracy is the share
of the labelled links found whose relation matches the label.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from statements.importing import parse_statement
from statements.text import fold, normalise

from .corpus import Background
from .engine import ALIGNED_KINDS, align
from .model import DEFAULT_THRESHOLD, RELATIONS, Alignment, ParagraphText

# The confidence model's L2 penalty (`calibrate`). Cross-validated (`cross_validate`), any
# penalty from 0.02 to 0.3 gives about the same F1 (0.830-0.834, 0.02 and 0.05 the best).
# Heavier ones shrink the rare, telling features most: at 0.05 the seeds' "faux
# référendums" / "référendums fictifs" link falls below 0.5 without corpus statistics, at
# 0.1 a five-word verbatim passage between otherwise unlike paragraphs below
# LOWEST_THRESHOLD.
PENALTY = 0.02


@dataclass
class PairScore:
    """How the engine did on one labelled pair."""

    name: str
    suggested: int
    correct: int  # suggested links whose pair is labelled
    required: int
    found_required: int
    labelled_found: int  # labelled links (required or not) the engine suggested
    relation_right: int  # ... with the labelled relation
    misses: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.correct / self.suggested if self.suggested else 1.0

    @property
    def recall(self) -> float:
        return self.found_required / self.required if self.required else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def relation_accuracy(self) -> float:
        return self.relation_right / self.labelled_found if self.labelled_found else 1.0


@dataclass
class Report:
    pairs: list[PairScore]

    def total(self) -> PairScore:
        total = PairScore("overall", 0, 0, 0, 0, 0, 0)
        for pair in self.pairs:
            for name in (
                "suggested",
                "correct",
                "required",
                "found_required",
                "labelled_found",
                "relation_right",
            ):
                setattr(total, name, getattr(total, name) + getattr(pair, name))
        return total


@dataclass
class Text:
    paragraphs: list[ParagraphText]
    language: str

    @cached_property
    def keys(self) -> list[str]:
        """Each paragraph's text as snippets are looked up in it (`_key`), made once."""
        return [_key(p.text) for p in self.paragraphs]


class BadSet(ValueError):
    """A development set that cannot be read; `str(exc)` names the file and what is wrong
    with it."""


def _read(path: Path) -> Text:
    try:
        parsed = parse_statement(path.read_bytes(), path.name)
    except FileNotFoundError:
        raise BadSet(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:  # ImportRefused and the readers' limits
        raise BadSet(f"{path}: {exc}") from exc
    return Text(
        [
            ParagraphText(position, p.text, p.kind, p.language or parsed.language)
            for position, p in enumerate(parsed.paragraphs)
        ],
        parsed.language,
    )


def _key(text: str) -> str:
    return " ".join(fold(word) for word in normalise(text).split())


def _position(text: Text, snippet: Any, side: str) -> int:
    """The body paragraph of `text` holding `snippet`, which must be in exactly one."""
    if not isinstance(snippet, str) or not snippet.strip():
        raise BadSet(f"the {side} snippet is not a text")
    wanted = _key(snippet)
    found = [p for p, key in zip(text.paragraphs, text.keys, strict=True) if wanted in key]
    if len(found) != 1:
        raise BadSet(f"the {side} snippet {snippet!r} is in {len(found)} paragraphs, not 1")
    if found[0].kind not in ALIGNED_KINDS:
        raise BadSet(
            f"the {side} snippet {snippet!r} is in a {found[0].kind} paragraph, which the "
            "engine does not align"
        )
    return found[0].position


def load(path: Path) -> list[tuple[str, Text, Text, list[dict[str, Any]]]]:
    """(name, left text, right text, labelled links with positions) per pair file; BadSet,
    naming the file and the link, for a set that does not follow the format of
    tests/data/alignment/README.md."""
    pair_files = sorted((path / "pairs").glob("*.json"))
    if not pair_files:
        raise BadSet(f"{path / 'pairs'} holds no pair file (*.json)")
    texts: dict[str, Text] = {}
    pairs = []
    for pair_file in pair_files:
        try:
            pairs.append((pair_file.stem, *_pair(pair_file, path.parent, texts)))
        except BadSet as exc:
            raise BadSet(f"{pair_file.name}: {exc}") from None
    return pairs


def _pair(
    pair_file: Path, base: Path, texts: dict[str, Text]
) -> tuple[Text, Text, list[dict[str, Any]]]:
    try:
        data = json.loads(pair_file.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadSet(f"not a JSON file ({exc})") from None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), str) for key in ("left", "right")
    ):
        raise BadSet('needs "left" and "right", the paths of its two texts')
    if not isinstance(data.get("links"), list):
        raise BadSet('needs "links", a list')
    for side in ("left", "right"):
        if data[side] not in texts:
            texts[data[side]] = _read(base / data[side])
    left, right = texts[data["left"]], texts[data["right"]]
    links = []
    seen: dict[tuple[int, int], int] = {}
    for number, link in enumerate(data["links"], start=1):
        try:
            if not isinstance(link, dict):
                raise BadSet("not an object")
            if link.get("relation") not in RELATIONS:
                raise BadSet(f"relation {link.get('relation')!r} is not one of {RELATIONS}")
            if not isinstance(link.get("required", True), bool):
                raise BadSet(f"required {link['required']!r} is not true or false")
            positions = (
                _position(left, link.get("left"), "left"),
                _position(right, link.get("right"), "right"),
            )
            if positions in seen:
                raise BadSet(f"it labels the same paragraphs as link {seen[positions]}")
        except BadSet as exc:
            raise BadSet(f"link {number}: {exc}") from None
        seen[positions] = number
        links.append(
            {
                **link,
                "required": link.get("required", True),
                "left_position": positions[0],
                "right_position": positions[1],
            }
        )
    return left, right, links


def background_of(texts: Sequence[Text]) -> Background:
    """Corpus statistics of every paragraph of the set, as the stored statistics would be."""
    background = Background()
    for language in sorted({t.language for t in texts}):
        paragraphs = [p.text for t in texts if t.language == language for p in t.paragraphs]
        background = background.merged(Background.from_texts(paragraphs, language))
    return background


def evaluate(
    path: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    embed: Callable[[list[str]], np.ndarray | None] | None = None,
    lexicon: Sequence[dict[str, Any]] = (),
) -> Report:
    """Align every pair of the set at `threshold` and score it. `embed` gives paragraph
    vectors (the multilingual encoder), or None without it; `lexicon` is the framing
    lexicon as plain terms (see `alignment.lexicon`)."""
    pairs = load(path)
    background = background_of(_texts(pairs))
    return Report(
        [
            _align_and_score(pair, background, threshold, embed, lexicon, weights=None)
            for pair in pairs
        ]
    )


def _texts(pairs: Sequence[tuple[str, Text, Text, list[dict[str, Any]]]]) -> list[Text]:
    return list({id(t): t for _, left, right, _ in pairs for t in (left, right)}.values())


def _align_and_score(
    pair: tuple[str, Text, Text, list[dict[str, Any]]],
    background: Background,
    threshold: float,
    embed: Callable[[list[str]], np.ndarray | None] | None,
    lexicon: Sequence[dict[str, Any]],
    weights: np.ndarray | None,
) -> PairScore:
    name, left, right, links = pair
    vectors: dict[str, Any] = {}
    if embed is not None and left.language != right.language:
        for side, text in (("left", left), ("right", right)):
            vectors[f"{side}_vectors"] = embed([p.text for p in text.paragraphs])
    found = align(
        left.paragraphs,
        right.paragraphs,
        background=background,
        threshold=threshold,
        lexicon=lexicon,
        weights=weights,
        **vectors,
    )
    return score(name, found, links, left, right)


def score(
    name: str, found: Alignment, links: list[dict[str, Any]], left: Text, right: Text
) -> PairScore:
    labelled = {(link["left_position"], link["right_position"]): link for link in links}
    suggested = {(link.left, link.right): link for link in found.links}
    result = PairScore(
        name,
        suggested=len(suggested),
        correct=sum(pair in labelled for pair in suggested),
        required=sum(link["required"] for link in links),
        found_required=sum(
            link["required"] and pair in suggested for pair, link in labelled.items()
        ),
        labelled_found=sum(pair in suggested for pair in labelled),
        relation_right=sum(
            pair in suggested and suggested[pair].relation == link["relation"]
            for pair, link in labelled.items()
        ),
    )
    for pair, link in labelled.items():
        if link["required"] and pair not in suggested:
            result.misses.append(f"{pair} {link['relation']}: {link['left']!r} ~ {link['right']!r}")
        if pair in suggested and suggested[pair].relation != link["relation"]:
            result.relations.append(
                f"{pair} {link['relation']} as {suggested[pair].relation}"
                f" {suggested[pair].confidence:.2f}"
            )
    for pair, link in suggested.items():
        if pair not in labelled:
            result.wrong.append(
                f"{pair} {link.relation} {link.confidence:.2f}: "
                f"{left.paragraphs[pair[0]].text[:60]!r} ~ {right.paragraphs[pair[1]].text[:60]!r}"
            )
    return result


def format_report(report: Report, *, details: bool = False) -> str:
    lines = [f"{'pair':40} {'P':>5} {'R':>5} {'F1':>5} {'rel':>5}  links"]
    for pair in [*report.pairs, report.total()]:
        lines.append(
            f"{pair.name:40} {pair.precision:5.2f} {pair.recall:5.2f} {pair.f1:5.2f} "
            f"{pair.relation_accuracy:5.2f}  {pair.correct}/{pair.suggested} suggested right, "
            f"{pair.found_required}/{pair.required} required found"
        )
        if details:
            lines += [f"    missed {m}" for m in pair.misses]
            lines += [f"    wrong  {w}" for w in pair.wrong]
            lines += [f"    relation {r}" for r in pair.relations]
    total = report.total()
    lines.append(
        f"overall: precision {total.precision:.2f}, recall {total.recall:.2f}, "
        f"F1 {total.f1:.2f}, relation accuracy {total.relation_accuracy:.2f}"
    )
    return "\n".join(lines)


def calibrate(
    path: Path,
    *,
    embed: Callable[[list[str]], np.ndarray | None] | None = None,
    penalty: float = PENALTY,
    lexicon: Sequence[dict[str, Any]] = (),
) -> np.ndarray:
    """Weights of the confidence model (`candidates.WEIGHTS`), fitted on every candidate of
    every pair of the set at once: a logistic regression (Newton's method, L2 `penalty` on
    all but the intercept) of "a careful reader labelled this pair" on the candidate's
    features. One fit for the whole set: no weight or threshold is fitted to one text."""
    pairs = load(path)
    rows = _candidate_rows(pairs, background_of(_texts(pairs)), embed, lexicon)
    return _fit([row for _, row in rows], penalty)


def cross_validate(
    path: Path,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    embed: Callable[[list[str]], np.ndarray | None] | None = None,
    penalty: float = PENALTY,
    lexicon: Sequence[dict[str, Any]] = (),
) -> tuple[Report, int]:
    """The set's figures with the confidence model fitted without the pairs it scores:
    the pairs are grouped by the texts they share (an event's declaration and its coverage
    are one group), and each group is aligned with weights fitted on the other groups
    (`calibrate`'s fit, lowered by CAUTION like the shipped weights). What the figures
    would be on coverage the model never saw; the relation rules and the lexicon, written
    while reading the whole set, are not held out. Returns the report and the number of
    groups; BadSet when the pairs make fewer than two groups (nothing to fit on)."""
    from .candidates import CAUTION

    pairs = load(path)
    groups = held_out_groups(pairs)
    if len(groups) < 2:
        raise BadSet(
            "cross-validation needs two groups of pairs that share no text; "
            f"the pairs of {path} make {len(groups)}"
        )
    background = background_of(_texts(pairs))
    rows = _candidate_rows(pairs, background, embed, lexicon)
    scores: dict[str, PairScore] = {}
    for group in groups:
        weights = _fit([row for name, row in rows if name not in group], penalty)
        weights[-1] -= CAUTION
        for pair in pairs:
            if pair[0] in group:
                scores[pair[0]] = _align_and_score(
                    pair, background, threshold, embed, lexicon, weights
                )
    return Report([scores[pair[0]] for pair in pairs]), len(groups)


def held_out_groups(pairs: Sequence[tuple[str, Text, Text, Any]]) -> list[set[str]]:
    """The pairs' names grouped so that no text is in two groups (pairs sharing a text,
    directly or through another pair, are one group), in the order of their first pair."""
    group_of: dict[int, int] = {}  # id(text) -> group
    members: list[set[str]] = []
    for name, left, right, _ in pairs:
        found = sorted({group_of[id(t)] for t in (left, right) if id(t) in group_of})
        if not found:
            members.append(set())
            found = [len(members) - 1]
        keep = found[0]
        for other in found[1:]:  # this pair joins two groups
            members[keep] |= members[other]
            members[other] = set()
            group_of.update({key: keep for key, value in group_of.items() if value == other})
        members[keep].add(name)
        group_of[id(left)] = group_of[id(right)] = keep
    return [group for group in members if group]


def _candidate_rows(
    pairs: Sequence[tuple[str, Text, Text, list[dict[str, Any]]]],
    background: Background,
    embed: Callable[[list[str]], np.ndarray | None] | None,
    lexicon: Sequence[dict[str, Any]],
) -> list[tuple[str, tuple[np.ndarray, np.ndarray]]]:
    """(pair name, (candidate features, labels)) per pair, and once more per cross-language
    pair with paragraph vectors when `embed` is given: without them is how a server without
    the multilingual extra, or before the worker has embedded them, aligns."""
    from .candidates import candidates
    from .engine import ALIGNED_KINDS, _quoted_pairs
    from .fidelity import trace_quotations
    from .lexicon import compiled

    runs = [(pair, False) for pair in pairs]
    if embed is not None:
        runs += [(pair, True) for pair in pairs if pair[1].language != pair[2].language]
    rows = []
    for (name, left, right, links), with_vectors in runs:
        kept_left = [p for p in left.paragraphs if p.kind in ALIGNED_KINDS]
        kept_right = [p for p in right.paragraphs if p.kind in ALIGNED_KINDS]
        vectors: dict[str, Any] = {}
        if with_vectors:
            vectors["left_vectors"] = embed([p.text for p in kept_left])
            vectors["right_vectors"] = embed([p.text for p in kept_right])
        found = candidates(
            kept_left,
            kept_right,
            background=background,
            quoted_pairs=_quoted_pairs(
                trace_quotations(kept_left, kept_right), kept_left, kept_right
            ),
            lexicon=compiled(lexicon) if lexicon else None,
            **vectors,
        )
        labelled = {(link["left_position"], link["right_position"]) for link in links}
        labels = np.array(
            [
                (kept_left[i].position, kept_right[j].position) in labelled
                for i, j in zip(found.left.tolist(), found.right.tolist(), strict=True)
            ],
            dtype=np.float64,
        )
        rows.append((name, (found.features, labels)))
    return rows


def _fit(rows: Sequence[tuple[np.ndarray, np.ndarray]], penalty: float) -> np.ndarray:
    """Logistic regression of the labels on the features (an intercept last), by Newton's
    method, with an L2 `penalty` on all weights but the intercept."""
    x = np.concatenate([features for features, _ in rows])
    x = np.column_stack([x, np.ones(len(x))])
    y = np.concatenate([labels for _, labels in rows])
    weights = np.zeros(x.shape[1])
    ridge = np.full(x.shape[1], penalty)
    ridge[-1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-(x @ weights)))
        gradient = x.T @ (p - y) + ridge * weights
        hessian = (x * (p * (1 - p))[:, None]).T @ x + np.diag(ridge) + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.abs(step).max() < 1e-8:
            break
    return weights
