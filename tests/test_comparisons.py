from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils.html import escape

from statements.models import Comparison, Statement

from .compare_page import read_compare_page

pytestmark = pytest.mark.django_db

User = get_user_model()


def pair_cards(page: str) -> list[str]:
    """The anchors of the pair cards ("pair-l3-r5"), in page order."""
    return read_compare_page(page).cards


def partners_of(page: str, cell: str) -> list[str]:
    """The paragraphs a cell lists as its partners ("r5", ...)."""
    shown = read_compare_page(page)
    assert cell in shown.chips, f"no cell {cell} on the page"
    other = "r" if cell[0] == "l" else "l"
    return [f"{other}{chip.right if other == 'r' else chip.left}" for chip in shown.chips[cell]]


@pytest.fixture
def people(db):
    return {
        "owner": User.objects.create_user("owner", password="pass-phrase-owner-1"),
        "other": User.objects.create_user("other", password="pass-phrase-other-1"),
        "staff": User.objects.create_user("mod", password="pass-phrase-mod-1", is_staff=True),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def saved(seeded, people) -> Comparison:
    left, right = seeded["000"], seeded["001"]
    client_for(people["owner"]).post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": "NATO against RT on the votes", "note": "First pass.", "visibility": "unlisted"},
    )
    return Comparison.objects.get()


def test_saving_stores_the_engine_suggestions_as_links(saved):
    assert saved.owner.username == "owner"
    assert saved.links.count() >= 3
    assert set(saved.links.values_list("state", flat=True)) == {"suggested"}
    assert saved.links.first().origin.startswith("sent-")
    assert len(saved.key) >= 12


def test_saving_redirects_to_the_share_url(seeded, people):
    left, right = seeded["000"], seeded["001"]
    response = client_for(people["owner"]).post(
        f"/compare/{left.slug}/{right.slug}/save/", {"title": "Votes", "visibility": "public"}
    )
    comparison = Comparison.objects.get()
    assert response["Location"] == f"/c/{comparison.key}/"


def test_saving_needs_a_title_and_saves_nothing_without(seeded, people):
    left, right = seeded["000"], seeded["001"]
    response = client_for(people["owner"]).post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": "  ", "visibility": "public"},
        follow=True,
    )
    assert "needs a title" in response.content.decode()
    assert Comparison.objects.count() == 0


def test_anonymous_readers_are_asked_to_sign_in_to_save(seeded, client):
    left, right = seeded["000"], seeded["001"]
    page = client.get(f"/compare/{left.slug}/{right.slug}/").content.decode()
    assert "to save this comparison" in page
    response = client.post(f"/compare/{left.slug}/{right.slug}/save/", {"title": "x"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert Comparison.objects.count() == 0


def test_share_page_shows_the_same_pairs_to_everyone(saved, people):
    owner_page = client_for(people["owner"]).get(saved.get_absolute_url()).content.decode()
    anonymous_page = client_for(None).get(saved.get_absolute_url()).content.decode()
    assert pair_cards(anonymous_page) == pair_cards(owner_page) != []
    for link in saved.links.select_related("left", "right"):
        assert f"r{link.right.position}" in partners_of(anonymous_page, f"l{link.left.position}")
    assert "NATO against RT on the votes" in anonymous_page
    assert "Confirm</button>" in owner_page
    assert "Confirm</button>" not in anonymous_page


def test_open_graph_tags_name_both_sources_and_count_confirmed_links(saved, people):
    link = saved.links.first()
    client_for(people["owner"]).post(
        f"/c/{saved.key}/links/{link.pk}/", {"state": "confirmed", "relation": link.relation}
    )
    page = client_for(None).get(saved.get_absolute_url()).content.decode()
    assert (
        '<meta property="og:title" content="NATO vs RT (attributed): NATO against RT on the votes">'
        in page
    )
    assert "1 confirmed link." in page
    assert 'name="twitter:card"' in page


def test_owner_confirms_rejects_and_retypes_links_in_place(saved, people):
    owner = client_for(people["owner"])
    first, second = saved.links.select_related("left", "right").order_by("pk")[:2]
    response = owner.post(
        f"/c/{saved.key}/links/{first.pk}/",
        {"state": "confirmed", "relation": "reframes", "shown_in": "card"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    # The card it was curated in, and out of band the marks of both paragraphs and the
    # summary: never the columns, which stay where they are.
    card = f'<li class="pair-card rel-reframes state-confirmed" id="{first.anchor}"'
    assert body.strip().startswith(card)
    assert "<html" not in body and 'id="columns"' not in body
    for cell in (f"l{first.left.position}", f"r{first.right.position}"):
        assert f'id="meta-{cell}" data-fate=' in body
    assert re.search(r'id="meta-[lr]\d+" data-fate="[a-z]+" lang="en" hx-swap-oob="true"', body)
    assert 'id="summary" hx-swap-oob="true"' in body and "1 confirmed" in body
    assert 'id="announcer" hx-swap-oob="innerHTML"' in body
    first.refresh_from_db()
    assert (first.state, first.relation) == ("confirmed", "reframes")

    response = owner.post(f"/c/{saved.key}/links/{second.pk}/", {"state": "rejected"})
    second.refresh_from_db()
    assert second.state == "rejected"
    assert response["Location"] == f"/c/{saved.key}/#{second.anchor}"
    page = read_compare_page(owner.get(saved.get_absolute_url()).content.decode())
    chips = page.chips[f"l{second.left.position}"]
    chip = next(chip for chip in chips if chip.right == second.right.position)
    assert chip.state == "rejected" and second.anchor in page.cards  # still there, struck out


def test_a_rejected_link_links_nothing_and_the_marks_and_summary_say_so(saved, people):
    owner = client_for(people["owner"])
    before = read_compare_page(client_for(None).get(saved.get_absolute_url()).content.decode())
    # A left paragraph with one link only: rejecting it makes the paragraph an omission.
    link = next(
        link
        for link in saved.links.select_related("left", "right")
        if len(before.chips[f"l{link.left.position}"]) == 1
    )
    owner.post(f"/c/{saved.key}/links/{link.pk}/", {"state": "rejected"})
    after = read_compare_page(client_for(None).get(saved.get_absolute_url()).content.decode())
    assert after.columns == before.columns  # nothing moved
    assert after.fates[f"l{link.left.position}"] == "omitted"
    assert after.count("omission") == before.count("omission") + 1
    assert after.count("link") == before.count("link") - 1
    assert after.count("omission") == len(after.marked("omitted"))
    assert after.count("addition") == len(after.marked("added"))


def test_a_plain_post_from_the_pairs_own_page_goes_back_to_it(saved, people):
    link = saved.links.select_related("left", "right").first()
    response = client_for(people["owner"]).post(
        f"/c/{saved.key}/links/{link.pk}/", {"state": "confirmed", "shown_in": "page"}
    )
    pair_url = f"/c/{saved.key}/pairs/{link.left.position}-{link.right.position}/"
    assert response.status_code == 302 and response["Location"] == pair_url
    page = client_for(people["owner"]).get(pair_url).content.decode()
    assert 'aria-pressed="true">✓ Confirm</button>' in page


def test_curating_in_the_panel_answers_with_the_panel_and_the_card_out_of_band(saved, people):
    link = saved.links.select_related("left", "right").first()
    response = client_for(people["owner"]).post(
        f"/c/{saved.key}/links/{link.pk}/",
        {"relation": "contradicts", "shown_in": "panel"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert body.strip().startswith('<article class="pair-panel rel-contradicts state-suggested"')
    assert f'id="{link.anchor}" hx-swap-oob="true"' in body  # its card
    assert f'id="panel-confirm-{link.pk}"' in body  # same ids: htmx keeps the focus there
    assert 'hx-target="#link-panel"' in body


def test_owner_adds_a_manual_link(saved, people, seeded):
    owner = client_for(people["owner"])
    response = owner.post(
        f"/c/{saved.key}/links/",
        {"left": 3, "right": 5, "relation": "contradicts"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    link = saved.links.get(left__position=3, right__position=5)
    assert (link.state, link.relation, link.origin) == ("confirmed", "contradicts", "reader")
    assert link.created_by == people["owner"]
    assert "r5" in partners_of(response.content.decode(), "l3")


def test_a_manual_link_to_a_missing_paragraph_is_refused(saved, people):
    response = client_for(people["owner"]).post(
        f"/c/{saved.key}/links/", {"left": 999, "right": 1, "relation": "quotes"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not saved.links.filter(left__position=999).exists()


@pytest.mark.parametrize("who", ["anonymous", "other", "staff"])
def test_only_the_owner_changes_links(saved, people, who):
    link = saved.links.first()
    client = client_for(None if who == "anonymous" else people[who])
    response = client.post(f"/c/{saved.key}/links/{link.pk}/", {"state": "rejected"})
    added = client.post(f"/c/{saved.key}/links/", {"left": 3, "right": 5, "relation": "quotes"})
    if who == "anonymous":
        assert response.status_code == 302 and added.status_code == 302
    else:
        assert response.status_code == 403 and added.status_code == 403
    link.refresh_from_db()
    assert link.state == "suggested"
    assert not saved.links.filter(left__position=3, right__position=5, origin="reader").exists()


VIEW, EDIT, DELETE = "view", "edit", "delete"


@pytest.mark.parametrize(
    ("visibility", "who", "can_view", "can_edit"),
    [
        ("public", "anonymous", True, False),
        ("public", "other", True, False),
        ("public", "owner", True, True),
        ("public", "staff", True, False),
        ("unlisted", "anonymous", True, False),
        ("unlisted", "other", True, False),
        ("unlisted", "owner", True, True),
        ("private", "anonymous", False, False),
        ("private", "other", False, False),
        ("private", "staff", False, False),
        ("private", "owner", True, True),
    ],
)
def test_permission_matrix_for_comparisons(saved, people, visibility, who, can_view, can_edit):
    Comparison.objects.filter(pk=saved.pk).update(visibility=visibility)
    client = client_for(None if who == "anonymous" else people[who])
    page = client.get(saved.get_absolute_url())
    assert page.status_code == (200 if can_view else 404)
    assert client.get(f"/c/{saved.key}.json").status_code == (200 if can_view else 404)

    edited = client.post(
        f"/c/{saved.key}/edit/", {"title": "Changed", "note": "", "visibility": visibility}
    )
    saved.refresh_from_db()
    assert (saved.title == "Changed") == can_edit
    if not can_edit:
        assert edited.status_code in (302, 403, 404)

    client.post(f"/c/{saved.key}/delete/")
    assert Comparison.objects.filter(pk=saved.pk).exists() != can_edit


def test_private_comparisons_stay_out_of_the_public_list(saved, people):
    Comparison.objects.filter(pk=saved.pk).update(visibility="private")
    assert saved.title not in client_for(None).get("/comparisons/").content.decode()
    Comparison.objects.filter(pk=saved.pk).update(visibility="public")
    assert saved.title in client_for(None).get("/comparisons/").content.decode()


def test_unlisted_comparisons_are_shared_but_not_listed(saved):
    assert saved.title not in client_for(None).get("/comparisons/").content.decode()
    assert client_for(None).get(saved.get_absolute_url()).status_code == 200


def test_my_comparisons_lists_only_mine(saved, people):
    mine = client_for(people["owner"]).get("/me/comparisons/").content.decode()
    theirs = client_for(people["other"]).get("/me/comparisons/").content.decode()
    assert saved.title in mine
    assert saved.title not in theirs


def test_staff_hide_a_comparison_with_a_reason(saved, people):
    Comparison.objects.filter(pk=saved.pk).update(visibility="public")
    client_for(people["staff"]).post(f"/c/{saved.key}/hide/", {"reason": "Spam", "hidden": "on"})
    saved.refresh_from_db()
    assert saved.hidden and saved.hidden_reason == "Spam"
    assert client_for(None).get(saved.get_absolute_url()).status_code == 404
    assert saved.title not in client_for(None).get("/comparisons/").content.decode()
    owner_page = client_for(people["owner"]).get(saved.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: Spam" in owner_page


def test_readers_cannot_hide_comparisons(saved, people):
    response = client_for(people["other"]).post(
        f"/c/{saved.key}/hide/", {"reason": "Spam", "hidden": "on"}
    )
    assert response.status_code == 403
    saved.refresh_from_db()
    assert not saved.hidden


def test_share_json_has_states_and_only_public_annotations(saved, people):
    from statements.models import Annotation

    link = saved.links.select_related("left").first()
    client_for(people["owner"]).post(f"/c/{saved.key}/links/{link.pk}/", {"state": "confirmed"})
    Annotation.objects.create(
        author=people["owner"], paragraph=link.left, body="Shared note", visibility="public"
    )
    Annotation.objects.create(
        author=people["owner"], paragraph=link.left, body="Secret note", visibility="private"
    )
    document = json.loads(client_for(None).get(f"/c/{saved.key}.json").content)
    assert document["comparison"]["key"] == saved.key
    assert {"confirmed", "suggested"} <= {item["state"] for item in document["links"]}
    assert set(document) >= {
        "engine",
        "left",
        "right",
        "links",
        "omissions",
        "additions",
        "distinctive",
    }
    bodies = [note["body"] for note in document["annotations"]]
    assert bodies == ["Shared note"]
    assert document["annotations"][0]["target"]["paragraph"]["side"] == "left"


def test_share_page_htmx_request_gets_the_columns_partial(saved):
    client = client_for(None)
    full = client.get(saved.get_absolute_url(), {"all": "on"}).content.decode()
    partial = client.get(saved.get_absolute_url(), {"all": "on"}, headers={"HX-Request": "true"})
    assert "<html" in full
    assert partial.content.decode().strip().startswith('<section id="columns"')


def test_going_back_to_a_share_page_missing_from_htmx_history_gets_the_whole_page(saved):
    # htmx asks again for a page it pushed when its history cache no longer has it: that
    # answer replaces the whole document, so it must be the whole page.
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = client_for(None).get(saved.get_absolute_url(), {"all": "on"}, headers=headers)
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_a_statement_in_a_saved_comparison_cannot_be_deleted_in_the_admin(saved, people, seeded):
    admin = User.objects.create_superuser("root", password="pass-phrase-root-1")
    client = client_for(admin)
    statement = seeded["000"]
    response = client.post(f"/admin/statements/statement/{statement.pk}/delete/", {"post": "yes"})
    assert Statement.objects.filter(pk=statement.pk).exists()
    assert (
        "would require deleting the following protected related objects"
        in response.content.decode()
    )


def test_titles_and_notes_render_inert(seeded, people):
    left, right = seeded["000"], seeded["001"]
    payload = '<script>alert(1)</script><img src=x onerror=alert(1)>"><svg onload=alert(1)>'
    client_for(people["owner"]).post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": payload[:190], "note": payload, "visibility": "public"},
    )
    comparison = Comparison.objects.get()
    for url in (comparison.get_absolute_url(), "/comparisons/", "/me/comparisons/"):
        page = client_for(people["owner"]).get(url).content.decode()
        assert "<script>alert(1)" not in page
        assert "<img src=x" not in page and "<svg onload" not in page
        assert escape("<script>alert(1)</script>") in page
    document = client_for(None).get(f"/c/{comparison.key}.json")
    assert document["Content-Type"] == "application/json"
    assert json.loads(document.content)["comparison"]["note"] == payload


def test_compare_page_queries_are_bounded_for_a_saved_comparison(
    saved, people, django_assert_max_num_queries
):
    client = client_for(people["owner"])
    client.get(saved.get_absolute_url())  # warm the engine cache
    with django_assert_max_num_queries(15):
        assert client.get(saved.get_absolute_url()).status_code == 200


def test_links_to_missing_keys_are_404(db, client):
    assert client.get("/c/doesnotexist/").status_code == 404
    assert client.get("/c/doesnotexist.json").status_code == 404


def test_the_compare_page_shows_a_paragraph_text_edited_after_it_was_cached(client, seeded):
    left, right = seeded["000"], seeded["001"]
    url = f"/compare/{left.slug}/{right.slug}/"
    client.get(url)
    paragraph = left.paragraphs.filter(kind="body").first()
    paragraph.text = "Un texte corrigé par un administrateur."
    paragraph.save(update_fields=["text"])
    assert "Un texte corrigé par un administrateur." in client.get(url).content.decode()


def test_a_linked_paragraph_cannot_be_moved_to_another_statement_in_the_admin(saved, seeded):
    admin = User.objects.create_superuser("root", password="pass-phrase-root-1")
    link = saved.links.select_related("left").first()
    paragraph = link.left
    client_for(admin).post(
        f"/admin/statements/paragraph/{paragraph.pk}/change/",
        {
            "statement": seeded["002"].pk,
            "position": 999,
            "text": paragraph.text,
            "kind": paragraph.kind,
            "number": paragraph.number,
            "language": paragraph.language,
        },
    )
    paragraph.refresh_from_db()
    assert paragraph.statement_id == saved.left_id
    assert client_for(None).get(saved.get_absolute_url()).status_code == 200


def test_each_saved_link_leads_to_its_notes(saved, people):
    from statements.models import Annotation

    link = saved.links.first()
    Annotation.objects.create(author=people["other"], link=link, body="Why?", visibility="public")
    page = client_for(None).get(saved.get_absolute_url()).content.decode()
    assert f'href="/c/{saved.key}/links/{link.pk}/notes/"' in page
    assert "1 note on this link" in page
