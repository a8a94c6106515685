from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape
from lxml import html

from statements.models import Event, Paragraph

from .conftest import make_source, make_statement

pytestmark = pytest.mark.django_db


def test_home_shows_events_with_their_statements_sources_and_the_compare_form(client, seeded):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Parallax keeps official declarations" in page
    assert "September 2022 referendums and annexation" in page
    assert escape(seeded["000"].title) in page
    assert "RT (attributed)" in page
    assert 'action="/compare/"' in page
    assert page.count("<option") >= 2 * 5


def test_statement_list_shows_every_seed_statement(client, seeded):
    page = client.get("/statements/").content.decode()
    for statement in seeded.values():
        assert escape(statement.title) in page
    assert "5 statements" in page


def test_statement_list_filters_by_source_event_language_and_year(client, seeded):
    page = client.get("/statements/", {"source": "rt-attributed"}).content.decode()
    assert escape(seeded["001"].title) in page
    assert escape(seeded["000"].title) not in page

    page = client.get("/statements/", {"event": "nato-response-2022"}).content.decode()
    assert escape(seeded["002"].title) in page and escape(seeded["004"].title) in page
    assert escape(seeded["003"].title) not in page

    page = client.get("/statements/", {"language": "fr", "year": "2022"}).content.decode()
    assert "5 statements" in page


def test_an_unknown_filter_value_gets_a_message_not_an_error(client, seeded):
    response = client.get("/statements/", {"source": "nobody", "year": "banana"})
    assert response.status_code == 200
    assert "Those filters are not valid" in response.content.decode()


def test_statement_list_htmx_request_gets_only_the_results_partial(client, seeded):
    full = client.get("/statements/", {"source": "nato"})
    partial = client.get("/statements/", {"source": "nato"}, headers={"HX-Request": "true"})
    assert "<html" in full.content.decode()
    body = partial.content.decode()
    assert "<html" not in body and "<form" not in body
    assert body.strip().startswith('<section id="results"')
    assert "3 statements" in body


def test_statement_list_paginates_and_keeps_filters_in_page_links(client, db):
    source = make_source("Agence")
    for day in range(1, 26):
        make_statement(source=source, published_on=datetime.date(2022, 3, day), paragraphs=1)
    page = client.get("/statements/", {"source": source.slug}).content.decode()
    assert "Page 1 of 2" in page
    assert f"source={source.slug}&amp;page=2" in page
    second = client.get("/statements/", {"source": source.slug, "page": 2}).content.decode()
    assert "Page 2 of 2" in second


def test_statement_detail_shows_metadata_numbered_paragraphs_and_folded_boilerplate(client, seeded):
    statement = seeded["002"]
    page = client.get(statement.get_absolute_url()).content.decode()
    assert "NATO" in page and "Official" in page
    assert "24 March 2022" in page
    boilerplate = statement.paragraphs.filter(kind=Paragraph.Kind.BOILERPLATE).first()
    assert boilerplate is not None
    assert (
        f'<details class="para para-folded para-boilerplate" id="p{boilerplate.position}"' in page
    )
    for paragraph in statement.paragraphs.all():
        assert f'id="p{paragraph.position}"' in page
    assert 'name="left" value="' + statement.slug in page


def test_month_precision_date_is_shown_as_a_month(client, seeded):
    page = client.get(seeded["001"].get_absolute_url()).content.decode()
    assert "September 2022" in page
    assert "1 September 2022" not in page


def test_english_caption_inside_a_french_statement_is_marked_english(client, seeded):
    page = client.get(seeded["004"].get_absolute_url()).content.decode()
    assert 'lang="en"' in page
    assert "Secretary General of NATO" in page


def test_source_page_lists_its_statements(client, seeded):
    page = client.get("/sources/nato/").content.decode()
    assert "Official" in page
    for prefix in ("000", "002", "004"):
        assert escape(seeded[prefix].title) in page
    assert escape(seeded["001"].title) not in page


def test_event_page_is_a_timeline_in_date_order(client, seeded):
    page = client.get("/events/nato-response-2022/").content.decode()
    assert page.index(escape(seeded["004"].title)) < page.index(escape(seeded["002"].title))
    assert "28 February 2022" in page and "24 March 2022" in page


@pytest.mark.parametrize(
    "url", ["/statements/nope/", "/sources/nope/", "/events/nope/", "/compare/nope/neither/"]
)
def test_unknown_slugs_are_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    page = html.fromstring(response.content.decode())
    assert page.xpath("//h1")[0].text_content() == "Page not found"
    # The site's own page: its navigation leads on.
    assert page.xpath('//nav[@aria-label="Main"]//a[@href="/search/"]')


def test_compare_picker_refuses_a_statement_compared_with_itself(client, seeded):
    slug = seeded["000"].slug
    response = client.get("/compare/", {"left": slug, "right": slug})
    assert response.status_code == 400
    assert "Pick two different statements" in response.content.decode()


def test_compare_picker_redirects_to_the_comparison(client, seeded):
    left, right = seeded["000"].slug, seeded["001"].slug
    response = client.get("/compare/", {"left": left, "right": right})
    assert response.status_code == 302
    assert response["Location"] == reverse("compare", args=[left, right])


def test_pages_send_a_csp_with_a_nonce_and_scripts_carry_it(client, seeded):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in policy
    nonce = policy.split("'nonce-")[1].split("'")[0]
    page = response.content.decode()
    assert page.count("<script") == page.count(f'nonce="{nonce}"')


@pytest.fixture
def big_corpus(db):
    """50 statements of 200 paragraphs, across 5 sources and 2 events."""
    sources = [make_source() for _ in range(5)]
    events = [Event.objects.create(name=f"Event {i}", slug=f"event-{i}") for i in range(2)]
    return [
        make_statement(
            source=sources[i % 5],
            events=(events[i % 2],),
            paragraphs=200,
            published_on=datetime.date(2022, 1 + i % 12, 1 + i % 28),
        )
        for i in range(50)
    ]


def test_list_page_queries_are_bounded(client, big_corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get("/statements/")
    assert response.status_code == 200
    with django_assert_max_num_queries(10):
        client.get("/statements/", {"source": big_corpus[0].source.slug, "page": 1})


def test_detail_page_queries_are_bounded(client, big_corpus, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        response = client.get(big_corpus[0].get_absolute_url())
    assert response.content.decode().count('class="para para-body"') == 200


def test_home_source_and_event_queries_are_bounded(
    client, big_corpus, django_assert_max_num_queries, queued_tasks
):
    # As a web process serves them: what a page asks of the worker is queued, not run.
    for url in ("/", big_corpus[0].source.get_absolute_url(), "/events/event-0/"):
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_every_paragraph_has_a_copy_link_button_for_its_anchor(client, seeded):
    statement = seeded["000"]
    page = client.get(statement.get_absolute_url()).content.decode()
    # Its two title paragraphs repeat the heading: folded, like boilerplate, with no button.
    for paragraph in statement.paragraphs.exclude(kind__in=["boilerplate", "title"]):
        assert f'data-anchor="{paragraph.anchor}"' in page
    for paragraph in statement.paragraphs.filter(kind="title"):
        assert f'<details class="para para-folded para-title" id="{paragraph.anchor}">' in page


def _events_section(response) -> str:
    """The text of the home page's events section, one element's text a line."""
    section = html.fromstring(response.content).xpath(
        '//section[@aria-labelledby="events-heading"]'
    )
    return "\n".join(text.strip() for text in section[0].itertext() if text.strip())


def test_home_shows_each_event_s_first_statements_and_a_link_to_all_of_them(client):
    event = Event.objects.create(name="Sommet", slug="sommet")
    source = make_source()
    for day in range(1, 9):
        make_statement(
            source=source,
            title=f"Compte rendu du {day} juillet",
            published_on=datetime.date(2023, 7, day),
            events=(event,),
            paragraphs=1,
        )
    events = _events_section(client.get("/"))
    assert "Compte rendu du 6 juillet" in events
    assert "Compte rendu du 7 juillet" not in events
    assert "All 8 statements of this event" in events


def test_home_shows_the_latest_events_and_says_how_many_there_are(
    client, django_assert_max_num_queries
):
    for number in range(12):
        event = Event.objects.create(
            name=f"Réunion {number}",
            slug=f"reunion-{number}",
            starts_on=datetime.date(2023, 1, number + 1),
        )
        make_statement(events=(event,), paragraphs=1)
    with django_assert_max_num_queries(8):
        response = client.get("/")
    events = _events_section(response)
    assert "Réunion 11" in events and "Réunion 2" in events
    assert "Réunion 1\n" not in events and "Réunion 0" not in events
    assert "The 10 latest of 12 events" in " ".join(events.split())


def test_event_timeline_is_paged_and_keeps_the_statement_chosen_to_compare(client):
    event = Event.objects.create(name="Longue affaire", slug="longue-affaire")
    source = make_source()
    statements = [
        make_statement(
            source=source,
            published_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=day),
            events=(event,),
            paragraphs=1,
        )
        for day in range(105)
    ]
    first = client.get("/events/longue-affaire/").content.decode()
    assert f'id="s-{statements[99].slug}"' in first
    assert f'id="s-{statements[100].slug}"' not in first
    assert "Page 1 of 2" in first and 'rel="next"' in first

    chosen = statements[0].slug
    second = client.get(f"/events/longue-affaire/?left={chosen}&page=2").content.decode()
    assert f'id="s-{statements[104].slug}"' in second
    assert "Now pick the statement to read beside" in second
    assert f"/compare/{chosen}/{statements[104].slug}/" in second
    assert f'href="?left={chosen}&amp;page=1" rel="prev"' in second


def test_source_page_lists_its_statements_a_page_at_a_time(client):
    source = make_source("Agence")
    for day in range(55):
        make_statement(
            source=source,
            title=f"Dépêche {day:02d}",
            published_on=datetime.date(2022, 1, 1) + datetime.timedelta(days=day),
            paragraphs=1,
        )
    first = client.get(source.get_absolute_url()).content.decode()
    assert "55 statements" in first
    assert "Dépêche 54" in first and "Dépêche 05" in first and "Dépêche 04" not in first
    assert "Page 1 of 2" in first
    second = client.get(source.get_absolute_url() + "?page=2").content.decode()
    assert "Dépêche 04" in second and "Dépêche 05" not in second
