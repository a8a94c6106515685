from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from statements.models import Statement
from tests.test_admin_import import COMMUNIQUE

from .conftest import fits_the_width

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(django_user_model, settings):
    # The live server speaks plain HTTP: cookies must not be HTTPS-only here.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    user = django_user_model.objects.create_user(
        "editor", password="a-long-passphrase", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["add_statement", "view_statement", "add_source", "view_source"]
        )
    )
    return user


def sign_in(page, live_server) -> None:
    page.goto(f"{live_server.url}/admin/login/?next=/admin/statements/statement/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")


def test_staff_upload_a_file_correct_a_kind_in_the_preview_and_import_it(
    live_server, page, editor, tmp_path
):
    sign_in(page, live_server)
    page.click("a.importlink")
    assert page.url.endswith("/admin/statements/statement/import/")

    path = tmp_path / "communique.txt"
    path.write_text(COMMUNIQUE, encoding="utf-8")
    page.set_input_files("input[name=files]", str(path))
    page.evaluate("window.beforePreview = true")
    page.click("input[name=preview]")
    page.wait_for_selector("#import-confirm")
    # htmx swapped the preview in: the page was not reloaded.
    assert page.evaluate("window.beforePreview") is True
    assert page.input_value("input[name=file0-title]") == (
        "Déclaration du Conseil de l'Atlantique Nord"
    )
    kind = page.locator("select[name=file0-kind-5]")
    assert kind.input_value() == "body"
    kind.select_option("boilerplate")
    assert "is-changed" in kind.get_attribute("class")
    assert Statement.objects.count() == 0

    page.click("input[name=confirm]")
    page.wait_for_selector("#import-results")
    row = page.locator("#import-results tbody tr")
    assert "Imported" in row.inner_text()
    assert "Déclaration du Conseil de l'Atlantique Nord" in row.inner_text()

    statement = Statement.objects.get()
    assert list(statement.paragraphs.values_list("kind", flat=True)) == [
        "title",
        "dateline",
        "body",
        "body",
        "boilerplate",
    ]
    assert statement.imported_by == editor and statement.source_filename == "communique.txt"
    assert page.errors == []


def test_on_a_phone_the_preview_scrolls_its_table_not_the_page(live_server, phone, editor):
    page = phone
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/statements/statement/import/")
    page.fill("textarea[name=pasted_text]", COMMUNIQUE)
    page.click("input[name=preview]")
    page.wait_for_selector("#import-confirm")
    assert fits_the_width(page)
    page.click("input[name=confirm]")
    page.wait_for_selector("#import-results")
    assert fits_the_width(page)
    assert page.errors == []


def test_a_paste_too_big_to_send_gets_a_message_in_the_preview(live_server, page, editor, settings):
    """Django refuses the form (a 400); htmx swaps nothing for it, the page's script says why."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 20_000
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/admin/statements/statement/import/")
    page.fill("textarea[name=pasted_text]", "Un mot de plus. " * 3000)
    page.click("input[name=preview]")
    alert = page.wait_for_selector("#preview .errornote[role=alert]")
    assert "upload it as a file instead" in alert.inner_text()
    assert "nothing was imported" in alert.inner_text()
    assert Statement.objects.count() == 0
    # The browser logs the refused request itself; nothing else went wrong on the page.
    assert [error for error in page.errors if "400" not in error] == []
