"""Every page a reader or an editor reaches, signed out and signed in, at a laptop's and a
phone's width: no serious or critical axe-core violation, nothing wider than the screen, no
console error."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.test import Client

from statements.models import Comparison, Event, Source

from ..notes_helpers import make_note, make_user
from .conftest import PHONE, axe_violations, fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 900}


def sign_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


@pytest.fixture
def site(seeded, settings):
    """The seed texts, an editor who may import, a saved comparison with notes."""
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    editor = make_user("editor", staff=True)
    editor.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_statement", "view_statement"])
    )
    left, right = seeded["000"], seeded["001"]
    client = Client()
    client.force_login(editor)
    client.post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": "Votes, two readings", "visibility": "public"},
    )
    comparison = Comparison.objects.get()
    link = comparison.links.select_related("left", "right").first()
    paragraph = link.left
    make_note(editor, paragraph, body="A *public* note.", passage=paragraph.text[:20])
    make_note(editor, link=link, body="On the pair.")
    pair = f"{link.left.position}-{link.right.position}"
    return {
        "editor": editor,
        "pages": {
            "home": "/",
            "list": "/statements/",
            "statement": left.get_absolute_url(),
            "source": Source.objects.get(name="NATO").get_absolute_url(),
            "event": Event.objects.first().get_absolute_url(),
            "coverage": f"{Event.objects.first().get_absolute_url()}coverage/",
            "echoes": f"{left.get_absolute_url()}p{paragraph.position}/echoes/",
            "compare": f"/compare/{left.slug}/{right.slug}/",
            "compare pair": f"/compare/{left.slug}/{right.slug}/pairs/{pair}/",
            "saved": comparison.get_absolute_url(),
            "saved pair": f"{comparison.get_absolute_url()}pairs/{pair}/",
            "shared list": "/comparisons/",
            "paragraph notes": f"/paragraphs/{paragraph.pk}/notes/",
            "search": "/search/?q=r%C3%A9f%C3%A9rendums",
            "sign-in": "/accounts/login/",
            "admin import": "/admin/statements/statement/import/",
        },
    }


def check_every_page(page, live_server, pages, viewport) -> list[str]:
    page.set_viewport_size(viewport)
    problems = []
    for name, path in pages.items():
        page.errors.clear()
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("load")
        if not fits_the_width(page):
            wider = page.evaluate("document.documentElement.scrollWidth")
            problems.append(f"{name} at {viewport['width']} px: {wider} px wide")
        problems += [f"{name} at {viewport['width']} px: {v}" for v in axe_violations(page)]
        problems += [f"{name}: console error {error}" for error in page.errors]
    return problems


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_page_signed_out(live_server, page, site, viewport):
    assert check_every_page(page, live_server, site["pages"], viewport) == []


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_every_page_signed_in(live_server, page, site, viewport):
    sign_in(page, live_server, site["editor"])
    pages = {**site["pages"], "my comparisons": "/me/comparisons/"}
    assert check_every_page(page, live_server, pages, viewport) == []
    # Signed in, the pages are the ones with the owner's and editor's controls.
    page.goto(f"{live_server.url}{site['pages']['saved']}")
    assert page.locator("button:has-text('Confirm')").count() >= 1
    page.goto(f"{live_server.url}{site['pages']['admin import']}")
    assert page.locator("input[name=files]").count() == 1
    # A page with a message on it (the messages list was an axe violation).
    page.goto(f"{live_server.url}{site['pages']['saved']}")
    page.click("summary:has-text('Edit title')")
    page.click("button:has-text('Save changes')")
    page.wait_for_selector(".messages li:has-text('Comparison updated')")
    assert axe_violations(page) == []
