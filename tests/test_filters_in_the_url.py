"""Shareable URLs carry only the filters in force: a form sent with blank fields is
redirected (without JavaScript), and htmx is told the clean URL to push."""

from __future__ import annotations

import pytest
from django.utils.html import escape
from lxml import html

from .conftest import make_source, make_statement

pytestmark = pytest.mark.django_db

BLANK_LIST_FILTERS = {"source": "nato", "event": "", "language": "", "year": ""}


def test_the_statement_list_drops_blank_filters_from_its_url(client, seeded):
    response = client.get("/statements/", BLANK_LIST_FILTERS)
    assert response.status_code == 302
    assert response["Location"] == "/statements/?source=nato"
    page = client.get(response["Location"]).content.decode()
    assert "3 statements" in page
    assert escape(seeded["001"].title) not in page


def test_a_list_with_every_filter_blank_is_the_plain_list(client, seeded):
    response = client.get("/statements/", {"source": "", "event": "", "year": ""})
    assert response.status_code == 302
    assert response["Location"] == "/statements/"


def test_a_list_url_with_only_filters_in_force_is_served_as_it_is(client, seeded):
    response = client.get("/statements/?source=nato&year=2022")
    assert response.status_code == 200
    assert "3 statements" in response.content.decode()


def test_htmx_filtering_pushes_the_clean_url(client, seeded):
    response = client.get("/statements/", BLANK_LIST_FILTERS, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response["HX-Push-Url"] == "/statements/?source=nato"
    body = response.content.decode()
    assert body.strip().startswith('<section id="results"') and "3 statements" in body
    # Nothing to clean: the URL htmx pushes itself is already the clean one.
    clean = client.get("/statements/", {"source": "nato"}, headers={"HX-Request": "true"})
    assert "HX-Push-Url" not in clean


def test_page_links_carry_only_the_filters_in_force(client, seeded):
    source = make_source("Agence")
    for _ in range(25):
        make_statement(source=source, paragraphs=1)
    query = {"source": source.slug, "event": "", "language": ""}
    response = client.get("/statements/", query, headers={"HX-Request": "true"})
    links = html.fragment_fromstring(response.content.decode()).xpath('.//a[@rel="next"]/@href')
    assert links == [f"?source={source.slug}&page=2"]


def test_the_search_page_drops_blank_filters_from_its_url(client, seeded):
    response = client.get(
        "/search/",
        {"q": "référendum", "source": "", "kind": "", "event": "", "date_from": ""},
    )
    assert response.status_code == 302
    assert response["Location"] == "/search/?q=r%C3%A9f%C3%A9rendum"
    page = client.get(response["Location"]).content.decode()
    assert "paragraphs in" in page


def test_a_search_link_written_with_percent_encoded_spaces_is_not_redirected(client, seeded):
    response = client.get("/search/?q=%22territoires%20occup%C3%A9s%22")
    assert response.status_code == 200
    assert "<mark>" in response.content.decode()


def test_htmx_search_pushes_the_clean_url(client, seeded):
    response = client.get(
        "/search/",
        {"q": "référendum", "kind": "state_media", "event": ""},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Push-Url"] == "/search/?q=r%C3%A9f%C3%A9rendum&kind=state_media"
    assert escape(seeded["001"].title) in response.content.decode()
