"""The coverage matrix in the browser: a table on a laptop, a list per statement on a phone,
nothing wider than the screen, each cell opening the compare view at its pair."""

from __future__ import annotations

import pytest

from tests.test_coverage import link, make_event, store_alignment

from .conftest import PHONE, axe_violations, fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 900}


@pytest.fixture
def event(db):
    """The hand-made event, with the RT pair stored as today's engine stores links (score,
    relation, quotes), which the compare view reads."""
    hand_made = make_event()
    store_alignment(
        hand_made["nato"],
        hand_made["rt"],
        [link(1, 1, "quotes"), link(2, 2, "reframes"), link(4, 3, "contradicts")],
    )
    return hand_made


def coverage_url(live_server) -> str:
    return f"{live_server.url}/events/referendums/coverage/"


def test_on_a_laptop_the_matrix_is_a_table_whose_cells_open_the_pair(live_server, page, event):
    page.set_viewport_size(LAPTOP)
    page.goto(coverage_url(live_server))
    assert page.locator("table.coverage-table").is_visible()
    assert fits_the_width(page)
    assert axe_violations(page) == []
    cell = page.locator(f'td[data-paragraph="4"][data-statement="{event["rt"].slug}"] a')
    assert "contradicted" in cell.inner_text()
    cell.click()
    page.wait_for_url(f"**/compare/{event['nato'].slug}/{event['rt'].slug}/#pair-l4-r3")
    assert page.locator("#pair-l4-r3").count() == 1
    assert page.errors == []


def test_on_a_phone_the_matrix_is_a_list_per_statement(live_server, page, event):
    page.set_viewport_size(PHONE)
    page.goto(coverage_url(live_server))
    assert not page.locator("table.coverage-table").is_visible()
    lists = page.locator("ol.outlet-cells")
    assert lists.count() == 2 and lists.first.is_visible()
    assert fits_the_width(page)
    assert axe_violations(page) == []
    rt_list = page.locator(f'article[aria-labelledby="sum-{event["rt"].slug}"] ol.outlet-cells')
    rt_list.get_by_text("reframed").click()
    page.wait_for_url(f"**/compare/{event['nato'].slug}/{event['rt'].slug}/#pair-l2-r2")
    assert page.errors == []


def test_the_statement_page_box_and_the_echoes_page_fit_and_pass_axe(live_server, page, event):
    for viewport in (LAPTOP, PHONE):
        page.set_viewport_size(viewport)
        for path in (
            event["nato"].get_absolute_url(),
            f"{event['nato'].get_absolute_url()}p1/echoes/",
        ):
            page.goto(f"{live_server.url}{path}")
            assert fits_the_width(page), (viewport, path)
            assert axe_violations(page) == [], (viewport, path)
    assert page.errors == []
