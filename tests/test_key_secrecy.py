"""An unlisted comparison is reachable only by someone who was given its key: no page reached
by a sequential id reveals a key, and no answer tells which keys exist."""

from __future__ import annotations

import json

import pytest

from statements.models import Annotation, Comparison, Visibility

from .conftest import make_statement
from .notes_helpers import HX, client_for, make_link, make_note, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return {
        "owner": make_user("owner"),
        "author": make_user("author"),
        "stranger": make_user("stranger"),
        "staff": make_user("moderator", staff=True),
    }


@pytest.fixture
def comparisons(people):
    """A public, an unlisted and a private comparison, each with a link and a public note on
    it by `author` (written while the comparison was shared with them)."""
    made = {}
    for visibility in (Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE):
        link = make_link(make_statement(), make_statement(), people["owner"], Visibility.UNLISTED)
        make_note(people["author"], link=link, body=f"On the {visibility} pair.")
        Comparison.objects.filter(pk=link.comparison_id).update(visibility=visibility)
        made[visibility] = Comparison.objects.get(pk=link.comparison_id)
    return made


def probe(client, headers=None) -> list[str]:
    """What a visitor finds looping over every sequential id: every answer's body and
    redirect target, as the probe of issue 11 collected them."""
    found = []
    top = max(Annotation.objects.order_by("-pk")[0].pk, 5) + 3
    for n in range(1, top):
        for url in (
            f"/annotations/{n}/",
            f"/annotations/{n}/edit/",
            f"/annotations/new/?link={n}",
            f"/paragraphs/{n}/notes/",
            f"/links/{n}/notes/",
        ):
            response = client.get(url, headers=headers or {})
            found.append(f"{response.status_code} {response.get('Location', '')} ")
            found.append(response.content.decode())
    return found


@pytest.mark.parametrize("who", ["anonymous", "stranger", "staff"])
def test_looping_over_ids_finds_no_unlisted_or_private_key(people, comparisons, who):
    client = client_for(None if who == "anonymous" else people[who])
    answers = "".join(probe(client) + probe(client, HX))
    assert comparisons[Visibility.UNLISTED].key not in answers
    assert comparisons[Visibility.PRIVATE].key not in answers
    assert "On the unlisted pair." not in answers and "On the private pair." not in answers


def test_a_public_comparisons_link_notes_open_from_their_note_id(client, comparisons):
    public = comparisons[Visibility.PUBLIC]
    note = Annotation.objects.get(link__comparison=public)
    response = client.get(f"/annotations/{note.pk}/")
    assert response.status_code == 302
    link_notes = f"/c/{public.key}/links/{note.link_id}/notes/"
    assert response["Location"] == f"{link_notes}#note-{note.pk}"
    assert "On the public pair." in client.get(link_notes).content.decode()


def test_an_unlisted_comparisons_link_notes_open_with_its_key_only(people, comparisons):
    unlisted = comparisons[Visibility.UNLISTED]
    note = Annotation.objects.get(link__comparison=unlisted)
    stranger = client_for(people["stranger"])
    assert stranger.get(f"/annotations/{note.pk}/").status_code == 404
    assert stranger.get(f"/annotations/{note.pk}/", headers=HX).status_code == 404
    with_key = stranger.get(f"/annotations/{note.pk}/?comparison={unlisted.key}")
    assert with_key.status_code == 302
    assert with_key["Location"].startswith(f"/c/{unlisted.key}/links/{note.link_id}/notes/")
    page = stranger.get(f"/c/{unlisted.key}/links/{note.link_id}/notes/")
    assert page.status_code == 200 and "On the unlisted pair." in page.content.decode()
    wrong_key = comparisons[Visibility.PUBLIC].key
    assert stranger.get(f"/c/{wrong_key}/links/{note.link_id}/notes/").status_code == 404
    assert stranger.get(f"/annotations/{note.pk}/?comparison={wrong_key}").status_code == 404
    # Those who were given the key: the note's author, the comparison's owner.
    for who in ("author", "owner"):
        response = client_for(people[who]).get(f"/annotations/{note.pk}/")
        assert response.status_code == 302 and unlisted.key in response["Location"]


def test_a_link_notes_own_urls_carry_the_key_and_work(people, comparisons):
    unlisted = comparisons[Visibility.UNLISTED]
    note = Annotation.objects.get(link__comparison=unlisted)
    url = f"/c/{unlisted.key}/links/{note.link_id}/notes/"
    page = client_for(people["staff"]).get(url).content.decode()
    assert f'action="/annotations/{note.pk}/hide/?comparison={unlisted.key}"' in page
    hidden = client_for(people["staff"]).post(
        f"/annotations/{note.pk}/hide/?comparison={unlisted.key}",
        {"reason": "Off topic", "hidden": "on"},
    )
    assert hidden.status_code == 302 and hidden["Location"] == url
    note.refresh_from_db()
    assert note.hidden and note.hidden_reason == "Off topic"
    # Without the key the moderator is told nothing, and nothing changes.
    again = client_for(people["staff"]).post(f"/annotations/{note.pk}/hide/", {"reason": "x"})
    assert again.status_code == 404
    author_page = client_for(people["author"]).get(url).content.decode()
    assert f'href="/annotations/{note.pk}/edit/?comparison={unlisted.key}"' in author_page
    edited = client_for(people["author"]).post(
        f"/annotations/{note.pk}/edit/?comparison={unlisted.key}",
        {"body": "Edited.", "visibility": "public"},
    )
    assert edited.status_code == 302 and edited["Location"] == url
    assert Annotation.objects.get(pk=note.pk).body == "Edited."


def test_annotating_a_link_needs_its_comparisons_key(people, comparisons):
    unlisted = comparisons[Visibility.UNLISTED]
    link = unlisted.links.get()
    stranger = client_for(people["stranger"])
    without = stranger.post("/annotations/new/", {"link": link.pk, "body": "Found it."})
    assert without.status_code == 400
    assert stranger.get(f"/annotations/new/?link={link.pk}").status_code == 400
    assert not Annotation.objects.filter(body="Found it.").exists()
    data = {"link": link.pk, "comparison": unlisted.key, "body": "Given the key."}
    assert stranger.post("/annotations/new/", data | {"visibility": "public"}).status_code == 302
    assert Annotation.objects.filter(body="Given the key.", link=link).exists()


def test_a_link_notes_json_ld_id_opens_it(client, comparisons):
    unlisted = comparisons[Visibility.UNLISTED]
    note = Annotation.objects.get(link__comparison=unlisted)
    document = json.loads(client.get("/annotations.jsonld", {"comparison": unlisted.key}).content)
    [item] = document["first"]["items"]
    assert item["id"] == f"http://testserver/annotations/{note.pk}/?comparison={unlisted.key}"
    assert client.get(item["id"]).status_code == 302


def main_text(page: str) -> str:
    """A page's own content (the per-request nonce and CSRF token left out)."""
    if "<main" in page:
        return page[page.index("<main") : page.index("</main>")]
    return page


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("post", "/c/{key}/hide/", {"reason": "Spam", "hidden": "on"}),
        ("post", "/c/{key}/hide/", {}),
        ("post", "/c/{key}/edit/", {"title": "Mine now", "visibility": "public"}),
        ("post", "/c/{key}/delete/", {}),
        ("post", "/c/{key}/links/", {"left": "1", "right": "1", "relation": "quotes"}),
        ("post", "/c/{key}/links/1/", {"state": "rejected"}),
        ("get", "/c/{key}/", {}),
        ("get", "/c/{key}.json", {}),
        ("get", "/c/{key}/links/1/notes/", {}),
        ("get", "/annotations.jsonld", {"comparison": "{key}"}),
    ],
)
@pytest.mark.parametrize("who", ["staff", "stranger", "anonymous"])
def test_a_private_key_answers_as_an_unknown_key_does(people, comparisons, method, path, data, who):
    """No answer tells an existing private key from one that does not exist: same status,
    same body (a staff member's hide answered 302 for one and 404 for the other)."""
    private = comparisons[Visibility.PRIVATE]
    client = client_for(None if who == "anonymous" else people[who])
    answers = []
    for key in (private.key, "NoSuchKey000"):
        filled = {name: value.replace("{key}", key) for name, value in data.items()}
        response = getattr(client, method)(path.replace("{key}", key), filled)
        body = main_text(response.content.decode()).replace(key, "KEY")
        answers.append(
            (response.status_code, response.get("Location", "").replace(key, "KEY"), body)
        )
    assert answers[0] == answers[1]
    assert answers[0][0] in (302, 403, 404)
    private.refresh_from_db()
    assert (private.hidden, private.title, private.visibility) == (False, "Side by side", "private")
