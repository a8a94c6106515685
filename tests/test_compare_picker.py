"""The compare picker: a menu while there are few statements; a search box with the
statements its words match when there are many, with htmx and without JavaScript."""

from __future__ import annotations

import datetime

import pytest
from lxml import html

from statements.forms import reading

from .conftest import make_source, make_statement

pytestmark = pytest.mark.django_db


def parse(response):
    return html.fromstring(response.content.decode())


@pytest.fixture
def many(db, monkeypatch):
    """More statements than a menu lists (the limit lowered to keep the test quick)."""
    monkeypatch.setattr(reading, "PICKER_MENU_MAX", 5)
    nato, rt = make_source("NATO"), make_source("RT")
    statements = {
        "referendums": make_statement(
            source=nato,
            title="L'OTAN réagit aux référendums organisés dans les territoires occupés",
            published_on=datetime.date(2022, 9, 22),
        ),
        "annexion": make_statement(
            source=rt,
            title="Le chef du bloc qualifie les référendums de fictifs",
            published_on=datetime.date(2022, 9, 20),
        ),
    }
    for day in range(1, 11):
        statements[f"sommet-{day}"] = make_statement(
            source=nato,
            title=f"Sommet de Madrid, jour {day}",
            published_on=datetime.date(2022, 6, day),
        )
    return statements


def test_few_statements_are_listed_in_a_menu(client, seeded):
    page = parse(client.get("/compare/"))
    for side in ("left", "right"):
        options = page.xpath(f'//select[@name="{side}"]/option/@value')
        assert set(options) == {""} | {s.slug for s in seeded.values()}
    assert not page.xpath('//input[@type="search"]')


def test_many_statements_get_a_search_box_not_a_menu(client, many):
    response = client.get("/")
    page = parse(response)
    assert not page.xpath('//form[@action="/compare/"]//select')
    for side in ("left", "right"):
        (box,) = page.xpath(f'//input[@type="search"][@name="{side}_q"]')
        assert box.get("hx-get") == "/compare/"
        assert box.get("hx-target") == f"#{side}-choices"
        assert page.xpath(f'//div[@id="{side}-choices"]')
        assert page.xpath(f'//label[@for="{box.get("id")}"]')


def test_typing_in_a_box_suggests_the_statements_it_matches(client, many):
    headers = {"HX-Request": "true", "HX-Trigger-Name": "left_q"}
    response = client.get("/compare/", {"left_q": "otan référendums"}, headers=headers)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and "<form" not in body
    assert body.strip().startswith('<div class="picker-choices" id="left-choices">')
    fragment = html.fragment_fromstring(body)
    (choice,) = fragment.xpath('.//input[@type="radio"][@name="left"]')
    assert choice.get("value") == many["referendums"].slug
    assert choice.get("checked") is not None  # the one match is chosen
    label = fragment.xpath(".//label")[0].text_content()
    assert "NATO · 22 September 2022" in " ".join(label.split())


def test_suggestions_are_bounded_and_say_when_more_match(client, many):
    headers = {"HX-Request": "true", "HX-Trigger-Name": "right_q"}
    body = client.get("/compare/", {"right_q": "Madrid"}, headers=headers).content.decode()
    fragment = html.fragment_fromstring(body)
    radios = fragment.xpath('.//input[@type="radio"][@name="right"]')
    assert len(radios) == reading.PICKER_MATCHES
    assert not any(radio.get("checked") is not None for radio in radios)
    assert "More statements match: add words to narrow the list." in body
    # Newest first.
    assert radios[0].get("value") == many["sommet-10"].slug


def test_accents_and_case_aside_a_box_finds_its_statement(client, many):
    headers = {"HX-Request": "true", "HX-Trigger-Name": "left_q"}
    body = client.get("/compare/", {"left_q": "REFERENDUMS organises"}, headers=headers)
    fragment = html.fragment_fromstring(body.content.decode())
    values = fragment.xpath('.//input[@type="radio"]/@value')
    assert values == [many["referendums"].slug]


def test_a_box_that_matches_nothing_says_so(client, many):
    headers = {"HX-Request": "true", "HX-Trigger-Name": "left_q"}
    body = client.get("/compare/", {"left_q": "Vladivostok"}, headers=headers).content.decode()
    assert "No statement matches “Vladivostok”." in body
    assert "radio" not in body


def test_without_javascript_boxes_that_match_one_statement_each_go_to_the_comparison(client, many):
    left, right = many["referendums"], many["annexion"]
    response = client.get("/compare/", {"left_q": "territoires occupés", "right_q": "fictifs"})
    assert response.status_code == 302
    assert response["Location"] == f"/compare/{left.slug}/{right.slug}/"


def test_without_javascript_several_matches_come_back_to_choose_from(client, many):
    response = client.get("/compare/", {"left_q": "Madrid", "right_q": "fictifs"})
    assert response.status_code == 400
    page = parse(response)
    assert "Several statements match: choose one." in page.text_content()
    left = page.xpath('//div[@id="left-choices"]//input[@type="radio"]/@value')
    assert len(left) == reading.PICKER_MATCHES
    # The side that matched one statement keeps it, chosen.
    (right,) = page.xpath('//div[@id="right-choices"]//input[@type="radio"][@checked]/@value')
    assert right == many["annexion"].slug
    # Choosing one of the listed statements then goes to the comparison.
    chosen = client.get(
        "/compare/",
        {"left_q": "Madrid", "left": left[2], "right_q": "fictifs", "right": right},
    )
    assert chosen.status_code == 302
    assert chosen["Location"] == f"/compare/{left[2]}/{right}/"


def test_without_javascript_a_box_that_matches_nothing_says_so_and_an_empty_one_asks(client, many):
    response = client.get("/compare/", {"left_q": "Vladivostok", "right_q": ""})
    assert response.status_code == 400
    text = " ".join(parse(response).text_content().split())
    assert "No statement matches “Vladivostok”" in text
    assert "Choose the right side." in text


def test_the_same_statement_on_both_sides_is_refused(client, many):
    response = client.get("/compare/", {"left_q": "territoires occupés", "right_q": "occupés"})
    assert response.status_code == 400
    assert "Pick two different statements" in response.content.decode()


def test_the_statement_page_searches_for_the_other_statement(client, many):
    statement = many["referendums"]
    page = parse(client.get(statement.get_absolute_url()))
    (form,) = page.xpath('//section[@aria-labelledby="compare-with"]//form')
    assert form.xpath('.//input[@name="left"]/@value') == [statement.slug]
    assert form.xpath('.//input[@type="search"]/@name') == ["right_q"]
    assert not form.xpath(".//select")
    response = client.get("/compare/", {"left": statement.slug, "right_q": "fictifs"})
    assert response["Location"] == f"/compare/{statement.slug}/{many['annexion'].slug}/"


def test_a_picker_of_thousands_asks_a_bounded_number_of_queries(
    client, many, monkeypatch, django_assert_max_num_queries
):
    for day in range(200):
        make_statement(paragraphs=1, title=f"Communiqué numéro {day}")
    vilnius = make_statement(paragraphs=1, title="Communiqué du sommet de Vilnius")
    with django_assert_max_num_queries(10):
        page = client.get("/").content.decode()
    assert "Communiqué numéro" not in page.split('id="compare-heading"')[1].split("</form>")[0]
    headers = {"HX-Request": "true", "HX-Trigger-Name": "left_q"}
    # How many statements; the corpus' stamp; the index of titles (cached after); matches.
    with django_assert_max_num_queries(4):
        body = client.get("/compare/", {"left_q": "Communiqué"}, headers=headers)
    assert body.content.decode().count('type="radio"') == reading.PICKER_MATCHES
    with django_assert_max_num_queries(3):
        body = client.get("/compare/", {"left_q": "COMMUNIQUE vilnius"}, headers=headers)
    values = html.fragment_fromstring(body.content.decode()).xpath(".//input/@value")
    assert values == [vilnius.slug]
