"""Browser tests: Debian's Chromium driven by Playwright (no browser download, ever)."""

from __future__ import annotations

import os
import shutil
import threading
import time

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# around it (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        raise pytest.UsageError("CI must run the browser tests: install chromium (make chromium)")
    skip = pytest.mark.skip(reason="Debian's chromium is not installed (make chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and uncaught exceptions in `page.errors`."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors = []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()
    wait_for_requests_in_flight()


def wait_for_requests_in_flight(timeout: float = 15.0) -> None:
    """Let the live server finish the requests the page left in flight (a page still
    loading when the test ended, and the tasks it runs): the test database is flushed
    next, and SQLite's shared in-memory database refuses that while a request holds a
    table ("database table is locked"). The live server serves each connection in a
    thread of its own, named after `process_request_thread`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any("process_request_thread" in t.name for t in threading.enumerate()):
            return
        time.sleep(0.05)


PHONE = {"width": 375, "height": 740}


@pytest.fixture
def phone(page):
    """`page` at a phone's width."""
    page.set_viewport_size(PHONE)
    return page


def fits_the_width(page) -> bool:
    """No sideways scrolling: the document is no wider than the window."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


SERIOUS = ("serious", "critical")
# WCAG 2.x A and AA, best practices, and the experimental rules (label-content-name-mismatch,
# a button whose name does not start with its visible words, is one of them).
AXE_TAGS = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
    "experimental",
]


def axe_violations(page, impacts=SERIOUS) -> list[str]:
    """axe-core's violations of the page as loaded now, of the given impacts, one line each
    (rule, impact, how many nodes, the first node): [] when the page passes."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"resultTypes": ["violations"], "runOnly": {"type": "tag", "values": AXE_TAGS}}
    found = Axe().run(page, options=options).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['target']}"
        for v in found
        if v["impact"] in impacts
    ]
