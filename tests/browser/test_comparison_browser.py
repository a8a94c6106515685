"""Saved comparisons in the browser: curating links in place (nothing moves, the focus
stays, the change is announced), a reader's own link, sharing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from statements.models import Comparison, Link

from .conftest import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 900}

# Where every paragraph of both columns stands on the screen, and how the columns scroll.
POSITIONS_JS = """() => {
  const cells = Array.from(document.querySelectorAll('#reader .cell'));
  const panes = Array.from(document.querySelectorAll('#reader .pane'));
  return {
    cells: cells.map(c => { const b = c.getBoundingClientRect();
      return [c.id, Math.round(b.left), Math.round(b.top), Math.round(b.height)]; }),
    scroll: panes.map(p => p.scrollTop).concat([window.scrollY]),
  };
}"""


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.fixture
def saved(seeded, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    owner = get_user_model().objects.create_user("ann", password=None)
    left, right = seeded["000"], seeded["001"]
    client = Client()
    client.force_login(owner)
    client.post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": "Votes, two readings", "visibility": "unlisted"},
    )
    return Comparison.objects.get()


def press_and_wait(page, button_id: str, state: str, link: Link) -> None:
    page.locator(f"#{button_id}").focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([l, r, state]) => document.querySelector("
        "`#pane-l a.partner[data-l='${l}'][data-r='${r}']`)?.dataset.state === state",
        arg=[link.left.position, link.right.position, state],
    )
    page.wait_for_timeout(150)


def test_curating_in_the_panel_moves_nothing_and_keeps_the_focus(live_server, page, saved):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, saved.owner)
    link = saved.links.select_related("left", "right").order_by("left__position").first()
    page.goto(f"{live_server.url}{saved.get_absolute_url()}#{link.anchor}")
    page.wait_for_selector(f"#panel-confirm-{link.pk}")
    page.wait_for_timeout(300)
    before = page.evaluate(POSITIONS_JS)

    press_and_wait(page, f"panel-confirm-{link.pk}", "confirmed", link)
    assert page.evaluate("document.activeElement.id") == f"panel-confirm-{link.pk}"
    assert page.evaluate(POSITIONS_JS) == before
    assert "confirmed" in page.locator("#announcer").inner_text()
    assert page.locator(f"#{link.anchor}.state-confirmed").count() == 1  # its card too
    assert "1 confirmed" in page.locator("#summary").inner_text()

    press_and_wait(page, f"panel-reject-{link.pk}", "rejected", link)
    assert page.evaluate("document.activeElement.id") == f"panel-reject-{link.pk}"
    assert page.evaluate(POSITIONS_JS) == before
    assert "rejected" in page.locator("#announcer").inner_text()
    assert page.locator("#reader path.connector.state-rejected").count() >= 1

    relation = page.locator(f"#panel-relation-{link.pk}")
    relation.focus()
    relation.select_option("contradicts")
    page.wait_for_function(
        "([l, r]) => document.querySelector(`#pane-l a.partner[data-l='${l}'][data-r='${r}']`)"
        "?.dataset.rel === 'contradicts'",
        arg=[link.left.position, link.right.position],
    )
    page.wait_for_timeout(150)
    assert page.evaluate("document.activeElement.id") == f"panel-relation-{link.pk}"
    assert page.evaluate(POSITIONS_JS) == before
    link.refresh_from_db()
    assert (link.state, link.relation) == ("rejected", "contradicts")
    assert page.errors == []


def test_curating_a_card_on_a_phone_moves_nothing_and_keeps_the_focus(live_server, phone, saved):
    page = phone
    sign_in(page, live_server, saved.owner)
    page.goto(f"{live_server.url}{saved.get_absolute_url()}")
    page.check(".view-switch input[value=links]")
    link = saved.links.select_related("left", "right").order_by("left__position").last()
    card = page.locator(f"#{link.anchor}")
    card.scroll_into_view_if_needed()
    cards_before = page.evaluate(
        "() => Array.from(document.querySelectorAll('.pair-card'))"
        ".map(c => Math.round(c.getBoundingClientRect().top))"
    )
    press_and_wait(page, f"card-confirm-{link.pk}", "confirmed", link)
    assert page.evaluate("document.activeElement.id") == f"card-confirm-{link.pk}"
    cards_after = page.evaluate(
        "() => Array.from(document.querySelectorAll('.pair-card'))"
        ".map(c => Math.round(c.getBoundingClientRect().top))"
    )
    assert cards_after == cards_before
    assert fits_the_width(page)
    link.refresh_from_db()
    assert link.state == "confirmed"
    assert page.errors == []


def test_add_a_link_then_share_the_comparison(live_server, browser, page, saved):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, saved.owner)
    page.goto(f"{live_server.url}{saved.get_absolute_url()}")
    page.select_option("#id_left", "3")
    page.select_option("#id_right", "5")
    page.select_option("#id_relation", "contradicts")
    page.click("#add-link-submit")
    page.wait_for_selector("#pair-l3-r5")
    assert page.evaluate("document.activeElement.id") == "add-link-submit"
    assert page.locator("#pane-l a.partner[data-l='3'][data-r='5']").count() == 1
    assert saved.links.filter(left__position=3, right__position=5, state="confirmed").exists()
    owner_cards = page.locator(".pair-card").evaluate_all("cards => cards.map(c => c.id)")
    assert page.errors == []

    # Signed out, the share link shows the same links, read-only.
    anonymous = browser.new_context(viewport=LAPTOP)
    reader = anonymous.new_page()
    errors = []
    reader.on("console", lambda m: m.type == "error" and errors.append(m.text))
    reader.goto(f"{live_server.url}/c/{saved.key}/")
    assert reader.locator(".pair-card").evaluate_all("cards => cards.map(c => c.id)") == owner_cards
    assert reader.locator("button:has-text('Reject')").count() == 0
    assert reader.locator("#reader path.connector").count() >= 1
    assert errors == []
    anonymous.close()


def test_copy_link_puts_the_pair_url_on_the_clipboard(live_server, browser, seeded):
    left, right = seeded["000"], seeded["001"]
    context = browser.new_context(viewport=LAPTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    card = page.locator(".pair-card").first
    anchor = card.get_attribute("id")
    button = card.locator("button.copy-link")
    label = button.locator(".copy-label")
    assert label.inner_text() == "Copy link"
    button.click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('#pair-'))")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/compare/{left.slug}/{right.slug}/#{anchor}"
    # The button's words come back, and its name still begins with them.
    page.wait_for_function("b => b.innerText === 'Copy link'", arg=label.element_handle())
    assert button.get_attribute("aria-label") is None
    context.close()


def test_without_clipboard_access_the_link_is_shown_selected(live_server, page, seeded):
    left, right = seeded["000"], seeded["001"]
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    card = page.locator(".pair-card").first
    anchor = card.get_attribute("id")
    card.locator("button.copy-link").click()
    shown = card.locator("input.copy-fallback")
    assert shown.input_value().endswith(f"#{anchor}")
    assert page.evaluate("() => document.activeElement.classList.contains('copy-fallback')")
    assert page.errors == []


def test_a_note_written_in_the_panel_keeps_the_focus_in_its_notes(live_server, page, saved):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, saved.owner)
    link = saved.links.select_related("left", "right").order_by("left__position").first()
    page.goto(f"{live_server.url}{saved.get_absolute_url()}#{link.anchor}")
    region = page.locator(f"#link-notes-{link.pk}")
    region.locator("a.annotate").click()
    form = region.locator("form.note-form")
    form.get_by_label("Note (Markdown)").fill("The same claim, *softened*.")
    form.get_by_role("button", name="Save note").click()
    page.locator(f"#link-notes-{link.pk}.notes-open").wait_for()
    page.wait_for_timeout(100)
    assert page.evaluate(
        f"() => document.getElementById('link-notes-{link.pk}').contains(document.activeElement)"
    )
    assert region.locator(".note-body em").inner_text() == "softened"
    assert page.errors == []
