from __future__ import annotations

import pytest

from .conftest import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clicking_a_partner_highlights_it_and_scrolls_it_into_view(live_server, page, seeded):
    left, right = seeded["000"], seeded["001"]
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    chip = page.locator(".cell-l a.partner").first
    target_id = chip.get_attribute("data-target")
    source_id = chip.evaluate("el => el.closest('.cell').id")
    chip.click()
    target = page.locator(f"#{target_id}")
    assert "is-highlighted" in target.get_attribute("class")
    assert "is-highlighted" in page.locator(f"#{source_id}").get_attribute("class")
    assert target.is_visible()
    box = target.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    assert page.errors == []


def test_a_pair_url_opens_with_the_pair_highlighted(live_server, page, seeded):
    left, right = seeded["000"], seeded["001"]
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    anchor = page.locator(".row-pair").last.get_attribute("id")
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/#{anchor}")
    row = page.locator(f"#{anchor}")
    page.wait_for_function(
        "id => document.getElementById(id).classList.contains('is-highlighted')", arg=anchor
    )
    box = row.bounding_box()
    assert 0 <= box["y"] < page.viewport_size["height"]
    assert page.errors == []


def test_pressing_a_distinctive_term_highlights_it_in_the_text(live_server, page, seeded):
    # A pair where words stand out on both sides (not every pair has one).
    left, right = seeded["002"], seeded["003"]
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    button = page.locator("button.term-toggle").first
    term = button.get_attribute("data-term")
    button.click()
    assert button.get_attribute("aria-pressed") == "true"
    marked = page.locator(f'span.term[data-term="{term}"]')
    assert marked.count() >= 1
    assert "is-active" in marked.first.get_attribute("class")
    assert page.errors == []


def test_on_a_phone_the_term_chart_keeps_readable_labels_and_scrolls_in_its_figure(
    live_server, phone, seeded
):
    page = phone
    # A pair where words stand out on both sides (not every pair has one).
    left, right = seeded["002"], seeded["003"]
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    assert fits_the_width(page)
    figure = page.locator("#terms-chart")
    assert figure.evaluate("el => el.scrollWidth > el.clientWidth")  # it scrolls, not the page
    label = page.locator("#terms-chart .bar-label").first
    assert label.bounding_box()["height"] >= 9  # a readable size (it was about 5 px)
    assert page.errors == []
