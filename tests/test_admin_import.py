"""The admin's import page (upload or paste, preview, correct, confirm), the Statement admin
around it, and the command that shares its code path."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from statements import importing
from statements.models import Comparison, Event, Paragraph, Source, Statement

from .conftest import FIXTURES, make_statement

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).parent / "data" / "import_samples"
URL = "/admin/statements/statement/import/"
CHANGELIST = "/admin/statements/statement/"

COMMUNIQUE = """source: OTAN
---
Déclaration du Conseil de l'Atlantique Nord

Publié le 30.9.2022

1. Nous condamnons dans les termes les plus fermes l'annexion illégale et illégitime par la
Russie de quatre régions de l'Ukraine, qui viole le droit international.

2. Ces territoires sont l'Ukraine, et nous ne reconnaîtrons jamais cette annexion, quels que
soient les prétendus résultats des simulacres de référendums.

Partagez cette page avec vos amis et votre famille aujourd'hui, merci beaucoup.
"""


def upload(name: str, data: bytes | str) -> SimpleUploadedFile:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def sample(name: str) -> SimpleUploadedFile:
    return upload(name, (SAMPLES / name).read_bytes())


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user(
        "editor", password="a-long-passphrase", is_staff=True
    )
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="statements",
            codename__in=[
                "add_statement",
                "change_statement",
                "view_statement",
                "add_paragraph",
                "change_paragraph",
                "view_paragraph",
                "add_source",
                "view_source",
                "add_event",
                "view_event",
            ],
        )
    )
    return user


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def preview(client, *files, headers=None, **fields):
    return client.post(URL, {"files": list(files), **fields}, headers=headers or {})


def confirmation(response, **changes) -> dict[str, str | list[str]]:
    """What a browser sends from the preview's confirm form, with some fields changed."""
    page = html.fromstring(response.content.decode())
    (form,) = page.xpath('//form[@id="import-confirm"]')
    data = dict(form.form_values())
    data.update({name.replace("__", "-"): value for name, value in changes.items()})
    return data


def confirm(client, response, **changes):
    return client.post(URL, confirmation(response, **changes))


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed."""
    return " ".join(html.fromstring(response.content.decode()).text_content().split())


# --------------------------------------------------------------------------------------
# Who may import


def test_the_statement_list_links_to_the_import_page(staff_client):
    response = staff_client.get(CHANGELIST)
    page = html.fromstring(response.content.decode())
    (link,) = page.xpath(f'//ul[contains(@class, "object-tools")]//a[@href="{URL}"]')
    assert link.text_content().strip() == "Import statements"


def test_the_import_page_has_the_admin_look_and_the_upload_form(staff_client):
    response = staff_client.get(URL)
    assert response.status_code == 200
    page = html.fromstring(response.content.decode())
    assert page.xpath('//*[@id="header"]') and page.xpath('//ol[@class="breadcrumbs"]')
    assert page.xpath('//input[@type="file" and @name="files" and @multiple]')
    assert page.xpath('//textarea[@name="pasted_text"]')
    assert page.xpath('string(//div[@id="content"]//h1)') == "Import statements"


def test_a_visitor_who_is_not_staff_is_sent_to_the_admin_login(client, django_user_model):
    anonymous = client.get(URL)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/admin/login/")
    reader = django_user_model.objects.create_user("reader", password="a-long-passphrase")
    client.force_login(reader)
    response = client.post(URL, {"files": [upload("a.txt", COMMUNIQUE)]})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    assert Statement.objects.count() == 0


def test_staff_without_the_add_permission_is_refused(client, django_user_model):
    viewer = django_user_model.objects.create_user("viewer", password="pass-phrase", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_statement"))
    client.force_login(viewer)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"files": [upload("a.txt", COMMUNIQUE)]}).status_code == 403
    page = html.fromstring(client.get(CHANGELIST).content.decode())
    assert not page.xpath(f'//a[@href="{URL}"]')
    assert Statement.objects.count() == 0


# --------------------------------------------------------------------------------------
# Preview


def test_the_preview_shows_what_the_importer_understood_and_stores_nothing(staff_client):
    response = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    assert response.status_code == 200
    page = html.fromstring(response.content.decode())
    assert page.xpath('//input[@name="file0-title"]/@value') == [
        "Déclaration du Conseil de l'Atlantique Nord"
    ]
    assert page.xpath('//input[@name="file0-source"]/@value') == ["OTAN"]
    assert page.xpath('//input[@name="file0-date"]/@value') == ["2022-09-30"]
    terms = page.xpath("//dl/dt/text()")
    found = dict(zip(terms, [dd.text_content() for dd in page.xpath("//dl/dd")], strict=True))
    assert found == {
        "Date found": "30 September 2022 (precision: day)",
        "Language": "fr",
        "Paragraphs": "5",
    }
    rows = page.xpath('//table[@class="import-paragraphs"]/tbody/tr')
    cells = [[cell.text_content().strip() for cell in row.xpath("td")] for row in rows]
    assert [(c[0], c[1], c[4][:20]) for c in cells] == [
        ("1", "", "Déclaration du Conse"),
        ("2", "", "Publié le 30.9.2022"),
        ("3", "1.", "Nous condamnons dans"),
        ("4", "2.", "Ces territoires sont"),
        ("5", "", "Partagez cette page "),
    ]
    kinds = [row.xpath(".//select/option[@selected]/@value")[0] for row in rows]
    assert kinds == ["title", "dateline", "body", "body", "body"]
    assert Statement.objects.count() == 0 and Source.objects.count() == 0


def test_an_htmx_preview_returns_only_the_preview_partial(staff_client):
    full = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    partial = preview(
        staff_client, upload("communique.txt", COMMUNIQUE), headers={"HX-Request": "true"}
    )
    body = partial.content.decode()
    assert body.lstrip().startswith('<div id="preview"')
    assert "<html" not in body and "breadcrumbs" not in body and 'id="import-upload"' not in body
    assert 'name="file0-title"' in body and 'id="import-confirm"' in body
    assert "<html" in full.content.decode() and 'id="import-upload"' in full.content.decode()


def test_upload_errors_come_back_in_the_htmx_partial(staff_client):
    response = preview(
        staff_client, upload("photo.jpg", b"\xff\xd8\xff"), headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="preview"')
    assert "Nothing was imported" in body and "photo.jpg" in body


def test_several_files_and_a_pasted_text_are_previewed_each(staff_client):
    response = preview(
        staff_client,
        sample("nato-news-ukraine.html"),
        sample("blog-new-territories.md"),
        pasted_text="# Un titre collé\n\nUn paragraphe collé, assez long pour être du texte.",
        pasted_format="md",
    )
    page = html.fromstring(response.content.decode())
    names = [h.text_content() for h in page.xpath('//section[contains(@class, "import-file")]/h2')]
    assert names == ["nato-news-ukraine.html", "blog-new-territories.md", "pasted.md"]
    assert page.xpath('//input[@name="file2-title"]/@value') == ["Un titre collé"]
    assert page.xpath('//input[@name="file0-source"]/@value') == ["OTAN"]  # the site's name


def test_a_duplicate_is_shown_as_such_with_a_link_to_the_stored_statement(staff_client):
    confirm(staff_client, preview(staff_client, upload("communique.txt", COMMUNIQUE)))
    stored = Statement.objects.get()
    response = preview(staff_client, upload("again.txt", COMMUNIQUE))
    page = html.fromstring(response.content.decode())
    (note,) = page.xpath('//p[@class="import-duplicate"]')
    assert "already stored" in note.text_content()
    assert note.xpath(".//a/@href") == [
        reverse("admin:statements_statement_change", args=[stored.pk])
    ]
    assert not page.xpath('//input[@name="file0-title"]')


def test_the_same_text_twice_in_one_batch_is_imported_once(staff_client):
    response = preview(staff_client, upload("a.txt", COMMUNIQUE), upload("b.txt", COMMUNIQUE))
    assert "the same text as a.txt" in text_of(response)
    result = confirm(staff_client, response)
    assert Statement.objects.count() == 1
    assert [o.status for o in result.context["outcomes"]] == ["imported", "unchanged"]


# --------------------------------------------------------------------------------------
# Confirm


def test_confirming_imports_with_the_corrections_made_in_the_preview(staff_client, staff):
    response = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    result = confirm(
        staff_client,
        response,
        file0__title="Déclaration sur les référendums",
        file0__date="2022-09",
        file0__source="NATO",
        file0__kind__5="boilerplate",
    )
    assert result.status_code == 200
    statement = Statement.objects.get()
    assert statement.title == "Déclaration sur les référendums"
    assert (statement.published_on, statement.date_precision) == (
        datetime.date(2022, 9, 1),
        "month",
    )
    assert statement.source.name == "NATO"
    assert list(statement.paragraphs.values_list("kind", flat=True)) == [
        "title",
        "dateline",
        "body",
        "body",
        "boilerplate",
    ]
    assert statement.original_text == COMMUNIQUE
    assert statement.imported_by == staff and statement.source_filename == "communique.txt"
    assert statement.imported_at is not None
    page = html.fromstring(result.content.decode())
    (row,) = page.xpath('//table[@id="import-results"]/tbody/tr')
    assert "Imported" in row.text_content()
    assert reverse("admin:statements_statement_change", args=[statement.pk]) in row.xpath(
        ".//a/@href"
    )
    assert statement.get_absolute_url() in row.xpath(".//a/@href")


def test_a_pasted_title_with_its_date_on_the_next_line_is_previewed_and_stored_apart(
    staff_client,
):
    text = (
        "L'OTAN réagit aux référendums organisés aujourd'hui dans les territoires occupés\n"
        "Publié le 30.9.2022\n\nLes Alliés ne reconnaîtront jamais ces prétendus référendums."
    )
    response = preview(staff_client, pasted_text=text)
    page = text_of(response)
    assert "No date found" not in page
    assert "30 September 2022 (precision: day)" in page
    confirm(staff_client, response, file0__source="NATO")
    statement = Statement.objects.get()
    assert statement.title.endswith("territoires occupés")
    assert statement.published_on == datetime.date(2022, 9, 30)
    assert list(statement.paragraphs.values_list("kind", "text")) == [
        ("title", statement.title),
        ("dateline", "Publié le 30.9.2022"),
        ("body", "Les Alliés ne reconnaîtront jamais ces prétendus référendums."),
    ]


def test_a_date_typed_in_the_preview_clears_the_no_date_warning(staff_client):
    text = "L'OTAN réagit aux référendums\n\nLes Alliés ne reconnaîtront jamais ces référendums."
    response = preview(staff_client, pasted_text=text)
    assert "No date found in the text or header" in text_of(response)
    result = confirm(staff_client, response, file0__source="NATO", file0__date="2022-09-30")
    assert result.status_code == 200
    assert "Imported" in text_of(result)
    assert "No date found" not in text_of(result)
    statement = Statement.objects.get()
    assert statement.published_on == datetime.date(2022, 9, 30)
    assert statement.import_warnings == []


def test_a_date_left_blank_in_the_preview_keeps_the_no_date_warning(staff_client):
    text = "L'OTAN réagit aux référendums\n\nLes Alliés ne reconnaîtront jamais ces référendums."
    response = preview(staff_client, pasted_text=text)
    result = confirm(staff_client, response, file0__source="NATO")
    assert "No date found in the text or header" in text_of(result)
    assert Statement.objects.get().import_warnings == ["No date found in the text or header"]


def test_confirming_parses_each_file_once_and_imports_that_parse(staff_client, monkeypatch):
    files = [upload("communique.txt", COMMUNIQUE), sample("nato-communique.md")]
    response = preview(staff_client, *files)
    calls = []
    parse = importing.parse_statement
    monkeypatch.setattr(
        importing,
        "parse_statement",
        lambda *args, **kwargs: calls.append(args[1]) or parse(*args, **kwargs),
    )
    result = confirm(staff_client, response, file0__source="NATO", file1__source="NATO")
    assert result.status_code == 200
    assert Statement.objects.count() == 2
    assert sorted(calls) == ["communique.txt", "nato-communique.md"]


def test_a_new_source_and_events_are_created_as_chosen(staff_client):
    existing = Event.objects.create(name="Référendums 2022", slug="referendums-2022")
    response = preview(
        staff_client,
        sample("rt-referendums.html"),
        new_source_name="RT (attributed)",
        new_source_kind=Source.Kind.STATE_MEDIA,
        events=[existing.pk],
        new_events="Annexion; Mobilisation",
    )
    confirm(staff_client, response)
    statement = Statement.objects.get()
    assert (statement.source.name, statement.source.kind) == ("RT (attributed)", "state_media")
    assert sorted(e.name for e in statement.events.all()) == [
        "Annexion",
        "Mobilisation",
        "Référendums 2022",
    ]


def test_language_and_date_overrides_apply_to_every_file(staff_client):
    response = preview(
        staff_client,
        upload("communique.txt", COMMUNIQUE),
        sample("nato-communique.md"),
        language="en",
        date="2022",
        source=Source.objects.create(name="NATO", slug="nato").pk,
    )
    confirm(staff_client, response)
    stored = Statement.objects.all()
    assert {(s.language, s.published_on, s.date_precision) for s in stored} == {
        ("en", datetime.date(2022, 1, 1), "year")
    }
    assert {s.source.name for s in stored} == {"NATO"}


def test_kinds_left_out_of_the_confirmation_keep_the_parsed_kinds(staff_client):
    # The page's script sends only the kinds staff changed.
    response = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    data = confirmation(response, file0__kind__4="quote")
    sent = {k: v for k, v in data.items() if not k.startswith("file0-kind-") or k.endswith("-4")}
    staff_client.post(URL, sent)
    kinds = list(Paragraph.objects.order_by("position").values_list("kind", flat=True))
    assert kinds == ["title", "dateline", "body", "quote", "body"]


def test_confirming_a_duplicate_changes_nothing(staff_client):
    confirm(staff_client, preview(staff_client, upload("communique.txt", COMMUNIQUE)))
    before = list(Paragraph.objects.values_list("pk", "kind"))
    result = confirm(staff_client, preview(staff_client, upload("copy.txt", COMMUNIQUE)))
    assert [o.status for o in result.context["outcomes"]] == ["unchanged"]
    assert "Unchanged" in text_of(result)
    assert (
        Statement.objects.count() == 1
        and list(Paragraph.objects.values_list("pk", "kind")) == before
    )


def test_a_file_that_fails_is_reported_with_its_reason_and_changes_nothing(staff_client):
    broken = "source: Agence\ndate: le jour d'après\n---\nUn titre\n\nUn paragraphe de texte."
    response = preview(
        staff_client,
        upload("good.txt", COMMUNIQUE),
        upload("bad-date.txt", broken),
        new_source_name="Une nouvelle source",
    )
    assert "Cannot be imported" in text_of(response) and "is not a date" in text_of(response)
    result = confirm(staff_client, response)
    rows = html.fromstring(result.content.decode()).xpath('//table[@id="import-results"]/tbody/tr')
    assert ["Imported" in rows[0].text_content(), "Failed" in rows[1].text_content()] == [
        True,
        True,
    ]
    assert "the header date" in rows[1].text_content()
    assert Statement.objects.get().source_filename == "good.txt"


def test_a_failed_file_creates_no_source(staff_client):
    broken = "date: 31 février\n---\nUn titre\n\nUn paragraphe de texte."
    response = preview(staff_client, upload("bad.txt", broken), new_source_name="Jamais créée")
    result = confirm(staff_client, response)
    assert [o.status for o in result.context["outcomes"]] == ["failed"]
    assert not Source.objects.exists() and not Statement.objects.exists()


def test_a_blank_source_or_a_bad_date_sends_back_to_the_preview_and_stores_nothing(staff_client):
    response = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    again = confirm(staff_client, response, file0__source="", file0__date="le 32 septembre")
    assert "Name the source of this text." in text_of(again)
    assert "is not a date" in text_of(again)
    assert html.fromstring(again.content.decode()).xpath('//form[@id="import-confirm"]')
    assert Statement.objects.count() == 0


def test_a_tampered_preview_is_refused_and_nothing_is_stored(staff_client):
    response = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    data = confirmation(response)
    data["batch"] = data["batch"][:-3] + "abc"
    result = staff_client.post(URL, data)
    assert "This preview has expired or was changed" in text_of(result)
    assert Statement.objects.count() == 0


def test_a_preview_signed_for_someone_else_is_refused(staff_client, client, django_user_model):
    response = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    other = django_user_model.objects.create_superuser("boss", password="a-long-passphrase")
    client.force_login(other)
    result = client.post(URL, confirmation(response))
    assert "This preview has expired or was changed" in text_of(result)
    assert Statement.objects.count() == 0


# --------------------------------------------------------------------------------------
# Bad input: a message, and nothing stored


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "looks like a binary file"),
        ("empty.txt", b"  \n\n", "is empty"),
        ("slides.pdf", b"%PDF-1.4 une diapositive", "only .txt, .md, .html and .htm"),
        ("broken.txt", b"\xef\xbb\xbfUn texte \xff\xfe cass\xe9", "its encoding is broken"),
        ("abime.txt", "Un texte abîmé, déjà".encode() + b"\xff", "its encoding is broken"),
        ("zero.txt", b"", '"zero.txt" is empty'),
    ],
    ids=["binary", "blank", "wrong-extension", "broken-bom", "broken-utf8", "zero-bytes"],
)
def test_an_unreadable_upload_gets_its_message_and_nothing_is_stored(
    staff_client, name, data, message
):
    response = preview(staff_client, upload("fine.txt", COMMUNIQUE), upload(name, data))
    page = html.fromstring(response.content.decode())
    (errors,) = page.xpath('//div[@id="preview"]//div[contains(@class, "import-errors")]')
    assert message in errors.text_content() and name in errors.text_content()
    assert not page.xpath('//form[@id="import-confirm"]')
    assert Statement.objects.count() == 0 and Source.objects.count() == 0


def test_too_many_files_are_refused_with_the_limit(staff_client, settings):
    settings.PARALLAX_IMPORT_MAX_FILES = 2

    def files(count):
        return [upload(f"{n}.txt", COMMUNIQUE.replace("quatre", f"{n} fois")) for n in range(count)]

    response = preview(staff_client, *files(3))
    assert "Too many files: 3 at once, and at most 2 can be imported" in text_of(response)
    response = preview(staff_client, *files(2), pasted_text="Un texte collé en plus.")
    assert "Too many files: 3 at once" in text_of(response)
    assert Statement.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(staff_client, settings):
    settings.PARALLAX_IMPORT_MAX_BYTES = 100
    response = preview(staff_client, upload("long.txt", COMMUNIQUE))
    assert '"long.txt" is larger than the 100 bytes limit' in text_of(response)
    assert Statement.objects.count() == 0


def test_an_empty_upload_is_named_and_the_other_files_problems_are_listed_too(staff_client):
    response = preview(
        staff_client,
        upload("zero.txt", b""),
        upload("slides.pdf", b"%PDF"),
        upload("ok.txt", "Un texte."),
    )
    page = html.fromstring(response.content.decode())
    errors = [
        li.text_content() for li in page.xpath('//div[contains(@class, "import-errors")]//li')
    ]
    assert errors == [
        'Files: "zero.txt" is empty',
        'Files: "slides.pdf" cannot be imported: only .txt, .md, .html and .htm files can.',
    ]


def test_names_longer_than_a_source_or_event_may_be_are_refused_file_by_file(staff_client):
    long_name = "Sommet " * 40
    response = preview(
        staff_client, upload("a.txt", COMMUNIQUE), new_events=f"Annexion; {long_name}"
    )
    assert 'The event name "Sommet Sommet Sommet Sommet Sommet Somme…" is longer than 200' in (
        text_of(response)
    )
    assert not html.fromstring(response.content.decode()).xpath('//form[@id="import-confirm"]')

    too_long = f"source: Agence\nevent: {long_name}\n---\nTitre\n\nUn paragraphe du texte."
    response = preview(staff_client, upload("a.txt", COMMUNIQUE), upload("b.txt", too_long))
    result = confirm(staff_client, response)
    assert [o.status for o in result.context["outcomes"]] == ["imported", "failed"]
    assert "the event name" in result.context["outcomes"][1].error
    assert "is longer than 200 characters" in text_of(result)
    assert list(Event.objects.all()) == [] and Statement.objects.count() == 1


@pytest.fixture
def importer(django_user_model, client):
    """Staff who may import statements, but not add sources or events."""
    user = django_user_model.objects.create_user("importer", password="pass-phrase", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["add_statement", "view_statement"])
    )
    client.force_login(user)
    return client


def test_staff_who_may_not_add_sources_or_events_must_choose_existing_ones(importer):
    nato = Source.objects.create(name="NATO", slug="nato")
    response = preview(importer, upload("a.txt", COMMUNIQUE), new_source_name="Nouvelle")
    assert 'There is no source called "Nouvelle", and you may not add sources' in (
        text_of(response)
    )
    response = preview(importer, upload("a.txt", COMMUNIQUE), new_events="Sommet")
    assert 'There is no event called "Sommet", and you may not add events' in text_of(response)

    # The text's header names a source that does not exist: the preview asks for another.
    response = preview(importer, upload("a.txt", COMMUNIQUE))
    again = confirm(importer, response)
    assert 'There is no source called "OTAN", and you may not add sources' in text_of(again)
    assert Statement.objects.count() == 0 and Source.objects.count() == 1
    result = confirm(importer, response, file0__source="nato")  # found by its slug
    assert [o.status for o in result.context["outcomes"]] == ["imported"]
    assert Statement.objects.get().source == nato

    with_event = "source: NATO\nevent: Annexions\n---\nUn autre texte\n\nSur les annexions."
    again = confirm(importer, preview(importer, upload("b.txt", with_event)))
    assert (
        'There is no event called "Annexions", and you may not add events: take it out of the '
        "text's header, or ask an administrator."
    ) in text_of(again)
    assert Statement.objects.count() == 1 and not Event.objects.exists()


def test_a_copy_in_the_batch_goes_in_as_its_first_file_never_with_its_own_header(importer):
    """The copy has no preview form of its own (its text is imported once): it must not
    slip past the checks, with a source of its own, when the first file fails."""
    Permission.objects.get(codename="add_event").user_set.add(importer.session["_auth_user_id"])
    Source.objects.create(name="OTAN", slug="otan")
    body = "---\nUn texte\n\nUn paragraphe de ce texte, assez long pour être du texte."
    first = upload("a.txt", f"source: OTAN\nevent: {'E' * 250}\n{body}")
    copy = upload("b.txt", f"source: Une source nouvelle\n{body}")
    response = preview(importer, first, copy)
    assert "the same text as a.txt" in text_of(response)
    result = confirm(importer, response)
    assert [(o.status, o.error[:40]) for o in result.context["outcomes"]][1] == (
        "failed",
        "The same text as a.txt, which failed.",
    )
    assert list(Source.objects.values_list("name", flat=True)) == ["OTAN"]
    assert Statement.objects.count() == 0


def test_a_pasted_text_over_what_a_form_may_send_gets_a_page_that_says_so(client, staff, settings):
    """Django refuses the form before the view (the CSRF check reads it): its 400 page."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    token = html.fromstring(client.get(URL).content.decode()).xpath(
        '//input[@name="csrfmiddlewaretoken"]/@value'
    )[0]
    response = client.post(URL, {"csrfmiddlewaretoken": token, "pasted_text": "Un mot. " * 2000})
    assert response.status_code == 400
    assert "This request could not be read" in text_of(response)
    assert "upload it as a file instead" in text_of(response)  # the likely cause
    assert Statement.objects.count() == 0


def test_an_empty_form_asks_for_files_or_a_text(staff_client):
    assert "Choose files to upload, or paste a text." in text_of(staff_client.post(URL, {}))


# --------------------------------------------------------------------------------------
# The Statement admin


def test_the_statement_list_shows_paragraph_and_comparison_counts(staff_client, django_user_model):
    left, right = make_statement(paragraphs=4), make_statement(paragraphs=2)
    owner = django_user_model.objects.create_user("owner")
    Comparison.objects.create(left=left, right=right, title="Un", owner=owner)
    Comparison.objects.create(left=right, right=left, title="Deux", owner=owner)
    page = html.fromstring(staff_client.get(CHANGELIST).content.decode())
    rows = {
        row.xpath('string(.//th[@class="field-title"])'): (
            row.xpath('string(.//td[@class="field-paragraph_count"])'),
            row.xpath('string(.//td[@class="field-comparison_count"])'),
        )
        for row in page.xpath('//table[@id="result_list"]/tbody/tr')
    }
    assert rows == {left.title: ("4", "2"), right.title: ("2", "2")}


def test_searching_the_statement_list_finds_words_of_the_text(staff_client):
    wanted = make_statement(paragraphs=["Le Conseil évoque Zaporijjia et Kherson."])
    make_statement(paragraphs=["Un tout autre sujet."])
    response = staff_client.get(CHANGELIST, {"q": "Zaporijjia"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_the_statement_page_lists_its_paragraphs_in_order_with_editable_kinds(staff_client):
    statement = make_statement(paragraphs=["Premier.", "Deuxième.", "Troisième."])
    response = staff_client.get(f"{CHANGELIST}{statement.pk}/change/")
    page = html.fromstring(response.content.decode())
    texts = [
        (t.get("name"), t.text_content().strip())
        for t in page.xpath('//textarea[contains(@name, "-text")]')
        if "__prefix__" not in t.get("name")
    ]
    assert texts == [
        ("paragraphs-0-text", "Premier."),
        ("paragraphs-1-text", "Deuxième."),
        ("paragraphs-2-text", "Troisième."),
    ]
    kinds = page.xpath('//select[@name="paragraphs-0-kind"]/option/@value')
    assert {"body", "boilerplate", "heading"} <= set(kinds)


def test_a_long_statement_can_be_edited_and_saved_in_the_admin(staff_client):
    """300 paragraphs inline are some 2,400 fields: more than Django lets a form send by
    default (1,000), which would refuse the save with a 400."""
    statement = make_statement(paragraphs=300)
    url = f"{CHANGELIST}{statement.pk}/change/"
    page = html.fromstring(staff_client.get(url).content.decode())
    (form,) = page.xpath('//form[@id="statement_form"]')
    data = dict(form.form_values())
    data["paragraphs-299-kind"] = "boilerplate"
    response = staff_client.post(url, data)
    assert response.status_code == 302
    assert statement.paragraphs.get(position=300).kind == "boilerplate"


def test_redetect_kinds_restores_the_kinds_without_touching_texts_or_ids(staff_client):
    confirm(staff_client, preview(staff_client, upload("communique.txt", COMMUNIQUE)))
    statement = Statement.objects.get()
    before = list(statement.paragraphs.values_list("pk", "text", "number", "kind"))
    statement.paragraphs.update(kind="body")
    response = staff_client.post(
        CHANGELIST,
        {"action": "redetect_kinds", "_selected_action": [statement.pk]},
        follow=True,
    )
    assert "1 statement(s): 2 paragraph(s) changed kind" in text_of(response)
    assert list(statement.paragraphs.values_list("pk", "text", "number", "kind")) == before


def test_redetect_kinds_classifies_edited_paragraphs_from_their_own_text(staff_client):
    statement = make_statement(
        paragraphs=[
            "Lire la suite : un autre article",
            "Un long paragraphe de texte suivi, qui parle de l'annexion et de ses suites, "
            "de la réaction des Alliés et de celle de l'Ukraine.",
        ]
    )
    Paragraph.objects.filter(statement=statement).update(kind="quote")
    staff_client.post(CHANGELIST, {"action": "redetect_kinds", "_selected_action": [statement.pk]})
    kinds = list(statement.paragraphs.values_list("kind", flat=True))
    assert kinds == ["boilerplate", "body"]


# --------------------------------------------------------------------------------------
# One code path for the command and the admin


def snapshot() -> list[tuple]:
    """What is stored, as a reader would compare it (the command keeps the path it was given,
    the admin the file's name)."""
    stored = []
    for statement in Statement.objects.order_by("content_hash"):
        paragraphs = statement.paragraphs.order_by("position").values_list(
            "position", "text", "kind", "number", "language"
        )
        stored.append(
            (
                statement.title,
                statement.slug,
                statement.source.name,
                statement.published_on,
                statement.date_precision,
                statement.language,
                statement.url,
                sorted(e.name for e in statement.events.all()),
                statement.original_text,
                statement.import_warnings,
                Path(statement.source_filename).name,
                list(paragraphs),
            )
        )
    return stored


def test_the_command_and_the_admin_store_the_same_statements(staff_client):
    """Texts whose header names their source keep it (`--source` does not override it);
    those that name none get the one chosen."""
    paths = sorted((FIXTURES / "statements").glob("*.txt")) + sorted(SAMPLES.iterdir())
    headed = [
        path
        for path in paths
        if importing.parse_statement(path.read_bytes(), path.name).metadata.get("source")
    ]
    headless = [path for path in paths if path not in headed]
    assert headed and headless
    source = Source.objects.create(name="Samples", slug="samples")
    for paths, options in ((headed, []), (headless, ["--source", "Samples"])):
        call_command(
            "import_statements",
            *map(str, paths),
            *options,
            "--event",
            "Référendums",
            stdout=io.StringIO(),
        )
    by_command = snapshot()
    assert len(by_command) == len(headed) + len(headless)
    assert {row[2] for row in by_command} >= {"NATO", "Blog des nouveaux territoires", "Samples"}
    Statement.objects.all().delete()
    Event.objects.all().delete()

    for paths, chosen in ((headed, ""), (headless, source.pk)):
        response = preview(
            staff_client,
            *(upload(path.name, path.read_bytes()) for path in paths),
            source=chosen,
            new_events="Référendums",
        )
        result = confirm(staff_client, response)
        assert {o.status for o in result.context["outcomes"]} == {"imported"}
    assert snapshot() == by_command


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_command_draws_a_progress_bar_only_on_a_terminal(tmp_path):
    for n in range(4):
        (tmp_path / f"{n}.txt").write_text(COMMUNIQUE.replace("quatre", f"{n + 5} fois"))
    terminal, piped = Terminal(), io.StringIO()
    call_command("import_statements", str(tmp_path), stdout=io.StringIO(), stderr=terminal)
    assert "\r[" + "#" * 30 + "] 4/4" in terminal.getvalue()
    assert "\r[" + "#" * 15 + " " * 15 + "] 2/4" in terminal.getvalue()
    Statement.objects.all().delete()
    call_command("import_statements", str(tmp_path), stdout=io.StringIO(), stderr=piped)
    assert piped.getvalue() == ""
    assert Statement.objects.count() == 4


def test_the_command_imports_html_and_markdown_files_from_a_folder():
    out = io.StringIO()
    call_command("import_statements", str(SAMPLES), "--source", "Samples", stdout=out)
    assert "imported 4, unchanged 0, failed 0" in out.getvalue()
    markdown = Statement.objects.get(source_filename__endswith="nato-communique.md")
    assert list(markdown.paragraphs.values_list("number", flat=True))[2:5] == ["1.", "2.", "3."]


def queries_of(request) -> int:
    with CaptureQueriesContext(connection) as queries:
        request()
    return len(queries)


def test_the_statement_list_does_not_query_per_statement(staff_client):
    for _ in range(2):
        make_statement(paragraphs=3)
    few = queries_of(lambda: staff_client.get(CHANGELIST))
    for _ in range(10):
        make_statement(paragraphs=3)
    assert queries_of(lambda: staff_client.get(CHANGELIST)) == few <= 12


def test_the_preview_takes_one_query_per_file(staff_client):
    def files(count):
        return [upload(f"{n}.txt", COMMUNIQUE.replace("quatre", f"{n} fois")) for n in range(count)]

    one = queries_of(lambda: preview(staff_client, *files(1)))
    five = queries_of(lambda: preview(staff_client, *files(5)))
    assert five - one == 4 and one <= 8


def test_a_batch_too_big_to_send_back_for_confirmation_is_refused(staff_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024 + 100
    response = preview(staff_client, upload("communique.txt", COMMUNIQUE))
    assert "These texts are too much to preview at once" in text_of(response)
    assert not html.fromstring(response.content.decode()).xpath('//form[@id="import-confirm"]')
