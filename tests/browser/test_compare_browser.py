"""The compare view in the browser: two texts in their own order, links drawn between them,
selection by click, keys and URL, the link panel, scrolling together, a phone's one text at a
time, and the page without JavaScript."""

from __future__ import annotations

import pytest

from .conftest import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def laptop(page):
    page.set_viewport_size(LAPTOP)
    return page


def compare_url(live_server, seeded, first="000", second="001") -> str:
    return f"{live_server.url}/compare/{seeded[first].slug}/{seeded[second].slug}/"


def in_view(page, selector: str) -> bool:
    """The element is inside the window and inside its column's visible part."""
    return page.evaluate(
        """selector => {
          const el = document.querySelector(selector);
          const box = el.getBoundingClientRect();
          const pane = el.closest('.pane');
          const frame = pane ? pane.getBoundingClientRect() : {top: 0, bottom: innerHeight};
          const top = Math.max(frame.top, 0), bottom = Math.min(frame.bottom, innerHeight);
          return box.top < bottom - 10 && box.bottom > top + 10;
        }""",
        selector,
    )


def classes(page, selector: str) -> str:
    return page.locator(selector).get_attribute("class")


def links_on_page(page) -> list[tuple[int, int]]:
    return page.evaluate(
        "() => Array.from(document.querySelectorAll('#pane-l a.partner'))"
        ".map(a => [Number(a.dataset.l), Number(a.dataset.r)])"
    )


def test_each_text_keeps_its_order_and_every_link_is_drawn(live_server, laptop, seeded):
    page = laptop
    page.goto(compare_url(live_server, seeded))
    for side in ("l", "r"):
        order = page.evaluate(
            f"() => Array.from(document.querySelectorAll('#pane-{side} > .cell'))"
            ".map(c => Number(c.dataset.pos))"
        )
        assert order == sorted(order) and len(order) >= 4
    links = links_on_page(page)
    assert len(links) >= 3
    page.locator("#pane-l").evaluate("el => el.scrollTop = 0")
    page.locator("#pane-r").evaluate("el => el.scrollTop = 0")
    page.wait_for_timeout(100)
    drawn = page.locator("#reader .gutter svg path.connector").count()
    assert 1 <= drawn <= len(links)
    # The strips show each paragraph of each column.
    assert page.locator(".strip-l rect.block").count() == page.locator("#pane-l > .cell").count()
    assert page.errors == []


def test_selecting_a_paragraph_highlights_its_partners_beside_it(live_server, laptop, seeded):
    page = laptop
    page.goto(compare_url(live_server, seeded))
    left, right = links_on_page(page)[-1]
    page.click(f"#meta-l{left} a.para-pos")
    assert "is-selected" in classes(page, f"#l{left}")
    assert "is-partner" in classes(page, f"#r{right}")
    assert in_view(page, f"#l{left}") and in_view(page, f"#r{right}")
    page.wait_for_selector("#link-panel .pair-panel")
    assert page.evaluate("location.hash") == f"#l{left}"
    assert page.locator("#announcer").inner_text().startswith("NATO ¶")
    assert page.errors == []


def test_clicking_a_partner_or_a_connector_selects_that_link(live_server, laptop, seeded):
    page = laptop
    page.goto(compare_url(live_server, seeded))
    left, right = links_on_page(page)[0]
    page.click(f"#meta-r{right} a.partner[data-l='{left}']")
    assert "is-selected" in classes(page, f"#l{left}") and "is-selected" in classes(
        page, f"#r{right}"
    )
    panel = page.locator("#link-panel .pair-panel")
    panel.wait_for()
    assert (panel.get_attribute("data-l"), panel.get_attribute("data-r")) == (str(left), str(right))
    assert page.locator("#link-panel .panel-passages blockquote").count() == 2
    hit = page.locator("#reader .gutter path.connector-hit").first
    other = (int(hit.get_attribute("data-l")), int(hit.get_attribute("data-r")))
    hit.dispatch_event("click")
    assert page.evaluate("location.hash") == f"#pair-l{other[0]}-r{other[1]}"
    assert page.errors == []


def test_a_pair_url_selects_that_link_and_shows_it(live_server, laptop, seeded):
    page = laptop
    url = compare_url(live_server, seeded)
    page.goto(url)
    left, right = links_on_page(page)[-1]
    page.goto(f"{url}#pair-l{left}-r{right}")
    page.wait_for_selector("#link-panel .pair-panel")
    page.wait_for_function(
        "id => document.getElementById(id).classList.contains('is-selected')", arg=f"l{left}"
    )
    page.wait_for_timeout(200)
    assert "is-selected" in classes(page, f"#r{right}")
    assert in_view(page, f"#l{left}") and in_view(page, f"#r{right}")
    assert (
        page.locator("#link-panel h2").inner_text().endswith(f"¶{left} ↔ RT (attributed) ¶{right}")
    )
    assert page.errors == []


def test_keys_walk_the_links_enter_opens_the_panel_and_escape_closes_it(
    live_server, laptop, seeded
):
    page = laptop
    page.goto(compare_url(live_server, seeded))
    links = links_on_page(page)
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == f"#pair-l{links[0][0]}-r{links[0][1]}"
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == f"#pair-l{links[1][0]}-r{links[1][1]}"
    page.keyboard.press("k")
    assert page.evaluate("location.hash") == f"#pair-l{links[0][0]}-r{links[0][1]}"
    assert page.locator("#link-panel").is_hidden()
    page.keyboard.press("Enter")
    page.wait_for_selector("#link-panel .pair-panel")
    page.wait_for_function("() => document.activeElement.id === 'panel-title'")
    page.keyboard.press("Escape")
    assert page.locator("#link-panel").is_hidden()
    assert page.evaluate("document.activeElement.id") != "panel-title"
    assert page.errors == []


def test_the_texts_scroll_together_anchored_on_their_links(live_server, laptop, seeded):
    page = laptop
    # The summit declaration and the news item: long enough to scroll, several links.
    page.goto(compare_url(live_server, seeded, "002", "004"))
    assert page.locator("#sync-scroll").is_checked()
    links = links_on_page(page)
    left = links[len(links) // 2][0]
    # Put the left paragraph on the reading line (a third of the way down its column).
    page.locator("#pane-l").evaluate(
        f"el => el.scrollTop = document.getElementById('l{left}').offsetTop - el.clientHeight / 3"
    )
    page.wait_for_timeout(300)
    # The right column scrolled so that the partner the left paragraph is anchored on
    # stands level with it, as far as the right column can scroll.
    expected, actual = page.evaluate(
        f"""() => {{
          const left = document.getElementById('pane-l'), right = document.getElementById('pane-r');
          const level = document.getElementById('l{left}').offsetTop - left.scrollTop;
          const anchor = document.querySelector('#pane-l a.partner[data-l="{left}"]').dataset.r;
          const target = document.getElementById('r' + anchor).offsetTop - level;
          const most = right.scrollHeight - right.clientHeight;
          return [Math.max(0, Math.min(target, most)), right.scrollTop];
        }}"""
    )
    assert abs(expected - actual) < 3 and actual > 0
    page.uncheck("#sync-scroll")
    before = page.locator("#pane-r").evaluate("el => el.scrollTop")
    page.locator("#pane-l").evaluate("el => el.scrollTop = 0")
    page.wait_for_timeout(200)
    assert page.locator("#pane-r").evaluate("el => el.scrollTop") == before
    assert page.errors == []


def test_on_a_phone_one_text_shows_at_a_time_and_the_links_as_cards(live_server, phone, seeded):
    page = phone
    page.goto(compare_url(live_server, seeded))
    assert fits_the_width(page)
    assert page.locator("#pane-l").is_visible() and page.locator("#pane-r").is_hidden()
    assert page.locator("#pairs").is_hidden()
    page.check(".view-switch input[value=r]")
    assert page.locator("#pane-r").is_visible() and page.locator("#pane-l").is_hidden()
    page.check(".view-switch input[value=links]")
    assert page.locator("#pairs").is_visible() and page.locator("#reader").is_hidden()
    cards = page.locator(".pair-card")
    assert cards.count() >= 3 and cards.first.locator("blockquote").count() == 2
    assert fits_the_width(page)
    # A card opens its link in a panel over the page, no wider than the screen.
    cards.first.locator("a.pair-open").click()
    page.wait_for_selector("#link-panel .pair-panel")
    box = page.locator("#link-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    assert fits_the_width(page)
    page.click(".panel-close")
    assert page.locator("#link-panel").is_hidden()
    assert page.errors == []


def test_without_javascript_partners_lead_to_the_pair_and_its_own_page(
    live_server, browser, seeded
):
    context = browser.new_context(java_script_enabled=False, viewport=LAPTOP)
    page = context.new_page()
    page.goto(compare_url(live_server, seeded))
    chip = page.locator("#pane-l a.partner").first
    anchor = chip.get_attribute("href")
    assert "¶" in chip.inner_text() and chip.get_attribute("data-rel") in chip.inner_text()
    chip.click()
    assert page.evaluate("location.hash") == anchor
    card = page.locator(anchor)
    card.locator("a.pair-open").click()
    page.wait_for_selector("article.pair-panel")
    assert page.locator("article.pair-panel blockquote").count() == 2
    page.click("a.panel-back")
    assert page.url.endswith(anchor)
    context.close()


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
    assert page.locator("#terms-chart .scroll-hint").is_visible()  # and says so
    label = page.locator("#terms-chart .bar-label").first
    assert label.bounding_box()["height"] >= 9  # a readable size (it was about 5 px)
    assert page.errors == []
