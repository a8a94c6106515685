"""A statement's page as a newcomer meets it: the title once, repeats and chrome folded but
kept, the kind of a paragraph in its first line, and the navigation around it."""

from __future__ import annotations

import pytest
from lxml import html

from statements.models import Paragraph

from .conftest import make_source, make_statement

pytestmark = pytest.mark.django_db


def parse(response):
    return html.fromstring(response.content.decode())


def test_the_title_shows_once_and_its_repeats_are_folded_but_kept(client, seeded):
    # Seed 000 repeats its title twice above the text.
    statement = seeded["000"]
    response = client.get(statement.get_absolute_url())
    assert response.status_code == 200
    page = parse(response)
    (heading,) = page.xpath("//h1")
    assert heading.text_content().strip() == statement.title
    titles = list(statement.paragraphs.filter(kind=Paragraph.Kind.TITLE))
    assert len(titles) == 2
    for paragraph in titles:
        (folded,) = page.xpath(f'//details[@id="{paragraph.anchor}"]')
        assert "para-folded" in folded.get("class")
        assert folded.get("open") is None
        assert folded.xpath("./summary")[0].text_content().split() == [
            str(paragraph.position),
            "The",
            "title,",
            "repeated",
        ]
        # Kept in the text, readable once opened, and annotatable.
        assert paragraph.text in folded.text_content()
        assert folded.xpath(f'.//*[@data-paragraph-id="{paragraph.pk}"]')
    # Shown open, the title is in the page once: in its heading.
    shown = [
        element.text_content()
        for element in page.xpath('//div[contains(@class, "para ")]//p')
        if statement.title in element.text_content()
    ]
    assert shown == []
    header = page.xpath('//header[@class="statement-header"]')[0].text_content()
    assert "2 paragraphs repeating the title; open one to read it." in " ".join(header.split())


def test_a_title_paragraph_that_is_not_the_heading_shows_open(client, db):
    statement = make_statement(title="Déclaration de l'OTAN", paragraphs=["Texte du corps."])
    statement.paragraphs.create(position=2, text="Un tout autre titre de rubrique", kind="title")
    page = parse(client.get(statement.get_absolute_url()))
    (shown,) = page.xpath('//div[@id="p2"]')
    assert "Un tout autre titre de rubrique" in shown.text_content()
    assert not page.xpath("//details")
    assert "Folded" not in page.xpath('//header[@class="statement-header"]')[0].text_content()


def test_boilerplate_and_title_repeats_are_counted_apart(client, seeded):
    # Seed 001 opens with its title after a dateline ("date 2022-09 Le chef du bloc…") and
    # carries a line of site chrome.
    statement = seeded["001"]
    page = parse(client.get(statement.get_absolute_url()))
    header = " ".join(page.xpath('//header[@class="statement-header"]')[0].text_content().split())
    assert (
        "Folded, kept in the text: 1 paragraph repeating the title, "
        "1 paragraph of site boilerplate; open one to read it." in header
    )
    assert len(page.xpath('//details[contains(@class, "para-boilerplate")]')) == 1
    assert len(page.xpath('//details[contains(@class, "para-title")]')) == 1


def test_a_paragraphs_kind_runs_in_its_first_line_not_above_it(client, seeded):
    statement = seeded["003"]
    dateline = statement.paragraphs.get(kind=Paragraph.Kind.DATELINE)
    page = parse(client.get(statement.get_absolute_url()))
    (text,) = page.xpath(f'//div[@id="{dateline.anchor}"]/p')
    (kind,) = text.xpath('./span[@class="para-kind"]')
    assert kind.text_content() == "Dateline"
    assert text.text_content().endswith(dateline.text)
    # The kind is outside the paragraph's own text, which notes are anchored in.
    (own,) = text.xpath("./span[@data-paragraph-text]")
    assert own.text_content() == dateline.text


def test_the_statement_page_picks_another_statement_to_compare_with(client, seeded):
    statement = seeded["000"]
    page = parse(client.get(statement.get_absolute_url()))
    (form,) = page.xpath('//section[@aria-labelledby="compare-with"]//form')
    assert form.get("action") == "/compare/"
    assert form.xpath('.//input[@type="hidden"][@name="left"]/@value') == [statement.slug]
    options = form.xpath('.//select[@name="right"]/option/@value')
    assert statement.slug not in options
    assert set(options) == {""} | {s.slug for s in seeded.values() if s != statement}


def test_the_navigation_leads_to_the_shared_comparisons(client, seeded):
    for url in ("/", "/statements/", seeded["000"].get_absolute_url(), "/search/"):
        page = parse(client.get(url))
        (link,) = page.xpath('//nav[@aria-label="Main"]//a[text()="Shared comparisons"]')
        assert link.get("href") == "/comparisons/"
    assert client.get("/comparisons/").status_code == 200


def test_statement_page_queries_stay_bounded_with_many_title_repeats(
    client, db, django_assert_max_num_queries
):
    statement = make_statement(title="Le titre répété", paragraphs=["Corps du texte."] * 3)
    for position in range(4, 404):
        statement.paragraphs.create(position=position, text="Le titre répété", kind="title")
    with django_assert_max_num_queries(10):
        response = client.get(statement.get_absolute_url())
    assert response.content.decode().count("The title, repeated") == 400


def test_the_home_pickers_cut_long_titles_at_a_word_boundary(client, db):
    title = (
        "Le chef du bloc, Jens Stoltenberg, affirme que le vote fictif n'a aucune légitimité "
        "et appelle à davantage de soutien pour l'Ukraine avec le monde entier"
    )
    statement = make_statement(title=title, source=make_source("RT"))
    page = parse(client.get("/"))
    for side in ("left", "right"):
        (label,) = page.xpath(f'//select[@name="{side}"]/option[@value="{statement.slug}"]/text()')
        prefix = "RT · 30 September 2022 · "
        assert label.startswith(prefix) and label.endswith("…")
        shown = label.removeprefix(prefix).removesuffix("…")
        assert len(label) <= len(prefix) + 80
        assert title.startswith(shown + " ")  # whole words, cut before a space
        assert not shown.endswith((",", " "))
