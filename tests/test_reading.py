"""The compare page's model (statements.reading), the engine's data as the view reads it,
and how reasons, quotations and marked passages are worded and drawn. No database."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

from statements import framing
from statements.alignment import SharedQuote
from statements.reading import (
    Evidence,
    Piece,
    Quotation,
    ShownLink,
    build_reading,
    marked_pieces,
    pair_view,
)
from statements.services import comparing
from statements.templatetags.reading import diff, pieces, reason

from .compare_page import read_compare_page

NO_TERMS = framing.Framing((), ())
_pk = itertools.count(1)


def paragraph(position: int, text: str = "", kind: str = "body") -> SimpleNamespace:
    return SimpleNamespace(
        pk=next(_pk),
        position=position,
        text=text or f"Paragraphe {position}.",
        kind=kind,
        number="",
        language="",
    )


def pair_of(left: list, right: list) -> SimpleNamespace:
    return SimpleNamespace(
        left=SimpleNamespace(language="fr"),
        right=SimpleNamespace(language="fr"),
        left_paragraphs=left,
        right_paragraphs=right,
    )


def link(left: int, right: int, relation: str = "restates", state: str = "suggested", **fields):
    return ShownLink(left, right, 0.4, relation, state=state, **fields)


# --- Two columns, each in its own order -------------------------------------------------------


def test_each_column_keeps_its_own_order_whatever_the_links_cross():
    pair = pair_of([paragraph(i) for i in range(1, 6)], [paragraph(i) for i in range(1, 8)])
    links = [link(1, 7), link(2, 1), link(2, 6), link(5, 2)]
    reading = build_reading(pair, links, NO_TERMS)
    assert [cell.position for cell in reading.left] == [1, 2, 3, 4, 5]
    assert [cell.position for cell in reading.right] == [1, 2, 3, 4, 5, 6, 7]
    assert [(ln.left, ln.right) for ln in reading.links] == [(1, 7), (2, 1), (2, 6), (5, 2)]
    assert [pos for pos, _ in reading.cell("l", 2).partners] == [1, 6]
    assert [pos for pos, _ in reading.cell("r", 2).partners] == [5]


def test_marks_come_from_the_links_a_contradiction_outweighing_a_restatement():
    pair = pair_of([paragraph(i) for i in range(1, 5)], [paragraph(i) for i in range(1, 5)])
    links = [
        link(1, 1, "restates"),
        link(1, 2, "contradicts"),
        link(2, 3, "reframes"),
        link(3, 4, "quotes", state="rejected"),
    ]
    reading = build_reading(pair, links, NO_TERMS)
    assert [cell.fate for cell in reading.left] == [
        "contradicted",
        "reframed",
        "omitted",
        "omitted",
    ]
    assert [cell.fate for cell in reading.right] == ["linked", "contradicted", "reframed", "added"]
    # A rejected link stays listed (struck through), but links nothing.
    assert [ln.state for _, ln in reading.cell("l", 3).partners] == ["rejected"]
    assert reading.omissions == [3, 4] and reading.additions == [4]
    assert len(reading.shown_links) == 3 and reading.rejected_count == 1


def test_the_summary_and_the_marks_agree_by_construction():
    rng = random.Random(14)
    for _ in range(50):
        left = [paragraph(i, kind=rng.choice(["body", "body", "title"])) for i in range(1, 30)]
        right = [paragraph(i, kind=rng.choice(["body", "body", "caption"])) for i in range(1, 25)]
        links = {
            (rng.randint(1, 29), rng.randint(1, 24)): rng.choice(["suggested", "rejected"])
            for _ in range(rng.randint(0, 40))
        }
        found = [link(a, b, state=state) for (a, b), state in links.items()]
        reading = build_reading(pair_of(left, right), found, NO_TERMS, show_all=True)
        shown_left = {ln.left for ln in found if ln.state != "rejected"}
        shown_right = {ln.right for ln in found if ln.state != "rejected"}
        assert reading.omissions == [
            p.position for p in left if p.kind == "body" and p.position not in shown_left
        ]
        assert reading.additions == [
            p.position for p in right if p.kind == "body" and p.position not in shown_right
        ]
        assert reading.fates["omitted"] == len(reading.omissions)
        assert reading.fates["added"] == len(reading.additions)
        assert len(reading.cards) == len(found)
        for cell in (*reading.left, *reading.right):
            has_shown = any(ln.state != "rejected" for ln in cell.links)
            assert (cell.fate in ("omitted", "added", "context")) != has_shown


def test_titles_hide_unless_asked_but_a_linked_one_always_shows():
    left = [paragraph(1, kind="title"), paragraph(2), paragraph(3, kind="boilerplate")]
    right = [paragraph(1), paragraph(2, kind="caption")]
    reading = build_reading(pair_of(left, right), [link(1, 1)], NO_TERMS)
    assert [cell.position for cell in reading.left] == [1, 2]  # the title is linked
    assert [cell.position for cell in reading.right] == [1]
    assert reading.cell("l", 1).fate == "linked" and reading.cell("l", 2).fate == "omitted"
    every = build_reading(pair_of(left, right), [link(1, 1)], NO_TERMS, show_all=True)
    assert [cell.fate for cell in every.left] == ["linked", "omitted", "context"]
    assert [cell.fate for cell in every.right] == ["linked", "context"]


def test_while_the_links_are_computed_the_columns_show_without_marks():
    pair = pair_of([paragraph(1), paragraph(2)], [paragraph(1)])
    reading = build_reading(pair, None, NO_TERMS)
    assert reading.aligning and reading.links == []
    assert [cell.fate for cell in (*reading.left, *reading.right)] == ["pending"] * 3
    assert reading.omissions == [] and reading.additions == []


def test_a_paragraph_is_highlighted_only_when_it_is_rendered():
    calls = []
    found = framing.Framing(
        (framing.Term("référendum", "référendum", 2.0, 3, 0, ("référendums",)),), ()
    )
    pair = pair_of([paragraph(1, "Les référendums.")], [paragraph(1)])
    reading = build_reading(pair, [], found)
    cell = reading.left[0]
    original = cell.find_terms
    cell.find_terms = lambda value: calls.append(value) or original(value)
    assert calls == []
    assert [s.term for s in cell.segments] == ["", "référendum", ""]
    assert calls == ["Les référendums."]


# --- One pair: the panel's passages ----------------------------------------------------------


def test_marked_pieces_cover_the_text_once_with_every_overlapping_mark():
    text = "Les faux référendums n'ont aucune légitimité."
    found = marked_pieces(text, [(4, 20, "quote"), (0, 44, "evidence"), (9, 20, "changed")])
    assert "".join(piece.text for piece in found) == text
    assert found == [
        Piece("Les ", ("evidence",)),
        Piece("faux ", ("evidence", "quote")),
        Piece("référendums", ("changed", "evidence", "quote")),
        Piece(" n'ont aucune légitimité", ("evidence",)),
        Piece(".", ()),
    ]


def test_marked_pieces_clip_spans_outside_the_text_and_skip_empty_ones():
    assert marked_pieces("abc", [(-5, 1, "quote"), (2, 99, "evidence"), (2, 2, "changed")]) == [
        Piece("a", ("quote",)),
        Piece("b", ()),
        Piece("c", ("evidence",)),
    ]
    assert marked_pieces("", [(0, 3, "quote")]) == []
    assert marked_pieces("abc", []) == [Piece("abc")]


def test_marked_pieces_of_a_long_paragraph_with_many_spans_stay_whole():
    text = "mot " * 50_000
    spans = [(i + 4, i + 7, "quote") for i in range(0, len(text) - 8, 8)]
    found = marked_pieces(text, spans)
    assert "".join(piece.text for piece in found) == text
    assert len(found) == 2 * len(spans) + 1


def test_the_panel_marks_evidence_quotes_and_the_words_the_reasons_name():
    left = paragraph(3, "L'annexion illégale de la Crimée. Une phrase de plus.")
    right = paragraph(5, "Le rattachement de la Crimée. Autre chose.")
    shown = link(
        3,
        5,
        "reframes",
        quotes=(SharedQuote("de la Crimée", 20, 32, 16, 28),),
        reasons=({"kind": "swap", "left": "annexion illégale", "right": "rattachement"},),
        evidence=(Evidence((0, 33), (0, 28), 0.7),),
    )
    view = pair_view(shown, left, right)
    marked = {piece.text: piece.marks for piece in view.left_passage}
    assert marked["annexion illégale"] == ("changed", "evidence")
    assert marked["de la Crimée"] == ("evidence", "quote")
    assert marked[" Une phrase de plus."] == ()
    assert ("rattachement", ("changed", "evidence")) in [
        (piece.text, piece.marks) for piece in view.right_passage
    ]


def test_quotations_between_the_two_paragraphs_are_kept_and_others_left_out():
    found = [
        Quotation("right", 5, 0, 10, "« a »", "verbatim", (3, 0, 10)),
        Quotation("right", 5, 20, 30, "« b »", "not_found", None),
        Quotation("right", 5, 40, 50, "« c »", "altered", (4, 0, 10)),  # another paragraph
        Quotation("left", 3, 0, 10, "« d »", "trimmed", (5, 2, 9)),
        Quotation("left", 9, 0, 10, "« e »", "verbatim", (5, 0, 10)),
    ]
    view = pair_view(link(3, 5), paragraph(3), paragraph(5), found)
    assert [q.text for q in view.quotations] == ["« a »", "« b »", "« d »"]


# --- The engine's data, with and without what the newer engine adds ---------------------------


def test_an_engine_link_without_confidence_reasons_or_evidence_shows_what_it_has():
    old = SimpleNamespace(
        links=(
            SimpleNamespace(
                left=1, right=2, score=0.3, relation="quotes", quotes=(), basis="words"
            ),
        )
    )
    (shown,) = comparing.engine_links(old)
    assert (shown.confidence, shown.reasons, shown.evidence) == (None, (), ())
    assert comparing.quotations(old) == []


@dataclass(frozen=True)
class EngineReason:
    kind: str
    left: str = ""
    right: str = ""


def test_an_engine_link_with_confidence_reasons_and_evidence_brings_them_all():
    newer = SimpleNamespace(
        links=(
            SimpleNamespace(
                left=1,
                right=2,
                score=0.41,
                relation="reframes",
                quotes=(),
                basis="words",
                confidence=0.82,
                reasons=(
                    EngineReason("swap", "annexion", "rattachement"),
                    {"kind": "verbatim", "words": 9},
                ),
                evidence=({"left": [0, 142], "right": [57, 230], "score": 0.71},),
            ),
        ),
        quotations=(
            {
                "side": "right",
                "paragraph": 2,
                "start": 12,
                "end": 98,
                "text": "Les référendums…",
                "fidelity": "altered",
                "source": {"paragraph": 1, "start": 40, "end": 131},
                "diff": [["=", "Les référendums"], ["-", "fictifs"], ["+", "organisés"]],
            },
        ),
    )
    (shown,) = comparing.engine_links(newer)
    assert shown.confidence == 0.82
    assert shown.reasons == (
        {"kind": "swap", "left": "annexion", "right": "rattachement"},
        {"kind": "verbatim", "words": 9},
    )
    assert shown.evidence == (Evidence((0, 142), (57, 230), 0.71),)
    (quotation,) = comparing.quotations(newer)
    assert quotation.source == (1, 40, 131) and quotation.fidelity == "altered"
    assert quotation.diff == (("=", "Les référendums"), ("-", "fictifs"), ("+", "organisés"))


# --- Wording ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("found", "said"),
    [
        ({"kind": "verbatim", "words": 9}, "shares 9 words verbatim"),
        (
            {"kind": "swap", "left": "annexion illégale", "right": "rattachement"},
            "swapped ‘annexion illégale’ for ‘rattachement’",
        ),
        ({"kind": "dropped", "left": "illégale"}, "dropped ‘illégale’"),
        ({"kind": "added", "right": "soi-disant"}, "added ‘soi-disant’"),
        ({"kind": "scare_quotes", "right": "référendums"}, "put ‘référendums’ in scare quotes"),
        (
            {"kind": "negation", "left": "reconnaîtront", "right": "ne reconnaîtront jamais"},
            "negated ‘reconnaîtront’ as ‘ne reconnaîtront jamais’",
        ),
        (
            {"kind": "antonym", "left": "illégitime", "right": "légitime"},
            "turned ‘illégitime’ into its opposite, ‘légitime’",
        ),
        ({"kind": "denial", "right": "conteste"}, "denies it: ‘conteste’"),
        (
            {"kind": "denied_quote", "right": "ne menace", "quoted": "menaces"},
            "quotes ‘menaces’ and denies it: ‘ne menace’",
        ),
        ({"kind": "shared", "words": ["Donetsk", "Louhansk"]}, "both name ‘Donetsk’, ‘Louhansk’"),
        ({"kind": "attributed_quote", "left": "ironclad"}, "quotes ironclad"),
        (
            {"kind": "attributed_quote", "right": "« assez »", "speaker": "Stoltenberg"},
            "quotes Stoltenberg as saying « assez »",
        ),
        (
            {"kind": "translation", "quotation": "la menace la plus directe"},
            "quotes it in translation: ‘la menace la plus directe’",
        ),
        (
            {"kind": "translation", "cosine": 0.83},
            "reads as a translation (machine similarity 0.83)",
        ),
        ({"kind": "new_kind", "weight": 2}, "new kind (weight: 2)"),
    ],
)
def test_each_reason_is_worded_for_readers(found, said):
    assert reason(found) == said


def test_reasons_quotations_and_passages_are_escaped():
    hostile = "<img src=x onerror=alert(1)>"
    assert "<img" not in reason({"kind": "swap", "left": hostile, "right": hostile})
    assert "<img" not in reason({"kind": hostile})
    assert "<img" not in diff([["=", hostile], ["+", hostile]])
    assert pieces([Piece(hostile, ("quote",))]) == (
        '<mark class="quote">&lt;img src=x onerror=alert(1)&gt;</mark>'
    )


def test_the_panel_shows_confidence_reasons_evidence_and_quote_fidelity():
    left = paragraph(3, "L'annexion illégale de la Crimée.")
    right = paragraph(5, "Le rattachement « fictif » de la Crimée.")
    shown = link(
        3,
        5,
        "reframes",
        confidence=0.82,
        reasons=({"kind": "swap", "left": "annexion illégale", "right": "rattachement"},),
        evidence=(Evidence((0, 33), (0, 40)),),
    )
    quotation = Quotation(
        "right",
        5,
        16,
        26,
        "« fictif »",
        "altered",
        (3, 0, 10),
        (("-", "illégale"), ("+", "fictif")),
    )
    html = render_to_string(
        "statements/compare.html#panel",
        {
            "pair": SimpleNamespace(
                left=SimpleNamespace(language="fr", source=SimpleNamespace(name="NATO")),
                right=SimpleNamespace(language="fr", source=SimpleNamespace(name="RT")),
            ),
            "pair_view": pair_view(shown, left, right, [quotation]),
            "links_count": 4,
            "link_index": 2,
            "page_url": "/compare/a/b/",
            "pairs_url": "/compare/a/b/pairs/",
            "shown_in": "panel",
        },
    )
    assert "Link 2 of 4: NATO ¶3 ↔ RT ¶5" in html
    assert "confidence 82%" in html and "reframes" in html
    assert "swapped ‘annexion illégale’ for ‘rattachement’" in html
    assert '<span class="evidence"><mark class="changed">annexion illégale</mark></span>' in html
    assert "quoted with words changed" in html
    assert '<del title="left out">illégale</del> <ins title="added">fictif</ins>' in html
    assert "Save this comparison to confirm" in html  # no curation on the engine's view
    assert 'class="panel-close' in html


def test_an_engine_page_with_reasons_shows_them_on_the_cards(client, monkeypatch, db):
    from .conftest import make_statement

    left = make_statement(paragraphs=["L'annexion illégale de la Crimée par la Russie."])
    right = make_statement(paragraphs=["Le rattachement de la Crimée à la Russie."])
    monkeypatch.setattr(
        comparing,
        "engine_links",
        lambda found: [
            link(
                1, 1, "reframes", confidence=0.9, reasons=({"kind": "dropped", "left": "illégale"},)
            )
        ],
    )
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    shown = read_compare_page(page)
    assert shown.cards == ["pair-l1-r1"] and shown.fates == {"l1": "reframed", "r1": "reframed"}
    assert "dropped ‘illégale’" in page and "confidence 90%" in page
