from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission

from statements.models import Statement
from tests.test_admin_import import COMMUNIQUE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(django_user_model, settings):
    # The live server speaks plain HTTP: cookies must not be HTTPS-only here.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    user = django_user_model.objects.create_user(
        "editor", password="a-long-passphrase", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_statement", "view_statement"])
    )
    return user


def test_staff_upload_a_file_correct_a_kind_in_the_preview_and_import_it(
    live_server, page, editor, tmp_path
):
    # The admin's pages name no icon, and the browser's request for one is not ours to test.
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    page.goto(f"{live_server.url}/admin/login/?next=/admin/statements/statement/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-passphrase")
    page.click("input[type=submit]")
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
