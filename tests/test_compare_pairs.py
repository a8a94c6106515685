"""One pair of a comparison: the link panel (htmx) and, without JavaScript, its own page;
every partner a paragraph lists leads there. Queries stay bounded on every compare page."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from statements.models import Comparison, Link

from .compare_page import read_compare_page
from .conftest import make_source, make_statement
from .notes_helpers import HX, client_for, make_note

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def owner(db):
    return User.objects.create_user("owner", password=None)


@pytest.fixture
def saved(seeded, owner) -> Comparison:
    left, right = seeded["000"], seeded["001"]
    client_for(owner).post(
        f"/compare/{left.slug}/{right.slug}/save/",
        {"title": "Votes", "note": "", "visibility": "unlisted"},
    )
    return Comparison.objects.get()


def engine_url(seeded) -> str:
    return f"/compare/{seeded['000'].slug}/{seeded['001'].slug}/"


def test_every_partner_a_paragraph_lists_leads_to_the_pair_and_its_own_page(client, seeded):
    page = read_compare_page(client.get(engine_url(seeded)).content.decode())
    anchors = {chip.href for chips in page.chips.values() for chip in chips}
    assert anchors and anchors == {f"#{card}" for card in page.cards}
    for anchor in anchors:
        response = client.get(page.card_links[anchor[1:]])
        assert response.status_code == 200, anchor
        html = response.content.decode()
        assert '<article class="pair-panel' in html and "<html" in html
        assert "Why they are linked" in html


def test_every_pair_anchor_on_the_page_points_at_an_element(client, seeded):
    html = client.get(engine_url(seeded)).content.decode()
    page = read_compare_page(html)
    for left, right in page.pairs():
        assert f"pair-l{left}-r{right}" in page.ids
    for anchor in page.cards:
        assert anchor in page.ids


def test_the_pair_page_shows_both_passages_and_the_shared_wording(client, seeded):
    left, right = seeded["000"], seeded["001"]
    nato = next(p for p in left.paragraphs.all() if "Les faux référendums organisés" in p.text)
    rt = next(p for p in right.paragraphs.all() if "Les référendums fictifs" in p.text)
    url = f"{engine_url(seeded)}pairs/{nato.position}-{rt.position}/"
    full = client.get(url).content.decode()
    panel = client.get(url, headers=HX).content.decode()
    assert "<html" in full and "<html" not in panel
    assert panel.strip().startswith('<article class="pair-panel')
    for html in (full, panel):
        assert f"NATO ¶{nato.position} ↔ RT (attributed) ¶{rt.position}" in html
        assert '<mark class="quote">n&#x27;ont aucune légitimité' in html
        assert "Shared wording" in html
        assert f'href="{engine_url(seeded)}#pair-l{nato.position}-r{rt.position}"' in html
    assert "Next link →" in full or "← Previous link" in full
    assert 'class="panel-close' in panel and 'class="panel-close' not in full


def test_a_pair_that_is_not_linked_is_a_404_that_says_so(client, seeded):
    page = read_compare_page(client.get(engine_url(seeded)).content.decode())
    linked = page.pairs()
    unlinked = next(
        (a, b) for a in page.columns["l"] for b in page.columns["r"] if (a, b) not in linked
    )
    response = client.get(f"{engine_url(seeded)}pairs/{unlinked[0]}-{unlinked[1]}/")
    assert response.status_code == 404
    assert f"¶{unlinked[0]} and ¶{unlinked[1]} are not linked" in response.content.decode()


def test_a_pair_of_a_statement_with_itself_is_refused(client, seeded):
    slug = seeded["000"].slug
    response = client.get(f"/compare/{slug}/{slug}/pairs/1-1/")
    assert response.status_code == 400
    assert "Pick two different statements" in response.content.decode()


def test_the_pairs_of_a_lower_threshold_keep_it_in_their_links(client, seeded):
    url = engine_url(seeded)
    strict = read_compare_page(client.get(url).content.decode()).pairs()
    loose_page = read_compare_page(client.get(url, {"threshold": "0.2"}).content.decode())
    extra = next(iter(loose_page.pairs() - strict))
    href = loose_page.card_links[f"pair-l{extra[0]}-r{extra[1]}"]
    assert href.endswith(f"pairs/{extra[0]}-{extra[1]}/?threshold=0.2")
    assert client.get(href).status_code == 200
    assert client.get(href.split("?")[0]).status_code == 404


# --- Saved comparisons ------------------------------------------------------------------------


def pair_url(saved: Comparison, link: Link) -> str:
    return f"/c/{saved.key}/pairs/{link.left.position}-{link.right.position}/"


def test_the_owner_curates_a_pair_on_its_own_page_with_plain_forms(saved, owner):
    link = saved.links.select_related("left", "right").first()
    html = client_for(owner).get(pair_url(saved, link)).content.decode()
    assert f'action="/c/{saved.key}/links/{link.pk}/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'value="page"' in html and "hx-post" not in html.split("link-controls")[1][:400]
    for words in ("✓ Confirm", "✗ Reject", "○ Undecided", "Retype"):
        assert words in html


def test_the_pairs_panel_of_a_saved_comparison_posts_through_htmx(saved, owner):
    link = saved.links.select_related("left", "right").first()
    html = client_for(owner).get(pair_url(saved, link), headers=HX).content.decode()
    assert f'hx-post="/c/{saved.key}/links/{link.pk}/" hx-target="#link-panel"' in html
    assert f'id="panel-confirm-{link.pk}"' in html and 'value="panel"' in html


@pytest.mark.parametrize("visibility", ["public", "unlisted", "private"])
def test_who_sees_a_pair_of_a_saved_comparison(saved, owner, visibility):
    Comparison.objects.filter(pk=saved.pk).update(visibility=visibility)
    link = saved.links.select_related("left", "right").first()
    other = User.objects.create_user("other", password=None)
    for reader, sees in ((None, visibility != "private"), (other, visibility != "private")):
        response = client_for(reader).get(pair_url(saved, link))
        assert response.status_code == (200 if sees else 404)
        if sees:
            html = response.content.decode()
            assert "✓ Confirm" not in html and "Notes on this link" in html
    assert client_for(owner).get(pair_url(saved, link)).status_code == 200


def test_the_pair_page_shows_the_links_notes(saved, owner):
    link = saved.links.select_related("left", "right").first()
    make_note(owner, link=link, body="Same claim, other words.")
    html = client_for(None).get(pair_url(saved, link)).content.decode()
    assert f'id="link-notes-{link.pk}"' in html and ">1 note</a>" in html


def test_a_rejected_link_still_has_its_pair_page_and_says_it_is_rejected(saved, owner):
    link = saved.links.select_related("left", "right").first()
    client_for(owner).post(f"/c/{saved.key}/links/{link.pk}/", {"state": "rejected"})
    html = client_for(None).get(pair_url(saved, link)).content.decode()
    assert 'class="pair-panel rel-' in html and "state-rejected" in html


def test_a_manual_link_with_errors_is_shown_to_htmx_with_a_200(saved, owner):
    response = client_for(owner).post(
        f"/c/{saved.key}/links/", {"left": 999, "right": 1, "relation": "quotes"}, headers=HX
    )
    assert response.status_code == 200  # htmx swaps only 2xx answers
    html = response.content.decode()
    assert html.strip().startswith('<section id="columns"')
    assert "The link was not added" in html and "Select a valid choice" in html


# --- Query counts -----------------------------------------------------------------------------


def long_pair(paragraphs: int):
    source = make_source()
    words = ["alliance", "sécurité", "soutien", "territoire", "référendum", "frontière"]
    texts = [" ".join(words[(i + j) % 6] for j in range(12)) + f" {i}." for i in range(paragraphs)]
    return (
        make_statement(source=source, paragraphs=texts),
        make_statement(source=source, paragraphs=list(reversed(texts))),
    )


def test_saved_and_shared_pages_of_long_statements_stay_within_15_queries(
    django_assert_max_num_queries,
):
    left, right = long_pair(300)
    owner = User.objects.create_user("long", password=None)
    client_for(owner).post(
        f"/compare/{left.slug}/{right.slug}/save/", {"title": "Long", "visibility": "unlisted"}
    )
    comparison = Comparison.objects.get()
    assert comparison.links.count() >= 100
    link = comparison.links.select_related("left", "right").first()
    make_note(owner, link=link, body="A note on a link.")
    for reader in (owner, None):
        client = client_for(reader)
        client.get(comparison.get_absolute_url())
        with django_assert_max_num_queries(15):
            html = client.get(comparison.get_absolute_url()).content.decode()
        page = read_compare_page(html)
        assert page.columns == {"l": list(range(1, 301)), "r": list(range(1, 301))}
        assert len(page.cards) == comparison.links.count()
        assert ("Confirm</button>" in html) == (reader is owner)
        with django_assert_max_num_queries(12):
            assert client.get(pair_url(comparison, link)).status_code == 200


def test_curating_a_link_of_long_statements_stays_within_20_queries(
    django_assert_max_num_queries,
):
    left, right = long_pair(300)
    owner = User.objects.create_user("curator", password=None)
    client = client_for(owner)
    client.post(
        f"/compare/{left.slug}/{right.slug}/save/", {"title": "Long", "visibility": "unlisted"}
    )
    comparison = Comparison.objects.get()
    link = comparison.links.first()
    for shown_in in ("card", "panel"):
        with django_assert_max_num_queries(20):
            response = client.post(
                f"/c/{comparison.key}/links/{link.pk}/",
                {"state": "confirmed", "shown_in": shown_in},
                headers=HX,
            )
        assert response.status_code == 200 and 'id="summary" hx-swap-oob="true"' in (
            response.content.decode()
        )


# --- While the links are computed, and the columns' cache -----------------------------------


def test_while_the_links_are_computed_the_page_shows_both_texts_and_says_so(
    client, seeded, monkeypatch
):
    from statements.services import comparing

    ready = client.get(engine_url(seeded)).content.decode()  # cached, links and all
    monkeypatch.setattr(comparing, "engine_links", lambda found: None)
    html = client.get(engine_url(seeded)).content.decode()
    assert read_compare_page(ready).pairs()
    page = read_compare_page(html)
    assert page.columns["l"] and page.columns["r"]
    assert set(page.fates.values()) == {"pending"} and page.pairs() == set()
    assert 'id="aligning" role="status"' in html and "Links: being computed" in page.summary
    assert "The links are being computed." in html
    monkeypatch.undo()
    assert read_compare_page(client.get(engine_url(seeded)).content.decode()).pairs()


def test_the_rendered_columns_are_cached_and_built_once(client, seeded, monkeypatch):
    from django.core.cache import cache

    from statements.views import compare

    cache.clear()
    built = []
    original = compare.build_reading
    monkeypatch.setattr(
        compare, "build_reading", lambda *args, **kw: built.append(1) or original(*args, **kw)
    )
    first = read_compare_page(client.get(engine_url(seeded)).content.decode())
    second = read_compare_page(client.get(engine_url(seeded)).content.decode())
    assert built == [1] and second == first
