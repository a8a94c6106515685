from __future__ import annotations

import pytest

from .conftest import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TRANSPARENT = ("rgba(0, 0, 0, 0)", "transparent")


def test_typing_shows_live_results_and_a_hit_opens_its_highlighted_paragraph(
    live_server, page, seeded
):
    page.goto(f"{live_server.url}/search/")
    page.locator("input[type=search]").press_sequentially('"territoires occupés"', delay=20)
    hit = page.locator("#results a.hit-link").first
    hit.wait_for()
    assert "<mark>" in hit.inner_html()
    # The results came without a page load, and the address bar holds the search.
    page.wait_for_url("**/search/?q=*")
    assert "territoires" in page.url
    href = hit.get_attribute("href")
    assert href.startswith(seeded["000"].get_absolute_url() + "#p")
    hit.click()
    page.wait_for_url(f"**{href}")
    anchor = href.split("#")[1]
    assert page.evaluate("document.querySelector(':target')?.id") == anchor
    background = page.evaluate(
        "getComputedStyle(document.querySelector(':target')).backgroundColor"
    )
    assert background not in TRANSPARENT
    assert page.errors == []


def test_changing_a_filter_updates_the_results_and_the_address(live_server, page, seeded):
    page.goto(f"{live_server.url}/search/?q=r%C3%A9f%C3%A9rendum")
    assert page.locator("#results .search-group").count() == 3
    page.select_option("select[name=kind]", "state_media")
    page.wait_for_url("**kind=state_media*")
    page.wait_for_function("document.querySelectorAll('#results .search-group').length === 1")
    assert seeded["001"].title[:20] in page.locator("#results").inner_text()
    assert page.errors == []


def test_pressing_a_bar_of_the_terms_chart_highlights_the_term(live_server, page, seeded):
    # A pair where words stand out (not every pair has one).
    left, right = seeded["002"], seeded["003"]
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    bar = page.locator("svg.terms-chart a.term-toggle").first
    term = bar.get_attribute("data-term")
    bar.click()
    assert bar.get_attribute("aria-pressed") == "true"
    assert page.url.endswith(f"/compare/{left.slug}/{right.slug}/")  # the link did not navigate
    button = page.locator(f'button.term-toggle[data-term="{term}"]').first
    assert button.get_attribute("aria-pressed") == "true"
    marked = page.locator(f'span.term[data-term="{term}"]')
    assert marked.count() >= 1
    assert "is-active" in marked.first.get_attribute("class")
    bar.click()
    assert bar.get_attribute("aria-pressed") == "false"
    assert page.errors == []


@pytest.mark.parametrize("path", ["/search/?q=r%C3%A9f%C3%A9rendum", "/statements/", "/"])
def test_on_a_phone_pages_fit_the_screen_width(live_server, phone, seeded, path):
    """Long event names in the filters once made the search page wider than a phone."""
    phone.goto(f"{live_server.url}{path}")
    assert fits_the_width(phone)
    assert phone.errors == []
