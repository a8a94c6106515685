from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from statements.models import Comparison

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector("text=My comparisons")


def test_curate_a_saved_comparison_and_share_it(live_server, browser, page, seeded):
    get_user_model().objects.create_user("ann", password="pass-phrase-ann-1")
    left, right = seeded["000"], seeded["001"]
    sign_in(page, live_server, "ann", "pass-phrase-ann-1")

    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    page.click("summary:has-text('Save this comparison')")
    page.fill("#id_title", "Votes, two readings")
    page.select_option("#id_visibility", "unlisted")
    page.click("button:has-text('Save comparison')")
    page.wait_for_url("**/c/*/")
    comparison = Comparison.objects.get()

    # Reject the first suggestion in place (htmx swaps the columns).
    first_pair = page.locator(".row-pair").first
    rejected_anchor = first_pair.get_attribute("id")
    first_pair.locator("button:has-text('Reject')").click()
    page.wait_for_selector("text=Rejected suggestions")
    assert page.locator(f"#{rejected_anchor}").count() == 0

    # Add a manual link: a left paragraph, then a right one.
    page.select_option("#id_left", "3")
    page.select_option("#id_right", "5")
    page.select_option("#id_relation", "contradicts")
    page.click("button:has-text('Add link')")
    page.wait_for_function(
        "() => document.getElementById('pair-l3-r5')"
        " || document.body.textContent.includes('¶3 ↔ ¶5')"
    )
    assert comparison.links.filter(left__position=3, right__position=5, state="confirmed").exists()
    pairs_for_owner = page.locator(".row-pair").evaluate_all("rows => rows.map(r => r.id)")
    assert page.errors == []

    # Signed out, the share link shows the same pairs, read-only.
    anonymous = browser.new_context()
    reader = anonymous.new_page()
    errors = []
    reader.on("console", lambda m: m.type == "error" and errors.append(m.text))
    reader.goto(f"{live_server.url}/c/{comparison.key}/")
    pairs_for_reader = reader.locator(".row-pair").evaluate_all("rows => rows.map(r => r.id)")
    assert pairs_for_reader == pairs_for_owner
    assert reader.locator("button:has-text('Reject')").count() == 0
    assert errors == []
    anonymous.close()


def test_copy_link_puts_the_pair_url_on_the_clipboard(live_server, browser, seeded):
    left, right = seeded["000"], seeded["001"]
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    row = page.locator(".row-pair").first
    anchor = row.get_attribute("id")
    row.locator(".row-link button.copy-link").click()
    page.wait_for_function("() => navigator.clipboard.readText().then(t => t.includes('#pair-'))")
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/compare/{left.slug}/{right.slug}/#{anchor}"
    context.close()


def test_without_clipboard_access_the_link_is_shown_selected(live_server, page, seeded):
    left, right = seeded["000"], seeded["001"]
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    row = page.locator(".row-pair").first
    anchor = row.get_attribute("id")
    row.locator(".row-link button.copy-link").click()
    shown = row.locator("input.copy-fallback")
    assert shown.input_value().endswith(f"#{anchor}")
    assert page.evaluate("() => document.activeElement.classList.contains('copy-fallback')")
    assert page.errors == []
