"""Notes are other readers' content: they must render inert, and only their author changes them."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils.html import escape

from statements.models import Annotation, Visibility

from .conftest import make_statement
from .notes_helpers import HX, client_for, dangerous_markup, make_link, make_note, make_user

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    '<a href="http://x" onclick="alert(1)">x</a>',
    '[x](http://x "t\\" onmouseover=alert(1) x=\\"")',
    "</textarea><script>alert(1)</script>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<style>body{display:none}</style>",
]
HOSTILE_TEXT = 'Texte <script>alert("p")</script> avec "><img src=x onerror=alert(2)> dedans.'


@pytest.fixture
def people(db):
    return {
        "anonymous": None,
        "author": make_user("author"),
        "other": make_user("other"),
        "staff": make_user("moderator", staff=True),
    }


@pytest.fixture
def statement():
    return make_statement(paragraphs=[HOSTILE_TEXT, "Un second paragraphe, sans histoire."])


@pytest.fixture
def paragraph(statement):
    return statement.paragraphs.get(position=1)


# --- XSS ------------------------------------------------------------------------------------


@pytest.fixture
def hostile_notes(people, paragraph):
    notes = [make_note(people["author"], paragraph, body=payload) for payload in XSS_PAYLOADS]
    notes.append(make_note(people["author"], paragraph, body="on a passage", passage="<script>"))
    return notes


def assert_inert(response) -> str:
    """The page was served (not a 404 or an error, which would pass any absence test) and
    holds no live markup; its HTML, for what the reader should see in it."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    assert dangerous_markup(html) == []
    return html


def test_hostile_notes_and_text_render_inert_on_the_statement_page(client, people, hostile_notes):
    statement = hostile_notes[0].paragraph.statement
    for viewer in (client, client_for(people["author"])):
        html = assert_inert(viewer.get(statement.get_absolute_url()))
        assert '<mark class="note">&lt;script&gt;</mark>' in html
        assert f">{len(hostile_notes)} notes</a>" in html


def test_hostile_notes_render_inert_in_the_notes_opened_in_place_and_as_a_page(
    people, hostile_notes
):
    url = f"/paragraphs/{hostile_notes[0].paragraph_id}/notes/"
    for role in ("anonymous", "author", "staff"):
        viewer = client_for(people[role])
        for response in (viewer.get(url), viewer.get(url, headers=HX)):
            html = assert_inert(response)
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown, as text
            assert html.count('<article class="note"') == len(hostile_notes)


def test_hostile_notes_render_inert_in_the_compare_view(client, people, hostile_notes, statement):
    other = make_statement(paragraphs=["Texte avec dedans une autre histoire."])
    for url in (
        f"/compare/{statement.slug}/{other.slug}/",
        f"/compare/{other.slug}/{statement.slug}/",
    ):
        for response in (client.get(url), client.get(url, headers=HX)):
            html = assert_inert(response)
            assert f">{len(hostile_notes)} notes</a>" in html


def test_hostile_notes_render_inert_in_their_edit_form(people, hostile_notes):
    author = client_for(people["author"])
    for note in hostile_notes:
        for headers in ({}, HX):
            html = assert_inert(author.get(f"/annotations/{note.pk}/edit/", headers=headers))
            # The body is there to edit, as text.
            assert f"{escape(note.body)}</textarea>" in html


def test_hostile_notes_on_links_render_inert(people, statement):
    link = make_link(statement, make_statement(), owner=people["other"])
    for payload in XSS_PAYLOADS:
        make_note(people["author"], link=link, body=payload)
    url = f"/c/{link.comparison.key}/links/{link.pk}/notes/"
    for response in (client_for(None).get(url), Client().get(url, headers=HX)):
        html = assert_inert(response)
        assert html.count('<article class="note"') == len(XSS_PAYLOADS)


def test_a_hostile_moderation_reason_renders_inert(people, paragraph):
    note = make_note(people["author"], paragraph, hidden=True, hidden_reason=XSS_PAYLOADS[1])
    html = assert_inert(client_for(people["author"]).get(f"/paragraphs/{paragraph.pk}/notes/"))
    assert "Hidden by a moderator: &lt;img src=x onerror=alert(1)&gt;" in html
    assert note.hidden


def test_hostile_notes_stay_plain_strings_in_the_json_ld(client, people, hostile_notes, statement):
    response = client.get(f"/annotations.jsonld?statement={statement.slug}")
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["X-Content-Type-Options"] == "nosniff"
    items = json.loads(response.content)["first"]["items"]
    bodies = {item["body"][0]["value"] for item in items}
    assert set(XSS_PAYLOADS) <= bodies
    assert all(isinstance(item["body"][0]["value"], str) for item in items)


# --- CSRF -------------------------------------------------------------------------------------


@pytest.fixture
def strict(people):
    """Clients that check CSRF tokens, as browsers' requests are checked."""

    def make(role: str) -> Client:
        return client_for(people[role], enforce_csrf_checks=True)

    return make


def csrf_token_of(client: Client, paragraph) -> str:
    client.get(paragraph.statement.get_absolute_url())
    return client.cookies["csrftoken"].value


@pytest.mark.parametrize("headers", [{}, HX], ids=["form", "htmx"])
def test_every_annotation_post_needs_a_csrf_token(strict, people, paragraph, headers):
    note = make_note(people["author"], paragraph, body="Untouched.")
    posts = [
        ("author", "/annotations/new/", {"paragraph": paragraph.pk, "body": "New."}),
        ("author", f"/annotations/{note.pk}/edit/", {"body": "Changed.", "visibility": "public"}),
        ("author", f"/annotations/{note.pk}/delete/", {}),
        ("staff", f"/annotations/{note.pk}/hide/", {"reason": "Spam", "hidden": "on"}),
    ]
    for role, url, data in posts:
        assert strict(role).post(url, data, headers=headers).status_code == 403, url
    note.refresh_from_db()
    assert (note.body, note.hidden, Annotation.objects.count()) == ("Untouched.", False, 1)


def test_annotation_posts_with_the_token_from_the_page_go_through(strict, paragraph):
    client = strict("author")
    token = csrf_token_of(client, paragraph)
    data = {"paragraph": paragraph.pk, "body": "With a token.", "visibility": "public"}
    response = client.post("/annotations/new/", data, headers={**HX, "X-CSRFToken": token})
    assert response.status_code == 200
    assert Annotation.objects.get().body == "With a token."


# --- Permission matrix ------------------------------------------------------------------------

ROLES = ["anonymous", "other", "author", "staff"]
# What each role gets for each change to the author's public note: "login" (sent to sign in),
# "denied" (403), or "done" (302 back to the notes, the change made).
CHANGES = {
    "create": {"anonymous": "login", "other": "done", "author": "done", "staff": "done"},
    "edit": {"anonymous": "login", "other": "denied", "author": "done", "staff": "denied"},
    "delete": {"anonymous": "login", "other": "denied", "author": "done", "staff": "denied"},
    "hide": {"anonymous": "login", "other": "denied", "author": "denied", "staff": "done"},
}


def change(client: Client, action: str, note: Annotation):
    paragraph = note.paragraph
    if action == "create":
        data = {"paragraph": paragraph.pk, "body": "Mine.", "visibility": "public"}
        return client.post("/annotations/new/", data)
    if action == "edit":
        return client.post(
            f"/annotations/{note.pk}/edit/", {"body": "Edited.", "visibility": "public"}
        )
    if action == "delete":
        return client.post(f"/annotations/{note.pk}/delete/")
    return client.post(f"/annotations/{note.pk}/hide/", {"reason": "Off topic.", "hidden": "on"})


def was_done(action: str, note: Annotation) -> bool:
    if action == "create":
        return Annotation.objects.filter(body="Mine.").exists()
    if action == "delete":
        return not Annotation.objects.filter(pk=note.pk).exists()
    note.refresh_from_db()
    return note.body == "Edited." if action == "edit" else note.hidden


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(CHANGES))
def test_permission_matrix_for_changing_a_public_note(people, paragraph, action, role):
    note = make_note(people["author"], paragraph, body="Original.")
    response = change(client_for(people[role]), action, note)
    expected = CHANGES[action][role]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    elif expected == "denied":
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response["Location"] == f"/paragraphs/{paragraph.pk}/notes/"
    assert was_done(action, note) is (expected == "done")


@pytest.mark.parametrize("role", ROLES)
def test_only_the_author_gets_the_edit_form(people, paragraph, role):
    note = make_note(people["author"], paragraph)
    response = client_for(people[role]).get(f"/annotations/{note.pk}/edit/", headers=HX)
    expected = {"anonymous": 302, "other": 403, "author": 200, "staff": 403}[role]
    assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
def test_edit_and_moderation_controls_show_only_to_those_allowed(people, paragraph, role):
    note = make_note(people["author"], paragraph)
    html = client_for(people[role]).get(f"/paragraphs/{paragraph.pk}/notes/").content.decode()
    assert (f"/annotations/{note.pk}/edit/" in html) is (role == "author")
    assert (f"/annotations/{note.pk}/delete/" in html) is (role == "author")
    assert (f"/annotations/{note.pk}/hide/" in html) is (role == "staff")


def what_role_sees(client: Client, note: Annotation) -> dict[str, bool]:
    """Where the note shows to this client: notes page, count badge, JSON-LD, its own URL."""
    paragraph = note.paragraph
    notes_page = client.get(f"/paragraphs/{paragraph.pk}/notes/").content.decode()
    statement_page = client.get(paragraph.statement.get_absolute_url()).content.decode()
    export = client.get(f"/annotations.jsonld?statement={paragraph.statement.slug}")
    items = json.loads(export.content)["first"]["items"]
    return {
        "page": note.body in notes_page,
        "count": ">1 note</a>" in statement_page,
        "passage": '<mark class="note">' in statement_page,
        "json-ld": any(item["body"][0]["value"] == note.body for item in items),
        "url": client.get(f"/annotations/{note.pk}/").status_code == 302,
    }


@pytest.mark.parametrize("role", ROLES)
def test_a_private_note_shows_to_its_author_alone(people, paragraph, role):
    note = make_note(
        people["author"], paragraph, body="Secret thought.", visibility="private", passage="Texte"
    )
    seen = what_role_sees(client_for(people[role]), note)
    assert seen == dict.fromkeys(seen, role == "author")


@pytest.mark.parametrize("role", ["other", "staff"])
def test_others_private_notes_cannot_be_changed_or_even_found(people, paragraph, role):
    note = make_note(people["author"], paragraph, visibility="private")
    client = client_for(people[role])
    assert client.get(f"/annotations/{note.pk}/edit/").status_code == 404
    assert client.post(f"/annotations/{note.pk}/delete/").status_code == 404
    assert client.post(f"/annotations/{note.pk}/hide/", {"reason": "x"}).status_code in (403, 404)
    assert Annotation.objects.filter(pk=note.pk, hidden=False).exists()


@pytest.mark.parametrize("role", ROLES)
def test_a_note_hidden_by_a_moderator_shows_only_to_its_author_and_staff(people, paragraph, role):
    note = make_note(people["author"], paragraph, body="Borderline.", passage="Texte")
    moderator = client_for(people["staff"])
    response = moderator.post(
        f"/annotations/{note.pk}/hide/", {"reason": "Insulting.", "hidden": "on"}, headers=HX
    )
    assert response["HX-Retarget"] == f"#notes-{paragraph.pk}"
    assert "Hidden by a moderator: Insulting." in response.content.decode()
    client = client_for(people[role])
    seen = what_role_sees(client, note)
    shown = role in ("author", "staff")
    assert (seen["page"], seen["count"], seen["passage"], seen["url"]) == (shown,) * 4
    # The export is a publication: only the author's own copy of a hidden note goes out.
    assert seen["json-ld"] is (role == "author")
    page = client.get(f"/paragraphs/{paragraph.pk}/notes/").content.decode()
    assert ("Hidden by a moderator: Insulting." in page) is shown


def test_a_moderator_shows_a_hidden_note_again(people, paragraph):
    note = make_note(people["author"], paragraph, hidden=True, hidden_reason="Spam?")
    response = client_for(people["staff"]).post(
        f"/annotations/{note.pk}/hide/", {"reason": "Spam?", "hidden": ""}
    )
    assert response.status_code == 302
    note.refresh_from_db()
    assert (note.hidden, note.hidden_reason) == (False, "")
    assert note.body in client_for(None).get(response["Location"]).content.decode()


def test_hiding_without_a_reason_says_so_and_hides_nothing(people, paragraph):
    note = make_note(people["author"], paragraph)
    moderator = client_for(people["staff"])
    response = moderator.post(f"/annotations/{note.pk}/hide/", {"reason": ""}, headers=HX)
    assert response["HX-Retarget"] == f"#note-{note.pk}"
    assert "Say why the note is hidden" in response.content.decode()
    response = moderator.post(f"/annotations/{note.pk}/hide/", {"reason": ""}, follow=True)
    assert "The note was not hidden: say why" in response.content.decode()
    note.refresh_from_db()
    assert not note.hidden


def test_only_readers_who_may_open_a_comparison_annotate_its_links(people, statement):
    link = make_link(
        statement, make_statement(), owner=people["other"], visibility=Visibility.PRIVATE
    )
    author = client_for(people["author"])
    data = {"link": link.pk, "comparison": link.comparison.key, "body": "Sneaky."}
    response = author.post("/annotations/new/", data)
    assert response.status_code == 404
    assert not Annotation.objects.exists()


# --- Bad input ----------------------------------------------------------------------------------


def bad_inputs(paragraph) -> list[tuple[dict, str]]:
    text = paragraph.text
    return [
        ({"body": ""}, "Write the note: an empty note says nothing."),
        ({"body": "   \n  "}, "Write the note: an empty note says nothing."),
        (
            {"body": "x" * 10_001},
            "A note can be at most 10000 characters long (this one has 10001).",
        ),
        ({"tags": ["claim", "propaganda"]}, "“propaganda” is not a tag: choose among claim"),
        ({"exact": "Texte", "start": 1, "end": 6}, "does not match the paragraph&#x27;s text"),
        ({"exact": "Texte", "start": 0, "end": 500}, "does not match the paragraph&#x27;s text"),
        ({"exact": "Texte", "start": 0}, "does not match the paragraph&#x27;s text"),
        ({"exact": "absent des mots", "start": "", "end": ""}, "is not in this paragraph"),
        ({"exact": "Texte ", "start": 0, "end": 5}, "does not match the paragraph&#x27;s"),
        ({"visibility": "everyone"}, "Select a valid choice"),
        ({"exact": text[:5], "start": -1, "end": 4}, "does not match the paragraph&#x27;s text"),
        ({"exact": text[-3:], "start": len(text) - 3, "end": len(text) + 9}, "does not match"),
        ({"exact": "Texte", "start": "zéro", "end": "5"}, "does not match the paragraph&#x27;s"),
    ]


@pytest.mark.parametrize("case", range(13))
def test_bad_input_gets_a_clear_error_and_saves_nothing(people, paragraph, case):
    overrides, message = bad_inputs(paragraph)[case]
    data = {"paragraph": paragraph.pk, "body": "Fine.", "visibility": "public", **overrides}
    client = client_for(people["author"])
    page = client.post("/annotations/new/", data)
    fragment = client.post("/annotations/new/", data, headers=HX)
    assert page.status_code == 400 and "<html" in page.content.decode()
    assert fragment.status_code == 200 and fragment.content.decode().strip().startswith("<form")
    for response in (page, fragment):
        html = response.content.decode()
        assert message in html
        assert "The note was not saved" in html
    assert not Annotation.objects.exists()


def test_bad_input_on_edit_leaves_the_note_as_it_was(people, paragraph):
    note = make_note(people["author"], paragraph, body="Kept.", passage="Texte")
    response = client_for(people["author"]).post(
        f"/annotations/{note.pk}/edit/",
        {"body": "", "exact": "Texte", "start": 3, "end": 8, "visibility": "public"},
        headers=HX,
    )
    html = response.content.decode()
    assert "Write the note" in html and "does not match the paragraph" in html
    note.refresh_from_db()
    assert (note.body, note.start, note.end) == ("Kept.", 0, 5)


def test_notes_on_a_link_go_private_with_their_comparison(people, statement):
    link = make_link(statement, make_statement(), owner=people["other"])
    note = make_note(people["author"], link=link, body="Public, on a shared pair.")
    comparison = link.comparison
    comparison.visibility = Visibility.PRIVATE
    comparison.save()
    stranger = client_for(make_user("stranger"))
    assert stranger.get(f"/annotations/{note.pk}/", headers=HX).status_code == 404
    url = f"/c/{comparison.key}/links/{link.pk}/notes/"
    assert stranger.get(url).status_code == 404
    status = stranger.get("/annotations.jsonld", {"comparison": comparison.key}).status_code
    assert status == 404
    owner = client_for(people["other"])
    assert "Public, on a shared pair." in owner.get(url).content.decode()


@pytest.mark.django_db
def test_absurdly_long_ids_and_offsets_are_refused_not_a_server_error(client, seeded):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("longid", password="pass-phrase-long-1")
    client.force_login(user)
    huge = "9" * 5000
    assert client.get("/annotations/new/", {"paragraph": huge}).status_code == 400
    assert client.get("/annotations/new/", {"link": huge}).status_code == 400
    paragraph = seeded["000"].paragraphs.filter(kind="body").first()
    response = client.post(
        f"/annotations/new/?paragraph={paragraph.pk}",
        {
            "body": "note",
            "visibility": "public",
            "exact": paragraph.text[:10],
            "start": huge,
            "end": huge,
        },
    )
    assert response.status_code in (200, 400)
    assert not user.annotations.exists()
