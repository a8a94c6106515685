"""What a newcomer meets outside the compare view, in a real browser: the statement page's
spacing, the compare picker on a phone, filters folded behind a toggle, one font for every
button, and every page fitting a phone with no serious accessibility violation."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from statements.forms import reading

from .conftest import axe_violations, fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server) -> None:
    get_user_model().objects.create_user("nina", password="pass-phrase-nina-1")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "nina")
    page.fill("#id_password", "pass-phrase-nina-1")
    page.click("form.stacked-form button[type=submit]")
    page.wait_for_selector("text=My comparisons")


def pages(seeded) -> list[str]:
    return [
        "/",
        "/statements/",
        seeded["000"].get_absolute_url(),
        seeded["003"].get_absolute_url(),
        "/search/?q=r%C3%A9f%C3%A9rendum",
        "/sources/nato/",
        "/comparisons/",
        "/compare/",
    ]


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_every_page_fits_a_phone_with_no_serious_accessibility_violation(
    live_server, phone, seeded, signed_in
):
    if signed_in:
        sign_in(phone, live_server)
    for path in pages(seeded):
        phone.goto(f"{live_server.url}{path}")
        assert fits_the_width(phone), path
        assert axe_violations(phone) == [], path
    assert phone.errors == []


def test_the_picker_of_many_statements_is_usable_on_a_phone(
    live_server, phone, seeded, monkeypatch
):
    monkeypatch.setattr(reading, "PICKER_MENU_MAX", 2)
    left, right = seeded["000"], seeded["003"]
    phone.goto(f"{live_server.url}/")
    assert phone.locator("form.compare-form select").count() == 0
    phone.locator("#id_left_q").press_sequentially("referendums aujourd", delay=20)
    choice = phone.locator(f'#left-choices input[value="{left.slug}"]')
    choice.wait_for()
    assert choice.is_checked()  # the only match is chosen
    phone.locator("#id_right_q").press_sequentially("blog", delay=20)
    phone.locator(f'#right-choices input[value="{right.slug}"]').wait_for()
    assert fits_the_width(phone)
    assert axe_violations(phone) == []
    # Choosing by keyboard: the radio buttons are reachable and checkable.
    radio = phone.locator(f'#right-choices input[value="{right.slug}"]')
    radio.focus()
    phone.keyboard.press("Space")
    assert radio.is_checked()
    phone.locator("form.compare-form button[type=submit]").click()
    phone.wait_for_url(f"**/compare/{left.slug}/{right.slug}/")
    assert phone.errors == []


def test_the_picker_works_without_javascript(live_server, browser, seeded, monkeypatch):
    monkeypatch.setattr(reading, "PICKER_MENU_MAX", 2)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("#id_left_q", "OTAN")
    page.fill("#id_right_q", "blog")
    page.click("form.compare-form button[type=submit]")
    # Several statements match the left box: they come back to choose from.
    assert "Several statements match" in page.inner_text("main")
    radio = page.locator(f'#left-choices input[value="{seeded["002"].slug}"]')
    radio.check()
    page.click("form.compare-form button[type=submit]")
    page.wait_for_url(f"**/compare/{seeded['002'].slug}/{seeded['003'].slug}/")
    context.close()


@pytest.mark.parametrize("path", ["/search/?q=r%C3%A9f%C3%A9rendum", "/statements/"])
def test_on_a_phone_the_filters_fold_behind_a_toggle_and_open_on_request(
    live_server, phone, seeded, path
):
    phone.goto(f"{live_server.url}{path}")
    toggle = phone.locator("details.filters-toggle")
    assert toggle.get_attribute("open") is None
    assert not phone.locator("select[name=source]").is_visible()
    # The results start above the fold.
    first = phone.locator("#results li").first.bounding_box()
    assert first["y"] < phone.viewport_size["height"]
    toggle.locator("summary").click()
    assert phone.locator("select[name=source]").is_visible()
    phone.select_option("select[name=source]", "nato")
    phone.wait_for_url("**source=nato*")
    assert "event=" not in phone.url  # only the filters in force
    assert fits_the_width(phone)
    assert axe_violations(phone) == []
    assert phone.errors == []


def test_on_a_wide_screen_the_filters_are_open_and_dates_look_like_the_menus(
    live_server, page, seeded
):
    page.goto(f"{live_server.url}/search/?q=r%C3%A9f%C3%A9rendum")
    assert page.locator("details.filters-toggle").get_attribute("open") is not None
    assert page.locator("select[name=source]").is_visible()
    style = "el => [getComputedStyle(el).fontFamily, getComputedStyle(el).borderTopColor]"
    menu = page.locator("select[name=source]")
    date = page.locator("input[name=date_from]")
    assert date.evaluate(style) == menu.evaluate(style)
    assert abs(date.bounding_box()["height"] - menu.bounding_box()["height"]) <= 2


def test_every_button_uses_one_font(live_server, page, seeded):
    left, right = seeded["002"], seeded["003"]
    page.goto(f"{live_server.url}/compare/{left.slug}/{right.slug}/")
    fonts = page.evaluate(
        """() => [...document.querySelectorAll('button, a.button, .button')]
            .filter(el => el.offsetParent !== null)
            .map(el => getComputedStyle(el).fontFamily)"""
    )
    assert len(fonts) >= 3  # "Swap sides", "JSON", the term buttons...
    assert len(set(fonts)) == 1, set(fonts)
    swap = page.locator("a.button", has_text="Swap sides")
    assert swap.evaluate("el => getComputedStyle(el).fontFamily") == fonts[0]


def test_on_a_desktop_paragraph_tools_do_not_push_the_text_down(live_server, page, seeded):
    statement = seeded["003"]
    page.goto(f"{live_server.url}{statement.get_absolute_url()}")
    gaps = page.evaluate(
        """() => {
          const texts = [...document.querySelectorAll('.paragraphs > div.para > p')];
          return texts.slice(0, -1).map((p, i) =>
            texts[i + 1].getBoundingClientRect().top - p.getBoundingClientRect().bottom);
        }"""
    )
    line = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.para > p')).lineHeight)"
    )
    # Between one paragraph's last line and the next one's first: the margin, under a line.
    assert gaps and max(gaps) < line, gaps
    # The number and the tools sit beside the text, level with its first line.
    para = page.locator(".paragraphs > div.para").nth(2)
    text = para.locator("p").bounding_box()
    number = para.locator(".para-pos").bounding_box()
    copy = para.locator(".copy-para").bounding_box()
    assert number["x"] + number["width"] <= text["x"]
    assert copy["x"] >= text["x"] + text["width"]
    assert abs(number["y"] - text["y"]) < line and abs(copy["y"] - text["y"]) < line
    assert page.errors == []


def test_a_link_to_a_folded_title_repeat_opens_it(live_server, page, seeded):
    statement = seeded["000"]
    page.goto(f"{live_server.url}{statement.get_absolute_url()}#p2")
    folded = page.locator("details#p2")
    page.wait_for_function("document.getElementById('p2').open")
    assert statement.title in folded.inner_text()
    assert page.locator("h1").count() == 1
    # Folded paragraphs open from the keyboard too.
    summary = page.locator("details#p1 summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert page.locator("details#p1").get_attribute("open") is not None
