"""The alignment engine: pure functions, no database."""

from __future__ import annotations

import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from statements.alignment import (
    DEFAULT_THRESHOLD,
    ENGINE_VERSION,
    LOWEST_THRESHOLD,
    Background,
    ParagraphText,
    align,
    shared_quotes,
    similarity_matrix,
)
from statements.text import words

SEEDS = Path(__file__).resolve().parent / "data" / "engine"


def seed(number: str) -> list[ParagraphText]:
    """A seed text split on blank lines; lines under 8 words count as headings."""
    (path,) = SEEDS.glob(f"{number}_*.txt")
    blocks = [b.strip() for b in re.split(r"\n\s*\n", path.read_text("utf-8")) if b.strip()]
    return [
        ParagraphText(position, block, "heading" if len(block.split()) < 8 else "body")
        for position, block in enumerate(blocks)
    ]


def position_of(paragraphs: list[ParagraphText], phrase: str) -> int:
    (position,) = [p.position for p in paragraphs if phrase in p.text]
    return position


def body(*texts: str) -> list[ParagraphText]:
    return [ParagraphText(position, text) for position, text in enumerate(texts)]


SEED_BACKGROUND = Background.from_texts(
    p.text for number in ("000", "001", "002", "003", "004") for p in seed(number)
)


# Shared quotes


def test_shared_quote_offsets_point_into_both_original_texts():
    left = "Stoltenberg a dit : « Les référendums fictifs n’ont aucune légitimité »."
    right = 'Selon lui, "les referendums fictifs n\'ont aucune legitimite" ; fin.'
    (quote,) = shared_quotes(left, right)
    assert quote.text == "Les référendums fictifs n’ont aucune légitimité"
    assert left[quote.left_start : quote.left_end] == quote.text
    assert (
        right[quote.right_start : quote.right_end]
        == "les referendums fictifs n'ont aucune legitimite"
    )


def test_shared_quotes_are_maximal_longest_first_and_do_not_overlap():
    left = (
        "La plus grave menace pour la sécurité euro-atlantique depuis des décennies. "
        "Les Alliés ont fermement condamné l'invasion de l'Ukraine."
    )
    right = (
        "Les Alliés ont fermement condamné l'invasion. Nous faisons face à la plus grave "
        "menace pour la sécurité euro-atlantique depuis des décennies."
    )
    quotes = shared_quotes(left, right)
    assert [q.text for q in quotes] == [
        "La plus grave menace pour la sécurité euro-atlantique depuis des décennies",
        "Les Alliés ont fermement condamné l'invasion",
    ]
    spans = sorted((q.left_start, q.left_end) for q in quotes)
    assert all(end <= start for (_, end), (start, _) in zip(spans, spans[1:], strict=False))


def test_runs_of_short_grammar_words_are_not_quotes():
    assert (
        shared_quotes("le soutien de l'Ukraine à l'OTAN", "la défense de l'Ukraine à l'est") == []
    )
    assert shared_quotes("a b c d", "a b c d") == []


def test_shared_quotes_need_four_words():
    assert shared_quotes("la guerre illégale continue", "une guerre illégale continue") == []


# Similarity and selection


def test_reordered_paragraphs_still_pair():
    left = body(
        "Les Alliés condamnent les faux référendums organisés dans les régions occupées.",
        "Nous renforçons notre posture de dissuasion et de défense sur le flanc oriental.",
        "Des sanctions massives ont été imposées à la Russie et à la Biélorussie.",
    )
    right = body(
        "La Russie et la Biélorussie font face à des sanctions massives des Alliés.",
        "Le flanc oriental voit la posture de défense et de dissuasion renforcée.",
        "Les référendums organisés dans les régions occupées sont des faux, disent les Alliés.",
    )
    result = align(left, right)
    assert [(link.left, link.right) for link in result.links] == [(0, 2), (1, 1), (2, 0)]
    assert result.omissions == () and result.additions == ()


def test_unrelated_paragraphs_do_not_pair():
    left = body("Le Parlement européen a adopté le budget agricole pour la prochaine saison.")
    right = body("Les forces russes ont bombardé les infrastructures électriques de Kharkiv.")
    result = align(left, right)
    assert result.links == ()
    assert result.omissions == (0,) and result.additions == (0,)


def test_boilerplate_and_titles_are_not_compared_unless_asked():
    notice = "Lire la suite : abonnez-vous à notre lettre d'information quotidienne gratuite."
    left = [ParagraphText(0, notice, "boilerplate"), ParagraphText(1, "Titre du sommet", "title")]
    right = [ParagraphText(0, notice, "boilerplate"), ParagraphText(1, "Titre du sommet", "title")]
    result = align(left, right)
    assert result.links == ()
    assert result.omissions == () and result.additions == ()  # only body paragraphs count
    with_all = align(left, right, include_non_body=True)
    assert [(link.left, link.right) for link in with_all.links] == [(0, 0), (1, 1)]


def test_transliterated_place_names_make_paragraphs_similar():
    left = body("Les forces russes ont bombardé Louhansk et Zaporizhia pendant la nuit.")
    right = body(
        "Les forces russes ont bombardé Kharkiv et Odessa pendant la nuit.",
        "Les forces russes ont bombardé Lougansk et Zaporozhye pendant la nuit.",
    )
    scores = similarity_matrix(left, right)
    assert scores[0, 1] > scores[0, 0] + 0.03
    links = {link.right: link for link in align(left, right).links}
    assert 1 in links
    assert 0 not in links or links[0].confidence < links[1].confidence


def test_spelling_variants_alone_score_above_other_names():
    names = body("Louhansk", "Zaporizhia")
    variants = body("Lougansk", "Zaporozhye", "Zaporizhzhya", "Kherson", "Donetsk")
    scores = similarity_matrix(names, variants)
    assert scores[0, 0] > 0.1 and scores[1, 1] > 0.05 and scores[1, 2] > 0.1
    assert scores[0, 0] > 5 * max(scores[0, 3], scores[0, 4])  # Kherson, Donetsk
    assert scores[1, 1] > 5 * max(scores[1, 3], scores[1, 4])


def test_generic_paragraph_does_not_pair_with_every_paragraph():
    generic = "La guerre de la Russie contre l'Ukraine continue."
    topics = [
        "les sanctions financières visent les banques",
        "les livraisons d'armes lourdes arrivent par la Pologne",
        "les négociations de paix restent suspendues à Istanbul",
        "les réfugiés ukrainiens sont accueillis en Moldavie",
        "les exportations de céréales passent par Odessa",
        "le gazoduc Nord Stream est fermé pour maintenance",
    ]
    left = body(generic, *[f"Cette semaine, {topic} selon les autorités." for topic in topics])
    right = body(*[f"{topic.capitalize()}, alors que la guerre continue." for topic in topics])
    result = align(left, right)
    assert len(result.partners_of_left(0)) <= 1
    for k in range(len(topics)):
        assert k in result.partners_of_left(k + 1)


def test_a_shared_passage_links_paragraphs_that_say_much_else():
    left = body(
        "Les Alliés ne reconnaissent pas l'annexion de la Crimée. Les faux référendums "
        "organisés à Donetsk, Louhansk, Zaporizhia et Kherson n'ont aucune légitimité et "
        "violent la Charte. Ces terres sont l'Ukraine. Nous appelons tous les États à rejeter "
        "les tentatives de conquête territoriale et à soutenir l'aide humanitaire.",
        "Nous soutenons l'Ukraine dans sa défense contre l'agression russe.",
    )
    right = body(
        "Stoltenberg: les scrutins fictifs n'ont aucune légitimité et ne changent pas la "
        "nature de la guerre, a-t-il dit sur Twitter.",
        "Les exportations de céréales reprennent depuis Odessa.",
    )
    scores = similarity_matrix(left, right, background=SEED_BACKGROUND)
    assert scores[0, 0] < 0.2  # the paragraphs as wholes are far apart
    # Offered as a loose suggestion: a five-word passage on a two-paragraph comparison.
    result = align(left, right, background=SEED_BACKGROUND, threshold=LOWEST_THRESHOLD)
    (link,) = [link for link in result.links if (link.left, link.right) == (0, 0)]
    assert link.relation in ("quotes", "restates")
    assert [q.text for q in link.quotes] == ["n'ont aucune légitimité et"]


def test_a_phrase_a_statement_repeats_does_not_link_on_its_own():
    formula = "le secrétaire général de l'OTAN"
    stocks = (
        f"Selon {formula}, les stocks de munitions des armées européennes sont très bas et "
        "les usines tournent au ralenti faute de commandes publiques."
    )
    door = "la porte reste ouverte à la Finlande et à la Suède malgré les objections turques."
    right = body(
        f"Hier, {formula} a rencontré le président roumain à Bucarest pour parler de la mer "
        "Noire et des exercices navals prévus au printemps."
    )
    # Once in each statement or repeated, a formula shared by paragraphs that say different
    # things (munitions, a visit to Bucharest) is no correspondence.
    once = align(body(stocks, f"Pour Ankara, {door}"), right)
    assert once.links == ()
    twice = align(body(stocks, f"Pour {formula}, {door}"), right)
    assert twice.links == ()


def test_links_are_sorted_and_partners_are_listed_from_both_sides():
    left = body(
        "Des sanctions massives frappent les banques russes et la banque centrale.",
        "Les livraisons d'armes lourdes à l'Ukraine passent par la Pologne.",
    )
    right = body(
        "Les livraisons d'armes lourdes transitent par la Pologne vers l'Ukraine.",
        "Les banques russes et la banque centrale subissent des sanctions massives.",
    )
    result = align(left, right)
    assert [(link.left, link.right) for link in result.links] == [(0, 1), (1, 0)]
    assert result.partners_of_left(0) == [1] and result.partners_of_right(0) == [1]
    assert all(0 < link.score <= 1 for link in result.links)


def test_alignment_is_deterministic_and_json_ready():
    left, right = seed("002"), seed("004")
    first = align(left, right, background=SEED_BACKGROUND)
    second = align(list(left), list(right), background=SEED_BACKGROUND)
    assert first == second
    document = json.loads(json.dumps(first.to_dict()))
    assert document == first.to_dict()
    assert document["engine"] == ENGINE_VERSION
    assert {"left", "right", "score", "relation", "quotes"} <= set(document["links"][0])


def test_empty_statements_give_an_empty_alignment():
    result = align([], [])
    assert result.links == () and result.omissions == () and result.additions == ()
    only_grammar = align(body("Et de la, à la."), body("Et de la, à la."))
    assert only_grammar.links == ()


def test_background_is_picklable_and_discounts_words_common_in_the_corpus():
    restored = pickle.loads(pickle.dumps(SEED_BACKGROUND))
    assert restored == SEED_BACKGROUND
    assert SEED_BACKGROUND.df["russ"] > SEED_BACKGROUND.df["referendum"] > 0
    assert SEED_BACKGROUND.df["#lou"] > 0  # character n-grams, prefixed
    left = body("La Russie et l'Ukraine. Le référendum est fictif.")
    right = body("La Russie et l'Ukraine. Un autre sujet entièrement différent.")
    common = Background.from_texts(["La Russie et l'Ukraine."] * 50)
    assert (
        similarity_matrix(left, right, background=common)[0, 0]
        < (similarity_matrix(left, right)[0, 0])
    )


# The seed texts


@pytest.mark.parametrize("background", [None, SEED_BACKGROUND], ids=["alone", "corpus"])
def test_seed_fake_referendums_link_to_fictitious_referendums(background):
    left, right = seed("000"), seed("001")
    fake = position_of(left, "Les faux référendums organisés dans les régions")
    fictitious = position_of(right, "Les référendums fictifs n’ont aucune légitimité")
    result = align(left, right, background=background)
    assert fictitious in result.partners_of_left(fake)


@pytest.mark.parametrize("background", [None, SEED_BACKGROUND], ids=["alone", "corpus"])
def test_seed_gravest_threat_links_across_the_two_nato_texts(background):
    left, right = seed("002"), seed("004")
    summit = position_of(left, "la menace la plus grave qui pèse sur la sécurité euro-atlantique")
    call = position_of(right, "la plus grave menace pour la sécurité euro-atlantique")
    result = align(left, right, background=background)
    assert call in result.partners_of_left(summit)
    (link,) = [x for x in result.links if (x.left, x.right) == (summit, call)]
    quoted = [words(q.text) for q in link.quotes]
    assert words("la sécurité euro-atlantique depuis des décennies") in quoted


def test_seed_links_carry_exact_quote_offsets():
    left, right = seed("002"), seed("004")
    texts_left = {p.position: p.text for p in left}
    texts_right = {p.position: p.text for p in right}
    quotes = [(link, q) for link in align(left, right).links for q in link.quotes]
    assert quotes
    for link, quote in quotes:
        assert texts_left[link.left][quote.left_start : quote.left_end] == quote.text
        right_text = texts_right[link.right][quote.right_start : quote.right_end]
        assert words(right_text) == words(quote.text)


@pytest.mark.parametrize(("left", "right"), [("000", "001"), ("000", "003"), ("002", "004")])
def test_aligning_at_a_threshold_gives_what_a_stored_alignment_filtered_to_it_gives(left, right):
    # `manage.py align` computes at its own threshold; pages filter a stored alignment
    # computed down to the lowest one. Both must show a reader the same links.
    lowest = align(seed(left), seed(right), background=SEED_BACKGROUND, threshold=LOWEST_THRESHOLD)
    for threshold in (DEFAULT_THRESHOLD, 0.7):
        direct = align(seed(left), seed(right), background=SEED_BACKGROUND, threshold=threshold)
        assert direct.links == lowest.at(threshold).links
        assert direct.omissions == lowest.at(threshold).omissions
        assert direct.additions == lowest.at(threshold).additions
        assert direct.quotations == lowest.quotations


# The same alignment in every process: nothing may hang on the order a set or a dict of
# strings happens to take under a given hash seed.
SAME_IN_EVERY_PROCESS = """
import json, sys
from pathlib import Path
from statements.alignment import evaluation, align
for name, left, right, _ in evaluation.load(Path(sys.argv[1])):
    if name.startswith("seeds-"):
        found = align(left.paragraphs, right.paragraphs, threshold=0.2)
        links = [(x.left, x.right, x.relation, x.reasons, x.evidence) for x in found.links]
        print(json.dumps([found.quotations, links], sort_keys=True))
"""


def test_an_alignment_is_the_same_under_every_hash_seed():
    root = Path(__file__).resolve().parent.parent
    outputs = {
        subprocess.run(
            [
                sys.executable,
                "-c",
                SAME_IN_EVERY_PROCESS,
                str(root / "tests" / "data" / "alignment"),
            ],
            capture_output=True,
            text=True,
            check=True,
            cwd=root,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1 and '"fidelity"' in next(iter(outputs))
