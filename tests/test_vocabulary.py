"""Distinctive vocabulary as a newcomer reads it: only significant terms (z >= 1.96), no
discourse words, weekdays or months, a bigram standing for its own words, and "No word
stands out" rather than weak terms; titles and headings counted, a repeated title once."""

from __future__ import annotations

import pytest
from lxml import html

from statements import charts, framing
from statements.framing import DEFAULT_MIN_Z, counted_texts, distinctive_terms
from statements.terms import LEFT_OUT_WORDS
from statements.text import shorten

from .conftest import make_source, make_statement


def terms(side) -> list[str]:
    return [term.term for term in side]


FILLED_FR = [
    "Ainsi, l'Alliance continue notamment de soutenir l'Ukraine mardi, et également en "
    "septembre. D'autre part, la guerre d'agression continue. Nous sommes là."
] * 6
PLAIN_FR = ["Les habitants ont voté pour rejoindre la Russie. Le vote a eu lieu dimanche."] * 6


def test_discourse_words_weekdays_and_months_are_never_distinctive_in_french():
    found = distinctive_terms(FILLED_FR, PLAIN_FR)
    assert set(terms(found.left)) == {"agression", "Alliance", "guerre", "soutenir", "Ukraine"}
    left_out = {"ainsi", "continue", "notamment", "également", "part", "mardi", "septembre"}
    left_out |= {"sommes"}
    everything = {term.term.casefold() for term in (*found.left, *found.right)}
    assert not everything & left_out
    assert "dimanche" not in everything
    # Nor do they count at any threshold.
    loose = distinctive_terms(FILLED_FR, PLAIN_FR, min_z=0)
    assert not {t.term.casefold() for t in (*loose.left, *loose.right)} & left_out


def test_discourse_words_weekdays_and_months_are_never_distinctive_in_english():
    left = [
        "However, Allies also continue to support Ukraine on Tuesday and in March; moreover "
        "they condemn the illegal annexation."
    ] * 6
    right = ["Residents voted to join Russia in the referendum held on Sunday in September."] * 6
    found = distinctive_terms(left, right, language="en", min_z=0)
    everything = {term.term.casefold() for term in (*found.left, *found.right)}
    assert {"illegal annexation", "support ukraine"} <= everything
    assert not everything & {"however", "moreover", "continue", "tuesday", "march", "sunday"}
    assert not everything & {"september"}


def test_only_significant_terms_are_listed_by_default():
    left = [
        "La sécurité euro-atlantique est menacée par la guerre.",
        "La guerre menace la paix.",
        "Nous défendrons chaque pouce du territoire.",
    ]
    right = [
        "La guerre est une opération spéciale.",
        "Le Donbass est protégé.",
        "La paix revient au Donbass.",
    ]
    loose = distinctive_terms(left, right, min_z=1.0)
    assert terms(loose.right) == ["Donbass"]
    assert 1.0 <= loose.right[0].z < DEFAULT_MIN_Z
    found = distinctive_terms(left, right)
    assert found.left == () and found.right == ()
    assert not found.stands_out
    assert found.min_z == DEFAULT_MIN_Z == 1.96


def test_a_bigram_and_its_own_word_are_one_entry_shown_as_the_bigram():
    left = [
        "Les Républiques populaires de Donetsk et de Lougansk ont voté.",
        "Les Républiques populaires ont demandé leur rattachement.",
        "Les Républiques populaires sont reconnues.",
        "Les Républiques ont voté.",
    ]
    right = ["L'Ukraine condamne l'annexion illégale des territoires occupés."] * 4
    found = distinctive_terms(left, right, min_z=0)
    listed = terms(found.left)
    assert "Républiques populaires" in listed
    assert "Républiques" not in listed and "populaires" not in listed
    entry = found.left[listed.index("Républiques populaires")]
    # The entry's counts and spellings are the bigram's own: what is highlighted is counted.
    assert (entry.left_count, entry.right_count) == (3, 0)
    assert entry.surfaces == ("Républiques populaires",)


def test_a_word_mostly_used_outside_a_listed_bigram_keeps_its_own_entry():
    left = ["La Russie occupée.", "La Russie occupée."] + ["Il y a la Russie."] * 6
    right = ["L'Ukraine résiste et se défend."] * 8
    listed = terms(distinctive_terms(left, right, min_z=0).left)
    assert "Russie occupée" in listed and "Russie" in listed


def test_titles_and_headings_count_once_and_chrome_not_at_all():
    paragraphs = [
        ("title", "Territoires occupés : la réponse"),
        ("title", "Territoires  occupés : la réponse"),
        ("dateline", "Publié le 30.9.2022"),
        ("heading", "Annexion"),
        ("body", "Le texte."),
        ("quote", "« Jamais. »"),
        ("caption", "REUTERS/Yves Herman"),
        ("boilerplate", "Lire la suite"),
        ("heading", "Annexion"),
    ]
    assert counted_texts(paragraphs) == [
        "Territoires occupés : la réponse",
        "Annexion",
        "Le texte.",
        "« Jamais. »",
    ]


def test_shortened_labels_end_on_a_whole_word():
    assert shorten("Républiques populaires de Donetsk et de Lougansk", 30) == (
        "Républiques populaires de…"
    )
    assert shorten("court", 30) == "court"
    assert shorten("Anticonstitutionnellement", 10) == "Anticonst…"
    bars = charts.diverging_bars(
        [framing.Term("Républiques populaires de Donetsk et Lougansk", "k", 3.0, 5, 0, ())], []
    )
    assert bars.bars[0].label == "Républiques populaires de…"


# --------------------------------------------------------------------------------------
# The pages


@pytest.mark.django_db
def test_a_seed_pair_where_nothing_stands_out_says_so(client, seeded):
    # NATO's statement on the referendums and RT's article on it: a few hundred words
    # each, and no word either uses significantly more than the other.
    left, right = seeded["000"], seeded["001"]
    response = client.get(f"/compare/{left.slug}/{right.slug}/")
    assert response.status_code == 200
    page = html.fromstring(response.content.decode())
    (section,) = page.xpath('//section[@aria-labelledby="framing-heading"]')
    text = " ".join(section.text_content().split())
    assert "No word stands out: neither side uses any word significantly more" in text
    assert "z ≥ 1.96" in text
    assert not section.xpath('.//*[contains(@class, "term-toggle")]')
    assert not section.xpath(".//svg")
    document = client.get(f"/compare/{left.slug}/{right.slug}.json").json()
    assert document["distinctive"] == {"left": [], "right": []}


@pytest.mark.django_db
def test_a_seed_pair_lists_only_significant_content_words(client, seeded):
    left, right = seeded["002"], seeded["003"]
    document = client.get(f"/compare/{left.slug}/{right.slug}.json").json()
    listed = [*document["distinctive"]["left"], *document["distinctive"]["right"]]
    assert listed
    assert all(term["z"] >= 1.96 for term in listed)
    left_out = LEFT_OUT_WORDS["fr"]
    assert not any(word in left_out for t in listed for word in t["term"].casefold().split())
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    assert "No word stands out:" not in page
    assert "markedly" not in page


@pytest.mark.django_db
def test_a_source_page_says_when_no_word_stands_out(client, db):
    lone = make_source("Agence solitaire")
    make_statement(source=lone, paragraphs=["Le conseil se réunit demain à Bruxelles."])
    make_statement(source=make_source("Autre"), paragraphs=["Le conseil se réunit à Paris."])
    page = html.fromstring(client.get(lone.get_absolute_url()).content.decode())
    (section,) = page.xpath('//section[@aria-labelledby="source-vocabulary"]')
    text = " ".join(section.text_content().split())
    assert "No word stands out: Agence solitaire uses no word significantly more or less" in text
    assert "(one statement is little to go on)" in text
    assert not section.xpath(".//svg")


@pytest.mark.django_db
def test_a_source_page_charts_only_significant_words_titles_included(client, db):
    nato, others = make_source("NATO"), make_source("Others")
    for _ in range(6):
        statement = make_statement(
            source=nato,
            title="Dissuasion et défense",
            paragraphs=["Les Alliés renforcent la dissuasion.", "Ainsi, mardi, ils continuent."],
        )
        for position in (3, 4):  # the title, written twice above the text
            statement.paragraphs.create(position=position, text="Résilience", kind="title")
        make_statement(source=others, paragraphs=["Le Donbass vote pour la Russie."] * 2)
    page = html.fromstring(client.get(nato.get_absolute_url()).content.decode())
    (section,) = page.xpath('//section[@aria-labelledby="source-vocabulary"]')
    bars = section.xpath('.//*[local-name()="a"][contains(@class, "chart-term-l")]')
    labels = [bar.xpath('.//*[local-name()="title"]')[0].text for bar in bars]
    words = [label.split(":")[0] for label in labels]
    assert "Résilience" in words  # a title's word, counted once per statement
    resilience = labels[words.index("Résilience")]
    assert "(6 on the left" in resilience
    assert not {"ainsi", "mardi", "continuent"} & {word.casefold() for word in words}
    assert all(float(label.split("z ")[1].split(" ")[0]) >= 1.96 for label in labels)
